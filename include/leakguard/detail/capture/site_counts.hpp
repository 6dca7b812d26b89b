// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// capture/site_counts.hpp: the per-site counters of the monitor (docs/monitor.md) - for each
// allocation site (a block's `site`: its interned stack, a mapping macro's location or a return
// address) how many of its blocks were freed.
//
// Why frees only: what is alive at a site is exact at any moment from a walk of the shard lists
// (report/site_profile.hpp), which costs the hot path nothing, and every block counted since
// counting began is either alive or freed. So a site's allocations since then are its live blocks
// numbered from `count_from` on plus its frees of such blocks (frees_new): the allocation path
// counts nothing. Only the frees of the past leave no trace in the lists; they are counted as they
// happen, while counting is on (the monitor, the dump signal or write_profile() switched it on: a
// bit of the options' hot word sends the free's short path through its counting branch).
//
// Why per shard: a free is counted by whoever holds the block's shard as it unlinks it - its owner
// in an owner section, or a locker - into that shard's own small table (site_free_cache, in the
// shard: heap/registry.hpp) with plain stores: no atomic operation, no shared cache line. A report
// holds each shard anyway to walk its list, and adds the shard's table into the shared one
// (site_table) then. A site that finds its slot taken by another evicts it into the shared table.
// A thread that exits leaves its shard, table included, to the next thread (nothing is lost); a
// fork child copies it whole (fork holds every shard). Measured in docs/performance.md ("The
// monitor"): the shared atomic counters on both paths cost 107 instructions per pair.
//
// The shared table: records in one array in order of first sight (dense, so the monitor's
// per-site state beside it is dense too), found through an open-addressing index of record
// numbers keyed by the site pointer. Lock-free: a record number is claimed with a fetch_add, its
// key written, then the number published in an empty index slot with a compare-and-swap; the loser
// of a race for the same slot looks at the winner's key and probes on (or, same site, leaves its
// record a hole with a null key, which nobody reads). Records are never freed or moved, so a
// pointer to one stays good. Both arrays are mapped lazily (MAP_NORESERVE): only the pages touched
// cost memory. Full (site_capacity sites) or past max_site_probes: the block is counted in
// `overflow` only.
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

// One site's counters, a cache line of its own: two threads adding at two sites do not share it.
struct alignas(64) site_counter {
    std::atomic<const void*> key;            // the blocks' `site`; null: a hole (see above)
    std::atomic<site_kind> kind;             // written before the record is published
    std::atomic<std::uint64_t> frees_new;    // frees of blocks numbered from count_from on
    std::atomic<std::uint64_t> frees_old;    // frees of blocks allocated before counting began
    std::atomic<std::uint64_t> size_max;     // the largest block a report has seen alive
    std::atomic<std::uint64_t> size_min_inv; // ~ the smallest one (0: none yet)
};

struct site_table {
    std::atomic<site_counter*> records;             // site_capacity of them; record 0 is never used
    std::atomic<std::atomic<std::uint32_t>*> index; // record numbers, 0: empty
    std::atomic<std::uint32_t> used;                // records claimed (holes included), from 1
    std::atomic<std::uint64_t> overflow;            // frees of sites that found no room
    // The first sequence number counted (blocks from it on are "new"); set once, when counting is
    // first switched on. 0: never.
    std::atomic<std::uint64_t> count_from;

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

// One site's frees not yet added to the shared table. 32 bytes: the slot's address is a shift.
// (No size range: counting the freed blocks' sizes cost the frees of sites with blocks of many
// sizes a third again; a site's range is taken from its live blocks at each report instead.)
struct site_free_slot {
    const void* key; // null: empty
    site_kind kind;
    std::uint64_t frees[2]; // [0]: of blocks allocated before counting began; [1]: since (frees_new)
};

constexpr unsigned site_free_slots_log2 = 6; // 64 sites a shard, 2 KiB

// A shard's table of the frees it counted (see the top of this file): direct-mapped by the site
// pointer. Touched only by whoever holds the shard (its owner in an owner section, or a locker).
struct site_free_cache {
    site_free_slot slot[1u << site_free_slots_log2];
};

// Adds one slot into the shared table and empties it: when another site takes its place, and at
// each report.
LEAKGUARD_DETAIL_NOINLINE inline void flush_free_slot(site_free_slot& e) noexcept {
    site_counter* c = g_sites.find_or_add(e.key, e.kind);
    if (LEAKGUARD_DETAIL_UNLIKELY(!c)) {
        g_sites.overflow.fetch_add(e.frees[0] + e.frees[1], std::memory_order_relaxed);
    } else {
        if (e.frees[1]) c->frees_new.fetch_add(e.frees[1], std::memory_order_relaxed);
        if (e.frees[0]) c->frees_old.fetch_add(e.frees[0], std::memory_order_relaxed);
    }
    e = site_free_slot();
}

// The slot of `site` in `cache`.
inline site_free_slot& free_slot_of(site_free_cache& cache, const void* site) noexcept {
    return cache.slot[(reinterpret_cast<std::uintptr_t>(site) * 0x9E3779B97F4A7C15ull) >> (64 - site_free_slots_log2)];
}

// The first free of `site` since its slot was taken by another (or emptied by a report): the slot
// is flushed and taken. Out of line: the short path is the hit.
LEAKGUARD_DETAIL_NOINLINE inline void count_free_claim(site_free_slot& e, const void* site, site_kind kind,
                                                       bool fresh) noexcept {
    if (e.key) flush_free_slot(e);
    e.key = site;
    e.kind = kind;
    e.frees[fresh ? 1 : 0] = 1;
}

// Counts one free of a block of `site` (`fresh`: numbered from count_from on), in the table of
// the shard the caller holds. `kind()` is asked for only when the slot is taken. A hit is a
// multiply, a shift, a compare and an increment: no atomic operation.
template <class Kind>
LEAKGUARD_DETAIL_ALWAYS_INLINE void count_free_in(site_free_cache& cache, const void* site, Kind kind,
                                                  bool fresh) noexcept {
    site_free_slot& e = free_slot_of(cache, site);
    if (LEAKGUARD_DETAIL_UNLIKELY(e.key != site)) return count_free_claim(e, site, kind(), fresh);
    ++e.frees[fresh ? 1 : 0]; // 64 bits: no wrap in the life of a process
}

// Adds every slot of a shard's table into the shared one (a report, holding the shard).
inline void flush_free_cache(site_free_cache& cache) noexcept {
    for (site_free_slot& e : cache.slot)
        if (e.key) flush_free_slot(e);
}

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_CAPTURE_SITE_COUNTS_HPP_INCLUDED
