// The allocation operators themselves: alignment, every form paired with its deallocation, and
// the failure paths (new_handler, bad_alloc, nothrow, sizes near SIZE_MAX, size 0, delete null).
#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <vector>

#include "case_run.hpp"
#include "runtime_blocks.hpp"

using cases::run_case;
using cases::summary;

TEST_CASE("aligned_blocks_are_aligned_and_tracked") {
    // The one block kept (by a function-local static) is still reachable: listed with
    // show_reachable=1, it does not fail the run, so the program's own status says whether every
    // pointer was aligned.
    auto r = run_case("aligned", "show_reachable=1");
    INFO(r.describe());
    CHECK(r.status() == 0);
    CHECK(r.proc.out == "aligned: 0 misaligned\n");
    REQUIRE(r.has_report);
    CHECK(summary(r.report, "leaked_blocks") == 0);
    std::vector<nlohmann::json> kept;
    for (const auto& leak : r.report["leaks"])
        if (leak["kind"] == "new(align)") kept.push_back(leak);
    REQUIRE(kept.size() == 1);
    const auto& leak = kept[0];
    CHECK(leak["loss"] == "reachable");
    CHECK(leak["size"] == 64);
    unsigned long long const address = std::strtoull(leak["address"].get<std::string>().c_str(), nullptr, 16);
    CHECK(address % 64 == 0);
}

TEST_CASE("every_operator_form_paired") {
    // show_reachable=1: every block alive at exit listed (the C and C++ runtime's own only).
    auto r = run_case("operators", "show_reachable=1");
    INFO(r.describe());
    CHECK(r.status() == 0);
    CHECK(cases::lines_containing(r.proc.out, "FAILED").empty());
    int calls = -1, failures = -1;
    long long allocations = -1, frees = -1;
    REQUIRE(std::sscanf(r.proc.out.substr(r.proc.out.find("calls=")).c_str(),
                        "calls=%d failures=%d allocations=%lld frees=%lld", &calls, &failures, &allocations,
                        &frees) == 4);
    CHECK(calls == 18);
    CHECK(failures == 0);
    // stats() over the 18 pairs, as the program counted them.
    CHECK(allocations == calls);
    CHECK(frees == calls);
    REQUIRE(r.has_report);
    CHECK(summary(r.report, "allocations") >= calls);
    CHECK(summary(r.report, "frees") >= calls);
    CHECK(summary(r.report, "leaked_blocks") == 0);
    cases::check_only_runtime_blocks_alive(r, "operators");
    CHECK(r.report["errors"].empty());
}

TEST_CASE("new_handler_bad_alloc_and_edge_sizes") {
    auto r = run_case("new_handler", "show_reachable=1");
    INFO(r.describe());
    CHECK(r.status() == 0);
    CHECK(cases::lines_containing(r.proc.out, "FAILED").empty());
    CHECK(cases::lines_containing(r.proc.out, "new_handler: failures=0").size() == 1);
    REQUIRE(r.has_report);
    CHECK(summary(r.report, "leaked_blocks") == 0);
    cases::check_only_runtime_blocks_alive(r, "new_handler"); // no failure path kept a block
    CHECK(r.report["errors"].empty());                        // deleting null is no invalid_free
}
