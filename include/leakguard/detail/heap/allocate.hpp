// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// heap/allocate.hpp: a new block - raw memory with a header in front, linked as the newest block of
// the calling thread's shard.
//
// Two paths, one decision: an entry (operator new, heap/operators.hpp; the C functions,
// libc/c_alloc.hpp) tries fast_allocate, inlined, exactly once; when it declines, the entry takes
// allocate_slow, which handles every case and never comes back to the short path.
#ifndef LEAKGUARD_DETAIL_HEAP_ALLOCATE_HPP_INCLUDED
#define LEAKGUARD_DETAIL_HEAP_ALLOCATE_HPP_INCLUDED

#include <atomic>  // std::atomic_signal_fence
#include <csignal> // raise, SIGTRAP
#include <cstdint> // std::uint64_t
#include <cstring> // std::memset

#include "block.hpp"
#include "block_memory.hpp"
#include "guards.hpp"
#include "quarantine.hpp"
#include "recycler.hpp"
#include "registry.hpp"
#include "startup.hpp"
#include "../capture/stack_capture.hpp"
#include "../capture/stack_table.hpp"
#include "../core/options.hpp"
#include "../core/platform.hpp"

namespace leakguard {
namespace detail {

// The block's site when stacks are on: the interned call stack from `caller` (the return address
// into the allocating code) outwards, or null (stacks off, depth 1, the table full).
//
// stack_unwinder=auto (the default) walks frame pointers in the module it found built with them
// (the CMake target passes -fno-omit-frame-pointer) and steps over every other frame (libstdc++'s
// std::string members, a library without frame pointers) by its cached .eh_frame rule
// (capture/cfi_unwind.hpp). Where that walk is not available (not x86-64, glibc before 2.35) an
// allocation made from other code keeps just its return address, because the only correct way
// through such frames there, the C++ runtime's unwinder (stack_unwinder=libgcc), is orders of
// magnitude slower.
LEAKGUARD_DETAIL_NOINLINE inline const stack_record* capture_site(const void* caller, const void* frame,
                                                                  int depth) noexcept {
    void* frames[max_stack_depth];
    int const mode = g_options.stack_unwinder.load(std::memory_order_relaxed);
    unwinder how = unwinder::automatic;
    if (mode == 1) how = unwinder::frame_pointer;
    else if (mode == 2) how = unwinder::libgcc;
    else if (!automatic_captures(caller)) return nullptr;
    std::size_t const n = capture_stack(caller, frame, frames, static_cast<std::size_t>(depth), how);
    return n > 1 ? intern_stack(frames, n) : nullptr;
}

// The stack of an allocation made on the short path (stack_depth > 1): the block keeps `site`, its
// return address, when no stack comes back.
LEAKGUARD_DETAIL_NOINLINE inline void attach_stack(block_header* h, const void* site, const void* frame) noexcept {
    thread_state& t = t_state;
    ++t.busy; // an unwinder that allocates must not come back here
    const stack_record* stack = capture_site(site, frame, option_stack_depth());
    --t.busy;
    if (stack) {
        h->site = stack;
        add_flags(h, flag_has_stack);
    }
}

// Appends `h` to its owner's shard `s` (the calling thread's home) and counts it; on the way,
// unlinks what other threads freed meanwhile.
inline void link_owned(shard* s, block_header* h, std::size_t size) noexcept {
    bool const locked = owner_enter(s);
    bool const due = remote_waiting(s, s->allocations); // the count the short path looked at
    append_held(s, h, size);
    block_header* remote = nullptr;
    if (LEAKGUARD_DETAIL_UNLIKELY(due)) remote = unlink_remote_held(s);
    owner_exit(s, locked);
    if (LEAKGUARD_DETAIL_UNLIKELY(remote != nullptr)) dispose_remote(remote);
}

// The general path: any size, alignment (a power of two) and option; before start-up, inside
// leakguard (busy: the block is not linked) and without a shard. Returns user memory of `size`
// bytes, or null; a calloc block's user bytes are zero (from the C library's calloc, which knows
// when fresh pages need no clearing). `frame` is the calling operator's frame address (for the
// frame-pointer walk) or null.
LEAKGUARD_DETAIL_NOINLINE inline void* allocate_slow(std::size_t size, std::size_t align, block_kind kind,
                                                     const void* site, unsigned site_flags,
                                                     const void* frame) noexcept {
    ensure_initialised();
    // A monitor the options asked for starts here: in the program's own call of new or of a
    // mapped C function (not inside the C library, which may hold a lock thread creation needs).
    if (LEAKGUARD_DETAIL_UNLIKELY(g_monitor_pending.load(std::memory_order_relaxed)) && !t_state.busy &&
        (static_cast<unsigned>(kind) < static_cast<unsigned>(block_kind::malloc) || (site_flags & flag_has_location)))
        start_pending_monitor();
    // An alignment beyond any block's size cannot be met (and its padding would not fit the record).
    if (LEAKGUARD_DETAIL_UNLIKELY(align > max_fast_size)) return nullptr;
    std::size_t const pad = padding_for(align);
    unsigned const guard_units = guard_units_for(option_guard_bytes());
    std::size_t const guard = guard_units * guard_unit;
    if (LEAKGUARD_DETAIL_UNLIKELY(size > max_block_size - pad - header_size - guard - sizeof(void*))) return nullptr;
    std::size_t const need = raw_user_bytes(size, guard);
    std::size_t const total = pad + header_size + (align <= default_alignment ? raw_user_capacity(need) : need);
    void* raw = nullptr;
    if (align > default_alignment) raw = raw_alloc_aligned(total, align);
    else if (kind == block_kind::calloc) raw = raw_calloc(total);
    else raw = raw_alloc(total);
    if (LEAKGUARD_DETAIL_UNLIKELY(!raw)) return nullptr;

    block_header* h = reinterpret_cast<block_header*>(static_cast<char*>(raw) + pad);
    if (LEAKGUARD_DETAIL_UNLIKELY(!hold_block_memory(h))) {
        raw_free(raw);
        return nullptr;
    }
    thread_state& t = t_state;
    unsigned const shift = align <= default_alignment ? 0u : static_cast<unsigned>(__builtin_ctzll(align));
    if (shift) note_align_shift(shift);
    if (guard) std::memset(static_cast<char*>(user_of(h)) + size, guard_fill, guard);
    // calloc zeroes its block anyway; realloc's copy overwrites the part it keeps.
    if (option_fill() && kind != block_kind::calloc) fill_new_block(user_of(h), new_fill_bytes(size));

    shard* s = t.home;
    if (LEAKGUARD_DETAIL_UNLIKELY(!s) && !t.busy) s = acquire_home_shard();
    // The thread number is assigned with the thread's first shard.
    std::uint64_t const tail_word = tail_word_for(static_cast<std::uint16_t>(t.thread));
    if (LEAKGUARD_DETAIL_UNLIKELY(t.busy || !s)) {
        write_header(h, site, make_shape(size, kind, site_flags, shift, guard_units), 0, tail_word);
        h->prev = nullptr;
        return user_of(h);
    }
    if (!(site_flags & flag_has_location)) {
        int const depth = option_stack_depth();
        if (depth > 1) {
            ++t.busy; // an unwinder that allocates must not come back here
            if (const stack_record* stack = capture_site(site, frame, depth)) {
                site = stack;
                site_flags |= flag_has_stack;
            }
            --t.busy;
        }
    }
    unsigned const flags = site_flags | flag_linked | (t.ignore_depth > 0 ? flag_ignored : 0u);
    std::uint64_t const seq = take_seq(t);
    write_header(h, site, make_shape(size, kind, flags, shift, guard_units), make_order(seq, s->index), tail_word);
    // break_on_alloc=N (the CRT's _CrtSetBreakAlloc): a debugger stops at the allocation itself.
    std::uint64_t const break_seq = g_options.break_on_alloc.load(std::memory_order_relaxed);
    if (LEAKGUARD_DETAIL_UNLIKELY(break_seq != 0 && break_seq == seq)) std::raise(SIGTRAP);

    link_owned(s, h, size);
    account_bytes(t, static_cast<std::int64_t>(size));
    return user_of(h);
}

// The short path's body: the thread has its shard, leakguard is not busy in it, the owner takes no
// lock, the alignment is the default, and neither break_on_alloc nor new sites is on - one load of
// g_hot says so, and which of the defaults' extras (tail guard, fill, stack) to add. Writes the
// header with whole-word stores and links it in an owner section (no atomic read-modify-write).
// `Extras` false: none is on (the caller checked), and the code is as short as leak tracking
// alone needs. Returns null only when malloc failed: the entry then takes allocate_slow.
template <bool Extras>
LEAKGUARD_DETAIL_ALWAYS_INLINE void* fast_allocate_block(thread_state& t, shard* s, unsigned hot, std::size_t size,
                                                         block_kind kind, const void* site, unsigned site_flags,
                                                         const void* frame) noexcept {
    unsigned const guard_units = Extras ? (hot & hot_guard_mask) >> hot_guard_shift : 0u;
    std::size_t const guard = guard_units * guard_unit;
    std::size_t const need = raw_user_bytes(size, guard); // guard: 0 at compile time without extras
    block_header* h = take_recycled(need);
    if (!h) {
        h = static_cast<block_header*>(raw_alloc(header_size + raw_user_capacity(need)));
        if (LEAKGUARD_DETAIL_UNLIKELY(!h)) return nullptr;
        if (LEAKGUARD_DETAIL_UNLIKELY(!hold_block_memory(h))) {
            raw_free(h);
            return nullptr;
        }
    }
    char* const user = static_cast<char*>(user_of(h));
    unsigned const flags = site_flags | flag_linked | (t.ignore_depth > 0 ? flag_ignored : 0u);
    std::uint64_t const shape = make_shape(size, kind, flags, 0, guard_units);
    write_header(h, site, shape, make_order(take_seq(t), s->index), t.tail_word);
    if (Extras) {
        set_all_bytes(user + size, guard, guard_fill);
        // calloc zeroes its block anyway; realloc's copy overwrites the part it keeps.
        if ((hot & hot_fill) && kind != block_kind::calloc) fill_new_block(user, new_fill_bytes(size));
        if ((hot & hot_stacks) && !(site_flags & flag_has_location)) attach_stack(h, site, frame);
    }
    // An owner section (see owner_enter), with the remote stack's check folded into its branch.
    s->owner_busy.store(1, std::memory_order_relaxed);
    std::atomic_signal_fence(std::memory_order_seq_cst);
    if (LEAKGUARD_DETAIL_UNLIKELY(s->lock.state.load(std::memory_order_acquire) != 0 ||
                                  remote_waiting(s, s->allocations))) {
        s->owner_busy.store(0, std::memory_order_release);
        link_owned(s, h, size);
    } else {
        append_held(s, h, size);
        s->owner_busy.store(0, std::memory_order_release);
    }
    account_bytes(t, static_cast<std::int64_t>(size));
    return user;
}

// The short path with extras, out of line: operator new stays a leaf-like function when none is on.
LEAKGUARD_DETAIL_NOINLINE inline void* fast_allocate_extras(std::size_t size, block_kind kind, const void* site,
                                                            unsigned site_flags, const void* frame) noexcept {
    thread_state& t = t_state;
    return fast_allocate_block<true>(t, t.home, g_hot.load(std::memory_order_relaxed), size, kind, site, site_flags,
                                     frame);
}

// The short path's dispatch, inlined into each entry: which short path applies, if any. Returns
// null when none does (or malloc failed): the entry then takes allocate_slow. Default alignment.
LEAKGUARD_DETAIL_ALWAYS_INLINE void* fast_allocate(std::size_t size, block_kind kind, const void* site,
                                                   unsigned site_flags = 0, const void* frame = nullptr) noexcept {
    thread_state& t = t_state;
    shard* const s = t.home;
    unsigned const hot = g_hot.load(std::memory_order_relaxed);
    if (LEAKGUARD_DETAIL_UNLIKELY((hot & (hot_ready | hot_slow_alloc | hot_elide)) != (hot_ready | hot_elide) || !s ||
                                  t.busy || size > max_fast_size))
        return nullptr;
    if (hot & (hot_fill | hot_stacks | hot_guard_mask))
        return fast_allocate_extras(size, kind, site, site_flags, frame);
    return fast_allocate_block<false>(t, s, hot, size, kind, site, site_flags, frame);
}

} // namespace detail
} // namespace leakguard

#endif
