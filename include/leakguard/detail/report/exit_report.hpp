// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// report/exit_report.hpp: the whole leak report - live blocks grouped by allocation site, largest
// first - as text to the report stream and as JSON to json_path; at exit or on request. Runs with
// tracking suspended and allocates only raw memory. The SARIF log (sarif_path) is written here too.
#ifndef LEAKGUARD_DETAIL_REPORT_EXIT_REPORT_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REPORT_EXIT_REPORT_HPP_INCLUDED

#include <unistd.h> // close

#include "../core/options.hpp"
#include "../core/platform.hpp"
#include "../core/report_stream.hpp"
#include "../heap/errors.hpp"
#include "../reach/exit_frames.hpp"
#include "baseline.hpp"
#include "collect.hpp"
#include "failures.hpp"
#include "json_report.hpp"
#include "leak_groups.hpp"
#include "loss_records.hpp"
#include "sarif_report.hpp"
#include "stats.hpp"
#include "suppressions.hpp"
#include "text_report.hpp"

namespace leakguard {
namespace detail {

// The report: a leak check, text to the report stream (as `report` says) and JSON to json_path.
// `when` is "at exit" or "now". `caller`: the calling thread's roots (reach/leak_check.hpp); at
// exit (null) only where the exiting thread's stack still matters (reach/exit_frames.hpp).
inline report_outcome write_report(const char* when, const caller_context* caller) noexcept {
    caller_context self = {};
    if (caller) self = *caller;
    else self.sp = exit_scan_start();
    if (self.sp == 0) { // the program called exit() itself: every frame from here up is live
        volatile char anchor = 0;
        self.sp = reinterpret_cast<std::uintptr_t>(&anchor);
    }
    reach_totals totals;
    block_list checked = collect_checked(self, totals);
    suppress_checked(checked, totals); // suppressed blocks are counted apart, and not listed
    // The records name every distinct stack: only for a report that prints them or a baseline.
    bool const text_groups = g_options.report == report_mode::full;
    bool const baselines = current_baseline() || g_options.write_baseline[0];
    // Grouping names each stack's site: not for a report that shows no group (report=off and no
    // file), which then reads no debug information at all.
    bool const grouped = g_options.report != report_mode::off || g_options.json_path[0] || sarif_wanted() || baselines;
    if (!grouped) {
        raw_free(checked.items);
        checked = block_list{nullptr, 0, 0};
    }
    grouped_leaks const leaks(checked);
    block_totals const failing = failing_totals(totals);
    statistics const st = current_stats();
    loss_records records(leaks, leaks.group_count() > 0 &&
                                    (text_groups || g_options.json_path[0] || sarif_wanted() || baselines));
    baseline_totals const known = apply_baseline(records, leaks);
    // Records the baseline knows do not fail the run.
    report_outcome const outcome = {failing.blocks - known.known_blocks, failure_count(),
                                    g_errors.count.load(std::memory_order_relaxed)};

    if (g_options.report != report_mode::off) {
        fd_writer out(report_fd());
        write_text_report(out, when, leaks, records, st, totals, failing, known, outcome);
        write_suppressions_used(out);
        write_debug_notes(out);
    }
    if (g_options.write_baseline[0]) write_baseline_file(g_options.write_baseline, records, leaks);
    if (g_options.json_path[0]) {
        int const fd = open_for_writing(g_options.json_path);
        if (fd < 0) {
            fd_writer err(report_fd());
            err.printf("leakguard: warning: cannot write json_path '%s'\n", g_options.json_path);
        } else {
            {
                fd_writer out(fd);
                write_json(out, leaks, records, st, totals, failing, known);
            }
            ::close(fd);
        }
    }
    write_sarif_report(leaks, records);
    return outcome;
}

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_REPORT_EXIT_REPORT_HPP_INCLUDED
