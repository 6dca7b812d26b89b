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
// (site_table) then. A site that finds both slots of its set taken by others evicts one into the
// shared table. A thread that exits leaves its shard, table included, to the next thread (nothing
// is lost); a fork child copies it whole (fork holds every shard). Measured in docs/performance.md
// ("The monitor"): the shared atomic counters on both paths cost 107 instructions per pair.
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

constexpr unsigned site_free_slots_log2 = 6; // 64 sites a shard
constexpr unsigned site_free_slots = 1u << site_free_slots_log2;

// A shard's table of the frees it counted (see the top of this file), by the site pointer: two-way
// set-associative, slots 2k and 2k+1 a set. A site is looked for at its slot (free_slot_of), then
// at the other slot of the set; a site seen anew takes its own slot, and the site there moves to
// the other one (whose site is flushed into the shared table). Two sites of one slot then both
// stay: direct-mapped, two such sites freed in turn (in `workloads prodcons`, two pairs of its
// four sites) took each other's slot on every free, each time a flush.
// Touched only by whoever holds the shard (its owner in an owner section, or a locker). One array
// per field, 8-byte entries: a slot's key and its counts are found by the slot number scaled in
// the address, with no multiplication by a slot's size. (No size range: counting the freed
// blocks' sizes cost the frees of sites with blocks of many sizes a third again; a site's range
// is taken from its live blocks at each report instead.)
struct site_free_cache {
    // The `order` (heap/block.hpp) a block of this shard numbered count_from would have: the
    // shard's blocks from it on are "new" (frees_new). Set at each miss (heap/registry.hpp), so
    // before any hit (the table starts empty); count_from never changes once set. A block's order
    // is its sequence number with its shard's index above it, the same for all of this shard's
    // blocks: compared whole, with no mask.
    std::uint64_t new_from;
    const void* key[site_free_slots];         // null: empty
    std::uint64_t frees_new[site_free_slots]; // frees of blocks numbered from count_from on
    std::uint64_t frees_old[site_free_slots]; // of blocks allocated before counting began
    site_kind kind[site_free_slots];
};

// The slot of `site`: a multiplicative hash of its low 32 bits (sites differ there; a 32-bit
// multiplier is an immediate operand, where a 64-bit one takes a 10-byte load first). Any such
// hash puts some pairs of sites on one slot (for this one, stack records 144 bytes apart, a
// Fibonacci number): hence the second slot of the set.
inline unsigned free_slot_of(const void* site) noexcept {
    return (static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(site)) * 0x9E3779B1u) >>
           (32 - site_free_slots_log2);
}

// Counts one free in slot `i`: of a new block when its `order` is from the shard's new_from on.
inline void count_free_at(site_free_cache& cache, unsigned i, std::uint64_t order) noexcept {
    if (LEAKGUARD_DETAIL_LIKELY(order >= cache.new_from)) ++cache.frees_new[i]; // 64 bits: no wrap
    else ++cache.frees_old[i];
}

// Adds slot `i` into the shared table and empties it: when another site takes its place, and at
// each report.
LEAKGUARD_DETAIL_NOINLINE inline void flush_free_slot(site_free_cache& cache, unsigned i) noexcept {
    site_counter* c = g_sites.find_or_add(cache.key[i], cache.kind[i]);
    if (LEAKGUARD_DETAIL_UNLIKELY(!c)) {
        g_sites.overflow.fetch_add(cache.frees_old[i] + cache.frees_new[i], std::memory_order_relaxed);
    } else {
        if (cache.frees_new[i]) c->frees_new.fetch_add(cache.frees_new[i], std::memory_order_relaxed);
        if (cache.frees_old[i]) c->frees_old.fetch_add(cache.frees_old[i], std::memory_order_relaxed);
    }
    cache.key[i] = nullptr;
    cache.frees_new[i] = cache.frees_old[i] = 0;
}

// A free of `site`, which is in neither slot of its set (the short path looked; heap/registry.hpp's
// count_free_missed calls this, out of line): the site takes its own slot, whose site moves to
// the other slot, whose site is flushed.
inline void count_free_missed_in(site_free_cache& cache, const void* site, site_kind kind,
                                 std::uint64_t order) noexcept {
    unsigned const i = free_slot_of(site);
    unsigned const other = i ^ 1u;
    if (cache.key[i]) {
        if (cache.key[other]) flush_free_slot(cache, other);
        cache.key[other] = cache.key[i];
        cache.kind[other] = cache.kind[i];
        cache.frees_new[other] = cache.frees_new[i];
        cache.frees_old[other] = cache.frees_old[i];
        cache.frees_new[i] = cache.frees_old[i] = 0;
    }
    cache.key[i] = site;
    cache.kind[i] = kind;
    count_free_at(cache, i, order);
}

// Adds every slot of a shard's table into the shared one (a report, holding the shard).
inline void flush_free_cache(site_free_cache& cache) noexcept {
    for (unsigned i = 0; i < site_free_slots; ++i)
        if (cache.key[i]) flush_free_slot(cache, i);
}

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_CAPTURE_SITE_COUNTS_HPP_INCLUDED
