// Guards, quarantine and the debugging options: each case program writes out of bounds or after a
// free, or frees twice; leakguard reports it at once and in the JSON, survives, and the run fails
// with status 23. abort_on_error aborts instead; break_on_alloc raises SIGTRAP.
#include <doctest/doctest.h>

#include <csignal>
#include <sstream>
#include <string>
#include <vector>

#include "case_run.hpp"
#include "runtime_blocks.hpp"

using cases::run_case;
using cases::summary;

namespace {
// The numbers after "lines" in a case program's stdout.
std::vector<int> printed_lines(const std::string& out) {
    std::vector<int> lines;
    auto const at = out.find("lines");
    if (at == std::string::npos) return lines;
    std::istringstream in(out.substr(at + 5));
    for (int n = 0; in >> n;) lines.push_back(n);
    return lines;
}

bool names_file(const nlohmann::json& v, const char* file) {
    return v.is_string() && v.get<std::string>().find(file) != std::string::npos;
}
} // namespace

TEST_CASE("heap_overflow_one_byte_past_new_array") {
    auto r = run_case("heap_overflow");
    INFO(r.describe());
    CHECK(r.proc.signal == 0);
    CHECK(r.status() == cases::kLeakExit);
    auto const lines = printed_lines(r.proc.out);
    REQUIRE(lines.size() == 2);
    CHECK(cases::lines_containing(r.proc.err, "error: heap_overflow").size() == 1);
    REQUIRE(r.has_report);
    CHECK(summary(r.report, "leaked_blocks") == 0);
    const auto& errors = r.report["errors"];
    REQUIRE(errors.size() == 1);
    const auto& e = errors[0];
    CHECK(e["type"] == "heap_overflow");
    CHECK(e["offset"] == 0);
    CHECK(e["size"] == 10);
    CHECK(e["kind"] == "new[]");
    CHECK(e["alloc_function"] == "main");
    CHECK(e["alloc_line"] == lines[0]);
    CHECK(names_file(e["alloc_file"], "heap_overflow.cpp"));
    CHECK(e["free_form"] == "delete[]");
    CHECK(e["free_line"] == lines[1]);
}

TEST_CASE("heap_overflow_abort_on_error") {
    auto r = run_case("heap_overflow", "abort_on_error=1");
    INFO(r.describe());
    CHECK(r.proc.signal == SIGABRT);
    CHECK(cases::lines_containing(r.proc.err, "error: heap_overflow").size() == 1);
    CHECK(r.proc.out.empty()); // aborted inside the delete, before the program printed
}

TEST_CASE("heap_overflow_not_seen_without_guards") {
    // Under AddressSanitizer (no interposition) the program's own bug is the sanitizer's to stop.
    if (!LEAKGUARD_CASES_INTERPOSE) return;
    // guard_bytes=0: no tail guard; the write lands in malloc's slack (a 10-byte block has some),
    // nothing is reported.
    auto r = run_case("heap_overflow", "guard_bytes=0");
    INFO(r.describe());
    CHECK(r.status() == 0);
    REQUIRE(r.has_report);
    CHECK(r.report["errors"].empty());
}

TEST_CASE("heap_underflow_one_byte_before_malloc") {
    auto r = run_case("heap_underflow");
    INFO(r.describe());
    CHECK(r.proc.signal == 0);
    CHECK(r.status() == cases::kLeakExit);
    auto const lines = printed_lines(r.proc.out);
    REQUIRE(lines.size() == 2);
    CHECK(cases::lines_containing(r.proc.err, "error: heap_underflow").size() == 1);
    REQUIRE(r.has_report);
    CHECK(summary(r.report, "leaked_blocks") == 0); // released all the same: the header is intact
    const auto& errors = r.report["errors"];
    REQUIRE(errors.size() == 1);
    const auto& e = errors[0];
    CHECK(e["type"] == "heap_underflow");
    CHECK(e["offset"] == -1);
    CHECK(e["size"] == 24);
    CHECK(e["kind"] == "malloc");
    CHECK(e["alloc_line"] == lines[0]);
    CHECK(e["free_form"] == "free");
    CHECK(e["free_line"] == lines[1]);
    CHECK(names_file(e["free_file"], "heap_underflow.cpp"));
}

TEST_CASE("use_after_free_names_both_sites") {
    // show_reachable=1: every live block is listed, the C and C++ runtime's own among them.
    auto r = run_case("use_after_free", "show_reachable=1");
    INFO(r.describe());
    CHECK(r.proc.signal == 0);
    CHECK(r.status() == cases::kLeakExit);
    auto const lines = printed_lines(r.proc.out);
    REQUIRE(lines.size() == 2);
    CHECK(cases::lines_containing(r.proc.err, "error: use_after_free").size() == 1);
    REQUIRE(r.has_report);
    CHECK(summary(r.report, "leaked_blocks") == 0);
    // The quarantined block is not live: what is alive at exit is the runtime's alone.
    cases::check_only_runtime_blocks_alive(r, "use_after_free");
    const auto& errors = r.report["errors"];
    REQUIRE(errors.size() == 1);
    const auto& e = errors[0];
    CHECK(e["type"] == "use_after_free");
    CHECK(e["offset"] == 8); // p[2] of an int array
    CHECK(e["size"] == 16);
    CHECK(e["kind"] == "new[]");
    CHECK(e["alloc_line"] == lines[0]);
    CHECK(names_file(e["alloc_file"], "use_after_free.cpp"));
    CHECK(e["free_function"] == "main");
    CHECK(e["free_line"] == lines[1]);
    CHECK(!e.contains("free_form"));
}

TEST_CASE("use_after_free_not_seen_without_quarantine") {
    // Under AddressSanitizer (no interposition) the program's own bug is the sanitizer's to stop.
    if (!LEAKGUARD_CASES_INTERPOSE) return;
    auto r = run_case("use_after_free", "quarantine_bytes=0");
    INFO(r.describe());
    CHECK(r.proc.signal == 0);
    REQUIRE(r.has_report);
    CHECK(r.report["errors"].empty());
}

TEST_CASE("double_delete_and_double_free_then_thousands_of_allocations") {
    auto r = run_case("double_free_busy");
    INFO(r.describe());
    CHECK(r.proc.signal == 0);
    CHECK(r.status() == cases::kLeakExit);
    auto const lines = printed_lines(r.proc.out);
    REQUIRE(lines.size() == 2);
    CHECK(cases::lines_containing(r.proc.err, "error: double_free").size() == 2);
    REQUIRE(r.has_report);
    CHECK(summary(r.report, "leaked_blocks") == 0);
    CHECK(summary(r.report, "allocations") > 10000);
    const auto& errors = r.report["errors"];
    REQUIRE(errors.size() == 2);
    CHECK(errors[0]["type"] == "double_free");
    CHECK(errors[0]["free_form"] == "delete");
    CHECK(errors[0]["kind"] == "new");
    CHECK(errors[0]["first_free_function"].get<std::string>().find("drop") != std::string::npos);
    CHECK(errors[1]["type"] == "double_free");
    CHECK(errors[1]["free_form"] == "free");
    CHECK(errors[1]["kind"] == "malloc");
    CHECK(errors[1]["size"] == 32);
    CHECK(errors[1]["first_free_line"] == lines[0]);
    CHECK(errors[1]["free_line"] == lines[1]);
    CHECK(names_file(errors[1]["first_free_file"], "double_free_busy.cpp"));
}

TEST_CASE("check_heap_finds_an_overflow_on_a_live_block") {
    auto r = run_case("check_heap_live");
    INFO(r.describe());
    CHECK(r.proc.signal == 0);
    CHECK(r.status() == cases::kLeakExit);
    CHECK(r.proc.out == "check_heap_live: 1 0 1\n");
    CHECK(cases::lines_containing(r.proc.err, "error: heap_overflow").size() == 1);
    REQUIRE(r.has_report);
    const auto& errors = r.report["errors"];
    REQUIRE(errors.size() == 1);
    const auto& e = errors[0];
    CHECK(e["type"] == "heap_overflow");
    CHECK(e["offset"] == 2);
    CHECK(e["size"] == 16);
    CHECK(e["alloc_function"] == "main");
    CHECK(!e.contains("free_line")); // found by the check, not at a release
}

TEST_CASE("break_on_alloc_raises_sigtrap_at_that_allocation") {
    auto r = run_case("break_on_alloc");
    INFO(r.describe());
    CHECK(r.proc.signal == 0);
    CHECK(r.status() == 0);
    auto const at = r.proc.out.find("break_on_alloc: ");
    REQUIRE(at != std::string::npos);
    std::istringstream in(r.proc.out.substr(at + 16));
    unsigned long long seq = 0;
    int before = -1, after = -1;
    in >> seq >> before >> after;
    CHECK(seq > 0);
    CHECK(before == 0);
    CHECK(after == 1);
    REQUIRE(r.has_report);
    CHECK(r.report["errors"].empty());
}
