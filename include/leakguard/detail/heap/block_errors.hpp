// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// heap/block_errors.hpp: an error_record for a block leakguard knows is its own (its size, kind,
// sequence number and allocation site, read from the header), and where a block was freed (kept
// in the header of a quarantined block).
#ifndef LEAKGUARD_DETAIL_HEAP_BLOCK_ERRORS_HPP_INCLUDED
#define LEAKGUARD_DETAIL_HEAP_BLOCK_ERRORS_HPP_INCLUDED

#include <cstdint> // std::uintptr_t

#include "block.hpp"
#include "errors.hpp"
#include "../capture/locations.hpp"
#include "../capture/stack_table.hpp"

namespace leakguard {
namespace detail {

// A block's allocation site for an error report: its location record's, or its return address.
inline void site_of(const block_header* h, const void*& caller, const source_location*& location) noexcept {
    if (flags_of(h) & flag_has_location) {
        const location_record* r = static_cast<const location_record*>(h->site);
        caller = r->caller;
        location = &r->where;
    } else if (flags_of(h) & flag_has_stack) {
        caller = static_cast<const stack_record*>(h->site)->frames()[0];
        location = nullptr;
    } else {
        caller = h->site;
        location = nullptr;
    }
}

// `type` about block `h` (which must be leakguard's: its header is read).
inline error_record block_error(error_type type, const block_header* h) noexcept {
    error_record e = error_record();
    e.type = type;
    e.address = reinterpret_cast<const char*>(h) + header_size;
    e.block_known = true;
    e.size = size_of(h);
    e.kind = kind_of(h);
    e.seq = seq_of(h);
    site_of(h, e.alloc_caller, e.alloc_location);
    return e;
}

// A quarantined block keeps where it was freed in `prev` (it is out of its shard list): a
// location_record tagged with the top bit (never set in a user-space address), or the return
// address into the code that freed it.
constexpr std::uintptr_t located_free_tag = std::uintptr_t(1) << 63;

inline void set_free_site(block_header* h, const void* caller, const location_record* where) noexcept {
    std::uintptr_t const v =
        where ? reinterpret_cast<std::uintptr_t>(where) | located_free_tag : reinterpret_cast<std::uintptr_t>(caller);
    h->prev = reinterpret_cast<block_header*>(v);
}

inline void free_site_of(const block_header* h, const void*& caller, const source_location*& location) noexcept {
    std::uintptr_t const v = reinterpret_cast<std::uintptr_t>(h->prev);
    if (v & located_free_tag) {
        const location_record* r = reinterpret_cast<const location_record*>(v & ~located_free_tag);
        caller = r->caller;
        location = &r->where;
    } else {
        caller = reinterpret_cast<const void*>(v);
        location = nullptr;
    }
}

} // namespace detail
} // namespace leakguard

#endif
