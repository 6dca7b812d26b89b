// Programs that free everything, including through static objects in two translation units, must
// get a clean report; the variant with one deliberately leaking global (whose destructor drops the
// pointer without freeing) reports exactly that block, definitely lost. What is still alive at
// exit is the C and C++ runtime's own (runtime_blocks.hpp): still reachable, mentioned in the one
// line, never the program's.
#include <doctest/doctest.h>

#include <string>

#include "case_run.hpp"
#include "runtime_blocks.hpp"

using cases::run_case;
using cases::summary;

namespace {

// "B bytes in N blocks", as leakguard's text report writes an amount.
std::string amount_text(long long bytes, long long blocks) {
    return std::to_string(bytes) + (bytes == 1 ? " byte in " : " bytes in ") + std::to_string(blocks) +
           (blocks == 1 ? " block" : " blocks");
}

// Runs `program` twice: as it is, and with every live block listed. Returns the first run.
cases::case_result check_clean(const std::string& program, long long min_allocations) {
    auto r = run_case(program);
    INFO(r.describe());
    CHECK(r.status() == 0);
    auto lines = r.leakguard_lines();
    REQUIRE(lines.size() == 1); // no LEAK SUMMARY when nothing is lost
    CHECK(lines[0].rfind("leakguard: no leaks at exit", 0) == 0);
    REQUIRE(r.has_report);
    CHECK(summary(r.report, "leaked_blocks") == 0);
    CHECK(summary(r.report, "leaked_bytes") == 0);
    // Whatever is alive is still reachable, and the line says how much.
    CHECK(summary(r.report, "reachable_blocks") == summary(r.report, "live_blocks"));
    CHECK(summary(r.report, "reachable_bytes") == summary(r.report, "live_bytes"));
    if (summary(r.report, "reachable_blocks") > 0) {
        std::string const still =
            ", " + amount_text(summary(r.report, "reachable_bytes"), summary(r.report, "reachable_blocks")) +
            " still reachable (";
        CHECK(lines[0].find(still) != std::string::npos);
    } else {
        CHECK(lines[0].find("still reachable") == std::string::npos);
    }
    // The allocations really went through leakguard (the test is not vacuous).
    CHECK(summary(r.report, "allocations") >= min_allocations);
    CHECK(r.report["leaks"].empty());
    CHECK(r.report["scope_failures"].empty());
    CHECK(r.report["errors"].empty());

    // Every block alive at exit listed: none is the program's (each of its blocks was freed).
    auto listed = run_case(program, "show_reachable=1");
    INFO(listed.describe());
    CHECK(listed.status() == 0);
    cases::check_only_runtime_blocks_alive(listed, program);
    return r;
}

} // namespace

TEST_CASE("clean_program_with_library_allocations") {
    auto r = check_clean("clean", 200);
    INFO(r.describe());
    CHECK(r.proc.out.rfind("clean: 50 names, 4 caught,", 0) == 0);
}

TEST_CASE("clean_program_keeps_its_own_exit_status") {
    auto r = run_case("clean", "", {"7"});
    INFO(r.describe());
    CHECK(r.status() == 7); // leakguard changes the status only when it found something
    CHECK(summary(r.report, "leaked_blocks") == 0);
}

TEST_CASE("statics_in_two_units_are_not_leaks") { check_clean("statics", 50); }

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
