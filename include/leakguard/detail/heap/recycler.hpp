// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// heap/recycler.hpp: a per-thread cache of released small blocks, reused by the same thread's
// next allocations of the same size class instead of a free() and a malloc() of the C library.
//
// Why: with leak tracking alone, the C library's malloc and free were over a third of the
// instructions of a small new/delete pair, and a block freed by another thread went back to glibc
// through the owner's arena. The blocks here are the raw allocations leakguard
// already owns (header included), kept as they are: nothing is carved or split, so a recycled
// block is an ordinary malloc() block again the moment it leaves the cache.
//
// Size classes follow glibc's own granularity: class c holds blocks whose raw user part (after the
// header) has room for 16c + 8 bytes - exactly the usable size of the chunk glibc makes for such a
// request - so rounding every small request up to its class costs no memory. Every raw allocation
// of an unaligned block up to 1096 user bytes is made at its class size (raw_user_capacity), so
// any released one can serve any request of its class. At most 32 blocks per class up to 520
// bytes and 8 per class above (recycle_depth_for: about 570 KiB per thread at worst); the rest go
// to the C library as before. A thread's cache is emptied when the thread exits. Blocks wait here
// with their released cookie: a second free of one is a double free, as before.
//
// Why up to 1096 bytes: a 1 KiB block is 1072 bytes with its header, past glibc's per-thread
// cache (chunks up to 1040 bytes), so every 1 KiB new/delete pair went through glibc's bins, many
// times slower than plain glibc, which serves it from that cache. 1096 holds a 1 KiB block and its
// default 16-byte guard.
#ifndef LEAKGUARD_DETAIL_HEAP_RECYCLER_HPP_INCLUDED
#define LEAKGUARD_DETAIL_HEAP_RECYCLER_HPP_INCLUDED

#include <cstddef> // std::size_t
#include <cstdint> // std::uint8_t

#include "block.hpp"
#include "block_memory.hpp"
#include "../core/platform.hpp"
#include "registry.hpp"

namespace leakguard {
namespace detail {

constexpr std::size_t recycle_classes = 69;                              // user room 8, 24, 40 ... 1096 bytes
constexpr std::size_t recycle_max_user = 16 * (recycle_classes - 1) + 8; // 1096

// A thread's cache: one list per size class, linked through each block's first user bytes. Plain
// data with constant initialisation, as thread_state (heap/registry.hpp).
struct recycle_cache {
    block_header* heads[recycle_classes];
    std::uint8_t counts[recycle_classes];
};
static thread_local recycle_cache t_recycled;
// Blocks kept per class: 32 up to class 32 (520 bytes), 8 above.
inline unsigned recycle_depth_for(std::size_t c) noexcept { return c <= 32 ? 32u : 8u; }

inline std::size_t recycle_class(std::size_t user_bytes) noexcept { return (user_bytes + 7) >> 4; }

// A cached block's link to the next one of its class, in its first user bytes.
inline block_header*& next_recycled(block_header* h) noexcept { return *reinterpret_cast<block_header**>(user_of(h)); }

// The raw user bytes to ask the C library for, for a block that needs `user_bytes` after its
// header (raw_user_bytes): its class's room when it is small.
inline std::size_t raw_user_capacity(std::size_t user_bytes) noexcept {
    return user_bytes <= recycle_max_user ? 16 * recycle_class(user_bytes) + 8 : user_bytes;
}

// A block from this thread's cache with room for `user_bytes`, or null.
LEAKGUARD_DETAIL_ALWAYS_INLINE block_header* take_recycled(std::size_t user_bytes) noexcept {
    if (user_bytes > recycle_max_user) return nullptr;
    recycle_cache& r = t_recycled;
    std::size_t const c = recycle_class(user_bytes);
    block_header* const h = r.heads[c];
    if (h) {
        r.heads[c] = next_recycled(h);
        --r.counts[c];
    }
    return h;
}

// Gives released block `h` (out of every list, cookie released) back: into the calling thread's
// cache when it is small, unaligned and there is room, else to the C library.
LEAKGUARD_DETAIL_ALWAYS_INLINE void give_back(block_header* h) noexcept {
    std::uint64_t const shape = h->shape;
    std::size_t const user_bytes = raw_user_bytes(shape_size(shape), shape_guard_bytes(shape));
    if (shape_align(shape) == 0 && user_bytes <= recycle_max_user) {
        recycle_cache& r = t_recycled;
        std::size_t const c = recycle_class(user_bytes);
        if (LEAKGUARD_DETAIL_LIKELY(r.counts[c] < recycle_depth_for(c) && t_state.home)) {
            next_recycled(h) = r.heads[c];
            r.heads[c] = h;
            ++r.counts[c];
            return;
        }
    }
    free_block_memory(h);
}

// Empties the calling thread's cache (the thread is exiting).
inline void drop_recycled() noexcept {
    recycle_cache& r = t_recycled;
    for (std::size_t c = 0; c < recycle_classes; ++c) {
        while (block_header* h = r.heads[c]) {
            r.heads[c] = next_recycled(h);
            free_block_memory(h);
        }
        r.counts[c] = 0;
    }
}

} // namespace detail
} // namespace leakguard

#endif
