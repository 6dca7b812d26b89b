// exit() from a signal handler (signal_exit.cpp): the exit report never waits on the thread the
// signal interrupted. Landing outside leakguard, the report is the full one (the leak, exit 23);
// inside, it says it is incomplete, judges nothing and leaves the exit status to the program.
#include <doctest/doctest.h>

#include <string>

#include "case_run.hpp"

using cases::run_case;

namespace {

// One run's outcome: the full report or the incomplete one, and never anything else.
void check_either(const cases::case_result& r, int& incomplete) {
    CHECK(!r.proc.timed_out);
    CHECK(r.proc.signal == 0);
    REQUIRE(r.has_report);
    if (r.report["summary"]["complete"] == true) {
        CHECK(r.status() == cases::kLeakExit);
        CHECK(cases::summary(r.report, "definitely_lost_blocks") == 1);
        return;
    }
    ++incomplete;
    CHECK(r.status() == 0);
    CHECK(r.report["summary"]["incomplete_reason"] == "interrupted");
    CHECK(cases::summary(r.report, "unjudged_blocks") >= 1);
    CHECK(r.proc.err.find("leakguard: report incomplete: exit() ran on a thread stopped inside leakguard") !=
          std::string::npos);
}

} // namespace

TEST_CASE("signal_exit: exit() from a handler that interrupted a leakguard lock does not wait on it") {
    for (const char* mode : {"held_lock", "owner_section"}) {
        auto r = run_case("signal_exit", "", {mode}, 20);
        INFO(mode << "\n" << r.describe());
        int incomplete = 0;
        check_either(r, incomplete);
        CHECK(incomplete == 1);
    }
}

TEST_CASE("signal_exit: exit() from a timer's handler during allocation churn never hangs") {
    if (!LEAKGUARD_CASES_INTERPOSE) {
        // A sanitizer's runtime flags exit() in a handler, and owns malloc.
        CASES_SKIP("built under a sanitizer");
        return;
    }
    for (std::string const threads : {"0", "2"}) {
        int incomplete = 0;
        for (int run = 0; run < 100; ++run) {
            auto r = run_case("signal_exit", "", {"churn", threads}, 20);
            INFO("threads " << threads << ", run " << run << "\n" << r.describe());
            check_either(r, incomplete);
        }
        MESSAGE("threads " << threads << ": " << incomplete << " of 100 runs interrupted inside leakguard or malloc");
    }
}
