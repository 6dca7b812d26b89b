// Reachability, valgrind's four kinds: each reach_* program builds one structure for one rule
// (its comment says which, and what it must come to), and the tracked build's report must agree
// with valgrind's on the plain build, kind by kind (cross_check.hpp). The test names hold
// "valgrind" so that the sanitizer presets, which cannot run it, leave them out. Below them, the
// rules valgrind has no counterpart for (ignore(), root regions, the check API), leakguard alone.
#include <doctest/doctest.h>

#include "cross_check.hpp"

using cases::amount;
using cases::by_kind;
using cases::cross_check_with_valgrind;
using cases::expectation;

namespace {

// What program NAME (source NAME.cpp, printing "NAME: done") builds: `own` per kind.
expectation design(const std::string& name, amount definite, amount indirect, amount possible, amount reachable,
                   const std::string& group = "") {
    expectation want;
    want.source = name + ".cpp";
    want.has_own = true;
    want.own.definite = definite;
    want.own.indirect = indirect;
    want.own.possible = possible;
    want.own.reachable = reachable;
    want.out = name + ": done\n";
    want.group = group;
    return want;
}

constexpr amount none{0, 0};

// Only reachable blocks of the program's own.
void reachable_only(const std::string& name, amount reachable) {
    cross_check_with_valgrind(name, design(name, none, none, none, reachable));
}

} // namespace

// Still reachable through start pointers from the roots.
TEST_CASE("valgrind_reach_global") { reachable_only("reach_global", {2, 48}); }
TEST_CASE("valgrind_reach_local_static") { reachable_only("reach_local_static", {3, 72}); }
TEST_CASE("valgrind_reach_malloc_struct") {
    cross_check_with_valgrind("reach_malloc_struct", design("reach_malloc_struct", {1, 16}, {1, 24}, none, {2, 40},
                                                            "(16 direct, 24 indirect) bytes in 1 block"));
}
TEST_CASE("valgrind_reach_tls_static") { reachable_only("reach_tls_static", {2, 48}); }
TEST_CASE("valgrind_reach_tls_dynamic") { reachable_only("reach_tls_dynamic", {2, 48}); }
TEST_CASE("valgrind_reach_tls_specific") { reachable_only("reach_tls_specific", {4, 96}); }
TEST_CASE("valgrind_reach_thread_stack") { reachable_only("reach_thread_stack", {2, 48}); }
TEST_CASE("valgrind_reach_thread_registers") { reachable_only("reach_thread_registers", {2, 48}); }

// Lost structures: one definitely lost block holding the rest (valgrind's clique leaders).
TEST_CASE("valgrind_reach_tree") {
    cross_check_with_valgrind("reach_tree", design("reach_tree", {1, 24}, {6, 144}, none, none,
                                                   "(24 direct, 144 indirect) bytes in 1 block"));
}
TEST_CASE("valgrind_reach_cycle") {
    cross_check_with_valgrind("reach_cycle", design("reach_cycle", {1, 24}, {3, 72}, none, none,
                                                    "(24 direct, 72 indirect) bytes in 1 block"));
}
TEST_CASE("valgrind_reach_linked_cycles") {
    cross_check_with_valgrind("reach_linked_cycles", design("reach_linked_cycles", {1, 24}, {5, 120}, none, none,
                                                            "(24 direct, 120 indirect) bytes in 1 block"));
}
TEST_CASE("valgrind_reach_misaligned") {
    cross_check_with_valgrind("reach_misaligned", design("reach_misaligned", {1, 24}, none, none, none));
}

// Interior pointers: reachable under each of valgrind's heuristics, possibly lost without one.
TEST_CASE("valgrind_reach_stdstring") { reachable_only("reach_stdstring", {1, 64}); }
TEST_CASE("valgrind_reach_length64") { reachable_only("reach_length64", {1, 48}); }
TEST_CASE("valgrind_reach_newarray") { reachable_only("reach_newarray", {1, 56}); }
TEST_CASE("valgrind_reach_multiple_inheritance") { reachable_only("reach_multiple_inheritance", {1, 40}); }
TEST_CASE("valgrind_reach_interior") {
    cross_check_with_valgrind("reach_interior", design("reach_interior", none, none, {1, 64}, none));
}
TEST_CASE("valgrind_reach_possible_chain") {
    cross_check_with_valgrind("reach_possible_chain", design("reach_possible_chain", none, none, {2, 88}, none));
}

// Real programs whose memory is only still reachable at exit: the run keeps their status, 0.
namespace {
void check_reachable_only_run(const cases::cross_check_result& r) {
    if (!r.ran) return;
    INFO(r.tracked.describe());
    CHECK(r.tracked.status() == 0);
    CHECK(r.leakguard.lost() == none);
    CHECK(r.plain.totals.lost() == none);
    CHECK(r.leakguard.reachable.blocks > 0); // the case is not vacuous: something is kept
}
} // namespace

TEST_CASE("valgrind_reach_gmock") {
    if (!LEAKGUARD_CASES_GMOCK) {
        CASES_SKIP("gmock (libgmock-dev) was not found when the build was configured");
        return;
    }
    expectation want;
    want.out = "[==========] Running 2 tests";
    auto r = cross_check_with_valgrind("reach_gmock", want);
    check_reachable_only_run(r);
    if (r.ran) CHECK(r.tracked.proc.out.find("[  PASSED  ] 2 tests.") != std::string::npos);
}

TEST_CASE("valgrind_reach_locale") {
    expectation want;
    want.out = "reach_locale: ";
    auto r = cross_check_with_valgrind("reach_locale", want);
    check_reachable_only_run(r);
}

// leakguard alone.
TEST_CASE("reach_ignored_block_and_what_it_holds_are_not_reported") {
    // The twin structure, not ignored, is lost as usual (64 definite holding 80 indirect).
    by_kind want;
    want.definite = {1, 64};
    want.indirect = {1, 80};
    // Default listing (the lost kinds): neither the ignored 32-byte block nor the 48 bytes only it
    // holds is there.
    auto r = cases::run_case("reach_ignored");
    INFO(r.describe());
    CHECK(r.proc.out == "reach_ignored: done\n");
    CHECK(r.status() == cases::kLeakExit);
    REQUIRE(r.has_report);
    CHECK(cases::leakguard_allocated_in(r.report, "reach_ignored.cpp") == want);
    // With show_reachable=1 the ignored block is still in no kind; what it holds is not lost
    // (LeakSanitizer's rule: an ignored block is a root), so at most listed as still reachable.
    auto all = cases::run_case("reach_ignored", cases::kReachOptions);
    INFO(all.describe());
    cases::check_report_consistency(all);
    by_kind mine = cases::leakguard_allocated_in(all.report, "reach_ignored.cpp");
    CHECK((mine.reachable == amount{0, 0} || mine.reachable == amount{1, 48}));
    mine.reachable = {0, 0};
    CHECK(mine == want);
    for (const auto& leak : all.report["leaks"]) CHECK(leak["size"] != 32);
}

TEST_CASE("reach_root_region_registered_and_unregistered") {
    auto r = cases::run_case("reach_root_region", cases::kReachOptions);
    INFO(r.describe());
    CHECK(r.proc.out == "reach_root_region: done\n");
    cases::check_report_consistency(r);
    CHECK(r.status() == cases::kLeakExit);
    by_kind want;
    want.reachable = {1, 32}; // held from the registered mapping
    want.definite = {1, 40};  // held from the mapping registered, then unregistered
    CHECK(cases::leakguard_allocated_in(r.report, "reach_root_region.cpp") == want);
}

TEST_CASE("reach_check_api_classifies_mid_run_and_changes_nothing") {
    auto r = cases::run_case("reach_check_api", cases::kReachOptions);
    INFO(r.describe());
    CHECK(r.proc.out == "check: definite 1 24 indirect 2 48 possible 0 0 leaked 3 72 report_now 3\n"
                        "after: definite 0 0 indirect 0 0 possible 0 0 leaked 0 0\n");
    // report_now() printed the lost tree mid-run ...
    CHECK(!cases::lines_containing(r.proc.err, "(24 direct, 48 indirect) bytes in 1 block").empty());
    // ... and left the exit status alone: the tree was freed, nothing is lost at exit.
    CHECK(r.status() == 0);
    CHECK(!cases::lines_containing(r.proc.err, "leakguard: no leaks at exit").empty());
    REQUIRE(r.has_report);
    CHECK(cases::leakguard_totals(r.report).lost() == none);
    CHECK(cases::summary(r.report, "leaked_blocks") == 0);
}
