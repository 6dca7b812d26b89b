// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// libc/c_alloc.hpp: tracked malloc-family blocks with the C semantics - errno ENOMEM on failure,
// calloc's overflow check and zeroing, realloc's copy, glibc's realloc(p, 0) (frees p, returns
// NULL), over-aligned blocks - shared by the mapping macros (libc/mapped_calls.hpp) and the
// program's own malloc family (libc/interpose.hpp, libc/interpose_alloc.hpp).
#ifndef LEAKGUARD_DETAIL_LIBC_C_ALLOC_HPP_INCLUDED
#define LEAKGUARD_DETAIL_LIBC_C_ALLOC_HPP_INCLUDED

#include <cerrno>  // errno, ENOMEM
#include <cstdint> // SIZE_MAX
#include <cstring> // std::memcpy, std::memset

#include "../heap/allocate.hpp"
#include "../heap/block.hpp"
#include "../heap/block_memory.hpp"
#include "../heap/block_errors.hpp"
#include "../heap/release.hpp"
#include "../capture/locations.hpp"
#include "ownership.hpp"

namespace leakguard {
namespace detail {

// A tracked C block whose site is file:line when a macro gave them, else the return address: the
// entry of the C allocation path. The short path (fast_allocate) is tried here, once; when it
// declines, allocate_slow, the general path. `frame` is the entry's frame address (where a
// frame-pointer walk starts), or null. Inlined into each entry, as operator new inlines its short
// path: a call with six arguments more would be a sixth of a malloc's cost.
LEAKGUARD_DETAIL_ALWAYS_INLINE void* c_allocate(std::size_t size, block_kind kind, const void* caller, const char* file,
                                                int line, const void* frame = nullptr) noexcept {
    const location_record* where = file ? intern_location(file, line, caller) : nullptr;
    const void* const site = where ? static_cast<const void*>(where) : caller;
    unsigned const site_flags = where ? flag_has_location : 0u;
    void* p = fast_allocate(size, kind, site, site_flags, frame);
    if (!p) p = allocate_slow(size, 0, kind, site, site_flags, frame);
    if (LEAKGUARD_DETAIL_UNLIKELY(!p)) errno = ENOMEM;
    return p;
}

// calloc(): `count` * `size` zeroed bytes; null and ENOMEM when the product does not fit in a
// size_t. The general path hands out zeroed memory itself (heap/allocate.hpp), so only a block
// of the short path - a recycled one, or the C library's malloc - is cleared here.
inline void* c_calloc(std::size_t count, std::size_t size, const void* caller, const char* file, int line,
                      const void* frame = nullptr) noexcept {
    if (size != 0 && count > SIZE_MAX / size) { // count * size would wrap
        errno = ENOMEM;
        return nullptr;
    }
    std::size_t const n = count * size;
    const location_record* where = file ? intern_location(file, line, caller) : nullptr;
    const void* const site = where ? static_cast<const void*>(where) : caller;
    unsigned const site_flags = where ? flag_has_location : 0u;
    void* p = fast_allocate(n, block_kind::calloc, site, site_flags, frame);
    if (p) return std::memset(p, 0, n);
    p = allocate_slow(n, 0, block_kind::calloc, site, site_flags, frame);
    if (LEAKGUARD_DETAIL_UNLIKELY(!p)) errno = ENOMEM;
    return p;
}

// A tracked C block aligned to `align` (a power of two): over-aligned blocks take the general
// path, which pads the raw allocation (heap/block.hpp), as operator new(std::align_val_t) does;
// up to malloc's own alignment, the ordinary path. Null and ENOMEM on failure.
inline void* c_allocate_aligned(std::size_t size, std::size_t align, block_kind kind, const void* caller,
                                const void* frame) noexcept {
    if (align <= default_alignment) return c_allocate(size, kind, caller, nullptr, 0, frame);
    void* p = allocate_slow(size, align, kind, caller, 0, frame);
    if (LEAKGUARD_DETAIL_UNLIKELY(!p)) errno = ENOMEM;
    return p;
}

// realloc() in place, for a block of the calling thread's own shard while none of the per-block
// extras is on (g_hot: no guards, fill, stacks, quarantine, new sites): the C library's realloc of
// the whole raw allocation, which grows in place when it can and copies only when it must. The
// result is what the general path below makes - a block of kind realloc with this call's site and
// a new sequence number, the newest of the shard - so its header is rewritten and it is linked
// anew. All of it happens in one owner section: no scope or report can see the list while the
// block is out of it or at an address the C library has already released, and on failure the
// block goes back exactly where it was (nothing else changes a list during an owner section).
// With a quarantine on, the general path's copy is kept: the old block then waits in the
// quarantine, so a use of the stale pointer after the move is still caught. A block that starts a
// page takes the general path too: its memory must not leave the page index (heap/page_index.hpp)
// before the move is known to succeed.
// Returns false when it does not apply (`out` untouched).
inline bool realloc_in_place(block_header* h, std::size_t size, const void* caller, const char* file, int line,
                             void*& out) noexcept {
    thread_state& t = t_state;
    shard* const s = t.home;
    unsigned const hot = g_hot.load(std::memory_order_relaxed);
    std::uint64_t const shape = h->shape;
    if ((hot & (hot_ready | hot_extras_alloc | hot_extras_free)) != hot_ready || !s || t.busy ||
        !shape_is_plain(shape) || shard_of(h) != s->index || size > max_fast_size || front_off_page(user_of(h)))
        return false;
    const location_record* where = file ? intern_location(file, line, caller) : nullptr;
    std::int64_t const old_size = static_cast<std::int64_t>(shape_size(shape));
    unsigned const flags = (where ? flag_has_location : 0u) | flag_linked | (t.ignore_depth > 0 ? flag_ignored : 0u);
    bool const locked = owner_enter(s);
    block_header* const prev = h->prev;
    block_header* const next = h->next;
    unlink_held(s, h, old_size);
    // Should the C library move it, the old pointer is a freed block; under another allocator its
    // memory leaves leakguard then, and the cookie is wiped instead (heap/block_memory.hpp).
    h->cookie = heap_is_glibc() ? freed_cookie_for(h) : 0;
    // At its size class's room, as every small block (heap/recycler.hpp).
    void* const raw = libc_realloc(h, header_size + raw_user_capacity(raw_user_bytes(size, 0)));
    if (!raw) { // back where it was, as it was
        h->cookie = cookie_for(h);
        h->prev = prev;
        h->next = next;
        if (prev) prev->next = h;
        else s->oldest = h;
        if (next) next->prev = h;
        else s->newest = h;
        --s->frees;
        s->live_bytes += old_size;
        owner_exit(s, locked);
        return false; // the general path tries again (and fails with ENOMEM, the old block intact)
    }
    block_header* const n = static_cast<block_header*>(raw);
    // Into the page index if it now starts a page. Should the index be full and unable to grow
    // (memory exhausted), the block stays unindexed: under glibc its cookie still proves it
    // leakguard's; under another allocator its free would be taken for a foreign pointer's.
    if (LEAKGUARD_DETAIL_UNLIKELY(front_off_page(user_of(n)))) (void)hold_block_memory(n);
    write_header(n, where ? static_cast<const void*>(where) : caller,
                 make_shape(size, block_kind::realloc, flags, 0, 0), make_order(take_seq(t), s->index), t.tail_word);
    append_held(s, n, size);
    owner_exit(s, locked);
    account_bytes(t, static_cast<std::int64_t>(size) - old_size);
    out = user_of(n);
    return true;
}

// realloc() of a live tracked block: a new block (kind realloc, this call's site) with the old
// contents, then the old block released. On failure the old block is left as it was. A realloc of
// a block from new is reported as a mismatch, and done all the same.
inline void* realloc_tracked(void* p, std::size_t size, const void* caller, const char* file, int line,
                             const void* frame = nullptr) noexcept {
    block_header* h = header_of(p);
    if (LEAKGUARD_DETAIL_UNLIKELY(!form_matches(kind_of(h), dealloc_form::c_realloc)))
        report_mismatch(h, caller, dealloc_form::c_realloc, file, line);
    if (size == 0) { // glibc: realloc(p, 0) frees p and returns NULL
        release_live(h, caller, dealloc_form::c_free, file, line);
        return nullptr;
    }
    void* q = nullptr;
    if (realloc_in_place(h, size, caller, file, line, q)) return q;
    q = c_allocate(size, block_kind::realloc, caller, file, line, frame);
    if (!q) return nullptr;
    std::size_t const old = size_of(h);
    std::memcpy(q, p, old < size ? old : size);
    release_live(h, caller, dealloc_form::c_realloc, file, line);
    return q;
}

// realloc() of any pointer: null is a new block; leakguard's blocks are reallocated as above; a
// pointer leakguard released before is a double free (reported; NULL and errno EINVAL); any other
// pointer belongs to the C library and goes there, untracked.
inline void* realloc_any(void* p, std::size_t size, const void* caller, const char* file, int line,
                         const void* frame = nullptr) noexcept {
    if (!p) return c_allocate(size, block_kind::realloc, caller, file, line, frame);
    switch (owner_of(p)) {
    case ownership::live: return realloc_tracked(p, size, caller, file, line, frame);
    case ownership::released:
        report_bad_free(p, true, caller, dealloc_form::c_realloc, file, line);
        errno = EINVAL;
        return nullptr;
    case ownership::damaged:
        if (detach_damaged(header_of(p), caller, dealloc_form::c_realloc, file, line)) {
            errno = EINVAL; // a damaged block is left alone (see detach_damaged)
            return nullptr;
        }
        break;
    case ownership::broken: // leakguard's memory: never the C library's
        if (!detach_damaged(header_of(p), caller, dealloc_form::c_realloc, file, line))
            report_bad_free(p, false, caller, dealloc_form::c_realloc, file, line);
        errno = EINVAL;
        return nullptr;
    case ownership::foreign: break;
    }
    return libc_realloc(p, size);
}

} // namespace detail
} // namespace leakguard

#endif
