// The cross-check of a case with valgrind, kind by kind: the tracked build under leakguard
// (show_reachable=1, stack_depth=12) against the plain build under valgrind memcheck
// (--leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=definite,possible).
//  - definitely, indirectly and possibly lost: equal over the whole process, blocks and bytes;
//  - every kind, counting only the blocks the program's own source file allocated (the first
//    frame above the allocator is in it): equal, and equal to what the case says it builds. Still
//    reachable is compared only that way, since the C and C++ libraries' own blocks differ between
//    the two runs (under valgrind the C library frees some of its memory at exit);
//  - leakguard's exit status: 23 when valgrind finds lost blocks, else the program's own.
// valgrind's loss records whose stack holds _dl_allocate_tls are left out of its side (and only
// those): the DTV of a thread still running at exit, which ld.so allocates and the thread control
// block points into (past its length word), is "possibly lost" for valgrind, while leakguard
// counts every block the dynamic loader allocated as still reachable, on purpose (LeakSanitizer's
// rule, docs/leak-kinds.md). The exit status follows: the program's own when only those are lost.
// Skipped (CASES_SKIP) when valgrind is not on PATH.
#ifndef LEAKGUARD_CASES_CROSS_CHECK_HPP
#define LEAKGUARD_CASES_CROSS_CHECK_HPP

#include <string>
#include <vector>

#include "case_run.hpp"
#include "valgrind_run.hpp"

namespace cases {

// The options of the tracked run: every kind listed, stacks deep enough for the site's frame.
extern const char* const kReachOptions;

struct expectation {
    std::string source;   // the program's own file ("reach_tree.cpp"); empty: no per-file comparison
    bool has_own = false; // whether `own` says what the program's own blocks are
    by_kind own;          // per kind, the blocks allocated in `source` (the case's design)
    std::string out;      // what stdout starts with, in both runs ("" = anything)
    std::string group;    // a piece of one of leakguard's text group lines ("" = none)
    // Compare the lost kinds only in total (definite + indirect + possible), for programs whose
    // large blocks are a target for stray integers under valgrind: its heap sits at low addresses
    // (0x4000000 and up), where words of the C library's .bss that are not pointers (measured with
    // vgdb's who_points_at: an odd value, different in each run) can land inside a 1 MiB block and
    // turn it "possibly lost" in some runs of the plain build.
    bool lost_kinds_together = false;
};

struct cross_check_result {
    bool ran = false; // false: skipped, or a REQUIRE failed before the comparison
    case_result tracked;
    valgrind_run plain;
    by_kind leakguard; // leakguard's totals per kind
};

// Checks leakguard's JSON and text report of one run against themselves: every kind present,
// leaked_* = the lost kinds, the listed leaks (all kinds, with show_reachable=1) summing to the
// totals, the first line and the LEAK SUMMARY line agreeing with the JSON.
void check_report_consistency(const case_result& tracked);

cross_check_result cross_check_with_valgrind(const std::string& name, const expectation& want,
                                             const std::vector<std::string>& args = {});

} // namespace cases

#endif
