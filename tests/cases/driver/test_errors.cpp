// Heap errors: a double delete is detected and survived, recorded in the JSON, and fails the run.
#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

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

TEST_CASE("alloc_dealloc_mismatch_names_both_sites") {
    auto r = run_case("mismatch");
    INFO(r.describe());
    CHECK(r.proc.signal == 0);
    CHECK(r.status() == cases::kLeakExit);
    auto const at = r.proc.out.find("lines");
    REQUIRE(at != std::string::npos);
    std::istringstream in(r.proc.out.substr(at + 5));
    std::vector<int> lines;
    for (int n = 0; in >> n;) lines.push_back(n);
    REQUIRE(lines.size() == 6);
    CHECK(cases::lines_containing(r.proc.err, "error: alloc_dealloc_mismatch").size() == 3);
    REQUIRE(r.has_report);
    CHECK(summary(r.report, "leaked_blocks") == 0); // released all the same
    const auto& errors = r.report["errors"];
    REQUIRE(errors.size() == 3);
    const char* kinds[] = {"new[]", "new", "malloc"};
    const char* forms[] = {"delete", "free", "delete"};
    for (int i = 0; i < 3; ++i) {
        INFO(errors[i].dump());
        CHECK(errors[i]["type"] == "alloc_dealloc_mismatch");
        CHECK(errors[i]["kind"] == kinds[i]);
        CHECK(errors[i]["free_form"] == forms[i]);
        CHECK(errors[i]["alloc_line"] == lines[2 * i]);
        CHECK(errors[i]["free_line"] == lines[2 * i + 1]);
        CHECK(errors[i]["alloc_function"] == "main");
        REQUIRE(errors[i]["alloc_file"].is_string());
        CHECK(errors[i]["alloc_file"].get<std::string>().find("mismatch.cpp") != std::string::npos);
    }
    CHECK(errors[0]["size"] == 16);
    CHECK(errors[2]["size"] == 10);
}

// A heap error reported while the thread holds the symbolizer's lock (naming_reentry.cpp): printed
// with addresses, no wait on the lock, the program goes on and the exit report names it.
TEST_CASE("naming_reentry: an error found inside the symbolizer is reported without waiting on it") {
    auto r = cases::run_case("naming_reentry", "", {}, 20);
    INFO(r.describe());
    CHECK(!r.proc.timed_out);
    CHECK(r.proc.out.find("went on") != std::string::npos);
    CHECK(r.status() == cases::kLeakExit);
    CHECK(r.proc.err.find("leakguard: error: double_free") != std::string::npos);
    REQUIRE(r.has_report);
    REQUIRE(r.report["errors"].size() == 1);
    CHECK(r.report["errors"][0]["type"] == "double_free");
}
