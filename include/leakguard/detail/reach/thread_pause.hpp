// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// reach/thread_pause.hpp: every other thread of the process stopped while the scan reads memory,
// without ptrace (refused in containers, under a debugger and by some security policies), the way
// conservative collectors do it: a signal to each thread (tgkill, threads listed from
// /proc/self/task), whose handler saves the registers the signal interrupted, says it is ready
// and waits on a futex until the scan is over.
//
// - Threads created meanwhile: the list is read again after each round until it holds no thread
//   that was not signalled (a new thread's creator is paused, or the new thread is).
// - Threads exiting meanwhile: tgkill fails, or the thread vanishes from /proc before answering;
//   either way it is dropped (its stack goes with it).
// - Threads in a system call: the signal interrupts it (SA_RESTART restarts it afterwards).
// - A thread that blocks the signal never answers: after a grace period it is left running and
//   counted in `unpaused`; its stack is not scanned (the report says so).
// The handler stays installed once installed (a late signal must never kill the process); with no
// pause in progress it passes the signal on to whatever handler the program had.
#ifndef LEAKGUARD_DETAIL_REACH_THREAD_PAUSE_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REACH_THREAD_PAUSE_HPP_INCLUDED

#include <atomic>        // std::atomic
#include <cerrno>        // errno
#include <csignal>       // sigaction
#include <cstddef>       // std::size_t
#include <cstdint>       // std::uintptr_t
#include <cstring>       // std::memset
#include <fcntl.h>       // O_RDONLY, O_DIRECTORY
#include <linux/futex.h> // FUTEX_WAIT, FUTEX_WAKE
#include <sys/syscall.h> // SYS_gettid, SYS_tgkill, SYS_futex, SYS_getdents64
#include <ctime>         // timespec, nanosleep
#include <ucontext.h>    // ucontext_t, REG_RSP
#include <unistd.h>      // syscall, getpid

#include "../core/pages.hpp"
#include "../core/platform.hpp"
#include "memory_map.hpp" // read_proc_prefix, parse_hex

namespace leakguard {
namespace detail {

// The general-purpose registers a paused thread had (x86-64: rax..r15, rsp, rip - gregs[0..16]).
constexpr std::size_t saved_register_count = 18;

struct paused_thread {
    long tid;
    std::atomic<int> state; // 0 signalled, 1 paused (registers saved), 2 resumed, -1 gone,
                            // -2 blocks the signal, -3 blocks every signal (never signalled)
    std::uintptr_t sp;      // its stack pointer when the signal came
    std::uintptr_t tp;      // its thread pointer (the TCB, and static TLS below it)
    std::uintptr_t registers[saved_register_count];
};

// One mapping holds the world and its slots: a handler that is late (its thread blocked the signal
// until after the pause) may still read both, so when that can happen they are never unmapped.
struct pause_world {
    std::atomic<int> release; // 0 while paused; the futex the handlers wait on
    std::size_t count;
    paused_thread threads[1]; // max_paused_threads of them
};
// Far more than any process runs; only the pages the slots touch are committed.
constexpr std::size_t max_paused_threads = 1u << 16;
constexpr std::size_t pause_world_bytes = sizeof(pause_world) + (max_paused_threads - 1) * sizeof(paused_thread);

std::atomic<pause_world*> g_pause_world{};
std::atomic<pause_world*> g_pause_previous{}; // resumed, not yet unmapped (world_pause::resume)
std::atomic<bool> g_pause_handler_installed{};
struct sigaction g_pause_previous_action {};

// The signal: a real-time one the C library leaves to programs. Programs that use it can move it
// with the scan_signal option (not yet: the constant is the one place).
inline int pause_signal() noexcept { return SIGRTMAX - 3; }

inline std::uintptr_t current_thread_pointer() noexcept {
#if defined(__x86_64__)
    std::uintptr_t tp;
    __asm__("mov %%fs:0, %0" : "=r"(tp));
    return tp;
#elif defined(__aarch64__)
    std::uintptr_t tp;
    __asm__("mrs %0, tpidr_el0" : "=r"(tp));
    return tp;
#else
    return 0;
#endif
}

inline long current_tid() noexcept { return ::syscall(SYS_gettid); }

inline void futex_wait(std::atomic<int>* word, int value) noexcept {
    ::syscall(SYS_futex, reinterpret_cast<int*>(word), FUTEX_WAIT_PRIVATE, value, nullptr, nullptr, 0);
}
inline void futex_wake_all(std::atomic<int>* word) noexcept {
    ::syscall(SYS_futex, reinterpret_cast<int*>(word), FUTEX_WAKE_PRIVATE, 0x7fffffff, nullptr, nullptr, 0);
}

LEAKGUARD_DETAIL_NO_SANITIZE_MEMORY inline void pause_handler(int sig, siginfo_t* info, void* context) noexcept {
    int const saved_errno = errno;
    pause_world* const w = g_pause_world.load(std::memory_order_acquire);
    paused_thread* self = nullptr;
    if (w) {
        long const tid = current_tid();
        for (std::size_t i = 0; i < w->count; ++i)
            if (w->threads[i].tid == tid) self = &w->threads[i];
    }
    if (!self || self->state.load(std::memory_order_acquire) != 0) {
        errno = saved_errno;
        // Not ours: the program's own handler, if it had one for this signal.
        struct sigaction const& prev = g_pause_previous_action;
        if (prev.sa_flags & SA_SIGINFO) {
            if (prev.sa_sigaction) prev.sa_sigaction(sig, info, context);
        } else if (prev.sa_handler != SIG_DFL && prev.sa_handler != SIG_IGN && prev.sa_handler) {
            prev.sa_handler(sig);
        }
        return;
    }
    self->tp = current_thread_pointer();
#if defined(__x86_64__)
    const ucontext_t* uc = static_cast<const ucontext_t*>(context);
    for (std::size_t i = 0; i < saved_register_count && i < NGREG; ++i)
        self->registers[i] = static_cast<std::uintptr_t>(uc->uc_mcontext.gregs[i]);
    self->sp = static_cast<std::uintptr_t>(uc->uc_mcontext.gregs[REG_RSP]);
#else
    self->sp = reinterpret_cast<std::uintptr_t>(&self); // this frame: conservative
    (void)context;
#endif
    self->state.store(1, std::memory_order_release);
    while (w->release.load(std::memory_order_acquire) == 0) futex_wait(&w->release, 0);
    self->state.store(2, std::memory_order_release); // after this the world may be unmapped
    errno = saved_errno;
}

inline bool install_pause_handler() noexcept {
    if (g_pause_handler_installed.load(std::memory_order_acquire)) return true;
    struct sigaction sa;
    std::memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = pause_handler;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigfillset(&sa.sa_mask);
    if (::sigaction(pause_signal(), &sa, &g_pause_previous_action) != 0) return false;
    g_pause_handler_installed.store(true, std::memory_order_release);
    return true;
}

// The thread ids in /proc/self/task, each passed to f(tid).
template <class F>
void for_each_task(F f) noexcept {
    long const fd = ::syscall(SYS_openat, AT_FDCWD, "/proc/self/task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    alignas(8) char buf[4096];
    for (;;) {
        long const n = ::syscall(SYS_getdents64, fd, buf, sizeof buf);
        if (n <= 0) break;
        for (long off = 0; off < n;) {
            // struct linux_dirent64: ino (8), off (8), reclen (2), type (1), name
            unsigned short reclen;
            std::memcpy(&reclen, buf + off + 16, sizeof reclen);
            const char* name = buf + off + 19;
            long tid = 0;
            for (; *name >= '0' && *name <= '9'; ++name) tid = tid * 10 + (*name - '0');
            if (*name == '\0' && tid > 0) f(tid);
            off += reclen;
        }
    }
    ::syscall(SYS_close, fd);
}

// Whether thread `tid` blocks signal `sig` now (the SigBlk mask of /proc/self/task/TID/status):
// such a thread would never answer. With `all`, also whether it blocks every signal (a sanitizer
// runtime's own thread does: it runs no program code).
inline bool blocks_signal(long tid, int sig, bool& all) noexcept {
    all = false;
    char path[64];
    int n = 0;
    for (const char* c = "/proc/self/task/"; *c; ++c) path[n++] = *c;
    char digits[24];
    int d = 0;
    for (long v = tid; v > 0 && d < 20; v /= 10) digits[d++] = static_cast<char>('0' + v % 10);
    while (d > 0) path[n++] = digits[--d];
    for (const char* c = "/status"; *c; ++c) path[n++] = *c;
    path[n] = '\0';
    char text[2048]; // SigBlk comes well within it
    std::size_t const len = read_proc_prefix(path, text, sizeof text);
    bool blocked = false;
    for (std::size_t i = 0; i + 8 < len; ++i) {
        if ((i > 0 && text[i - 1] != '\n') || std::memcmp(text + i, "SigBlk:", 7) != 0) continue;
        const char* p = text + i + 7;
        while (*p == ' ' || *p == '\t') ++p;
        const char* const start = p;
        std::uintptr_t const mask = parse_hex(p, text + len);
        if (p == start) break;
        // Every signal but those no thread can block (SIGKILL, SIGSTOP) and the C library's own
        // two (32 and 33): bit N - 1 is signal N.
        all = (mask | 0x180040100ull) == ~std::uintptr_t(0);
        blocked = (mask >> (sig - 1)) & 1u;
        break;
    }
    return blocked;
}

inline void short_sleep() noexcept {
    struct timespec ts = {0, 200000}; // 0.2 ms
    ::nanosleep(&ts, nullptr);
}

// Pauses every thread but the caller. While paused, the caller must not call anything that takes
// a lock another thread may hold (malloc, stdio, dl_iterate_phdr).
class world_pause {
public:
    world_pause() noexcept : world_(nullptr), unpaused_(0), active_(false) {}
    ~world_pause() { resume(); }
    world_pause(const world_pause&) = delete;
    world_pause& operator=(const world_pause&) = delete;

    bool pause() noexcept {
        if (!install_pause_handler()) return false;
        retire_previous_world();
        world_ = static_cast<pause_world*>(map_pages(pause_world_bytes, true));
        if (!world_) return false;
        g_pause_world.store(world_, std::memory_order_release);
        active_ = true;
        long const self = current_tid();
        long const pid = ::getpid();
        for (bool more = true; more;) { // until a listing shows no thread not yet signalled
            more = false;
            for_each_task([&](long tid) {
                if (tid == self || known(tid)) return;
                if (world_->count == max_paused_threads) return; // left running (counted below)
                paused_thread& t = world_->threads[world_->count];
                t.tid = tid;
                t.state.store(0, std::memory_order_relaxed);
                // Publish the slot before the signal can arrive.
                __atomic_store_n(&world_->count, world_->count + 1, __ATOMIC_RELEASE);
                bool blocks_all = false;
                if (blocks_signal(tid, pause_signal(), blocks_all)) {
                    // It would never answer: left running, its stack unread (it may be changing
                    // or going away). Counted, unless it blocks every signal: a sanitizer
                    // runtime's own thread, or a thread that only waits for signals.
                    t.state.store(blocks_all ? -3 : -2, std::memory_order_relaxed);
                    if (!blocks_all) ++unpaused_;
                } else if (::syscall(SYS_tgkill, pid, tid, pause_signal()) != 0) {
                    t.state.store(-1, std::memory_order_relaxed);
                }
                more = true;
            });
            wait_for_answers(pid);
        }
        return true;
    }

    // Lets every paused thread go. It does not wait for them to leave the handler (on a busy
    // machine each must first be scheduled): the world's mapping is kept until the next pause,
    // which frees it once they all have.
    void resume() noexcept {
        if (!active_) return;
        active_ = false;
        g_pause_world.store(nullptr, std::memory_order_release);
        world_->release.store(1, std::memory_order_release);
        futex_wake_all(&world_->release);
        g_pause_previous.store(world_, std::memory_order_release);
        world_ = nullptr;
    }

    std::size_t count() const noexcept { return world_ ? world_->count : 0; }
    const paused_thread& thread(std::size_t i) const noexcept { return world_->threads[i]; }
    std::size_t unpaused() const noexcept { return unpaused_; }

private:
    // The last pause's world, once no thread is inside the handler with it. A thread that never
    // answered (state 0: it may yet take the signal and read the world) keeps it mapped for good.
    static void retire_previous_world() noexcept {
        pause_world* const old = g_pause_previous.exchange(nullptr, std::memory_order_acq_rel);
        if (!old) return;
        bool pending = false;
        for (std::size_t i = 0; i < old->count; ++i) {
            paused_thread& t = old->threads[i];
            while (t.state.load(std::memory_order_acquire) == 1) sched_yield();
            pending = pending || t.state.load(std::memory_order_acquire) == 0;
        }
        if (!pending) unmap_pages(old, pause_world_bytes);
    }

    bool known(long tid) const noexcept {
        for (std::size_t i = 0; i < world_->count; ++i)
            if (world_->threads[i].tid == tid) return true;
        return false;
    }
    void wait_for_answers(long pid) noexcept {
        // Up to 2 s for all to answer; a thread that has gone is dropped at once.
        for (int round = 0; round < 10000; ++round) {
            bool waiting = false;
            for (std::size_t i = 0; i < world_->count; ++i) {
                paused_thread& t = world_->threads[i];
                if (t.state.load(std::memory_order_acquire) != 0) continue;
                if (::syscall(SYS_tgkill, pid, t.tid, 0) != 0) {
                    t.state.store(-1, std::memory_order_relaxed);
                    continue;
                }
                waiting = true;
            }
            if (!waiting) return;
            if (round < 50) sched_yield();
            else short_sleep();
        }
        for (std::size_t i = 0; i < world_->count; ++i)
            if (world_->threads[i].state.load(std::memory_order_acquire) == 0) ++unpaused_;
    }

    pause_world* world_;
    std::size_t unpaused_;
    bool active_;
};

} // namespace detail
} // namespace leakguard

#endif
