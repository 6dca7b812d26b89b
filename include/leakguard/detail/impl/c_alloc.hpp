// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// impl/c_alloc.hpp: tracked malloc-family blocks with the C semantics - errno ENOMEM on failure,
// calloc's overflow check and zeroing, realloc's copy, glibc's realloc(p, 0) (frees p, returns
// NULL) - shared by the mapping macros (impl/map_impl.hpp) and the program's own free/realloc
// (impl/interpose.hpp).
#ifndef LEAKGUARD_DETAIL_IMPL_C_ALLOC_HPP_INCLUDED
#define LEAKGUARD_DETAIL_IMPL_C_ALLOC_HPP_INCLUDED

#include <cerrno>  // errno, ENOMEM
#include <cstring> // std::memcpy

#include "allocator.hpp"
#include "locations.hpp"

namespace leakguard {
namespace detail {

// A tracked C block whose site is file:line when a macro gave them, else the return address.
inline void* c_allocate(std::size_t size, block_kind kind, const void* caller, const char* file, int line) noexcept {
    const location_record* where = file ? intern_location(file, line, caller) : nullptr;
    void* p = where ? allocate(size, 0, kind, where, flag_has_location) : allocate(size, 0, kind, caller, 0);
    if (LEAKGUARD_DETAIL_UNLIKELY(!p)) errno = ENOMEM;
    return p;
}

// realloc() of a live tracked block: a new block (kind realloc, this call's site) with the old
// contents, then the old block released. On failure the old block is left as it was. A realloc of
// a block from new is reported as a mismatch, and done all the same.
inline void* realloc_tracked(void* p, std::size_t size, const void* caller, const char* file, int line) noexcept {
    block_header* h = header_of(p);
    if (LEAKGUARD_DETAIL_UNLIKELY(!form_matches(kind_of(h), dealloc_form::c_realloc)))
        report_mismatch(h, caller, dealloc_form::c_realloc, file, line);
    if (size == 0) { // glibc: realloc(p, 0) frees p and returns NULL
        release_live(h, caller, dealloc_form::c_free, file, line);
        return nullptr;
    }
    void* q = c_allocate(size, block_kind::realloc, caller, file, line);
    if (!q) return nullptr;
    std::size_t const old = size_of(h);
    std::memcpy(q, p, old < size ? old : size);
    release_live(h, caller, dealloc_form::c_realloc, file, line);
    return q;
}

// realloc() of any pointer: null is a new block; leakguard's blocks are reallocated as above; a
// pointer leakguard released before is a double free (reported; NULL and errno EINVAL); any other
// pointer belongs to the C library and goes there, untracked.
inline void* realloc_any(void* p, std::size_t size, const void* caller, const char* file, int line) noexcept {
    if (!p) return c_allocate(size, block_kind::realloc, caller, file, line);
    switch (owner_of(p)) {
    case ownership::live: return realloc_tracked(p, size, caller, file, line);
    case ownership::released:
        report_bad_free(p, caller, dealloc_form::c_realloc, file, line);
        errno = EINVAL;
        return nullptr;
    case ownership::damaged:
        if (detach_damaged(header_of(p), caller, dealloc_form::c_realloc, file, line)) {
            errno = EINVAL; // a damaged block is left alone (see detach_damaged)
            return nullptr;
        }
        break;
    case ownership::foreign: break;
    }
    return libc_realloc(p, size);
}

} // namespace detail
} // namespace leakguard

#endif
