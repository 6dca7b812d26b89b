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
#include "group_text.hpp"
#include "leak_groups.hpp"

namespace leakguard {
namespace detail {

// What a report found; decides the exit status.
struct report_outcome {
    std::size_t leaked_blocks;
    std::size_t failed_scopes;
    std::uint64_t errors;
};

// `when` is "at exit" or "now".
inline void write_text_report(fd_writer& out, const char* when, const grouped_leaks& leaks, const statistics& st,
                              const report_outcome& outcome) noexcept {
    const block_list& list = leaks.blocks();
    std::size_t const sites = leaks.group_count();
    if (list.count == 0)
        out.printf("leakguard: no leaks %s (%llu allocations, %llu frees, peak %llu bytes)\n", when,
                   static_cast<unsigned long long>(st.allocations), static_cast<unsigned long long>(st.frees),
                   static_cast<unsigned long long>(st.peak_bytes));
    else
        out.printf("leakguard: %zu %s in %zu %s still alive %s, from %zu allocation %s "
                   "(%llu allocations, %llu frees, peak %llu bytes)\n",
                   list.bytes, plural(list.bytes, "byte", "bytes"), list.count, plural(list.count, "block", "blocks"),
                   when, sites, plural(sites, "site", "sites"), static_cast<unsigned long long>(st.allocations),
                   static_cast<unsigned long long>(st.frees), static_cast<unsigned long long>(st.peak_bytes));
    if (g_options.report == report_mode::full) write_groups(out, leaks, report_layout);
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
