// The exit report of leaking programs: what is counted (leak_one: one `new char(10)`; leak_many:
// twenty blocks from one site), how the exit status is decided, and the report/log_path options.
#include <doctest/doctest.h>

#include <set>

#include "case_run.hpp"

using cases::base_name;
using cases::run_case;
using cases::summary;

TEST_CASE("leak_one_reports_one_byte") {
    auto r = run_case("leak_one");
    INFO(r.describe());
    CHECK(r.status() == cases::kLeakExit);
    CHECK(r.proc.out == "leak_one: done\n"); // the program ran to the end
    REQUIRE(r.has_report);
    CHECK(r.report["version"] == 1);
    CHECK(summary(r.report, "leaked_blocks") == 1);
    CHECK(summary(r.report, "leaked_bytes") == 1);
    REQUIRE(r.report["leaks"].size() == 1);
    const auto& leak = r.report["leaks"][0];
    CHECK(leak["size"] == 1);
    CHECK(leak["kind"] == "new");
    CHECK(leak["thread"] == 1);
    // The caller is main() of the executable itself, at the line of the new-expression, found
    // without any macro: function from the ELF symbol table, file:line from the DWARF line table.
    REQUIRE(leak["module"].is_string());
    CHECK(base_name(leak["module"].get<std::string>()) == "leak_one");
    CHECK(leak["function"] == "main");
    REQUIRE(leak["file"].is_string());
    CHECK(base_name(leak["file"].get<std::string>()) == "leak_one.cpp");
    CHECK(leak["line"] == 13); // programs/leak_one.cpp: `new char(10);`
    CHECK(r.report["scope_failures"].empty());
    CHECK(r.report["errors"].empty());
    CHECK(leak["loss"] == "definite");
    // Full text report: the summary line, the totals per kind, one group line and its call stack,
    // which ends at main.
    auto lines = r.leakguard_lines();
    REQUIRE(lines.size() == 4);
    CHECK(lines[0].find("1 byte in 1 block lost at exit") != std::string::npos);
    CHECK(lines[1].rfind("leakguard: LEAK SUMMARY: definitely lost: 1 byte in 1 block;", 0) == 0);
    CHECK(lines[2].find("1 byte in 1 block definitely lost (new) allocated at main ") != std::string::npos);
    CHECK(lines[2].find("leak_one.cpp:13 (leak_one+0x") != std::string::npos);
    CHECK(lines[3].find("    at main ") != std::string::npos);
    CHECK(lines[3].find("leak_one.cpp:13 (leak_one+0x") != std::string::npos);
    // The JSON has the whole stack: main first, then what called main (in the C library).
    REQUIRE(leak["stack"].is_array());
    REQUIRE(leak["stack"].size() >= 2);
    CHECK(leak["stack"][0]["function"] == "main");
    CHECK(leak["stack"][0]["line"] == 13);
    CHECK(leak["stack"][0]["address"] == leak["caller"]);
}

TEST_CASE("leak_one_exitcode_zero_keeps_program_status") {
    // Leaks replace the program's status by default ...
    auto dflt = run_case("leak_one", "", {"7"});
    CHECK_MESSAGE(dflt.status() == cases::kLeakExit, dflt.describe());
    // ... exitcode=0 keeps it, whatever it is; the report is still written.
    for (int wanted : {0, 7}) {
        auto r = run_case("leak_one", "exitcode=0", {std::to_string(wanted)});
        INFO(r.describe());
        CHECK(r.status() == wanted);
        CHECK(summary(r.report, "leaked_blocks") == 1);
        CHECK(r.leakguard_lines().size() == 4);
    }
    // Any other exitcode replaces it.
    auto custom = run_case("leak_one", "exitcode=42", {"7"});
    CHECK_MESSAGE(custom.status() == 42, custom.describe());
}

TEST_CASE("leak_one_report_off_prints_nothing_but_writes_json") {
    auto r = run_case("leak_one", "report=off");
    INFO(r.describe());
    CHECK(r.status() == cases::kLeakExit);
    CHECK(r.proc.err.empty());
    CHECK(summary(r.report, "leaked_blocks") == 1);
    CHECK(summary(r.report, "leaked_bytes") == 1);
}

TEST_CASE("leak_one_report_summary_prints_only_the_totals") {
    auto r = run_case("leak_one", "report=summary");
    INFO(r.describe());
    CHECK(r.status() == cases::kLeakExit);
    auto lines = cases::lines_containing(r.proc.err, "");
    REQUIRE(lines.size() == 2); // the summary line and the totals per kind, no group
    CHECK(lines[0].rfind("leakguard: 1 byte in 1 block lost at exit", 0) == 0);
    CHECK(lines[1].rfind("leakguard: LEAK SUMMARY: definitely lost: 1 byte in 1 block;", 0) == 0);
    CHECK(summary(r.report, "leaked_blocks") == 1);
}

TEST_CASE("leak_one_log_path_and_json_path_expand_pid") {
    cases::temp_dir out;
    auto r = run_case("leak_one", "log_path=" + out.file("log.%p.txt") + ":json_path=" + out.file("leaks.%p.json"));
    INFO(r.describe());
    CHECK(r.status() == cases::kLeakExit);
    CHECK(r.proc.err.empty()); // the text went to the log file
    std::string const pid = std::to_string(r.proc.pid);
    std::string const log = cases::read_file(out.file("log." + pid + ".txt"));
    INFO("log: " << log);
    CHECK(cases::lines_containing(log, "leakguard: 1 byte in 1 block lost at exit").size() == 1);
    CHECK(cases::lines_containing(log, "(new) allocated at").size() == 1);
    auto json = cases::load_json(out.file("leaks." + pid + ".json"));
    CHECK(summary(json, "leaked_blocks") == 1);
    CHECK_FALSE(r.has_report); // json_path was redirected
}

TEST_CASE("leak_many_groups_twenty_blocks_from_one_site") {
    auto r = run_case("leak_many");
    INFO(r.describe());
    CHECK(r.status() == cases::kLeakExit);
    REQUIRE(r.has_report);
    CHECK(summary(r.report, "leaked_blocks") == 20);
    CHECK(summary(r.report, "leaked_bytes") == 200);
    const auto& leaks = r.report["leaks"];
    REQUIRE(leaks.size() == 20);
    std::set<std::string> callers, addresses;
    for (const auto& leak : leaks) {
        CHECK(leak["size"] == 10);
        CHECK(leak["kind"] == "new[]");
        callers.insert(leak["caller"].dump());
        addresses.insert(leak["address"].dump());
    }
    CHECK(callers.size() == 1);
    CHECK(addresses.size() == 20);
    // Text: the summary, then a single group line for the site.
    auto groups = cases::lines_containing(r.proc.err, "allocated at");
    REQUIRE(groups.size() == 1);
    CHECK(groups[0].find("200 bytes in 20 blocks definitely lost (new[], 10 bytes each)") != std::string::npos);
    CHECK(cases::lines_containing(r.proc.err, "from 1 allocation site").size() == 1);
}
