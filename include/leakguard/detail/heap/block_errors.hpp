// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// heap/block_errors.hpp: the errors found where a block is given back - a pointer that is not a
// live block (double or invalid free), a block given back through the wrong form (mismatch), a
// write past either end of the block, and a block whose header a write in front of it broke
// (detach_damaged). Each record names how and where the program freed it.
#ifndef LEAKGUARD_DETAIL_HEAP_BLOCK_ERRORS_HPP_INCLUDED
#define LEAKGUARD_DETAIL_HEAP_BLOCK_ERRORS_HPP_INCLUDED

#include <cstdint> // std::uint32_t

#include "block.hpp"
#include "errors.hpp"
#include "guards.hpp"
#include "quarantine.hpp"
#include "registry.hpp"
#include "../capture/locations.hpp"

namespace leakguard {
namespace detail {

// Adds to `e` how (`form`) and where the program gave the block back. `file` and `line` come from
// a mapping macro (null when the free was not mapped).
inline void describe_free(error_record& e, const void* caller, dealloc_form form, const char* file, int line) noexcept {
    e.has_form = true;
    e.form = form;
    e.has_free = true;
    e.free_caller = caller;
    const location_record* where = file ? intern_location(file, line, caller) : nullptr;
    e.free_location = where ? &where->where : nullptr;
}

// An error about live block `h` found where it was given back.
inline error_record block_free_error(error_type type, const block_header* h, const void* caller, dealloc_form form,
                                     const char* file, int line) noexcept {
    error_record e = block_error(type, h);
    describe_free(e, caller, form, file, line);
    return e;
}

// A pointer that is not a live leakguard block reached delete or free: a double free when its
// cookie says leakguard `released` it, an invalid free otherwise. Reported, and left alone.
// A double free of a block still in a quarantine also names the block and where it was first freed.
LEAKGUARD_DETAIL_NOINLINE inline void report_bad_free(const void* p, bool released, const void* caller,
                                                      dealloc_form form, const char* file, int line) noexcept {
    error_record e = error_record();
    e.type = released ? error_type::double_free : error_type::invalid_free;
    e.address = p;
    describe_free(e, caller, form, file, line);
    if (released) describe_quarantined(header_of(p), e);
    report_error(e);
}

LEAKGUARD_DETAIL_NOINLINE inline void report_mismatch(const block_header* h, const void* caller, dealloc_form form,
                                                      const char* file, int line) noexcept {
    report_error(block_free_error(error_type::alloc_dealloc_mismatch, h, caller, form, file, line));
}

// Reports a write past either end of live block `h`, being given back. Its cookie is intact (it
// passed the ownership test), so the rest of its header is too: it is released all the same.
LEAKGUARD_DETAIL_NOINLINE inline void report_guard_damage(block_header* h, long front, long tail, const void* caller,
                                                          dealloc_form form, const char* file, int line) noexcept {
    error_record e =
        block_free_error(front ? error_type::heap_underflow : error_type::heap_overflow, h, caller, form, file, line);
    e.has_offset = true;
    e.offset = front ? front : tail;
    report_error(e);
    repair_guards(h); // reported once: not again when it leaves the quarantine
}

// A pointer whose cookie is broken but whose header is linked in a shard list is leakguard's:
// something wrote over the bytes just before it. Finds it (comparing addresses only, reading a
// header only once it is found in a list), takes it out of its list, and reports heap_underflow.
// The block is not freed: its header cannot be trusted to give the C library the right pointer.
// Returns false when `h` is in no list (the pointer is not a live block of leakguard's).
LEAKGUARD_DETAIL_NOINLINE inline bool detach_damaged(block_header* h, const void* caller, dealloc_form form,
                                                     const char* file, int line) noexcept {
    bool found = false;
    error_record e = error_record();
    std::uint32_t const n = g_registry.shard_count.load(std::memory_order_acquire);
    for (std::uint32_t i = 0; i < n && !found; ++i) {
        shard* s = g_registry.shards[i];
        lock_shard(s);
        for (block_header* b = s->newest; b; b = b->prev) {
            if (b != h) continue;
            found = true;
            e = block_error(error_type::heap_underflow, h);
            e.has_offset = true;
            e.offset = front_damage(h, cookie_for(h), load_cookie(h));
            e.left_alone = true;
            unlink_counted(s, h, static_cast<std::int64_t>(e.size));
            break;
        }
        unlock_shard(s);
    }
    if (!found) return false;
    describe_free(e, caller, form, file, line);
    report_error(e);
    return true;
}

} // namespace detail
} // namespace leakguard

#endif
