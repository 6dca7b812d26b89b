// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// runtime/snapshot_functions.hpp: the public functions of snapshot.hpp.
#ifndef LEAKGUARD_DETAIL_RUNTIME_SNAPSHOT_FUNCTIONS_HPP_INCLUDED
#define LEAKGUARD_DETAIL_RUNTIME_SNAPSHOT_FUNCTIONS_HPP_INCLUDED

#include <cstdint> // std::uint64_t, UINT64_MAX
#include <cstdio>  // std::snprintf
#include <ctime>   // clock_gettime, CLOCK_MONOTONIC (POSIX, declared by <time.h> under it)

#include "../../snapshot.hpp"
#include "../heap/registry.hpp"
#include "../heap/startup.hpp"
#include "../report/leak_groups.hpp"
#include "../report/snapshot_report.hpp"
#include "../report/stats.hpp"

namespace leakguard {
namespace detail {

inline std::uint64_t monotonic_ns() noexcept {
    timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) return 0;
    return static_cast<std::uint64_t>(ts.tv_sec) * 1000000000u + static_cast<std::uint64_t>(ts.tv_nsec);
}

// The counters and the clock now, in a copy of `s`: no new epoch, since nothing is compared
// against this one's number (report_since and write_since_json bound nothing above).
inline snapshot counters_now(const snapshot& s) noexcept {
    snapshot now = s;
    statistics const st = current_stats();
    now.allocations = st.allocations;
    now.frees = st.frees;
    now.live_blocks = st.live_blocks;
    now.live_bytes = st.live_bytes;
    now.time_ns = monotonic_ns();
    return now;
}

// A snapshot, taken with tracking suspended. Its number is a scope's start number (begin_epoch):
// every thread drops its reserved numbers and takes fresh ones above it.
inline snapshot take_snapshot() noexcept {
    snapshot s = snapshot();
    s.seq = begin_epoch();
    return counters_now(s);
}

// The blocks with from.seq <= seq < to.seq alive now, grouped, the diff they make, and (`print`)
// the text of report_diff. `to` is a snapshot, or (report_since) one taken just now with its
// number left unbounded.
inline snapshot_diff between(const snapshot& from, const snapshot& to, std::uint64_t hi, const char* what,
                             bool print) noexcept {
    grouped_leaks const leaks(collect_between(from.seq, hi));
    snapshot_diff const d = diff_of(from, to, leaks);
    if (print) write_between_text(what, d, leaks);
    return d;
}

} // namespace detail

snapshot snapshot_now() noexcept {
    detail::ensure_initialised();
    detail::busy_section busy;
    return detail::take_snapshot();
}

std::size_t report_since(const snapshot& s) noexcept {
    detail::ensure_initialised();
    detail::busy_section busy;
    snapshot const now = detail::counters_now(s);
    char what[96];
    std::snprintf(what, sizeof what, "since the snapshot at #%llu (%.3f s ago)", static_cast<unsigned long long>(s.seq),
                  detail::seconds_between(s, now));
    return detail::between(s, now, UINT64_MAX, what, true).blocks;
}

snapshot_diff diff(const snapshot& a, const snapshot& b) noexcept {
    detail::ensure_initialised();
    detail::busy_section busy;
    const snapshot& from = a.seq <= b.seq ? a : b;
    const snapshot& to = a.seq <= b.seq ? b : a;
    return detail::between(from, to, to.seq, "", false);
}

snapshot_diff report_diff(const snapshot& a, const snapshot& b) noexcept {
    detail::ensure_initialised();
    detail::busy_section busy;
    const snapshot& from = a.seq <= b.seq ? a : b;
    const snapshot& to = a.seq <= b.seq ? b : a;
    char what[128];
    std::snprintf(what, sizeof what, "between the snapshots at #%llu and #%llu (%.3f s apart)",
                  static_cast<unsigned long long>(from.seq), static_cast<unsigned long long>(to.seq),
                  detail::seconds_between(from, to));
    return detail::between(from, to, to.seq, what, true);
}

bool write_since_json(const snapshot& s, const char* path) noexcept {
    detail::ensure_initialised();
    detail::busy_section busy;
    snapshot const now = detail::counters_now(s);
    detail::grouped_leaks const leaks(detail::collect_between(s.seq, UINT64_MAX));
    return detail::write_since_json_file(path, s, now, detail::diff_of(s, now, leaks), leaks);
}

} // namespace leakguard

#endif // LEAKGUARD_DETAIL_RUNTIME_SNAPSHOT_FUNCTIONS_HPP_INCLUDED
