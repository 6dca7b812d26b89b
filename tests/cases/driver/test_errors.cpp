// Heap errors: a double delete is detected and survived, recorded in the JSON, and fails the run.
#include <doctest/doctest.h>

#include "case_run.hpp"

using cases::run_case;
using cases::summary;

TEST_CASE("double_free_is_reported_and_survived") {
    auto r = run_case("double_free");
    INFO(r.describe());
    CHECK(r.proc.signal == 0); // no crash (glibc would abort on a real double free)
    CHECK(r.status() == cases::kLeakExit);
    CHECK(r.proc.out == "double_free: still running, 8\n");
    CHECK(cases::lines_containing(r.proc.err, "error: double_free").size() == 1);
    REQUIRE(r.has_report);
    const auto& errors = r.report["errors"];
    REQUIRE(errors.size() == 1);
    CHECK(errors[0]["type"] == "double_free");
    CHECK(summary(r.report, "leaked_blocks") == 0);
    CHECK(r.report["scope_failures"].empty());
}
