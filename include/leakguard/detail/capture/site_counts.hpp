// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// capture/site_counts.hpp: the per-site counters of the monitor (docs/monitor.md) - for each
// allocation site (a block's `site`: its interned stack, a mapping macro's location or a return
// address) how many blocks were allocated and freed there, and the range of their sizes.
//
// Why counters here and the live counts elsewhere: what is alive at a site is exact at any moment
// from a walk of the shard lists (report/site_profile.hpp), which costs the hot path nothing; the
// allocations and frees of the past leave no trace there, so they are counted as they happen -
// only while counting is on (the monitor, the dump signal or write_profile() switched it on: a
// bit of the options' hot word sends the short paths through the counting branch). Measured in
// docs/performance.md ("The monitor").
//
// Design: records in one array in order of first sight (dense, so the monitor's per-site state
// beside it is dense too), found through an open-addressing index of record numbers keyed by the
// site pointer. Lock-free: a record number is claimed with a fetch_add, its key written, then the
// number published in an empty index slot with a compare-and-swap; the loser of a race for the
// same slot looks at the winner's key and probes on (or, same site, leaves its record a hole with
// a null key, which nobody reads). Records are never freed or moved, so a pointer to one stays
// good. Both arrays are mapped lazily (MAP_NORESERVE): only the pages touched cost memory.
// Full (site_capacity sites) or past max_site_probes: the block is counted in `overflow` only.
#ifndef LEAKGUARD_DETAIL_CAPTURE_SITE_COUNTS_HPP_INCLUDED
#define LEAKGUARD_DETAIL_CAPTURE_SITE_COUNTS_HPP_INCLUDED

#include <atomic>  // std::atomic
#include <cstddef> // std::size_t
#include <cstdint> // std::uint32_t, std::uint64_t, std::uintptr_t

#include "../config.hpp"
#include "../core/pages.hpp"

namespace leakguard {
namespace detail {

constexpr unsigned site_capacity_log2 = 18; // 262,144 sites
constexpr std::size_t site_capacity = std::size_t(1) << site_capacity_log2;
constexpr unsigned site_index_log2 = site_capacity_log2 + 1; // the index at most half full
constexpr std::size_t site_index_size = std::size_t(1) << site_index_log2;
constexpr unsigned max_site_probes = 64;

// What a site pointer is (the block's flags tell; the record keeps it for the report).
enum class site_kind : std::uint32_t { address, stack, location };
inline site_kind site_kind_of(unsigned flags, unsigned has_location, unsigned has_stack) noexcept {
    // A location given to a block that had a stack replaces it, and the stack flag stays.
    return (flags & has_location) ? site_kind::location : (flags & has_stack) ? site_kind::stack : site_kind::address;
}

// One site's counters, a cache line of its own: two threads counting at two sites do not share it.
struct alignas(64) site_counter {
    std::atomic<const void*> key;           // the blocks' `site`; null: a hole (see above)
    std::atomic<site_kind> kind;            // written before the record is published
    std::atomic<std::uint64_t> allocations; // counted while counting was on
    std::atomic<std::uint64_t> frees;
    std::atomic<std::uint64_t> size_max;     // the largest block counted
    std::atomic<std::uint64_t> size_min_inv; // ~ the smallest block counted (0: none yet)
};

struct site_table {
    std::atomic<site_counter*> records;             // site_capacity of them; record 0 is never used
    std::atomic<std::atomic<std::uint32_t>*> index; // record numbers, 0: empty
    std::atomic<std::uint32_t> used;                // records claimed (holes included), from 1
    std::atomic<std::uint64_t> overflow;            // blocks of sites that found no room

    // Maps both arrays; false when the kernel refuses. Called before counting is switched on (the
    // hot path only counts once records exist) and by the monitor before its walk.
    bool ready() noexcept {
        if (index.load(std::memory_order_acquire)) return true;
        if (!records.load(std::memory_order_acquire)) { // the records first: the index publishes them
            void* mem = map_pages(site_capacity * sizeof(site_counter), true);
            if (!mem) return false;
            site_counter* expected = nullptr;
            if (!records.compare_exchange_strong(expected, static_cast<site_counter*>(mem), std::memory_order_acq_rel))
                unmap_pages(mem, site_capacity * sizeof(site_counter)); // another thread's won
        }
        void* mem = map_pages(site_index_size * sizeof(std::uint32_t), true);
        if (!mem) return false;
        std::atomic<std::uint32_t>* expected = nullptr;
        if (!index.compare_exchange_strong(expected, static_cast<std::atomic<std::uint32_t>*>(mem),
                                           std::memory_order_acq_rel))
            unmap_pages(mem, site_index_size * sizeof(std::uint32_t));
        return true;
    }

    // The record of `site`, made on first sight; null when there is no room (or no table yet).
    site_counter* find_or_add(const void* site, site_kind kind) noexcept {
        std::atomic<std::uint32_t>* const idx = index.load(std::memory_order_acquire);
        if (LEAKGUARD_DETAIL_UNLIKELY(!idx)) return nullptr;
        site_counter* const recs = records.load(std::memory_order_relaxed); // mapped before the index
        std::uint64_t const h =
            (reinterpret_cast<std::uintptr_t>(site) * 0x9E3779B97F4A7C15ull) >> (64 - site_index_log2);
        std::uint32_t mine = 0;
        for (unsigned probe = 0; probe < max_site_probes; ++probe) {
            std::atomic<std::uint32_t>& slot = idx[(h + probe) & (site_index_size - 1)];
            std::uint32_t n = slot.load(std::memory_order_acquire);
            if (n == 0) {
                if (mine == 0) {
                    mine = used.fetch_add(1, std::memory_order_relaxed) + 1;
                    if (mine >= site_capacity) {
                        used.store(static_cast<std::uint32_t>(site_capacity), std::memory_order_relaxed);
                        return nullptr;
                    }
                    recs[mine].kind.store(kind, std::memory_order_relaxed);
                    recs[mine].key.store(site, std::memory_order_relaxed);
                }
                if (slot.compare_exchange_strong(n, mine, std::memory_order_acq_rel, std::memory_order_acquire))
                    return &recs[mine];
                // Someone published another record here meanwhile: `n` is it.
            }
            if (recs[n].key.load(std::memory_order_relaxed) == site) {
                if (mine) recs[mine].key.store(nullptr, std::memory_order_relaxed); // a hole
                return &recs[n];
            }
        }
        if (mine) recs[mine].key.store(nullptr, std::memory_order_relaxed);
        return nullptr;
    }

    // Record number `n` (1 .. records_used() - 1).
    site_counter& record(std::uint32_t n) noexcept { return records.load(std::memory_order_relaxed)[n]; }
    std::uint32_t records_used() const noexcept {
        std::uint32_t const n = used.load(std::memory_order_acquire) + 1;
        return n < site_capacity ? n : static_cast<std::uint32_t>(site_capacity);
    }
    std::uint32_t number_of(const site_counter* c) noexcept {
        return static_cast<std::uint32_t>(c - records.load(std::memory_order_relaxed));
    }
};

// Constant-initialised (all zero): usable from the first static constructor.
site_table g_sites{};

// A relaxed "max" (the common case, no new extreme, is one load and a compare).
inline void raise_to(std::atomic<std::uint64_t>& a, std::uint64_t v) noexcept {
    std::uint64_t cur = a.load(std::memory_order_relaxed);
    while (v > cur && !a.compare_exchange_weak(cur, v, std::memory_order_relaxed)) {}
}

// Out of line: the short paths pay only the branch to here, and only while counting is on.
LEAKGUARD_DETAIL_NOINLINE inline void count_site_allocation(const void* site, site_kind kind,
                                                            std::size_t size) noexcept {
    site_counter* c = g_sites.find_or_add(site, kind);
    if (LEAKGUARD_DETAIL_UNLIKELY(!c)) {
        g_sites.overflow.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    c->allocations.fetch_add(1, std::memory_order_relaxed);
    raise_to(c->size_max, size);
    raise_to(c->size_min_inv, ~std::uint64_t(size));
}

LEAKGUARD_DETAIL_NOINLINE inline void count_site_free(const void* site, site_kind kind) noexcept {
    site_counter* c = g_sites.find_or_add(site, kind);
    if (LEAKGUARD_DETAIL_UNLIKELY(!c)) return; // counted in overflow when it was allocated
    c->frees.fetch_add(1, std::memory_order_relaxed);
}

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_CAPTURE_SITE_COUNTS_HPP_INCLUDED
