// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// heap/startup.hpp: start-up (the options, the thread-exit hook, the fork handlers, the stack
// unwinder, lock elision), run once before the first tracked block, and the busy section that
// keeps leakguard's own allocations out of the lists.
#ifndef LEAKGUARD_DETAIL_HEAP_STARTUP_HPP_INCLUDED
#define LEAKGUARD_DETAIL_HEAP_STARTUP_HPP_INCLUDED

#include <atomic>    // std::atomic
#include <cstdlib>   // std::getenv
#include <pthread.h> // pthread_key_create

#include "../upward_calls.hpp"
#include "../capture/stack_capture.hpp"
#include "../core/options.hpp"
#include "../core/platform.hpp"
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

} // namespace detail
} // namespace leakguard

#endif
