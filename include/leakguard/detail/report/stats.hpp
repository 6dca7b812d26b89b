// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// report/stats.hpp: totals, summed over the shards.
#ifndef LEAKGUARD_DETAIL_REPORT_STATS_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REPORT_STATS_HPP_INCLUDED

#include "../../api.hpp"
#include "../heap/registry.hpp"

namespace leakguard {
namespace detail {

// `wait`: false on a thread that may hold a shard itself (report/interrupted_report.hpp): the
// counters are then read without the shards' locks, a moment's sums of a running process.
inline statistics current_stats(bool wait = true) noexcept {
    statistics st = {0, 0, 0, 0, 0};
    std::int64_t live_blocks = 0, live_bytes = 0, shard_peak = 0;
    std::uint32_t const n = g_registry.shard_count.load(std::memory_order_acquire);
    for (std::uint32_t i = 0; i < n; ++i) {
        shard* s = g_registry.shards[i];
        if (wait) lock_shard(s);
        std::uint64_t const allocations = __atomic_load_n(&s->allocations, __ATOMIC_RELAXED);
        std::uint64_t const frees = __atomic_load_n(&s->frees, __ATOMIC_RELAXED);
        std::int64_t const peak = __atomic_load_n(&s->peak_bytes, __ATOMIC_RELAXED);
        st.allocations += allocations;
        st.frees += frees;
        live_blocks += static_cast<std::int64_t>(allocations - frees);
        live_bytes += __atomic_load_n(&s->live_bytes, __ATOMIC_RELAXED);
        if (peak > shard_peak) shard_peak = peak;
        if (wait) unlock_shard(s);
    }
    st.live_blocks = live_blocks > 0 ? static_cast<std::uint64_t>(live_blocks) : 0;
    st.live_bytes = live_bytes > 0 ? static_cast<std::uint64_t>(live_bytes) : 0;
    // The best lower bound at hand: exact while one thread has allocated (see account_bytes).
    std::int64_t peak = g_registry.peak_bytes.load(std::memory_order_relaxed);
    if (shard_peak > peak) peak = shard_peak;
    if (live_bytes > peak) peak = live_bytes;
    st.peak_bytes = static_cast<std::uint64_t>(peak);
    return st;
}

} // namespace detail
} // namespace leakguard

#endif
