// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// runtime/fork.hpp: fork() safety. Before the fork, the forking thread takes every lock leakguard has
// (each shard, the shard table, and the locks of the report path: log stream, failure and error
// logs, module cache, page index); after it, both processes release them. The child so starts with
// consistent lists and free locks, whatever the other threads were doing. None of these locks is
// ever taken while another is held (the report path takes them one at a time), so the order here
// is free - but for the page index's, which a shard's holder may take (freeing a block's memory)
// and whose holder takes nothing: it comes last.
// The forking thread may allocate between prepare and parent/child (in other atfork handlers):
// `fork_holder` makes it skip the shard locks it already holds.
#ifndef LEAKGUARD_DETAIL_RUNTIME_FORK_HPP_INCLUDED
#define LEAKGUARD_DETAIL_RUNTIME_FORK_HPP_INCLUDED

#include <pthread.h> // pthread_atfork

#include "../heap/errors.hpp"
#include "../report/failures.hpp"
#include "../core/report_stream.hpp"
#include "../heap/page_index.hpp"
#include "../heap/registry.hpp"
#include "../reach/thread_pause.hpp"
#include "../symbolize/symbolize.hpp"
#include "monitor.hpp"

namespace leakguard {
namespace detail {

inline void lock_all_for_fork() noexcept {
    g_report_fd_lock.lock();
    g_failures.lock.lock();
    g_errors.lock.lock();
    g_modules.lock.lock();
    g_frame_cache.lock.lock();
    g_registry.shards_lock.lock();
    std::uint32_t const n = g_registry.shard_count.load(std::memory_order_acquire);
    for (std::uint32_t i = 0; i < n; ++i) g_registry.shards[i]->lock.lock();
    if (g_elide_locks.load(std::memory_order_relaxed)) { // wait for owners inside their sections
        heavy_barrier();
        for (std::uint32_t i = 0; i < n; ++i)
            while (g_registry.shards[i]->owner_busy.load(std::memory_order_acquire) != 0) cpu_relax();
    }
    page_index_lock_for_fork(); // a leaf: its holder never waits for another lock
    t_state.fork_holder = true;
}

inline void unlock_all_after_fork() noexcept {
    t_state.fork_holder = false;
    page_index_unlock_after_fork();
    std::uint32_t const n = g_registry.shard_count.load(std::memory_order_acquire);
    for (std::uint32_t i = 0; i < n; ++i) g_registry.shards[i]->lock.unlock();
    g_registry.shards_lock.unlock();
    g_frame_cache.lock.unlock();
    g_modules.lock.unlock();
    g_errors.lock.unlock();
    g_failures.lock.unlock();
    g_report_fd_lock.unlock();
}

// The child has one thread: the threads a resumed pause may still be waiting for (a world not yet
// unmapped, reach/thread_pause.hpp) do not exist in it, so that world is left alone for good.
// An owner section's flag is cleared too: the parent's lock_all_for_fork waited for every owner
// to leave its section, but an owner may have entered again before fork() (its store of 1, then
// its look at the lock it found held, then its store of 0): the child would inherit a 1 that no
// thread of its own will ever clear, and its first lock of that shard would wait for good (seen
// once in fifty children under ThreadSanitizer, which widens the window).
inline void unlock_all_in_child() noexcept {
    std::uint32_t const n = g_registry.shard_count.load(std::memory_order_acquire);
    for (std::uint32_t i = 0; i < n; ++i) g_registry.shards[i]->owner_busy.store(0, std::memory_order_relaxed);
    g_pause_previous.store(nullptr, std::memory_order_relaxed);
    monitor_in_child();       // the child runs no monitor until one is asked for again
    reopen_report_in_child(); // a "%p" log is the parent's until then
    unlock_all_after_fork();
}

inline void install_fork_handlers() noexcept {
    pthread_atfork(lock_all_for_fork, unlock_all_after_fork, unlock_all_in_child);
}

} // namespace detail
} // namespace leakguard

#endif
