// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// impl/allocator.hpp: the hot path. allocate() puts a header in front of raw memory and links it
// into the calling thread's shard; release() unlinks it and gives the memory back.
#ifndef LEAKGUARD_DETAIL_IMPL_ALLOCATOR_HPP_INCLUDED
#define LEAKGUARD_DETAIL_IMPL_ALLOCATOR_HPP_INCLUDED

#include <atomic>    // std::atomic
#include <cstdint>   // std::uint64_t
#include <cstdlib>   // std::getenv
#include <csignal>   // raise, SIGTRAP
#include <cstring>   // std::memset
#include <pthread.h> // pthread_key_create, pthread_atfork

#include "block.hpp"
#include "block_errors.hpp"
#include "errors.hpp"
#include "guards.hpp"
#include "locations.hpp"
#include "options.hpp"
#include "platform.hpp"
#include "quarantine.hpp"
#include "registry.hpp"
#include "stack_capture.hpp"
#include "stack_table.hpp"

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

inline void install_fork_handlers() noexcept; // impl/fork.hpp

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
LEAKGUARD_DETAIL_NOINLINE inline const stack_record* capture_site(const void* caller, const void* frame, int depth) noexcept {
    void* frames[max_stack_depth];
    int const mode = g_options.stack_unwinder.load(std::memory_order_relaxed);
    unwinder how = unwinder::automatic;
    if (mode == 1) how = unwinder::frame_pointer;
    else if (mode == 2) how = unwinder::libgcc;
    else if (!in_frame_pointer_module(caller)) return nullptr;
    std::size_t const n = capture_stack(caller, frame, frames, static_cast<std::size_t>(depth), how);
    return n > 1 ? intern_stack(frames, n) : nullptr;
}

// Returns user memory of `size` bytes aligned to `align` (a power of two), or null. `frame` is the
// calling operator's frame address (for the frame-pointer walk) or null.
inline void* allocate(std::size_t size, std::size_t align, block_kind kind, const void* site,
                      unsigned site_flags, const void* frame = nullptr) noexcept {
    ensure_initialised();
    std::size_t const pad = padding_for(align);
    unsigned const guard_units = guard_units_for(option_guard_bytes());
    std::size_t const guard = guard_units * guard_unit;
    if (LEAKGUARD_DETAIL_UNLIKELY(size > max_block_size - pad - header_size - guard)) return nullptr;
    std::size_t const total = pad + header_size + size + guard;
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
    if (option_fill() && kind != block_kind::calloc)
        std::memset(user_of(h), new_fill, size < max_new_fill ? size : max_new_fill);

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
    h->shape = make_shape(size, kind, site_flags | flag_linked | (t.ignore_depth > 0 ? flag_ignored : 0u), shift,
                          guard_units);
    std::uint64_t const seq = take_seq(t);
    h->order = make_order(seq, s->index);
    // break_on_alloc=N (the CRT's _CrtSetBreakAlloc): a debugger stops at the allocation itself.
    std::uint64_t const break_seq = g_options.break_on_alloc.load(std::memory_order_relaxed);
    if (LEAKGUARD_DETAIL_UNLIKELY(break_seq != 0 && break_seq == seq)) std::raise(SIGTRAP);

    lock_shard(s);
    h->prev = s->newest;
    if (s->newest) s->newest->next = h;
    else s->oldest = h;
    s->newest = h;
    ++s->allocations;
    ++s->live_blocks;
    s->live_bytes += static_cast<std::int64_t>(size);
    if (s->live_bytes > s->peak_bytes) s->peak_bytes = s->live_bytes;
    unlock_shard(s);

    account_bytes(t, static_cast<std::int64_t>(size));
    return user_of(h);
}

// `file` and `line` come from a mapping macro (null when the free was not mapped).
inline error_record free_error(const char* type, const void* p, const void* caller, dealloc_form form,
                               const char* file, int line) noexcept {
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
    error_record e = free_error(freed ? "double_free" : "invalid_free", p, caller, form, file, line);
    if (freed) describe_quarantined(header_of(p), e);
    report_error(e);
}

// An error about live block `h` found where it was given back.
inline error_record block_free_error(const char* type, const block_header* h, const void* caller, dealloc_form form,
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
    report_error(block_free_error("alloc_dealloc_mismatch", h, caller, form, file, line));
}

// The ring of this thread's last operator new blocks (see locate_new in impl/map_impl.hpp).
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
    error_record e = block_free_error(front ? "heap_underflow" : "heap_overflow", h, caller, form, file, line);
    e.has_offset = true;
    e.offset = front ? front : tail;
    report_error(e);
    repair_guards(h); // reported once: not again when it leaves the quarantine
}

// Gives a live block back: checks its guards, unlinks it, and puts it into the quarantine or
// returns its memory to the C library.
inline void release_live(block_header* h, const void* caller, dealloc_form form, const char* file = nullptr,
                         int line = 0) noexcept {
    if (LEAKGUARD_DETAIL_UNLIKELY(g_new_sites_enabled.load(std::memory_order_relaxed))) forget_new(user_of(h));
    if (guard_bytes_of(h)) {
        long const front = front_damage(h, h->cookie);
        long const tail = front ? -1 : tail_damage(h);
        if (LEAKGUARD_DETAIL_UNLIKELY(front || tail >= 0)) report_guard_damage(h, front, tail, caller, form, file, line);
    }
    if (flags_of(h) & flag_linked) {
        shard* s = g_registry.shards[shard_of(h)];
        std::int64_t const size = static_cast<std::int64_t>(size_of(h));
        lock_shard(s);
        if (h->prev) h->prev->next = h->next;
        else s->oldest = h->next;
        if (h->next) h->next->prev = h->prev;
        else s->newest = h->prev;
        ++s->frees;
        --s->live_blocks;
        s->live_bytes -= size;
        unlock_shard(s);
        account_bytes(t_state, -size);
    }
    h->cookie = freed_cookie_for(h);
    thread_state& t = t_state;
    std::uint64_t const limit = option_quarantine_bytes();
    if (limit && t.home && !t.busy && quarantine_cost(h) <= limit) {
        set_free_site(h, caller, file ? intern_location(file, line, caller) : nullptr);
        if (block_header* out = enter_quarantine(t.home, h, limit)) leave_quarantine_all(out);
        return;
    }
    raw_free(raw_of(h));
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
            e = block_error("heap_underflow", h);
            e.has_offset = true;
            e.offset = front_damage(h, cookie_for(h));
            e.left_alone = true;
            if (h->prev) h->prev->next = h->next;
            else s->oldest = h->next;
            if (h->next) h->next->prev = h->prev;
            else s->newest = h->prev;
            ++s->frees;
            --s->live_blocks;
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
    release_live(h, caller, form, file, line);
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
