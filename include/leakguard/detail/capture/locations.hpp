// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// capture/locations.hpp: the source positions the mapping macros pass (__FILE__, __LINE__), interned
// so that a block's 8-byte `site` can point at one shared record per call site.
//
// A macro cannot make a static object per call site inside an expression (`malloc(n)` must stay an
// expression, even at namespace scope), so the position arrives at run time and is looked up here:
// a fixed hash table of singly linked chains, read without locks, extended with a compare-and-swap
// on the chain head. Records are never freed (call sites are few and live as long as the program);
// nothing here takes a lock, so fork() cannot leave one held.
#ifndef LEAKGUARD_DETAIL_CAPTURE_LOCATIONS_HPP_INCLUDED
#define LEAKGUARD_DETAIL_CAPTURE_LOCATIONS_HPP_INCLUDED

#include <atomic>  // std::atomic
#include <cstdint> // std::uintptr_t

#include "../../block_info.hpp"
#include "../core/options.hpp"
#include "../core/platform.hpp"

namespace leakguard {
namespace detail {

// source_location comes first so that a record's address is also its source_location's.
struct location_record {
    source_location where; // file and line from the macro; function stays null (see caller)
    const void* caller;    // a return address into the call site: names its function at report time
    location_record* next; // chain of the same hash bucket
};

constexpr std::size_t location_buckets = 4096;

struct location_table {
    std::atomic<location_record*> buckets[location_buckets];
};

location_table g_locations{};

// g_new_sites_enabled (core/options.hpp) is set before main() by each unit that maps `new`
// (libc/mapped_calls.hpp): operator new then keeps each thread's last blocks in a ring
// (heap/new_sites.hpp), for locate_new.

inline std::size_t location_hash(const char* file, int line) noexcept {
    std::uint64_t x =
        reinterpret_cast<std::uintptr_t>(file) ^ (static_cast<std::uint64_t>(static_cast<unsigned>(line)) << 40);
    x *= 0x9E3779B97F4A7C15ull;
    return static_cast<std::size_t>(x >> 52) & (location_buckets - 1);
}

inline location_record* find_location(location_record* r, const char* file, int line) noexcept {
    for (; r; r = r->next)
        if (r->where.file == file && r->where.line == line) return r;
    return nullptr;
}

// The record for (file, line), created on first use; null only when raw memory runs out. `file`
// must have static storage (a string literal: __FILE__).
inline const location_record* intern_location(const char* file, int line, const void* caller) noexcept {
    std::atomic<location_record*>& head = g_locations.buckets[location_hash(file, line)];
    location_record* first = head.load(std::memory_order_acquire);
    if (location_record* r = find_location(first, file, line)) return r;
    location_record* fresh = static_cast<location_record*>(raw_alloc(sizeof(location_record)));
    if (!fresh) return nullptr;
    fresh->where.file = file;
    fresh->where.line = line;
    fresh->where.function = nullptr;
    fresh->caller = caller;
    for (;;) {
        fresh->next = first;
        if (head.compare_exchange_weak(first, fresh, std::memory_order_release, std::memory_order_acquire))
            return fresh;
        // Another thread added to this chain meanwhile: it may have added the same position.
        if (location_record* r = find_location(first, file, line)) {
            raw_free(fresh);
            return r;
        }
    }
}

} // namespace detail
} // namespace leakguard

#endif
