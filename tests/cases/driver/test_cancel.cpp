// Cancellation inside leakguard (cancel_inside.cpp): a thread cancelled inside report_now() or a
// failing scope is cancelled after leakguard's part, never through std::terminate.
#include <doctest/doctest.h>

#include <string>

#include "case_run.hpp"

using cases::run_case;

TEST_CASE("cancel_inside: threads cancelled inside a report or a failing scope end cleanly") {
    for (int run = 0; run < 3; ++run) {
        auto r = run_case("cancel_inside", "log_path=/dev/null", {}, 60);
        INFO("run " << run << "\n" << r.describe());
        CHECK(r.proc.signal == 0);
        CHECK(!r.proc.timed_out);
        CHECK(r.proc.out.find("cancelled: reporter yes, scoper yes") != std::string::npos);
        CHECK(r.status() == cases::kLeakExit);
        REQUIRE(r.has_report);
        CHECK(!r.report["scope_failures"].empty());
        CHECK(cases::summary(r.report, "definitely_lost_blocks") >= 1);
    }
}
