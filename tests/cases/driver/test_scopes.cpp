// Scopes: nesting, counting blocks rather than a net balance, thread scopes, and ignored blocks.
#include <doctest/doctest.h>

#include <cstdio>
#include <string>

#include "case_run.hpp"

using cases::run_case;
using cases::summary;

namespace {
bool ends_with(const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

void check_failure(const nlohmann::json& f, const char* name, const char* file, int line, int blocks, int bytes) {
    INFO("scope failure " << f.dump());
    CHECK(f["name"] == name);
    REQUIRE(f["file"].is_string());
    CHECK(ends_with(f["file"].get<std::string>(), file));
    CHECK(f["line"] == line);
    CHECK(f["leaked_blocks"] == blocks);
    CHECK(f["leaked_bytes"] == bytes);
}
} // namespace

TEST_CASE("nested_scopes_both_fail") {
    auto r = run_case("nested_scopes");
    INFO(r.describe());
    CHECK(r.status() == cases::kLeakExit); // the failed scopes alone set it: nothing leaks at exit
    int outer_line = 0, inner_line = 0;
    REQUIRE(std::sscanf(r.proc.out.c_str(), "outer_line=%d inner_line=%d", &outer_line, &inner_line) == 2);
    CHECK(cases::lines_containing(r.proc.out, "scope_failures=2").size() == 1);
    REQUIRE(r.has_report);
    CHECK(summary(r.report, "leaked_blocks") == 0);
    const auto& failures = r.report["scope_failures"];
    REQUIRE(failures.size() == 2);
    // The inner scope ends (and fails) first.
    check_failure(failures[0], "inner", "nested_scopes.cpp", inner_line, 1, 4);
    check_failure(failures[1], "outer", "nested_scopes.cpp", outer_line, 1, 4);
    auto inner = cases::lines_containing(r.proc.err, "leakguard: scope \"inner\" (");
    auto outer = cases::lines_containing(r.proc.err, "leakguard: scope \"outer\" (");
    REQUIRE(inner.size() == 1);
    REQUIRE(outer.size() == 1);
    CHECK(inner[0].find("ended with 1 block (4 bytes)") != std::string::npos);
    CHECK(outer[0].find("ended with 1 block (4 bytes)") != std::string::npos);
}

TEST_CASE("scope_counts_blocks_not_net_balance") {
    auto r = run_case("scope_swap");
    INFO(r.describe());
    CHECK(r.status() == cases::kLeakExit);
    CHECK(r.proc.out == "scope_failures=1\n");
    REQUIRE(r.has_report);
    REQUIRE(r.report["scope_failures"].size() == 1);
    const auto& f = r.report["scope_failures"][0];
    CHECK(f["name"] == "swap");
    CHECK(f["leaked_blocks"] == 1);
    CHECK(f["leaked_bytes"] == 4);
    CHECK(summary(r.report, "leaked_blocks") == 0);
    CHECK(cases::lines_containing(r.proc.err, "scope \"swap\"").size() == 1);
}

TEST_CASE("scope_name_is_escaped_in_json") {
    static const char kName[] = "say \"hi\" \\ tab\there\nnext line, caf\xC3\xA9"; // as in scope_name.cpp
    auto r = run_case("scope_name");
    INFO(r.describe());
    CHECK(r.status() == cases::kLeakExit);
    CHECK(r.proc.out == "scope_failures=1\n");
    REQUIRE(r.has_report); // it parsed
    REQUIRE(r.report["scope_failures"].size() == 1);
    CHECK(r.report["scope_failures"][0]["name"] == kName);
}

TEST_CASE("scope_failure_keeps_its_own_copies_of_name_and_file") {
    auto r = run_case("scope_strings");
    INFO(r.describe());
    CHECK(r.status() == cases::kLeakExit);
    CHECK(r.proc.out == "scope_failures=1\n");
    REQUIRE(r.has_report); // it parsed: no freed bytes in the strings
    REQUIRE(r.report["scope_failures"].size() == 1);
    CHECK(r.report["scope_failures"][0]["name"] == "freed-name");
    CHECK(r.report["scope_failures"][0]["file"] == "freed/file.cpp");
    CHECK(r.report["scope_failures"][0]["line"] == 7);
}

TEST_CASE("thread_scope_counts_only_its_thread") {
    auto r = run_case("thread_scope");
    INFO(r.describe());
    CHECK(r.status() == cases::kLeakExit);
    // While open: the main thread's string is in both; the other thread's block only in "all".
    CHECK(cases::lines_containing(r.proc.out, "while open: mine=1 all=2").size() == 1);
    CHECK(cases::lines_containing(r.proc.out, "after mine: all=1").size() == 1);
    CHECK(cases::lines_containing(r.proc.out, "scope_failures=1").size() == 1);
    REQUIRE(r.has_report);
    const auto& failures = r.report["scope_failures"];
    REQUIRE(failures.size() == 1);
    CHECK(failures[0]["name"] == "all");
    CHECK(failures[0]["leaked_blocks"] == 1);
    CHECK(failures[0]["leaked_bytes"] == sizeof(long));
    CHECK(cases::lines_containing(r.proc.err, "scope \"mine\"").empty());
    CHECK(summary(r.report, "leaked_blocks") == 0);
}

TEST_CASE("ignored_blocks_are_never_reported") {
    auto r = run_case("ignore");
    INFO(r.describe());
    CHECK(r.status() == 0);
    // A malloc'd block is leakguard's unless a sanitizer's runtime keeps malloc (LEAKGUARD_CASES_INTERPOSE).
    CHECK(r.proc.out == std::string("ignore: ok=1 malloced=") + (LEAKGUARD_CASES_INTERPOSE ? "1" : "0") +
                            " foreign=0 scope_failures=0 live=4\n");
    REQUIRE(r.has_report);
    CHECK(summary(r.report, "leaked_blocks") == 0);
    CHECK(r.report["leaks"].empty());
    CHECK(r.report["scope_failures"].empty());
    // Still alive, just not reported, and in none of the four kinds: the int, the string and its
    // buffer, the char array (the other live blocks, the C and C++ runtime's own, are still reachable).
    long long kinds = 0;
    for (const char* kind :
         {"definitely_lost_blocks", "indirectly_lost_blocks", "possibly_lost_blocks", "reachable_blocks"})
        kinds += summary(r.report, kind);
    CHECK(summary(r.report, "live_blocks") - kinds == 4);
    auto lines = r.leakguard_lines();
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].rfind("leakguard: no leaks at exit", 0) == 0);
}
