// A damaged heap (heap_damage.cpp; docs/heap-checks.md, "A damaged heap"): writes of 1 to 256
// bytes past and before a block, and single bytes anywhere in the 64 bytes before it, reach
// leakguard's records of the block and of its neighbours. Every run must end normally with its
// report complete (the summary line and a JSON file that parses), leakguard's repairs must write
// nowhere the program did not, and a write that covers a guard must be reported.
#include <doctest/doctest.h>

#include <string>

#include "case_run.hpp"

using cases::run_case;

namespace {

// Runs one write; returns the result after the checks every write shares.
cases::case_result run_write(const char* mode, int n) {
    auto r = run_case("heap_damage", "", {mode, std::to_string(n)});
    INFO(mode << " " << n << "\n" << r.describe());
    CHECK(r.proc.signal == 0);
    CHECK(!r.proc.timed_out);
    CHECK(r.proc.out.find("neighbours intact") != std::string::npos);
    CHECK(r.has_report);
    // The summary line: the report ran to its end.
    CHECK((r.proc.err.find("leakguard: no leaks at exit") != std::string::npos ||
           r.proc.err.find(" lost at exit") != std::string::npos));
    return r;
}

const int lengths[] = {1,  2,  7,  8,  9,  15, 16, 17, 23, 24, 25,  31,  32,  33, 39,
                       40, 41, 47, 48, 49, 56, 63, 64, 65, 96, 128, 200, 255, 256};

} // namespace

TEST_CASE("heap_damage: writes past a block are reported, the report completes, no neighbour is written") {
    if (!LEAKGUARD_CASES_INTERPOSE) { // the sanitizer stops the program's own bug first
        CASES_SKIP("a sanitizer's runtime checks this build's heap");
        return;
    }
    for (int n : lengths) {
        auto r = run_write("past", n);
        INFO("past " << n << "\n" << r.describe());
        CHECK(r.status() == cases::kLeakExit);
        CHECK(r.proc.out.find("check_heap: errors") != std::string::npos);
        CHECK(r.proc.err.find("error: heap_overflow") != std::string::npos);
    }
}

TEST_CASE("heap_damage: writes before a block are reported, the report completes, no neighbour is written") {
    if (!LEAKGUARD_CASES_INTERPOSE) {
        CASES_SKIP("a sanitizer's runtime checks this build's heap");
        return;
    }
    for (int n : lengths) {
        auto r = run_write("before", n);
        INFO("before " << n << "\n" << r.describe());
        CHECK(r.status() == cases::kLeakExit);
        CHECK(r.proc.out.find("check_heap: errors") != std::string::npos);
        // The front guard is hit; a longer write reaches the header's fields too, and a header that
        // cannot be trusted is reported as such instead.
        bool const underflow = r.proc.err.find("error: heap_underflow") != std::string::npos;
        bool const header = r.proc.err.find("error: heap_corruption") != std::string::npos;
        CHECK((underflow || (n > 16 && header)));
    }
}

TEST_CASE("heap_damage: one byte anywhere in the 64 bytes before a block never stops the report") {
    if (!LEAKGUARD_CASES_INTERPOSE) {
        CASES_SKIP("a sanitizer's runtime checks this build's heap");
        return;
    }
    int reported = 0;
    for (int k = 1; k <= 64; ++k) {
        auto r = run_write("byte", k);
        reported += r.status() == cases::kLeakExit;
        // The 8 bytes in front are the front guard: always found.
        if (k <= 8) CHECK_MESSAGE(r.proc.err.find("error: heap_underflow") != std::string::npos, k);
    }
    MESSAGE(reported << " of 64 one-byte writes reported"); // the rest land where no check can see
}

// free() (mapped or not) and delete of a pointer into the header in front of a live block
// (free_into_header.cpp): an invalid_free each time, never the C library's abort or a crash; the
// block stays alive (lost at exit) and the report completes.
TEST_CASE("free_into_header: a free into the header in front of a block is an invalid free") {
    if (!LEAKGUARD_CASES_INTERPOSE) {
        CASES_SKIP("built under a sanitizer: its runtime owns free and judges the pointer itself");
        return;
    }
    for (const char* how : {"mapped", "interposed", "delete"}) {
        for (int off = 8; off <= 48; off += 8) {
            auto r = run_case("free_into_header", "", {how, std::to_string(off)});
            INFO(how << " " << off << "\n" << r.describe());
            CHECK(r.proc.signal == 0);
            CHECK(r.status() == cases::kLeakExit);
            CHECK(r.proc.out.find("still alive") != std::string::npos);
            REQUIRE(r.has_report);
            REQUIRE(r.report["errors"].size() == 1);
            CHECK(r.report["errors"][0]["type"] == "invalid_free");
            CHECK(cases::summary(r.report, "definitely_lost_blocks") == 1);
            CHECK(cases::summary(r.report, "definitely_lost_bytes") == 100);
        }
    }
}
