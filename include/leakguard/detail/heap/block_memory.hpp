// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// heap/block_memory.hpp: a block's raw memory coming into leakguard's hands and going back to the
// allocator - the two places where what the ownership test may later find in front of a pointer
// is settled (libc/ownership.hpp).
//
// Coming in: a block whose user pointer starts a page goes into the page index (heap/page_index.hpp),
// the only proof that the page in front of it can be read.
//
// Going back: out of the page index, and, under an allocator other than glibc's, the cookie wiped.
// Under glibc the 8 bytes in front of a pointer are rewritten (the chunk's size) every time glibc
// hands the chunk out, so a released cookie left in memory glibc took back is only ever read in
// front of the pointer leakguard handed out - a second free of it - and tells the double free.
// Another allocator rewrites nothing: it may hand the same memory out again with a new block
// starting exactly where leakguard's user pointer was (another size class over a reused page),
// and a released cookie still in front of it would make that block's free a false double free,
// its memory never freed. So there the cookie is wiped when the memory goes back: a released
// cookie is then only ever in memory leakguard still holds (the quarantine, a recycler, a remote
// stack), where a double free is still told as one; a double free after that goes to the
// allocator, as it would without leakguard.
#ifndef LEAKGUARD_DETAIL_HEAP_BLOCK_MEMORY_HPP_INCLUDED
#define LEAKGUARD_DETAIL_HEAP_BLOCK_MEMORY_HPP_INCLUDED

#include <cstdint> // std::uintptr_t

#include "block.hpp"
#include "page_index.hpp"
#include "../core/libc_functions.hpp"
#include "../core/platform.hpp"

namespace leakguard {
namespace detail {

// Raw memory a block's header is being written into. False when the block starts a page and the
// page index cannot take it: the caller then gives the memory back and fails the allocation.
LEAKGUARD_DETAIL_ALWAYS_INLINE bool hold_block_memory(block_header* h) noexcept {
    void* const user = user_of(h);
    return LEAKGUARD_DETAIL_LIKELY(!front_off_page(user)) || page_index_add(reinterpret_cast<std::uintptr_t>(user));
}

// Block `h`'s raw memory is about to leave leakguard (freed, or moved by the C library's realloc).
LEAKGUARD_DETAIL_ALWAYS_INLINE void let_go_block_memory(block_header* h) noexcept {
    void* const user = user_of(h);
    if (LEAKGUARD_DETAIL_UNLIKELY(front_off_page(user))) page_index_remove(reinterpret_cast<std::uintptr_t>(user));
    if (LEAKGUARD_DETAIL_UNLIKELY(!heap_is_glibc())) store_cookie(h, 0); // matches no cookie
}

// Gives released block `h`'s raw memory back to the allocator.
LEAKGUARD_DETAIL_ALWAYS_INLINE void free_block_memory(block_header* h) noexcept {
    let_go_block_memory(h);
    raw_free(raw_of(h));
}

} // namespace detail
} // namespace leakguard

#endif
