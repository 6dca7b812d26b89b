// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// core/options.hpp: the options - one table (name, kind, range, default, help) from which
// LEAKGUARD_OPTIONS, leakguard::set_option, their warnings and leakguard::option_at (which the
// test of docs/options.md reads) all come. The table describes and parses; the values live in
// plain fields of g_options, which the allocation paths read directly.
#ifndef LEAKGUARD_DETAIL_CORE_OPTIONS_HPP_INCLUDED
#define LEAKGUARD_DETAIL_CORE_OPTIONS_HPP_INCLUDED

#include <atomic>  // std::atomic
#include <csignal> // SIGUSR2 and the other names dump_signal takes
#include <cstddef> // std::size_t
#include <cstdint> // std::uint64_t
#include <cstdio>  // std::snprintf
#include <cstring> // std::strcmp, std::strncmp, std::strchr, std::strlen, std::memcpy

#include "../../scope.hpp"
#include "../upward_calls.hpp"
#include "platform.hpp"
#include "baseline_file.hpp"
#include "report_stream.hpp"
#include "sarif_paths.hpp"
#include "suppression_files.hpp"

namespace leakguard {
namespace detail {

enum class report_mode { full, summary, off }; // in the order of the report option's choices

constexpr int default_exitcode = 23; // as LeakSanitizer's, so scripts that know one know both

// Frames kept per block (1: only the return address into the code that called the allocator).
constexpr int default_stack_depth = 12; // valgrind's --num-callers
constexpr int max_stack_depth = 64;

// Heap checking (heap/guards.hpp, heap/quarantine.hpp); docs/options.md says what they cost.
constexpr int default_guard_bytes = 16; // tail guard after every block
// The longest tail guard the block record can hold (heap/block.hpp's max_guard_bytes; the two are
// compared in runtime/main.hpp, which sees both).
constexpr int max_guard_bytes_option = 252;
constexpr std::uint64_t default_quarantine_bytes = 1u << 20; // per thread
// Far beyond any real heap, and far enough below 2^64 that a thread's running total cannot wrap.
constexpr std::uint64_t max_quarantine_bytes = (std::uint64_t(1) << 48) - 1;
constexpr int default_fill = 1; // 0xCD into new blocks
// Past any sequence number (they stop at 2^48); the bound LEAKGUARD_OPTIONS has always had, that of
// a signed 64-bit number.
constexpr std::uint64_t max_break_on_alloc = (std::uint64_t(1) << 63) - 1;

// The values. Read by every allocation, possibly while another thread sets them: atomics, relaxed.
// log_path is kept by the report stream (core/report_stream.hpp).
struct options_state {
    std::atomic<int> exitcode;
    std::atomic<report_mode> report;
    char json_path[max_path_length + 1];         // empty: no JSON
    std::atomic<int> stack_depth;                // 0 or 1: only the caller
    std::atomic<int> stack_unwinder;             // the index of its choice: 0 auto, 1 fp, 2 libgcc
    std::atomic<int> guard_bytes;                // 0: no guards
    std::atomic<std::uint64_t> quarantine_bytes; // 0: no quarantine
    std::atomic<bool> fill;
    std::atomic<bool> abort_on_error;
    std::atomic<std::uint64_t> break_on_alloc; // 0: off
    std::atomic<unsigned> leak_kinds;          // the kinds listed that fail a run: bit 1 << (leak_kind - 1)
    std::atomic<bool> show_reachable;          // list still-reachable blocks too (they never fail a run)
    std::atomic<int> test_checks;              // whole-suite mode's per-test rule: 0 lost, 1 strict
    std::atomic<int> repeats;                  // LEAKGUARD_REPEAT()'s repetitions
    std::atomic<bool> print_suppressions;      // list the suppressions that matched, at the report
    char write_baseline[max_path_length + 1];  // empty: no baseline written
    // Where separate debug files are looked for, ':' between directories (symbolize/debug_files.hpp);
    // empty: /usr/lib/debug.
    char debug_file_directory[max_path_length + 1];
};

// leak_kinds: the bits of definite, indirect and possible (valgrind's --errors-for-leak-kinds
// default is definite,possible; indirect blocks are listed too, as LeakSanitizer lists them).
constexpr const char* leak_kind_choices = "definite|indirect|possible|reachable";
constexpr unsigned default_leak_kinds = 7u;

// LEAKGUARD_REPEAT() without a count (repeat.hpp): enough to tell a cache filled once from a site
// that keeps blocks every time; at most repeat_check::max_repetitions.
constexpr int default_repeats = 3;

// Constant-initialised: the defaults hold before any constructor of the program runs.
options_state g_options{{default_exitcode},
                        {report_mode::full},
                        {},
                        {default_stack_depth},
                        {0},
                        {default_guard_bytes},
                        {default_quarantine_bytes},
                        {default_fill != 0},
                        {false},
                        {0},
                        {default_leak_kinds},
                        {false},
                        {0},
                        {default_repeats},
                        {false},
                        "",
                        ""};

// The monitor's options (docs/monitor.md), read by the monitor thread (runtime/monitor.hpp) while
// set_option may change them: atomics, and the path under its lock.
constexpr std::uint64_t max_monitor_seconds = 86400;
constexpr int default_monitor_top = 20;
constexpr int max_monitor_top = 1000000;
constexpr int default_monitor_growth = 3;
struct monitor_options {
    std::atomic<std::uint64_t> interval_us; // 0: no periodic report
    std::atomic<bool> text;                 // also a table on the report stream
    std::atomic<int> top;                   // sites listed, by live bytes; 0: every one
    std::atomic<bool> changed_only;
    std::atomic<bool> live_only;
    std::atomic<std::uint64_t> min_live; // sites with fewer live blocks are left out
    std::atomic<int> growth;             // intervals of growth that make a site "growing"; 0: never
    std::atomic<int> dump_signal;        // 0: none
    spinlock path_lock;
    char path[max_path_length + 1]; // empty: default_monitor_path
};
constexpr const char* default_monitor_path = "leakguard-monitor.%p.jsonl";
monitor_options g_monitor_options{
    {0}, {false}, {default_monitor_top}, {false}, {false}, {0}, {default_monitor_growth}, {0}, {}, ""};

// The monitor_path option's file, "%p" expanded, into `out`.
inline void monitor_path_now(char* out, std::size_t size) noexcept {
    char raw[max_path_length + 1];
    {
        lock_guard hold(g_monitor_options.path_lock);
        std::memcpy(raw, g_monitor_options.path, sizeof raw);
    }
    expand_path(raw[0] ? raw : default_monitor_path, out, size);
}

// Counting per site (capture/site_counts.hpp) is on: the short paths take their counting branch.
std::atomic<bool> g_count_sites{};
// A monitor thread is wanted but not started yet: allocations take the general path, where the
// first one from the program's own code starts it (runtime/monitor.hpp).
std::atomic<bool> g_monitor_pending{};

enum class option_kind {
    number,  // a whole decimal number from 0 to the entry's max
    choice,  // one of the entry's names; the value kept is its index
    path,    // a file path, "%p" for the process id; empty for none
    set,     // some of the entry's names, ',' or '+' between them, or "all" or "none"; kept as bits
    seconds, // a decimal number of seconds from 0 to the entry's max, fractions allowed ("0.25");
             // kept in microseconds
    signal,  // a signal by name ("SIGUSR2", "USR2") or number, or "none" (0); kept as its number
};

// One row of the table. `store` keeps a value that parsed: the number (a choice's index), or the
// text for a path; false when the value does not fit where it is kept.
using option_store = bool (*)(std::uint64_t number, const char* text);
struct option_spec {
    const char* name;
    option_kind kind;
    std::uint64_t max;           // number: the largest value accepted
    const char* choices;         // choice: the names, '|' between them
    std::uint64_t default_value; // number: the value; choice: the index of its name
    option_store store;
    const char* help; // one line
};

constexpr option_spec number_option(const char* name, std::uint64_t max, std::uint64_t default_value,
                                    option_store store, const char* help) {
    return option_spec{name, option_kind::number, max, nullptr, default_value, store, help};
}
constexpr option_spec choice_option(const char* name, const char* choices, std::uint64_t default_index,
                                    option_store store, const char* help) {
    return option_spec{name, option_kind::choice, 0, choices, default_index, store, help};
}
constexpr option_spec path_option(const char* name, option_store store, const char* help) {
    return option_spec{name, option_kind::path, 0, nullptr, 0, store, help};
}
constexpr option_spec seconds_option(const char* name, std::uint64_t max, option_store store, const char* help) {
    return option_spec{name, option_kind::seconds, max, nullptr, 0, store, help};
}
constexpr option_spec signal_option(const char* name, option_store store, const char* help) {
    return option_spec{name, option_kind::signal, 0, nullptr, 0, store, help};
}
constexpr option_spec set_option_spec(const char* name, const char* choices, std::uint64_t default_bits,
                                      option_store store, const char* help) {
    return option_spec{name, option_kind::set, 0, choices, default_bits, store, help};
}

template <class T, std::atomic<T> options_state::*Field>
bool store_field(std::uint64_t number, const char*) noexcept {
    (g_options.*Field).store(static_cast<T>(number), std::memory_order_relaxed);
    return true;
}
// Every tail guard length (in the record's units) a block may have been given: bit n for n units.
// A header whose length is none of them is damaged (reach/list_walk.hpp). realloc's blocks have
// none; the default is set from the start.
constexpr unsigned default_guard_units = (default_guard_bytes + 3) / 4; // heap/guards.hpp checks the unit
std::atomic<std::uint64_t> g_guard_units_used{1u | std::uint64_t(1) << default_guard_units};
inline bool store_guard_bytes(std::uint64_t number, const char*) noexcept {
    g_guard_units_used.fetch_or(std::uint64_t(1) << guard_units_for(static_cast<int>(number)),
                                std::memory_order_relaxed);
    g_options.guard_bytes.store(static_cast<int>(number), std::memory_order_relaxed);
    return true;
}
inline bool store_json_path(std::uint64_t, const char* text) noexcept { return copy_path(g_options.json_path, text); }
inline bool store_log_path(std::uint64_t, const char* text) noexcept { return set_report_path(text); }
inline bool store_suppressions(std::uint64_t, const char* text) noexcept { return set_suppressions_option(text); }
inline bool store_baseline(std::uint64_t, const char* text) noexcept { return set_baseline_option(text); }
inline bool store_write_baseline(std::uint64_t, const char* text) noexcept {
    return copy_path(g_options.write_baseline, text);
}
// Each setting adds its directories after those set before; an empty value goes back to the default.
inline bool store_debug_file_directory(std::uint64_t, const char* text) noexcept {
    char* const dirs = g_options.debug_file_directory;
    if (text[0] == '\0') {
        dirs[0] = '\0';
        return true;
    }
    std::size_t const used = std::strlen(dirs), n = std::strlen(text);
    if (used + (used ? 1 : 0) + n > max_path_length) return false;
    if (used) dirs[used] = ':';
    std::memcpy(dirs + used + (used ? 1 : 0), text, n + 1);
    return true;
}
// The monitor's options: stored, then the monitor told (runtime/monitor.hpp starts, stops or wakes
// it; the thread reads the values itself).
template <class T, std::atomic<T> monitor_options::*Field>
bool store_monitor_field(std::uint64_t number, const char*) noexcept {
    (g_monitor_options.*Field).store(static_cast<T>(number), std::memory_order_relaxed);
    monitor_options_changed();
    return true;
}
inline bool store_monitor_path(std::uint64_t, const char* text) noexcept {
    lock_guard hold(g_monitor_options.path_lock);
    return copy_path(g_monitor_options.path, text);
}

// The options, in the order docs/options.md lists them (a unit test holds the two together).
constexpr option_spec option_table[] = {
    number_option("exitcode", 255, default_exitcode, store_field<int, &options_state::exitcode>,
                  "exit status of a run with leaks at exit, failed scopes or heap errors; 0 keeps the program's own"),
    path_option("log_path", store_log_path,
                "write the text report (and scope failures, errors) to this file instead of stderr"),
    path_option("json_path", store_json_path, "write the JSON report to this file at exit"),
    path_option("sarif_path", store_sarif_path,
                "write a SARIF 2.1.0 log (loss records, heap errors) to this file at exit"),
    path_option("srcroot", store_srcroot,
                "the directory SARIF locations are relative to; none: the start-up directory"),
    choice_option("report", "full|summary|off", 0, store_field<report_mode, &options_state::report>,
                  "how much of the text report to print at exit"),
    number_option("stack_depth", max_stack_depth, default_stack_depth, store_field<int, &options_state::stack_depth>,
                  "call-stack frames kept per block; 0 or 1: only the caller"),
    choice_option("stack_unwinder", "auto|fp|libgcc", 0, store_field<int, &options_state::stack_unwinder>,
                  "how stacks are taken: frame pointers where they work and cached unwind tables elsewhere, frame "
                  "pointers only, the C++ runtime's unwinder"),
    number_option("guard_bytes", max_guard_bytes_option, default_guard_bytes, store_guard_bytes,
                  "bytes of 0xFD after every block, rounded up to a multiple of 4; 0: no guards at either end"),
    number_option("quarantine_bytes", max_quarantine_bytes, default_quarantine_bytes,
                  store_field<std::uint64_t, &options_state::quarantine_bytes>,
                  "released blocks held back per thread, checked for writes after free; 0: off"),
    number_option("fill", 1, default_fill, store_field<bool, &options_state::fill>,
                  "1: fill new blocks with 0xCD (their first 4 KiB; not calloc's)"),
    number_option("abort_on_error", 1, 0, store_field<bool, &options_state::abort_on_error>,
                  "1: abort() right after a heap error is printed"),
    number_option("break_on_alloc", max_break_on_alloc, 0, store_field<std::uint64_t, &options_state::break_on_alloc>,
                  "N: raise SIGTRAP inside the allocation with sequence number N; 0: off"),
    set_option_spec("leak_kinds", leak_kind_choices, default_leak_kinds,
                    store_field<unsigned, &options_state::leak_kinds>,
                    "the kinds of lost memory listed that make the exit status non-zero"),
    number_option("show_reachable", 1, 0, store_field<bool, &options_state::show_reachable>,
                  "1: list still-reachable blocks too (they never change the exit status)"),
    choice_option("test_checks", "lost|strict", 0, store_field<int, &options_state::test_checks>,
                  "whole-suite mode: a test fails on the memory it lost, or (strict) on any block it left alive"),
    number_option("repeats", 64, default_repeats, store_field<int, &options_state::repeats>,
                  "LEAKGUARD_REPEAT() without a count: how many times it runs its body"),
    path_option("suppressions", store_suppressions,
                "a suppressions file (LeakSanitizer's or valgrind's format) to add; empty: forget every file"),
    number_option("print_suppressions", 1, 0, store_field<bool, &options_state::print_suppressions>,
                  "1: list the suppressions that matched, with their counts, after the report"),
    path_option("baseline", store_baseline,
                "a file of known loss records' fingerprints: they are listed as known and do not fail the run"),
    path_option("write_baseline", store_write_baseline,
                "write the fingerprints of the loss records that fail the run to this file, at the report"),
    path_option("debug_file_directory", store_debug_file_directory,
                "a directory of separate debug files (DIR/.build-id/xx/yyyy.debug) for stripped modules; each "
                "setting adds one; none: /usr/lib/debug"),
    seconds_option("monitor_interval", max_monitor_seconds,
                   store_monitor_field<std::uint64_t, &monitor_options::interval_us>,
                   "seconds between the monitor's per-site reports (fractions allowed); 0: no monitor"),
    path_option(
        "monitor_path", store_monitor_path,
        "the file the monitor appends its reports to, one JSON object a line; none: leakguard-monitor.%p.jsonl"),
    number_option("monitor_text", 1, 0, store_monitor_field<bool, &monitor_options::text>,
                  "1: the monitor also prints each report as a table on the report stream"),
    number_option("monitor_top", max_monitor_top, default_monitor_top, store_monitor_field<int, &monitor_options::top>,
                  "sites in each monitor report, the most live bytes first; 0: every site"),
    number_option("monitor_changed", 1, 0, store_monitor_field<bool, &monitor_options::changed_only>,
                  "1: a monitor report lists only the sites that changed since the last one"),
    number_option("monitor_live_only", 1, 0, store_monitor_field<bool, &monitor_options::live_only>,
                  "1: a monitor report lists only the sites with live blocks"),
    number_option("monitor_min_live", max_break_on_alloc, 0,
                  store_monitor_field<std::uint64_t, &monitor_options::min_live>,
                  "a monitor report lists only the sites with at least this many live blocks"),
    number_option("monitor_growth", 1000, default_monitor_growth, store_monitor_field<int, &monitor_options::growth>,
                  "a site whose live blocks grew in each of the last N reports is growing; 0: none is"),
    signal_option("dump_signal", store_monitor_field<int, &monitor_options::dump_signal>,
                  "a signal (SIGUSR2, USR2, 12) that makes the monitor write one report now; none: off"),
};
constexpr std::size_t option_count = sizeof option_table / sizeof option_table[0];

// What the hot path needs to know about the options, in one word read once per operation.
// Recomputed (refresh_hot) whenever an option changes. The short paths (heap/allocate.hpp, heap/release.hpp) do
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
    hot_sites = 128u,     // counting per site is on (capture/site_counts.hpp): frees are counted
    hot_guard_shift = 8u, // bits 8-13: the tail guard's length in the record's units (guard_units_for)
    hot_guard_mask = 0x3Fu << hot_guard_shift,
    // Any per-block extra at all (for the paths that handle none, such as realloc in place).
    hot_extras_alloc = hot_slow_alloc | hot_fill | hot_stacks | hot_guard_mask,
    hot_extras_free = hot_slow_free | hot_quarantine | hot_sites,
};
std::atomic<unsigned> g_hot{};
spinlock g_hot_lock{};
std::atomic<bool> g_new_sites_enabled{}; // operator new's blocks are remembered (libc/mapped_calls.hpp)

inline int option_stack_depth() noexcept { return g_options.stack_depth.load(std::memory_order_relaxed); }
inline int option_guard_bytes() noexcept { return g_options.guard_bytes.load(std::memory_order_relaxed); }
inline std::uint64_t option_quarantine_bytes() noexcept {
    return g_options.quarantine_bytes.load(std::memory_order_relaxed);
}
inline bool option_fill() noexcept { return g_options.fill.load(std::memory_order_relaxed); }
inline int option_exitcode() noexcept { return g_options.exitcode.load(std::memory_order_relaxed); }
inline unsigned option_leak_kinds() noexcept { return g_options.leak_kinds.load(std::memory_order_relaxed); }
inline bool option_show_reachable() noexcept { return g_options.show_reachable.load(std::memory_order_relaxed); }
inline int option_repeats() noexcept { return g_options.repeats.load(std::memory_order_relaxed); }
inline bool option_print_suppressions() noexcept {
    return g_options.print_suppressions.load(std::memory_order_relaxed);
}
inline scope_rule option_test_checks() noexcept {
    return g_options.test_checks.load(std::memory_order_relaxed) == 1 ? scope_rule::strict : scope_rule::lost;
}

// Under a lock: two threads setting options at once both end with the word of both changes.
inline void refresh_hot(bool ready, bool elide = false) noexcept {
    lock_guard hold(g_hot_lock);
    bool const sites = g_new_sites_enabled.load(std::memory_order_relaxed);
    unsigned w = g_hot.load(std::memory_order_relaxed) & (hot_ready | hot_elide);
    if (ready) w |= hot_ready;
    if (elide) w |= hot_elide;
    if (g_options.break_on_alloc.load(std::memory_order_relaxed) != 0 || sites ||
        g_monitor_pending.load(std::memory_order_relaxed))
        w |= hot_slow_alloc;
    if (g_count_sites.load(std::memory_order_relaxed)) w |= hot_sites;
    if (sites) w |= hot_slow_free;
    if (option_fill()) w |= hot_fill;
    if (option_stack_depth() > 1) w |= hot_stacks;
    if (option_quarantine_bytes() > 0) w |= hot_quarantine;
    w |= guard_units_for(option_guard_bytes()) << hot_guard_shift; // at most 63 units: the table's range
    g_hot.store(w, std::memory_order_relaxed);
}

// The one number parser: a whole decimal number, digits only (no sign, no spaces, nothing after),
// at most `max`.
inline bool parse_number(const char* text, std::uint64_t max, std::uint64_t& out) noexcept {
    if (*text == '\0') return false;
    std::uint64_t v = 0;
    for (const char* p = text; *p; ++p) {
        if (*p < '0' || *p > '9') return false;
        unsigned const digit = static_cast<unsigned>(*p - '0');
        if (digit > max || v > (max - digit) / 10) return false; // v * 10 + digit > max
        v = v * 10 + digit;
    }
    out = v;
    return true;
}

// The index of `text` among `choices` ("a|b|c").
inline bool find_choice(const char* choices, const char* text, std::uint64_t& index) noexcept {
    std::size_t const n = std::strlen(text);
    std::uint64_t i = 0;
    for (const char* c = choices;; ++i) {
        const char* const bar = std::strchr(c, '|');
        std::size_t const len = bar ? static_cast<std::size_t>(bar - c) : std::strlen(c);
        if (len == n && std::strncmp(c, text, n) == 0) {
            index = i;
            return true;
        }
        if (!bar) return false;
        c = bar + 1;
    }
}

// "a,b" or "a+b" of `choices` as bits (bit i for choice i); "all" and "none" too.
inline bool parse_choice_set(const char* choices, const char* text, std::uint64_t& bits) noexcept {
    if (std::strcmp(text, "none") == 0) {
        bits = 0;
        return true;
    }
    std::uint64_t count = 1;
    for (const char* c = choices; *c; ++c) count += *c == '|';
    if (std::strcmp(text, "all") == 0) {
        bits = (std::uint64_t(1) << count) - 1;
        return true;
    }
    std::uint64_t out = 0;
    char name[32];
    for (const char* p = text;;) {
        std::size_t n = 0;
        while (p[n] && p[n] != ',' && p[n] != '+') ++n;
        if (n == 0 || n >= sizeof name) return false;
        std::memcpy(name, p, n);
        name[n] = '\0';
        std::uint64_t index = 0;
        if (!find_choice(choices, name, index)) return false;
        out |= std::uint64_t(1) << index;
        if (!p[n]) break;
        p += n + 1;
    }
    bits = out;
    return true;
}

// A number of seconds, "S" or "S.F" (digits only, at most 6 after the point), at most `max`
// seconds, in microseconds. A value above 0 but under a microsecond is refused, not taken for 0.
inline bool parse_seconds(const char* text, std::uint64_t max, std::uint64_t& micros) noexcept {
    const char* dot = std::strchr(text, '.');
    char whole[24];
    std::size_t const n = dot ? static_cast<std::size_t>(dot - text) : std::strlen(text);
    if (n >= sizeof whole) return false;
    std::memcpy(whole, text, n);
    whole[n] = '\0';
    std::uint64_t seconds = 0;
    if (n == 0 ? !dot : !parse_number(whole, max, seconds)) return false;
    std::uint64_t fraction = 0;
    bool any_digit = n > 0;
    if (dot) {
        unsigned digits = 0;
        for (const char* p = dot + 1; *p; ++p, ++digits) {
            if (*p < '0' || *p > '9' || digits == 6) return false;
            fraction = fraction * 10 + static_cast<unsigned>(*p - '0');
            any_digit = true;
        }
        if (digits == 0 && n == 0) return false;
        for (; digits < 6; ++digits) fraction *= 10;
    }
    if (!any_digit || (seconds == max && fraction != 0)) return false;
    micros = seconds * 1000000u + fraction;
    return true;
}

// The signals dump_signal takes by name: those a program may catch that nothing else means.
struct signal_name {
    const char* name;
    int number;
};
constexpr signal_name dump_signal_names[] = {
    {"HUP", SIGHUP},   {"INT", SIGINT},   {"QUIT", SIGQUIT},     {"USR1", SIGUSR1},   {"USR2", SIGUSR2},
    {"PIPE", SIGPIPE}, {"ALRM", SIGALRM}, {"TERM", SIGTERM},     {"CHLD", SIGCHLD},   {"CONT", SIGCONT},
    {"TSTP", SIGTSTP}, {"TTIN", SIGTTIN}, {"TTOU", SIGTTOU},     {"URG", SIGURG},     {"XCPU", SIGXCPU},
    {"XFSZ", SIGXFSZ}, {"PROF", SIGPROF}, {"VTALRM", SIGVTALRM}, {"WINCH", SIGWINCH},
};
// Whether signal `n` may be dump_signal: one a handler can catch, not one a fault raises (a
// program that faults must die of it), nor the leak check's own (reach/thread_pause.hpp).
inline bool dump_signal_allowed(std::uint64_t n) noexcept {
    if (n == 0) return true;
    if (n >= static_cast<std::uint64_t>(SIGRTMIN) && n <= static_cast<std::uint64_t>(SIGRTMAX))
        return n != static_cast<std::uint64_t>(SIGRTMAX - 3);
    for (const signal_name& s : dump_signal_names)
        if (static_cast<std::uint64_t>(s.number) == n) return true;
    return false;
}
// "none", "SIGUSR2", "USR2" or "12".
inline bool parse_signal(const char* text, std::uint64_t& number) noexcept {
    if (std::strcmp(text, "none") == 0) {
        number = 0;
        return true;
    }
    std::uint64_t n = 0;
    if (parse_number(text, 64, n)) {
        if (!dump_signal_allowed(n)) return false;
        number = n;
        return true;
    }
    const char* name = std::strncmp(text, "SIG", 3) == 0 ? text + 3 : text;
    for (const signal_name& s : dump_signal_names) {
        if (std::strcmp(s.name, name) == 0) {
            number = static_cast<std::uint64_t>(s.number);
            return true;
        }
    }
    return false;
}

inline const option_spec* find_option(const char* name) noexcept {
    for (const option_spec& o : option_table)
        if (std::strcmp(o.name, name) == 0) return &o;
    return nullptr;
}

inline bool parse_option_value(const option_spec& o, const char* text, std::uint64_t& number) noexcept {
    switch (o.kind) {
    case option_kind::number: return parse_number(text, o.max, number);
    case option_kind::choice: return find_choice(o.choices, text, number);
    case option_kind::path: number = 0; return true;
    case option_kind::set: return parse_choice_set(o.choices, text, number);
    case option_kind::seconds: return parse_seconds(text, o.max, number);
    case option_kind::signal: return parse_signal(text, number);
    }
    return false;
}

// Sets one option; an unknown key or a value the table refuses gets a one-line warning that names
// it, and changes nothing.
inline bool apply_option(const char* key, const char* value, const char* origin) noexcept {
    if (!key || !value) return false;
    const option_spec* const o = find_option(key);
    if (!o) {
        fd_writer out(2);
        out.printf("leakguard: warning: unknown option '%s' in %s (ignored)\n", key, origin);
        return false;
    }
    std::uint64_t number = 0;
    if (!parse_option_value(*o, value, number) || !o->store(number, value)) {
        fd_writer out(2);
        out.printf("leakguard: warning: bad value '%s' for option '%s' in %s (ignored)\n", value, key, origin);
        return false;
    }
    refresh_hot(false);
    return true;
}

// Whether the ',' at p[n] continues the value of a set option: the pair so far names one, and the
// piece after the ',' has no '='.
inline bool continues_set_value(const char* p, std::size_t n) noexcept {
    const char* eq = static_cast<const char*>(std::memchr(p, '=', n));
    if (!eq) return false;
    char key[64];
    std::size_t const k = static_cast<std::size_t>(eq - p);
    if (k >= sizeof key) return false;
    std::memcpy(key, p, k);
    key[k] = '\0';
    const option_spec* o = find_option(key);
    if (!o || o->kind != option_kind::set) return false;
    for (const char* q = p + n + 1; *q && *q != ':' && *q != ','; ++q)
        if (*q == '=') return false;
    return true;
}

// The longest "key=value" pair taken from a list: the longest key, '=', and the longest path.
constexpr std::size_t max_option_pair = 64 + max_path_length;

// Parses "key=value:key=value" (',' separates too). Returns false if any pair was rejected.
inline bool apply_option_list(const char* list, const char* origin) noexcept {
    if (!list) return true;
    bool all_ok = true;
    char pair[max_option_pair + 1];
    const char* p = list;
    while (*p) {
        std::size_t n = 0;
        while (p[n] && p[n] != ':' && p[n] != ',') ++n;
        // A set option's value goes on over ',' ("leak_kinds=definite,possible"): the pieces
        // after it that have no '=' of their own are part of it.
        while (p[n] == ',' && continues_set_value(p, n)) {
            ++n;
            while (p[n] && p[n] != ':' && p[n] != ',') ++n;
        }
        if (n > 0) {
            if (n > max_option_pair) {
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

// An option's accepted values as docs/options.md writes them: "0-255", "full|summary|off", "path".
inline void format_option_values(const option_spec& o, char* out, std::size_t size) noexcept {
    switch (o.kind) {
    case option_kind::number: std::snprintf(out, size, "0-%llu", static_cast<unsigned long long>(o.max)); return;
    case option_kind::choice: std::snprintf(out, size, "%s", o.choices); return;
    case option_kind::path: std::snprintf(out, size, "path"); return;
    case option_kind::set: std::snprintf(out, size, "%s|all|none", o.choices); return;
    case option_kind::seconds: std::snprintf(out, size, "0-%llu", static_cast<unsigned long long>(o.max)); return;
    case option_kind::signal: std::snprintf(out, size, "signal"); return;
    }
}

// An option's default as set_option takes it: "23", "full"; "" for a path (none).
inline void format_option_default(const option_spec& o, char* out, std::size_t size) noexcept {
    switch (o.kind) {
    case option_kind::number:
        std::snprintf(out, size, "%llu", static_cast<unsigned long long>(o.default_value));
        return;
    case option_kind::choice: {
        const char* c = o.choices;
        for (std::uint64_t i = 0; i < o.default_value; ++i) c = std::strchr(c, '|') + 1;
        const char* const bar = std::strchr(c, '|');
        int const len = static_cast<int>(bar ? bar - c : static_cast<std::ptrdiff_t>(std::strlen(c)));
        std::snprintf(out, size, "%.*s", len, c);
        return;
    }
    case option_kind::path:
        if (size) out[0] = '\0';
        return;
    case option_kind::seconds:
        std::snprintf(out, size, "%llu", static_cast<unsigned long long>(o.default_value));
        return;
    case option_kind::signal: std::snprintf(out, size, "none"); return;
    case option_kind::set: {
        std::size_t used = 0;
        if (size) out[0] = '\0';
        const char* c = o.choices;
        for (std::uint64_t i = 0; *c; ++i) {
            const char* const bar = std::strchr(c, '|');
            int const len = static_cast<int>(bar ? bar - c : static_cast<std::ptrdiff_t>(std::strlen(c)));
            if ((o.default_value >> i) & 1u) {
                int const w = std::snprintf(out + used, size - used, "%s%.*s", used ? "," : "", len, c);
                if (w > 0 && used + static_cast<std::size_t>(w) < size) used += static_cast<std::size_t>(w);
            }
            c = bar ? bar + 1 : c + len;
        }
        return;
    }
    }
}

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_CORE_OPTIONS_HPP_INCLUDED
