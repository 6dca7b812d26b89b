// Programs that free everything, including through static objects in two translation units, must
// get a clean report; the variant with one deliberately leaking global (whose destructor drops the
// pointer without freeing) reports exactly that block, definitely lost.
#include <doctest/doctest.h>

#include "case_run.hpp"

using cases::run_case;
using cases::summary;

namespace {
void check_clean(const cases::case_result& r, long long min_allocations) {
    CHECK(r.status() == 0);
    auto lines = r.leakguard_lines();
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].rfind("leakguard: no leaks at exit", 0) == 0);
    REQUIRE(r.has_report);
    CHECK(summary(r.report, "leaked_blocks") == 0);
    CHECK(summary(r.report, "leaked_bytes") == 0);
    CHECK(summary(r.report, "live_blocks") == 0);
    CHECK(summary(r.report, "allocations") == summary(r.report, "frees"));
    // The allocations really went through leakguard (the test is not vacuous).
    CHECK(summary(r.report, "allocations") >= min_allocations);
    CHECK(r.report["leaks"].empty());
    CHECK(r.report["scope_failures"].empty());
    CHECK(r.report["errors"].empty());
}
} // namespace

TEST_CASE("clean_program_with_library_allocations") {
    auto r = run_case("clean");
    INFO(r.describe());
    check_clean(r, 200);
    CHECK(r.proc.out.rfind("clean: 50 names, 4 caught,", 0) == 0);
}

TEST_CASE("clean_program_keeps_its_own_exit_status") {
    auto r = run_case("clean", "", {"7"});
    INFO(r.describe());
    CHECK(r.status() == 7); // leakguard changes the status only when it found something
    CHECK(summary(r.report, "leaked_blocks") == 0);
}

TEST_CASE("statics_in_two_units_are_not_leaks") {
    auto r = run_case("statics");
    INFO(r.describe());
    check_clean(r, 50);
}

TEST_CASE("statics_one_leaking_global_is_reported") {
    auto r = run_case("statics_leak");
    INFO(r.describe());
    CHECK(r.status() == cases::kLeakExit);
    REQUIRE(r.has_report);
    CHECK(summary(r.report, "leaked_blocks") == 1);
    CHECK(summary(r.report, "leaked_bytes") == 16);
    REQUIRE(r.report["leaks"].size() == 1);
    CHECK(r.report["leaks"][0]["size"] == 16);
    CHECK(r.report["leaks"][0]["kind"] == "new[]");
    CHECK(r.report["leaks"][0]["loss"] == "definite"); // its owner dropped the pointer at destruction
}
