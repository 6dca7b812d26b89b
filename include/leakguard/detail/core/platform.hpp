// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// core/platform.hpp: what leakguard needs from the C library and the CPU: raw memory that never goes
// through the tracked operators, a tiny lock, and a writer that prints without allocating.
#ifndef LEAKGUARD_DETAIL_CORE_PLATFORM_HPP_INCLUDED
#define LEAKGUARD_DETAIL_CORE_PLATFORM_HPP_INCLUDED

#include <atomic>   // std::atomic
#include <cerrno>   // errno
#include <cstdarg>  // va_list
#include <cstdio>   // std::vsnprintf
#include <cstdlib>  // std::malloc, std::calloc, posix_memalign
#include <cstring>  // std::memcpy, std::strlen
#include <fcntl.h>  // open
#include <sched.h>  // sched_yield
#include <unistd.h> // write, getpid

#include "inside_marks.hpp"
#include "libc_functions.hpp"

namespace leakguard {
namespace detail {

// Raw memory, always the C library's: the free goes straight to the C library's, past
// leakguard's own definition of `free` (libc_functions.hpp), and so do the allocations where
// leakguard defines malloc too (LEAKGUARD_DETAIL_INTERPOSE_ALLOC). Otherwise the C library's
// functions are the ones in scope; the parentheses keep them away from any malloc macro.
// raw_calloc: zeroed, without touching pages the C library knows are zero already (fresh mmap).
#if LEAKGUARD_DETAIL_INTERPOSE_ALLOC
LEAKGUARD_DETAIL_ALWAYS_INLINE void* raw_alloc(std::size_t n) noexcept { return libc_malloc(n); }
inline void* raw_calloc(std::size_t n) noexcept { return libc_calloc(1, n); }
inline void* raw_alloc_aligned(std::size_t n, std::size_t align) noexcept { return libc_memalign(align, n); }
#else
LEAKGUARD_DETAIL_ALWAYS_INLINE void* raw_alloc(std::size_t n) noexcept { return (std::malloc)(n); }
inline void* raw_calloc(std::size_t n) noexcept { return (std::calloc)(1, n); }
inline void* raw_alloc_aligned(std::size_t n, std::size_t align) noexcept {
    void* p = nullptr;
    return (posix_memalign)(&p, align, n) == 0 ? p : nullptr;
}
#endif
LEAKGUARD_DETAIL_ALWAYS_INLINE void raw_free(void* p) noexcept { libc_free(p); }
// Grows raw memory (from raw_alloc, or null) past leakguard's own realloc, as raw_free frees it.
inline void* raw_realloc(void* p, std::size_t n) noexcept { return libc_realloc(p, n); }

inline void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

// A test-and-test-and-set lock: one atomic exchange when free, so an uncontended lock costs what
// a mutex would without pthread's bookkeeping, and it is constant-initialised (usable from static
// constructors in any order). Spins briefly, then yields: a lock holder never blocks or allocates.
struct spinlock {
    std::atomic<int> state;

    void lock() noexcept {
        mark_enter(t_inside.locks); // before it may be held: see core/inside_marks.hpp
        while (state.exchange(1, std::memory_order_acquire) != 0) {
            for (int spins = 0; state.load(std::memory_order_relaxed) != 0; ++spins) {
                if (spins < 64) cpu_relax();
                else sched_yield();
            }
        }
    }
    void unlock() noexcept {
        state.store(0, std::memory_order_release);
        mark_leave(t_inside.locks);
    }
    // Takes the lock if it is free now; never waits (a report on a thread that may hold it).
    bool try_lock() noexcept {
        mark_enter(t_inside.locks);
        if (state.load(std::memory_order_relaxed) == 0 && state.exchange(1, std::memory_order_acquire) == 0)
            return true;
        mark_leave(t_inside.locks);
        return false;
    }
};

class lock_guard {
public:
    explicit lock_guard(spinlock& l) noexcept : lock_(l) { lock_.lock(); }
    ~lock_guard() { lock_.unlock(); }
    lock_guard(const lock_guard&) = delete;
    lock_guard& operator=(const lock_guard&) = delete;

private:
    spinlock& lock_;
};

// Whether a failed write of a report was said on stderr: once per process, whatever it was
// writing (a full disk fails every write after the first).
std::atomic<bool> g_write_error_said{};

// Says once on stderr that writing to `fd` failed (errno `error`); the rest of what was being
// written there is lost, and the program goes on.
inline void say_write_error(int fd, int error) noexcept {
    if (fd == 2 || g_write_error_said.exchange(true, std::memory_order_relaxed)) return;
    char line[160];
    int const n = std::snprintf(line, sizeof line,
                                "leakguard: warning: cannot write the report (file descriptor %d: %s); what "
                                "did not fit is lost\n",
                                fd, std::strerror(error));
    if (n > 0)
        (void)!::write(2, line,
                       static_cast<std::size_t>(n) < sizeof line ? static_cast<std::size_t>(n) : sizeof line - 1);
}

// Writes formatted text to a file descriptor through a fixed buffer: no heap, no stdio locks. A
// write that fails is said once (say_write_error).
// Text gathered in raw memory instead of written (an fd_writer built on one): what must reach its
// file in one write(2), such as the monitor's lines, which two processes may append to one file.
struct memory_text {
    char* data; // raw memory (raw_free it), or null
    std::size_t size;
    std::size_t capacity;
    bool failed; // memory ran out: the text is incomplete

    void append(const char* s, std::size_t n) noexcept {
        if (failed) return;
        if (size + n > capacity) {
            std::size_t grown = capacity ? capacity * 2 : 16384;
            while (grown < size + n) grown *= 2;
            char* fresh = static_cast<char*>(raw_realloc(data, grown));
            if (!fresh) {
                failed = true;
                return;
            }
            data = fresh;
            capacity = grown;
        }
        std::memcpy(data + size, s, n);
        size += n;
    }
};

class fd_writer {
public:
    explicit fd_writer(int fd) noexcept : fd_(fd), used_(0) {}
    // Gathers into `into` instead of writing to a file.
    explicit fd_writer(memory_text& into) noexcept : fd_(-1), used_(0), into_(&into) {}
    ~fd_writer() { flush(); }
    fd_writer(const fd_writer&) = delete;
    fd_writer& operator=(const fd_writer&) = delete;

    void put(const char* s, std::size_t n) noexcept {
        while (n > 0) {
            if (used_ == sizeof buf_) flush();
            std::size_t const room = sizeof buf_ - used_;
            std::size_t const k = n < room ? n : room;
            std::memcpy(buf_ + used_, s, k);
            used_ += k;
            s += k;
            n -= k;
        }
    }
    void put(const char* s) noexcept { put(s, std::strlen(s)); }
    // A printf'd line is cut to this length (keeping the line break it ends with).
    static constexpr std::size_t max_line = 1024;

    __attribute__((format(printf, 2, 3))) void printf(const char* fmt, ...) noexcept {
        char line[max_line];
        va_list args;
        va_start(args, fmt);
        int const n = std::vsnprintf(line, sizeof line, fmt, args);
        va_end(args);
        if (n <= 0) return;
        std::size_t len = static_cast<std::size_t>(n);
        if (len >= sizeof line) { // cut: keep the line break the message ends with
            len = sizeof line - 1;
            std::size_t const f = std::strlen(fmt);
            if (f > 0 && fmt[f - 1] == '\n') line[len - 1] = '\n';
        }
        put(line, len);
    }
    void flush() noexcept {
        if (into_) {
            into_->append(buf_, used_);
            used_ = 0;
            return;
        }
        std::size_t done = 0;
        while (done < used_ && fd_ >= 0) {
            ssize_t const w = ::write(fd_, buf_ + done, used_ - done);
            if (w < 0 && errno == EINTR) continue;
            if (w <= 0) {
                say_write_error(fd_, w < 0 ? errno : ENOSPC);
                break;
            }
            done += static_cast<std::size_t>(w);
        }
        used_ = 0;
    }

private:
    int fd_;
    std::size_t used_;
    memory_text* into_ = nullptr;
    char buf_[4096];
};

// Expands "%p" in a path to the process id (as LSan's log_path does), into `out`.
inline void expand_path(const char* path, char* out, std::size_t size) noexcept {
    std::size_t o = 0;
    for (const char* p = path; *p && o + 1 < size; ++p) {
        if (p[0] == '%' && p[1] == 'p') {
            char pid[24];
            int const n = std::snprintf(pid, sizeof pid, "%ld", static_cast<long>(::getpid()));
            for (int i = 0; i < n && o + 1 < size; ++i) out[o++] = pid[i];
            ++p;
        } else {
            out[o++] = *p;
        }
    }
    out[o] = '\0';
}

inline int open_for_writing(const char* path) noexcept {
    char full[4096];
    expand_path(path, full, sizeof full);
    return ::open(full, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
}

} // namespace detail
} // namespace leakguard

#endif
