// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// core/options.hpp: the options, read once from LEAKGUARD_OPTIONS at start-up and settable in code.
#ifndef LEAKGUARD_DETAIL_CORE_OPTIONS_HPP_INCLUDED
#define LEAKGUARD_DETAIL_CORE_OPTIONS_HPP_INCLUDED

#include <atomic>  // std::atomic
#include <climits> // INT_MAX
#include <cstdint> // std::uint64_t
#include <cstdlib> // std::getenv, std::strtol
#include <cstring> // std::strcmp, std::strlen

#include "../heap/block.hpp"
#include "platform.hpp"

namespace leakguard {
namespace detail {

enum class report_mode { full, summary, off };

constexpr int default_exitcode = 23; // as LeakSanitizer's, so scripts that know one know both

// Frames kept per block (1: only the return address into the code that called the allocator).
constexpr int default_stack_depth = 12; // valgrind's --num-callers
constexpr int max_stack_depth = 64;

// Heap checking (heap/guards.hpp, heap/quarantine.hpp); see README "Options" for what they cost.
constexpr int default_guard_bytes = 16;                      // tail guard after every block
constexpr std::uint64_t default_quarantine_bytes = 1u << 20; // per thread
constexpr int default_fill = 1;                              // 0xCD into new blocks

struct options_state {
    int exitcode_plus_one; // 0 means "not set": the default; stored +1 to stay zero-initialised
    report_mode report;    // full is 0: the zero-initialised default
    char log_path[1024];   // empty: stderr
    char json_path[1024];  // empty: no JSON
    // Read by every allocation, possibly while another thread sets them: atomics, relaxed.
    std::atomic<int> stack_depth_plus_one;                // 0: default_stack_depth
    std::atomic<int> stack_unwinder;                      // 0 auto, 1 frame pointers only, 2 libgcc only
    std::atomic<int> guard_bytes_plus_one;                // 0: default_guard_bytes
    std::atomic<std::uint64_t> quarantine_bytes_plus_one; // 0: default_quarantine_bytes
    std::atomic<int> fill_plus_one;                       // 0: default_fill
    std::atomic<bool> abort_on_error;                     // false (the default)
    std::atomic<std::uint64_t> break_on_alloc;            // 0: off
};

options_state g_options{};

// What the hot path needs to know about the options, in one word read once per operation.
// Recomputed (refresh_hot) whenever an option changes. The short paths (heap/allocator.hpp) do
// the defaults' extras themselves - tail guard, fill, stacks, the quarantine's hand-over - and
// leave to the general path only what is rare: break_on_alloc and new sites (`hot_slow_*`).
enum : unsigned {
    hot_ready = 1u,       // start-up has run
    hot_slow_alloc = 2u,  // break_on_alloc or new sites: allocations take the general path
    hot_slow_free = 4u,   // new sites: frees take the general path
    hot_elide = 8u,       // owners take no lock (heap/registry.hpp, "Lock elision"); fixed at start-up
    hot_fill = 16u,       // fill=1: new blocks get 0xCD
    hot_stacks = 32u,     // stack_depth > 1: allocations capture a call stack
    hot_quarantine = 64u, // quarantine_bytes > 0: frees go through the quarantine
    hot_guard_shift = 8u, // bits 8-13: the tail guard's length in units of guard_unit (4 bytes)
    hot_guard_mask = 0x3Fu << hot_guard_shift,
    // Any per-block extra at all (for the paths that handle none, such as realloc in place).
    hot_extras_alloc = hot_slow_alloc | hot_fill | hot_stacks | hot_guard_mask,
    hot_extras_free = hot_slow_free | hot_quarantine,
};
std::atomic<unsigned> g_hot{};
spinlock g_hot_lock{};
std::atomic<bool> g_new_sites_enabled{}; // operator new's blocks are remembered (libc/mapped_calls.hpp)

inline int option_stack_depth() noexcept {
    int const v = g_options.stack_depth_plus_one.load(std::memory_order_relaxed);
    return v ? v - 1 : default_stack_depth;
}

inline int option_guard_bytes() noexcept {
    int const v = g_options.guard_bytes_plus_one.load(std::memory_order_relaxed);
    return v ? v - 1 : default_guard_bytes;
}
inline std::uint64_t option_quarantine_bytes() noexcept {
    std::uint64_t const v = g_options.quarantine_bytes_plus_one.load(std::memory_order_relaxed);
    return v ? v - 1 : default_quarantine_bytes;
}
inline bool option_fill() noexcept {
    int const v = g_options.fill_plus_one.load(std::memory_order_relaxed);
    return (v ? v - 1 : default_fill) != 0;
}

// Under a lock: two threads setting options at once both end with the word of both changes.
inline void refresh_hot(bool ready, bool elide = false) noexcept {
    lock_guard hold(g_hot_lock);
    bool const sites = g_new_sites_enabled.load(std::memory_order_relaxed);
    unsigned w = g_hot.load(std::memory_order_relaxed) & (hot_ready | hot_elide);
    if (ready) w |= hot_ready;
    if (elide) w |= hot_elide;
    if (g_options.break_on_alloc.load(std::memory_order_relaxed) != 0 || sites) w |= hot_slow_alloc;
    if (sites) w |= hot_slow_free;
    if (option_fill()) w |= hot_fill;
    if (option_stack_depth() > 1) w |= hot_stacks;
    if (option_quarantine_bytes() > 0) w |= hot_quarantine;
    int const guard = option_guard_bytes(); // at most max_guard_bytes: 63 units
    w |= static_cast<unsigned>((guard + 3) / 4) << hot_guard_shift;
    g_hot.store(w, std::memory_order_relaxed);
}

inline int option_exitcode() noexcept {
    return g_options.exitcode_plus_one ? g_options.exitcode_plus_one - 1 : default_exitcode;
}

// Makes the next report_fd() open log_path anew (after log_path changed).
inline void reopen_report_stream() noexcept;

inline bool copy_path(char* dest, std::size_t size, const char* value) noexcept {
    std::size_t const n = std::strlen(value);
    if (n >= size) return false;
    std::memcpy(dest, value, n + 1);
    return true;
}

// A whole decimal number (no sign, no trailing text).
inline bool parse_number(const char* value, long long& out) noexcept {
    if (*value < '0' || *value > '9') return false;
    char* end = nullptr;
    out = std::strtoll(value, &end, 10);
    return end && *end == '\0';
}

inline bool apply_option(const char* key, const char* value, const char* origin) noexcept {
    if (!key || !value) return false;
    bool known = true, ok = false;
    if (std::strcmp(key, "exitcode") == 0) {
        char* end = nullptr;
        long const v = std::strtol(value, &end, 10);
        ok = *value && end && *end == '\0' && v >= 0 && v <= 255;
        if (ok) g_options.exitcode_plus_one = static_cast<int>(v) + 1;
    } else if (std::strcmp(key, "log_path") == 0) {
        ok = copy_path(g_options.log_path, sizeof g_options.log_path, value);
        if (ok) reopen_report_stream();
    } else if (std::strcmp(key, "json_path") == 0) {
        ok = copy_path(g_options.json_path, sizeof g_options.json_path, value);
    } else if (std::strcmp(key, "stack_depth") == 0) {
        char* end = nullptr;
        long const v = std::strtol(value, &end, 10);
        ok = *value && end && *end == '\0' && v >= 0 && v <= max_stack_depth;
        if (ok) g_options.stack_depth_plus_one.store(static_cast<int>(v) + 1, std::memory_order_relaxed);
    } else if (std::strcmp(key, "stack_unwinder") == 0) {
        ok = true;
        if (std::strcmp(value, "auto") == 0) g_options.stack_unwinder.store(0, std::memory_order_relaxed);
        else if (std::strcmp(value, "fp") == 0) g_options.stack_unwinder.store(1, std::memory_order_relaxed);
        else if (std::strcmp(value, "libgcc") == 0) g_options.stack_unwinder.store(2, std::memory_order_relaxed);
        else ok = false;
    } else if (std::strcmp(key, "guard_bytes") == 0) {
        long long v = 0;
        ok = parse_number(value, v) && v >= 0 && v <= static_cast<long long>(max_guard_bytes);
        if (ok) g_options.guard_bytes_plus_one.store(static_cast<int>(v) + 1, std::memory_order_relaxed);
    } else if (std::strcmp(key, "quarantine_bytes") == 0) {
        long long v = 0;
        ok = parse_number(value, v) && v >= 0 && v < (1LL << 48);
        if (ok) g_options.quarantine_bytes_plus_one.store(static_cast<std::uint64_t>(v) + 1, std::memory_order_relaxed);
    } else if (std::strcmp(key, "fill") == 0) {
        long long v = 0;
        ok = parse_number(value, v) && (v == 0 || v == 1);
        if (ok) g_options.fill_plus_one.store(static_cast<int>(v) + 1, std::memory_order_relaxed);
    } else if (std::strcmp(key, "abort_on_error") == 0) {
        long long v = 0;
        ok = parse_number(value, v) && (v == 0 || v == 1);
        if (ok) g_options.abort_on_error.store(v == 1, std::memory_order_relaxed);
    } else if (std::strcmp(key, "break_on_alloc") == 0) {
        long long v = 0;
        ok = parse_number(value, v) && v >= 0;
        if (ok) g_options.break_on_alloc.store(static_cast<std::uint64_t>(v), std::memory_order_relaxed);
    } else if (std::strcmp(key, "report") == 0) {
        ok = true;
        if (std::strcmp(value, "full") == 0) g_options.report = report_mode::full;
        else if (std::strcmp(value, "summary") == 0) g_options.report = report_mode::summary;
        else if (std::strcmp(value, "off") == 0) g_options.report = report_mode::off;
        else ok = false;
    } else {
        known = false;
    }
    if (!known) {
        fd_writer out(2);
        out.printf("leakguard: warning: unknown option '%s' in %s (ignored)\n", key, origin);
    } else if (!ok) {
        fd_writer out(2);
        out.printf("leakguard: warning: bad value '%s' for option '%s' in %s (ignored)\n", value, key, origin);
    }
    if (known && ok) refresh_hot(false);
    return known && ok;
}

// Parses "key=value:key=value" (',' separates too). Returns false if any pair was rejected.
inline bool apply_option_list(const char* list, const char* origin) noexcept {
    if (!list) return true;
    bool all_ok = true;
    char pair[1100];
    const char* p = list;
    while (*p) {
        std::size_t n = 0;
        while (p[n] && p[n] != ':' && p[n] != ',') ++n;
        if (n > 0) {
            if (n >= sizeof pair) {
                fd_writer out(2);
                out.printf("leakguard: warning: option too long in %s (ignored)\n", origin);
                all_ok = false;
            } else {
                std::memcpy(pair, p, n);
                pair[n] = '\0';
                char* eq = std::strchr(pair, '=');
                if (!eq) {
                    fd_writer out(2);
                    out.printf("leakguard: warning: option '%s' in %s has no '=value' (ignored)\n", pair, origin);
                    all_ok = false;
                } else {
                    *eq = '\0';
                    all_ok = apply_option(pair, eq + 1, origin) && all_ok;
                }
            }
        }
        p += n;
        if (*p) ++p;
    }
    return all_ok;
}

// The report stream: log_path when set (opened on first use, kept open), else stderr.
spinlock g_report_fd_lock{};
int g_report_fd_plus_one; // 0: not opened yet

inline void reopen_report_stream() noexcept {
    lock_guard hold(g_report_fd_lock);
    if (g_report_fd_plus_one > 3) ::close(g_report_fd_plus_one - 1);
    g_report_fd_plus_one = 0;
}

inline int report_fd() noexcept {
    lock_guard hold(g_report_fd_lock);
    if (g_report_fd_plus_one == 0) {
        int fd = 2;
        if (g_options.log_path[0]) {
            fd = open_for_writing(g_options.log_path);
            if (fd < 0) {
                fd_writer err(2);
                err.printf("leakguard: warning: cannot open log_path '%s'; writing to stderr\n", g_options.log_path);
                fd = 2;
            }
        }
        g_report_fd_plus_one = fd + 1;
    }
    return g_report_fd_plus_one - 1;
}

} // namespace detail
} // namespace leakguard

#endif
