// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// impl/allocator.hpp: the hot path. allocate() puts a header in front of raw memory and links it
// into the calling thread's shard; release() unlinks it and gives the memory back.
#ifndef LEAKGUARD_DETAIL_IMPL_ALLOCATOR_HPP_INCLUDED
#define LEAKGUARD_DETAIL_IMPL_ALLOCATOR_HPP_INCLUDED

#include <atomic>    // std::atomic
#include <cstdint>   // std::uint64_t
#include <cstdlib>   // std::getenv
#include <pthread.h> // pthread_key_create, pthread_atfork

#include "block.hpp"
#include "errors.hpp"
#include "locations.hpp"
#include "options.hpp"
#include "platform.hpp"
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
    if (LEAKGUARD_DETAIL_UNLIKELY(size > max_block_size - pad - header_size)) return nullptr;
    std::size_t const total = pad + header_size + size;
    void* raw = align <= default_alignment ? raw_alloc(total) : raw_alloc_aligned(total, align);
    if (LEAKGUARD_DETAIL_UNLIKELY(!raw)) return nullptr;

    block_header* h = reinterpret_cast<block_header*>(static_cast<char*>(raw) + pad);
    thread_state& t = t_state;
    h->site = site;
    h->cookie = cookie_for(h);
    h->next = nullptr;
    unsigned const shift = align <= default_alignment ? 0u : static_cast<unsigned>(__builtin_ctzll(align));

    shard* s = t.home;
    if (LEAKGUARD_DETAIL_UNLIKELY(!s) && !t.busy) s = acquire_home_shard();
    if (LEAKGUARD_DETAIL_UNLIKELY(t.busy || !s)) {
        h->shape = make_shape(size, kind, site_flags, shift);
        h->order = 0;
        h->prev = nullptr;
        h->thread = t.thread;
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
    h->shape = make_shape(size, kind, site_flags | flag_linked | (t.ignore_depth > 0 ? flag_ignored : 0u), shift);
    h->order = make_order(take_seq(t), s->index);
    h->thread = t.thread;

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

// A block's allocation site for an error report: its location record's, or its return address.
inline void site_of(const block_header* h, const void*& caller, const source_location*& location) noexcept {
    if (flags_of(h) & flag_has_location) {
        const location_record* r = static_cast<const location_record*>(h->site);
        caller = r->caller;
        location = &r->where;
    } else if (flags_of(h) & flag_has_stack) {
        caller = static_cast<const stack_record*>(h->site)->frames()[0];
        location = nullptr;
    } else {
        caller = h->site;
        location = nullptr;
    }
}

// `file` and `line` come from a mapping macro (null when the free was not mapped).
inline error_record free_error(const char* type, const void* p, const void* caller, dealloc_form form,
                               const char* file, int line) noexcept {
    error_record e = error_record();
    e.type = type;
    e.address = p;
    e.form = form;
    e.free_caller = caller;
    const location_record* where = file ? intern_location(file, line, caller) : nullptr;
    e.free_location = where ? &where->where : nullptr;
    return e;
}

// A pointer that is not a live leakguard block reached delete or free: a double free when its
// cookie says leakguard released it, an invalid free otherwise. Reported, and left alone.
LEAKGUARD_DETAIL_NOINLINE inline void report_bad_free(const void* p, const void* caller, dealloc_form form,
                                                      const char* file = nullptr, int line = 0) noexcept {
    bool const freed = cookie_in_front_of(p) == freed_cookie_for(header_of(p));
    report_error(free_error(freed ? "double_free" : "invalid_free", p, caller, form, file, line));
}

LEAKGUARD_DETAIL_NOINLINE inline void report_mismatch(const block_header* h, const void* caller, dealloc_form form,
                                                      const char* file = nullptr, int line = 0) noexcept {
    error_record e = free_error("alloc_dealloc_mismatch", reinterpret_cast<const char*>(h) + header_size, caller,
                                form, file, line);
    e.block_known = true;
    e.size = size_of(h);
    e.kind = kind_of(h);
    e.seq = seq_of(h);
    site_of(h, e.alloc_caller, e.alloc_location);
    report_error(e);
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

// Gives a live block back: unlinks it and returns its memory to the C library.
inline void release_live(block_header* h) noexcept {
    if (LEAKGUARD_DETAIL_UNLIKELY(g_new_sites_enabled.load(std::memory_order_relaxed))) forget_new(user_of(h));
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
    std::size_t const align = align_shift_of(h) ? std::size_t(1) << align_shift_of(h) : 0;
    raw_free(reinterpret_cast<char*>(h) - padding_for(align));
}

// Gives a block back through `form` (delete, delete[], free ...). Pointers that are not live
// leakguard blocks are reported and left alone: passing them on could corrupt the heap. A block
// given back through the wrong form is reported and then released all the same (leakguard knows
// how it was allocated, so that is safe).
inline void release(void* p, const void* caller, dealloc_form form, const char* file = nullptr, int line = 0) noexcept {
    if (!p) return;
    block_header* h = header_of(p);
    if (LEAKGUARD_DETAIL_UNLIKELY(!is_live_block(p))) return report_bad_free(p, caller, form, file, line);
    if (LEAKGUARD_DETAIL_UNLIKELY(!form_matches(kind_of(h), form))) report_mismatch(h, caller, form, file, line);
    release_live(h);
}

// Whose is a non-null pointer that may not be leakguard's (free, realloc, ignore ...): a live
// block of leakguard's, one leakguard released, or anybody else's. A sanitizer is asked first
// where reading in front of the pointer might not be safe (see sanitizer_owns).
enum class ownership { live, released, foreign };

inline ownership owner_of(const void* p) noexcept {
    if (LEAKGUARD_DETAIL_UNLIKELY(sanitizer_owns(p))) return ownership::foreign;
    const block_header* h = header_of(p);
    std::uint32_t const cookie = cookie_in_front_of(p);
    if (cookie == cookie_for(h)) return ownership::live;
    if (LEAKGUARD_DETAIL_UNLIKELY(cookie == freed_cookie_for(h))) return ownership::released;
    return ownership::foreign;
}

// free() of any pointer: leakguard's blocks are released; a pointer leakguard released before is
// a double free; anything else belongs to the C library (or another allocator) and goes there.
inline void release_c(void* p, const void* caller, const char* file, int line) noexcept {
    if (!p) return;
    switch (owner_of(p)) {
    case ownership::live: return release(p, caller, dealloc_form::c_free, file, line);
    case ownership::released: return report_bad_free(p, caller, dealloc_form::c_free, file, line);
    case ownership::foreign: return libc_free(p);
    }
}

} // namespace detail
} // namespace leakguard

#endif
