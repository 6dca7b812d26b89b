// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// libc/mapped_calls.hpp: what the mapping macros call (declared in detail/mapping.hpp).
//
// Each entry point is noinline so that __builtin_return_address(0) lies in the calling function:
// the report names that function next to the macro's file:line.
#ifndef LEAKGUARD_DETAIL_LIBC_MAPPED_CALLS_HPP_INCLUDED
#define LEAKGUARD_DETAIL_LIBC_MAPPED_CALLS_HPP_INCLUDED

#include <cstdint> // std::uintptr_t
#include <cstring> // std::memcpy, std::strlen

#include "../mapping.hpp"
#include "../heap/block.hpp"
#include "../heap/new_sites.hpp"
#include "../heap/registry.hpp"
#include "c_alloc.hpp"
#include "ownership.hpp"
#include "../capture/locations.hpp"

#define LEAKGUARD_DETAIL_MAPPED LEAKGUARD_DETAIL_NOINLINE __attribute__((used))
#define LEAKGUARD_DETAIL_CALLER __builtin_return_address(0)

LEAKGUARD_DETAIL_MAPPED void* leakguard_map_malloc(std::size_t size, const char* file, int line) noexcept {
    return leakguard::detail::c_allocate(size, leakguard::block_kind::malloc, LEAKGUARD_DETAIL_CALLER, file, line);
}

LEAKGUARD_DETAIL_MAPPED void* leakguard_map_calloc(std::size_t count, std::size_t size, const char* file,
                                                   int line) noexcept {
    return leakguard::detail::c_calloc(count, size, LEAKGUARD_DETAIL_CALLER, file, line);
}

LEAKGUARD_DETAIL_MAPPED void* leakguard_map_realloc(void* p, std::size_t size, const char* file, int line) noexcept {
    return leakguard::detail::realloc_any(p, size, LEAKGUARD_DETAIL_CALLER, file, line);
}

LEAKGUARD_DETAIL_MAPPED void leakguard_map_free(void* p, const char* file, int line) noexcept {
    leakguard::detail::release_c(p, LEAKGUARD_DETAIL_CALLER, file, line);
}

LEAKGUARD_DETAIL_MAPPED char* leakguard_map_strdup(const char* s, const char* file, int line) noexcept {
    std::size_t const n = std::strlen(s) + 1;
    char* p = static_cast<char*>(
        leakguard::detail::c_allocate(n, leakguard::block_kind::strdup, LEAKGUARD_DETAIL_CALLER, file, line));
    if (p) std::memcpy(p, s, n);
    return p;
}

LEAKGUARD_DETAIL_MAPPED char* leakguard_map_strndup(const char* s, std::size_t n, const char* file, int line) noexcept {
    std::size_t len = 0;
    while (len < n && s[len]) ++len; // strnlen: reads no further than n bytes
    char* p = static_cast<char*>(
        leakguard::detail::c_allocate(len + 1, leakguard::block_kind::strndup, LEAKGUARD_DETAIL_CALLER, file, line));
    if (p) {
        std::memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

namespace leakguard {
namespace detail {

bool enable_new_sites() noexcept {
    g_new_sites_enabled.store(true, std::memory_order_relaxed);
    refresh_hot(false);
    return true;
}

// Looks for the block behind `p` among this thread's last operator new blocks, comparing addresses
// only: `p` may be anything a new-expression returns (placement new into a buffer on the stack, a
// class's own pool), so nothing around it is read unless it is one of those blocks.
void locate_new(const void* p, std::size_t max_offset, const char* file, int line) noexcept {
    if (!p) return;
    thread_state& t = t_state;
    std::uintptr_t const value = reinterpret_cast<std::uintptr_t>(p);
    for (unsigned k = 1; k <= new_site_ring_size; ++k) { // newest first
        const void*& slot = recent_new(t_new_sites.next - k);
        std::uintptr_t const block = reinterpret_cast<std::uintptr_t>(slot);
        if (!slot || value < block || value - block > max_offset) continue;
        block_header* h = header_of(slot);
        slot = nullptr;
        unsigned const flags = flags_of(h);
        if (flags & flag_has_location) return;
        const location_record* where = intern_location(file, line, h->site);
        if (!where) return;
        // A scope or report on another thread may be reading this header: change it under the lock.
        shard* s = (flags & flag_linked) ? g_registry.shards[shard_of(h)] : nullptr;
        bool locked = false;
        if (s == t.home) locked = owner_enter(s);
        else if (s) lock_shard(s);
        h->site = where;
        add_flags(h, flag_has_location);
        if (s == t.home) owner_exit(s, locked);
        else if (s) unlock_shard(s);
        return;
    }
}

} // namespace detail
} // namespace leakguard

#undef LEAKGUARD_DETAIL_CALLER
#undef LEAKGUARD_DETAIL_MAPPED

#endif
