// DO NOT EDIT: generated from include/leakguard/api.hpp by tools/amalgamate.py.
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// api.hpp: the functions a program can call: options, statistics, ignoring blocks, reports.
// Everything here is defined once, in the translation unit that defines LEAKGUARD_MAIN.
#ifndef LEAKGUARD_API_HPP_INCLUDED
#define LEAKGUARD_API_HPP_INCLUDED

#include <cstddef> // std::size_t
#include <cstdint> // std::uint64_t

#include "block_info.hpp"

namespace leakguard {

// Totals since start-up. `peak_bytes` is exact while one thread has allocated; with more threads
// it may lag the true peak by up to one batch per thread: threads batch their byte counts so that
// no atomic operation runs per allocation (the batch: flush_batch, detail/heap/registry.hpp).
struct statistics {
    std::uint64_t allocations; // tracked allocations made
    std::uint64_t frees;       // tracked blocks released
    std::uint64_t live_blocks; // tracked blocks alive now (ignored ones included)
    std::uint64_t live_bytes;
    std::uint64_t peak_bytes;
};
statistics stats() noexcept;

// Options, as in LEAKGUARD_OPTIONS ("key=value:key=value", ',' also separates); docs/options.md
// lists them all. Returns false and prints a one-line warning naming the key for an unknown key or
// a bad value.
bool set_option(const char* key, const char* value) noexcept;
bool set_options(const char* list) noexcept;

// One option, as set_option takes it (the table docs/options.md shows).
struct option_info {
    const char* name;
    char values[64];        // what it accepts: "0-255", "full|summary|off", or "path"
    char default_value[48]; // as set_option takes it: "23", "full"; "" for a path (none)
    const char* help;       // one line
};
// Fills `out` with the option number `index` (0, 1, ...); false past the last.
bool option_at(std::size_t index, option_info& out) noexcept;

// Intentional leaks: a block marked with ignore() is never reported (by scopes or at exit).
// Returns false when p is not a live block that leakguard handed out.
bool ignore(const void* p) noexcept;

// Allocations this thread makes between begin_ignore() and end_ignore() (they nest) are never
// reported. Prefer the RAII form, leakguard::ignore_region.
void begin_ignore() noexcept;
void end_ignore() noexcept;

class ignore_region {
public:
    ignore_region() noexcept { begin_ignore(); }
    ~ignore_region() { end_ignore(); }
    ignore_region(const ignore_region&) = delete;
    ignore_region& operator=(const ignore_region&) = delete;
};

// Copies up to `max` live, reportable blocks (oldest first) into `out`; returns how many there are.
// Every tracked block: the C library's own too (its buffers, made through the interposed malloc
// family), which scopes leave out.
std::size_t live_blocks(block_info* out, std::size_t max) noexcept;

// Writes the exit report for what is alive now (text to the report stream, JSON if json_path is
// set): a leak check, as at exit. Returns the number of blocks of the failing kinds (the
// leak_kinds option). Does not change the exit status; the program goes on.
std::size_t report_now() noexcept;

// Blocks and bytes of one kind.
struct leak_totals {
    std::size_t blocks;
    std::size_t bytes;
};
// What a leak check found, per kind (see leak_kind), and the total of the kinds that fail a run
// (the leak_kinds option; default definite, indirect and possible). Ignored blocks, and what only
// they hold, are in no kind.
struct leak_check_result {
    leak_totals definite;
    leak_totals indirect;
    leak_totals possible;
    leak_totals reachable;
    std::size_t leaked_blocks;
    std::size_t leaked_bytes;
    std::size_t unpaused_threads; // threads that did not stop for the scan (their stacks were not read)
    leak_totals suppressed;       // lost (or listed) blocks a suppressions file matched: in no kind above
};
// A leak check now - every other thread paused while memory is scanned - without printing
// anything. Does not change the exit status.
leak_check_result check_leaks() noexcept;

// Memory the scan reads as a root (it holds pointers to heap blocks but is not a module's data, a
// stack or TLS: a custom arena, an mmap'ed table). Must stay readable until unregistered.
// unregister_root_region takes the same pointer and size; false if there was no such region.
bool register_root_region(const void* p, std::size_t size) noexcept;
bool unregister_root_region(const void* p, std::size_t size) noexcept;

// Checks the guards of every live block and the bytes of every quarantined one now; reports each
// damage found (once) as a heap error. Returns true when the heap is clean.
bool check_heap() noexcept;

// The number of scopes that have failed so far (each makes the exit status non-zero).
std::size_t scope_failures() noexcept;
// Forgets the recorded scope failures (for tests of leakguard that make scopes fail on purpose).
void reset_scope_failures() noexcept;

} // namespace leakguard

#endif
