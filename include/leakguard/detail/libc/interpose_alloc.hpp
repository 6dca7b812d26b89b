// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// libc/interpose_alloc.hpp: the program's own malloc, calloc, memalign, posix_memalign,
// aligned_alloc, valloc and pvalloc (with LEAKGUARD_DETAIL_INTERPOSE_ALLOC).
//
// Why: a leak check that tells lost memory from reachable memory must know every heap block -
// also those C code, the C library, the C++ runtime and the dynamic loader allocate - since any of
// them may hold the only pointer to another. As for free (libc/interpose.hpp), an executable's
// definition of these functions takes precedence over the C library's for every caller in the
// process, the C library's own calls included (glibc supports replacing its allocator so). Each
// block is tracked with its kind and the caller's return address as its site, and a call stack as
// operator new's blocks get one; leakguard's own memory comes from the C library's allocator,
// past these (core/platform.hpp, core/libc_functions.hpp). free() takes every kind.
//
// Each does what glibc does: null and errno ENOMEM when memory runs out; calloc fails (ENOMEM)
// when count * size does not fit in a size_t; memalign and aligned_alloc round an alignment that
// is not a power of two up to the next one (glibc 2.36 does, though its manual calls it an
// error, and programs rely on it: memalign(0, n) is malloc(n)), EINVAL only past the largest;
// posix_memalign returns EINVAL unless the
// alignment is a power-of-two multiple of sizeof(void*), ENOMEM when memory runs out, leaves its
// output and errno alone when it fails; valloc aligns to the page size, and pvalloc also rounds
// the size up to a multiple of it (ENOMEM when that overflows). An alignment up to malloc's own
// (16 bytes) makes an ordinary block.
//
// The first call is usually the process's first allocation, made while the C library or the C++
// runtime initialises itself: start-up copes (heap/startup.hpp). While leakguard itself runs
// (busy), a block gets a header but is not linked, and nothing recurses.
#ifndef LEAKGUARD_DETAIL_LIBC_INTERPOSE_ALLOC_HPP_INCLUDED
#define LEAKGUARD_DETAIL_LIBC_INTERPOSE_ALLOC_HPP_INCLUDED

#include "../config.hpp"

#if LEAKGUARD_DETAIL_INTERPOSE_ALLOC

#include <cerrno>   // errno, EINVAL, ENOMEM
#include <cstdint>  // SIZE_MAX
#include <cstdlib>  // the C library's declarations, which these definitions must match
#include <malloc.h> // memalign, pvalloc (included first by core/libc_functions.hpp)

#include "../../block_info.hpp"
#include "c_alloc.hpp"
#include "../core/pages.hpp"

namespace leakguard {
namespace detail {

inline bool is_power_of_two(std::size_t n) noexcept { return n != 0 && (n & (n - 1)) == 0; }

// memalign() and aligned_alloc(): the alignment rounded up to a power of two, as glibc does.
inline void* c_memalign(std::size_t align, std::size_t size, block_kind kind, const void* caller,
                        const void* frame) noexcept {
    if (align > SIZE_MAX / 2 + 1) {
        errno = EINVAL;
        return nullptr;
    }
    std::size_t rounded = 1;
    while (rounded < align) rounded <<= 1;
    return c_allocate_aligned(size, rounded, kind, caller, frame);
}

} // namespace detail
} // namespace leakguard

#define LEAKGUARD_DETAIL_INTERPOSED LEAKGUARD_DETAIL_NOINLINE __attribute__((used, visibility("default")))
#define LEAKGUARD_DETAIL_CALLER __builtin_return_address(0)
// The entry's own frame: where a frame-pointer walk of the caller's stack starts.
#define LEAKGUARD_DETAIL_FRAME __builtin_frame_address(0)

extern "C" {

LEAKGUARD_DETAIL_INTERPOSED void* malloc(std::size_t size) noexcept {
    return leakguard::detail::c_allocate(size, leakguard::block_kind::malloc, LEAKGUARD_DETAIL_CALLER, nullptr, 0,
                                         LEAKGUARD_DETAIL_FRAME);
}

LEAKGUARD_DETAIL_INTERPOSED void* calloc(std::size_t count, std::size_t size) noexcept {
    return leakguard::detail::c_calloc(count, size, LEAKGUARD_DETAIL_CALLER, nullptr, 0, LEAKGUARD_DETAIL_FRAME);
}

LEAKGUARD_DETAIL_INTERPOSED void* memalign(std::size_t align, std::size_t size) noexcept {
    return leakguard::detail::c_memalign(align, size, leakguard::block_kind::memalign, LEAKGUARD_DETAIL_CALLER,
                                         LEAKGUARD_DETAIL_FRAME);
}

LEAKGUARD_DETAIL_INTERPOSED void* aligned_alloc(std::size_t align, std::size_t size) noexcept {
    return leakguard::detail::c_memalign(align, size, leakguard::block_kind::aligned_alloc, LEAKGUARD_DETAIL_CALLER,
                                         LEAKGUARD_DETAIL_FRAME);
}

LEAKGUARD_DETAIL_INTERPOSED int posix_memalign(void** out, std::size_t align, std::size_t size) noexcept {
    if (align % sizeof(void*) != 0 || !leakguard::detail::is_power_of_two(align / sizeof(void*))) return EINVAL;
    int const saved = errno; // the error is the result; errno stays as it was
    void* p = leakguard::detail::c_allocate_aligned(size, align, leakguard::block_kind::posix_memalign,
                                                    LEAKGUARD_DETAIL_CALLER, LEAKGUARD_DETAIL_FRAME);
    errno = saved;
    if (!p) return ENOMEM;
    *out = p;
    return 0;
}

LEAKGUARD_DETAIL_INTERPOSED void* valloc(std::size_t size) noexcept {
    return leakguard::detail::c_allocate_aligned(size, leakguard::detail::page_size(), leakguard::block_kind::valloc,
                                                 LEAKGUARD_DETAIL_CALLER, LEAKGUARD_DETAIL_FRAME);
}

LEAKGUARD_DETAIL_INTERPOSED void* pvalloc(std::size_t size) noexcept {
    std::size_t const page = leakguard::detail::page_size();
    if (size > SIZE_MAX - (page - 1)) {
        errno = ENOMEM;
        return nullptr;
    }
    // The block is as large as the program may use: the whole pages.
    return leakguard::detail::c_allocate_aligned((size + page - 1) & ~(page - 1), page, leakguard::block_kind::pvalloc,
                                                 LEAKGUARD_DETAIL_CALLER, LEAKGUARD_DETAIL_FRAME);
}

} // extern "C"

#undef LEAKGUARD_DETAIL_FRAME
#undef LEAKGUARD_DETAIL_CALLER
#undef LEAKGUARD_DETAIL_INTERPOSED

#endif // LEAKGUARD_DETAIL_INTERPOSE_ALLOC

#endif
