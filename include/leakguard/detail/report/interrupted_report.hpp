// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// report/interrupted_report.hpp: the exit report on a thread that was stopped inside leakguard or
// inside the C library's allocator - exit() called from a signal handler that interrupted an
// allocation or a free. That thread holds a lock, or is halfway through changing a list, or holds
// malloc's own lock, and it will never run again: the full report would wait for it for ever (or
// read a list in the middle of a change). This one takes no lock it could wait on, calls no
// malloc and walks no list: the counters, with every live block said to be not judged, and the
// JSON report with what is certain. The blocks it could not judge do not fail the run - where
// the signal lands is chance, and a run's verdict must not be (docs/limits.md).
#ifndef LEAKGUARD_DETAIL_REPORT_INTERRUPTED_REPORT_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REPORT_INTERRUPTED_REPORT_HPP_INCLUDED

#include <unistd.h> // close

#include "../core/inside_marks.hpp"
#include "../core/options.hpp"
#include "../core/platform.hpp"
#include "../core/report_stream.hpp"
#include "../heap/errors.hpp"
#include "../heap/registry.hpp"
#include "baseline.hpp"
#include "failures.hpp"
#include "json_report.hpp"
#include "stats.hpp"
#include "text_report.hpp"

namespace leakguard {
namespace detail {

// Whether the current thread was stopped inside leakguard: a lock or list section of its own, the C
// library's allocator (core/inside_marks.hpp), or its home shard's owner section - told by the
// shard's own flag, which only its owner sets, so the hot paths carry no mark of their own.
inline bool interrupted_in_tracker() noexcept {
    const shard* const home = t_state.home;
    return interrupted_inside() || (home && home->owner_busy.load(std::memory_order_relaxed) != 0);
}

inline std::size_t failure_count_without_waiting() noexcept {
    if (!g_failures.lock.try_lock()) return __atomic_load_n(&g_failures.count, __ATOMIC_RELAXED);
    std::size_t const n = g_failures.count;
    g_failures.lock.unlock();
    return n;
}

inline report_outcome write_interrupted_report(const char* when) noexcept {
    statistics const st = current_stats(false);
    reach_totals totals = {{0, 0, 0, 0, 0}, {0, 0, 0, 0, 0}, 0, false, 0, 0};
    totals.blocks[0] = static_cast<std::size_t>(st.live_blocks);
    totals.bytes[0] = static_cast<std::size_t>(st.live_bytes);
    report_outcome const outcome = {0, failure_count_without_waiting(), g_errors.count.load(std::memory_order_relaxed)};
    if (g_options.report != report_mode::off) {
        fd_writer out(report_fd_without_waiting());
        char amount[96];
        format_amount(amount, sizeof amount, totals.bytes[0], totals.blocks[0]);
        out.printf("leakguard: report incomplete: exit() ran on a thread stopped inside leakguard or malloc (a "
                   "signal handler's?), so the heap was not walked; %s alive %s were not judged (%llu "
                   "allocations, %llu frees, peak %llu bytes)\n",
                   amount, when, static_cast<unsigned long long>(st.allocations),
                   static_cast<unsigned long long>(st.frees), static_cast<unsigned long long>(st.peak_bytes));
        if (outcome.failed_scopes || outcome.errors)
            out.printf("leakguard: %zu failed %s and %llu heap %s recorded before (listed only in a full report)\n",
                       outcome.failed_scopes, plural(outcome.failed_scopes, "scope", "scopes"),
                       static_cast<unsigned long long>(outcome.errors), plural(outcome.errors, "error", "errors"));
    }
    if (g_options.json_path[0]) {
        int const fd = open_for_writing(g_options.json_path);
        if (fd >= 0) {
            {
                fd_writer out(fd);
                json_writer json(out);
                begin_json_document(json);
                block_totals const failing = {0, 0};
                baseline_totals const known = baseline_totals();
                write_json_summary(json, st, totals, failing, known, "interrupted");
                json.new_line();
                json.key("leaks");
                json.begin_array();
                json.end_array();
                json.new_line();
                json.key("records");
                json.begin_array();
                json.end_array();
                write_json_failures_and_errors(json, false);
            }
            ::close(fd);
        }
    }
    return outcome;
}

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_REPORT_INTERRUPTED_REPORT_HPP_INCLUDED
