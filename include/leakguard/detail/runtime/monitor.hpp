// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// runtime/monitor.hpp: the monitor thread (monitor_interval=, dump_signal=), write_profile(), and
// the monitor across fork and exit (docs/monitor.md).
//
// - Started lazily, from a safe place: an option only marks it wanted (g_monitor_pending, which
//   sends allocations to the general path); the first allocation by the program's own code
//   (heap/allocate.hpp) or the set_option call itself starts it. Created with pthread_create while
//   the creating thread is busy (what the C library allocates for it is leakguard's, never listed),
//   with every signal blocked: the leak check's pause neither signals nor waits for a thread that
//   blocks every signal, and does not count it as unpaused (reach/thread_pause.hpp); a process
//   signal is never delivered to it. The thread itself is busy for its whole life: nothing it
//   allocates is linked, so no scope, report or leak check sees it.
// - It sleeps in poll(2) on a pipe: the dump signal's handler writes one byte to it (write(2) is
//   async-signal-safe; the handler does nothing else), set_option writes one so that a new interval
//   takes effect now, and stopping writes one.
// - Stopped and joined at exit before the exit report (runtime/exit_hook.hpp). The pipe stays open
//   for the process: a handler may be about to write to it at any moment.
// - A fork child has no monitor thread (only the forking thread survives fork): it runs none until
//   a monitor option is set again in it (set_option), which starts its own, numbered from report 1.
//   Its copies of the pipe are closed at once: the parent's monitor must not hear the child's
//   signals.
#ifndef LEAKGUARD_DETAIL_RUNTIME_MONITOR_HPP_INCLUDED
#define LEAKGUARD_DETAIL_RUNTIME_MONITOR_HPP_INCLUDED

#include <atomic>    // std::atomic
#include <cerrno>    // errno
#include <csignal>   // sigaction, sigfillset, pthread_sigmask
#include <fcntl.h>   // O_CLOEXEC, O_NONBLOCK
#include <poll.h>    // poll
#include <pthread.h> // pthread_create, pthread_join
#include <unistd.h>  // pipe2, read, write, close

#include "../../monitor.hpp"
#include "../core/options.hpp"
#include "../core/platform.hpp"
#include "../heap/startup.hpp"
#include "../report/site_profile.hpp"

namespace leakguard {
namespace detail {

struct monitor_state {
    spinlock control;           // starting and stopping (never held by the thread itself)
    bool running;               // under `control`
    pthread_t thread;           // valid while running
    std::atomic<int> wake_read; // the pipe (-1: none yet)
    std::atomic<int> wake_write;
    std::atomic<bool> stop;
    std::atomic<unsigned> dumps;    // signals not yet answered
    int installed_signal;           // whose handler is ours (under `control`); 0: none
    struct sigaction previous;      // the handler it had before
    std::atomic<bool> profile_used; // write_profile() was called: counting stays on
};
monitor_state g_monitor{{}, false, {}, {-1}, {-1}, {false}, {0u}, 0, {}, {false}};

inline bool monitor_wanted() noexcept {
    return g_monitor_options.interval_us.load(std::memory_order_relaxed) != 0 ||
           g_monitor_options.dump_signal.load(std::memory_order_relaxed) != 0;
}

inline void wake_monitor() noexcept {
    int const fd = g_monitor.wake_write.load(std::memory_order_acquire);
    if (fd >= 0) (void)!::write(fd, "w", 1); // a full pipe is awake already
}

// The dump signal's handler: one atomic increment and one write(2).
inline void dump_signal_handler(int) {
    int const saved = errno;
    g_monitor.dumps.fetch_add(1, std::memory_order_relaxed);
    wake_monitor();
    errno = saved;
}

// Installs the handler of dump_signal (and puts back the one it replaced when the option changes).
inline void update_dump_signal() noexcept {
    int const want = g_monitor_options.dump_signal.load(std::memory_order_relaxed);
    lock_guard hold(g_monitor.control);
    if (want == g_monitor.installed_signal) return;
    if (g_monitor.installed_signal) ::sigaction(g_monitor.installed_signal, &g_monitor.previous, nullptr);
    g_monitor.installed_signal = 0;
    if (!want) return;
    struct sigaction act;
    std::memset(&act, 0, sizeof act);
    act.sa_handler = dump_signal_handler;
    act.sa_flags = SA_RESTART;
    sigemptyset(&act.sa_mask);
    if (::sigaction(want, &act, &g_monitor.previous) == 0) g_monitor.installed_signal = want;
}

// Counting per site is on while a monitor is wanted or write_profile() has been called.
inline void update_site_counting() noexcept {
    bool const on = monitor_wanted() || g_monitor.profile_used.load(std::memory_order_relaxed);
    if (on) {
        if (!g_sites.ready()) return;
        mark_count_start();
    }
    g_count_sites.store(on, std::memory_order_relaxed); // apply_option then refreshes the hot word
}

// core/options.hpp calls this after a monitor option is stored (possibly inside start-up, inside an
// allocation): it changes no thread, only says what is wanted. The caller refreshes the hot word.
inline void monitor_options_changed() noexcept {
    update_dump_signal();
    update_site_counting();
    lock_guard hold(g_monitor.control);
    if (g_monitor.running) wake_monitor(); // a new interval takes effect now
    else g_monitor_pending.store(monitor_wanted(), std::memory_order_relaxed);
}

inline std::uint64_t monitor_now_us() noexcept { return clock_ns(CLOCK_MONOTONIC) / 1000u; }

inline void* monitor_main(void*) {
    ++t_state.busy; // for good: nothing this thread allocates is linked
    ::pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, nullptr);
    int const fd = g_monitor.wake_read.load(std::memory_order_acquire);
    std::uint64_t last = monitor_now_us();
    while (!g_monitor.stop.load(std::memory_order_acquire)) {
        std::uint64_t const interval = g_monitor_options.interval_us.load(std::memory_order_relaxed);
        int timeout = -1;
        if (interval) {
            std::uint64_t const now = monitor_now_us(), due = last + interval;
            std::uint64_t const wait_ms = due > now ? (due - now + 999) / 1000 : 0;
            timeout = wait_ms > 3600000u ? 3600000 : static_cast<int>(wait_ms);
        }
        struct pollfd p = {fd, POLLIN, 0};
        int const ready = ::poll(&p, 1, timeout);
        if (ready > 0) {
            char drain[64];
            while (::read(fd, drain, sizeof drain) > 0) {}
        }
        if (g_monitor.stop.load(std::memory_order_acquire)) break;
        if (g_monitor.dumps.exchange(0, std::memory_order_relaxed) != 0) write_profile_report(nullptr, "signal");
        std::uint64_t const now = monitor_now_us();
        std::uint64_t const every = g_monitor_options.interval_us.load(std::memory_order_relaxed);
        if (every && now >= last + every) {
            write_profile_report(nullptr, "interval");
            // The next one an interval after this one was due, unless that has passed already.
            last = now - last - every < every ? last + every : now;
        }
    }
    return nullptr;
}

// Starts the thread if one is wanted and none runs. Called where creating a thread is safe.
void start_pending_monitor() noexcept {
    lock_guard hold(g_monitor.control);
    bool const was_pending = g_monitor_pending.exchange(false, std::memory_order_relaxed);
    if (was_pending) refresh_hot(false); // allocations leave the general path again
    if (g_monitor.running || !monitor_wanted()) return;
    if (g_monitor.wake_read.load(std::memory_order_relaxed) < 0) {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) return;
        g_monitor.wake_read.store(fds[0], std::memory_order_release);
        g_monitor.wake_write.store(fds[1], std::memory_order_release);
    }
    g_monitor.stop.store(false, std::memory_order_relaxed);
    sigset_t all, old;
    sigfillset(&all);
    ::pthread_sigmask(SIG_SETMASK, &all, &old); // the new thread starts with every signal blocked
    ++t_state.busy;                             // what pthread_create allocates is leakguard's
    int const rc = ::pthread_create(&g_monitor.thread, nullptr, monitor_main, nullptr);
    --t_state.busy;
    ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
    if (rc != 0) {
        fd_writer(report_fd()).printf("leakguard: warning: cannot start the monitor thread (error %d)\n", rc);
        return;
    }
    g_monitor.running = true;
}

// Stops and joins the thread (at exit, or when no monitor option asks for one any more).
inline void stop_monitor() noexcept {
    lock_guard hold(g_monitor.control);
    if (!g_monitor.running) return;
    g_monitor.stop.store(true, std::memory_order_release);
    wake_monitor();
    ++t_state.busy;
    ::pthread_join(g_monitor.thread, nullptr);
    --t_state.busy;
    g_monitor.running = false;
    g_monitor.stop.store(false, std::memory_order_relaxed);
}

// After set_option: start a wanted monitor now, stop one nobody wants.
inline void apply_monitor_options() noexcept {
    if (g_monitor_pending.load(std::memory_order_relaxed)) start_pending_monitor();
    if (!monitor_wanted()) stop_monitor();
}

// In a fork child (runtime/fork.hpp): no thread runs here. Its pipe copies are closed, the
// profile's lock (which the parent's monitor may have held) is free, and counting stops until a
// monitor option is set again in the child.
inline void monitor_in_child() noexcept {
    g_monitor.control.state.store(0, std::memory_order_relaxed);
    g_monitor.running = false;
    g_monitor.stop.store(false, std::memory_order_relaxed);
    g_monitor.dumps.store(0, std::memory_order_relaxed);
    g_monitor_pending.store(false, std::memory_order_relaxed);
    int const r = g_monitor.wake_read.exchange(-1, std::memory_order_acq_rel);
    int const w = g_monitor.wake_write.exchange(-1, std::memory_order_acq_rel);
    if (r >= 0) ::close(r);
    if (w >= 0) ::close(w);
    g_profile.lock.state.store(0, std::memory_order_relaxed);
    g_profile.restart = true;
    g_count_sites.store(false, std::memory_order_relaxed);
    g_hot.fetch_and(~unsigned(hot_sites), std::memory_order_relaxed);
}

} // namespace detail

bool write_profile() noexcept {
    detail::ensure_initialised();
    detail::busy_section busy;
    detail::g_monitor.profile_used.store(true, std::memory_order_relaxed);
    return detail::write_profile_report(nullptr, "write_profile");
}

bool write_profile(const char* path) noexcept {
    if (!path || !path[0]) return write_profile();
    detail::ensure_initialised();
    detail::busy_section busy;
    detail::g_monitor.profile_used.store(true, std::memory_order_relaxed);
    return detail::write_profile_report(path, "write_profile");
}

} // namespace leakguard

#endif // LEAKGUARD_DETAIL_RUNTIME_MONITOR_HPP_INCLUDED
