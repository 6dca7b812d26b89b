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
#include <unistd.h>  // environ

#include "../upward_calls.hpp"
#include "../capture/stack_capture.hpp"
#include "../core/options.hpp"
#include "../core/platform.hpp"
#include "cookie_key.hpp"
#include "registry.hpp"

namespace leakguard {
namespace detail {

// While leakguard itself runs in a thread (start-up, reporting, scope checks), its allocations
// are given headers but not linked, so they never show up as leaks and never recurse.
// Cancellation is held off inside: a report writes and reads files (cancellation points), and a
// thread cancelled there would unwind through leakguard's noexcept code into std::terminate with
// its locks held. A pending cancellation acts at the thread's next cancellation point after it.
class busy_section {
public:
    busy_section() noexcept {
        ++t_state.busy;
        ::pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &cancel_state_);
    }
    ~busy_section() {
        ::pthread_setcancelstate(cancel_state_, nullptr);
        --t_state.busy;
    }
    busy_section(const busy_section&) = delete;
    busy_section& operator=(const busy_section&) = delete;

private:
    int cancel_state_ = PTHREAD_CANCEL_ENABLE;
};

// What the C library allocates while the stack capture asks it something is leakguard's own
// (capture/stack_capture.hpp, g_own_allocations).
inline void mark_own_allocations(int delta) noexcept { t_state.busy += delta; }

// true once start-up has run.
std::atomic<bool> g_initialised{};
spinlock g_init_lock{};
// Start-up's first part (the thread-exit key, lock elision) has run: blocks can be linked.
std::atomic<bool> g_base_initialised{};
// The program's constructors have begun (see c_library_initialised).
std::atomic<bool> g_constructors_running{};

// Whether the C library has initialised itself. The first allocation can come earlier: from the
// dynamic loader, or a preinit_array function, when the C library's environment is not set yet
// (getenv finds nothing) - and leakguard defines malloc (LEAKGUARD_DETAIL_INTERPOSE_ALLOC), so
// that first allocation is its own. The environment pointer is set by the C library's own
// initialisation, which runs before any other module's constructor; the constructor below
// settles the case of a program that cleared its environment by then.
inline bool c_library_initialised() noexcept {
    return environ != nullptr || g_constructors_running.load(std::memory_order_acquire);
}

// Runs once, on the first allocation or API call, which may be inside any static constructor. It
// calls only C-library functions; should one of them come back to operator new, the busy section
// keeps that allocation from re-entering start-up. Before the C library has initialised itself
// only the first part runs: blocks are then linked with the default options, the short paths stay
// off (hot_ready unset), so every allocation comes back here until the rest has run - with the
// options of the environment, and the stack unwinder and fork handlers set up when the C library
// can serve them.
LEAKGUARD_DETAIL_NOINLINE inline void initialise() noexcept {
    // Before the first header is written: every allocation path comes here until start-up is done
    // (the short paths start after it), the busy ones too.
    ensure_cookie_key();
    if (t_state.busy) return;
    busy_section busy;
    lock_guard hold(g_init_lock);
    if (g_initialised.load(std::memory_order_acquire)) return;
    if (!g_base_initialised.load(std::memory_order_relaxed)) {
        pthread_key_create(&g_registry.exit_key, release_home_shard);
        g_elide_locks.store(enable_lock_elision(), std::memory_order_relaxed); // before any shard is used
        g_base_initialised.store(true, std::memory_order_release);
    }
    if (!c_library_initialised()) return;
    install_fork_handlers();
    apply_option_list(std::getenv("LEAKGUARD_OPTIONS"), "LEAKGUARD_OPTIONS");
    // Sets libgcc's unwinder up and finds whether this module keeps frame pointers, here rather
    // than inside an allocation (it walks the loaded modules).
    g_own_allocations.store(mark_own_allocations, std::memory_order_relaxed);
    warm_up_stack_capture();
    refresh_hot(true, g_elide_locks.load(std::memory_order_relaxed));
    g_initialised.store(true, std::memory_order_release);
}

// The first constructor of the module that holds leakguard: when start-up began before the C
// library was initialised, it completes here at the latest.
__attribute__((constructor(101))) static void complete_early_start_up() {
    g_constructors_running.store(true, std::memory_order_release);
    if (g_base_initialised.load(std::memory_order_acquire) && !g_initialised.load(std::memory_order_acquire))
        initialise();
}

inline void ensure_initialised() noexcept {
    if (LEAKGUARD_DETAIL_UNLIKELY(!g_initialised.load(std::memory_order_acquire))) initialise();
}

} // namespace detail
} // namespace leakguard

#endif
