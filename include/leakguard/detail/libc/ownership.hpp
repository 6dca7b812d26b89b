// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// libc/ownership.hpp: whose is a pointer given to free(), realloc() or leakguard::ignore() - the
// C functions take any pointer of the process, leakguard's blocks and everybody else's - and
// free() itself, which releases leakguard's blocks and passes every other pointer on.
#ifndef LEAKGUARD_DETAIL_LIBC_OWNERSHIP_HPP_INCLUDED
#define LEAKGUARD_DETAIL_LIBC_OWNERSHIP_HPP_INCLUDED

#include <cstdint> // std::uint32_t

#include "../heap/block.hpp"
#include "../heap/block_errors.hpp"
#include "../heap/release.hpp"
#include "../core/libc_functions.hpp"
#include "../core/platform.hpp"

namespace leakguard {
namespace detail {

// Whether the 8 bytes in front of a pointer that failed the cookie test could be a damaged header of
// ours rather than glibc's chunk size: glibc's never has bit 3 (cookie_mark) set, and its upper half
// is zero below 4 GiB, where ours holds the thread/front pair (front = thread ^ front_mark, never
// both zero). Only then are the shard lists searched: a plain free() of the C library's memory
// stays cheap.
inline bool looks_damaged(const void* p, std::uint32_t cookie) noexcept {
    return (cookie & cookie_mark) || front_in_front_of(p) != 0;
}

// Whose is a non-null pointer that may not be leakguard's: a live block of leakguard's, one
// leakguard released, possibly one of leakguard's whose header a buffer underflow overwrote (see
// looks_damaged), or anybody else's. A sanitizer is asked first where reading in front of the
// pointer might not be safe (see sanitizer_owns).
enum class ownership { live, released, damaged, foreign };

inline ownership owner_of(const void* p) noexcept {
    if (LEAKGUARD_DETAIL_UNLIKELY(sanitizer_owns(p))) return ownership::foreign;
    const block_header* h = header_of(p);
    std::uint32_t const cookie = cookie_in_front_of(p);
    if (cookie == cookie_for(h)) return ownership::live;
    if (LEAKGUARD_DETAIL_UNLIKELY(cookie == freed_cookie_for(h))) return ownership::released;
    if (LEAKGUARD_DETAIL_UNLIKELY(looks_damaged(p, cookie))) return ownership::damaged;
    return ownership::foreign;
}

// How release_c_live and release_c are compiled: out of line while free() of the C library's own
// memory is the most frequent (it then stays short); inlined into free() where every C block is
// leakguard's (LEAKGUARD_DETAIL_INTERPOSE_ALLOC), as operator delete inlines its short path.
#if LEAKGUARD_DETAIL_INTERPOSE_ALLOC
#define LEAKGUARD_DETAIL_C_FREE_LIVE LEAKGUARD_DETAIL_ALWAYS_INLINE
#define LEAKGUARD_DETAIL_C_FREE LEAKGUARD_DETAIL_ALWAYS_INLINE
#else
#define LEAKGUARD_DETAIL_C_FREE_LIVE LEAKGUARD_DETAIL_NOINLINE inline
#define LEAKGUARD_DETAIL_C_FREE inline
#endif

// free() of live block `h` (its cookie read once, by owner_of). The short path is tried here,
// once, for a block of a C kind freed without a mapping macro's file:line (the quarantine keeps
// that free site, which only the general path records); anything else takes the general path.
LEAKGUARD_DETAIL_C_FREE_LIVE void release_c_live(block_header* h, const void* caller, const char* file,
                                                 int line) noexcept {
    if (file || LEAKGUARD_DETAIL_UNLIKELY(!form_matches(kind_of(h), dealloc_form::c_free)))
        return release_block_slow(h, caller, dealloc_form::c_free, file, line);
    fast_release_live(h, 0, dealloc_form::c_free, caller); // the kind judged just above
}

// free() of any pointer, the entry of the C free path: leakguard's blocks are released
// (release_c_live); a pointer leakguard released before is a double free; anything else belongs
// to the C library (or another allocator) and goes there.
LEAKGUARD_DETAIL_C_FREE void release_c(void* p, const void* caller, const char* file, int line) noexcept {
    if (!p) return;
    switch (owner_of(p)) {
    case ownership::live: return release_c_live(header_of(p), caller, file, line);
    case ownership::released: return report_bad_free(p, true, caller, dealloc_form::c_free, file, line);
    case ownership::damaged:
        if (detach_damaged(header_of(p), caller, dealloc_form::c_free, file, line)) return;
        // Bit 3 set: no glibc chunk size; the C library would abort on it.
        if (cookie_in_front_of(p) & cookie_mark)
            return report_bad_free(p, false, caller, dealloc_form::c_free, file, line);
        return libc_free(p);
    case ownership::foreign: return libc_free(p);
    }
}

} // namespace detail
} // namespace leakguard

#undef LEAKGUARD_DETAIL_C_FREE
#undef LEAKGUARD_DETAIL_C_FREE_LIVE

#endif
