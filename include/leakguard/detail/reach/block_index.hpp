// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// reach/block_index.hpp: the live blocks at check time, sorted by address, with the state the scan
// gives each (valgrind's: unreached, indirect, possible, reachable). Built in pages, never
// through the tracked allocator, while the shard lists are held and the other threads paused.
//
// Looking a word up costs a bucket read and a short binary search: the address span of each
// cluster of blocks is cut into buckets (a power of two bytes each, about as many buckets as
// blocks), and each bucket keeps the index of the first block that ends after its start. A word
// outside the span of all blocks - most words are small numbers - costs two compares.
#ifndef LEAKGUARD_DETAIL_REACH_BLOCK_INDEX_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REACH_BLOCK_INDEX_HPP_INCLUDED

#include <algorithm> // std::sort (in place: it does not allocate)
#include <cstddef>   // std::size_t
#include <cstdint>   // std::uintptr_t, std::uint32_t

#include "../core/pages.hpp"
#include "../heap/block.hpp"
#include "../heap/registry.hpp"
#include "list_walk.hpp"

namespace leakguard {
namespace detail {

// valgrind's Reachedness, in the order a block can only move up (except unreached -> indirect).
enum class reach_state : unsigned char { unreached, indirect, possible, reachable };

// How a block is a root of its own: an ignored block (leakguard::ignore, an ignore region) is
// scanned and never reported, and what only it holds is not reported either (LeakSanitizer's
// rule); a block the dynamic linker allocated (dynamic TLS, its own tables) is reachable through
// memory the scan does not read (the loader's private mappings), so it counts as reachable.
enum : unsigned char { root_none = 0, root_ignored = 1, root_loader = 2 };

// 16 bytes a block, so that the index of a million blocks is 16 MB of pages to fault in: the user
// pointer, and one word with the size and the scan's state.
struct indexed_block {
    std::uintptr_t begin; // the user pointer (the header is just before it)
    std::uint64_t bits;   // size (44) | state (2) | pending (1) | heuristic (3) | root (2)

    static constexpr unsigned state_shift = 44, pending_shift = 46, heuristic_shift = 47, root_shift = 50;

    std::size_t size() const noexcept { return static_cast<std::size_t>(bits & max_block_size); }
    // A pointer to a 0-byte block's start counts (valgrind's rule), so it spans at least one byte.
    std::uintptr_t end() const noexcept { return begin + (size() ? size() : 1); }
    block_header* header() const noexcept { return header_of(reinterpret_cast<const void*>(begin)); }
    reach_state state() const noexcept { return static_cast<reach_state>((bits >> state_shift) & 3u); }
    bool pending() const noexcept { return (bits >> pending_shift) & 1u; }
    unsigned char heuristic() const noexcept { return static_cast<unsigned char>((bits >> heuristic_shift) & 7u); }
    unsigned char root() const noexcept { return static_cast<unsigned char>((bits >> root_shift) & 3u); }

    void set_state(reach_state s) noexcept {
        bits = (bits & ~(std::uint64_t(3) << state_shift)) | std::uint64_t(static_cast<unsigned>(s)) << state_shift;
    }
    void set_pending(bool p) noexcept {
        bits = (bits & ~(std::uint64_t(1) << pending_shift)) | std::uint64_t(p) << pending_shift;
    }
    void set_heuristic(unsigned char h) noexcept {
        bits = (bits & ~(std::uint64_t(7) << heuristic_shift)) | std::uint64_t(h & 7u) << heuristic_shift;
    }
    void set_root(unsigned char r) noexcept {
        bits = (bits & ~(std::uint64_t(3) << root_shift)) | std::uint64_t(r & 3u) << root_shift;
    }
};

class block_index {
public:
    block_index() noexcept
        : blocks_{nullptr, 0, 0}, clusters_{nullptr, 0, 0}, buckets_(nullptr), bucket_total_(0), lo_(0), hi_(0) {}
    ~block_index() {
        blocks_.release();
        clusters_.release();
        unmap_pages(buckets_, bucket_total_ * sizeof(std::uint32_t));
    }
    block_index(const block_index&) = delete;
    block_index& operator=(const block_index&) = delete;

    // Every live, linked block of the first `n` shards, which the caller holds (lock_shard). A
    // shard made since (by a thread started meanwhile) may be mid-change: it is left out.
    // root(h) says whether a block is a root of its own (root_none, root_ignored, root_loader),
    // asked here while its header is in the cache.
    // A damaged list is walked around (reach/list_walk.hpp) and noted in `damage`.
    template <class RootOf>
    bool build(std::uint32_t n, readable_memory& mem, walk_damage& damage, RootOf root_of) noexcept {
        std::uint64_t expected = 16;
        for (std::uint32_t i = 0; i < n; ++i)
            expected += g_registry.shards[i]->allocations - g_registry.shards[i]->frees;
        if (!blocks_.reserve(static_cast<std::size_t>(expected))) return false;
        bool room = true;
        for (std::uint32_t i = 0; i < n && room; ++i) {
            walk_shard(g_registry.shards[i], mem, damage, 0, [&](block_header* h) {
                if (!room || load_cookie(h) != cookie_for(h)) return; // freed by another thread just now
                indexed_block e = {reinterpret_cast<std::uintptr_t>(user_of(h)), size_of(h)};
                e.set_root(root_of(h));
                room = blocks_.push(e);
            });
        }
        if (!room) return false;
        // Each thread's blocks are mostly in address order already (one arena, allocated in turn).
        bool sorted = true;
        for (std::size_t i = 1; i < blocks_.count && sorted; ++i)
            sorted = blocks_.items[i - 1].begin < blocks_.items[i].begin;
        if (!sorted && !radix_sort())
            std::sort(blocks_.items, blocks_.items + blocks_.count,
                      [](const indexed_block& a, const indexed_block& b) { return a.begin < b.begin; });
        return make_buckets();
    }

    std::size_t size() const noexcept { return blocks_.count; }
    indexed_block& operator[](std::size_t i) noexcept { return blocks_.items[i]; }
    const indexed_block& operator[](std::size_t i) const noexcept { return blocks_.items[i]; }

    // The block that holds address `a` in [begin, end), or -1.
    LEAKGUARD_DETAIL_ALWAYS_INLINE long find(std::uintptr_t a) const noexcept {
        if (a < lo_ || a >= hi_) return -1;
        const cluster* c = clusters_.items;
        if (clusters_.count > 1) { // the last cluster that starts at or before `a`
            std::size_t lo = 0, hi = clusters_.count;
            while (hi - lo > 1) {
                std::size_t const mid = lo + (hi - lo) / 2;
                if (clusters_.items[mid].lo <= a) lo = mid;
                else hi = mid;
            }
            c = &clusters_.items[lo];
            if (a >= c->hi) return -1;
        }
        std::size_t const bucket = c->bucket_base + ((a - c->lo) >> c->shift);
        std::size_t lo = buckets_[bucket], hi = buckets_[bucket + 1] + 1;
        if (hi > c->last) hi = c->last;
        // The last block that begins at or before `a`, within the bucket's run.
        while (lo < hi) {
            std::size_t const mid = lo + (hi - lo) / 2;
            if (blocks_.items[mid].begin <= a) lo = mid + 1;
            else hi = mid;
        }
        if (lo == 0) return -1;
        const indexed_block& b = blocks_.items[lo - 1];
        return a < b.end() ? static_cast<long>(lo - 1) : -1;
    }

private:
    // Sorts by address in passes of 16 bits over the addresses' span (in 16-byte units): linear,
    // where a comparison sort of a million entries takes several times as long. False when the
    // scratch pages cannot be had (the caller sorts in place instead).
    bool radix_sort() noexcept {
        std::size_t const n = blocks_.count;
        if (n < 4096) return false; // not worth the scratch pages
        std::uintptr_t lo = ~std::uintptr_t(0), hi = 0;
        for (std::size_t i = 0; i < n; ++i) {
            if (blocks_.items[i].begin < lo) lo = blocks_.items[i].begin;
            if (blocks_.items[i].begin > hi) hi = blocks_.items[i].begin;
        }
        std::uintptr_t const span = (hi - lo) >> 4;
        unsigned passes = 1;
        while (passes < 4 && (span >> (16 * passes)) != 0) ++passes;
        constexpr std::size_t digits = 65536;
        std::size_t const scratch_bytes = n * sizeof(indexed_block);
        indexed_block* other = static_cast<indexed_block*>(map_pages(scratch_bytes));
        std::size_t* counts = static_cast<std::size_t*>(map_pages(digits * sizeof(std::size_t)));
        if (!other || !counts) {
            unmap_pages(other, scratch_bytes);
            unmap_pages(counts, digits * sizeof(std::size_t));
            return false;
        }
        indexed_block* from = blocks_.items;
        indexed_block* to = other;
        for (unsigned pass = 0; pass < passes; ++pass) {
            unsigned const shift = 4 + 16 * pass;
            for (std::size_t d = 0; d < digits; ++d) counts[d] = 0;
            for (std::size_t i = 0; i < n; ++i) ++counts[((from[i].begin - lo) >> shift) & (digits - 1)];
            std::size_t sum = 0;
            for (std::size_t d = 0; d < digits; ++d) {
                std::size_t const c = counts[d];
                counts[d] = sum;
                sum += c;
            }
            for (std::size_t i = 0; i < n; ++i) to[counts[((from[i].begin - lo) >> shift) & (digits - 1)]++] = from[i];
            indexed_block* const t = from;
            from = to;
            to = t;
        }
        if (from != blocks_.items)
            for (std::size_t i = 0; i < n; ++i) blocks_.items[i] = from[i];
        unmap_pages(other, scratch_bytes);
        unmap_pages(counts, digits * sizeof(std::size_t));
        return true;
    }

    // The blocks fall into clusters - the main heap, each thread's arena, large blocks the C
    // library mapped on their own - far apart in the address space: one bucket table over all of
    // it would put a whole heap in a handful of buckets. So each cluster (blocks less than
    // cluster_gap apart) has its own table, with about as many buckets as blocks.
    // buckets_[base + k]: the first block whose end is past the start of the cluster's bucket k;
    // buckets_[base + k + 1] bounds the blocks that begin inside it. Blocks do not overlap, so
    // ends are sorted too.
    static constexpr std::uintptr_t cluster_gap = std::uintptr_t(16) << 20;

    bool make_buckets() noexcept {
        std::size_t const n = blocks_.count;
        if (n == 0) return true;
        std::size_t total = 0;
        for (std::size_t first = 0; first < n;) {
            cluster c = {blocks_.items[first].begin, blocks_.items[first].end(), first, first, 4, total};
            std::size_t last = first + 1;
            while (last < n && blocks_.items[last].begin - c.hi < cluster_gap) {
                if (blocks_.items[last].end() > c.hi) c.hi = blocks_.items[last].end();
                ++last;
            }
            c.last = last;
            std::uintptr_t const span = c.hi - c.lo;
            while ((span >> c.shift) > (last - first) + 64) ++c.shift;
            total += (span >> c.shift) + 2;
            if (!clusters_.push(c)) return false;
            first = last;
        }
        lo_ = clusters_.items[0].lo;
        hi_ = clusters_.items[clusters_.count - 1].hi;
        bucket_total_ = total;
        buckets_ = static_cast<std::uint32_t*>(map_pages(total * sizeof(std::uint32_t)));
        if (!buckets_) return false;
        for (std::size_t ci = 0; ci < clusters_.count; ++ci) {
            const cluster& c = clusters_.items[ci];
            std::size_t const count = ((c.hi - c.lo) >> c.shift) + 1;
            std::size_t i = c.first;
            for (std::size_t k = 0; k <= count; ++k) {
                std::uintptr_t const start = c.lo + (std::uintptr_t(k) << c.shift);
                while (i < c.last && blocks_.items[i].end() <= start) ++i;
                buckets_[c.bucket_base + k] = static_cast<std::uint32_t>(i);
            }
        }
        return true;
    }

    struct cluster {
        std::uintptr_t lo;
        std::uintptr_t hi;
        std::size_t first; // its blocks: [first, last)
        std::size_t last;
        unsigned shift; // log2 of its bucket's bytes
        std::size_t bucket_base;
    };

    page_array<indexed_block> blocks_;
    page_array<cluster> clusters_;
    std::uint32_t* buckets_;
    std::size_t bucket_total_;
    std::uintptr_t lo_;
    std::uintptr_t hi_;
};

} // namespace detail
} // namespace leakguard

#endif
