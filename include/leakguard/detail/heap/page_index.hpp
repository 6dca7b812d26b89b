// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// heap/page_index.hpp: the set of leakguard's blocks whose user pointer starts a page.
//
// Why: the ownership test reads the 8 bytes in front of a pointer (heap/block.hpp). In front of a
// pointer that starts a page they are on the page before, which may not be mapped at all: the
// start of an mmap region given to delete, a page-aligned large block of jemalloc or tcmalloc.
// A block of leakguard's always has its header there (its raw allocation covers both pages), so
// such a pointer is leakguard's exactly when it is in this set, and the test reads in front of it
// only then (libc/ownership.hpp, heap/release.hpp).
//
// What is in it: every raw allocation leakguard holds whose user pointer starts a page, from the
// moment its header is written until its memory goes back to the allocator (heap/block_memory.hpp)
// - live blocks, and released ones still waiting in a quarantine, a recycler or a remote stack,
// so that a second free of those is still a double free. They are few (the page-aligned
// allocations, and by chance one small block in 256), so one set under one lock does.
//
// An open-addressing table (linear probing, deletion by backward shift, no tombstones) in pages
// from mmap, never from malloc, doubled when half full. When pages for a larger table cannot be
// had, insertion goes on in the current one until it is full and then fails: the allocation that
// needed it fails too, since a block that cannot be proved leakguard's must not be handed out.
// The lock is a leaf (nothing else is taken or called under it but mmap); fork takes it
// (runtime/fork.hpp), and the forking thread, which may allocate in other fork handlers while it
// holds it, then goes in without it.
#ifndef LEAKGUARD_DETAIL_HEAP_PAGE_INDEX_HPP_INCLUDED
#define LEAKGUARD_DETAIL_HEAP_PAGE_INDEX_HPP_INCLUDED

#include <cstddef> // std::size_t
#include <cstdint> // std::uintptr_t

#include "../core/pages.hpp"
#include "../core/platform.hpp"

namespace leakguard {
namespace detail {

struct page_index_state {
    spinlock lock;
    std::uintptr_t* slots; // 0: empty; null until the first insertion
    std::size_t capacity;  // a power of two
    std::size_t count;
};

page_index_state g_page_index{};
static thread_local bool t_page_index_fork_holder; // this thread holds the lock for fork

// The index held for one operation.
class page_index_hold {
public:
    page_index_hold() noexcept {
        if (!t_page_index_fork_holder) g_page_index.lock.lock();
    }
    ~page_index_hold() {
        if (!t_page_index_fork_holder) g_page_index.lock.unlock();
    }
    page_index_hold(const page_index_hold&) = delete;
    page_index_hold& operator=(const page_index_hold&) = delete;
};

inline void page_index_lock_for_fork() noexcept {
    g_page_index.lock.lock();
    t_page_index_fork_holder = true;
}
inline void page_index_unlock_after_fork() noexcept {
    t_page_index_fork_holder = false;
    g_page_index.lock.unlock();
}

constexpr std::size_t page_index_first_capacity = 512; // one page of slots

inline std::size_t page_index_home(std::uintptr_t key, std::size_t mask) noexcept {
    return static_cast<std::size_t>(((key >> 12) * 0x9E3779B97F4A7C15ull) >> 32) & mask;
}

// Puts `key` into `slots` (not there yet, a free slot exists).
inline void page_index_place(std::uintptr_t* slots, std::size_t mask, std::uintptr_t key) noexcept {
    std::size_t i = page_index_home(key, mask);
    while (slots[i]) i = (i + 1) & mask;
    slots[i] = key;
}

// A table twice as large with every key moved over; false when its pages cannot be had.
inline bool page_index_grow_held(page_index_state& x) noexcept {
    std::size_t const capacity = x.capacity ? x.capacity * 2 : page_index_first_capacity;
    std::uintptr_t* const slots = static_cast<std::uintptr_t*>(map_pages(capacity * sizeof(std::uintptr_t), true));
    if (!slots) return false;
    for (std::size_t i = 0; i < x.capacity; ++i)
        if (x.slots[i]) page_index_place(slots, capacity - 1, x.slots[i]);
    unmap_pages(x.slots, x.capacity * sizeof(std::uintptr_t));
    x.slots = slots;
    x.capacity = capacity;
    return true;
}

// The slot that holds `key`, or capacity when none does; the lock held.
inline std::size_t page_index_find_held(const page_index_state& x, std::uintptr_t key) noexcept {
    if (!x.slots) return x.capacity;
    std::size_t const mask = x.capacity - 1;
    for (std::size_t i = page_index_home(key, mask);; i = (i + 1) & mask) {
        if (x.slots[i] == key) return i;
        if (!x.slots[i]) return x.capacity;
    }
}

// Adds the user pointer of a block whose memory leakguard now holds (as an address: the block's
// bytes are not read). False when the table is full and cannot grow.
LEAKGUARD_DETAIL_NOINLINE inline bool page_index_add(std::uintptr_t key) noexcept {
    page_index_state& x = g_page_index;
    page_index_hold hold;
    if (page_index_find_held(x, key) != x.capacity) return true; // there already (cannot happen)
    if ((x.count + 1) * 2 > x.capacity && !page_index_grow_held(x) && x.count + 1 >= x.capacity) return false;
    page_index_place(x.slots, x.capacity - 1, key);
    ++x.count;
    return true;
}

// Takes out the user pointer of a block whose memory goes back to the allocator.
LEAKGUARD_DETAIL_NOINLINE inline void page_index_remove(std::uintptr_t key) noexcept {
    page_index_state& x = g_page_index;
    page_index_hold hold;
    std::size_t i = page_index_find_held(x, key);
    if (i == x.capacity) return;
    std::size_t const mask = x.capacity - 1;
    // Backward shift: each key after the hole that may move into it (its home is not cyclically
    // within (hole, its slot]) does, so every probe still reaches its key without a tombstone.
    for (std::size_t j = (i + 1) & mask; x.slots[j]; j = (j + 1) & mask) {
        std::size_t const home = page_index_home(x.slots[j], mask);
        bool const stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
        if (stays) continue;
        x.slots[i] = x.slots[j];
        i = j;
    }
    x.slots[i] = 0;
    --x.count;
}

// Whether `p` is the user pointer of a block in the set: then the page in front of it is
// leakguard's, and readable.
LEAKGUARD_DETAIL_NOINLINE inline bool page_index_contains(const void* p) noexcept {
    page_index_state& x = g_page_index;
    page_index_hold hold;
    return page_index_find_held(x, reinterpret_cast<std::uintptr_t>(p)) != x.capacity;
}

} // namespace detail
} // namespace leakguard

#endif
