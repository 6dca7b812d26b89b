// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// heap/allocator.hpp: the hot path. allocate() puts a header in front of raw memory and links it
// into the calling thread's shard; release() unlinks it and gives the memory back.
#ifndef LEAKGUARD_DETAIL_HEAP_ALLOCATOR_HPP_INCLUDED
#define LEAKGUARD_DETAIL_HEAP_ALLOCATOR_HPP_INCLUDED

#include <atomic>    // std::atomic
#include <cstdint>   // std::uint64_t
#include <cstdlib>   // std::getenv
#include <csignal>   // raise, SIGTRAP
#include <cstring>   // std::memset
#include <pthread.h> // pthread_key_create, pthread_atfork

#include "../upward_calls.hpp"
#include "block.hpp"
#include "block_errors.hpp"
#include "errors.hpp"
#include "guards.hpp"
#include "../capture/locations.hpp"
#include "../core/options.hpp"
#include "../core/platform.hpp"
#include "quarantine.hpp"
#include "recycler.hpp"
#include "registry.hpp"
#include "../capture/stack_capture.hpp"
#include "../capture/stack_table.hpp"

namespace leakguard {
namespace detail {

// While leakguard itself runs in a thread (start-up, reporting, scope checks), its allocations
// are given headers but not linked, so they never show up as leaks and never recurse.
class busy_section {
public:
    busy_section() noexcept { ++t_state.busy; }
    ~busy_section() { --t_state.busy; }
    busy_section(const busy_section&) = delete;
    busy_section& operator=(const busy_section&) = delete;
};

// true once start-up has run.
std::atomic<bool> g_initialised{};
spinlock g_init_lock{};

// Runs once, on the first allocation or API call, which may be inside any static constructor. It
// calls only C-library functions; should one of them come back to operator new, the busy section
// keeps that allocation from re-entering start-up.
LEAKGUARD_DETAIL_NOINLINE inline void initialise() noexcept {
    if (t_state.busy) return;
    busy_section busy;
    lock_guard hold(g_init_lock);
    if (g_initialised.load(std::memory_order_acquire)) return;
    pthread_key_create(&g_registry.exit_key, release_home_shard);
    install_fork_handlers();
    apply_option_list(std::getenv("LEAKGUARD_OPTIONS"), "LEAKGUARD_OPTIONS");
    // Sets libgcc's unwinder up and finds whether this module keeps frame pointers, here rather
    // than inside an allocation (it walks the loaded modules).
    warm_up_stack_capture();
    bool const elide = enable_lock_elision();
    g_elide_locks.store(elide, std::memory_order_relaxed); // before any shard is used
    refresh_hot(true, elide);
    g_initialised.store(true, std::memory_order_release);
}

inline void ensure_initialised() noexcept {
    if (LEAKGUARD_DETAIL_UNLIKELY(!g_initialised.load(std::memory_order_acquire))) initialise();
}

// The block's site when stacks are on: the interned call stack from `caller` (the return address
// into the allocating code) outwards, or null (stacks off, depth 1, the table full).
//
// stack_unwinder=auto (the default) walks frame pointers, which costs tens of nanoseconds, and only
// from code of the module it found built with them (the CMake target passes
// -fno-omit-frame-pointer): an allocation made from other code (libstdc++'s std::string members,
// a library without frame pointers) keeps just its return address, because the only correct way
// through such frames, the C++ runtime's unwinder (stack_unwinder=libgcc), costs microseconds.
LEAKGUARD_DETAIL_NOINLINE inline const stack_record* capture_site(const void* caller, const void* frame,
                                                                  int depth) noexcept {
    void* frames[max_stack_depth];
    int const mode = g_options.stack_unwinder.load(std::memory_order_relaxed);
    unwinder how = unwinder::automatic;
    if (mode == 1) how = unwinder::frame_pointer;
    else if (mode == 2) how = unwinder::libgcc;
    else if (!in_frame_pointer_module(caller)) return nullptr;
    std::size_t const n = capture_stack(caller, frame, frames, static_cast<std::size_t>(depth), how);
    return n > 1 ? intern_stack(frames, n) : nullptr;
}

// Takes `h` out of shard `s`'s list and counts the free; `s` held exclusively (owner section or
// lock_shard).
inline void unlink_held(shard* s, block_header* h, std::int64_t size) noexcept {
    if (h->prev) h->prev->next = h->next;
    else s->oldest = h->next;
    if (h->next) h->next->prev = h->prev;
    else s->newest = h->prev;
    ++s->frees;
    s->live_bytes -= size;
}

// Takes the blocks other threads freed off `s`'s remote stack and unlinks them; `s` held
// exclusively. Returns them, linked through `next`, for the caller to dispose of.
inline block_header* unlink_remote_held(shard* s) noexcept {
    block_header* chain = s->remote.exchange(nullptr, std::memory_order_acquire);
    block_header* out = nullptr;
    while (chain) {
        block_header* const next = *remote_link_of(chain);
        unlink_held(s, chain, static_cast<std::int64_t>(size_of(chain)));
        chain->next = out;
        out = chain;
        chain = next;
    }
    return out;
}

inline void drain_remote_locked(shard* s) noexcept {
    block_header* out = unlink_remote_held(s);
    while (out) { // the freeing thread checked them and marked them released
        block_header* const next = out->next;
        raw_free(raw_of(out));
        out = next;
    }
}

// A released block, out of every list: into the calling thread's quarantine, or back to the C
// library. `where` is the free's file:line (a mapping macro's) or null.
inline void dispose(block_header* h, const void* caller, const location_record* where) noexcept {
    thread_state& t = t_state;
    std::uint64_t const limit = option_quarantine_bytes();
    if (limit && t.home && !t.busy && quarantine_cost(h) <= limit) {
        set_free_site(h, caller, where);
        if (enter_quarantine(t.home, h, limit)) return;
    }
    give_back(h);
}

// Blocks other threads freed, just unlinked by their owner: they go where the owner's own frees go
// (its quarantine keeps them; where they were freed is not known any more). The stack's link may
// have covered the tail guard of a tiny block: put back before the quarantine checks it.
LEAKGUARD_DETAIL_NOINLINE inline void dispose_remote(block_header* chain) noexcept {
    while (chain) {
        block_header* const next = chain->next;
        write_tail_guard(chain);
        dispose(chain, nullptr, nullptr);
        chain = next;
    }
}

// Appends `h` as the newest block of `s` and counts it; `s` held (owner section or lock).
inline void append_held(shard* s, block_header* h, std::size_t size) noexcept {
    block_header* const newest = s->newest;
    h->prev = newest;
    if (newest) newest->next = h;
    else s->oldest = h;
    s->newest = h;
    ++s->allocations;
    std::int64_t const live = s->live_bytes + static_cast<std::int64_t>(size);
    s->live_bytes = live;
    if (live > s->peak_bytes) s->peak_bytes = live;
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

// Takes `h` out of its owner's shard `s` (the calling thread's home) and counts the free; on the
// way, unlinks what other threads freed meanwhile (the mirror of link_owned).
inline void unlink_owned(shard* s, block_header* h, std::int64_t size) noexcept {
    bool const locked = owner_enter(s);
    bool const due = remote_waiting(s, s->frees); // the count the short path looked at
    unlink_held(s, h, size);
    block_header* const remote = LEAKGUARD_DETAIL_UNLIKELY(due) ? unlink_remote_held(s) : nullptr;
    owner_exit(s, locked);
    if (LEAKGUARD_DETAIL_UNLIKELY(remote != nullptr)) dispose_remote(remote);
}

// Returns user memory of `size` bytes aligned to `align` (a power of two), or null. `frame` is the
// calling operator's frame address (for the frame-pointer walk) or null.
LEAKGUARD_DETAIL_NOINLINE inline void* allocate_slow(std::size_t size, std::size_t align, block_kind kind,
                                                     const void* site, unsigned site_flags,
                                                     const void* frame) noexcept {
    ensure_initialised();
    std::size_t const pad = padding_for(align);
    unsigned const guard_units = guard_units_for(option_guard_bytes());
    std::size_t const guard = guard_units * guard_unit;
    if (LEAKGUARD_DETAIL_UNLIKELY(size > max_block_size - pad - header_size - guard - sizeof(void*))) return nullptr;
    std::size_t const need = raw_user_bytes(size, guard);
    std::size_t const total = pad + header_size + (align <= default_alignment ? raw_user_capacity(need) : need);
    void* raw = align <= default_alignment ? raw_alloc(total) : raw_alloc_aligned(total, align);
    if (LEAKGUARD_DETAIL_UNLIKELY(!raw)) return nullptr;

    block_header* h = reinterpret_cast<block_header*>(static_cast<char*>(raw) + pad);
    thread_state& t = t_state;
    h->site = site;
    h->cookie = cookie_for(h);
    h->next = nullptr;
    unsigned const shift = align <= default_alignment ? 0u : static_cast<unsigned>(__builtin_ctzll(align));
    if (guard) std::memset(static_cast<char*>(user_of(h)) + size, guard_fill, guard);
    // calloc zeroes its block anyway; realloc's copy overwrites the part it keeps.
    if (option_fill() && kind != block_kind::calloc) fill_new_block(user_of(h), new_fill_bytes(size));

    shard* s = t.home;
    if (LEAKGUARD_DETAIL_UNLIKELY(!s) && !t.busy) s = acquire_home_shard();
    h->thread = static_cast<std::uint16_t>(t.thread); // assigned with the thread's first shard
    h->front = front_word_for(h->thread);
    if (LEAKGUARD_DETAIL_UNLIKELY(t.busy || !s)) {
        h->shape = make_shape(size, kind, site_flags, shift, guard_units);
        h->order = 0;
        h->prev = nullptr;
        return user_of(h);
    }
    if (!(site_flags & flag_has_location)) {
        int const depth = option_stack_depth();
        if (depth > 1) {
            ++t.busy; // an unwinder that allocates must not come back here
            if (const stack_record* stack = capture_site(site, frame, depth)) {
                h->site = stack;
                site_flags |= flag_has_stack;
            }
            --t.busy;
        }
    }
    h->shape =
        make_shape(size, kind, site_flags | flag_linked | (t.ignore_depth > 0 ? flag_ignored : 0u), shift, guard_units);
    std::uint64_t const seq = take_seq(t);
    h->order = make_order(seq, s->index);
    // break_on_alloc=N (the CRT's _CrtSetBreakAlloc): a debugger stops at the allocation itself.
    std::uint64_t const break_seq = g_options.break_on_alloc.load(std::memory_order_relaxed);
    if (LEAKGUARD_DETAIL_UNLIKELY(break_seq != 0 && break_seq == seq)) std::raise(SIGTRAP);

    link_owned(s, h, size);
    account_bytes(t, static_cast<std::int64_t>(size));
    return user_of(h);
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

// The short path of an allocation: the thread has its shard, leakguard is not busy in it, the
// owner takes no lock, the alignment is the default, and neither break_on_alloc nor new sites is
// on - one load of g_hot says so, and which of the defaults' extras (tail guard, fill, stack) to
// add. Writes the header with whole-word stores and links it in an owner section (no atomic
// read-modify-write). `Extras` false: none is on (the caller checked), and the code is as short as
// leak tracking alone needs. Returns null when it does not apply (or malloc failed): the caller
// then takes the general path.
template <bool Extras>
LEAKGUARD_DETAIL_ALWAYS_INLINE void* short_allocate(thread_state& t, shard* s, unsigned hot, std::size_t size,
                                                    block_kind kind, const void* site, unsigned site_flags,
                                                    const void* frame) noexcept {
    unsigned const guard_units = Extras ? (hot & hot_guard_mask) >> hot_guard_shift : 0u;
    std::size_t const guard = guard_units * guard_unit;
    std::size_t const need = raw_user_bytes(size, guard); // guard: 0 at compile time without extras
    block_header* h = take_recycled(t, need);
    if (!h) {
        h = static_cast<block_header*>(raw_alloc(header_size + raw_user_capacity(need)));
        if (LEAKGUARD_DETAIL_UNLIKELY(!h)) return nullptr;
    }
    char* const user = static_cast<char*>(user_of(h));
    unsigned const flags = site_flags | flag_linked | (t.ignore_depth > 0 ? flag_ignored : 0u);
    h->next = nullptr;
    h->site = site;
    h->shape = make_shape(size, kind, flags, 0, guard_units);
    h->order = make_order(take_seq(t), s->index);
    std::uint64_t const tail = std::uint64_t(cookie_for(h)) | t.tail_word;
    std::memcpy(&h->cookie, &tail, sizeof tail); // cookie, thread, front: one store
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
LEAKGUARD_DETAIL_NOINLINE inline void* short_allocate_extras(std::size_t size, block_kind kind, const void* site,
                                                             unsigned site_flags, const void* frame) noexcept {
    thread_state& t = t_state;
    return short_allocate<true>(t, t.home, g_hot.load(std::memory_order_relaxed), size, kind, site, site_flags, frame);
}

// Inlined into the replacement operators: which short path applies, if any.
LEAKGUARD_DETAIL_ALWAYS_INLINE void* fast_allocate(std::size_t size, block_kind kind, const void* site,
                                                   unsigned site_flags = 0, const void* frame = nullptr) noexcept {
    thread_state& t = t_state;
    shard* const s = t.home;
    unsigned const hot = g_hot.load(std::memory_order_relaxed);
    if (LEAKGUARD_DETAIL_UNLIKELY((hot & (hot_ready | hot_slow_alloc | hot_elide)) != (hot_ready | hot_elide) || !s ||
                                  t.busy || size > (std::size_t(1) << 40)))
        return nullptr;
    if (hot & (hot_fill | hot_stacks | hot_guard_mask))
        return short_allocate_extras(size, kind, site, site_flags, frame);
    return short_allocate<false>(t, s, hot, size, kind, site, site_flags, frame);
}

inline void* allocate(std::size_t size, std::size_t align, block_kind kind, const void* site, unsigned site_flags,
                      const void* frame = nullptr) noexcept {
    if (align <= default_alignment)
        if (void* p = fast_allocate(size, kind, site, site_flags, frame)) return p;
    return allocate_slow(size, align, kind, site, site_flags, frame);
}

// `file` and `line` come from a mapping macro (null when the free was not mapped).
inline error_record free_error(error_type type, const void* p, const void* caller, dealloc_form form, const char* file,
                               int line) noexcept {
    error_record e = error_record();
    e.type = type;
    e.address = p;
    e.has_form = true;
    e.form = form;
    e.has_free = true;
    e.free_caller = caller;
    const location_record* where = file ? intern_location(file, line, caller) : nullptr;
    e.free_location = where ? &where->where : nullptr;
    return e;
}

// A pointer that is not a live leakguard block reached delete or free: a double free when its
// cookie says leakguard released it, an invalid free otherwise. Reported, and left alone.
// A double free of a block still in a quarantine also names the block and where it was first freed.
LEAKGUARD_DETAIL_NOINLINE inline void report_bad_free(const void* p, const void* caller, dealloc_form form,
                                                      const char* file = nullptr, int line = 0) noexcept {
    bool const freed = cookie_in_front_of(p) == freed_cookie_for(header_of(p));
    error_record e =
        free_error(freed ? error_type::double_free : error_type::invalid_free, p, caller, form, file, line);
    if (freed) describe_quarantined(header_of(p), e);
    report_error(e);
}

// An error about live block `h` found where it was given back.
inline error_record block_free_error(error_type type, const block_header* h, const void* caller, dealloc_form form,
                                     const char* file, int line) noexcept {
    error_record e = block_error(type, h);
    error_record const f = free_error(type, e.address, caller, form, file, line);
    e.has_form = true;
    e.form = form;
    e.has_free = true;
    e.free_caller = f.free_caller;
    e.free_location = f.free_location;
    return e;
}

LEAKGUARD_DETAIL_NOINLINE inline void report_mismatch(const block_header* h, const void* caller, dealloc_form form,
                                                      const char* file = nullptr, int line = 0) noexcept {
    report_error(block_free_error(error_type::alloc_dealloc_mismatch, h, caller, form, file, line));
}

// The ring of this thread's last operator new blocks (see locate_new in libc/mapped_calls.hpp).
inline void remember_new(void* user) noexcept {
    thread_state& t = t_state;
    t.recent_new[t.recent_next++ % 8] = user;
}
inline void forget_new(const void* user) noexcept {
    thread_state& t = t_state;
    for (const void*& r : t.recent_new)
        if (r == user) r = nullptr;
}

// Reports a write past either end of live block `h`, being given back. Its cookie is intact (it
// passed the ownership test), so the rest of its header is too: it is released all the same.
LEAKGUARD_DETAIL_NOINLINE inline void report_guard_damage(block_header* h, long front, long tail, const void* caller,
                                                          dealloc_form form, const char* file, int line) noexcept {
    error_record e =
        block_free_error(front ? error_type::heap_underflow : error_type::heap_overflow, h, caller, form, file, line);
    e.has_offset = true;
    e.offset = front ? front : tail;
    report_error(e);
    repair_guards(h); // reported once: not again when it leaves the quarantine
}

// A free of a block whose shard is another thread's home: the block is marked released and pushed
// onto that shard's remote stack, to be unlinked by the owner at its next allocation or free (or
// by the next lock_shard). If the shard has no owner any more (its thread exited), nobody would:
// then this thread unlinks the stack itself, under the lock. seq_cst against release_home_shard:
// either its drain sees this push or this load sees owned == false.
inline void push_remote(shard* s, block_header* h) noexcept {
    store_cookie(h, freed_cookie_for(h));
    block_header** const link = remote_link_of(h);
    block_header* head = s->remote.load(std::memory_order_relaxed);
    do {
        *link = head;
    } while (!s->remote.compare_exchange_weak(head, h, std::memory_order_seq_cst, std::memory_order_relaxed));
    if (LEAKGUARD_DETAIL_UNLIKELY(!s->owned.load(std::memory_order_seq_cst))) {
        lock_shard(s); // drains the stack (no owner section can run: the shard has no owner)
        unlock_shard(s);
    }
}

// Gives a live block back: checks its guards, unlinks it, and puts it into the quarantine or
// returns its memory to the C library.
inline void release_live(block_header* h, const void* caller, dealloc_form form, const char* file = nullptr,
                         int line = 0) noexcept {
    if (LEAKGUARD_DETAIL_UNLIKELY(g_new_sites_enabled.load(std::memory_order_relaxed))) forget_new(user_of(h));
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
            unlink_held(s, h, size);
            unlock_shard(s);
        }
    }
    store_cookie(h, freed_cookie_for(h));
    dispose(h, caller, file ? intern_location(file, line, caller) : nullptr);
}

// The short path of a free: a block of the calling thread's own shard, no guard bytes, no
// quarantine and no new sites (g_hot) - unlinked in an owner section and given back to the C
// library.
inline void release_owned(block_header* h, const void* caller, dealloc_form form, const char* file = nullptr,
                          int line = 0) noexcept {
    thread_state& t = t_state;
    shard* const home = t.home;
    std::uint64_t const shape = h->shape;
    unsigned const hot = g_hot.load(std::memory_order_relaxed);
    // flags linked, no guard, default alignment: bits 48 (linked) set, 52-63 (shift, guard) clear
    bool const plain = (shape & (std::uint64_t(0xFFF1) << 48)) == (std::uint64_t(flag_linked) << 48);
    if (LEAKGUARD_DETAIL_UNLIKELY(!plain || (hot & hot_extras_free) || !home || shard_of(h) != home->index))
        return release_live(h, caller, form, file, line);
    std::int64_t const size = static_cast<std::int64_t>(shape & max_block_size);
    unlink_owned(home, h, size);
    account_bytes(t, -size);
    h->cookie = freed_cookie_for(h);
    give_back(h);
}

// A pointer whose cookie is broken but whose header is linked in a shard list is leakguard's:
// something wrote over the bytes just before it. Finds it (comparing addresses only, reading a
// header only once it is found in a list), takes it out of its list, and reports heap_underflow.
// The block is not freed: its header cannot be trusted to give the C library the right pointer.
// Returns false when `h` is in no list (the pointer is not a live block of leakguard's).
LEAKGUARD_DETAIL_NOINLINE inline bool detach_damaged(block_header* h, const void* caller, dealloc_form form,
                                                     const char* file, int line) noexcept {
    bool found = false;
    error_record e = error_record();
    std::uint32_t const n = g_registry.shard_count.load(std::memory_order_acquire);
    for (std::uint32_t i = 0; i < n && !found; ++i) {
        shard* s = g_registry.shards[i];
        lock_shard(s);
        for (block_header* b = s->newest; b; b = b->prev) {
            if (b != h) continue;
            found = true;
            e = block_error(error_type::heap_underflow, h);
            e.has_offset = true;
            e.offset = front_damage(h, cookie_for(h), load_cookie(h));
            e.left_alone = true;
            if (h->prev) h->prev->next = h->next;
            else s->oldest = h->next;
            if (h->next) h->next->prev = h->prev;
            else s->newest = h->prev;
            ++s->frees;
            s->live_bytes -= static_cast<std::int64_t>(e.size);
            break;
        }
        unlock_shard(s);
    }
    if (!found) return false;
    error_record const f = free_error(e.type, e.address, caller, form, file, line);
    e.has_form = true;
    e.form = form;
    e.has_free = true;
    e.free_caller = f.free_caller;
    e.free_location = f.free_location;
    report_error(e);
    return true;
}

// The short path of a free: a live block of kind `kind` (the one the form expects) from the
// calling thread's own shard, with default alignment and (`Extras`) intact guards, while no new
// sites are on and the owner takes no lock - unlinked in an owner section and (`Extras`) put into
// the quarantine or given back to the C library. Returns false when it does not apply (or a guard
// is damaged): the caller then takes the general path (release), which checks everything again
// and reports. `h`'s cookie has been checked; `shape` is its shape word.
template <bool Extras>
LEAKGUARD_DETAIL_ALWAYS_INLINE bool short_release(thread_state& t, block_header* h, std::uint64_t shape, unsigned hot,
                                                  const void* caller) noexcept {
    std::int64_t const size = static_cast<std::int64_t>(shape & max_block_size);
    if (Extras) {
        std::size_t const guard = static_cast<std::size_t>(shape >> 58) * guard_unit;
        if (LEAKGUARD_DETAIL_UNLIKELY(!guards_intact(h, static_cast<std::size_t>(size), guard))) return false;
    }
    shard* const s = t.home;
    s->owner_busy.store(1, std::memory_order_relaxed);
    std::atomic_signal_fence(std::memory_order_seq_cst); // see owner_enter
    if (LEAKGUARD_DETAIL_UNLIKELY(s->lock.state.load(std::memory_order_acquire) != 0 || remote_waiting(s, s->frees))) {
        s->owner_busy.store(0, std::memory_order_release);
        return false;
    }
    unlink_held(s, h, size);
    s->owner_busy.store(0, std::memory_order_release);
    account_bytes(t, -size);
    h->cookie = freed_cookie_for(h);
    if (Extras && (hot & hot_quarantine)) dispose(h, caller, nullptr);
    else give_back(h);
    return true;
}

LEAKGUARD_DETAIL_NOINLINE inline bool short_release_extras(block_header* h, std::uint64_t shape, unsigned hot,
                                                           const void* caller) noexcept {
    return short_release<true>(t_state, h, shape, hot, caller);
}

// Inlined into operator delete: which short path applies, if any.
LEAKGUARD_DETAIL_ALWAYS_INLINE bool fast_release(void* p, block_kind kind, const void* caller) noexcept {
    thread_state& t = t_state;
    block_header* const h = header_of(p);
    if (LEAKGUARD_DETAIL_UNLIKELY(cookie_in_front_of(p) != cookie_for(h))) return false;
    unsigned const hot = g_hot.load(std::memory_order_relaxed);
    std::uint64_t const shape = h->shape;
    // kind (bits 44-47) as expected, flag_linked (48) set, alignment shift (52-57) zero; the other
    // flags (ignored, location, stack) do not matter here, the guard (58-63) is checked later.
    std::uint64_t const mask = std::uint64_t(0xF) << 44 | std::uint64_t(0x3F1) << 48;
    std::uint64_t const want = std::uint64_t(static_cast<unsigned>(kind)) << 44 | std::uint64_t(flag_linked) << 48;
    if (LEAKGUARD_DETAIL_UNLIKELY((shape & mask) != want || (hot & (hot_slow_free | hot_elide)) != hot_elide ||
                                  shard_of(h) + 1 != t.home_tag))
        return false;
    if ((shape >> 58) != 0 || (hot & hot_quarantine)) return short_release_extras(h, shape, hot, caller);
    return short_release<false>(t, h, shape, hot, caller);
}

// Gives a block back through `form` (delete, delete[], free ...). Pointers that are not live
// leakguard blocks are reported and left alone: passing them on could corrupt the heap. A block
// given back through the wrong form is reported and then released all the same (leakguard knows
// how it was allocated, so that is safe).
inline void release(void* p, const void* caller, dealloc_form form, const char* file = nullptr, int line = 0) noexcept {
    if (!p) return;
    block_header* h = header_of(p);
    if (LEAKGUARD_DETAIL_UNLIKELY(!is_live_block(p))) {
        if (cookie_in_front_of(p) != freed_cookie_for(h) && detach_damaged(h, caller, form, file, line)) return;
        return report_bad_free(p, caller, form, file, line);
    }
    if (LEAKGUARD_DETAIL_UNLIKELY(!form_matches(kind_of(h), form))) report_mismatch(h, caller, form, file, line);
    // A mapped free's file:line is the quarantine's free site: only the general path keeps it.
    if (!file && fast_release(p, kind_of(h), caller)) return;
    release_owned(h, caller, form, file, line);
}

// Whether the 8 bytes in front of a pointer that failed the cookie test could be a damaged header of
// ours rather than glibc's chunk size: glibc's never has bit 3 set, and its upper half is zero
// below 4 GiB, where ours holds the thread/front pair (front = thread ^ 0xFDFD, never both zero).
// Only then are the shard lists searched: a plain free() of the C library's memory stays cheap.
inline bool looks_damaged(const void* p, std::uint32_t cookie) noexcept {
    return (cookie & 0x8u) || front_in_front_of(p) != 0;
}

// Whose is a non-null pointer that may not be leakguard's (free, realloc, ignore ...): a live
// block of leakguard's, one leakguard released, possibly one of leakguard's whose header a buffer
// underflow overwrote (see looks_damaged), or anybody else's. A sanitizer is asked first where
// reading in front of the pointer might not be safe (see sanitizer_owns).
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

// free() of any pointer: leakguard's blocks are released; a pointer leakguard released before is
// a double free; anything else belongs to the C library (or another allocator) and goes there.
inline void release_c(void* p, const void* caller, const char* file, int line) noexcept {
    if (!p) return;
    switch (owner_of(p)) {
    case ownership::live: return release(p, caller, dealloc_form::c_free, file, line);
    case ownership::released: return report_bad_free(p, caller, dealloc_form::c_free, file, line);
    case ownership::damaged:
        if (detach_damaged(header_of(p), caller, dealloc_form::c_free, file, line)) return;
        // Bit 3 set: no glibc chunk size; the C library would abort on it.
        if (cookie_in_front_of(p) & 0x8u) return report_bad_free(p, caller, dealloc_form::c_free, file, line);
        return libc_free(p);
    case ownership::foreign: return libc_free(p);
    }
}

} // namespace detail
} // namespace leakguard

#endif
