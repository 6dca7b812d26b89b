// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// reach/root_regions.hpp: memory the program asks the scan to read as a root
// (leakguard::register_root_region): a custom arena, an mmap'ed table, memory another allocator
// handed out - anything that holds pointers to heap blocks but is not a module's data, a stack or
// TLS. Kept in pages under a lock; the check copies the list before it pauses other threads
// (one of them might hold the lock).
#ifndef LEAKGUARD_DETAIL_REACH_ROOT_REGIONS_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REACH_ROOT_REGIONS_HPP_INCLUDED

#include <cstddef> // std::size_t
#include <cstdint> // std::uintptr_t

#include "../core/pages.hpp"
#include "../core/platform.hpp"

namespace leakguard {
namespace detail {

struct address_range {
    std::uintptr_t begin;
    std::uintptr_t end;
};

struct root_region_table {
    spinlock lock;
    page_array<address_range> ranges;
};

root_region_table g_root_regions{};

inline bool add_root_region(const void* p, std::size_t n) noexcept {
    if (!p || n == 0) return false;
    std::uintptr_t const b = reinterpret_cast<std::uintptr_t>(p);
    if (b + n < b) return false;
    lock_guard hold(g_root_regions.lock);
    return g_root_regions.ranges.push(address_range{b, b + n});
}

// Removes a region registered with exactly this start and size.
inline bool remove_root_region(const void* p, std::size_t n) noexcept {
    std::uintptr_t const b = reinterpret_cast<std::uintptr_t>(p);
    lock_guard hold(g_root_regions.lock);
    page_array<address_range>& r = g_root_regions.ranges;
    for (std::size_t i = 0; i < r.count; ++i) {
        if (r.items[i].begin == b && r.items[i].end == b + n) {
            r.items[i] = r.items[--r.count];
            return true;
        }
    }
    return false;
}

inline bool copy_root_regions(page_array<address_range>& out) noexcept {
    lock_guard hold(g_root_regions.lock);
    const page_array<address_range>& r = g_root_regions.ranges;
    if (!out.reserve(r.count + 1)) return false;
    for (std::size_t i = 0; i < r.count; ++i) out.items[out.count++] = r.items[i];
    return true;
}

} // namespace detail
} // namespace leakguard

#endif
