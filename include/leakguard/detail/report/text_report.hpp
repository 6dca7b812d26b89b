// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// report/text_report.hpp: the report for people, on the report stream - a summary line, the leak
// groups (report=full) and the counts of failed scopes and heap errors.
#ifndef LEAKGUARD_DETAIL_REPORT_TEXT_REPORT_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REPORT_TEXT_REPORT_HPP_INCLUDED

#include <cstddef> // std::size_t
#include <cstdint> // std::uint64_t

#include "../../api.hpp"
#include "../core/options.hpp"
#include "../core/platform.hpp"
#include "../core/text.hpp"
#include "baseline.hpp"
#include "collect.hpp"
#include "group_text.hpp"
#include "leak_groups.hpp"
#include "loss_records.hpp"

namespace leakguard {
namespace detail {

// What a report found; decides the exit status.
struct report_outcome {
    std::size_t leaked_blocks; // of the failing kinds (leak_kinds)
    std::size_t failed_scopes;
    std::uint64_t errors;
};

// The blocks of the failing kinds (and unjudged ones) the groups hold: fewer than the check
// counted when memory ran out while they were copied or grouped.
inline std::size_t listed_failing_blocks(const grouped_leaks& leaks) noexcept {
    std::size_t n = 0;
    for (std::size_t g = 0; g < leaks.group_count(); ++g) {
        leak_kind const k = leaks.lead(leaks.groups()[g]).loss;
        if (failing_kind(k)) n += leaks.groups()[g].count;
    }
    return n;
}

// "B bytes in N blocks", for the summary lines.
inline void format_amount(char* out, std::size_t size, std::size_t bytes, std::size_t blocks) noexcept {
    std::snprintf(out, size, "%zu %s in %zu %s", bytes, plural(bytes, "byte", "bytes"), blocks,
                  plural(blocks, "block", "blocks"));
}

// `when` is "at exit" or "now". `totals`: the leak check's counts per kind; `failing`: those of
// the kinds that fail the run.
inline void write_text_report(fd_writer& out, const char* when, const grouped_leaks& leaks, const loss_records& records,
                              const statistics& st, const reach_totals& totals, const block_totals& failing,
                              const baseline_totals& known, const report_outcome& outcome) noexcept {
    unsigned const reachable = static_cast<unsigned>(leak_kind::reachable);
    char amount[96];
    // ", N bytes in M blocks suppressed" (docs/suppressions.md), after what the line counts.
    char suppressed[128] = "";
    if (totals.suppressed_blocks) {
        format_amount(amount, sizeof amount, totals.suppressed_bytes, totals.suppressed_blocks);
        std::snprintf(suppressed, sizeof suppressed, ", %s suppressed", amount);
    }
    if (!totals.complete) { // what the check could not judge fails the run; it is not called lost
        format_amount(amount, sizeof amount, totals.bytes[0], totals.blocks[0]);
        out.printf("leakguard: report incomplete: memory ran out during the leak check; %s alive %s could not "
                   "be judged and count as leaks%s (%llu allocations, %llu frees, peak %llu bytes)\n",
                   amount, when, suppressed, static_cast<unsigned long long>(st.allocations),
                   static_cast<unsigned long long>(st.frees), static_cast<unsigned long long>(st.peak_bytes));
    } else if (failing.blocks == 0) {
        char still[128] = "";
        if (totals.blocks[reachable]) {
            format_amount(amount, sizeof amount, totals.bytes[reachable], totals.blocks[reachable]);
            std::snprintf(still, sizeof still, ", %s still reachable", amount);
        }
        out.printf("leakguard: no leaks %s%s%s (%llu allocations, %llu frees, peak %llu bytes)\n", when, still,
                   suppressed, static_cast<unsigned long long>(st.allocations),
                   static_cast<unsigned long long>(st.frees), static_cast<unsigned long long>(st.peak_bytes));
    } else {
        std::size_t sites = 0;
        for (std::size_t g = 0; g < leaks.group_count(); ++g)
            if (failing_kind(leaks.lead(leaks.groups()[g]).loss)) ++sites;
        format_amount(amount, sizeof amount, failing.bytes, failing.blocks);
        out.printf("leakguard: %s lost %s, from %zu allocation %s%s "
                   "(%llu allocations, %llu frees, peak %llu bytes)\n",
                   amount, when, sites, plural(sites, "site", "sites"), suppressed,
                   static_cast<unsigned long long>(st.allocations), static_cast<unsigned long long>(st.frees),
                   static_cast<unsigned long long>(st.peak_bytes));
    }
    // The four kinds, once anything is lost (a run that lost nothing keeps its one line).
    std::size_t lost = 0;
    for (unsigned k = 1; k <= 3; ++k) lost += totals.blocks[k];
    if (lost) {
        out.printf("leakguard: LEAK SUMMARY:");
        for (unsigned k = 1; k <= 4; ++k) {
            format_amount(amount, sizeof amount, totals.bytes[k], totals.blocks[k]);
            // group_text's words for the kind, without their leading space
            out.printf("%s %s: %s", k > 1 ? ";" : "", loss_phrase(static_cast<leak_kind>(k)) + 1, amount);
        }
        if (totals.suppressed_blocks) {
            format_amount(amount, sizeof amount, totals.suppressed_bytes, totals.suppressed_blocks);
            out.printf("; suppressed: %s", amount);
        }
        out.printf("\n");
    }
    if (known.file) {
        format_amount(amount, sizeof amount, known.known_bytes, known.known_blocks);
        out.printf("leakguard: baseline %s: %zu of %zu loss %s known (%s), %zu new\n", known.file->path,
                   known.known_records, known.known_records + known.new_records,
                   plural(known.known_records + known.new_records, "record", "records"), amount, known.new_records);
    }
    if (totals.unpaused_threads)
        out.printf("leakguard: warning: %zu %s did not stop for the leak check (blocking its signal?); "
                   "what only %s stack holds may be reported lost\n",
                   totals.unpaused_threads, plural(totals.unpaused_threads, "thread", "threads"),
                   totals.unpaused_threads == 1 ? "its" : "their");
    if (g_options.report == report_mode::full) {
        write_groups(out, leaks, report_layout, nullptr, &records);
        std::size_t const missing = failing.blocks - listed_failing_blocks(leaks);
        if (missing)
            out.printf("leakguard: report incomplete: %zu %s not listed (memory ran out)\n", missing,
                       plural(missing, "block", "blocks"));
    }
    if (outcome.failed_scopes)
        out.printf("leakguard: %zu %s failed (see above)\n", outcome.failed_scopes,
                   plural(outcome.failed_scopes, "scope", "scopes"));
    if (outcome.errors)
        out.printf("leakguard: %llu heap %s (see above)\n", static_cast<unsigned long long>(outcome.errors),
                   plural(static_cast<std::size_t>(outcome.errors), "error", "errors"));
}

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_REPORT_TEXT_REPORT_HPP_INCLUDED
