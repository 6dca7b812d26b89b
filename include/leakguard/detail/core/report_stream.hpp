// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// core/report_stream.hpp: where the text report goes - the file the log_path option names, opened
// on first use and kept open, or stderr. Kept apart from the options: the stream is state the
// reports share, the option only says where it points.
#ifndef LEAKGUARD_DETAIL_CORE_REPORT_STREAM_HPP_INCLUDED
#define LEAKGUARD_DETAIL_CORE_REPORT_STREAM_HPP_INCLUDED

#include <cstddef>  // std::size_t
#include <cstring>  // std::strlen, std::memcpy, std::strstr
#include <fcntl.h>  // O_CLOEXEC
#include <unistd.h> // close, dup3

#include "platform.hpp"

namespace leakguard {
namespace detail {

constexpr std::size_t max_path_length = 1023; // a log_path or json_path, without its '\0'

spinlock g_report_fd_lock{};             // also held across fork() (runtime/fork.hpp)
char g_report_path[max_path_length + 1]; // empty: stderr
int g_report_fd = -1;                    // -1: not opened yet

// Copies a path option's value into `dest`; false (and `dest` unchanged) when it does not fit.
inline bool copy_path(char (&dest)[max_path_length + 1], const char* value) noexcept {
    std::size_t const n = std::strlen(value);
    if (n > max_path_length) return false;
    std::memcpy(dest, value, n + 1);
    return true;
}

// The log_path file opened (g_report_path, with g_report_fd_lock held), or stderr with a warning.
inline int open_report_path() noexcept {
    int const fd = open_for_writing(g_report_path);
    if (fd >= 0) return fd;
    fd_writer(2).printf("leakguard: warning: cannot open log_path '%s'; writing to stderr\n", g_report_path);
    return 2;
}

// Puts `fresh` (a descriptor, or 2 for stderr) under the report's descriptor number, which stays
// leakguard's: a descriptor report_fd() handed out is never closed, since a report on another
// thread may be writing to it, and once closed its number could name one of the program's files.
inline void move_report_to(int fresh) noexcept {
    ::dup3(fresh, g_report_fd, O_CLOEXEC);
    if (fresh > 2) ::close(fresh);
}

// The log_path option: the next report_fd() opens `path` ("" for stderr) anew; where one was
// open, the new target takes its number (move_report_to).
inline bool set_report_path(const char* path) noexcept {
    lock_guard hold(g_report_fd_lock);
    if (!copy_path(g_report_path, path)) return false;
    if (g_report_fd > 2) move_report_to(g_report_path[0] ? open_report_path() : 2);
    else g_report_fd = -1;
    return true;
}

// In a fork() child (runtime/fork.hpp, with g_report_fd_lock held since the fork): a log_path
// with "%p" names another file for the child, which must not write into its parent's. Its own
// is opened under the same descriptor number; where it cannot be, the child writes to stderr.
inline void reopen_report_in_child() noexcept {
    if (g_report_fd <= 2 || !std::strstr(g_report_path, "%p")) return;
    move_report_to(open_report_path());
}

inline int report_fd() noexcept {
    lock_guard hold(g_report_fd_lock);
    if (g_report_fd < 0) g_report_fd = g_report_path[0] ? open_report_path() : 2;
    return g_report_fd;
}

// report_fd() for a thread that may hold g_report_fd_lock itself (report/interrupted_report.hpp):
// the descriptor as it is when the lock is taken, stderr when nothing is open yet.
inline int report_fd_without_waiting() noexcept {
    if (!g_report_fd_lock.try_lock()) {
        int const fd = __atomic_load_n(&g_report_fd, __ATOMIC_RELAXED);
        return fd >= 0 ? fd : 2;
    }
    g_report_fd_lock.unlock();
    return report_fd();
}

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_CORE_REPORT_STREAM_HPP_INCLUDED
