// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// heap/new_sites.hpp: while LEAKGUARD_MAP_NEW is in use (detail/map_new.hpp), operator new keeps
// each thread's last blocks in a small ring, so that the mapped new-expression can find the block
// it just made and give it the macro's file:line (locate_new, libc/mapped_calls.hpp). Off, none of
// this runs: the operators take the general path only while it is on (g_hot's hot_slow_* bits).
#ifndef LEAKGUARD_DETAIL_HEAP_NEW_SITES_HPP_INCLUDED
#define LEAKGUARD_DETAIL_HEAP_NEW_SITES_HPP_INCLUDED

#include <atomic> // std::memory_order_relaxed

#include "block.hpp"
#include "../core/options.hpp"

namespace leakguard {
namespace detail {

// How many of a thread's last operator new blocks are remembered: a new-expression's block is
// looked for right after the operator returned it, with at most the object's own members'
// allocations in between.
constexpr unsigned new_site_ring_size = 8;

// A thread's ring. Plain data with constant initialisation, as thread_state (heap/registry.hpp).
struct new_site_ring {
    const void* blocks[new_site_ring_size]; // the last blocks operator new returned
    unsigned next;                          // where the next one goes (counts up; taken modulo the size)
};
static thread_local new_site_ring t_new_sites;

inline const void*& recent_new(unsigned n) noexcept { return t_new_sites.blocks[n % new_site_ring_size]; }

inline bool new_sites_on() noexcept { return g_new_sites_enabled.load(std::memory_order_relaxed); }

// Called by operator new (general path) for each block it returns.
inline void remember_new(void* user) noexcept { recent_new(t_new_sites.next++) = user; }

// Called when a block is released: a later block at the same address is another block.
inline void forget_new(const void* user) noexcept {
    for (const void*& r : t_new_sites.blocks)
        if (r == user) r = nullptr;
}

} // namespace detail
} // namespace leakguard

#endif
