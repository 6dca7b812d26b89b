// Threads: cross-thread frees must keep counts exact, and fork() while other threads allocate
// must neither deadlock nor corrupt the child's or the parent's state.
#include <doctest/doctest.h>

#include "case_run.hpp"

using cases::run_case;
using cases::summary;

TEST_CASE("threads_exchange_blocks_and_one_leaks") {
    constexpr long long kLeaks = 7, kLeakSize = 24; // as in programs/threads.cpp
    // A few runs: the interleaving differs each time.
    for (int run = 0; run < 3; ++run) {
        auto r = run_case("threads");
        INFO("run " << run << "\n" << r.describe());
        CHECK(r.status() == cases::kLeakExit);
        REQUIRE(r.has_report);
        CHECK(summary(r.report, "leaked_blocks") == kLeaks);
        CHECK(summary(r.report, "leaked_bytes") == kLeaks * kLeakSize);
        CHECK(summary(r.report, "live_blocks") == kLeaks);
        CHECK(summary(r.report, "live_bytes") == kLeaks * kLeakSize);
        CHECK(summary(r.report, "allocations") - summary(r.report, "frees") == kLeaks);
        CHECK(summary(r.report, "allocations") >= 4 * 2000);
        for (const auto& leak : r.report["leaks"]) {
            CHECK(leak["size"] == kLeakSize);
            CHECK(leak["kind"] == "new[]");
        }
    }
}

TEST_CASE("fork_while_threads_allocate") {
    if (LEAKGUARD_CASES_ASAN) { // see tests/cases/CMakeLists.txt: ASan's allocator is not fork-safe
        CASES_SKIP("AddressSanitizer's allocator takes no lock at fork");
        return;
    }
    auto r = run_case("fork", "", {}, 90);
    INFO(r.describe());
    CHECK_FALSE(r.proc.timed_out);
    CHECK(r.status() == 0);
    CHECK(r.proc.out == "fork: ok (50 children)\n");
    REQUIRE(r.has_report);
    CHECK(summary(r.report, "leaked_blocks") == 0);
    CHECK(r.report["scope_failures"].empty());
    CHECK(r.report["errors"].empty());
}
