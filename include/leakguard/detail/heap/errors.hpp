// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// heap/errors.hpp: heap errors found on the way (bad frees, mismatched deallocation): kept for the
// JSON report and the exit status, and printed at once (report/error_report.hpp); and what an
// error says about a block leakguard knows is its own (its size, kind, sequence number and
// allocation site, read from the header).
#ifndef LEAKGUARD_DETAIL_HEAP_ERRORS_HPP_INCLUDED
#define LEAKGUARD_DETAIL_HEAP_ERRORS_HPP_INCLUDED

#include <atomic>  // std::atomic
#include <cstdint> // std::uint64_t
#include <cstdlib> // std::abort

#include "../upward_calls.hpp"
#include "../../block_info.hpp"
#include "block.hpp"
#include "../capture/locations.hpp"
#include "../capture/stack_table.hpp"
#include "../core/options.hpp"
#include "../core/platform.hpp"

namespace leakguard {
namespace detail {

// How a block is being given back; each form accepts only the block kinds it pairs with.
enum class dealloc_form : unsigned char {
    delete_scalar,
    delete_array,
    delete_scalar_aligned,
    delete_array_aligned,
    c_free,    // free() and realloc(p, 0)
    c_realloc, // realloc() of a block
};

inline const char* dealloc_name(dealloc_form form) noexcept {
    switch (form) {
    case dealloc_form::delete_scalar: return "delete";
    case dealloc_form::delete_array: return "delete[]";
    case dealloc_form::delete_scalar_aligned: return "delete(align)";
    case dealloc_form::delete_array_aligned: return "delete[](align)";
    case dealloc_form::c_free: return "free";
    case dealloc_form::c_realloc: return "realloc";
    }
    return "unknown";
}

inline bool form_matches(block_kind kind, dealloc_form form) noexcept {
    switch (form) {
    case dealloc_form::delete_scalar: return kind == block_kind::new_scalar;
    case dealloc_form::delete_array: return kind == block_kind::new_array;
    case dealloc_form::delete_scalar_aligned: return kind == block_kind::new_scalar_aligned;
    case dealloc_form::delete_array_aligned: return kind == block_kind::new_array_aligned;
    case dealloc_form::c_free:
    case dealloc_form::c_realloc: return kind >= block_kind::malloc;
    }
    return false;
}

// The form a block of `kind` is given back through when nothing is wrong.
inline dealloc_form matching_form(block_kind kind) noexcept {
    switch (kind) {
    case block_kind::new_scalar: return dealloc_form::delete_scalar;
    case block_kind::new_array: return dealloc_form::delete_array;
    case block_kind::new_scalar_aligned: return dealloc_form::delete_scalar_aligned;
    case block_kind::new_array_aligned: return dealloc_form::delete_array_aligned;
    default: return dealloc_form::c_free;
    }
}

// The kinds of heap error; error_type_name() gives the name the reports print (as ASan's).
enum class error_type : unsigned char {
    double_free,
    invalid_free,
    alloc_dealloc_mismatch,
    heap_overflow,
    heap_underflow,
    use_after_free,
    heap_corruption, // leakguard's own record of a block damaged (reach/list_walk.hpp)
};

inline const char* error_type_name(error_type t) noexcept {
    switch (t) {
    case error_type::double_free: return "double_free";
    case error_type::invalid_free: return "invalid_free";
    case error_type::alloc_dealloc_mismatch: return "alloc_dealloc_mismatch";
    case error_type::heap_overflow: return "heap_overflow";
    case error_type::heap_underflow: return "heap_underflow";
    case error_type::use_after_free: return "use_after_free";
    case error_type::heap_corruption: return "heap_corruption";
    }
    return "unknown";
}

struct error_record {
    error_type type;
    const void* address;
    bool has_form;                        // found by a release: `form` and the free site are known
    dealloc_form form;                    // how the program tried to give it back
    bool has_free;                        // free_caller/free_location name a site
    const void* free_caller;              // return address into the code that freed
    const source_location* free_location; // file:line when a mapping macro gave it
    bool has_first_free;                  // a double free of a quarantined block: where it was freed first
    const void* first_free_caller;
    const source_location* first_free_location;
    bool has_offset;  // guard and use-after-free errors: the first bad byte,
    long offset;      // heap_overflow: from the end of the block; the others:
                      // from its start (negative: before it)
    bool left_alone;  // a damaged block kept from the C library
    const char* what; // heap_corruption: what was damaged (a string literal)
    // What is known about the block (when leakguard could tell it is one of its own).
    bool block_known;
    std::size_t size;
    block_kind kind;
    std::uint64_t seq;
    const void* alloc_caller;
    const source_location* alloc_location;
};

constexpr std::size_t max_error_records = 256; // more are counted, not kept

struct error_log {
    spinlock lock;
    std::atomic<std::uint64_t> count;
    error_record records[max_error_records];
};

error_log g_errors{};

LEAKGUARD_DETAIL_NOINLINE inline void report_error(const error_record& e) noexcept {
    std::uint64_t const n = g_errors.count.fetch_add(1, std::memory_order_relaxed);
    if (n < max_error_records) {
        // A thread that is naming code may be writing the JSON report's errors, under this lock:
        // then the error is printed and counted, not kept.
        if (!t_inside.naming) g_errors.lock.lock();
        if (!t_inside.naming || g_errors.lock.try_lock()) {
            g_errors.records[n] = e;
            g_errors.lock.unlock();
        }
    }
    print_error(e);
    // For use under a debugger: stop right where the error was found.
    if (g_options.abort_on_error.load(std::memory_order_relaxed)) std::abort();
}

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

// Adds to `e` what block `h` (which must be leakguard's: its header is read) tells about itself.
inline void describe_block(error_record& e, const block_header* h) noexcept {
    e.block_known = true;
    e.size = size_of(h);
    e.kind = kind_of(h);
    e.seq = seq_of(h);
    site_of(h, e.alloc_caller, e.alloc_location);
}

// `type` about block `h`.
inline error_record block_error(error_type type, const block_header* h) noexcept {
    error_record e = error_record();
    e.type = type;
    e.address = reinterpret_cast<const char*>(h) + header_size;
    describe_block(e, h);
    return e;
}

} // namespace detail
} // namespace leakguard

#endif
