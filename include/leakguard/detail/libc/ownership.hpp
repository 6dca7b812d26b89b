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
#include "../heap/page_index.hpp"
#include "../heap/release.hpp"
#include "../core/libc_functions.hpp"
#include "../core/platform.hpp"

namespace leakguard {
namespace detail {

// Whose is a non-null pointer that may not be leakguard's:
//   live      a live block of leakguard's;
//   released  a block leakguard released, whose memory it may or may not still hold (a double free);
//   damaged   possibly a block of leakguard's whose header a buffer underflow overwrote: it is
//             leakguard's if it is found in a shard list (detach_damaged), anybody else's if not;
//   broken    leakguard's memory for certain (in the page index), but neither live nor released by
//             its cookie: a header overwritten, of a live block (then in a list) or a released one;
//   foreign   anybody else's: the C library's, a preloaded allocator's, a sanitizer's.
enum class ownership { live, released, damaged, broken, foreign };

// The proof depends on the allocator underneath (core/heap_kind.hpp):
//  - glibc's keeps its chunk's size word in the 8 bytes in front of every pointer its malloc
//    returned, so those are readable and rewritten whenever glibc hands the chunk out: the cookie
//    alone proves a block live (a glibc size never has bit 3 set), a released cookie one leakguard
//    released, and a header that cannot be glibc's size word may be a damaged one of ours;
//  - under any other allocator those bytes may be anything: the end of the block before, or a
//    header leakguard wrote into memory it has since given back (heap/block_memory.hpp wipes the
//    cookie then). The cookie (keyed per process, heap/cookie_key.hpp) must come with the
//    thread/front pair of the same word - 47 bits that other bytes match by chance once in 10^14
//    pointers - and nothing else is guessed: a pointer that fails is passed on untouched (after a
//    search of the shard lists where every C block is leakguard's: owner_by_other_cookie).
// Whatever the allocator, the 8 bytes in front of a pointer that starts a page are on the page
// before, which may not be mapped: they are read only for a block in the page index (which is
// then leakguard's) - or under glibc, where `glibc_reads` (free, realloc, malloc_usable_size: the
// C library reads the same bytes next) - and the pointer is foreign otherwise.

// Whether the 8 bytes in front of a pointer that failed the cookie test, under glibc, could be a
// damaged header of ours rather than glibc's chunk size: glibc's never has bit 3 (cookie_mark)
// set, and its upper half is zero below 4 GiB, where ours holds the thread/front pair (front =
// thread ^ front_mark, never both zero). Only then are the shard lists searched: a plain free()
// of the C library's memory stays cheap.
inline bool looks_damaged(const void* p, std::uint32_t cookie) noexcept {
    return (cookie & cookie_mark) || front_in_front_of(p) != 0;
}

// The judgement of a pointer whose cookie (`cookie`, read from readable bytes) is not its live
// cookie `live`: see above. Where leakguard defines the whole malloc family (LEAKGUARD_DETAIL_INTERPOSE_ALLOC)
// every C block is its own, so under another allocator, where no size word tells a broken header
// from other bytes, a pointer that is not proved anything is looked for in the lists (damaged):
// a foreign pointer is rare there, and the search costs only its free.
LEAKGUARD_DETAIL_ALWAYS_INLINE ownership owner_by_other_cookie(const void* p, std::uint32_t cookie,
                                                               std::uint32_t live) noexcept {
    if (LEAKGUARD_DETAIL_UNLIKELY(cookie == (live ^ freed_cookie_flip)))
        return heap_is_glibc() || thread_pair_in_front_of(p) ? ownership::released : ownership::foreign;
#if LEAKGUARD_DETAIL_INTERPOSE_ALLOC
    bool const suspect = !heap_is_glibc() || looks_damaged(p, cookie);
#else // the C library's own pointers are the most frequent here: the cheap test first
    bool const suspect = looks_damaged(p, cookie) && heap_is_glibc();
#endif
    return LEAKGUARD_DETAIL_UNLIKELY(suspect) ? ownership::damaged : ownership::foreign;
}

// A live cookie under an allocator other than glibc's (or one not known yet): live with its
// thread/front pair. Without it, a live block whose front guard a write just before it broke (its
// cookie intact, so is the rest of its header: it is released, and the write reported, as under
// glibc), or other bytes that matched the cookie by chance: the shard lists tell.
LEAKGUARD_DETAIL_NOINLINE inline ownership owner_by_live_cookie(const void* p) noexcept {
    if (heap_is_glibc() || thread_pair_in_front_of(p) || listed(header_of(p))) return ownership::live;
    return ownership::foreign;
}

// A pointer whose 8 bytes in front are on another page (front_off_page): see above.
LEAKGUARD_DETAIL_NOINLINE inline ownership owner_of_page_start(const void* p, bool glibc_reads) noexcept {
    const block_header* h = header_of(p);
    if (page_index_contains(p)) { // leakguard's memory: the header in front is readable
        std::uint32_t const cookie = cookie_in_front_of(p);
        if (cookie == cookie_for(h)) return ownership::live;
        if (cookie == freed_cookie_for(h)) return ownership::released;
        return ownership::broken;
    }
    if (!glibc_reads || !heap_is_glibc()) return ownership::foreign;
    std::uint32_t const cookie = cookie_in_front_of(p);
    std::uint32_t const live = cookie_for(h);
    // Live blocks that start a page are in the index, but under glibc the cookie is proof enough.
    return cookie == live ? ownership::live : owner_by_other_cookie(p, cookie, live);
}

// Whose is non-null `p`. `glibc_reads`: the caller passes a foreign pointer on to the C library,
// which reads in front of it itself (see above); leakguard::ignore() does not.
LEAKGUARD_DETAIL_ALWAYS_INLINE ownership owner_of(const void* p, bool glibc_reads = true) noexcept {
    if (LEAKGUARD_DETAIL_UNLIKELY(front_off_page(p))) return owner_of_page_start(p, glibc_reads);
    std::uint32_t const cookie = cookie_in_front_of(p);
    std::uint32_t const live = cookie_for(header_of(p));
    if (LEAKGUARD_DETAIL_LIKELY(cookie == live)) {
        if (LEAKGUARD_DETAIL_LIKELY(g_heap_kind.load(std::memory_order_relaxed) == heap_glibc)) return ownership::live;
        return owner_by_live_cookie(p);
    }
    return owner_by_other_cookie(p, cookie, live);
}

// Whether `p`, a pointer owner_of calls foreign, lies inside the header of one of leakguard's live
// blocks: free(p - 48) or free(p - 16) on one of them, which the C library would take for (or
// crash on as) a chunk of its own while the block is still listed. Only under glibc, whose heap
// makes the candidates' cookies readable: from a pointer inside a header, every byte up to the
// block is the header's; from a chunk glibc handed out, the next header_size bytes are its own or
// the chunks after it (a heap ends with its top chunk, never right after a chunk in use). A
// block's user pointer is 16-aligned and at least header_size + 32 bytes past any other chunk's,
// so no foreign chunk is ever taken for one.
LEAKGUARD_DETAIL_NOINLINE inline bool inside_live_header(const void* p) noexcept {
    if (!heap_is_glibc()) return false;
    std::uintptr_t const at = reinterpret_cast<std::uintptr_t>(p);
    for (std::uintptr_t user = (at + 16) & ~std::uintptr_t(15); user <= at + header_size; user += 16)
        if (owner_of(reinterpret_cast<const void*>(user)) == ownership::live) return true;
    return false;
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
// (release_c_live); a pointer leakguard released before is a double free; a damaged header is
// searched for (detach_damaged); anything else belongs to the C library (or another allocator)
// and goes there untouched.
LEAKGUARD_DETAIL_C_FREE void release_c(void* p, const void* caller, const char* file, int line) noexcept {
    if (!p) return;
    switch (owner_of(p)) {
    case ownership::live: return release_c_live(header_of(p), caller, file, line);
    case ownership::released: return report_bad_free(p, true, caller, dealloc_form::c_free, file, line);
    case ownership::damaged:
        if (detach_damaged(header_of(p), caller, dealloc_form::c_free, file, line)) return;
        // Under glibc, bit 3 set: no glibc chunk size; the C library would abort on it.
        if (heap_is_glibc() && ((cookie_in_front_of(p) & cookie_mark) || inside_live_header(p)))
            return report_bad_free(p, false, caller, dealloc_form::c_free, file, line);
        return libc_free(p);
    case ownership::broken:
        if (detach_damaged(header_of(p), caller, dealloc_form::c_free, file, line)) return;
        return report_bad_free(p, false, caller, dealloc_form::c_free, file, line); // never the C library's
    case ownership::foreign:
        if (LEAKGUARD_DETAIL_UNLIKELY(inside_live_header(p)))
            return report_bad_free(p, false, caller, dealloc_form::c_free, file, line);
        return libc_free(p);
    }
}

} // namespace detail
} // namespace leakguard

#undef LEAKGUARD_DETAIL_C_FREE
#undef LEAKGUARD_DETAIL_C_FREE_LIVE

#endif
