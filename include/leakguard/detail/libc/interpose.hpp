// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// libc/interpose.hpp: the program's own free, realloc, reallocarray and malloc_usable_size.
//
// A block from a mapped malloc can end up in code that never saw the mapping: getline() growing
// it, a C library taking ownership, another unit's plain free(). On glibc an executable's
// definition of these functions takes precedence over the C library's for every caller in the
// process, the C library included (glibc supports replacing its allocator this way), so they are
// defined here: leakguard's blocks (told apart by the cookie in the 8 bytes before the pointer,
// which for any pointer glibc's malloc returned holds glibc's chunk size, always readable, never
// with bit 3 set - see heap/block.hpp; under another allocator by stricter proof, see
// libc/ownership.hpp) are released or reallocated with their records; every other pointer goes on
// to the C library or the allocator preloaded in front of it (core/libc_functions.hpp). The
// allocating functions are replaced only with LEAKGUARD_DETAIL_INTERPOSE_ALLOC
// (libc/interpose_alloc.hpp; then realloc(NULL, n) here is a tracked block too); otherwise only
// the functions that take a pointer need to know leakguard's blocks.
//
// Off with -DLEAKGUARD_NO_INTERPOSE (then a mapped block must be freed by mapped code) and on
// platforms other than glibc.
#ifndef LEAKGUARD_DETAIL_LIBC_INTERPOSE_HPP_INCLUDED
#define LEAKGUARD_DETAIL_LIBC_INTERPOSE_HPP_INCLUDED

#include "../config.hpp"

#if LEAKGUARD_DETAIL_INTERPOSE

#include <cerrno>  // errno, ENOMEM
#include <cstdint> // SIZE_MAX
#include <cstdlib> // the C library's declarations, which these definitions must match

#include "../heap/block.hpp"
#include "c_alloc.hpp"
#include "ownership.hpp"
#include "../core/libc_functions.hpp"

#define LEAKGUARD_DETAIL_INTERPOSED LEAKGUARD_DETAIL_NOINLINE __attribute__((used, visibility("default")))

extern "C" {

LEAKGUARD_DETAIL_INTERPOSED void free(void* p) noexcept {
    leakguard::detail::release_c(p, __builtin_return_address(0), nullptr, 0);
}

LEAKGUARD_DETAIL_INTERPOSED void* realloc(void* p, std::size_t size) noexcept {
    // realloc(NULL, n) from code that does not map malloc is that code's malloc: the C library's,
    // unless leakguard defines malloc too.
    if (!p && !LEAKGUARD_DETAIL_INTERPOSE_ALLOC) return leakguard::detail::libc_realloc(p, size);
    return leakguard::detail::realloc_any(p, size, __builtin_return_address(0), nullptr, 0, __builtin_frame_address(0));
}

LEAKGUARD_DETAIL_INTERPOSED void* reallocarray(void* p, std::size_t count, std::size_t size) noexcept {
    if (size != 0 && count > SIZE_MAX / size) {
        errno = ENOMEM;
        return nullptr;
    }
    if (!p && !LEAKGUARD_DETAIL_INTERPOSE_ALLOC) return leakguard::detail::libc_realloc(p, count * size);
    return leakguard::detail::realloc_any(p, count * size, __builtin_return_address(0), nullptr, 0,
                                          __builtin_frame_address(0));
}

LEAKGUARD_DETAIL_INTERPOSED std::size_t malloc_usable_size(void* p) noexcept {
    if (!p) return 0;
    switch (leakguard::detail::owner_of(p)) {
    case leakguard::detail::ownership::live: return leakguard::detail::size_of(leakguard::detail::header_of(p));
    // A block leakguard released (or whose header broke) is no pointer the C library handed out: it
    // would read a chunk header that is not there. Nothing of it is usable.
    case leakguard::detail::ownership::released:
    case leakguard::detail::ownership::broken: return 0;
    case leakguard::detail::ownership::damaged:
    case leakguard::detail::ownership::foreign: break;
    }
    leakguard::detail::libc_functions_ready();
    leakguard::detail::usable_size_function f = leakguard::detail::g_libc.usable_size.load(std::memory_order_relaxed);
    return f ? f(p) : 0;
}

} // extern "C"

#undef LEAKGUARD_DETAIL_INTERPOSED

#endif // LEAKGUARD_DETAIL_INTERPOSE

#endif
