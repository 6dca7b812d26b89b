// Threads: cross-thread frees must keep counts exact, and fork() while other threads allocate
// must neither deadlock nor corrupt the child's or the parent's state.
#include <doctest/doctest.h>

#include "case_run.hpp"
#include "runtime_blocks.hpp"

using cases::run_case;
using cases::summary;

TEST_CASE("threads_exchange_blocks_and_one_leaks") {
    constexpr long long kLeaks = 7, kLeakSize = 24; // as in programs/threads.cpp
    // A few runs: the interleaving differs each time. show_reachable=1: every live block listed,
    // the C and C++ runtime's own (still reachable: stdout's buffer, the threads' loader data) too.
    for (int run = 0; run < 3; ++run) {
        auto r = run_case("threads", "show_reachable=1");
        INFO("run " << run << "\n" << r.describe());
        CHECK(r.status() == cases::kLeakExit);
        REQUIRE(r.has_report);
        CHECK(summary(r.report, "leaked_blocks") == kLeaks);
        CHECK(summary(r.report, "leaked_bytes") == kLeaks * kLeakSize);
        CHECK(summary(r.report, "definitely_lost_blocks") == kLeaks); // dropped at once
        CHECK(summary(r.report, "allocations") >= 4 * 2000);
        // allocations - frees (live_blocks) against the blocks leakguard still holds, each listed:
        // a free lost or counted twice between threads makes them differ.
        REQUIRE(r.report["leaks"].is_array());
        CHECK(static_cast<long long>(r.report["leaks"].size()) == summary(r.report, "live_blocks"));
        long long leaked = 0;
        for (const auto& leak : r.report["leaks"]) {
            INFO(leak.dump());
            if (leak["loss"] == "reachable") {
                CHECK(cases::is_runtime_block(leak, "threads")); // none of the program's blocks
                continue;
            }
            ++leaked;
            CHECK(leak["loss"] == "definite");
            CHECK(leak["size"] == kLeakSize);
            CHECK(leak["kind"] == "new[]");
        }
        CHECK(leaked == kLeaks);
        CHECK(summary(r.report, "live_bytes") - summary(r.report, "reachable_bytes") == kLeaks * kLeakSize);
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
