// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// heap/release.hpp: giving a block back - its guards checked, unlinked from its shard, and put into
// the quarantine or returned to the C library.
//
// Two paths, one decision: an entry (operator delete, heap/operators.hpp; free,
// libc/ownership.hpp) tries the short path, inlined, exactly once; each reason for it to decline
// leads straight down to the general path (release_slow for a pointer whose cookie is not known
// to be right, release_block_slow for a live block), which handles every case and never comes
// back to the short path.
#ifndef LEAKGUARD_DETAIL_HEAP_RELEASE_HPP_INCLUDED
#define LEAKGUARD_DETAIL_HEAP_RELEASE_HPP_INCLUDED

#include <atomic>  // std::atomic_signal_fence
#include <cstdint> // std::uint64_t

#include "block.hpp"
#include "block_errors.hpp"
#include "errors.hpp"
#include "guards.hpp"
#include "new_sites.hpp"
#include "page_index.hpp"
#include "quarantine.hpp"
#include "recycler.hpp"
#include "registry.hpp"
#include "../capture/locations.hpp"
#include "../core/options.hpp"

namespace leakguard {
namespace detail {

// Takes `h` out of its owner's shard `s` (the calling thread's home) and counts the free; on the
// way, unlinks what other threads freed meanwhile (the mirror of link_owned, heap/allocate.hpp).
inline void unlink_owned(shard* s, block_header* h, std::int64_t size) noexcept {
    bool const locked = owner_enter(s);
    bool const due = remote_waiting(s, s->frees); // the count the short path looked at
    unlink_counted(s, h, size);
    block_header* const remote = LEAKGUARD_DETAIL_UNLIKELY(due) ? unlink_remote_held(s) : nullptr;
    owner_exit(s, locked);
    if (LEAKGUARD_DETAIL_UNLIKELY(remote != nullptr)) dispose_remote(remote);
}

// The general path for a live block (its cookie checked, its form judged by the caller): checks
// its guards, unlinks it (from the calling thread's shard, another thread's through its remote
// stack, or under the lock), and puts it into the quarantine or returns its memory to the C
// library.
inline void release_live(block_header* h, const void* caller, dealloc_form form, const char* file, int line) noexcept {
    if (LEAKGUARD_DETAIL_UNLIKELY(new_sites_on())) forget_new(user_of(h));
    if (guard_bytes_of(h)) {
        long const front = front_damage(h, h->cookie, h->cookie); // the caller checked the cookie
        long const tail = front ? -1 : tail_damage(h);
        if (LEAKGUARD_DETAIL_UNLIKELY(front || tail >= 0))
            report_guard_damage(h, front, tail, caller, form, file, line);
    }
    thread_state& t = t_state;
    if (flags_of(h) & flag_linked) {
        shard* s = g_registry.shards[shard_of(h)];
        std::int64_t const size = static_cast<std::int64_t>(size_of(h));
        account_bytes(t, -size);
        if (s == t.home) {
            unlink_owned(s, h, size);
        } else if (g_elide_locks.load(std::memory_order_relaxed)) {
            return push_remote(s, h);
        } else {
            lock_shard(s);
            unlink_counted(s, h, size);
            unlock_shard(s);
        }
    }
    store_cookie(h, freed_cookie_for(h));
    // A mapped free's file:line is kept only as a quarantined block's free site.
    dispose(h, caller, file && option_quarantine_bytes() ? intern_location(file, line, caller) : nullptr);
}

// The general path for a live block given back through `form`: a block given back through the
// wrong form is reported and then released all the same (leakguard knows how it was allocated, so
// that is safe).
LEAKGUARD_DETAIL_NOINLINE inline void release_block_slow(block_header* h, const void* caller, dealloc_form form,
                                                         const char* file = nullptr, int line = 0) noexcept {
    if (LEAKGUARD_DETAIL_UNLIKELY(!form_matches(kind_of(h), form))) report_mismatch(h, caller, form, file, line);
    release_live(h, caller, form, file, line);
}

// The general path for any non-null pointer given back through `form` (the aligned deletes, and
// the pointers whose cookie fast_release found wrong): reads its cookie once. A pointer that is
// not a live block is reported and left alone (passing it on could corrupt the heap) - unless it
// is a block whose header a write in front of it broke (detach_damaged). In front of a pointer
// that starts a page nothing is read unless the page index (heap/page_index.hpp) holds it: the
// page before may not be mapped (the start of an mmap region), and every block of leakguard's
// that starts a page is there.
LEAKGUARD_DETAIL_NOINLINE inline void release_slow(void* p, const void* caller, dealloc_form form) noexcept {
    block_header* h = header_of(p);
    if (LEAKGUARD_DETAIL_UNLIKELY(front_off_page(p)) && !page_index_contains(p))
        return report_bad_free(p, false, caller, form, nullptr, 0);
    std::uint32_t const cookie = cookie_in_front_of(p);
    if (LEAKGUARD_DETAIL_LIKELY(cookie == cookie_for(h))) return release_block_slow(h, caller, form);
    bool const released = cookie == freed_cookie_for(h);
    if (!released && detach_damaged(h, caller, form, nullptr, 0)) return;
    report_bad_free(p, released, caller, form, nullptr, 0);
}

// Where the short path with extras (out of line, below) declines to: the block's kind matched the
// form (fast_release_live), so the form is known from the kind, and is not kept in a register
// through the short path for this rare case.
LEAKGUARD_DETAIL_NOINLINE inline void release_declined(block_header* h, const void* caller) noexcept {
    release_block_slow(h, caller, matching_form(kind_of(h)));
}

// The short path's body: a live block of the calling thread's own shard, of the kind its form
// expects, with default alignment and (`Extras`) intact guards, while no new sites are on and the
// owner takes no lock - unlinked in an owner section, (`Count`) its free counted per site there,
// and (`Extras`) put into the quarantine or given back to the C library. Anything else (a damaged guard, the lock taken, other threads'
// frees waiting) goes on to the general path, having changed nothing: release_block_slow with
// `form`, or (`Extras`) release_declined. `h`'s cookie and kind have been checked; `shape` is its
// shape word.
template <bool Extras, bool Count = false>
LEAKGUARD_DETAIL_ALWAYS_INLINE void fast_release_block(thread_state& t, block_header* h, std::uint64_t shape,
                                                       unsigned hot, dealloc_form form, const void* caller) noexcept {
    std::int64_t const size = static_cast<std::int64_t>(shape_size(shape));
    if (Extras) {
        if (LEAKGUARD_DETAIL_UNLIKELY(!guards_intact(h, static_cast<std::size_t>(size), shape_guard_bytes(shape))))
            return release_declined(h, caller);
    }
    shard* s = t.home;
    s->owner_busy.store(1, std::memory_order_relaxed);
    std::atomic_signal_fence(std::memory_order_seq_cst); // see owner_enter
    if (LEAKGUARD_DETAIL_UNLIKELY(s->lock.state.load(std::memory_order_acquire) != 0 || remote_waiting(s, s->frees))) {
        s->owner_busy.store(0, std::memory_order_release);
        return Extras || Count ? release_declined(h, caller) : release_block_slow(h, caller, form);
    }
    unlink_held(s, h, size);
    if (Count && LEAKGUARD_DETAIL_UNLIKELY(!count_free_hit(s, h))) {
        count_free_missed(s, h);
        s = t.home; // the same shard: read again, not kept in a register of its own across the call
    }
    s->owner_busy.store(0, std::memory_order_release);
    account_bytes(t, -size);
    h->cookie ^= freed_cookie_flip; // live (checked) -> released, without hashing the address again
    if (Extras && (hot & hot_quarantine)) dispose(h, caller, nullptr);
    else give_back(h);
}

// The short path while the monitor counts, out of line: the paths that do not count keep the
// registers the count needs (inlined into fast_release_extras, it cost the defaults' pair a push
// and a pop with the monitor off). Two copies, chosen by the dispatch: with extras (guards or
// quarantine), and without (leak tracking only), which saves fewer registers. Both decline to
// release_declined, which needs no form.
LEAKGUARD_DETAIL_NOINLINE inline void fast_release_counted(block_header* h, std::uint64_t shape, unsigned hot,
                                                           const void* caller) noexcept {
    fast_release_block<true, true>(t_state, h, shape, hot, dealloc_form::c_free /* unused */, caller);
}
LEAKGUARD_DETAIL_NOINLINE inline void fast_release_counted_plain(block_header* h, std::uint64_t shape,
                                                                 const void* caller) noexcept {
    fast_release_block<false, true>(t_state, h, shape, 0, dealloc_form::c_free /* unused */, caller);
}

// The short path with extras (guards, quarantine), out of line: operator delete stays a leaf-like
// function when none is on. It declines to release_declined, which needs no form.
LEAKGUARD_DETAIL_NOINLINE inline void fast_release_extras(block_header* h, std::uint64_t shape, unsigned hot,
                                                          const void* caller) noexcept {
    fast_release_block<true>(t_state, h, shape, hot, dealloc_form::c_free /* unused */, caller);
}

// The short path's dispatch for live block `h`: `kind_bits` (kind_bits_for) is the kind the form
// expects, or 0 when the caller has found the kind right for the form itself (free: any C kind).
LEAKGUARD_DETAIL_ALWAYS_INLINE void fast_release_live(block_header* h, std::uint64_t kind_bits, dealloc_form form,
                                                      const void* caller) noexcept {
    thread_state& t = t_state;
    unsigned const hot = g_hot.load(std::memory_order_relaxed);
    std::uint64_t const shape = h->shape;
    // The kind as expected, linked, default alignment; the other flags (ignored, location, stack)
    // do not matter here, and the guard is checked below.
    std::uint64_t const mask = (kind_bits ? shape_kind_bits : 0) | shape_linked_bit | shape_align_bits;
    if (LEAKGUARD_DETAIL_UNLIKELY((shape & mask) != (kind_bits | shape_linked_bit) ||
                                  (hot & (hot_slow_free | hot_elide)) != hot_elide || shard_of(h) + 1 != t.home_tag))
        return release_block_slow(h, caller, form);
    if (shape_guard_units(shape) != 0 || (hot & (hot_quarantine | hot_sites))) {
        if (LEAKGUARD_DETAIL_LIKELY(!(hot & hot_sites))) return fast_release_extras(h, shape, hot, caller);
        if (shape_guard_units(shape) == 0 && !(hot & hot_quarantine))
            return fast_release_counted_plain(h, shape, caller);
        return fast_release_counted(h, shape, hot, caller);
    }
    fast_release_block<false>(t, h, shape, hot, form, caller);
}

// The short path's dispatch, inlined into operator delete (unaligned forms): the cookie test, then
// fast_release_live. Declines into the general path; `p` is not null. A pointer that fails the
// test goes to release_slow, which reads the cookie again: keeping this read for it would cost
// the short path a register, for a pointer that is about to be reported. So does a pointer that
// starts a page, before anything in front of it is read (see release_slow).
LEAKGUARD_DETAIL_ALWAYS_INLINE void fast_release(void* p, block_kind kind, dealloc_form form,
                                                 const void* caller) noexcept {
    block_header* const h = header_of(p);
    if (LEAKGUARD_DETAIL_UNLIKELY(front_off_page(p) || cookie_in_front_of(p) != cookie_for(h)))
        return release_slow(p, caller, form);
    fast_release_live(h, kind_bits_for(kind), form, caller);
}

} // namespace detail
} // namespace leakguard

#endif
