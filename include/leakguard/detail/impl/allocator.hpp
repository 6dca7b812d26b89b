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
#include "options.hpp"
#include "platform.hpp"
#include "registry.hpp"

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
    g_initialised.store(true, std::memory_order_release);
}

inline void ensure_initialised() noexcept {
    if (LEAKGUARD_DETAIL_UNLIKELY(!g_initialised.load(std::memory_order_acquire))) initialise();
}

// Returns user memory of `size` bytes aligned to `align` (a power of two), or null.
inline void* allocate(std::size_t size, std::size_t align, block_kind kind, const void* site,
                      unsigned site_flags) noexcept {
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

// Gives a block back. Pointers that are not live leakguard blocks are reported and left alone:
// passing them on could corrupt the heap.
inline void release(void* p, const void* caller) noexcept {
    if (!p) return;
    block_header* h = header_of(p);
    if (LEAKGUARD_DETAIL_UNLIKELY(!is_live_block(p))) {
        report_error(cookie_in_front_of(p) == freed_cookie_for(h) ? "double_free" : "invalid_free", p, caller);
        return;
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
    std::size_t const align = align_shift_of(h) ? std::size_t(1) << align_shift_of(h) : 0;
    raw_free(reinterpret_cast<char*>(h) - padding_for(align));
}

} // namespace detail
} // namespace leakguard

#endif
