// Suppressions files (docs/suppressions.md) on the suppressions case: store::keep_entry leaks 3
// blocks of 16 bytes (new[]), parse_header 1 block of 40 (malloc). A file in LeakSanitizer's
// format and one valgrind --gen-suppressions=all writes for the plain build each suppress the
// keep_entry blocks and nothing else; the summary counts them; malformed lines are reported with
// their file and line and skipped; scopes whose only leak is suppressed pass.
#include <doctest/doctest.h>

#include <fstream>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "case_run.hpp"
#include "valgrind_run.hpp"

using cases::run_case;
using cases::summary;

namespace {

constexpr long long kept_blocks = 3, kept_bytes = 48;   // store::keep_entry's
constexpr long long other_blocks = 1, other_bytes = 40; // parse_header's

std::string write_supp_file(const cases::temp_dir& dir, const std::string& name, const std::string& text) {
    std::string const path = dir.file(name);
    std::ofstream(path) << text;
    return path;
}

bool has_text(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

// Whether any frame of a listed leak's stack (or its site) names `function`.
bool supp_lists_function(const nlohmann::json& report, const std::string& function) {
    for (const auto& leak : report["leaks"]) {
        if (leak["function"].is_string() && has_text(leak["function"].get<std::string>(), function)) return true;
        if (!leak.contains("stack")) continue;
        for (const auto& frame : leak["stack"])
            if (frame["function"].is_string() && has_text(frame["function"].get<std::string>(), function)) return true;
    }
    return false;
}

// The exit report of a run where exactly the keep_entry blocks were suppressed.
void check_only_keep_entry_suppressed(const cases::case_result& r) {
    CHECK(r.status() == cases::kLeakExit); // parse_header's block is still lost
    CHECK(has_text(r.proc.out, "check_leaks: definite 1/40, suppressed 3/48\n"));
    REQUIRE(r.has_report);
    CHECK(summary(r.report, "suppressed_blocks") == kept_blocks);
    CHECK(summary(r.report, "suppressed_bytes") == kept_bytes);
    CHECK(summary(r.report, "definitely_lost_blocks") == other_blocks);
    CHECK(summary(r.report, "definitely_lost_bytes") == other_bytes);
    CHECK(summary(r.report, "leaked_blocks") == other_blocks);
    CHECK_FALSE(supp_lists_function(r.report, "keep_entry"));
    CHECK(supp_lists_function(r.report, "parse_header"));
    CHECK(has_text(r.proc.err, "lost at exit, from 1 allocation site, 48 bytes in 3 blocks suppressed ("));
    CHECK(has_text(r.proc.err, "; suppressed: 48 bytes in 3 blocks\n"));
}

// The names of the scopes that failed, in order.
std::vector<std::string> failed_scopes(const cases::case_result& r) {
    std::vector<std::string> names;
    if (r.has_report)
        for (const auto& f : r.report["scope_failures"]) names.push_back(f["name"].get<std::string>());
    return names;
}

} // namespace

// parse_header's malloc block is tracked only where leakguard defines the malloc family: not under
// AddressSanitizer or ThreadSanitizer, whose runtimes own it (tests/cases/CMakeLists.txt).
static bool c_blocks_tracked() {
    if (LEAKGUARD_CASES_INTERPOSE) return true;
    CASES_SKIP("built under a sanitizer: parse_header's malloc block belongs to the sanitizer's runtime");
    return false;
}

TEST_CASE("suppressions_none_loaded_both_sites_reported") {
    if (!c_blocks_tracked()) return;
    auto r = run_case("suppressions");
    INFO(r.describe());
    CHECK(r.status() == cases::kLeakExit);
    REQUIRE(r.has_report);
    CHECK(summary(r.report, "definitely_lost_blocks") == kept_blocks + other_blocks);
    CHECK(summary(r.report, "suppressed_blocks") == 0);
    CHECK(summary(r.report, "suppressed_bytes") == 0);
    CHECK(supp_lists_function(r.report, "keep_entry"));
    CHECK_FALSE(has_text(r.proc.err, "suppressed"));
    CHECK(has_text(r.proc.out, "check_leaks: definite 4/88, suppressed 0/0\n"));
}

TEST_CASE("suppressions_lsan_format_suppresses_the_site_it_names") {
    if (!c_blocks_tracked()) return;
    cases::temp_dir files;
    std::string const path = write_supp_file(files, "lsan.supp",
                                             "# LeakSanitizer's format\n"
                                             "leak:store::keep_entry\n"
                                             "race:not_a_leak_suppression\n"
                                             "leak:^no_such_function$\n");
    auto r = run_case("suppressions", "suppressions=" + path + ":print_suppressions=1");
    INFO(r.describe());
    check_only_keep_entry_suppressed(r);
    CHECK(r.leakguard_lines().size() > 0);
    CHECK(cases::lines_containing(r.proc.err, "suppressions file").empty()); // nothing malformed
    CHECK(has_text(r.proc.err, "leakguard: suppressions used:\n"));
    CHECK(has_text(r.proc.err, "leakguard:        3         48 leak:store::keep_entry (" + path + ":2)\n"));
    CHECK_FALSE(has_text(r.proc.err, "no_such_function (")); // matched nothing: not listed
}

TEST_CASE("suppressions_every_site_suppressed_keeps_the_exit_status") {
    if (!c_blocks_tracked()) return;
    cases::temp_dir files;
    // Anchored: the demangled name is "parse_header()"; the module pattern matches the executable.
    std::string const path = write_supp_file(files, "all.supp", "leak:^parse_header\nleak:*/suppressions$\n");
    auto r = run_case("suppressions", "suppressions=" + path);
    INFO(r.describe());
    CHECK(r.status() == 0);
    REQUIRE(r.has_report);
    CHECK(summary(r.report, "suppressed_blocks") == kept_blocks + other_blocks);
    CHECK(summary(r.report, "suppressed_bytes") == kept_bytes + other_bytes);
    CHECK(summary(r.report, "definitely_lost_blocks") == 0);
    CHECK(r.report["leaks"].empty());
    CHECK(has_text(r.proc.err, "leakguard: no leaks at exit, "));
    CHECK(has_text(r.proc.err, ", 88 bytes in 4 blocks suppressed ("));
}

TEST_CASE("suppressions_malformed_lines_are_reported_and_skipped") {
    if (!c_blocks_tracked()) return;
    cases::temp_dir files;
    std::string const path = write_supp_file(files, "bad.supp",
                                             "# line 1: a comment\n"
                                             "this line is no suppression\n" // 2
                                             "leak:\n"                       // 3
                                             "{\n"                           // 4: no Tool:Kind line
                                             "   only a name\n"
                                             "}\n"
                                             "{\n" // 7
                                             "   bad frame line\n"
                                             "   Memcheck:Leak\n"
                                             "   fun:_Znam\n"
                                             "   frame:what\n" // 11
                                             "}\n"
                                             "leak:keep_entry\n" // 13: still applies
                                             "}\n"               // 14: closes nothing
                                             "{\n"               // 15: never closed
                                             "   parse_header's, never closed\n"
                                             "   Memcheck:Leak\n"
                                             "   fun:malloc\n");
    std::string const missing = files.file("missing.supp");
    auto r = run_case("suppressions", "suppressions=" + missing + ":suppressions=" + path);
    INFO(r.describe());
    check_only_keep_entry_suppressed(r);
    auto const warnings = cases::lines_containing(r.proc.err, "leakguard: suppressions file ");
    REQUIRE(warnings.size() == 7);
    CHECK(has_text(warnings[0], "suppressions file " + missing + ": cannot read it ("));
    int const lines[] = {2, 3, 4, 11, 14, 15};
    for (int i = 0; i < 6; ++i) {
        INFO("warning " << i + 1 << ": " << warnings[i + 1]);
        CHECK(has_text(warnings[i + 1],
                       "leakguard: suppressions file " + path + " line " + std::to_string(lines[i]) + ": "));
    }
    CHECK(has_text(warnings[1], "'this line is no suppression'"));
}

TEST_CASE("suppressions_an_empty_value_forgets_the_files") {
    if (!c_blocks_tracked()) return;
    cases::temp_dir files;
    std::string const path = write_supp_file(files, "lsan.supp", "leak:keep_entry\n");
    auto r = run_case("suppressions", "suppressions=" + path + ":suppressions=");
    INFO(r.describe());
    REQUIRE(r.has_report);
    CHECK(summary(r.report, "suppressed_blocks") == 0);
    CHECK(summary(r.report, "definitely_lost_blocks") == kept_blocks + other_blocks);
}

TEST_CASE("suppressions_scopes_whose_only_leak_is_suppressed_pass") {
    if (!c_blocks_tracked()) return;
    auto plain = run_case("suppressions", "", {"scopes"});
    INFO(plain.describe());
    CHECK(failed_scopes(plain) ==
          std::vector<std::string>{"suppressed site", "suppressed site, lost rule", "other site"});

    cases::temp_dir files;
    std::string const path = write_supp_file(files, "lsan.supp", "leak:keep_entry\n");
    auto r = run_case("suppressions", "suppressions=" + path, {"scopes"});
    INFO(r.describe());
    CHECK(r.status() == cases::kLeakExit); // "other site" failed
    CHECK(failed_scopes(r) == std::vector<std::string>{"other site"});
    CHECK_FALSE(has_text(r.proc.err, "scope \"suppressed site"));
    CHECK(summary(r.report, "suppressed_blocks") == 2); // at exit: both scopes' blocks, lost
}

namespace {

// The suppressions valgrind --gen-suppressions=all prints for the plain build: each `{ ... }`
// block, in order (its lines carry no "==PID==" prefix).
std::vector<std::string> generated_suppressions(const std::string& valgrind, const cases::temp_dir& dir) {
    std::vector<std::string> argv = {valgrind, "--leak-check=full", "--show-leak-kinds=all", "--gen-suppressions=all",
                                     cases::case_path("suppressions_plain")};
    cases::process_result const p = cases::run_process(argv, {}, dir.path(), 100);
    INFO("valgrind's stderr:\n" << p.err);
    std::vector<std::string> blocks;
    static const std::regex block("(^|\n)(\\{\n[^{}]*\n\\})");
    for (std::sregex_iterator it(p.err.begin(), p.err.end(), block), end; it != end; ++it)
        blocks.push_back((*it)[2].str());
    return blocks;
}

} // namespace

TEST_CASE("valgrind_suppressions_generated_by_valgrind_suppress_the_site_they_name") {
    std::string const valgrind = cases::valgrind_on_path();
    if (valgrind.empty()) {
        CASES_SKIP("valgrind is not on PATH (or LEAKGUARD_CASES_NO_VALGRIND is set)");
        return;
    }
    cases::temp_dir files;
    std::vector<std::string> const blocks = generated_suppressions(valgrind, files);
    // Those of keep_entry's blocks (one per block, all alike), and parse_header's, which is left out.
    std::set<std::string> kept, other;
    for (const auto& b : blocks) {
        if (has_text(b, "keep_entry")) kept.insert(b);
        if (has_text(b, "parse_header")) other.insert(b);
    }
    INFO("generated:\n"
         << [&] {
                std::string all;
                for (const auto& b : blocks) all += b + "\n";
                return all;
            }());
    REQUIRE(kept.size() == 1);
    REQUIRE(other.size() == 1);
    CHECK(has_text(*kept.begin(), "Memcheck:Leak\n"));
    CHECK(has_text(*kept.begin(), "match-leak-kinds: definite\n"));

    std::string const path = write_supp_file(files, "valgrind.supp", *kept.begin() + "\n");
    auto r = run_case("suppressions", "suppressions=" + path + ":print_suppressions=1");
    INFO(r.describe());
    check_only_keep_entry_suppressed(r);
    CHECK(cases::lines_containing(r.proc.err, "suppressions file").empty());
    CHECK(has_text(r.proc.err, "leakguard:        3         48 <insert_a_suppression_name_here> (" + path + ":1)\n"));

    // The same file, on scopes: the strict scope's block (of no kind yet) and the lost one's.
    auto s = run_case("suppressions", "suppressions=" + path, {"scopes"});
    INFO(s.describe());
    CHECK(failed_scopes(s) == std::vector<std::string>{"other site"});

    // Every suppression valgrind wrote: both sites (and what valgrind found still reachable).
    std::string all;
    for (const auto& b : blocks) all += b + "\n";
    auto every = run_case("suppressions", "suppressions=" + write_supp_file(files, "all.supp", all));
    INFO(every.describe());
    CHECK(every.status() == 0);
    CHECK(summary(every.report, "suppressed_blocks") == kept_blocks + other_blocks);
    CHECK(summary(every.report, "definitely_lost_blocks") == 0);
}
