// LEAKGUARD_OPTIONS parsing, and leakguard::set_option: bad input gives exactly one warning line
// that names the offending key (and value), and never stops the program or the report.
#include <doctest/doctest.h>

#include "case_run.hpp"

using cases::run_case;
using cases::summary;

namespace {
// The stderr lines that mention `word`.
std::vector<std::string> mentioning(const cases::case_result& r, const std::string& word) {
    return cases::lines_containing(r.proc.err, word);
}
} // namespace

TEST_CASE("options_unknown_key_warns_once_and_is_ignored") {
    auto r = run_case("leak_one", "no_such_key=1");
    INFO(r.describe());
    auto warnings = mentioning(r, "warning");
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0].find("no_such_key") != std::string::npos);
    // The program and the other options work as usual.
    CHECK(r.proc.out == "leak_one: done\n");
    CHECK(r.status() == cases::kLeakExit);
    CHECK(summary(r.report, "leaked_blocks") == 1);
}

TEST_CASE("options_bad_exitcode_value_warns_and_keeps_default") {
    auto r = run_case("leak_one", "exitcode=abc");
    INFO(r.describe());
    auto warnings = mentioning(r, "warning");
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0].find("exitcode") != std::string::npos);
    CHECK(warnings[0].find("abc") != std::string::npos);
    CHECK(r.status() == cases::kLeakExit);
    CHECK(summary(r.report, "leaked_blocks") == 1);
}

TEST_CASE("options_bad_report_value_warns_and_keeps_full_report") {
    auto r = run_case("leak_one", "report=loud");
    INFO(r.describe());
    auto warnings = mentioning(r, "warning");
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0].find("report") != std::string::npos);
    CHECK(warnings[0].find("loud") != std::string::npos);
    CHECK(mentioning(r, "allocated at").size() == 1);
}

TEST_CASE("options_comma_separates_too") {
    auto r = run_case("leak_one", "report=off,exitcode=9");
    INFO(r.describe());
    CHECK(r.status() == 9);
    CHECK(r.proc.err.empty());
    CHECK(summary(r.report, "leaked_blocks") == 1);
}

TEST_CASE("options_set_in_code") {
    auto r = run_case("options");
    INFO(r.describe());
    CHECK(r.proc.out == "options: unknown=0 bad_exitcode=0 bad_report=0 good=1\n");
    auto warnings = mentioning(r, "warning");
    CHECK(warnings.size() == 3);
    CHECK(mentioning(r, "no_such_option").size() == 1);
    CHECK(cases::lines_containing(r.proc.err, "'abc'").size() == 1);
    CHECK(cases::lines_containing(r.proc.err, "'loud'").size() == 1);
    CHECK(r.status() == 5); // set_option("exitcode", "5") took effect
    CHECK(summary(r.report, "leaked_blocks") == 1);
}

TEST_CASE("options_unwritable_paths_warn_and_fall_back") {
    // log_path cannot be opened: a warning, and the text report goes to stderr after all.
    auto r = run_case("leak_one", "log_path=/nonexistent-dir/log.txt");
    INFO(r.describe());
    CHECK(mentioning(r, "warning").size() == 1);
    CHECK(mentioning(r, "/nonexistent-dir/log.txt").size() == 1);
    CHECK(mentioning(r, "1 byte in 1 block lost at exit").size() == 1);
    CHECK(r.status() == cases::kLeakExit);
    // json_path cannot be written: a warning; the text report and the status are unaffected.
    auto j = run_case("leak_one", "json_path=/nonexistent-dir/report.json");
    INFO(j.describe());
    CHECK(mentioning(j, "warning").size() == 1);
    CHECK(mentioning(j, "/nonexistent-dir/report.json").size() == 1);
    CHECK(mentioning(j, "1 byte in 1 block lost at exit").size() == 1);
    CHECK(j.status() == cases::kLeakExit);
}
