// leakguard - in-process memory-leak tracker for C++ (header-only) - SINGLE HEADER
// SPDX-License-Identifier: MIT
// DO NOT EDIT: generated from include/leakguard/ by tools/amalgamate.py.
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
//
// Do this:
//     #define LEAKGUARD_MAIN
//     #include <leakguard/leakguard.hpp>
// in exactly ONE C++ file of the program (it emits the replacement operator new/delete and the
// tracker's state; it does not define main). Every other file just includes the header. That file
// is one of its own or one of an executable's own sources, never a static library member that
// holds main() or anything else; or, with CMake, link leakguard::main and define it nowhere.
//
//     void test_parser() {
//         LEAKGUARD_SCOPE("parser");   // blocks allocated from here and alive at the end = failure
//         Parser p; p.parse(text);
//     }
//
// At exit the blocks still alive are reported (grouped by allocation site) and the exit status
// becomes 23 (LEAKGUARD_OPTIONS=exitcode=N). See docs/options.md and docs/limits.md.
//
// Optionally, before the include, in any file:
//     #define LEAKGUARD_MAP_MALLOC   // malloc/calloc/realloc/free/strdup/strndup record file:line
//     #define LEAKGUARD_MAP_NEW      // new-expressions record file:line
#ifndef LEAKGUARD_LEAKGUARD_HPP_INCLUDED
#define LEAKGUARD_LEAKGUARD_HPP_INCLUDED

// #include "leakguard/detail/config.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// config.hpp: compiler and platform detection, and the small internal macros the rest uses.
#ifndef LEAKGUARD_DETAIL_CONFIG_HPP_INCLUDED
#define LEAKGUARD_DETAIL_CONFIG_HPP_INCLUDED

#include <cstddef> // std::size_t

#if !defined(__GNUC__) && !defined(__clang__)
#error "leakguard needs GCC or Clang (it uses __builtin_return_address and GNU attributes)"
#endif

#if !defined(__unix__) && !defined(__APPLE__)
#error "leakguard supports POSIX platforms (Linux with glibc is the tested one)"
#endif

#define LEAKGUARD_DETAIL_CAT2(a, b) a##b
#define LEAKGUARD_DETAIL_CAT(a, b) LEAKGUARD_DETAIL_CAT2(a, b)
#define LEAKGUARD_DETAIL_UNIQUE(prefix) LEAKGUARD_DETAIL_CAT(prefix, __LINE__)

#define LEAKGUARD_DETAIL_NOINLINE __attribute__((noinline))
#define LEAKGUARD_DETAIL_ALWAYS_INLINE inline __attribute__((always_inline))
#define LEAKGUARD_DETAIL_LIKELY(x) __builtin_expect(!!(x), 1)
#define LEAKGUARD_DETAIL_UNLIKELY(x) __builtin_expect(!!(x), 0)

// The ownership test reads the 8 bytes in front of a pointer that may not be leakguard's, or that
// was freed (a double free). glibc keeps those bytes readable; AddressSanitizer's and
// ThreadSanitizer's allocators do too (a chunk header), but flag the read, so that one read is
// exempt from their checks.
#define LEAKGUARD_DETAIL_NO_SANITIZE_MEMORY __attribute__((no_sanitize("address", "thread")))

// Aligned new (C++17) is replaced only when the compiler offers it.
#if defined(__cpp_aligned_new) && __cpp_aligned_new >= 201606L
#define LEAKGUARD_DETAIL_ALIGNED_NEW 1
#else
#define LEAKGUARD_DETAIL_ALIGNED_NEW 0
#endif

// Sanitizers that bring their own allocator, as far as the compiler tells (LeakSanitizer alone
// does not say: see LEAKGUARD_NO_INTERPOSE below).
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define LEAKGUARD_DETAIL_SANITIZER_ALLOCATOR 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer) ||          \
    __has_feature(hwaddress_sanitizer)
#define LEAKGUARD_DETAIL_SANITIZER_ALLOCATOR 1
#endif
#endif
#ifndef LEAKGUARD_DETAIL_SANITIZER_ALLOCATOR
#define LEAKGUARD_DETAIL_SANITIZER_ALLOCATOR 0
#endif

// On glibc the LEAKGUARD_MAIN unit defines free/realloc/reallocarray/malloc_usable_size so that
// tracked C blocks can be released by code that does not see the malloc mapping (see
// libc/interpose.hpp), and with LEAKGUARD_DETAIL_INTERPOSE_ALLOC (below) the allocating ones.
// Not under a sanitizer, whose runtime frees through `free` before it is set up.
// -DLEAKGUARD_NO_INTERPOSE turns it off (static linking and -fsanitize=leak need that).
#if defined(__linux__) && defined(__GLIBC__) && !defined(LEAKGUARD_NO_INTERPOSE) &&                                    \
    !LEAKGUARD_DETAIL_SANITIZER_ALLOCATOR
#define LEAKGUARD_DETAIL_INTERPOSE 1
#else
#define LEAKGUARD_DETAIL_INTERPOSE 0
#endif

// With LEAKGUARD_DETAIL_INTERPOSE, the allocating functions of the malloc family too (malloc,
// calloc, memalign, posix_memalign, aligned_alloc, valloc, pvalloc; realloc of NULL), so that
// every block C code and the libraries allocate is tracked (libc/interpose_alloc.hpp) and the
// leak check sees every pointer the heap holds (docs/leak-kinds.md). What the C library keeps for
// good is still reachable, not lost. Defining it to 0 keeps only the pointer-taking functions
// (free, realloc, reallocarray, malloc_usable_size), as before the leak check existed.
#ifndef LEAKGUARD_DETAIL_INTERPOSE_ALLOC
#define LEAKGUARD_DETAIL_INTERPOSE_ALLOC 1
#endif
#if !LEAKGUARD_DETAIL_INTERPOSE
#undef LEAKGUARD_DETAIL_INTERPOSE_ALLOC
#define LEAKGUARD_DETAIL_INTERPOSE_ALLOC 0
#endif

#if defined(__cpp_exceptions) || defined(__EXCEPTIONS)
#define LEAKGUARD_DETAIL_EXCEPTIONS 1
#else
#define LEAKGUARD_DETAIL_EXCEPTIONS 0
#endif

#endif
// #include "leakguard/detail/version.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// version.hpp: the library's version, as numbers and as a string.
#ifndef LEAKGUARD_DETAIL_VERSION_HPP_INCLUDED
#define LEAKGUARD_DETAIL_VERSION_HPP_INCLUDED

#define LEAKGUARD_VERSION_MAJOR 0
#define LEAKGUARD_VERSION_MINOR 1
#define LEAKGUARD_VERSION_PATCH 0
#define LEAKGUARD_VERSION_STRING "0.1.0"

#endif
// #include "leakguard/block_info.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// block_info.hpp: what a user may learn about one tracked block (a copy, never the live record).
#ifndef LEAKGUARD_BLOCK_INFO_HPP_INCLUDED
#define LEAKGUARD_BLOCK_INFO_HPP_INCLUDED

#include <cstddef> // std::size_t
#include <cstdint> // std::uint64_t, std::uint32_t

namespace leakguard {

// How a block was allocated. The values are stored in a 4-bit field of the block header.
enum class block_kind : unsigned char {
    new_scalar = 1,         // operator new
    new_array = 2,          // operator new[]
    new_scalar_aligned = 3, // operator new(std::align_val_t)
    new_array_aligned = 4,  // operator new[](std::align_val_t)
    malloc = 5,             // the C functions, through LEAKGUARD_MAP_MALLOC (see mapping.hpp) ...
    calloc = 6,
    realloc = 7, // ... or a realloc of a tracked block anywhere in the program
    strdup = 8,
    strndup = 9,
    // The aligned C functions, where the LEAKGUARD_MAIN unit defines them (every C allocation
    // of the process tracked: see docs/mapping.md).
    memalign = 10,
    posix_memalign = 11,
    aligned_alloc = 12,
    valloc = 13,
    pvalloc = 14,
};

// The name used in reports and JSON: "new", "new[]", "new(align)", "new[](align)", "malloc",
// "calloc", "realloc", "strdup", "strndup", "memalign", "posix_memalign", "aligned_alloc",
// "valloc", "pvalloc".
const char* kind_name(block_kind kind) noexcept;

// valgrind's kinds of live block, from a leak check (leakguard::check_leaks, the report):
//   definite   nothing points to it
//   indirect   only lost blocks point to it (it is part of a lost structure)
//   possible   only pointers into its middle lead to it (after valgrind's heuristics)
//   reachable  a chain of pointers to block starts leads to it from a root (globals, stacks, TLS)
// `unchecked`: a copy not made by a leak check (live_blocks(), scopes).
enum class leak_kind : unsigned char { unchecked = 0, definite = 1, indirect = 2, possible = 3, reachable = 4 };

// The name used in reports and JSON: "definite", "indirect", "possible", "reachable", "unchecked".
const char* leak_kind_name(leak_kind kind) noexcept;

// A source position given by a macro (file:line, function); static storage only.
struct source_location {
    const char* file;
    int line;
    const char* function;
};

// A copy of one block's record, taken under the registry's lock.
struct block_info {
    const void* address; // the pointer the program got
    std::size_t size;    // bytes requested
    block_kind kind;
    std::uint64_t seq;               // allocation number, like the CRT's {N}
    std::uint32_t thread;            // leakguard's thread number (1 = first thread that allocated)
    const void* caller;              // return address into the allocating code (null if unknown)
    const source_location* location; // file:line when a macro gave it, else null
    void* const* stack;              // return addresses, innermost first (stack[0] == caller), or null
    std::size_t stack_depth;         // how many (0 when no stack was taken: stack_depth=1, a macro's site)
    leak_kind loss;                  // what a leak check found; unchecked elsewhere
    std::size_t indirect_bytes;      // a definitely lost block's: the bytes it alone holds (indirectly lost)
};

} // namespace leakguard

#endif
// #include "leakguard/api.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// api.hpp: the functions a program can call: options, statistics, ignoring blocks, reports.
// Everything here is defined once, in the translation unit that defines LEAKGUARD_MAIN.
#ifndef LEAKGUARD_API_HPP_INCLUDED
#define LEAKGUARD_API_HPP_INCLUDED

#include <cstddef> // std::size_t
#include <cstdint> // std::uint64_t

// #include "leakguard/block_info.hpp" (inlined)

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
// #include "leakguard/snapshot.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// snapshot.hpp: checkpoints and what is new since one - the MSVC CRT's _CrtMemCheckpoint,
// _CrtMemDumpAllObjectsSince and _CrtMemDifference, exact by sequence number (docs/usage.md:
// "Snapshots"). Everything here is defined once, in the translation unit that defines LEAKGUARD_MAIN.
#ifndef LEAKGUARD_SNAPSHOT_HPP_INCLUDED
#define LEAKGUARD_SNAPSHOT_HPP_INCLUDED

#include <cstddef> // std::size_t
#include <cstdint> // std::uint64_t, std::int64_t

namespace leakguard {

// A checkpoint. Every block allocated after snapshot_now() returned (in any thread that could know
// it had returned) has a sequence number of at least `seq`, every block allocated before it a
// smaller one. The counters are stats() at the time. A value-initialised snapshot{} is the
// program's start: seq 0, every counter 0.
struct snapshot {
    std::uint64_t seq;
    std::uint64_t allocations;
    std::uint64_t frees;
    std::uint64_t live_blocks;
    std::uint64_t live_bytes;
    std::uint64_t time_ns; // CLOCK_MONOTONIC, in nanoseconds
};
snapshot snapshot_now() noexcept;

// Writes to the report stream the blocks allocated since `s` that are still alive, grouped by
// allocation site as the exit report groups them (the same lines, sequence numbers and stacks; no
// leak check: "new and still here", not "lost"), under a summary line. Returns how many there are.
// By sequence number, not by counts: freeing an older block does not hide a newer one. Ignored
// blocks and the C library's own (those a strict scope leaves out) are not listed. The report
// option: `off` writes nothing, `summary` only the summary line.
std::size_t report_since(const snapshot& s) noexcept;

// What changed between two snapshots (in either order: `a` is taken as the earlier).
struct snapshot_diff {
    // Exact, by sequence number: the blocks allocated between the two (a.seq <= seq < b.seq) that
    // are alive now - now, not at b: what was freed after b is not counted - and their sites.
    std::size_t blocks;
    std::size_t bytes;
    std::size_t sites;
    // The counters' differences (b minus a): every allocation and free between the two, whenever
    // the freed block was made. Here an older block freed and a new one allocated do cancel.
    std::int64_t allocations;
    std::int64_t frees;
    std::int64_t live_blocks;
    std::int64_t live_bytes;
};
// Computes the difference; writes nothing.
snapshot_diff diff(const snapshot& a, const snapshot& b) noexcept;
// The same, and writes it as report_since does: a summary line, then the blocks counted in
// `blocks`, grouped by site.
snapshot_diff report_diff(const snapshot& a, const snapshot& b) noexcept;

// The blocks report_since lists, as a JSON document at `path` (%p: the process id): a "snapshot"
// object, a "summary" and a "leaks" array of the exit report's form (docs/report-format.md).
// Returns false when the file cannot be written.
bool write_since_json(const snapshot& s, const char* path) noexcept;

} // namespace leakguard

#endif // LEAKGUARD_SNAPSHOT_HPP_INCLUDED
// #include "leakguard/monitor.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// monitor.hpp: the per-site report of a long-running program, on demand (docs/monitor.md). The
// monitor writes the same report by itself every monitor_interval seconds, and on dump_signal.
// Everything here is defined once, in the translation unit that defines LEAKGUARD_MAIN.
#ifndef LEAKGUARD_MONITOR_HPP_INCLUDED
#define LEAKGUARD_MONITOR_HPP_INCLUDED

namespace leakguard {

// Appends one monitor report now - the sites by live bytes, with their counters, change since the
// last report and growth - as one JSON line to the monitor_path option's file (default
// leakguard-monitor.%p.jsonl), or to `path` (%p: the process id). From the first call on, the
// allocations and frees of each site are counted. Returns false when the file cannot be written.
bool write_profile() noexcept;
bool write_profile(const char* path) noexcept;

} // namespace leakguard

#endif // LEAKGUARD_MONITOR_HPP_INCLUDED
// #include "leakguard/scope.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// scope.hpp: leakguard::scope and LEAKGUARD_SCOPE - "nothing allocated in here may outlive it".
#ifndef LEAKGUARD_SCOPE_HPP_INCLUDED
#define LEAKGUARD_SCOPE_HPP_INCLUDED

#include <cstddef>   // std::size_t
#include <cstdint>   // std::uint64_t, std::uint32_t
#include <exception> // std::uncaught_exception(s)
#include <vector>    // scope::leaks()

// #include "leakguard/api.hpp" (inlined)
// #include "leakguard/block_info.hpp" (inlined)

// The file and line of the code that calls a function with these as default arguments: a scope
// made without the macro takes its place from them. The compilers' builtins where they exist (g++,
// clang++ 9 and later), else C++20's std::source_location, else no place ("" and 0).
#if defined(__clang__) && defined(__has_builtin)
#if __has_builtin(__builtin_FILE) && __has_builtin(__builtin_LINE)
#define LEAKGUARD_DETAIL_CALLER_FILE __builtin_FILE()
#define LEAKGUARD_DETAIL_CALLER_LINE __builtin_LINE()
#endif
#elif defined(__GNUC__) && !defined(__clang__)
#define LEAKGUARD_DETAIL_CALLER_FILE __builtin_FILE()
#define LEAKGUARD_DETAIL_CALLER_LINE __builtin_LINE()
#endif
#if !defined(LEAKGUARD_DETAIL_CALLER_FILE) && __cplusplus >= 202002L && defined(__has_include)
#if __has_include(<source_location>)
#include <source_location>
#if defined(__cpp_lib_source_location)
#define LEAKGUARD_DETAIL_CALLER_FILE std::source_location::current().file_name()
#define LEAKGUARD_DETAIL_CALLER_LINE static_cast<int>(std::source_location::current().line())
#endif
#endif
#endif
#if !defined(LEAKGUARD_DETAIL_CALLER_FILE)
#define LEAKGUARD_DETAIL_CALLER_FILE ""
#define LEAKGUARD_DETAIL_CALLER_LINE 0
#endif

namespace leakguard {

// What fails a scope at its end.
enum class scope_rule : unsigned char {
    strict, // any block allocated inside it and still alive (LEAKGUARD_SCOPE)
    // Only such blocks a leak check finds lost (the kinds of the leak_kinds option: definitely,
    // indirectly and possibly lost by default). What a static, a global, a thread's stack or TLS
    // still holds passes (LEAKGUARD_LOSS_SCOPE, and the per-test checks of the adapters). A scan
    // runs only when some block allocated inside is still alive at the end.
    lost,
};

// The rule of whole-suite mode's per-test checks: the test_checks option (lost by default).
scope_rule whole_test_rule() noexcept;

// What a failed scope hands to the failure handler. `leaks` points to at most `leaks_shown`
// copies (oldest first, capped at 256); valid only during the handler call.
struct scope_failure {
    const char* name;
    const char* file;
    int line;
    std::size_t leaked_blocks;
    std::size_t leaked_bytes;
    const block_info* leaks; // under scope_rule::lost, each with its kind (block_info::loss)
    std::size_t leaks_shown;
    scope_rule rule;
    // A repeat check's (LEAKGUARD_REPEAT; 0 and null for a scope): its repetitions, and the first
    // sequence number of each, then the end - a block's repetition is the range its seq falls in.
    int repetitions;
    const std::uint64_t* repetition_starts;
};

using scope_failure_handler = void (*)(const scope_failure&);

// Installs a handler called when a scope ends with leaks (instead of printing); returns the old
// one. nullptr restores the default. The failure is recorded (JSON report, exit status) either way.
// The handler runs with tracking on; allocations it makes are not charged to the failed scope.
scope_failure_handler set_scope_failure_handler(scope_failure_handler handler) noexcept;

// The default handler: prints the scope's name, where it was declared, and the leaked blocks
// grouped by allocation site, to the report stream.
void print_scope_failure(const scope_failure& failure) noexcept;

// A block is a leak of a scope when it was allocated after the scope began (by any thread, or by
// the scope's own thread for a this_thread scope) and is still alive when the scope is checked -
// and, under scope_rule::lost, when a leak check finds it lost. Nested scopes each see the blocks
// allocated inside them: a leak in an inner scope fails the outer one too.
class scope {
public:
    enum threads { all_threads, this_thread };

    scope(const char* file, int line, const char* name = "", threads which = all_threads,
          scope_rule rule = scope_rule::strict) noexcept;
    // Without the macro: `leakguard::scope s("query");` takes the file and line of its declaration
    // (where the compiler can tell them: LEAKGUARD_DETAIL_CALLER_FILE above).
    explicit scope(const char* name, threads which = all_threads, const char* file = LEAKGUARD_DETAIL_CALLER_FILE,
                   int line = LEAKGUARD_DETAIL_CALLER_LINE) noexcept
        : scope(file, line, name, which) {}
    // `leakguard::scope s("query", leakguard::scope_rule::lost);`
    scope(const char* name, scope_rule rule, threads which = all_threads,
          const char* file = LEAKGUARD_DETAIL_CALLER_FILE, int line = LEAKGUARD_DETAIL_CALLER_LINE) noexcept
        : scope(file, line, name, which, rule) {}
    ~scope();
    scope(const scope&) = delete;
    scope& operator=(const scope&) = delete;

    // Queries: may be called at any time; cost grows with the blocks allocated since the scope began
    // (under scope_rule::lost, a leak check when any of them is alive).
    std::size_t leaked_blocks() const noexcept;
    std::size_t leaked_bytes() const noexcept;
    // Copies up to `max` leaked blocks (oldest first) into `out`; returns the number of leaked blocks.
    std::size_t leaks(block_info* out, std::size_t max) const noexcept;
    // All leaked blocks; the vector's own memory is never counted as a leak.
    std::vector<block_info> leaks() const {
        ignore_region keep_out;
        std::vector<block_info> all;
        for (;;) {
            all.resize(leaked_blocks() + 16);
            std::size_t const n = leaks(all.data(), all.size());
            if (n <= all.size()) {
                all.resize(n);
                return all;
            }
        }
    }

    // Checks now: on leaks calls the failure handler and records the failure; returns true when
    // clean. The destructor does not check again after check() or dismiss().
    bool check() noexcept;
    void dismiss() noexcept { done_ = true; }

    std::uint64_t start_seq() const noexcept { return start_; }
    const char* name() const noexcept { return name_; }
    scope_rule rule() const noexcept { return rule_; }

private:
    bool leaving_by_exception() const noexcept;

    const char* file_;
    const char* name_;
    int line_;
    threads which_;
    scope_rule rule_;
    bool done_;
    std::uint32_t thread_;
    std::uint64_t start_;
    int uncaught_;
};

namespace detail {
inline const char* scope_name() noexcept { return ""; }
inline const char* scope_name(const char* name) noexcept { return name ? name : ""; }
} // namespace detail

inline bool scope::leaving_by_exception() const noexcept {
#if defined(__cpp_lib_uncaught_exceptions) && __cpp_lib_uncaught_exceptions >= 201411L
    return std::uncaught_exceptions() > uncaught_;
#else
    (void)uncaught_; // counted only where std::uncaught_exceptions exists
    return std::uncaught_exception();
#endif
}

} // namespace leakguard

// LEAKGUARD_SCOPE() or LEAKGUARD_SCOPE("name"): a scope for the rest of the enclosing block.
#define LEAKGUARD_SCOPE(...)                                                                                           \
    ::leakguard::scope LEAKGUARD_DETAIL_UNIQUE(leakguard_scope_)(__FILE__, __LINE__,                                   \
                                                                 ::leakguard::detail::scope_name(__VA_ARGS__))

// LEAKGUARD_LOSS_SCOPE() or LEAKGUARD_LOSS_SCOPE("name"): a scope for the rest of the enclosing
// block that fails only on lost memory (scope_rule::lost). A pointer the enclosing function still
// keeps in a local variable or a register holds its block (as valgrind would see it): the check is
// exact for memory the code inside no longer points to once it returns.
#define LEAKGUARD_LOSS_SCOPE(...)                                                                                      \
    ::leakguard::scope LEAKGUARD_DETAIL_UNIQUE(leakguard_scope_)(                                                      \
        __FILE__, __LINE__, ::leakguard::detail::scope_name(__VA_ARGS__), ::leakguard::scope::all_threads,             \
        ::leakguard::scope_rule::lost)

// The same, counting only blocks that the current thread allocates.
#define LEAKGUARD_THREAD_SCOPE(...)                                                                                    \
    ::leakguard::scope LEAKGUARD_DETAIL_UNIQUE(leakguard_scope_)(                                                      \
        __FILE__, __LINE__, ::leakguard::detail::scope_name(__VA_ARGS__), ::leakguard::scope::this_thread)

// Allocations this thread makes for the rest of the enclosing block are never reported.
#define LEAKGUARD_IGNORE_REGION() ::leakguard::ignore_region LEAKGUARD_DETAIL_UNIQUE(leakguard_ignore_region_)

#endif
// #include "leakguard/repeat.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// repeat.hpp: leakguard::repeat_check and LEAKGUARD_REPEAT - run a body several times, and fail
// only when the same allocation sites leave blocks alive after every repetition.
//
//     LEAKGUARD_REPEAT(3) {                // or LEAKGUARD_REPEAT() for the `repeats` option's count
//         session.handle(request);         // a site that keeps one more block each time fails;
//     }                                    // a cache filled by the first run alone passes
//
// For what a leak check cannot clear: a cache that keeps copies, a pool that grows, a registry
// that never forgets - all reachable, all growing. Each repetition's blocks are those allocated
// while it ran (by any thread); when the last one ends, the blocks of each site still alive are
// counted per repetition, and a site with blocks from every repetition fails the check (as
// CPython's `-R` flags a test whose reference counts grow on every run). The failure lists those
// blocks grouped as a scope's are, each group with its counts per repetition ("[3, 3, 3]"); it
// goes to the scope-failure handler (and so to the test framework, in an adapter), is recorded
// (JSON scope_failures, exit status), and the program goes on.
#ifndef LEAKGUARD_REPEAT_HPP_INCLUDED
#define LEAKGUARD_REPEAT_HPP_INCLUDED

#include <cstdint> // std::uint64_t

// #include "leakguard/api.hpp" (inlined)
// #include "leakguard/scope.hpp" (inlined)

namespace leakguard {

class repeat_check {
public:
    static constexpr int max_repetitions = 64;

    // `times` is clamped to 1..max_repetitions; 0 takes the `repeats` option's count.
    repeat_check(const char* file, int line, int times, const char* name = "") noexcept;
    // Checks when every repetition has started and next() has not checked yet (a loop left during
    // its last repetition). A loop left earlier (a break, an exception) is not checked: too few
    // repetitions ran to compare.
    ~repeat_check();
    repeat_check(const repeat_check&) = delete;
    repeat_check& operator=(const repeat_check&) = delete;

    // Before each repetition: true while one is due. After the last, checks and returns false.
    bool next() noexcept;
    // Checks now (once): calls the failure handler and records the failure when some site left
    // blocks in every repetition; returns true when none did.
    bool check() noexcept;

    int repetitions() const noexcept { return times_; }
    int started() const noexcept { return started_; }

private:
    const char* file_;
    const char* name_;
    int line_;
    int times_;
    int started_;
    bool done_;
    std::uint64_t starts_[max_repetitions + 1]; // each repetition's first sequence number; then the end
};

} // namespace leakguard

// LEAKGUARD_REPEAT(N) { body } or LEAKGUARD_REPEAT() { body }: the body N times (the `repeats`
// option's count without N), then the check.
#define LEAKGUARD_REPEAT(...)                                                                                          \
    for (::leakguard::repeat_check leakguard_repeat_(__FILE__, __LINE__,                                               \
                                                     ::leakguard::detail::repeat_times(__VA_ARGS__));                  \
         leakguard_repeat_.next();)

namespace leakguard {
namespace detail {
inline int repeat_times() noexcept { return 0; }
inline int repeat_times(int n) noexcept { return n; }
} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_REPEAT_HPP_INCLUDED
// #include "leakguard/detail/link_check.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// link_check.hpp: makes a program that never defines LEAKGUARD_MAIN fail to link, and one that
// defines it twice too. Every translation unit that includes leakguard refers to a symbol that only
// the LEAKGUARD_MAIN translation unit defines (runtime/main.hpp): none gives an undefined
// reference, two give a multiple definition. Linkers print nothing of ours but the symbol's name,
// so the name is the instruction: link the target leakguard::main, or define LEAKGUARD_MAIN in
// exactly one file that holds nothing else (or in an executable's own sources), never in a member
// of a static library beside main() - a linker that pulls that member out for operator new or for
// this symbol pulls a second main() along with it (docs/usage.md).
#ifndef LEAKGUARD_DETAIL_LINK_CHECK_HPP_INCLUDED
#define LEAKGUARD_DETAIL_LINK_CHECK_HPP_INCLUDED

#define LEAKGUARD_DETAIL_LINK_CHECK_SYMBOL                                                                             \
    leakguard_error_link_leakguard_main_or_define_LEAKGUARD_MAIN_in_exactly_one_file_of_its_own_never_in_a_static_library_member

extern "C" int LEAKGUARD_DETAIL_LINK_CHECK_SYMBOL;

namespace leakguard {
namespace detail {
namespace {
// `used` keeps the reference (and so the link error) even when nothing else in the unit calls
// leakguard; it costs one pointer per translation unit.
__attribute__((used)) int* const link_check = &LEAKGUARD_DETAIL_LINK_CHECK_SYMBOL;
} // namespace
} // namespace detail
} // namespace leakguard

#endif
// #include "leakguard/detail/mapping.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// mapping.hpp: the functions the mapping macros call (LEAKGUARD_MAP_MALLOC, LEAKGUARD_MAP_NEW),
// declared in every unit so that a unit may turn a mapping on after leakguard was included.
//
// The C functions' stand-ins live in the global namespace and are also declared in std, so that
// `malloc(n)`, `::malloc(n)` and `std::malloc(n)` all work once `malloc` is a macro.
#ifndef LEAKGUARD_DETAIL_MAPPING_HPP_INCLUDED
#define LEAKGUARD_DETAIL_MAPPING_HPP_INCLUDED

#include <cstddef> // std::size_t

// Tracked C allocation with the caller's file and line (static storage: __FILE__).
void* leakguard_map_malloc(std::size_t size, const char* file, int line) noexcept;
void* leakguard_map_calloc(std::size_t count, std::size_t size, const char* file, int line) noexcept;
void* leakguard_map_realloc(void* p, std::size_t size, const char* file, int line) noexcept;
void leakguard_map_free(void* p, const char* file, int line) noexcept;
char* leakguard_map_strdup(const char* s, const char* file, int line) noexcept;
char* leakguard_map_strndup(const char* s, std::size_t n, const char* file, int line) noexcept;

namespace std { // NOLINT(cert-dcl58-cpp): `std::malloc(n)` must still compile once malloc is a macro
using ::leakguard_map_calloc;
using ::leakguard_map_free;
using ::leakguard_map_malloc;
using ::leakguard_map_realloc;
using ::leakguard_map_strdup;
using ::leakguard_map_strndup;
} // namespace std

namespace leakguard {
namespace detail {

// Gives the block that `p` (the value of a new-expression) lives in the site file:line, if this
// thread's operator new handed it out recently; `max_offset` covers the array cookie that a
// new[] of a type with a destructor puts in front of the elements.
void locate_new(const void* p, std::size_t max_offset, const char* file, int line) noexcept;
// Called once by each unit that maps `new`: from then on operator new remembers each thread's
// last few blocks for locate_new.
bool enable_new_sites() noexcept;

// `new_site{__FILE__, __LINE__} ->* new T(...)`: applied to the pointer the real new-expression
// returns, so placement new, nothrow new, array new and class-specific operator new all keep
// their meaning (the site is recorded only for blocks leakguard handed out).
struct new_site {
    const char* file;
    int line;
};
// `*new T` parses as `(*new_site{...}) ->* new T`: this keeps its meaning too.
struct new_site_deref {
    const char* file;
    int line;
};
inline new_site_deref operator*(const new_site& s) noexcept { return new_site_deref{s.file, s.line}; }

template <class T>
T* operator->*(const new_site& s, T* p) noexcept {
    locate_new(p, alignof(T) > 16 ? alignof(T) : 16, s.file, s.line);
    return p;
}
template <class T>
T& operator->*(const new_site_deref& s, T* p) noexcept {
    locate_new(p, alignof(T) > 16 ? alignof(T) : 16, s.file, s.line);
    return *p;
}

} // namespace detail
} // namespace leakguard

// What `new` expands to under LEAKGUARD_MAP_NEW. An unqualified global name, so that `::new`
// still parses (as `::leakguard_new_site(...) ->* new`).
inline leakguard::detail::new_site leakguard_new_site(const char* file, int line) noexcept {
    return leakguard::detail::new_site{file, line};
}

#endif

#endif // LEAKGUARD_LEAKGUARD_HPP_INCLUDED

// The implementation, once per program. Outside the include guard, so that a unit may include
// leakguard first and define LEAKGUARD_MAIN before a later include (an adapter header, say).
#if defined(LEAKGUARD_MAIN) && !defined(LEAKGUARD_DETAIL_IMPLEMENTED)
#define LEAKGUARD_DETAIL_IMPLEMENTED
// #include "leakguard/map_pause.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// map_pause.hpp: switches the mapping macros (LEAKGUARD_MAP_MALLOC, LEAKGUARD_MAP_NEW) off until
// <leakguard/map_resume.hpp>. Pairs nest: each saves the macros' current definitions.
//
//     #include <leakguard/map_pause.hpp>
//     #include <third_party/pool.h>       // declares its own operator new and a free() method
//     #include <leakguard/map_resume.hpp>
#pragma push_macro("new")
#pragma push_macro("malloc")
#pragma push_macro("calloc")
#pragma push_macro("realloc")
#pragma push_macro("free")
#pragma push_macro("strdup")
#pragma push_macro("strndup")
#undef new
#undef malloc
#undef calloc
#undef realloc
#undef free
#undef strdup
#undef strndup
// #include "leakguard/detail/runtime/main.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// runtime/main.hpp: everything the LEAKGUARD_MAIN translation unit emits, in dependency order.
#ifndef LEAKGUARD_DETAIL_RUNTIME_MAIN_HPP_INCLUDED
#define LEAKGUARD_DETAIL_RUNTIME_MAIN_HPP_INCLUDED

// #include "leakguard/detail/core/platform.hpp" (inlined)
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

// #include "leakguard/detail/core/inside_marks.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// core/inside_marks.hpp: what the current thread is inside of - leakguard's locks and list
// sections, the C library's allocator called on leakguard's behalf - so that a report started on
// this thread from a signal handler (exit() from a handler that interrupted an allocation) can
// tell that it must not wait for a lock or call malloc: the holder is this very thread, which will
// never run again (runtime/exit_hook.hpp, report/interrupted_report.hpp).
//
// A mark is set before the lock is tried or the call made and cleared after it is released or
// returns, with compiler-only fences around it: a signal handler runs on the thread it interrupts,
// so it sees the thread's own stores in program order, and no CPU fence is needed. A mark set a
// little early or cleared a little late makes the report cautious for nothing; never the reverse.
#ifndef LEAKGUARD_DETAIL_CORE_INSIDE_MARKS_HPP_INCLUDED
#define LEAKGUARD_DETAIL_CORE_INSIDE_MARKS_HPP_INCLUDED

#include <atomic> // std::atomic_signal_fence

// #include "leakguard/detail/config.hpp" (inlined)

namespace leakguard {
namespace detail {

struct inside_marks {
    unsigned locks; // leakguard's locks held or being taken, list sections entered
    unsigned libc;  // calls into the C library's allocator under way
    bool naming;    // holds the symbolizer's lock (symbolize/symbolize.hpp: naming_section)
};

static thread_local inside_marks t_inside;

LEAKGUARD_DETAIL_ALWAYS_INLINE void mark_enter(unsigned& counter) noexcept {
    ++counter;
    std::atomic_signal_fence(std::memory_order_seq_cst);
}
LEAKGUARD_DETAIL_ALWAYS_INLINE void mark_leave(unsigned& counter) noexcept {
    std::atomic_signal_fence(std::memory_order_seq_cst);
    --counter;
}

// A call into the C library's allocator, for its duration.
class in_libc_allocator {
public:
    LEAKGUARD_DETAIL_ALWAYS_INLINE in_libc_allocator() noexcept { mark_enter(t_inside.libc); }
    LEAKGUARD_DETAIL_ALWAYS_INLINE ~in_libc_allocator() { mark_leave(t_inside.libc); }
    in_libc_allocator(const in_libc_allocator&) = delete;
    in_libc_allocator& operator=(const in_libc_allocator&) = delete;
};

// Whether this thread was stopped inside leakguard's bookkeeping or the C library's allocator:
// true only in code that runs on top of such a thread, a signal handler's.
inline bool interrupted_inside() noexcept { return t_inside.locks != 0 || t_inside.libc != 0; }

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_CORE_INSIDE_MARKS_HPP_INCLUDED
// #include "leakguard/detail/core/libc_functions.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// core/libc_functions.hpp: the C library's own allocator - free/realloc/malloc_usable_size, and
// with every C allocation tracked malloc/calloc/memalign too.
//
// On glibc the LEAKGUARD_MAIN unit defines the program's `free`, `realloc`, `reallocarray` and
// `malloc_usable_size` (libc/interpose.hpp) so that a tracked block reaching them from code that
// does not see the malloc mapping (the C library, another unit, a shared library) is released
// correctly; with LEAKGUARD_DETAIL_INTERPOSE_ALLOC it defines `malloc`, `calloc` and the aligned
// forms as well (libc/interpose_alloc.hpp), and leakguard's own raw memory (core/platform.hpp)
// must then come from the allocator those hide, never from them. Everything that is not
// leakguard's goes on to the definition that ours hides, found here:
//   1. a sanitizer runtime's interceptor (__interceptor_free, ___interceptor_free from LLVM 17):
//      its `free` is a weak alias that ours replaces, and when the runtime is linked statically
//      the "next" free would be glibc's, which must never see the sanitizer's memory (interposition
//      is off under the sanitizers the compiler announces; this is for -fsanitize=leak);
//   2. otherwise the next definition in lookup order, dlsym(RTLD_NEXT): glibc's, or that of an
//      allocator loaded with LD_PRELOAD (jemalloc, tcmalloc), or gcc's shared sanitizer runtime;
//   3. while that lookup runs (dlsym may itself allocate or free), glibc's exported __libc_free,
//      __libc_realloc, __libc_malloc, __libc_calloc, __libc_memalign. The lookup runs at the
//      first call, which is the process's first malloc when leakguard defines malloc: inside the
//      C library's or the C++ runtime's initialisation, single-threaded.
// The lookup also finds which allocator that is: glibc's or another (core/heap_kind.hpp).
#ifndef LEAKGUARD_DETAIL_CORE_LIBC_FUNCTIONS_HPP_INCLUDED
#define LEAKGUARD_DETAIL_CORE_LIBC_FUNCTIONS_HPP_INCLUDED

#include <atomic>  // std::atomic
#include <cstddef> // std::size_t
#include <cstdlib> // std::free, std::realloc

// #include "leakguard/detail/config.hpp" (inlined)
// #include "leakguard/detail/core/heap_kind.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// core/heap_kind.hpp: which allocator is under leakguard - glibc's, or another one (jemalloc or
// tcmalloc loaded with LD_PRELOAD or linked in, a sanitizer's runtime) - found once, on first use.
//
// Why it matters: whether a pointer is leakguard's is judged from the 8 bytes in front of it
// (heap/block.hpp, libc/ownership.hpp). glibc keeps a chunk's size word there for every pointer
// its malloc returned: always readable, never with bit 3 set, rewritten whenever the chunk is
// handed out - so the cookie alone proves a block leakguard's, and a broken one can be told from
// glibc's size word. Another allocator promises nothing about those bytes: they may be the end
// of the previous block (the program's data), a header leakguard left in memory it gave back, or
// an unmapped page (a page-aligned large block). Under another allocator leakguard proves its
// blocks more strictly and passes every other pointer on without guessing.
//
// "glibc's" means that malloc, free and realloc past leakguard's own - where foreign pointers come
// from and go back to, and where leakguard's raw memory comes from - are all defined in the module
// that defines gnu_get_libc_version (libc.so.6). Anything else, or no answer, is another allocator:
// the strict rules are right under glibc too, only less helpful (libc/ownership.hpp).
#ifndef LEAKGUARD_DETAIL_CORE_HEAP_KIND_HPP_INCLUDED
#define LEAKGUARD_DETAIL_CORE_HEAP_KIND_HPP_INCLUDED

#include <atomic> // std::atomic

// #include "leakguard/detail/config.hpp" (inlined)

#if defined(__GLIBC__)
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1 // dladdr
#endif
#include <dlfcn.h>            // dladdr
#include <gnu/libc-version.h> // gnu_get_libc_version
#endif

namespace leakguard {
namespace detail {

enum : unsigned char {
    heap_unknown = 0, // not found yet (or being found on this thread): judged as heap_other
    heap_glibc = 1,
    heap_other = 2,
};

std::atomic<unsigned char> g_heap_kind{};

// A function's address as data, for dladdr.
template <class F>
const void* code_address(F* f) noexcept {
    const void* p = nullptr;
    static_assert(sizeof f == sizeof p, "function and data pointers differ in size");
    __builtin_memcpy(&p, &f, sizeof p);
    return p;
}

// heap_glibc when every one of `functions` (malloc, free, realloc as the heap's users reach them)
// is defined in glibc's own module; heap_other otherwise. dladdr takes the loader's lock but
// never allocates.
inline unsigned char classify_heap(const void* const* functions, int count) noexcept {
#if defined(__GLIBC__)
    Dl_info libc{};
    if (!dladdr(const_cast<void*>(code_address(&gnu_get_libc_version)), &libc) || !libc.dli_fbase) return heap_other;
    for (int i = 0; i < count; ++i) {
        Dl_info info{};
        if (!functions[i] || !dladdr(const_cast<void*>(functions[i]), &info) || info.dli_fbase != libc.dli_fbase)
            return heap_other;
    }
    return heap_glibc;
#else
    (void)functions;
    (void)count;
    return heap_other;
#endif
}

} // namespace detail
} // namespace leakguard

#endif
// #include "leakguard/detail/core/inside_marks.hpp" (inlined)

#if LEAKGUARD_DETAIL_INTERPOSE
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1 // RTLD_NEXT
#endif
#include <dlfcn.h> // dlsym
#if LEAKGUARD_DETAIL_INTERPOSE_ALLOC
// memalign and pvalloc, which libc/interpose_alloc.hpp defines: declared before any definition of
// the malloc family here, as the C library declares them.
#include <malloc.h>
#endif

// glibc's own names for its functions (exported, GLIBC_2.2.5).
extern "C" {
void __libc_free(void*) noexcept;                  // NOLINT(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp)
void* __libc_realloc(void*, std::size_t) noexcept; // NOLINT(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp)
#if LEAKGUARD_DETAIL_INTERPOSE_ALLOC
// NOLINTBEGIN(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp)
void* __libc_malloc(std::size_t) noexcept;
void* __libc_calloc(std::size_t, std::size_t) noexcept;
void* __libc_memalign(std::size_t, std::size_t) noexcept;
__attribute__((weak)) void* __interceptor_malloc(std::size_t);
__attribute__((weak)) void* ___interceptor_malloc(std::size_t);
__attribute__((weak)) void* __interceptor_calloc(std::size_t, std::size_t);
__attribute__((weak)) void* ___interceptor_calloc(std::size_t, std::size_t);
__attribute__((weak)) void* __interceptor_memalign(std::size_t, std::size_t);
__attribute__((weak)) void* ___interceptor_memalign(std::size_t, std::size_t);
// NOLINTEND(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp)
#endif
// A sanitizer runtime's own functions, when one is linked or preloaded (weak: null otherwise).
// Found by the dynamic linker at load time: looking them up with dlsym would itself free memory,
// before the runtime is set up.
__attribute__((weak)) void
__interceptor_free(void*); // NOLINT(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp)
__attribute__((weak)) void*
__interceptor_realloc(void*, std::size_t); // NOLINT(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp)
__attribute__((weak)) void
___interceptor_free(void*); // NOLINT(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp)
__attribute__((weak)) void*
___interceptor_realloc(void*, std::size_t); // NOLINT(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp)
}
#endif

namespace leakguard {
namespace detail {

using free_function = void (*)(void*);
using realloc_function = void* (*)(void*, std::size_t);
using reallocarray_function = void* (*)(void*, std::size_t, std::size_t);
using usable_size_function = std::size_t (*)(void*);
using malloc_function = void* (*)(std::size_t);
using calloc_function = void* (*)(std::size_t, std::size_t);
using memalign_function = void* (*)(std::size_t, std::size_t);

struct libc_function_table {
    std::atomic<free_function> free;
    std::atomic<realloc_function> realloc;
    std::atomic<reallocarray_function> reallocarray;
    std::atomic<usable_size_function> usable_size;
    std::atomic<malloc_function> malloc; // these three only with LEAKGUARD_DETAIL_INTERPOSE_ALLOC
    std::atomic<calloc_function> calloc;
    std::atomic<memalign_function> memalign;
    std::atomic<bool> resolved;
};

libc_function_table g_libc{};

#if LEAKGUARD_DETAIL_INTERPOSE

// True on a thread that is inside resolve_libc_functions(): a free it causes goes to glibc.
static thread_local bool t_resolving_libc;

template <class F>
F function_cast(void* p) noexcept {
    F f;
    static_assert(sizeof f == sizeof p, "function and data pointers differ in size");
    __builtin_memcpy(&f, &p, sizeof f);
    return f;
}

template <class F>
F next_function(F interceptor, F interceptor_llvm17, const char* name) noexcept {
    if (interceptor) return interceptor;
    if (interceptor_llvm17) return interceptor_llvm17;
    return function_cast<F>(dlsym(RTLD_NEXT, name));
}

LEAKGUARD_DETAIL_NOINLINE inline void resolve_libc_functions() noexcept {
    t_resolving_libc = true;
    free_function const f = next_function<free_function>(&__interceptor_free, &___interceptor_free, "free");
    realloc_function const r =
        next_function<realloc_function>(&__interceptor_realloc, &___interceptor_realloc, "realloc");
    reallocarray_function const ra = function_cast<reallocarray_function>(dlsym(RTLD_NEXT, "reallocarray"));
    usable_size_function const u = function_cast<usable_size_function>(dlsym(RTLD_NEXT, "malloc_usable_size"));
    g_libc.free.store(f ? f : &__libc_free, std::memory_order_relaxed);
    g_libc.realloc.store(r ? r : &__libc_realloc, std::memory_order_relaxed);
    g_libc.reallocarray.store(ra, std::memory_order_relaxed);
    g_libc.usable_size.store(u, std::memory_order_relaxed);
#if LEAKGUARD_DETAIL_INTERPOSE_ALLOC
    malloc_function const m = next_function<malloc_function>(&__interceptor_malloc, &___interceptor_malloc, "malloc");
    calloc_function const c = next_function<calloc_function>(&__interceptor_calloc, &___interceptor_calloc, "calloc");
    memalign_function const a =
        next_function<memalign_function>(&__interceptor_memalign, &___interceptor_memalign, "memalign");
    g_libc.malloc.store(m ? m : &__libc_malloc, std::memory_order_relaxed);
    g_libc.calloc.store(c ? c : &__libc_calloc, std::memory_order_relaxed);
    g_libc.memalign.store(a ? a : &__libc_memalign, std::memory_order_relaxed);
#else
    // The program's other code allocates with the next malloc (leakguard defines none).
    malloc_function const m = function_cast<malloc_function>(dlsym(RTLD_NEXT, "malloc"));
#endif
    const void* const heap_functions[] = {code_address(m), code_address(f), code_address(r)};
    g_heap_kind.store(classify_heap(heap_functions, 3), std::memory_order_relaxed);
    g_libc.resolved.store(true, std::memory_order_release);
    t_resolving_libc = false;
}

LEAKGUARD_DETAIL_NOINLINE inline bool resolve_libc_functions_once() noexcept {
    if (t_resolving_libc) return false;
    resolve_libc_functions();
    return true;
}

LEAKGUARD_DETAIL_ALWAYS_INLINE bool libc_functions_ready() noexcept {
    if (LEAKGUARD_DETAIL_LIKELY(g_libc.resolved.load(std::memory_order_acquire))) return true;
    return resolve_libc_functions_once();
}

// While the lookup runs: a sanitizer runtime's functions if there is one, else glibc's.
inline void fallback_free(void* p) noexcept {
    if (&__interceptor_free) return __interceptor_free(p);
    if (&___interceptor_free) return ___interceptor_free(p);
    __libc_free(p);
}
inline void* fallback_realloc(void* p, std::size_t n) noexcept {
    if (&__interceptor_realloc) return __interceptor_realloc(p, n);
    if (&___interceptor_realloc) return ___interceptor_realloc(p, n);
    return __libc_realloc(p, n);
}

LEAKGUARD_DETAIL_ALWAYS_INLINE void libc_free(void* p) noexcept {
    if (LEAKGUARD_DETAIL_UNLIKELY(!libc_functions_ready())) return fallback_free(p);
    in_libc_allocator inside;
    g_libc.free.load(std::memory_order_relaxed)(p);
}
inline void* libc_realloc(void* p, std::size_t n) noexcept {
    if (!libc_functions_ready()) return fallback_realloc(p, n);
    in_libc_allocator inside;
    return g_libc.realloc.load(std::memory_order_relaxed)(p, n);
}

#if LEAKGUARD_DETAIL_INTERPOSE_ALLOC
inline void* fallback_malloc(std::size_t n) noexcept {
    if (&__interceptor_malloc) return __interceptor_malloc(n);
    if (&___interceptor_malloc) return ___interceptor_malloc(n);
    return __libc_malloc(n);
}
inline void* fallback_calloc(std::size_t count, std::size_t n) noexcept {
    if (&__interceptor_calloc) return __interceptor_calloc(count, n);
    if (&___interceptor_calloc) return ___interceptor_calloc(count, n);
    return __libc_calloc(count, n);
}
inline void* fallback_memalign(std::size_t align, std::size_t n) noexcept {
    if (&__interceptor_memalign) return __interceptor_memalign(align, n);
    if (&___interceptor_memalign) return ___interceptor_memalign(align, n);
    return __libc_memalign(align, n);
}

// The C library's malloc, calloc and memalign, past leakguard's own (leakguard's raw memory).
LEAKGUARD_DETAIL_ALWAYS_INLINE void* libc_malloc(std::size_t n) noexcept {
    if (LEAKGUARD_DETAIL_UNLIKELY(!libc_functions_ready())) return fallback_malloc(n);
    in_libc_allocator inside;
    return g_libc.malloc.load(std::memory_order_relaxed)(n);
}
inline void* libc_calloc(std::size_t count, std::size_t n) noexcept {
    if (!libc_functions_ready()) return fallback_calloc(count, n);
    in_libc_allocator inside;
    return g_libc.calloc.load(std::memory_order_relaxed)(count, n);
}
inline void* libc_memalign(std::size_t align, std::size_t n) noexcept {
    if (!libc_functions_ready()) return fallback_memalign(align, n);
    in_libc_allocator inside;
    return g_libc.memalign.load(std::memory_order_relaxed)(align, n);
}
#endif

#else // no interposition: the C library's functions are simply the ones in scope

inline void libc_free(void* p) noexcept {
    in_libc_allocator inside;
    (std::free)(p);
}
inline void* libc_realloc(void* p, std::size_t n) noexcept {
    in_libc_allocator inside;
    return (std::realloc)(p, n);
}

#endif

// The kind of allocator under leakguard (core/heap_kind.hpp). With interposition the lookup of the
// C library's functions finds it (on the thread that runs that lookup, it stays unknown meanwhile);
// otherwise the malloc, free and realloc the program calls are looked at here, once.
LEAKGUARD_DETAIL_NOINLINE inline unsigned find_heap_kind() noexcept {
#if LEAKGUARD_DETAIL_INTERPOSE
    libc_functions_ready();
#else
    using malloc_type = void* (*)(std::size_t);
    using free_type = void (*)(void*);
    using realloc_type = void* (*)(void*, std::size_t);
    malloc_type const m = &std::malloc;
    free_type const f = &std::free;
    realloc_type const r = &std::realloc;
    const void* const heap_functions[] = {code_address(m), code_address(f), code_address(r)};
    g_heap_kind.store(classify_heap(heap_functions, 3), std::memory_order_relaxed);
#endif
    return g_heap_kind.load(std::memory_order_relaxed);
}

// Whether the allocator under leakguard is known to be glibc's; false while it is not known yet.
LEAKGUARD_DETAIL_ALWAYS_INLINE bool heap_is_glibc() noexcept {
    unsigned const kind = g_heap_kind.load(std::memory_order_relaxed);
    if (LEAKGUARD_DETAIL_LIKELY(kind != heap_unknown)) return kind == heap_glibc;
    return find_heap_kind() == heap_glibc;
}

} // namespace detail
} // namespace leakguard

#endif

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
// #include "leakguard/detail/capture/locations.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// capture/locations.hpp: the source positions the mapping macros pass (__FILE__, __LINE__), interned
// so that a block's 8-byte `site` can point at one shared record per call site.
//
// A macro cannot make a static object per call site inside an expression (`malloc(n)` must stay an
// expression, even at namespace scope), so the position arrives at run time and is looked up here:
// a fixed hash table of singly linked chains, read without locks, extended with a compare-and-swap
// on the chain head. Records are never freed (call sites are few and live as long as the program);
// nothing here takes a lock, so fork() cannot leave one held.
#ifndef LEAKGUARD_DETAIL_CAPTURE_LOCATIONS_HPP_INCLUDED
#define LEAKGUARD_DETAIL_CAPTURE_LOCATIONS_HPP_INCLUDED

#include <atomic>  // std::atomic
#include <cstdint> // std::uintptr_t

// #include "leakguard/block_info.hpp" (inlined)
// #include "leakguard/detail/core/options.hpp" (inlined)
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

// #include "leakguard/scope.hpp" (inlined)
// #include "leakguard/detail/upward_calls.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// detail/upward_calls.hpp: the few calls that go up the layers, declared in one place.
//
// Includes run one way (runtime -> report, libc -> heap -> capture, symbolize -> core -> config;
// runtime/main.hpp includes the layers in that order). A handful of lower-layer functions must
// still call something a higher layer defines: a thread's exit empties its recycler, start-up
// installs the fork handlers, the options' summary for the hot path counts the tail guard in the
// record's units, a heap error is printed by the report. Their declarations live here, so a reader
// sees every upward edge in one file; each names the file that defines it.
#ifndef LEAKGUARD_DETAIL_UPWARD_CALLS_HPP_INCLUDED
#define LEAKGUARD_DETAIL_UPWARD_CALLS_HPP_INCLUDED

namespace leakguard {
namespace detail {

struct error_record;

// heap/registry.hpp -> heap/recycler.hpp: a thread's cache of released blocks is emptied at its exit.
inline void drop_recycled() noexcept;
// core/options.hpp -> heap/guards.hpp: the hot word keeps the tail guard in the record's units.
inline unsigned guard_units_for(int guard_bytes) noexcept;
// heap/startup.hpp -> runtime/fork.hpp: start-up installs the fork handlers.
inline void install_fork_handlers() noexcept;
// core/options.hpp -> runtime/monitor.hpp: a monitor option set starts, stops or wakes the monitor.
inline void monitor_options_changed() noexcept;
// heap/allocate.hpp -> runtime/monitor.hpp: the monitor thread is started from the general path of
// an allocation by the program's own code, a safe place to create a thread.
void start_pending_monitor() noexcept;
// heap/errors.hpp -> report/error_report.hpp: a heap error is printed where it is found.
void print_error(const error_record& e) noexcept;

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_UPWARD_CALLS_HPP_INCLUDED
// #include "leakguard/detail/core/platform.hpp" (inlined)
// #include "leakguard/detail/core/baseline_file.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// core/baseline_file.hpp: the baseline the `baseline` option names (docs/report-format.md,
// "Baselines") - the fingerprints of loss records already known, one a line, which the report
// lists as known and which do not fail the run. Read when the option is set (raw system calls,
// pages from mmap), kept sorted for a binary search. A line that is not a fingerprint gets one
// warning naming the file and line and is skipped. Setting the option again replaces the file; a
// replaced baseline's pages are never given back, as a report may still be reading them.
#ifndef LEAKGUARD_DETAIL_CORE_BASELINE_FILE_HPP_INCLUDED
#define LEAKGUARD_DETAIL_CORE_BASELINE_FILE_HPP_INCLUDED

#include <algorithm> // std::sort, std::binary_search (in place: they do not allocate)
#include <atomic>    // std::atomic
#include <cerrno>    // errno
#include <cstddef>   // std::size_t
#include <cstdint>   // std::uint64_t
#include <cstring>   // std::memcpy, std::strerror, std::strlen

// #include "leakguard/detail/core/pages.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// core/pages.hpp: whole pages straight from the kernel, for the leak check. While other threads
// are paused one of them may hold the C library's allocator lock, so nothing the check uses while
// they are paused may come from malloc - not even raw_alloc. mmap takes no user-space lock.
#ifndef LEAKGUARD_DETAIL_CORE_PAGES_HPP_INCLUDED
#define LEAKGUARD_DETAIL_CORE_PAGES_HPP_INCLUDED

#include <cstddef>    // std::size_t
#include <cstring>    // std::memcpy
#include <sys/mman.h> // mmap, munmap
#include <unistd.h>   // sysconf

namespace leakguard {
namespace detail {

constexpr std::size_t page_size_assumed = 4096; // only for rounding requests; mmap rounds itself

// The system's page size (4096 when it cannot be asked).
inline std::size_t page_size() noexcept {
    long const n = ::sysconf(_SC_PAGESIZE);
    return n > 0 ? static_cast<std::size_t>(n) : page_size_assumed;
}

inline std::size_t round_to_pages(std::size_t n) noexcept {
    return (n + page_size_assumed - 1) & ~(page_size_assumed - 1);
}

// Zeroed pages, or null. Reserved lazily (MAP_NORESERVE): an array sized for the worst case costs
// only the pages it touches. Large runs ask for transparent huge pages and are faulted in at once
// (MADV_POPULATE_WRITE, Linux 5.14; ignored where unknown): a page fault costs microseconds in a
// virtual machine, and the index of a million blocks would otherwise take four thousand of them.
// `sparse`: a table sized for the worst case that is mostly never touched (the paused threads'
// slots): neither huge pages nor faulted in.
inline void* map_pages(std::size_t n, bool sparse = false) noexcept {
    if (n == 0) n = 1;
    std::size_t const bytes = round_to_pages(n);
    void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) return nullptr;
    if (!sparse && bytes >= (std::size_t(4) << 20)) {
#if defined(MADV_HUGEPAGE)
        ::madvise(p, bytes, MADV_HUGEPAGE);
#endif
        ::madvise(p, bytes, 23); // MADV_POPULATE_WRITE
    }
    return p;
}

inline void unmap_pages(void* p, std::size_t n) noexcept {
    if (p) ::munmap(p, round_to_pages(n ? n : 1));
}

// An array in pages that grows by doubling (a copy; the old pages go back).
template <class T>
struct page_array {
    T* items;
    std::size_t count;
    std::size_t capacity;

    bool reserve(std::size_t n) noexcept {
        if (n <= capacity) return true;
        std::size_t grown = capacity ? capacity * 2 : page_size_assumed / sizeof(T);
        if (grown < n) grown = n;
        T* const fresh = static_cast<T*>(map_pages(grown * sizeof(T)));
        if (!fresh) return false;
        if (count) std::memcpy(static_cast<void*>(fresh), static_cast<const void*>(items), count * sizeof(T));
        unmap_pages(items, capacity * sizeof(T));
        items = fresh;
        capacity = grown;
        return true;
    }
    bool push(const T& v) noexcept {
        if (count == capacity && !reserve(count + 1)) return false;
        items[count++] = v;
        return true;
    }
    void release() noexcept {
        unmap_pages(items, capacity * sizeof(T));
        items = nullptr;
        count = capacity = 0;
    }
};

} // namespace detail
} // namespace leakguard

#endif
// #include "leakguard/detail/core/platform.hpp" (inlined)
// #include "leakguard/detail/core/report_stream.hpp" (inlined)
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

// #include "leakguard/detail/core/platform.hpp" (inlined)

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
// #include "leakguard/detail/core/suppression_files.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// core/suppression_files.hpp: the suppressions files the `suppressions` option named, read when
// it is set (with raw system calls, into pages from mmap: never the tracked allocator, no stdio)
// and parsed (suppression_parse.hpp), in a list the reports read without a lock. Each setting of
// the option adds a file; an empty value forgets them all. A forgotten file's pages are never
// given back: a report on another thread may be reading them, and they are a few pages.
#ifndef LEAKGUARD_DETAIL_CORE_SUPPRESSION_FILES_HPP_INCLUDED
#define LEAKGUARD_DETAIL_CORE_SUPPRESSION_FILES_HPP_INCLUDED

#include <atomic>     // std::atomic
#include <cerrno>     // errno
#include <cstddef>    // std::size_t
#include <cstring>    // std::memcpy, std::strerror, std::strlen
#include <fcntl.h>    // open
#include <sys/stat.h> // fstat
#include <unistd.h>   // read, close, readlink

// #include "leakguard/detail/core/pages.hpp" (inlined)
// #include "leakguard/detail/core/platform.hpp" (inlined)
// #include "leakguard/detail/core/report_stream.hpp" (inlined)
// #include "leakguard/detail/core/suppression_parse.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// core/suppression_parse.hpp: a suppressions file's text, parsed in place into entries
// (docs/suppressions.md) - LeakSanitizer's `leak:PATTERN` lines and valgrind's `{ ... }` blocks of
// kind Memcheck:Leak, in one file or mixed. Suppressions of other tools and other kinds (race:,
// Memcheck:Cond) are valid and skipped without a word; a line that is neither gets one warning
// naming the file and line, and the parse goes on without that entry. Everything lives in pages
// from mmap (never the tracked allocator), and the entries point into the text, which is kept.
#ifndef LEAKGUARD_DETAIL_CORE_SUPPRESSION_PARSE_HPP_INCLUDED
#define LEAKGUARD_DETAIL_CORE_SUPPRESSION_PARSE_HPP_INCLUDED

#include <atomic>  // std::atomic
#include <cstddef> // std::size_t
#include <cstring> // std::strcmp, std::strncmp, std::strchr, std::strlen

// #include "leakguard/detail/core/pages.hpp" (inlined)
// #include "leakguard/detail/core/platform.hpp" (inlined)
// #include "leakguard/detail/core/report_stream.hpp" (inlined)
// #include "leakguard/detail/core/text.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// core/text.hpp: small C-string helpers shared by the symbolizer and the reports (copying into a
// fixed buffer, a path's last part, a prefix test, a counted noun). None allocates.
#ifndef LEAKGUARD_DETAIL_CORE_TEXT_HPP_INCLUDED
#define LEAKGUARD_DETAIL_CORE_TEXT_HPP_INCLUDED

#include <cstddef> // std::size_t
#include <cstring> // std::strncmp, std::strlen, std::strrchr

namespace leakguard {
namespace detail {

// Copies `src` (nullptr: nothing) into `dest`, cut to `size` - 1 characters; always terminated.
inline void copy_text(char* dest, std::size_t size, const char* src) noexcept {
    std::size_t n = 0;
    if (src)
        for (; src[n] && n + 1 < size; ++n) dest[n] = src[n];
    dest[n] = '\0';
}

// The last part of a path ("/usr/lib/libc.so.6" -> "libc.so.6").
inline const char* base_name(const char* path) noexcept {
    const char* slash = std::strrchr(path, '/');
    return slash ? slash + 1 : path;
}

inline bool starts_with(const char* s, const char* prefix) noexcept {
    return std::strncmp(s, prefix, std::strlen(prefix)) == 0;
}

// `one` or `many`, as `n` asks ("1 block", "2 blocks").
inline const char* plural(std::size_t n, const char* one, const char* many) noexcept { return n == 1 ? one : many; }

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_CORE_TEXT_HPP_INCLUDED

namespace leakguard {
namespace detail {

enum class frame_pattern_kind : unsigned char {
    fun, // fun:GLOB - the function's name (valgrind writes them mangled)
    obj, // obj:GLOB - the module's path
    src, // src:GLOB or src:GLOB:LINE - the source file (and line)
    any, // "..." - any number of frames, none included
};

struct frame_pattern {
    frame_pattern_kind kind;
    unsigned line;       // src: with a line number; 0: any line
    const char* pattern; // into the file's text
};

// Leak kinds as bits, bit (k - 1) for leak_kind k: the leak_kinds option's layout.
constexpr unsigned all_leak_kind_bits = 15u;

// One entry of a file. `frames`/`frame_count` index the file's frame patterns (valgrind only).
struct suppression {
    const char* name;   // the pattern of a leak: line; the name line of a valgrind block
    unsigned line;      // where it begins in its file
    bool valgrind;      // a { ... } block, else a leak: line
    unsigned kinds;     // match-leak-kinds: as bits (all four when the block has no such line)
    std::size_t frames; // index of its first frame pattern
    std::size_t frame_count;
    std::size_t hit_blocks; // blocks it suppressed (all checks of the run), updated atomically
    std::size_t hit_bytes;
};

// A parsed file, in one run of pages: this record, then its entries and frame patterns. Its text
// (the file, with line ends and separators overwritten by '\0') is kept in pages of its own.
struct suppression_file {
    std::atomic<suppression_file*> next; // the next file the options named (core/suppression_files.hpp)
    char path[max_path_length + 1];
    char* text;
    std::size_t text_size;
    page_array<suppression> entries;
    page_array<frame_pattern> frames;
};

// valgrind's longest calling context in a suppression (VG_DEEPEST_BACKTRACE is 500; files
// written by --gen-suppressions hold --num-callers frames): a block with more is refused.
constexpr std::size_t max_frame_patterns = 64;

// Types of other sanitizers' suppressions (AddressSanitizer, ThreadSanitizer, UBSan's vptr
// check), which a project's shared file may hold: valid, just not leaks.
inline bool other_sanitizer_type(const char* type) noexcept {
    static const char* const types[] = {"interceptor_name",
                                        "interceptor_via_fun",
                                        "interceptor_via_lib",
                                        "odr_violation",
                                        "race",
                                        "race_top",
                                        "mutex",
                                        "thread",
                                        "signal",
                                        "deadlock",
                                        "called_from_lib",
                                        "vptr_check"};
    for (const char* t : types)
        if (std::strcmp(t, type) == 0) return true;
    return false;
}

// match-leak-kinds: "definite,possible", "all" or "none" as bits; false on an unknown word.
inline bool parse_leak_kinds(const char* list, unsigned& bits) noexcept {
    static const char* const names[] = {"definite", "indirect", "possible", "reachable"};
    if (std::strcmp(list, "all") == 0) {
        bits = all_leak_kind_bits;
        return true;
    }
    if (std::strcmp(list, "none") == 0) {
        bits = 0;
        return true;
    }
    unsigned out = 0;
    for (const char* p = list;;) {
        std::size_t n = 0;
        while (p[n] && p[n] != ',') ++n;
        bool found = false;
        for (unsigned k = 0; k < 4; ++k)
            if (std::strlen(names[k]) == n && std::strncmp(names[k], p, n) == 0) {
                out |= 1u << k;
                found = true;
            }
        if (!found) return false;
        if (!p[n]) break;
        p += n + 1;
    }
    bits = out;
    return true;
}

// The parser's state over one file: its lines, and where warnings go.
class suppression_parser {
public:
    suppression_parser(suppression_file& file, int warn_fd) noexcept
        : file_(file), warn_fd_(warn_fd), next_(file.text), end_(file.text + file.text_size), line_(0) {}

    // Parses the whole text; returns the number of warnings printed.
    unsigned run() noexcept {
        while (char* line = next_line()) {
            if (line[0] == '{' && line[1] == '\0') {
                while (valgrind_block(line_)) {} // a block left open ends where the next '{' begins
            } else if (line[0] == '}' && line[1] == '\0') {
                warn(line_, "'}' without an opening '{'");
            } else {
                lsan_line(line);
            }
        }
        return warnings_;
    }

private:
    // The next line that is neither blank nor a comment, trimmed and terminated in place; null at
    // the end of the text. line_ is its number.
    char* next_line() noexcept {
        while (next_ < end_) {
            char* start = next_;
            char* stop = start;
            while (stop < end_ && *stop != '\n') ++stop;
            next_ = stop < end_ ? stop + 1 : end_;
            ++line_;
            *stop = '\0'; // the text has one byte past its end for the last line's '\0'
            while (start < stop && is_blank(*start)) ++start;
            while (stop > start && is_blank(stop[-1])) *--stop = '\0';
            if (start == stop || *start == '#') continue;
            return start;
        }
        return nullptr;
    }
    static bool is_blank(char c) noexcept { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

    void warn(unsigned line, const char* what, const char* detail = nullptr) noexcept {
        ++warnings_;
        fd_writer out(warn_fd_);
        if (detail)
            out.printf("leakguard: suppressions file %s line %u: %s '%s' (entry skipped)\n", file_.path, line, what,
                       detail);
        else out.printf("leakguard: suppressions file %s line %u: %s (entry skipped)\n", file_.path, line, what);
    }

    // "leak:PATTERN" (LeakSanitizer); other sanitizers' types are skipped.
    void lsan_line(char* line) noexcept {
        char* colon = std::strchr(line, ':');
        if (!colon) {
            warn(line_, "expected 'leak:PATTERN' or a '{' opening a valgrind suppression, found", line);
            return;
        }
        *colon = '\0';
        char* pattern = colon + 1;
        if (std::strcmp(line, "leak") != 0) {
            if (!other_sanitizer_type(line)) warn(line_, "unknown suppression type", line);
            return;
        }
        if (!*pattern) {
            warn(line_, "'leak:' without a pattern");
            return;
        }
        suppression s = {};
        s.name = pattern;
        s.line = line_;
        s.kinds = all_leak_kind_bits;
        if (!file_.entries.push(s)) warn(line_, "out of memory");
    }

    // A valgrind block, from the line after its '{' to its '}'. A block of another tool or kind
    // is read to its end and dropped; a malformed one is warned about once and dropped. Returns
    // true when a '{' came before the '}': the block was left open, and that line opens the next.
    bool valgrind_block(unsigned open_line) noexcept {
        suppression s = {};
        s.line = open_line;
        s.valgrind = true;
        s.kinds = all_leak_kind_bits;
        s.frames = file_.frames.count;
        bool leak = false;
        const char* problem = nullptr; // the first thing wrong with the block
        const char* problem_text = nullptr;
        unsigned problem_line = 0;
        unsigned step = 0; // 0: name next; 1: tool:kind next; 2: match-leak-kinds or frames; 3: frames
        for (;;) {
            char* line = next_line();
            if (!line || (line[0] == '{' && line[1] == '\0')) {
                warn(open_line, "a valgrind suppression without its closing '}'");
                file_.frames.count = s.frames;
                return line != nullptr;
            }
            if (line[0] == '}' && line[1] == '\0') break;
            if (problem) continue;
            if (step == 0) {
                s.name = line;
                step = 1;
            } else if (step == 1) {
                leak = memcheck_leak(line);
                if (!std::strchr(line, ':')) {
                    problem = "expected 'Tool:Kind' (Memcheck:Leak), found";
                    problem_text = line;
                    problem_line = line_;
                }
                step = 2;
            } else if (!leak) {
                continue; // another kind's lines: read, never judged
            } else if (step == 2 && starts_with(line, "match-leak-kinds:")) {
                const char* list = line + sizeof "match-leak-kinds:" - 1;
                while (is_blank(*list)) ++list;
                if (!parse_leak_kinds(list, s.kinds)) {
                    problem = "unknown leak kind in";
                    problem_text = line;
                    problem_line = line_;
                }
                step = 3;
            } else {
                step = 3;
                frame_pattern f = {frame_pattern_kind::any, 0, nullptr};
                if (!parse_frame(line, f)) {
                    problem = "expected 'fun:', 'obj:', 'src:' or '...', found";
                    problem_text = line;
                    problem_line = line_;
                } else if (file_.frames.count - s.frames == max_frame_patterns) {
                    problem = "more frame lines than leakguard keeps (64), at";
                    problem_text = line;
                    problem_line = line_;
                } else if (!file_.frames.push(f)) {
                    problem = "out of memory at";
                    problem_text = line;
                    problem_line = line_;
                }
            }
        }
        if (!problem && step < 2) {
            problem = "a valgrind suppression without its 'Tool:Kind' line";
            problem_line = open_line;
        }
        if (!problem && leak && file_.frames.count == s.frames) {
            problem = "a valgrind leak suppression without frame lines";
            problem_line = open_line;
        }
        if (problem || !leak) {
            if (problem) warn(problem_line, problem, problem_text);
            file_.frames.count = s.frames; // its frame patterns go too
            return false;
        }
        s.frame_count = file_.frames.count - s.frames;
        if (!file_.entries.push(s)) {
            warn(open_line, "out of memory");
            file_.frames.count = s.frames;
        }
        return false;
    }

    // "Memcheck:Leak", or a list of tools that has Memcheck ("Memcheck,Helgrind:Leak").
    static bool memcheck_leak(const char* line) noexcept {
        const char* colon = std::strrchr(line, ':');
        if (!colon || std::strcmp(colon + 1, "Leak") != 0) return false;
        for (const char* p = line; p < colon;) {
            std::size_t n = 0;
            while (p + n < colon && p[n] != ',') ++n;
            if (n == 8 && std::strncmp(p, "Memcheck", 8) == 0) return true;
            p += n + 1;
        }
        return false;
    }

    // One frame line. src:FILE:LINE keeps LINE apart (digits after the last ':').
    static bool parse_frame(char* line, frame_pattern& f) noexcept {
        if (std::strcmp(line, "...") == 0) {
            f.kind = frame_pattern_kind::any;
            return true;
        }
        if (starts_with(line, "fun:")) f.kind = frame_pattern_kind::fun;
        else if (starts_with(line, "obj:")) f.kind = frame_pattern_kind::obj;
        else if (starts_with(line, "src:")) f.kind = frame_pattern_kind::src;
        else return false;
        f.pattern = line + 4;
        if (f.kind == frame_pattern_kind::src) {
            char* colon = std::strrchr(line + 4, ':');
            if (colon && colon[1]) {
                unsigned n = 0;
                const char* d = colon + 1;
                for (; *d >= '0' && *d <= '9' && n < 100000000u; ++d) n = n * 10 + static_cast<unsigned>(*d - '0');
                if (!*d) {
                    *colon = '\0';
                    f.line = n;
                }
            }
        }
        return *f.pattern != '\0';
    }

    suppression_file& file_;
    int warn_fd_;
    char* next_;
    char* end_;
    unsigned line_;
    unsigned warnings_ = 0;
};

// Parses `file.text` (text_size bytes, with one writable byte after them) into file's entries,
// warning on `warn_fd`; returns the number of warnings.
inline unsigned parse_suppressions(suppression_file& file, int warn_fd) noexcept {
    suppression_parser parser(file, warn_fd);
    return parser.run();
}

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_CORE_SUPPRESSION_PARSE_HPP_INCLUDED

namespace leakguard {
namespace detail {

struct suppression_set {
    spinlock lock; // between writers (the option); readers take none
    std::atomic<suppression_file*> head;
    suppression_file* tail;
    std::atomic<std::size_t> entries; // in the files listed now; 0: no block is ever matched
};

suppression_set g_suppressions{};

// Whether any entry can match: blocks are named for matching only then (it costs symbolization).
inline bool suppressions_loaded() noexcept { return g_suppressions.entries.load(std::memory_order_acquire) != 0; }

// The first file listed now; the rest through next.
// (Not const: a report counts the blocks each entry suppressed on it.)
inline suppression_file* first_suppression_file() noexcept {
    return g_suppressions.head.load(std::memory_order_acquire);
}
inline suppression_file* next_suppression_file(const suppression_file* f) noexcept {
    return f->next.load(std::memory_order_acquire);
}

// A file larger than this is refused rather than read (a device that never ends, a wrong path).
constexpr std::size_t max_suppressions_file = std::size_t(64) << 20;

// Reads the file at `path` whole into pages, with one zero byte to spare after it; false with
// errno set on failure (EFBIG: larger than max_suppressions_file).
inline bool read_text_file(const char* path, char*& text, std::size_t& size) noexcept {
    int const fd = ::open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    struct stat st;
    std::size_t capacity = page_size_assumed;
    if (::fstat(fd, &st) == 0 && st.st_size > 0) capacity += static_cast<std::size_t>(st.st_size);
    char* buf = static_cast<char*>(map_pages(capacity + 1));
    std::size_t used = 0;
    int error = buf ? 0 : ENOMEM;
    while (buf) {
        if (used == capacity) { // grown since fstat, or of no known size (a pipe): double
            if (capacity >= max_suppressions_file) {
                error = EFBIG;
                break;
            }
            char* const bigger = static_cast<char*>(map_pages(capacity * 2 + 1));
            if (!bigger) {
                error = ENOMEM;
                break;
            }
            std::memcpy(bigger, buf, used);
            unmap_pages(buf, capacity + 1);
            buf = bigger;
            capacity *= 2;
        }
        ssize_t const n = ::read(fd, buf + used, capacity - used);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) error = errno;
        if (n <= 0) break;
        used += static_cast<std::size_t>(n);
    }
    ::close(fd);
    if (error) {
        unmap_pages(buf, capacity + 1);
        errno = error;
        return false;
    }
    text = buf; // zeroed pages: text[used] is the spare byte
    size = used;
    return true;
}

// A relative path not found from the current directory is looked for next to the executable, as
// LeakSanitizer does (a test run from another directory keeps finding the file beside it).
inline bool read_suppressions_text(const char* path, char*& text, std::size_t& size) noexcept {
    if (read_text_file(path, text, size)) return true;
    int const first_error = errno;
    if (path[0] == '/' || first_error != ENOENT) return false;
    char beside[2 * (max_path_length + 1)];
    ssize_t const n = ::readlink("/proc/self/exe", beside, max_path_length);
    if (n <= 0) return false;
    std::size_t dir = static_cast<std::size_t>(n);
    while (dir > 0 && beside[dir - 1] != '/') --dir;
    std::size_t const len = std::strlen(path);
    if (dir == 0 || dir + len >= sizeof beside) return false;
    std::memcpy(beside + dir, path, len + 1);
    if (read_text_file(beside, text, size)) return true;
    errno = first_error;
    return false;
}

// Reads and parses one file and lists it after the others. An unreadable file gets one warning
// and is not listed; its malformed lines get theirs (suppression_parse.hpp). False only for a
// path too long to keep.
inline bool add_suppressions_file(const char* path) noexcept {
    std::size_t const len = std::strlen(path);
    if (len > max_path_length) return false;
    suppression_file* f = static_cast<suppression_file*>(map_pages(sizeof(suppression_file)));
    if (!f) return true;
    std::memcpy(f->path, path, len + 1);
    if (!read_suppressions_text(path, f->text, f->text_size)) {
        fd_writer(2).printf("leakguard: suppressions file %s: cannot read it (%s); no suppressions from it\n", path,
                            std::strerror(errno));
        unmap_pages(f, sizeof(suppression_file));
        return true;
    }
    parse_suppressions(*f, 2);
    lock_guard hold(g_suppressions.lock);
    if (g_suppressions.tail) g_suppressions.tail->next.store(f, std::memory_order_release);
    else g_suppressions.head.store(f, std::memory_order_release);
    g_suppressions.tail = f;
    g_suppressions.entries.fetch_add(f->entries.count, std::memory_order_release);
    return true;
}

// Forgets every file (the option set to an empty value).
inline void clear_suppressions() noexcept {
    lock_guard hold(g_suppressions.lock);
    g_suppressions.head.store(nullptr, std::memory_order_release);
    g_suppressions.tail = nullptr;
    g_suppressions.entries.store(0, std::memory_order_release);
}

// The suppressions option: a path adds that file, an empty value forgets them all.
inline bool set_suppressions_option(const char* value) noexcept {
    if (!*value) {
        clear_suppressions();
        return true;
    }
    return add_suppressions_file(value);
}

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_CORE_SUPPRESSION_FILES_HPP_INCLUDED

namespace leakguard {
namespace detail {

struct baseline_file {
    char path[max_path_length + 1];
    std::uint64_t* fingerprints; // sorted; in pages of their own
    std::size_t count;
};

std::atomic<const baseline_file*> g_baseline{};

// The baseline in use, or null.
inline const baseline_file* current_baseline() noexcept { return g_baseline.load(std::memory_order_acquire); }

inline bool baseline_knows(const baseline_file& b, std::uint64_t fingerprint) noexcept {
    return std::binary_search(b.fingerprints, b.fingerprints + b.count, fingerprint);
}

// One line's fingerprint: 16 hex digits, then nothing or a comment. False for anything else.
inline bool parse_fingerprint(const char* s, const char* end, std::uint64_t& out) noexcept {
    std::uint64_t v = 0;
    int digits = 0;
    for (; s < end && digits <= 16; ++s, ++digits) {
        char const c = *s;
        unsigned d;
        if (c >= '0' && c <= '9') d = static_cast<unsigned>(c - '0');
        else if (c >= 'a' && c <= 'f') d = static_cast<unsigned>(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') d = static_cast<unsigned>(c - 'A' + 10);
        else break;
        v = (v << 4) | d;
    }
    if (digits != 16) return false;
    while (s < end && (*s == ' ' || *s == '\t' || *s == '\r')) ++s;
    if (s < end && *s != '#') return false;
    out = v;
    return true;
}

// Parses `text` (size bytes) into `b`'s fingerprints, warning on fd 2 for each bad line.
inline void parse_baseline(baseline_file& b, const char* text, std::size_t size) noexcept {
    std::size_t lines = 1;
    for (std::size_t i = 0; i < size; ++i) lines += text[i] == '\n';
    b.fingerprints = static_cast<std::uint64_t*>(map_pages(lines * sizeof(std::uint64_t)));
    b.count = 0;
    if (!b.fingerprints) return;
    const char* line = text;
    const char* const end = text + size;
    for (unsigned number = 1; line < end; ++number) {
        const char* eol = line;
        while (eol < end && *eol != '\n') ++eol;
        const char* s = line;
        while (s < eol && (*s == ' ' || *s == '\t' || *s == '\r')) ++s;
        std::uint64_t fp = 0;
        if (s < eol && *s != '#') {
            if (parse_fingerprint(s, eol, fp)) {
                b.fingerprints[b.count++] = fp;
            } else {
                int const shown = static_cast<int>(eol - s < 40 ? eol - s : 40);
                fd_writer(2).printf("leakguard: baseline file %s:%u: expected a fingerprint of 16 hex digits, "
                                    "found '%.*s'; line skipped\n",
                                    b.path, number, shown, s);
            }
        }
        line = eol + 1;
    }
    std::sort(b.fingerprints, b.fingerprints + b.count);
}

// The baseline option: a path reads that file (replacing the baseline in use), an empty value
// drops it. An unreadable file gets one warning and leaves no baseline. False only for a path too
// long to keep.
inline bool set_baseline_option(const char* value) noexcept {
    std::size_t const len = std::strlen(value);
    if (len > max_path_length) return false;
    if (!len) {
        g_baseline.store(nullptr, std::memory_order_release);
        return true;
    }
    baseline_file* b = static_cast<baseline_file*>(map_pages(sizeof(baseline_file)));
    if (!b) return true;
    std::memcpy(b->path, value, len + 1);
    char* text = nullptr;
    std::size_t size = 0;
    if (!read_suppressions_text(value, text, size)) {
        fd_writer(2).printf("leakguard: baseline file %s: cannot read it (%s); every loss record is new\n", value,
                            std::strerror(errno));
        unmap_pages(b, sizeof(baseline_file));
        g_baseline.store(nullptr, std::memory_order_release);
        return true;
    }
    parse_baseline(*b, text, size);
    unmap_pages(text, size + 1);
    g_baseline.store(b, std::memory_order_release);
    return true;
}

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_CORE_BASELINE_FILE_HPP_INCLUDED
// #include "leakguard/detail/core/report_stream.hpp" (inlined)
// #include "leakguard/detail/core/sarif_paths.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// core/sarif_paths.hpp: where the SARIF log goes (the sarif_path option) and the directory its
// locations are relative to (srcroot, by default the current directory at start-up). Kept apart
// from the options table, which only points here, as the report stream keeps log_path.
#ifndef LEAKGUARD_DETAIL_CORE_SARIF_PATHS_HPP_INCLUDED
#define LEAKGUARD_DETAIL_CORE_SARIF_PATHS_HPP_INCLUDED

#include <cstddef>  // std::size_t
#include <cstdint>  // std::uint64_t
#include <cstdio>   // std::snprintf
#include <unistd.h> // getcwd

// #include "leakguard/detail/core/report_stream.hpp" (inlined)

namespace leakguard {
namespace detail {

char g_sarif_path[max_path_length + 1];      // empty: no SARIF log
char g_srcroot[max_path_length + 1];         // absolute; empty: g_start_directory
char g_start_directory[max_path_length + 1]; // empty: unknown (getcwd failed)

inline bool store_sarif_path(std::uint64_t, const char* text) noexcept { return copy_path(g_sarif_path, text); }

// A relative srcroot is taken from the current directory when the option is set (for
// LEAKGUARD_OPTIONS, at start-up): a program that changes directory later keeps its root.
inline bool store_srcroot(std::uint64_t, const char* text) noexcept {
    if (text[0] == '\0' || text[0] == '/') return copy_path(g_srcroot, text);
    char cwd[max_path_length + 1];
    if (!::getcwd(cwd, sizeof cwd)) return false; // given a buffer, getcwd does not allocate
    char joined[max_path_length + 1];
    int const n = std::snprintf(joined, sizeof joined, "%s/%s", cwd, text);
    return n > 0 && static_cast<std::size_t>(n) < sizeof joined && copy_path(g_srcroot, joined);
}

// srcroot's default: the directory the program was started in, taken before main (and before a
// daemon's chdir("/")) rather than at exit.
__attribute__((constructor(101))) static void remember_start_directory() {
    if (!::getcwd(g_start_directory, sizeof g_start_directory)) g_start_directory[0] = '\0';
}

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_CORE_SARIF_PATHS_HPP_INCLUDED
// #include "leakguard/detail/core/suppression_files.hpp" (inlined)

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
// #include "leakguard/detail/core/platform.hpp" (inlined)

namespace leakguard {
namespace detail {

// source_location comes first so that a record's address is also its source_location's.
struct location_record {
    source_location where; // file and line from the macro; function stays null (see caller)
    const void* caller;    // a return address into the call site: names its function at report time
    location_record* next; // chain of the same hash bucket
};

constexpr std::size_t location_buckets = 4096;

struct location_table {
    std::atomic<location_record*> buckets[location_buckets];
};

location_table g_locations{};

// g_new_sites_enabled (core/options.hpp) is set before main() by each unit that maps `new`
// (libc/mapped_calls.hpp): operator new then keeps each thread's last blocks in a ring
// (heap/new_sites.hpp), for locate_new.

inline std::size_t location_hash(const char* file, int line) noexcept {
    std::uint64_t x =
        reinterpret_cast<std::uintptr_t>(file) ^ (static_cast<std::uint64_t>(static_cast<unsigned>(line)) << 40);
    x *= 0x9E3779B97F4A7C15ull;
    return static_cast<std::size_t>(x >> 52) & (location_buckets - 1);
}

inline location_record* find_location(location_record* r, const char* file, int line) noexcept {
    for (; r; r = r->next)
        if (r->where.file == file && r->where.line == line) return r;
    return nullptr;
}

// The record for (file, line), created on first use; null only when raw memory runs out. `file`
// must have static storage (a string literal: __FILE__).
inline const location_record* intern_location(const char* file, int line, const void* caller) noexcept {
    std::atomic<location_record*>& head = g_locations.buckets[location_hash(file, line)];
    location_record* first = head.load(std::memory_order_acquire);
    if (location_record* r = find_location(first, file, line)) return r;
    location_record* fresh = static_cast<location_record*>(raw_alloc(sizeof(location_record)));
    if (!fresh) return nullptr;
    fresh->where.file = file;
    fresh->where.line = line;
    fresh->where.function = nullptr;
    fresh->caller = caller;
    for (;;) {
        fresh->next = first;
        if (head.compare_exchange_weak(first, fresh, std::memory_order_release, std::memory_order_acquire))
            return fresh;
        // Another thread added to this chain meanwhile: it may have added the same position.
        if (location_record* r = find_location(first, file, line)) {
            raw_free(fresh);
            return r;
        }
    }
}

} // namespace detail
} // namespace leakguard

#endif
// #include "leakguard/detail/heap/block.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// heap/block.hpp: the record in front of every block leakguard hands out.
//
//   raw (from malloc / posix_memalign)
//   |<- padding (aligned blocks only) ->|<------- block_header: 48 bytes ------->|<- user bytes ->
//                                       prev next site shape order cookie thread front
//                                                          user bytes ->|<- tail guard (0xFD) ->|
//
// The header is 48 bytes, a multiple of the 16-byte default new alignment, so `raw + 48` keeps
// malloc's alignment. Its last 8 bytes, the only ones a "is this ours?" test reads, are the 8 bytes
// just before the user pointer: glibc keeps a chunk's size word there for memory it hands out, so
// reading them is safe for any pointer that malloc returned. The cookie is a hash of the block's
// address under a per-process key (heap/cookie_key.hpp) with bit 3 set; glibc chunk sizes are
// multiples of 16, so their low word never has bit 3 set and a foreign block can never pass for
// one of ours. Under another allocator (core/heap_kind.hpp) neither holds: those 8 bytes may be
// anything, or on an unmapped page in front of a page-aligned pointer; libc/ownership.hpp proves
// a block leakguard's there by other means.
//
// Guards (heap/guards.hpp): `front`, the 2 bytes just before the user pointer, holds the thread
// number xor 0xFDFD, so a write just before the block (the bytes an underflow hits first) breaks
// the pair and shows; the 4 cookie bytes below it are the rest of the front guard (their value is
// known from the address). The tail guard is `guard_bytes` of 0xFD after the user bytes. Its
// length is kept per block (the option may change while blocks live), in 6 bits of `shape` in
// units of 4 bytes: the size field gave up 4 bits for it (16 TiB is still far above any real
// block) and the alignment shift 2 (log2 of an alignment never exceeds 63). The thread number
// gave up its upper 16 bits to `front`: reports show it modulo 65536.
#ifndef LEAKGUARD_DETAIL_HEAP_BLOCK_HPP_INCLUDED
#define LEAKGUARD_DETAIL_HEAP_BLOCK_HPP_INCLUDED

#include <atomic>  // std::atomic
#include <cstddef> // std::size_t
#include <cstdint> // std::uint64_t, std::uintptr_t
#include <cstring> // std::memcpy

// #include "leakguard/block_info.hpp" (inlined)
// #include "leakguard/detail/config.hpp" (inlined)
// #include "leakguard/detail/heap/cookie_key.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// heap/cookie_key.hpp: the per-process secret in every block's cookie (heap/block.hpp).
//
// Why a secret: a cookie that were a fixed function of the address could be matched by bytes that
// leakguard of this process never wrote - a copy of a header, memory another run of the program
// left in a file it maps again. Under glibc that does not matter (glibc's size word is in front
// of every foreign pointer, and it never looks like a cookie); under another allocator the bytes
// in front of a foreign pointer are whatever was there (core/heap_kind.hpp). With a key drawn
// from the kernel at start-up, only leakguard of this process writes a matching cookie, and other
// bytes match by chance alone: one in 2^31, and one in 2^47 with the thread/front pair that the
// ownership test checks under another allocator (libc/ownership.hpp).
//
// The key is an odd multiplier, so a cookie costs what the fixed hash did, but for one load. It
// starts as the fixed constant and is drawn once, before the first header is written (every
// first allocation goes through allocate_slow, which draws it): it never changes while a block
// exists. A forked child keeps it with its parent's blocks.
#ifndef LEAKGUARD_DETAIL_HEAP_COOKIE_KEY_HPP_INCLUDED
#define LEAKGUARD_DETAIL_HEAP_COOKIE_KEY_HPP_INCLUDED

#include <atomic>   // std::atomic
#include <cerrno>   // errno
#include <cstdint>  // std::uint64_t, std::uintptr_t
#include <ctime>    // clock_gettime
#include <unistd.h> // getpid, syscall
#if defined(__linux__)
#include <sys/syscall.h> // SYS_getrandom
#endif

// #include "leakguard/detail/config.hpp" (inlined)

namespace leakguard {
namespace detail {

constexpr std::uint64_t cookie_key_initial = 0x9E3779B97F4A7C15ull; // the golden ratio: the fixed hash

std::atomic<std::uint64_t> g_cookie_key{cookie_key_initial};

inline std::uint64_t cookie_key() noexcept { return g_cookie_key.load(std::memory_order_relaxed); }

// splitmix64's finaliser: spreads every input bit over the whole word.
inline std::uint64_t mix64(std::uint64_t x) noexcept {
    x ^= x >> 30;
    x *= 0xBF58476D1CE4E5B9ull;
    x ^= x >> 27;
    x *= 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

// 64 bits from the kernel (getrandom, never blocking); where that fails, the time, the process id
// and the stack's (randomised) address: enough to differ between runs. errno is left as it was
// (the first malloc of the process draws this).
inline std::uint64_t draw_cookie_key() noexcept {
    int const saved = errno;
    std::uint64_t k = 0;
#if defined(__linux__) && defined(SYS_getrandom)
    if (::syscall(SYS_getrandom, &k, sizeof k, 1 /* GRND_NONBLOCK */) != static_cast<long>(sizeof k)) k = 0;
#endif
    if (k == 0) {
        timespec now{};
        ::clock_gettime(CLOCK_MONOTONIC, &now);
        k = static_cast<std::uint64_t>(now.tv_nsec) ^ static_cast<std::uint64_t>(now.tv_sec) << 30 ^
            static_cast<std::uint64_t>(::getpid()) << 20 ^ reinterpret_cast<std::uintptr_t>(&now);
    }
    errno = saved;
    k = mix64(k) | 1u; // odd: multiplying by it loses no address bit
    return k == cookie_key_initial ? k + 2 : k;
}

LEAKGUARD_DETAIL_NOINLINE inline void set_cookie_key() noexcept {
    std::uint64_t expected = cookie_key_initial;
    // Another thread may draw at the same time: the first to store wins, both use its key.
    g_cookie_key.compare_exchange_strong(expected, draw_cookie_key(), std::memory_order_acq_rel,
                                         std::memory_order_acquire);
}

// Before a thread writes its first header.
LEAKGUARD_DETAIL_ALWAYS_INLINE void ensure_cookie_key() noexcept {
    if (LEAKGUARD_DETAIL_UNLIKELY(g_cookie_key.load(std::memory_order_acquire) == cookie_key_initial)) set_cookie_key();
}

} // namespace detail
} // namespace leakguard

#endif

namespace leakguard {
namespace detail {

// Bits of block_header::flags.
enum : unsigned {
    flag_linked = 1u,       // in a shard list (tracking was on when it was allocated)
    flag_ignored = 2u,      // never reported: leakguard::ignore() or an ignore region
    flag_has_location = 4u, // `site` points to a location_record (a mapping macro's file:line)
    flag_has_stack = 8u,    // `site` points to a stack_record (an interned call stack)
};

// Bit-packed words are written whole (one store each): separate bit-field stores followed by a
// wide load of the same word stall store forwarding on the hot path.
struct block_header {
    block_header* prev;   // older block of the same shard
    block_header* next;   // newer block of the same shard
    const void* site;     // return address into the caller, a location_record* or a stack_record*
    std::uint64_t shape;  // size (44 bits) | kind (4) | flags (4) | log2 of alignment above default (6)
                          // | tail guard length in units of 4 bytes (6)
    std::uint64_t order;  // sequence number (48 bits) | shard index (16)
    std::uint32_t cookie; // at user - 8: the ownership test reads only this
    std::uint16_t thread; // at user - 4: thread number modulo 65536
    std::uint16_t front;  // at user - 2: thread ^ 0xFDFD, the front guard (heap/guards.hpp)
};

static_assert(sizeof(block_header) == 48, "the header must stay 48 bytes (a multiple of 16)");

constexpr std::size_t header_size = sizeof(block_header);
constexpr std::size_t default_alignment = 16; // glibc malloc on 64-bit; checked below
constexpr std::uint64_t max_block_size = (std::uint64_t(1) << 44) - 1;
constexpr std::size_t guard_unit = 4; // the tail guard's length is kept in these units
constexpr std::size_t max_guard_bytes = 63 * guard_unit;
constexpr std::uint64_t max_seq = (std::uint64_t(1) << 48) - 1;
// The largest block the short paths take without further checks: far enough below max_block_size
// that adding the header, a guard and a size class's rounding can neither overflow nor reach it.
constexpr std::size_t max_fast_size = std::size_t(1) << 40;

// The fields of `shape`, low to high: size (44 bits), kind (4), flags (4), alignment shift (6),
// tail guard units (6). Everything outside this file reads and writes them through these names.
constexpr unsigned shape_kind_shift = 44;
constexpr unsigned shape_flags_shift = 48;
constexpr unsigned shape_align_shift = 52;
constexpr unsigned shape_guard_shift = 58;
constexpr std::uint64_t shape_kind_bits = std::uint64_t(0xF) << shape_kind_shift;
constexpr std::uint64_t shape_linked_bit = std::uint64_t(flag_linked) << shape_flags_shift;
constexpr std::uint64_t shape_align_bits = std::uint64_t(0x3F) << shape_align_shift;
constexpr std::uint64_t shape_guard_bits = std::uint64_t(0x3F) << shape_guard_shift;
// A plain block, the one the short paths of a free handle without looking further: linked, default
// alignment, no tail guard (the other flags do not matter).
constexpr std::uint64_t shape_plain_mask = shape_linked_bit | shape_align_bits | shape_guard_bits;
constexpr std::uint64_t shape_plain = shape_linked_bit;

// The cookie always has this bit set (a glibc chunk size never has: see above).
constexpr std::uint32_t cookie_mark = 0x8u;
// The front guard: `front` holds the thread number xor this (heap/guards.hpp).
constexpr std::uint16_t front_mark = 0xFDFD;

#if defined(__STDCPP_DEFAULT_NEW_ALIGNMENT__)
static_assert(__STDCPP_DEFAULT_NEW_ALIGNMENT__ <= default_alignment,
              "leakguard assumes malloc aligns to the default new alignment");
#endif

// Every alignment shift a block has been given (bit n: aligned to 2^n; bit 0: default alignment).
// A header whose shift is none of them is damaged (reach/list_walk.hpp). Set by the allocation
// path of over-aligned blocks, the slow one.
std::atomic<std::uint64_t> g_align_shifts_used{1u};
inline void note_align_shift(unsigned shift) noexcept {
    std::uint64_t const bit = std::uint64_t(1) << (shift & 63u);
    if (!(g_align_shifts_used.load(std::memory_order_relaxed) & bit))
        g_align_shifts_used.fetch_or(bit, std::memory_order_relaxed);
}

// Always inlined: two multiplications' worth of code on every ownership test, where an outlined
// call would cost more than the hash.
LEAKGUARD_DETAIL_ALWAYS_INLINE std::uint32_t cookie_for(const block_header* h) noexcept {
    std::uint64_t x = reinterpret_cast<std::uintptr_t>(h) >> 4;
    x *= cookie_key();
    return static_cast<std::uint32_t>(x >> 32) | cookie_mark;
}
// A released block's cookie: a second release of the same pointer sees this instead.
constexpr std::uint32_t freed_cookie_flip = 0x5A5A0000u;
LEAKGUARD_DETAIL_ALWAYS_INLINE std::uint32_t freed_cookie_for(const block_header* h) noexcept {
    return cookie_for(h) ^ freed_cookie_flip;
}

inline block_header* header_of(const void* user) noexcept {
    return reinterpret_cast<block_header*>(const_cast<char*>(static_cast<const char*>(user)) - header_size);
}
inline void* user_of(block_header* h) noexcept { return reinterpret_cast<char*>(h) + header_size; }

// Bytes from the raw allocation to the header: 0 unless the block is over-aligned.
inline std::size_t padding_for(std::size_t align) noexcept {
    return align <= default_alignment ? 0 : (align - header_size % align) % align;
}

// Whether the 8 bytes in front of `user` lie on another page than `user` itself, one that may not be
// mapped: the ownership test reads them only for a block it finds in heap/page_index.hpp. 4 KiB,
// the smallest page size: with larger pages this is only more careful.
constexpr std::uintptr_t min_page_size = 4096;
inline bool front_off_page(const void* user) noexcept {
    return (reinterpret_cast<std::uintptr_t>(user) & (min_page_size - 1)) < 8u;
}

// The cookie in front of `user`, read without any sanitizer check (see config.hpp).
LEAKGUARD_DETAIL_NO_SANITIZE_MEMORY inline std::uint32_t cookie_in_front_of(const void* user) noexcept {
    // Hide where the pointer came from: inlined next to a malloc() of a foreign block, GCC would
    // otherwise warn that the (C library's) bytes in front of it are uninitialised.
    __asm__("" : "+r"(user));
    return header_of(user)->cookie;
}

// The 2 bytes at user - 2 (the front guard word), read as the cookie is: only for a pointer whose
// 8 bytes in front are readable (see above), when the cookie test failed.
LEAKGUARD_DETAIL_NO_SANITIZE_MEMORY inline std::uint16_t front_in_front_of(const void* user) noexcept {
    __asm__("" : "+r"(user));
    return header_of(user)->front;
}

// Whether the thread number and the front guard at user - 4 agree (front = thread ^ front_mark), as
// in every header leakguard writes; read as the cookie is, from the same 8 bytes.
LEAKGUARD_DETAIL_NO_SANITIZE_MEMORY inline bool thread_pair_in_front_of(const void* user) noexcept {
    __asm__("" : "+r"(user));
    const block_header* h = header_of(user);
    return static_cast<std::uint16_t>(h->thread ^ h->front) == front_mark;
}

inline std::uint64_t make_shape(std::uint64_t size, block_kind kind, unsigned flags, unsigned align_shift,
                                unsigned guard_units = 0) noexcept {
    return size | std::uint64_t(static_cast<unsigned>(kind)) << shape_kind_shift |
           std::uint64_t(flags & 0xFu) << shape_flags_shift | std::uint64_t(align_shift & 0x3Fu) << shape_align_shift |
           std::uint64_t(guard_units & 0x3Fu) << shape_guard_shift;
}
inline std::uint64_t make_order(std::uint64_t seq, std::uint32_t shard) noexcept {
    return (seq & max_seq) | std::uint64_t(shard) << 48;
}
// The fields of a shape word already loaded (the hot paths read `shape` once).
inline std::uint64_t kind_bits_for(block_kind kind) noexcept {
    return std::uint64_t(static_cast<unsigned>(kind)) << shape_kind_shift;
}
inline std::size_t shape_size(std::uint64_t shape) noexcept { return static_cast<std::size_t>(shape & max_block_size); }
inline unsigned shape_align(std::uint64_t shape) noexcept {
    return static_cast<unsigned>((shape >> shape_align_shift) & 0x3Fu);
}
inline unsigned shape_guard_units(std::uint64_t shape) noexcept {
    return static_cast<unsigned>(shape >> shape_guard_shift);
}
inline std::size_t shape_guard_bytes(std::uint64_t shape) noexcept { return shape_guard_units(shape) * guard_unit; }
inline bool shape_is_plain(std::uint64_t shape) noexcept { return (shape & shape_plain_mask) == shape_plain; }

inline std::size_t size_of(const block_header* h) noexcept { return shape_size(h->shape); }
inline block_kind kind_of(const block_header* h) noexcept {
    return static_cast<block_kind>((h->shape & shape_kind_bits) >> shape_kind_shift);
}
inline unsigned flags_of(const block_header* h) noexcept {
    return static_cast<unsigned>((h->shape >> shape_flags_shift) & 0xFu);
}
inline void add_flags(block_header* h, unsigned flags) noexcept {
    h->shape |= std::uint64_t(flags & 0xFu) << shape_flags_shift;
}
inline unsigned align_shift_of(const block_header* h) noexcept { return shape_align(h->shape); }
inline std::size_t guard_bytes_of(const block_header* h) noexcept { return shape_guard_bytes(h->shape); }

inline std::uint16_t front_word_for(std::uint16_t thread) noexcept {
    return static_cast<std::uint16_t>(thread ^ front_mark);
}
// The header's last word without its cookie: the thread number and the front guard.
inline std::uint64_t tail_word_for(std::uint16_t thread) noexcept {
    return std::uint64_t(thread) << 32 | std::uint64_t(front_word_for(thread)) << 48;
}

// Writes a new block's header, but for `prev` (set when it is linked): the one way every
// allocation path fills it. Whole words; cookie, thread and front in one store. `tail_word`
// (tail_word_for) by reference: the short paths pass the thread's copy, read where it is stored.
LEAKGUARD_DETAIL_ALWAYS_INLINE void write_header(block_header* h, const void* site, std::uint64_t shape,
                                                 std::uint64_t order, const std::uint64_t& tail_word) noexcept {
    h->order = order;
    h->next = nullptr;
    h->site = site;
    h->shape = shape;
    std::uint64_t const tail = std::uint64_t(cookie_for(h)) | tail_word;
    std::memcpy(&h->cookie, &tail, sizeof tail);
}

// The raw allocation a header lives in (what goes back to the C library).
inline void* raw_of(block_header* h) noexcept {
    unsigned const shift = align_shift_of(h);
    return reinterpret_cast<char*>(h) - padding_for(shift ? std::size_t(1) << shift : 0);
}
// A block freed by a thread other than its shard's owner waits on the shard's `remote` stack
// (heap/registry.hpp), still linked, until the owner unlinks it. The stack's link lives in the
// block's own (now freed) user bytes: at the start, or after the tail guard when the block is too
// small to hold it there without covering the guard (check_heap reads the guards of listed blocks).
// Every allocation path (heap/allocate.hpp) makes the raw allocation long enough: raw_user_bytes()
// after the header.
inline std::size_t remote_link_offset(std::size_t size, std::size_t guard) noexcept {
    return size >= sizeof(void*) || guard == 0 ? 0 : (size + guard + sizeof(void*) - 1) & ~(sizeof(void*) - 1);
}
inline std::size_t raw_user_bytes(std::size_t size, std::size_t guard) noexcept {
    std::size_t const need = remote_link_offset(size, guard) + sizeof(void*);
    return size + guard > need ? size + guard : need;
}
inline block_header** remote_link_of(block_header* h) noexcept;

// The cookie read or written where another thread may be at the same header: a block freed by
// another thread is marked released while it is still in its shard's list (see above), where
// scopes and check_heap read it. Relaxed atomics: plain moves on x86, and no data race.
inline std::uint32_t load_cookie(const block_header* h) noexcept {
    return __atomic_load_n(&h->cookie, __ATOMIC_RELAXED);
}
inline void store_cookie(block_header* h, std::uint32_t v) noexcept {
    __atomic_store_n(&h->cookie, v, __ATOMIC_RELAXED);
}

inline std::uint64_t seq_of(const block_header* h) noexcept { return h->order & max_seq; }
inline std::uint32_t shard_of(const block_header* h) noexcept { return static_cast<std::uint32_t>(h->order >> 48); }
inline block_header** remote_link_of(block_header* h) noexcept {
    return reinterpret_cast<block_header**>(static_cast<char*>(user_of(h)) +
                                            remote_link_offset(size_of(h), guard_bytes_of(h)));
}

} // namespace detail
} // namespace leakguard

#endif
// #include "leakguard/detail/heap/registry.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// heap/registry.hpp: where live blocks are kept - one shard per thread, each an intrusive doubly
// linked list in allocation order under its own lock, plus the counters - and the operations on
// those lists (append, unlink, the stack of blocks other threads freed).
//
// Why per-thread shards: a thread allocates into its own shard, so allocation never contends;
// a free from another thread locks only the owner's shard. Why the list is in sequence order: the
// owning thread is the only one that appends, and it takes sequence numbers in increasing order,
// so a scope can walk each shard back from its newest block and stop at the first block older than
// the scope. Shards outlive their threads (their blocks may still be alive) and are handed to new
// threads when their owner exits.
#ifndef LEAKGUARD_DETAIL_HEAP_REGISTRY_HPP_INCLUDED
#define LEAKGUARD_DETAIL_HEAP_REGISTRY_HPP_INCLUDED

#include <atomic>    // std::atomic
#include <cstdint>   // std::uint64_t
#include <cstring>   // std::memset
#include <pthread.h> // pthread_key_create, pthread_setspecific
#if defined(__linux__)
#include <linux/membarrier.h> // MEMBARRIER_CMD_PRIVATE_EXPEDITED
#include <sys/syscall.h>      // SYS_membarrier
#include <unistd.h>           // syscall
#endif

// #include "leakguard/detail/upward_calls.hpp" (inlined)
// #include "leakguard/detail/heap/block.hpp" (inlined)
// #include "leakguard/detail/core/pages.hpp" (inlined)
// #include "leakguard/detail/heap/block_memory.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// heap/block_memory.hpp: a block's raw memory coming into leakguard's hands and going back to the
// allocator - the two places where what the ownership test may later find in front of a pointer
// is settled (libc/ownership.hpp).
//
// Coming in: a block whose user pointer starts a page goes into the page index (heap/page_index.hpp),
// the only proof that the page in front of it can be read.
//
// Going back: out of the page index, and, under an allocator other than glibc's, the cookie wiped.
// Under glibc the 8 bytes in front of a pointer are rewritten (the chunk's size) every time glibc
// hands the chunk out, so a released cookie left in memory glibc took back is only ever read in
// front of the pointer leakguard handed out - a second free of it - and tells the double free.
// Another allocator rewrites nothing: it may hand the same memory out again with a new block
// starting exactly where leakguard's user pointer was (another size class over a reused page),
// and a released cookie still in front of it would make that block's free a false double free,
// its memory never freed. So there the cookie is wiped when the memory goes back: a released
// cookie is then only ever in memory leakguard still holds (the quarantine, a recycler, a remote
// stack), where a double free is still told as one; a double free after that goes to the
// allocator, as it would without leakguard.
#ifndef LEAKGUARD_DETAIL_HEAP_BLOCK_MEMORY_HPP_INCLUDED
#define LEAKGUARD_DETAIL_HEAP_BLOCK_MEMORY_HPP_INCLUDED

#include <cstdint> // std::uintptr_t

// #include "leakguard/detail/heap/block.hpp" (inlined)
// #include "leakguard/detail/heap/page_index.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// heap/page_index.hpp: the set of leakguard's blocks whose user pointer starts a page.
//
// Why: the ownership test reads the 8 bytes in front of a pointer (heap/block.hpp). In front of a
// pointer that starts a page they are on the page before, which may not be mapped at all: the
// start of an mmap region given to delete, a page-aligned large block of jemalloc or tcmalloc.
// A block of leakguard's always has its header there (its raw allocation covers both pages), so
// such a pointer is leakguard's exactly when it is in this set, and the test reads in front of it
// only then (libc/ownership.hpp, heap/release.hpp).
//
// What is in it: every raw allocation leakguard holds whose user pointer starts a page, from the
// moment its header is written until its memory goes back to the allocator (heap/block_memory.hpp)
// - live blocks, and released ones still waiting in a quarantine, a recycler or a remote stack,
// so that a second free of those is still a double free. They are few (the page-aligned
// allocations, and by chance one small block in 256), so one set under one lock does.
//
// An open-addressing table (linear probing, deletion by backward shift, no tombstones) in pages
// from mmap, never from malloc, doubled when half full. When pages for a larger table cannot be
// had, insertion goes on in the current one until it is full and then fails: the allocation that
// needed it fails too, since a block that cannot be proved leakguard's must not be handed out.
// The lock is a leaf (nothing else is taken or called under it but mmap); fork takes it
// (runtime/fork.hpp), and the forking thread, which may allocate in other fork handlers while it
// holds it, then goes in without it.
#ifndef LEAKGUARD_DETAIL_HEAP_PAGE_INDEX_HPP_INCLUDED
#define LEAKGUARD_DETAIL_HEAP_PAGE_INDEX_HPP_INCLUDED

#include <cstddef> // std::size_t
#include <cstdint> // std::uintptr_t

// #include "leakguard/detail/core/pages.hpp" (inlined)
// #include "leakguard/detail/core/platform.hpp" (inlined)

namespace leakguard {
namespace detail {

struct page_index_state {
    spinlock lock;
    std::uintptr_t* slots; // 0: empty; null until the first insertion
    std::size_t capacity;  // a power of two
    std::size_t count;
};

page_index_state g_page_index{};
static thread_local bool t_page_index_fork_holder; // this thread holds the lock for fork

// The index held for one operation.
class page_index_hold {
public:
    page_index_hold() noexcept {
        if (!t_page_index_fork_holder) g_page_index.lock.lock();
    }
    ~page_index_hold() {
        if (!t_page_index_fork_holder) g_page_index.lock.unlock();
    }
    page_index_hold(const page_index_hold&) = delete;
    page_index_hold& operator=(const page_index_hold&) = delete;
};

inline void page_index_lock_for_fork() noexcept {
    g_page_index.lock.lock();
    t_page_index_fork_holder = true;
}
inline void page_index_unlock_after_fork() noexcept {
    t_page_index_fork_holder = false;
    g_page_index.lock.unlock();
}

constexpr std::size_t page_index_first_capacity = 512; // one page of slots

inline std::size_t page_index_home(std::uintptr_t key, std::size_t mask) noexcept {
    return static_cast<std::size_t>(((key >> 12) * 0x9E3779B97F4A7C15ull) >> 32) & mask;
}

// Puts `key` into `slots` (not there yet, a free slot exists).
inline void page_index_place(std::uintptr_t* slots, std::size_t mask, std::uintptr_t key) noexcept {
    std::size_t i = page_index_home(key, mask);
    while (slots[i]) i = (i + 1) & mask;
    slots[i] = key;
}

// A table twice as large with every key moved over; false when its pages cannot be had.
inline bool page_index_grow_held(page_index_state& x) noexcept {
    std::size_t const capacity = x.capacity ? x.capacity * 2 : page_index_first_capacity;
    std::uintptr_t* const slots = static_cast<std::uintptr_t*>(map_pages(capacity * sizeof(std::uintptr_t), true));
    if (!slots) return false;
    for (std::size_t i = 0; i < x.capacity; ++i)
        if (x.slots[i]) page_index_place(slots, capacity - 1, x.slots[i]);
    unmap_pages(x.slots, x.capacity * sizeof(std::uintptr_t));
    x.slots = slots;
    x.capacity = capacity;
    return true;
}

// The slot that holds `key`, or capacity when none does; the lock held.
inline std::size_t page_index_find_held(const page_index_state& x, std::uintptr_t key) noexcept {
    if (!x.slots) return x.capacity;
    std::size_t const mask = x.capacity - 1;
    for (std::size_t i = page_index_home(key, mask);; i = (i + 1) & mask) {
        if (x.slots[i] == key) return i;
        if (!x.slots[i]) return x.capacity;
    }
}

// Adds the user pointer of a block whose memory leakguard now holds (as an address: the block's
// bytes are not read). False when the table is full and cannot grow.
LEAKGUARD_DETAIL_NOINLINE inline bool page_index_add(std::uintptr_t key) noexcept {
    page_index_state& x = g_page_index;
    page_index_hold hold;
    if (page_index_find_held(x, key) != x.capacity) return true; // there already (cannot happen)
    if ((x.count + 1) * 2 > x.capacity && !page_index_grow_held(x) && x.count + 1 >= x.capacity) return false;
    page_index_place(x.slots, x.capacity - 1, key);
    ++x.count;
    return true;
}

// Takes out the user pointer of a block whose memory goes back to the allocator.
LEAKGUARD_DETAIL_NOINLINE inline void page_index_remove(std::uintptr_t key) noexcept {
    page_index_state& x = g_page_index;
    page_index_hold hold;
    std::size_t i = page_index_find_held(x, key);
    if (i == x.capacity) return;
    std::size_t const mask = x.capacity - 1;
    // Backward shift: each key after the hole that may move into it (its home is not cyclically
    // within (hole, its slot]) does, so every probe still reaches its key without a tombstone.
    for (std::size_t j = (i + 1) & mask; x.slots[j]; j = (j + 1) & mask) {
        std::size_t const home = page_index_home(x.slots[j], mask);
        bool const stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
        if (stays) continue;
        x.slots[i] = x.slots[j];
        i = j;
    }
    x.slots[i] = 0;
    --x.count;
}

// Whether `p` is the user pointer of a block in the set: then the page in front of it is
// leakguard's, and readable.
LEAKGUARD_DETAIL_NOINLINE inline bool page_index_contains(const void* p) noexcept {
    page_index_state& x = g_page_index;
    page_index_hold hold;
    return page_index_find_held(x, reinterpret_cast<std::uintptr_t>(p)) != x.capacity;
}

} // namespace detail
} // namespace leakguard

#endif
// #include "leakguard/detail/core/libc_functions.hpp" (inlined)
// #include "leakguard/detail/core/platform.hpp" (inlined)

namespace leakguard {
namespace detail {

// Raw memory a block's header is being written into. False when the block starts a page and the
// page index cannot take it: the caller then gives the memory back and fails the allocation.
LEAKGUARD_DETAIL_ALWAYS_INLINE bool hold_block_memory(block_header* h) noexcept {
    void* const user = user_of(h);
    return LEAKGUARD_DETAIL_LIKELY(!front_off_page(user)) || page_index_add(reinterpret_cast<std::uintptr_t>(user));
}

// Block `h`'s raw memory is about to leave leakguard (freed, or moved by the C library's realloc).
LEAKGUARD_DETAIL_ALWAYS_INLINE void let_go_block_memory(block_header* h) noexcept {
    void* const user = user_of(h);
    if (LEAKGUARD_DETAIL_UNLIKELY(front_off_page(user))) page_index_remove(reinterpret_cast<std::uintptr_t>(user));
    if (LEAKGUARD_DETAIL_UNLIKELY(!heap_is_glibc())) store_cookie(h, 0); // matches no cookie
}

// Gives released block `h`'s raw memory back to the allocator.
LEAKGUARD_DETAIL_ALWAYS_INLINE void free_block_memory(block_header* h) noexcept {
    let_go_block_memory(h);
    raw_free(raw_of(h));
}

} // namespace detail
} // namespace leakguard

#endif
// #include "leakguard/detail/capture/site_counts.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// capture/site_counts.hpp: the per-site counters of the monitor (docs/monitor.md) - for each
// allocation site (a block's `site`: its interned stack, a mapping macro's location or a return
// address) how many of its blocks were freed.
//
// Why frees only: what is alive at a site is exact at any moment from a walk of the shard lists
// (report/site_profile.hpp), which costs the hot path nothing, and every block counted since
// counting began is either alive or freed. So a site's allocations since then are its live blocks
// numbered from `count_from` on plus its frees of such blocks (frees_new): the allocation path
// counts nothing. Only the frees of the past leave no trace in the lists; they are counted as they
// happen, while counting is on (the monitor, the dump signal or write_profile() switched it on: a
// bit of the options' hot word sends the free's short path through its counting branch).
//
// Why per shard: a free is counted by whoever holds the block's shard as it unlinks it - its owner
// in an owner section, or a locker - into that shard's own small table (site_free_cache, in the
// shard: heap/registry.hpp) with plain stores: no atomic operation, no shared cache line. A report
// holds each shard anyway to walk its list, and adds the shard's table into the shared one
// (site_table) then. A site that finds both slots of its set taken by others evicts one into the
// shared table. A thread that exits leaves its shard, table included, to the next thread (nothing
// is lost); a fork child copies it whole (fork holds every shard). Measured in docs/performance.md
// ("The monitor"): the shared atomic counters on both paths cost 107 instructions per pair.
//
// The shared table: records in one array in order of first sight (dense, so the monitor's
// per-site state beside it is dense too), found through an open-addressing index of record
// numbers keyed by the site pointer. Lock-free: a record number is claimed with a fetch_add, its
// key written, then the number published in an empty index slot with a compare-and-swap; the loser
// of a race for the same slot looks at the winner's key and probes on (or, same site, leaves its
// record a hole with a null key, which nobody reads). Records are never freed or moved, so a
// pointer to one stays good. Both arrays are mapped lazily (MAP_NORESERVE): only the pages touched
// cost memory. Full (site_capacity sites) or past max_site_probes: the block is counted in
// `overflow` only.
#ifndef LEAKGUARD_DETAIL_CAPTURE_SITE_COUNTS_HPP_INCLUDED
#define LEAKGUARD_DETAIL_CAPTURE_SITE_COUNTS_HPP_INCLUDED

#include <atomic>  // std::atomic
#include <cstddef> // std::size_t
#include <cstdint> // std::uint32_t, std::uint64_t, std::uintptr_t

// #include "leakguard/detail/config.hpp" (inlined)
// #include "leakguard/detail/core/pages.hpp" (inlined)

namespace leakguard {
namespace detail {

constexpr unsigned site_capacity_log2 = 18; // 262,144 sites
constexpr std::size_t site_capacity = std::size_t(1) << site_capacity_log2;
constexpr unsigned site_index_log2 = site_capacity_log2 + 1; // the index at most half full
constexpr std::size_t site_index_size = std::size_t(1) << site_index_log2;
constexpr unsigned max_site_probes = 64;

// What a site pointer is (the block's flags tell; the record keeps it for the report).
enum class site_kind : std::uint32_t { address, stack, location };
inline site_kind site_kind_of(unsigned flags, unsigned has_location, unsigned has_stack) noexcept {
    // A location given to a block that had a stack replaces it, and the stack flag stays.
    return (flags & has_location) ? site_kind::location : (flags & has_stack) ? site_kind::stack : site_kind::address;
}

// One site's counters, a cache line of its own: two threads adding at two sites do not share it.
struct alignas(64) site_counter {
    std::atomic<const void*> key;            // the blocks' `site`; null: a hole (see above)
    std::atomic<site_kind> kind;             // written before the record is published
    std::atomic<std::uint64_t> frees_new;    // frees of blocks numbered from count_from on
    std::atomic<std::uint64_t> frees_old;    // frees of blocks allocated before counting began
    std::atomic<std::uint64_t> size_max;     // the largest block a report has seen alive
    std::atomic<std::uint64_t> size_min_inv; // ~ the smallest one (0: none yet)
};

struct site_table {
    std::atomic<site_counter*> records;             // site_capacity of them; record 0 is never used
    std::atomic<std::atomic<std::uint32_t>*> index; // record numbers, 0: empty
    std::atomic<std::uint32_t> used;                // records claimed (holes included), from 1
    std::atomic<std::uint64_t> overflow;            // frees of sites that found no room
    // The first sequence number counted (blocks from it on are "new"); set once, when counting is
    // first switched on. 0: never.
    std::atomic<std::uint64_t> count_from;

    // Maps both arrays; false when the kernel refuses. Called before counting is switched on (the
    // hot path only counts once records exist) and by the monitor before its walk.
    bool ready() noexcept {
        if (index.load(std::memory_order_acquire)) return true;
        if (!records.load(std::memory_order_acquire)) { // the records first: the index publishes them
            void* mem = map_pages(site_capacity * sizeof(site_counter), true);
            if (!mem) return false;
            site_counter* expected = nullptr;
            if (!records.compare_exchange_strong(expected, static_cast<site_counter*>(mem), std::memory_order_acq_rel))
                unmap_pages(mem, site_capacity * sizeof(site_counter)); // another thread's won
        }
        void* mem = map_pages(site_index_size * sizeof(std::uint32_t), true);
        if (!mem) return false;
        std::atomic<std::uint32_t>* expected = nullptr;
        if (!index.compare_exchange_strong(expected, static_cast<std::atomic<std::uint32_t>*>(mem),
                                           std::memory_order_acq_rel))
            unmap_pages(mem, site_index_size * sizeof(std::uint32_t));
        return true;
    }

    // The record of `site`, made on first sight; null when there is no room (or no table yet).
    site_counter* find_or_add(const void* site, site_kind kind) noexcept {
        std::atomic<std::uint32_t>* const idx = index.load(std::memory_order_acquire);
        if (LEAKGUARD_DETAIL_UNLIKELY(!idx)) return nullptr;
        site_counter* const recs = records.load(std::memory_order_relaxed); // mapped before the index
        std::uint64_t const h =
            (reinterpret_cast<std::uintptr_t>(site) * 0x9E3779B97F4A7C15ull) >> (64 - site_index_log2);
        std::uint32_t mine = 0;
        for (unsigned probe = 0; probe < max_site_probes; ++probe) {
            std::atomic<std::uint32_t>& slot = idx[(h + probe) & (site_index_size - 1)];
            std::uint32_t n = slot.load(std::memory_order_acquire);
            if (n == 0) {
                if (mine == 0) {
                    mine = used.fetch_add(1, std::memory_order_relaxed) + 1;
                    if (mine >= site_capacity) {
                        used.store(static_cast<std::uint32_t>(site_capacity), std::memory_order_relaxed);
                        return nullptr;
                    }
                    recs[mine].kind.store(kind, std::memory_order_relaxed);
                    recs[mine].key.store(site, std::memory_order_relaxed);
                }
                if (slot.compare_exchange_strong(n, mine, std::memory_order_acq_rel, std::memory_order_acquire))
                    return &recs[mine];
                // Someone published another record here meanwhile: `n` is it.
            }
            if (recs[n].key.load(std::memory_order_relaxed) == site) {
                if (mine) recs[mine].key.store(nullptr, std::memory_order_relaxed); // a hole
                return &recs[n];
            }
        }
        if (mine) recs[mine].key.store(nullptr, std::memory_order_relaxed);
        return nullptr;
    }

    // Record number `n` (1 .. records_used() - 1).
    site_counter& record(std::uint32_t n) noexcept { return records.load(std::memory_order_relaxed)[n]; }
    std::uint32_t records_used() const noexcept {
        std::uint32_t const n = used.load(std::memory_order_acquire) + 1;
        return n < site_capacity ? n : static_cast<std::uint32_t>(site_capacity);
    }
    std::uint32_t number_of(const site_counter* c) noexcept {
        return static_cast<std::uint32_t>(c - records.load(std::memory_order_relaxed));
    }
};

// Constant-initialised (all zero): usable from the first static constructor.
site_table g_sites{};

// A relaxed "max" (the common case, no new extreme, is one load and a compare).
inline void raise_to(std::atomic<std::uint64_t>& a, std::uint64_t v) noexcept {
    std::uint64_t cur = a.load(std::memory_order_relaxed);
    while (v > cur && !a.compare_exchange_weak(cur, v, std::memory_order_relaxed)) {}
}

constexpr unsigned site_free_slots_log2 = 6; // 64 sites a shard
constexpr unsigned site_free_slots = 1u << site_free_slots_log2;

// A shard's table of the frees it counted (see the top of this file), by the site pointer: two-way
// set-associative, slots 2k and 2k+1 a set. A site is looked for at its slot (free_slot_of), then
// at the other slot of the set; a site seen anew takes its own slot, and the site there moves to
// the other one (whose site is flushed into the shared table). Two sites of one slot then both
// stay: direct-mapped, two such sites freed in turn (in `workloads prodcons`, two pairs of its
// four sites) took each other's slot on every free, each time a flush.
// Touched only by whoever holds the shard (its owner in an owner section, or a locker). One array
// per field, 8-byte entries: a slot's key and its counts are found by the slot number scaled in
// the address, with no multiplication by a slot's size. (No size range: counting the freed
// blocks' sizes cost the frees of sites with blocks of many sizes a third again; a site's range
// is taken from its live blocks at each report instead.)
struct site_free_cache {
    // The `order` (heap/block.hpp) a block of this shard numbered count_from would have: the
    // shard's blocks from it on are "new" (frees_new). Set at each miss (heap/registry.hpp), so
    // before any hit (the table starts empty); count_from never changes once set. A block's order
    // is its sequence number with its shard's index above it, the same for all of this shard's
    // blocks: compared whole, with no mask.
    std::uint64_t new_from;
    const void* key[site_free_slots];         // null: empty
    std::uint64_t frees_new[site_free_slots]; // frees of blocks numbered from count_from on
    std::uint64_t frees_old[site_free_slots]; // of blocks allocated before counting began
    site_kind kind[site_free_slots];
};

// The slot of `site`: a multiplicative hash of its low 32 bits (sites differ there; a 32-bit
// multiplier is an immediate operand, where a 64-bit one takes a 10-byte load first). Any such
// hash puts some pairs of sites on one slot (for this one, stack records 144 bytes apart, a
// Fibonacci number): hence the second slot of the set.
inline unsigned free_slot_of(const void* site) noexcept {
    return (static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(site)) * 0x9E3779B1u) >>
           (32 - site_free_slots_log2);
}

// Counts one free in slot `i`: of a new block when its `order` is from the shard's new_from on.
inline void count_free_at(site_free_cache& cache, unsigned i, std::uint64_t order) noexcept {
    if (LEAKGUARD_DETAIL_LIKELY(order >= cache.new_from)) ++cache.frees_new[i]; // 64 bits: no wrap
    else ++cache.frees_old[i];
}

// Adds slot `i` into the shared table and empties it: when another site takes its place, and at
// each report.
LEAKGUARD_DETAIL_NOINLINE inline void flush_free_slot(site_free_cache& cache, unsigned i) noexcept {
    site_counter* c = g_sites.find_or_add(cache.key[i], cache.kind[i]);
    if (LEAKGUARD_DETAIL_UNLIKELY(!c)) {
        g_sites.overflow.fetch_add(cache.frees_old[i] + cache.frees_new[i], std::memory_order_relaxed);
    } else {
        if (cache.frees_new[i]) c->frees_new.fetch_add(cache.frees_new[i], std::memory_order_relaxed);
        if (cache.frees_old[i]) c->frees_old.fetch_add(cache.frees_old[i], std::memory_order_relaxed);
    }
    cache.key[i] = nullptr;
    cache.frees_new[i] = cache.frees_old[i] = 0;
}

// A free of `site`, which is in neither slot of its set (the short path looked; heap/registry.hpp's
// count_free_missed calls this, out of line): the site takes its own slot, whose site moves to
// the other slot, whose site is flushed.
inline void count_free_missed_in(site_free_cache& cache, const void* site, site_kind kind,
                                 std::uint64_t order) noexcept {
    unsigned const i = free_slot_of(site);
    unsigned const other = i ^ 1u;
    if (cache.key[i]) {
        if (cache.key[other]) flush_free_slot(cache, other);
        cache.key[other] = cache.key[i];
        cache.kind[other] = cache.kind[i];
        cache.frees_new[other] = cache.frees_new[i];
        cache.frees_old[other] = cache.frees_old[i];
        cache.frees_new[i] = cache.frees_old[i] = 0;
    }
    cache.key[i] = site;
    cache.kind[i] = kind;
    count_free_at(cache, i, order);
}

// Adds every slot of a shard's table into the shared one (a report, holding the shard).
inline void flush_free_cache(site_free_cache& cache) noexcept {
    for (unsigned i = 0; i < site_free_slots; ++i)
        if (cache.key[i]) flush_free_slot(cache, i);
}

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_CAPTURE_SITE_COUNTS_HPP_INCLUDED
// #include "leakguard/detail/core/options.hpp" (inlined)
// #include "leakguard/detail/core/platform.hpp" (inlined)

namespace leakguard {
namespace detail {

struct quarantine_slot; // heap/quarantine.hpp

// Who may touch a shard's list (and its quarantine), and how (see "Lock elision" below):
//  - its owner, the thread whose home it is, on every allocation and every free of its own
//    blocks: owner_enter/owner_exit, no atomic read-modify-write while nobody else wants the shard;
//  - anybody else (scopes, reports, statistics, check_heap, fork, errors): lock_shard/unlock_shard,
//    which take `lock` and then wait until the owner is outside its section;
//  - a thread freeing a block of another thread's shard never touches the list: it pushes the
//    block onto `remote` (one compare-and-swap), and the owner (or the next lock_shard) unlinks it.
struct alignas(64) shard {
    spinlock lock;
    std::atomic<int> owner_busy; // 1 while the owner is inside owner_enter/owner_exit
    block_header* oldest;
    block_header* newest;
    std::uint64_t allocations; // counted in the allocating thread's shard
    std::uint64_t frees;       // counted in the owner shard of the freed block
    std::int64_t live_bytes;
    std::int64_t peak_bytes; // the most live_bytes has been (exact peak while one thread allocates)
    std::uint32_t index;
    shard* next_free; // free list of shards whose thread has exited
    // The quarantine of the blocks this shard's thread released (heap/quarantine.hpp): a ring of
    // slots, oldest at `quarantine_head`, made on first use. In the shard so that it needs no
    // lock of its own (fork takes the shard locks) and passes to the next thread with the shard.
    quarantine_slot* quarantine_slots;
    std::uint32_t quarantine_head;
    std::uint32_t quarantine_count;
    std::uint64_t quarantine_bytes;
    // Blocks of this shard freed by other threads, not yet unlinked: a lock-free stack linked
    // through each block's remote_link (heap/block.hpp). On its own cache line, with `owned`,
    // which every push reads: the freeing thread writes this line, the owner writes the first
    // (owner_busy, on every operation). The owner reads `remote` on one operation in
    // remote_check_interval only (remote_waiting), so that a thread freeing a stream of its
    // blocks keeps the line in its own cache instead of pulling it back on every free.
    alignas(64) std::atomic<block_header*> remote;
    std::atomic<bool> owned; // a live thread has this shard as its home (changed under `lock`)
    // The frees of this shard's blocks counted per site while the monitor counts
    // (capture/site_counts.hpp), by whoever unlinks them; a report adds them up under `lock`.
    alignas(64) site_free_cache site_frees;
};

// How often the owner looks at its remote stack: on every 16th allocation and every 16th free
// (by the shard's counts before the operation), so at most 16 of the owner's allocations pass
// before it unlinks what other threads freed. Looking on every operation moved the line between
// the cores on every free from the other thread, which made a producer/consumer pair of threads
// cost far more than the same work in one thread.
constexpr std::uint64_t remote_check_interval = 16;
inline bool remote_waiting(const shard* s, std::uint64_t count) noexcept {
    return (count & (remote_check_interval - 1)) == 0 && s->remote.load(std::memory_order_relaxed) != nullptr;
}

constexpr std::uint32_t max_shards = 1u << 16; // the header's shard field is 16 bits

// Per-thread state. Plain data with constant initialisation: no TLS constructor or guard runs.
struct thread_state {
    shard* home;            // this thread's shard, null until its first tracked allocation
    std::uint32_t thread;   // leakguard's thread number, 0 until assigned
    int ignore_depth;       // > 0: allocations are marked ignored
    int busy;               // > 0: leakguard itself is running here; allocations are not linked
    bool fork_holder;       // this thread holds every shard lock (inside fork)
    std::uint64_t seq_next; // sequence numbers reserved for this thread: [seq_next, seq_end)
    std::uint64_t seq_end;
    std::uint64_t seq_epoch;    // the g_epoch value the reservation was made under
    std::int64_t pending_bytes; // live-byte change not yet added to g_live_bytes
    // Set with `home`, for the short paths (heap/allocate.hpp, heap/release.hpp): the header's last
    // word without its cookie (tail_word_for), and the home shard's index + 1 (0: no home).
    std::uint64_t tail_word;
    std::uint32_t home_tag;
};

// Sequence numbers: a thread reserves them in chunks, so there is no shared counter on the hot
// path. A scope takes its start number and then bumps g_epoch; a thread that sees a new epoch drops
// its reservation and takes a fresh one, so every block allocated after a scope began (in any
// thread that could know it began) gets a number above the scope's start.
constexpr std::uint64_t seq_chunk = 1024;

struct registry_state {
    spinlock shards_lock; // guards creating shards and the free list
    std::atomic<std::uint32_t> shard_count;
    shard* shards[max_shards];
    shard* free_shards;
    std::atomic<std::uint64_t> next_seq;
    std::atomic<std::uint64_t> epoch;
    std::atomic<std::uint32_t> next_thread;
    std::atomic<std::int64_t> live_bytes; // batched per thread (see account_bytes)
    std::atomic<std::int64_t> peak_bytes;
    pthread_key_t exit_key;
};

// The tracker's state: zero-initialised at load time, never constructed or destroyed, so it is
// usable from the first static constructor to the last static destructor of any unit. Every
// global of the implementation is defined with `{}`: from C++20 std::atomic has a constexpr
// constructor, and an object that mixes it with members left uninitialised would otherwise get
// a dynamic initialiser - one that zeroes the state again after earlier static constructors
// allocated.
registry_state g_registry{};
static thread_local thread_state t_state;

// ---- The lists ----------------------------------------------------------------------------------
//
// A shard's list is changed only by whoever holds it exclusively (its owner in an owner section,
// or lock_shard, below): these take that for granted.

// Takes `h` out of shard `s`'s list and counts the free.
inline void unlink_held(shard* s, block_header* h, std::int64_t size) noexcept {
    if (h->prev) h->prev->next = h->next;
    else s->oldest = h->next;
    if (h->next) h->next->prev = h->prev;
    else s->newest = h->prev;
    ++s->frees;
    s->live_bytes -= size;
}

// count_free_hit's miss: the site is in neither slot of its set in `s` (capture/site_counts.hpp).
// Sets the shard's new_from first.
LEAKGUARD_DETAIL_NOINLINE inline void count_free_missed(shard* s, const block_header* h) noexcept {
    s->site_frees.new_from = make_order(g_sites.count_from.load(std::memory_order_relaxed), s->index);
    count_free_missed_in(s->site_frees, h->site, site_kind_of(flags_of(h), flag_has_location, flag_has_stack),
                         h->order);
}

// Counts the free of `h` per site (capture/site_counts.hpp) in `s`, which the caller holds, when
// its site is in its set there (a hit in its own slot: a multiplication, a shift, a compare, the
// block's order against the shard's new_from, and an increment - no atomic operation; in the
// other slot, an xor and a compare more). False otherwise: the caller then calls
// count_free_missed.
LEAKGUARD_DETAIL_ALWAYS_INLINE bool count_free_hit(shard* s, const block_header* h) noexcept {
    site_free_cache& c = s->site_frees;
    const void* const site = h->site;
    unsigned i = free_slot_of(site);
    if (LEAKGUARD_DETAIL_UNLIKELY(c.key[i] != site)) {
        i ^= 1u;
        if (c.key[i] != site) return false;
    }
    count_free_at(c, i, h->order);
    return true;
}

// Counts the free of `h` per site in `s`, which the caller holds.
LEAKGUARD_DETAIL_ALWAYS_INLINE void count_free_held(shard* s, const block_header* h) noexcept {
    if (LEAKGUARD_DETAIL_UNLIKELY(!count_free_hit(s, h))) count_free_missed(s, h);
}

// unlink_held, and the free counted per site while the monitor counts: every path that takes a
// freed block out of a list but the short one, which checks the hot word it has read already.
inline void unlink_counted(shard* s, block_header* h, std::int64_t size) noexcept {
    unlink_held(s, h, size);
    if (LEAKGUARD_DETAIL_UNLIKELY(g_hot.load(std::memory_order_relaxed) & hot_sites)) count_free_held(s, h);
}

// Appends `h` as the newest block of `s` and counts it.
inline void append_held(shard* s, block_header* h, std::size_t size) noexcept {
    block_header* const newest = s->newest;
    h->prev = newest;
    if (newest) newest->next = h;
    else s->oldest = h;
    s->newest = h;
    ++s->allocations;
    std::int64_t const live = s->live_bytes + static_cast<std::int64_t>(size);
    s->live_bytes = live;
    if (live > s->peak_bytes) s->peak_bytes = live;
}

// Takes the blocks other threads freed off `s`'s remote stack and unlinks them. Returns them,
// linked through `next`, for the caller to dispose of.
inline block_header* unlink_remote_held(shard* s) noexcept {
    block_header* chain = s->remote.exchange(nullptr, std::memory_order_acquire);
    block_header* out = nullptr;
    while (chain) {
        block_header* const next = *remote_link_of(chain);
        unlink_counted(s, chain, static_cast<std::int64_t>(size_of(chain)));
        chain->next = out;
        out = chain;
        chain = next;
    }
    return out;
}

// The same where the shard is held by anybody but its owner (lock_shard): the blocks go straight
// back to the C library (the freeing thread checked them and marked them released).
inline void drain_remote_locked(shard* s) noexcept {
    block_header* out = unlink_remote_held(s);
    while (out) {
        block_header* const next = out->next;
        free_block_memory(out);
        out = next;
    }
}

// ---- Lock elision ------------------------------------------------------------------------------
//
// The owner of a shard is by far its most frequent user (every allocation, and every free of a
// block the thread allocated itself), and every other user is rare (scopes, reports, statistics,
// check_heap, fork) - except frees from other threads, which go through `remote` instead (below).
// So the owner does not take the lock; it announces itself with a plain store and checks the lock
// with a plain load, and the rare other users pay for a heavy barrier instead. This is the
// asymmetric Dekker protocol (as in liburcu, folly's asymmetricLightBarrier/HeavyBarrier, and the
// Linux membarrier(2) manual):
//
//   owner:   owner_busy = 1 (relaxed); compiler barrier; if lock != 0 (acquire) -> slow path;
//            ... list work ...; owner_busy = 0 (release)
//   other:   lock (atomic exchange, acquire); membarrier(PRIVATE_EXPEDITED);
//            wait until owner_busy == 0 (acquire); ... list work ...; lock = 0 (release)
//
// membarrier returns only after every other running thread of the process has executed a full
// memory barrier (threads not running get one from the context switch), so it stands in for the
// fence the owner would otherwise need between its store to owner_busy and its load of lock. Hence,
// for each owner section and each locked section, either the owner's load of lock sees 1 (the
// owner then backs off: clears owner_busy and takes the lock like everybody else) or the other
// thread's load of owner_busy sees 1 (it waits for the release store that ends the section): they
// never overlap. Ordering: the list writes of an owner section happen before the locker's reads
// (release store of owner_busy = 0, acquire load that sees it); the locker's writes happen before
// the owner's next section (release store of lock = 0, acquire load of lock that sees it) - so
// ThreadSanitizer sees every handover as a happens-before edge, and reports a race if the protocol
// were ever broken. Without membarrier (not Linux, an old kernel, seccomp) g_elide_locks stays false
// and the owner takes the lock like everybody else: the protocol is then the plain spinlock.

std::atomic<bool> g_elide_locks{}; // set once in initialise(), before any shard is used

// The other side of the owner's compiler-only barrier: a memory barrier on every running thread.
inline void heavy_barrier() noexcept {
#if defined(__linux__) && defined(SYS_membarrier)
    ::syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0);
#endif
}

// Whether this process can use the protocol (registers it for expedited barriers).
inline bool enable_lock_elision() noexcept {
#if defined(__linux__) && defined(SYS_membarrier)
    long const cmds = ::syscall(SYS_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);
    if (cmds < 0 || !(cmds & MEMBARRIER_CMD_PRIVATE_EXPEDITED)) return false;
    if (::syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) != 0) return false;
    return ::syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0) == 0;
#else
    return false;
#endif
}

// Exclusive access to a shard for anybody (its owner included, outside owner sections).
inline void lock_shard(shard* s) noexcept {
    if (t_state.fork_holder) return; // holds every shard lock already (runtime/fork.hpp)
    s->lock.lock();
    if (g_elide_locks.load(std::memory_order_relaxed)) {
        heavy_barrier();
        for (int spins = 0; s->owner_busy.load(std::memory_order_acquire) != 0; ++spins) {
            if (spins < 64) cpu_relax();
            else sched_yield();
        }
        if (s->remote.load(std::memory_order_relaxed)) drain_remote_locked(s);
    }
}
inline void unlock_shard(shard* s) noexcept {
    if (!t_state.fork_holder) s->lock.unlock();
}

// The owner's side. Returns whether the section ended up holding the lock (pass it to owner_exit).
LEAKGUARD_DETAIL_NOINLINE inline bool owner_enter_slow(shard* s) noexcept {
    if (t_state.fork_holder) return false; // this thread holds the lock (fork): owner_busy stays 1
    s->owner_busy.store(0, std::memory_order_release);
    s->lock.lock();
    return true;
}
inline bool owner_enter(shard* s) noexcept {
    if (!g_elide_locks.load(std::memory_order_relaxed)) {
        lock_shard(s);
        return true;
    }
    s->owner_busy.store(1, std::memory_order_relaxed);
    std::atomic_signal_fence(std::memory_order_seq_cst); // the light half: see heavy_barrier()
    if (LEAKGUARD_DETAIL_UNLIKELY(s->lock.state.load(std::memory_order_acquire) != 0)) return owner_enter_slow(s);
    return false;
}
inline void owner_exit(shard* s, bool locked) noexcept {
    if (LEAKGUARD_DETAIL_UNLIKELY(locked)) unlock_shard(s);
    else s->owner_busy.store(0, std::memory_order_release);
}

// A free of a block whose shard is another thread's home: the block is marked released and pushed
// onto that shard's remote stack, to be unlinked by the owner at its next allocation or free (or
// by the next lock_shard). If the shard has no owner any more (its thread exited), nobody would:
// then this thread unlinks the stack itself, under the lock. seq_cst against release_home_shard:
// either its drain sees this push or this load sees owned == false.
inline void push_remote(shard* s, block_header* h) noexcept {
    store_cookie(h, freed_cookie_for(h));
    block_header** const link = remote_link_of(h);
    block_header* head = s->remote.load(std::memory_order_relaxed);
    do {
        *link = head;
    } while (!s->remote.compare_exchange_weak(head, h, std::memory_order_seq_cst, std::memory_order_relaxed));
    if (LEAKGUARD_DETAIL_UNLIKELY(!s->owned.load(std::memory_order_seq_cst))) {
        lock_shard(s); // drains the stack (no owner section can run: the shard has no owner)
        unlock_shard(s);
    }
}

// Whether `h` is linked in a shard list: a search of every list, comparing addresses only (nothing
// of a header is read before it is found), for the rare pointer whose own bytes leave its
// ownership in doubt (libc/ownership.hpp).
LEAKGUARD_DETAIL_NOINLINE inline bool listed(const block_header* h) noexcept {
    std::uint32_t const n = g_registry.shard_count.load(std::memory_order_acquire);
    for (std::uint32_t i = 0; i < n; ++i) {
        shard* s = g_registry.shards[i];
        lock_shard(s);
        bool found = false;
        for (const block_header* b = s->newest; b && !found; b = b->prev) found = b == h;
        unlock_shard(s);
        if (found) return true;
    }
    return false;
}

// Runs when a thread that allocated exits: its shard (and the blocks still in it) goes to the free
// list for the next new thread. The blocks keep their thread number.
inline void release_home_shard(void*) noexcept {
    shard* s = t_state.home;
    if (!s) return;
    t_state.home = nullptr;
    t_state.home_tag = 0;
    drop_recycled();                  // from now on this thread's frees go to the C library
    if (t_state.pending_bytes != 0) { // hand over this thread's batched byte count
        g_registry.live_bytes.fetch_add(t_state.pending_bytes, std::memory_order_relaxed);
        t_state.pending_bytes = 0;
    }
    if (g_elide_locks.load(std::memory_order_relaxed)) {
        // From now on nobody drains `remote` as the owner: a thread that pushes onto it after
        // this store sees owned == false and drains it itself (see push_remote); one that pushed
        // before is drained here. seq_cst on both sides: either this drain sees the push or that
        // thread sees the store.
        s->lock.lock();
        s->owned.store(false, std::memory_order_seq_cst);
        if (s->remote.load(std::memory_order_seq_cst)) drain_remote_locked(s);
        s->lock.unlock();
    }
    lock_guard hold(g_registry.shards_lock);
    s->next_free = g_registry.free_shards;
    g_registry.free_shards = s;
}

// Gives the calling thread a shard: a free one, or a new one from raw memory. Returns null only
// when raw memory runs out or 65,536 shards exist; the caller then leaves the block unlinked.
inline shard* acquire_home_shard() noexcept {
    thread_state& t = t_state;
    if (t.thread == 0) {
        t.thread = g_registry.next_thread.fetch_add(1, std::memory_order_relaxed) + 1;
    }
    shard* s = nullptr;
    {
        lock_guard hold(g_registry.shards_lock);
        if (g_registry.free_shards) {
            s = g_registry.free_shards;
            g_registry.free_shards = s->next_free;
        } else {
            std::uint32_t const n = g_registry.shard_count.load(std::memory_order_relaxed);
            if (n < max_shards) {
                // Pages of its own, not the C library's heap: a program's write past the end of
                // a block must not reach the lists (reach/list_walk.hpp can walk around a damaged
                // link, not a damaged list head). Zeroed, never given back (shards are reused).
                void* mem = map_pages(sizeof(shard));
                if (mem) {
                    s = static_cast<shard*>(mem);
                    s->index = n;
                    g_registry.shards[n] = s;
                    g_registry.shard_count.store(n + 1, std::memory_order_release);
                }
            }
        }
    }
    if (s) {
        s->lock.lock(); // adopt it: owner sections start after this (see lock elision above)
        s->owned.store(true, std::memory_order_seq_cst);
        s->lock.unlock();
        t.home = s;
        t.tail_word = tail_word_for(static_cast<std::uint16_t>(t.thread));
        t.home_tag = s->index + 1;
        // A reused shard holds older blocks; fresh numbers for this thread keep its list ordered.
        t.seq_next = t.seq_end = 0;
        // The C library may allocate here (the second level of its key table, for keys past 32):
        // through leakguard's own malloc, as leakguard's bookkeeping - unlinked, never counted.
        ++t.busy;
        pthread_setspecific(g_registry.exit_key, s);
        --t.busy;
    }
    return s;
}

// The next sequence number for this thread (see seq_chunk).
inline std::uint64_t take_seq(thread_state& t) noexcept {
    std::uint64_t const epoch = g_registry.epoch.load(std::memory_order_acquire);
    if (LEAKGUARD_DETAIL_UNLIKELY(t.seq_next == t.seq_end || epoch != t.seq_epoch)) {
        t.seq_epoch = epoch;
        t.seq_next = g_registry.next_seq.fetch_add(seq_chunk, std::memory_order_acq_rel) + 1;
        t.seq_end = t.seq_next + seq_chunk;
    }
    return t.seq_next++;
}

// A scope's start: every block allocated after this call (as far as the caller's thread can tell)
// has a larger sequence number.
inline std::uint64_t begin_epoch() noexcept {
    std::uint64_t const start = g_registry.next_seq.fetch_add(1, std::memory_order_acq_rel) + 1;
    g_registry.epoch.fetch_add(1, std::memory_order_acq_rel);
    return start;
}

// Byte accounting for peak_bytes across threads. Each shard knows its own peak exactly (kept under
// its lock), which is the process's peak while one thread allocates. Across threads, each thread
// adds its net change to the global count in batches of 1 MiB (flush_batch), so no atomic
// operation runs per allocation; the global peak then lags the true one by at most 1 MiB per
// thread. (Smaller batches made every new/delete pair of a batch's size two atomic
// read-modify-writes, a large part of the pair's time.)
constexpr std::int64_t flush_batch = std::int64_t(1) << 20;
LEAKGUARD_DETAIL_NOINLINE inline void flush_bytes(thread_state& t) noexcept {
    std::int64_t const live =
        g_registry.live_bytes.fetch_add(t.pending_bytes, std::memory_order_relaxed) + t.pending_bytes;
    t.pending_bytes = 0;
    std::int64_t peak = g_registry.peak_bytes.load(std::memory_order_relaxed);
    while (live > peak && !g_registry.peak_bytes.compare_exchange_weak(peak, live, std::memory_order_relaxed)) {}
}
LEAKGUARD_DETAIL_ALWAYS_INLINE void account_bytes(thread_state& t, std::int64_t delta) noexcept {
    std::int64_t const pending = t.pending_bytes + delta;
    t.pending_bytes = pending;
    // |pending| >= flush_batch, in one compare
    if (LEAKGUARD_DETAIL_UNLIKELY(static_cast<std::uint64_t>(pending + (flush_batch - 1)) >
                                  static_cast<std::uint64_t>(2 * (flush_batch - 1))))
        flush_bytes(t);
}

} // namespace detail
} // namespace leakguard

#endif
// #include "leakguard/detail/capture/stack_capture.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// capture/stack_capture.hpp: the return addresses of the current call stack, taken from inside
// operator new. Three ways:
//
//   automatic      (the default, x86-64 with glibc 2.35+) frame pointers where the code is known
//                  to keep them, the call frame information of .eh_frame elsewhere, with each
//                  return address's step rule cached (cfi_unwind.hpp): complete stacks through
//                  libstdc++, libc and any library built without frame pointers, at close to the
//                  cost of a frame-pointer walk. Elsewhere it is the frame-pointer walk below,
//                  kept to the module the start-up probe found built with frame pointers.
//   frame_pointer  follows the chain of saved frame pointers (x86-64 and AArch64: each frame
//                  record is {caller's frame pointer, return address}). A handful of loads per
//                  frame, but only as good as the code it walks: a function built without frame
//                  pointers (GCC and Clang at -O1 and above unless -fno-omit-frame-pointer;
//                  Debian's libc and libstdc++) either leaves the register alone, so its caller
//                  is silently skipped, or uses it as a general register, so the chain ends on a
//                  junk value. Every link is therefore checked before it is read: inside the
//                  current thread's stack, above the previous link, 8-byte aligned, and the walk
//                  never takes more than `max` links. A junk value can end the walk or add a
//                  junk address to the stack, never make it read outside the stack.
//   libgcc         _Unwind_Backtrace, which reads the .eh_frame unwind tables every x86-64 and
//                  AArch64 object has by default: correct through code without frame pointers,
//                  at a higher cost per frame. With GCC 12 on glibc 2.35+ (this platform) it
//                  finds a module's tables through _dl_find_object, which takes no lock and does
//                  not allocate; it locks (and mallocs) only for tables registered at run time
//                  with __register_frame_info (JIT compilers). It never calls operator new.
//
// Nothing here allocates through operator new. The frame-pointer walk needs the bounds of the
// thread's stack, taken once per thread from pthread_getattr_np: for a thread made by
// pthread_create that copies fields of its descriptor; for the initial thread glibc reads
// /proc/self/maps through stdio, which mallocs - raw malloc, never operator new, so it cannot
// recurse into leakguard. The alternative, __libc_stack_end or a local's address as the top, is
// no cheaper after the first call and is wrong for the initial thread's child after fork()
// from another thread (that child runs on the forking thread's stack) and for threads whose
// stack is far from the initial one.
#ifndef LEAKGUARD_DETAIL_CAPTURE_STACK_CAPTURE_HPP_INCLUDED
#define LEAKGUARD_DETAIL_CAPTURE_STACK_CAPTURE_HPP_INCLUDED

#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1 // pthread_getattr_np
#endif
#include <atomic>    // std::atomic
#include <cstddef>   // std::size_t
#include <cstdint>   // std::uintptr_t
#include <link.h>    // dl_iterate_phdr, ElfW
#include <pthread.h> // pthread_getattr_np, pthread_attr_getstack
#include <unwind.h>  // _Unwind_Backtrace (libgcc_s, linked into every C++ program by g++/clang++)

// #include "leakguard/detail/capture/cfi_unwind.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// capture/cfi_unwind.hpp: the stack walk through code with and without frame pointers (x86-64).
//
// The walk keeps three registers of each frame - the return address (pc), the stack pointer (sp,
// the callee's CFA) and the frame pointer (fp) - and steps from a frame to its caller by:
//   - the frame-pointer record {saved fp, return address} at fp, in code known to keep frame
//     pointers (the module the start-up probe found built with them, less the functions its
//     tables say do not: fp_marks.hpp): two loads;
//   - otherwise the frame's step rule (step_cache.hpp), read once per return address from the
//     module's .eh_frame (eh_frame_index.hpp, cfi_parse.hpp): CFA = sp or fp + offset, the return
//     address at CFA - 8, the caller's fp unchanged or saved below the CFA;
//   - a rule that cannot be put that way (a CFA computed by a DWARF expression, as in functions
//     that realign the stack; a module without tables) falls back to the frame-pointer record;
//     a signal frame, or a return address the tables call undefined (_start, a thread's clone),
//     ends the stack, as does a pc in no module at all.
// Every stack slot read is checked first to lie between the current sp and the top of the
// thread's stack, and each step must move sp up: a junk value can end the walk or add a junk
// frame, never make it read outside the stack or loop. Reads of the tables are bounded by their
// module's segment. Nothing allocates; the step cache and _dl_find_object take no lock.
//
// The walk starts from the frame record of the operator that was called (its
// __builtin_frame_address(0), which makes the compiler give it one): on x86-64 that record sits
// at CFA - 16, so the caller's sp is the record + 16 and its fp the saved word. Without it, the
// walk starts from its own record and steps until it meets `first`.
#ifndef LEAKGUARD_DETAIL_CAPTURE_CFI_UNWIND_HPP_INCLUDED
#define LEAKGUARD_DETAIL_CAPTURE_CFI_UNWIND_HPP_INCLUDED

#include <cstddef> // std::size_t
#include <cstdint> // std::uintptr_t, std::uint64_t

// #include "leakguard/detail/capture/cfi_parse.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// capture/cfi_parse.hpp: how to step out of one frame, read from the call frame information every
// x86-64 object carries for exceptions (.eh_frame, DWARF's CFI in GNU's encoding).
//
// A frame's CIE and FDE hold a little program (DW_CFA_*) that says, for each address of a
// function, where its caller's registers are: the CFA (the stack pointer the caller had before
// the call) as a register plus an offset, and each saved register at an offset from the CFA. The
// stack walk needs three of them: the CFA, the return address and the frame pointer (which the
// caller may use as its own CFA base, and which the next frame with frame pointers continues
// from). This file decodes the CIE and FDE and runs the program up to an address, keeping only
// those three rules; everything else the program says is read past. A rule the walk could not
// apply from three words (a CFA computed by a DWARF expression, a CFA based on another register,
// a return address kept anywhere but just below the CFA) makes the step "not expressible", and
// the walk does what it can without it (cfi_unwind.hpp).
//
// Every read goes through cfi_reader, bounded by the memory the caller proved mapped (the module's
// segment that holds the tables): a corrupt or hostile table makes a lookup fail, never read
// outside those bounds, and every loop is bounded by the bytes it reads. Nothing here allocates.
#ifndef LEAKGUARD_DETAIL_CAPTURE_CFI_PARSE_HPP_INCLUDED
#define LEAKGUARD_DETAIL_CAPTURE_CFI_PARSE_HPP_INCLUDED

#include <cstddef> // std::size_t
#include <cstdint> // std::uint8_t, std::int64_t, std::uintptr_t
#include <cstring> // std::memcpy

// #include "leakguard/detail/config.hpp" (inlined)

namespace leakguard {
namespace detail {

// DWARF register numbers of the registers the walk follows.
#if defined(__aarch64__)
constexpr unsigned cfi_reg_fp = 29, cfi_reg_sp = 31, cfi_reg_ra = 30;
#else // x86-64
constexpr unsigned cfi_reg_fp = 6, cfi_reg_sp = 7, cfi_reg_ra = 16;
#endif

// Reads little-endian fields, LEB128 numbers and pointers in GNU's encodings (DW_EH_PE_*) from
// [p, end). Once a read would pass `end`, ok is false and every later read yields 0.
struct cfi_reader {
    const unsigned char* p;
    const unsigned char* end;
    bool ok;

    cfi_reader(const unsigned char* from, const unsigned char* to) noexcept : p(from), end(to), ok(from <= to) {}

    bool has(std::size_t n) noexcept {
        if (ok && static_cast<std::size_t>(end - p) >= n) return true;
        ok = false;
        return false;
    }
    template <class T>
    T fixed() noexcept {
        T v = 0;
        if (!has(sizeof(T))) return 0;
        std::memcpy(&v, p, sizeof(T)); // little-endian, as every target this builds for
        p += sizeof(T);
        return v;
    }
    std::uint8_t u8() noexcept { return fixed<std::uint8_t>(); }
    std::uint64_t uleb() noexcept {
        std::uint64_t v = 0;
        for (unsigned shift = 0;; shift += 7) {
            if (!has(1)) return 0;
            unsigned char const b = *p++;
            if (shift < 64) v |= std::uint64_t(b & 0x7f) << shift;
            if (!(b & 0x80)) return v;
            if (shift > 63) { // longer than any number a table holds: corrupt
                ok = false;
                return 0;
            }
        }
    }
    std::int64_t sleb() noexcept {
        std::uint64_t v = 0;
        unsigned shift = 0;
        for (;; shift += 7) {
            if (!has(1)) return 0;
            unsigned char const b = *p++;
            if (shift < 64) v |= std::uint64_t(b & 0x7f) << shift;
            if (!(b & 0x80)) {
                if (shift + 7 < 64 && (b & 0x40)) v |= ~std::uint64_t(0) << (shift + 7);
                return static_cast<std::int64_t>(v);
            }
            if (shift > 63) {
                ok = false;
                return 0;
            }
        }
    }
    void skip(std::uint64_t n) noexcept {
        if (has(static_cast<std::size_t>(n)) && n <= static_cast<std::uint64_t>(end - p)) p += n;
        else ok = false;
    }
    // A pointer in encoding `enc`: the value format in the low nibble, what it is relative to in
    // the next three bits (pc-relative: to the field's own address; data-relative: to `data_base`,
    // the .eh_frame_hdr section). Indirect pointers are not followed (the walk needs none).
    std::uintptr_t pointer(std::uint8_t enc, std::uintptr_t data_base = 0) noexcept {
        if (enc == 0xff) return 0; // DW_EH_PE_omit
        std::uintptr_t const field = reinterpret_cast<std::uintptr_t>(p);
        std::uint64_t v = 0;
        switch (enc & 0x0f) {
        case 0x00: v = fixed<std::uint64_t>(); break; // absptr (8 bytes on the 64-bit targets)
        case 0x01: v = uleb(); break;
        case 0x02: v = fixed<std::uint16_t>(); break;
        case 0x03: v = fixed<std::uint32_t>(); break;
        case 0x04: v = fixed<std::uint64_t>(); break;
        case 0x09: v = static_cast<std::uint64_t>(sleb()); break;
        case 0x0a: v = static_cast<std::uint64_t>(static_cast<std::int64_t>(fixed<std::int16_t>())); break;
        case 0x0b: v = static_cast<std::uint64_t>(static_cast<std::int64_t>(fixed<std::int32_t>())); break;
        case 0x0c: v = fixed<std::uint64_t>(); break;
        default: ok = false; return 0;
        }
        switch (enc & 0x70) {
        case 0x00: break;
        case 0x10: v += field; break;
        case 0x30: v += data_base; break;
        default: ok = false; return 0; // textrel, funcrel, aligned: not in .eh_frame on Linux
        }
        return static_cast<std::uintptr_t>(v);
    }
};

// One register's rule, as far as the walk cares.
struct cfi_reg_rule {
    enum : unsigned char {
        same,      // unchanged by the function (or never mentioned)
        offset,    // saved at CFA + off
        undefined, // not recoverable: for the return address, the outermost frame
        other,     // anything else (in a register, an expression, CFA + off as a value)
    };
    unsigned char how;
    std::int64_t off;
};

// The rules at one address: what the walk needs to step to the caller.
struct cfi_row {
    unsigned cfa_reg; // DWARF register number
    std::int64_t cfa_off;
    bool cfa_expression; // DW_CFA_def_cfa_expression: not expressible
    cfi_reg_rule fp;
    cfi_reg_rule ra;
};

// What a CIE says that its FDEs need.
struct cfi_cie {
    std::uint64_t code_align;
    std::int64_t data_align;
    unsigned ra_reg;
    std::uint8_t fde_enc; // 'R': how the FDE's addresses are encoded
    bool has_aug_data;    // 'z': FDEs carry an augmentation length
    bool signal_frame;    // 'S': the frame of a signal handler's trampoline
    const unsigned char* insns;
    const unsigned char* insns_end;
};

// Reads the length of a CIE or FDE at `r.p` (4 bytes, or 12 for the 64-bit form) and sets `end`
// to the end of the entry. False on a zero length (the terminator) or one past the bounds.
inline bool cfi_entry_bounds(cfi_reader& r, const unsigned char*& end) noexcept {
    std::uint64_t len = r.fixed<std::uint32_t>();
    if (len == 0xffffffffu) len = r.fixed<std::uint64_t>();
    if (!r.ok || len == 0 || len > static_cast<std::uint64_t>(r.end - r.p)) return false;
    end = r.p + len;
    return true;
}

// Parses the CIE at `at`, inside [at, limit). False when it is not a CIE this code understands.
inline bool parse_cie(const unsigned char* at, const unsigned char* limit, cfi_cie& cie) noexcept {
    cfi_reader r(at, limit);
    const unsigned char* end = nullptr;
    if (!cfi_entry_bounds(r, end)) return false;
    r.end = end;
    if (r.fixed<std::uint32_t>() != 0) return false; // the CIE id of .eh_frame
    std::uint8_t const version = r.u8();
    if (version != 1 && version != 3) return false;
    const unsigned char* const aug = r.p;
    std::size_t aug_len = 0;
    for (;; ++aug_len) {
        if (!r.has(aug_len + 1)) return false;
        if (r.p[aug_len] == 0) break;
    }
    r.skip(aug_len + 1);
    cie.code_align = r.uleb();
    cie.data_align = r.sleb();
    cie.ra_reg = version == 1 ? r.u8() : static_cast<unsigned>(r.uleb());
    cie.fde_enc = 0x00; // absptr unless 'R' says otherwise
    cie.has_aug_data = false;
    cie.signal_frame = false;
    if (aug_len > 0) {
        if (aug[0] != 'z') return false; // "eh" and other old forms: not produced for 64-bit code
        cie.has_aug_data = true;
        std::uint64_t const data_len = r.uleb();
        if (!r.has(static_cast<std::size_t>(data_len))) return false;
        const unsigned char* const data_end = r.p + data_len;
        for (std::size_t i = 1; i < aug_len && r.ok; ++i) {
            switch (aug[i]) {
            case 'R': cie.fde_enc = r.u8(); break;
            case 'L': (void)r.u8(); break; // the LSDA's encoding: only exception handling needs it
            case 'P': {                    // the personality routine: read past it
                std::uint8_t const enc = r.u8();
                (void)r.pointer(static_cast<std::uint8_t>(enc & 0x7f));
                break;
            }
            case 'S': cie.signal_frame = true; break;
            case 'B':              // AArch64 pointer authentication with the B key
            case 'G': break;       // AArch64 memory tagging
            default: return false; // unknown: what follows it (an 'R' among them) cannot be read
            }
        }
        if (!r.ok || r.p > data_end) return false;
        r.p = data_end;
    }
    if (!r.ok || cie.code_align == 0) return false;
    cie.insns = r.p;
    cie.insns_end = end;
    return true;
}

// The FDE at `fde` (inside [lo, hi), the memory proved readable): the CIE it points to, the range
// of addresses it covers and its instructions.
struct cfi_fde {
    cfi_cie cie;
    std::uintptr_t pc_begin;
    std::uintptr_t pc_end;
    const unsigned char* insns;
    const unsigned char* insns_end;
};

inline bool parse_fde(const unsigned char* fde, const unsigned char* lo, const unsigned char* hi,
                      cfi_fde& out) noexcept {
    if (fde < lo || fde >= hi) return false;
    cfi_reader r(fde, hi);
    const unsigned char* end = nullptr;
    if (!cfi_entry_bounds(r, end)) return false;
    r.end = end;
    const unsigned char* const id_field = r.p;
    std::uint32_t const cie_offset = r.fixed<std::uint32_t>();
    if (!r.ok || cie_offset == 0) return false; // a CIE, not an FDE
    // The CIE lies cie_offset bytes before the field; it must stay inside the bounds.
    if (cie_offset > static_cast<std::uintptr_t>(id_field - lo)) return false;
    if (!parse_cie(id_field - cie_offset, hi, out.cie)) return false;
    out.pc_begin = r.pointer(out.cie.fde_enc);
    std::uintptr_t const range = r.pointer(static_cast<std::uint8_t>(out.cie.fde_enc & 0x0f)); // a length
    out.pc_end = out.pc_begin + range;
    if (out.cie.has_aug_data) r.skip(r.uleb());
    if (!r.ok || out.pc_end < out.pc_begin) return false;
    out.insns = r.p;
    out.insns_end = end;
    return true;
}

// The CFA program's interpreter, for the three rules. `initial` is the row after the CIE's
// instructions (what DW_CFA_restore goes back to).
class cfi_machine {
public:
    static constexpr int max_remembered = 8; // DW_CFA_remember_state nesting kept

    // Runs [p, end) from address `loc` while the location stays at or below `target`. `row` is
    // updated in place. False on an instruction it cannot read past or a state stack overflow.
    static bool run(const unsigned char* p, const unsigned char* end, const cfi_cie& cie, std::uintptr_t loc,
                    std::uintptr_t target, cfi_row& row, const cfi_row& initial) noexcept {
        cfi_reader r(p, end);
        cfi_row saved[max_remembered];
        int depth = 0;
        while (r.ok && r.p < r.end) {
            std::uint8_t const op = r.u8();
            std::uint64_t advance = 0;
            switch (op >> 6) {
            case 1: advance = op & 0x3f; break; // DW_CFA_advance_loc
            case 2:                             // DW_CFA_offset
                set_offset(row, op & 0x3f, static_cast<std::int64_t>(r.uleb()) * cie.data_align);
                continue;
            case 3: restore(row, initial, op & 0x3f); continue; // DW_CFA_restore
            default: break;
            }
            if (op >> 6 == 0) {
                switch (op) {
                case 0x00: break; // nop
                case 0x01: {      // set_loc
                    std::uintptr_t const to = r.pointer(cie.fde_enc);
                    if (to > target) return r.ok;
                    loc = to;
                    break;
                }
                case 0x02: advance = r.u8(); break;
                case 0x03: advance = r.fixed<std::uint16_t>(); break;
                case 0x04: advance = r.fixed<std::uint32_t>(); break;
                case 0x05: { // offset_extended
                    std::uint64_t const reg = r.uleb();
                    set_offset(row, reg, static_cast<std::int64_t>(r.uleb()) * cie.data_align);
                    break;
                }
                case 0x06: restore(row, initial, r.uleb()); break;                  // restore_extended
                case 0x07: set_rule(row, r.uleb(), cfi_reg_rule::undefined); break; // undefined
                case 0x08: set_rule(row, r.uleb(), cfi_reg_rule::same); break;      // same_value
                case 0x09:                                                          // register
                    set_rule(row, r.uleb(), cfi_reg_rule::other);
                    (void)r.uleb();
                    break;
                case 0x0a: // remember_state
                    if (depth == max_remembered) return false;
                    saved[depth++] = row;
                    break;
                case 0x0b: // restore_state
                    if (depth == 0) return false;
                    row = saved[--depth];
                    break;
                case 0x0c: // def_cfa
                    row.cfa_reg = static_cast<unsigned>(r.uleb());
                    row.cfa_off = static_cast<std::int64_t>(r.uleb());
                    row.cfa_expression = false;
                    break;
                case 0x0d: // def_cfa_register
                    row.cfa_reg = static_cast<unsigned>(r.uleb());
                    row.cfa_expression = false;
                    break;
                case 0x0e: row.cfa_off = static_cast<std::int64_t>(r.uleb()); break; // def_cfa_offset
                case 0x0f:                                                           // def_cfa_expression
                    row.cfa_expression = true;
                    r.skip(r.uleb());
                    break;
                case 0x10: // expression
                case 0x16: // val_expression
                    set_rule(row, r.uleb(), cfi_reg_rule::other);
                    r.skip(r.uleb());
                    break;
                case 0x11: { // offset_extended_sf
                    std::uint64_t const reg = r.uleb();
                    set_offset(row, reg, r.sleb() * cie.data_align);
                    break;
                }
                case 0x12: // def_cfa_sf
                    row.cfa_reg = static_cast<unsigned>(r.uleb());
                    row.cfa_off = r.sleb() * cie.data_align;
                    row.cfa_expression = false;
                    break;
                case 0x13: row.cfa_off = r.sleb() * cie.data_align; break; // def_cfa_offset_sf
                case 0x14:                                                 // val_offset
                    set_rule(row, r.uleb(), cfi_reg_rule::other);
                    (void)r.uleb();
                    break;
                case 0x15: // val_offset_sf
                    set_rule(row, r.uleb(), cfi_reg_rule::other);
                    (void)r.sleb();
                    break;
                case 0x2e: (void)r.uleb(); break; // GNU_args_size: for landing pads only
                case 0x2f: {                      // GNU_negative_offset_extended
                    std::uint64_t const reg = r.uleb();
                    set_offset(row, reg, -static_cast<std::int64_t>(r.uleb()) * cie.data_align);
                    break;
                }
                default: return false; // vendor extensions (AArch64's negate_ra_state among them)
                }
            }
            if (advance) {
                std::uint64_t const step = advance * cie.code_align;
                if (step > target - loc) return r.ok; // the next row starts past the target
                loc += static_cast<std::uintptr_t>(step);
            }
        }
        return r.ok;
    }

private:
    static void set_rule(cfi_row& row, std::uint64_t reg, unsigned char how) noexcept {
        if (reg == cfi_reg_fp) row.fp.how = how;
        else if (reg == cfi_reg_ra) row.ra.how = how;
    }
    static void set_offset(cfi_row& row, std::uint64_t reg, std::int64_t off) noexcept {
        cfi_reg_rule* rule = reg == cfi_reg_fp ? &row.fp : reg == cfi_reg_ra ? &row.ra : nullptr;
        if (!rule) return;
        rule->how = cfi_reg_rule::offset;
        rule->off = off;
    }
    static void restore(cfi_row& row, const cfi_row& initial, std::uint64_t reg) noexcept {
        if (reg == cfi_reg_fp) row.fp = initial.fp;
        else if (reg == cfi_reg_ra) row.ra = initial.ra;
    }
};

// The rules in effect at `pc` (an address inside the FDE's range; for a return address, pass the
// address before it, the call's last byte). False when the CIE's or FDE's program cannot be read.
inline bool cfi_row_at(const cfi_fde& fde, std::uintptr_t pc, cfi_row& row) noexcept {
    if (pc < fde.pc_begin || pc >= fde.pc_end) return false;
    cfi_row initial;
    initial.cfa_reg = cfi_reg_sp;
    initial.cfa_off = 0;
    initial.cfa_expression = false;
    initial.fp.how = cfi_reg_rule::same;
    initial.fp.off = 0;
    initial.ra.how = cfi_reg_rule::same;
    initial.ra.off = 0;
    // The CIE's instructions set up the row every FDE starts from: run them all.
    if (!cfi_machine::run(fde.cie.insns, fde.cie.insns_end, fde.cie, 0, ~std::uintptr_t(0), initial, initial))
        return false;
    row = initial;
    return cfi_machine::run(fde.insns, fde.insns_end, fde.cie, fde.pc_begin, pc, row, initial);
}

} // namespace detail
} // namespace leakguard

#endif
// #include "leakguard/detail/capture/eh_frame_index.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// capture/eh_frame_index.hpp: the FDE that covers an address, found through the module's
// .eh_frame_hdr - the sorted table of {function start, FDE} pairs the linker writes for the C++
// runtime's unwinder (--eh-frame-hdr, the default of every Linux linker).
//
// The module that holds an address comes from glibc's _dl_find_object (2.35+): it takes no lock
// and does not allocate, so it can run inside malloc, in a signal handler, or while another
// thread is inside dlopen or dlclose - where dl_iterate_phdr would take the loader's lock. It
// gives the module's mapping and its PT_GNU_EH_FRAME segment (the .eh_frame_hdr); the reads of
// the tables are bounded by the PT_LOAD segment that holds them, taken from the module's program
// headers, which the first page of its mapping holds (the ELF header is mapped with the first
// segment; it is checked before it is believed). Without _dl_find_object (an older C library) the
// index is not available and the walk keeps to frame pointers (cfi_unwind.hpp).
//
// This runs only when the step cache (step_cache.hpp) has no rule for an address: once per
// return address, not once per allocation.
#ifndef LEAKGUARD_DETAIL_CAPTURE_EH_FRAME_INDEX_HPP_INCLUDED
#define LEAKGUARD_DETAIL_CAPTURE_EH_FRAME_INDEX_HPP_INCLUDED

#include <cstddef> // std::size_t
#include <cstdint> // std::uintptr_t, std::int32_t
#include <cstring> // std::memcpy
#include <dlfcn.h> // _dl_find_object, DLFO_EH_SEGMENT_TYPE (glibc 2.35+)
#include <elf.h>   // Elf64_Ehdr, Elf64_Phdr, PT_LOAD, PT_GNU_EH_FRAME
#include <link.h>  // struct link_map

// #include "leakguard/detail/capture/cfi_parse.hpp" (inlined)
// #include "leakguard/detail/config.hpp" (inlined)

#if defined(__x86_64__) && defined(__GLIBC__) && defined(DLFO_EH_SEGMENT_TYPE)
#define LEAKGUARD_DETAIL_HAVE_EH_FRAME_INDEX 1
#else
#define LEAKGUARD_DETAIL_HAVE_EH_FRAME_INDEX 0
#endif

namespace leakguard {
namespace detail {

// A module's unwind tables: its .eh_frame_hdr, and the bounds every read of them must stay in.
struct eh_frame_tables {
    const unsigned char* hdr;
    const unsigned char* lo; // the PT_LOAD segment that holds hdr
    const unsigned char* hi;
};

// Finds the .eh_frame_hdr of the table at `hdr` bounded by [lo, hi) given, and returns the FDE
// that may cover `pc` (the one with the greatest start not above pc), or null. The table must be
// in the encoding every Linux linker writes (4-byte offsets from the header, sorted): anything
// else, or an entry outside the bounds, is no answer.
inline const unsigned char* find_fde(const eh_frame_tables& t, std::uintptr_t pc) noexcept {
    if (!t.hdr || t.hdr < t.lo || t.hdr >= t.hi) return nullptr;
    cfi_reader r(t.hdr, t.hi);
    std::uint8_t const version = r.u8();
    std::uint8_t const eh_frame_ptr_enc = r.u8();
    std::uint8_t const fde_count_enc = r.u8();
    std::uint8_t const table_enc = r.u8();
    if (!r.ok || version != 1 || table_enc != 0x3b) return nullptr; // DW_EH_PE_datarel | sdata4
    std::uintptr_t const base = reinterpret_cast<std::uintptr_t>(t.hdr);
    (void)r.pointer(eh_frame_ptr_enc, base);
    std::uintptr_t const count = r.pointer(fde_count_enc, base);
    if (!r.ok || count == 0) return nullptr;
    const unsigned char* const table = r.p;
    if (count > static_cast<std::size_t>(t.hi - table) / 8) return nullptr;

    auto start_of = [table, base](std::size_t i) noexcept {
        std::int32_t v;
        std::memcpy(&v, table + 8 * i, 4);
        return base + static_cast<std::uintptr_t>(static_cast<std::intptr_t>(v));
    };
    if (pc < start_of(0)) return nullptr;
    std::size_t lo = 0, hi = count; // the answer is in [lo, hi)
    while (hi - lo > 1) {
        std::size_t const mid = lo + (hi - lo) / 2;
        if (start_of(mid) <= pc) lo = mid;
        else hi = mid;
    }
    std::int32_t off;
    std::memcpy(&off, table + 8 * lo + 4, 4);
    std::uintptr_t const fde = base + static_cast<std::uintptr_t>(static_cast<std::intptr_t>(off));
    if (fde < reinterpret_cast<std::uintptr_t>(t.lo) || fde >= reinterpret_cast<std::uintptr_t>(t.hi)) return nullptr;
    return reinterpret_cast<const unsigned char*>(fde);
}

// The rules at `pc` from the tables: false when no FDE covers it or it cannot be read.
inline bool cfi_row_for(const eh_frame_tables& t, std::uintptr_t pc, cfi_row& row, bool& signal_frame) noexcept {
    const unsigned char* const at = find_fde(t, pc);
    if (!at) return false;
    cfi_fde fde;
    if (!parse_fde(at, t.lo, t.hi, fde)) return false;
    signal_frame = fde.cie.signal_frame;
    return cfi_row_at(fde, pc, row);
}

#if LEAKGUARD_DETAIL_HAVE_EH_FRAME_INDEX

// The tables of the module holding `pc`. Returns 0 when no module holds it (not code: the walk
// ends), 1 when found, 2 when the module has no usable tables (the walk may still go on by frame
// pointers).
inline int find_eh_frame_tables(std::uintptr_t pc, eh_frame_tables& out) noexcept {
    struct dl_find_object found;
    if (_dl_find_object(reinterpret_cast<void*>(pc), &found) != 0) return 0;
    const unsigned char* const hdr = static_cast<const unsigned char*>(found.dlfo_eh_frame);
    if (!hdr || !found.dlfo_link_map) return 2;
    // The program headers, from the ELF header at the start of the mapping: both inside its first
    // page (a mapping starts on a page, so that page is mapped).
    const unsigned char* const image = static_cast<const unsigned char*>(found.dlfo_map_start);
    Elf64_Ehdr eh;
    std::memcpy(&eh, image, sizeof eh);
    if (std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
        eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phoff > 4096 ||
        eh.e_phoff + std::uint64_t(eh.e_phnum) * sizeof(Elf64_Phdr) > 4096)
        return 2;
    std::uintptr_t const bias = found.dlfo_link_map->l_addr;
    std::uintptr_t const h = reinterpret_cast<std::uintptr_t>(hdr);
    bool header_mapped = false;
    out.hdr = nullptr;
    for (unsigned i = 0; i < eh.e_phnum; ++i) {
        Elf64_Phdr ph;
        std::memcpy(&ph, image + eh.e_phoff + i * sizeof(Elf64_Phdr), sizeof ph);
        if (ph.p_type != PT_LOAD || !(ph.p_flags & PF_R)) continue;
        std::uintptr_t const lo = bias + ph.p_vaddr;
        // The segment that maps the file's start is the one the headers were read from.
        if (ph.p_offset == 0 && lo == reinterpret_cast<std::uintptr_t>(image)) header_mapped = true;
        if (h >= lo && h < lo + ph.p_filesz) {
            out.hdr = hdr;
            out.lo = reinterpret_cast<const unsigned char*>(lo);
            out.hi = reinterpret_cast<const unsigned char*>(lo + ph.p_filesz);
        }
    }
    return header_mapped && out.hdr ? 1 : 2;
}

#endif

} // namespace detail
} // namespace leakguard

#endif
// #include "leakguard/detail/capture/fp_marks.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// capture/fp_marks.hpp: which return addresses of the module built with frame pointers are in
// code that keeps them.
//
// The start-up probe proves that leakguard's own unit keeps frame pointers, and the stack walk
// steps through that module's code by the frame record {saved fp, return address} - two loads.
// But a module is linked from more than one unit: a static library built without frame pointers
// (Debian's libgtest.a and libgmock.a are) uses rbp as a general register, and a record read
// through it is junk - a caller skipped, or a walk through words of the stack no frame wrote.
//
// So the first time the walk meets a return address in that module, the address's step rule is
// read from the tables as elsewhere (cfi_unwind.hpp) and the verdict kept in one byte per 16
// bytes of code: "the record is right" (the rule is CFA = fp + 16 with the caller's fp saved at
// CFA - 16, or the module has no tables), or "use the rule" (then kept in the step cache). Two
// functions sharing 16 bytes of code that disagree leave both bits set: "use the rule", right for
// both. A step through code that keeps frame pointers then costs one more load, from a table of
// a sixteenth of the code's size (mapped at start-up, committed only where touched).
#ifndef LEAKGUARD_DETAIL_CAPTURE_FP_MARKS_HPP_INCLUDED
#define LEAKGUARD_DETAIL_CAPTURE_FP_MARKS_HPP_INCLUDED

#include <atomic>  // std::atomic
#include <cstddef> // std::size_t
#include <cstdint> // std::uint64_t, std::uintptr_t

// #include "leakguard/detail/capture/step_cache.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// capture/step_cache.hpp: the step rule of each return address the stack walk has met, so that
// the call frame information (cfi_parse.hpp, eh_frame_index.hpp) is read once per address, not
// once per allocation. A hit is a hash, two loads of one cache line and a compare: close to what a
// frame-pointer step costs.
//
// A rule fits one word (step_rule below): the CFA is the stack or the frame pointer plus an
// offset, the return address is just below the CFA (x86-64's call pushes it there), and the
// caller's frame pointer is unchanged, saved at a distance below the CFA, or unknown. What does
// not fit (a CFA from a DWARF expression or another register, a signal frame) is cached as
// "step by frame pointer" or "end of stack", so it is not looked up again either.
//
// The table: open addressing over 2^16 slots of {address, rule} in pages from mmap (1 MiB of
// address space, committed only where touched), filled with compare-and-swap on the key and
// never locked, so a capture from inside malloc, a signal handler or a fork child can use it. A
// full neighbourhood means the rule is computed again next time: slower, never wrong.
//
// Entries must not outlive their module: a library unloaded by dlclose and another mapped at its
// addresses would get its rules. Every rule carries the generation it was computed in; dlclose
// (interposed by libc/interpose.hpp) bumps the generation before and after the C library's own,
// and drops the table's pages (MADV_DONTNEED: the slots read as empty again), so a rule read from
// a module that went away is never used. A reader checks the key again after reading the rule:
// a slot emptied and refilled for another address in between is not taken for its own.
#ifndef LEAKGUARD_DETAIL_CAPTURE_STEP_CACHE_HPP_INCLUDED
#define LEAKGUARD_DETAIL_CAPTURE_STEP_CACHE_HPP_INCLUDED

#include <atomic>     // std::atomic
#include <cstddef>    // std::size_t
#include <cstdint>    // std::uint64_t, std::uintptr_t
#include <sys/mman.h> // mmap, madvise

// #include "leakguard/detail/config.hpp" (inlined)

namespace leakguard {
namespace detail {

// One step rule, packed:
//   bits 0-1   kind: 0 none (not computed), 1 cfa (the rule below), 2 end of stack, 3 frame pointer
//   bit  2     CFA base: 0 stack pointer, 1 frame pointer
//   bits 3-4   caller's frame pointer: 0 unchanged, 1 saved at CFA - 8 * fp_slot, 2 unknown
//   bits 8-31  CFA offset in bytes (0 to 16 MiB - 1)
//   bits 32-47 fp_slot
//   bits 52-63 generation (its low 12 bits)
namespace step_rule {
constexpr std::uint64_t none = 0, cfa = 1, end = 2, frame_pointer = 3;
constexpr std::uint64_t base_fp = 4;
constexpr std::uint64_t fp_same = 0, fp_saved = 1, fp_unknown = 2;
constexpr unsigned generation_shift = 52;
constexpr std::uint64_t generation_mask = 0xfff;

inline std::uint64_t kind(std::uint64_t r) noexcept { return r & 3u; }
inline bool cfa_from_fp(std::uint64_t r) noexcept { return (r & base_fp) != 0; }
inline std::uint64_t fp_rule(std::uint64_t r) noexcept { return (r >> 3) & 3u; }
inline std::uintptr_t cfa_offset(std::uint64_t r) noexcept { return static_cast<std::uintptr_t>((r >> 8) & 0xffffffu); }
inline std::uintptr_t fp_distance(std::uint64_t r) noexcept {
    return static_cast<std::uintptr_t>((r >> 32) & 0xffffu) * 8;
}
inline std::uint64_t generation_bits(std::uint32_t generation) noexcept {
    return (std::uint64_t(generation) & generation_mask) << generation_shift;
}
inline std::uint64_t with_generation(std::uint64_t r, std::uint32_t generation) noexcept {
    return (r & ~(generation_mask << generation_shift)) | generation_bits(generation);
}
// A CFA rule; kind frame_pointer when the numbers do not fit.
inline std::uint64_t make_cfa(bool from_fp, std::int64_t offset, std::uint64_t fp, std::int64_t fp_offset) noexcept {
    if (offset <= 0 || offset > 0xffffff) return frame_pointer;
    std::uint64_t slot = 0;
    if (fp == fp_saved) {
        // Saved below the CFA, word-aligned (it always is: pushed or stored by the prologue).
        if (fp_offset >= 0 || (-fp_offset) % 8 != 0 || -fp_offset / 8 > 0xffff) return frame_pointer;
        slot = static_cast<std::uint64_t>(-fp_offset / 8);
    }
    return cfa | (from_fp ? base_fp : 0) | (fp << 3) | (static_cast<std::uint64_t>(offset) << 8) | (slot << 32);
}
} // namespace step_rule

struct step_slot {
    std::atomic<std::uintptr_t> key; // the return address; 0 empty
    std::atomic<std::uint64_t> rule; // step_rule with its generation; 0 not written yet
};

constexpr unsigned step_cache_log2 = 16;
constexpr std::size_t step_cache_slots = std::size_t(1) << step_cache_log2;
constexpr std::size_t step_cache_bytes = step_cache_slots * sizeof(step_slot);
constexpr unsigned step_cache_probes = 8;

struct step_cache_state {
    std::atomic<step_slot*> slots;
    std::atomic<std::uint32_t> generation;
    std::atomic<std::uint64_t> misses; // rules computed (for tests and measurements)
};

// Plain data, constant-initialised: usable from the first static constructor.
step_cache_state g_step_cache{};

inline std::size_t step_slot_of(std::uintptr_t pc) noexcept {
    return static_cast<std::size_t>((static_cast<std::uint64_t>(pc) * 0x9E3779B97F4A7C15ull) >> (64 - step_cache_log2));
}

// The table, mapped on first use (two threads may race: the loser unmaps its own). Null when mmap
// fails: then every rule is computed each time.
inline step_slot* step_cache_table() noexcept {
    step_slot* s = g_step_cache.slots.load(std::memory_order_acquire);
    if (LEAKGUARD_DETAIL_LIKELY(s != nullptr)) return s;
    void* mem =
        ::mmap(nullptr, step_cache_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (mem == MAP_FAILED) return nullptr;
    step_slot* fresh = static_cast<step_slot*>(mem); // zero pages: empty keys and rules
    if (g_step_cache.slots.compare_exchange_strong(s, fresh, std::memory_order_acq_rel)) return fresh;
    ::munmap(mem, step_cache_bytes);
    return s;
}

// The cached rule of `pc` in generation `generation`, or step_rule::none.
LEAKGUARD_DETAIL_ALWAYS_INLINE std::uint64_t step_cache_find(const step_slot* slots, std::uintptr_t pc,
                                                             std::uint32_t generation) noexcept {
    std::size_t i = step_slot_of(pc);
    for (unsigned probe = 0; probe < step_cache_probes; ++probe, i = (i + 1) & (step_cache_slots - 1)) {
        std::uintptr_t const k = slots[i].key.load(std::memory_order_acquire);
        if (k == pc) {
            std::uint64_t const r = slots[i].rule.load(std::memory_order_acquire);
            if (slots[i].key.load(std::memory_order_relaxed) != pc) return step_rule::none;
            if ((r >> step_rule::generation_shift) != (generation & step_rule::generation_mask)) return step_rule::none;
            return r;
        }
        if (k == 0) return step_rule::none;
    }
    return step_rule::none;
}

// Records `rule` (with its generation) for `pc`; drops it when the neighbourhood is full.
inline void step_cache_store(step_slot* slots, std::uintptr_t pc, std::uint64_t rule) noexcept {
    std::size_t i = step_slot_of(pc);
    for (unsigned probe = 0; probe < step_cache_probes; ++probe, i = (i + 1) & (step_cache_slots - 1)) {
        std::uintptr_t k = slots[i].key.load(std::memory_order_acquire);
        if (k == 0) {
            if (slots[i].key.compare_exchange_strong(k, pc, std::memory_order_acq_rel)) k = pc;
        }
        if (k == pc) {
            slots[i].rule.store(rule, std::memory_order_release);
            return;
        }
    }
}

inline std::uint32_t step_cache_generation() noexcept {
    return g_step_cache.generation.load(std::memory_order_acquire);
}

// Forgets every rule: for a module about to be unloaded (before dlclose) and one just unloaded
// (after). A rule computed in between carries the middle generation, which the second call ends.
inline void forget_step_rules() noexcept {
    g_step_cache.generation.fetch_add(1, std::memory_order_acq_rel);
    if (step_slot* s = g_step_cache.slots.load(std::memory_order_acquire))
        ::madvise(static_cast<void*>(s), step_cache_bytes, MADV_DONTNEED);
}

} // namespace detail
} // namespace leakguard

#endif
// #include "leakguard/detail/config.hpp" (inlined)
// #include "leakguard/detail/core/pages.hpp" (inlined)

namespace leakguard {
namespace detail {

// A byte's bits (0: not looked at yet).
constexpr unsigned char fp_mark_record = 1; // the frame record is right here
constexpr unsigned char fp_mark_rule = 2;   // step by the rule from the tables
constexpr unsigned fp_mark_granule_log2 = 4;

// The table for code [lo, hi): zero bytes, or null when mmap fails (the walk then trusts the
// records, as it did before the table existed).
inline std::atomic<unsigned char>* map_fp_marks(std::uintptr_t lo, std::uintptr_t hi) noexcept {
    if (hi <= lo) return nullptr;
    void* mem = map_pages(static_cast<std::size_t>(((hi - lo) >> fp_mark_granule_log2) + 1), true);
    return static_cast<std::atomic<unsigned char>*>(mem);
}

// Whether step rule `rule` takes the same step as the frame record: what a function that keeps
// frame pointers has after its prologue (a return address is never inside a prologue).
inline bool rule_is_frame_record(std::uint64_t rule) noexcept {
    switch (step_rule::kind(rule)) {
    case step_rule::frame_pointer:
    case step_rule::none: return true;
    case step_rule::cfa:
        return step_rule::cfa_from_fp(rule) && step_rule::cfa_offset(rule) == 2 * sizeof(void*) &&
               step_rule::fp_rule(rule) == step_rule::fp_saved && step_rule::fp_distance(rule) == 2 * sizeof(void*);
    default: return false;
    }
}

// Records the verdict on `rule` in `mark` (the byte of its granule).
inline void note_fp_mark(std::atomic<unsigned char>& mark, std::uint64_t rule) noexcept {
    mark.fetch_or(rule_is_frame_record(rule) ? fp_mark_record : fp_mark_rule, std::memory_order_relaxed);
}

} // namespace detail
} // namespace leakguard

#endif
// #include "leakguard/detail/capture/step_cache.hpp" (inlined)
// #include "leakguard/detail/config.hpp" (inlined)

#define LEAKGUARD_DETAIL_HAVE_CFI_WALK LEAKGUARD_DETAIL_HAVE_EH_FRAME_INDEX

namespace leakguard {
namespace detail {

// A row as a step rule (see step_cache.hpp), or how the walk copes without one.
inline std::uint64_t step_rule_of(const cfi_row& row, bool signal_frame) noexcept {
    if (signal_frame) return step_rule::end; // the interrupted context's registers: not followed
    if (row.ra.how == cfi_reg_rule::undefined) return step_rule::end;
    if (row.cfa_expression || (row.cfa_reg != cfi_reg_sp && row.cfa_reg != cfi_reg_fp)) return step_rule::frame_pointer;
    if (row.ra.how != cfi_reg_rule::offset || row.ra.off != -static_cast<std::int64_t>(sizeof(void*)))
        return step_rule::frame_pointer;
    std::uint64_t fp = step_rule::fp_same;
    if (row.fp.how == cfi_reg_rule::offset) fp = step_rule::fp_saved;
    else if (row.fp.how != cfi_reg_rule::same) fp = step_rule::fp_unknown;
    return step_rule::make_cfa(row.cfa_reg == cfi_reg_fp, row.cfa_off, fp, row.fp.off);
}

// The step rule of `pc` (a return address) worked out from its module's tables, without its
// generation: step_rule::none when no module holds pc.
inline std::uint64_t compute_step_rule(std::uintptr_t pc) noexcept {
#if LEAKGUARD_DETAIL_HAVE_EH_FRAME_INDEX
    eh_frame_tables t = {nullptr, nullptr, nullptr};
    int const found = find_eh_frame_tables(pc, t);
    if (found == 0) return step_rule::none;
    if (found == 2) return step_rule::frame_pointer;
    cfi_row row;
    bool signal_frame = false;
    // The call is the instruction before the return address: its row is the one in effect
    // during the call (the return address may already be the next function's first byte when
    // the call does not return).
    if (!cfi_row_for(t, pc - 1, row, signal_frame)) return step_rule::frame_pointer;
    return step_rule_of(row, signal_frame);
#else
    (void)pc;
    return step_rule::none;
#endif
}

struct unwind_regs {
    std::uintptr_t pc;
    std::uintptr_t sp;
    std::uintptr_t fp;
};

// What the walk needs besides the registers: the stack's top, the code that keeps frame pointers,
// the step cache and its generation.
struct cfi_walk_context {
    std::uintptr_t hi;
    std::uintptr_t fp_code_lo;
    std::uintptr_t fp_code_hi;
    std::atomic<unsigned char>* fp_marks; // null: every record in [fp_code_lo, fp_code_hi) trusted
    step_slot* slots;                     // null: no cache (every rule computed)
    std::uint32_t generation;
};

// One step by the frame-pointer record at r.fp. False when fp cannot be a record of this frame.
LEAKGUARD_DETAIL_NO_SANITIZE_MEMORY LEAKGUARD_DETAIL_ALWAYS_INLINE bool
step_by_frame_pointer(unwind_regs& r, std::uintptr_t hi) noexcept {
    std::uintptr_t const fp = r.fp;
    if ((fp & 7u) != 0 || fp < r.sp || fp > hi - 2 * sizeof(void*)) return false;
    const std::uintptr_t* const record = reinterpret_cast<const std::uintptr_t*>(fp);
    r.pc = record[1];
    r.fp = record[0];
    r.sp = fp + 2 * sizeof(void*);
    return true;
}

// The rule for r.pc: from the cache, or computed and cached.
LEAKGUARD_DETAIL_NOINLINE inline std::uint64_t step_rule_slow(std::uintptr_t pc, cfi_walk_context& c) noexcept {
    g_step_cache.misses.fetch_add(1, std::memory_order_relaxed);
    std::uint64_t const rule = compute_step_rule(pc);
    if (rule == step_rule::none) return rule; // not code: not worth a slot
    std::uint64_t const stamped = step_rule::with_generation(rule, c.generation);
    if (c.slots) step_cache_store(c.slots, pc, stamped);
    return stamped;
}

// One step from r to its caller. False at the end of the stack, or when nothing safe is left.
LEAKGUARD_DETAIL_NO_SANITIZE_MEMORY LEAKGUARD_DETAIL_ALWAYS_INLINE bool step_frame(unwind_regs& r,
                                                                                   cfi_walk_context& c) noexcept {
    std::atomic<unsigned char>* mark = nullptr;
    if (r.pc >= c.fp_code_lo && r.pc < c.fp_code_hi) {
        if (!c.fp_marks) return step_by_frame_pointer(r, c.hi);
        mark = &c.fp_marks[(r.pc - c.fp_code_lo) >> fp_mark_granule_log2];
        unsigned char const m = mark->load(std::memory_order_relaxed);
        if (LEAKGUARD_DETAIL_LIKELY(m == fp_mark_record)) return step_by_frame_pointer(r, c.hi);
        if (m != 0) mark = nullptr; // judged: by the rule
    }
    std::uint64_t rule = c.slots ? step_cache_find(c.slots, r.pc, c.generation) : step_rule::none;
    if (LEAKGUARD_DETAIL_UNLIKELY(rule == step_rule::none)) rule = step_rule_slow(r.pc, c);
    if (LEAKGUARD_DETAIL_UNLIKELY(mark != nullptr)) note_fp_mark(*mark, rule);
    switch (step_rule::kind(rule)) {
    case step_rule::cfa: break;
    case step_rule::frame_pointer: return step_by_frame_pointer(r, c.hi);
    default: return false; // end of stack, or not code
    }
    std::uintptr_t const cfa = (step_rule::cfa_from_fp(rule) ? r.fp : r.sp) + step_rule::cfa_offset(rule);
    // The return address at CFA - 8 must lie in this frame: above sp, below the top.
    if ((cfa & 7u) != 0 || cfa <= r.sp || cfa < r.sp + sizeof(void*) || cfa > c.hi) return false;
    const std::uintptr_t* const slot = reinterpret_cast<const std::uintptr_t*>(cfa);
    std::uintptr_t const pc = slot[-1];
    std::uintptr_t fp = r.fp;
    switch (step_rule::fp_rule(rule)) {
    case step_rule::fp_saved: {
        std::uintptr_t const d = step_rule::fp_distance(rule);
        if (d > cfa - r.sp) return false;
        fp = *reinterpret_cast<const std::uintptr_t*>(cfa - d);
        break;
    }
    case step_rule::fp_unknown: fp = 0; break;
    default: break;
    }
    r.pc = pc;
    r.sp = cfa;
    r.fp = fp;
    return true;
}

#if LEAKGUARD_DETAIL_HAVE_CFI_WALK

// Writes up to `max` return addresses from `first` outwards (see capture_stack); the stack is
// [lo, hi) (the current thread's), code in [fp_lo, fp_hi) is walked by frame pointers.
LEAKGUARD_DETAIL_NO_SANITIZE_MEMORY LEAKGUARD_DETAIL_NOINLINE inline std::size_t
walk_cfi(const void* first, const void* frame, void** out, std::size_t max, std::uintptr_t lo, std::uintptr_t hi,
         std::uintptr_t fp_lo, std::uintptr_t fp_hi, std::atomic<unsigned char>* fp_marks) noexcept {
    out[0] = const_cast<void*>(first);
    if (max < 2) return 1;
    std::uintptr_t const here = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
    // Not on the thread's own stack (a sigaltstack handler, a coroutine or fiber stack): the
    // bounds say nothing about what is mapped around here, so read nothing.
    if (here < lo || here >= hi || hi - lo < 4 * sizeof(void*)) return 1;
    cfi_walk_context c = {hi, fp_lo, fp_hi, fp_marks, step_cache_table(), step_cache_generation()};
    std::uintptr_t const want = reinterpret_cast<std::uintptr_t>(first);

    unwind_regs r;
    std::uintptr_t const f = reinterpret_cast<std::uintptr_t>(frame);
    if (frame && (f & 7u) == 0 && f > here && f <= hi - 2 * sizeof(void*) &&
        reinterpret_cast<const std::uintptr_t*>(f)[1] == want) {
        // The operator's record: the caller's registers at the call.
        r.pc = want;
        r.fp = reinterpret_cast<const std::uintptr_t*>(f)[0];
        r.sp = f + 2 * sizeof(void*);
    } else {
        // From this function's own record, step until `first` comes up (leakguard's frames are
        // a few).
        r.pc = reinterpret_cast<std::uintptr_t>(__builtin_return_address(0));
        r.fp = reinterpret_cast<const std::uintptr_t*>(here)[0];
        r.sp = here + 2 * sizeof(void*);
        int steps = 0;
        while (r.pc != want) {
            if (++steps > 16 || !step_frame(r, c)) return 1;
        }
    }
    std::size_t n = 1;
    while (n < max && step_frame(r, c)) {
        // Below the first page no code lives: the outermost frame's null, or junk.
        if (r.pc < 4096) break;
        out[n++] = reinterpret_cast<void*>(r.pc);
    }
    return n;
}

#endif

} // namespace detail
} // namespace leakguard

#endif
// #include "leakguard/detail/config.hpp" (inlined)

// The architectures whose frame records are {saved frame pointer, return address} at the frame
// pointer, with the stack growing down.
#if defined(__x86_64__) || defined(__aarch64__)
#define LEAKGUARD_DETAIL_HAVE_FRAME_POINTER_WALK 1
#else
#define LEAKGUARD_DETAIL_HAVE_FRAME_POINTER_WALK 0
#endif

namespace leakguard {
namespace detail {

enum class unwinder : unsigned char {
    none,          // only the operator's own return address
    frame_pointer, // saved frame-pointer chain (cheap; needs -fno-omit-frame-pointer code)
    libgcc,        // _Unwind_Backtrace over .eh_frame (correct everywhere; costlier)
    automatic,     // frame pointers within the module built like leakguard's unit, if it has
                   // them (see probe_frame_pointers); the cached CFI walk elsewhere (without
                   // it: libgcc, and allocate.hpp captures only from that module)
    cfi,           // the cached CFI walk for every frame, frame pointers only where CFI has no
                   // rule (tests and measurements; frame_pointer where there is no CFI walk)
};

// The default: automatic. Measured on x86-64 (tests/stacks/measure_capture.cpp), the
// frame-pointer walk costs some 5 ns a frame and libgcc 200-300 ns a frame, but the walk finds
// nothing beyond the first frame in code built with the compilers' default flags, and loses
// the caller of any function built without frame pointers (Debian's libstdc++ and libc), so it
// is used only where it is known to be right: in the module that holds leakguard's
// implementation unit, when a probe at start-up found that unit built with frame pointers. Every
// other frame is stepped over by its cached CFI rule (a few ns a frame once cached).
inline unwinder default_unwinder() noexcept { return unwinder::automatic; }

// The current thread's stack, [lo, hi). state: 0 not asked yet, 1 known, 2 being asked (a
// re-entrant capture from inside pthread_getattr_np must not ask again), 3 unavailable.
struct stack_bounds {
    std::uintptr_t lo;
    std::uintptr_t hi;
    int state;
};

// Plain data in TLS: no constructor or guard runs, and fork() copies it into the child, where
// the forking thread keeps its stack at the same addresses.
static thread_local stack_bounds t_stack_bounds;

// Set at start-up (heap/startup.hpp) to a function that marks this thread busy (+1) and not (-1):
// pthread_getattr_np allocates (the thread's CPU set), and with every C allocation tracked that
// is leakguard's own bookkeeping - unlinked, never counted. Null where only stacks are captured.
std::atomic<void (*)(int)> g_own_allocations{};

inline void own_allocations(void (*hook)(int), int delta) noexcept {
    if (hook) hook(delta);
}

LEAKGUARD_DETAIL_NOINLINE inline void find_stack_bounds(stack_bounds& b) noexcept {
    b.state = 2;
    pthread_attr_t attr;
    void (*const hook)(int) = g_own_allocations.load(std::memory_order_relaxed);
    own_allocations(hook, 1);
    if (pthread_getattr_np(pthread_self(), &attr) != 0) {
        own_allocations(hook, -1);
        b.state = 3;
        return;
    }
    void* addr = nullptr;
    std::size_t size = 0;
    int const rc = pthread_attr_getstack(&attr, &addr, &size);
    pthread_attr_destroy(&attr);
    own_allocations(hook, -1);
    if (rc != 0 || !addr || size == 0) {
        b.state = 3;
        return;
    }
    b.lo = reinterpret_cast<std::uintptr_t>(addr);
    b.hi = b.lo + size;
    b.state = 1;
}

inline const stack_bounds* thread_stack_bounds() noexcept {
    stack_bounds& b = t_stack_bounds;
    if (LEAKGUARD_DETAIL_UNLIKELY(b.state == 0)) find_stack_bounds(b);
    return b.state == 1 ? &b : nullptr;
}

#if LEAKGUARD_DETAIL_HAVE_FRAME_POINTER_WALK

// Whether `fp` may be read as a frame record {next, return address}: 8-byte aligned, above the
// previous record (a chain only goes up the stack; this also ends cycles), and the whole record
// below the top of the stack. Everything between the walker's own frame and the top is mapped
// stack, so a pointer that passes is safe to read whatever it holds.
inline bool plausible_frame(std::uintptr_t fp, std::uintptr_t above, std::uintptr_t hi) noexcept {
    return (fp & 7u) == 0 && fp > above && fp <= hi - 2 * sizeof(void*);
}

// Returns the return addresses from `first` outwards; with a code range, stops after the first
// address outside it (see the loop). `frame`, when not null, is the frame
// address of the function that got `first` from __builtin_return_address(0) (its
// __builtin_frame_address(0), which also makes the compiler give it a frame record); without it,
// the walk starts from its own frame and looks for `first` among the next few return addresses,
// which finds it only when leakguard's own frames have frame pointers.
// Exempt from AddressSanitizer: the walk reads other functions' frames, where redzones may lie.
LEAKGUARD_DETAIL_NO_SANITIZE_MEMORY LEAKGUARD_DETAIL_NOINLINE inline std::size_t
walk_frame_pointers(const void* first, const void* frame, void** out, std::size_t max, std::uintptr_t code_lo = 0,
                    std::uintptr_t code_hi = ~std::uintptr_t(0)) noexcept {
    out[0] = const_cast<void*>(first);
    if (max < 2) return 1;
    const stack_bounds* b = thread_stack_bounds();
    std::uintptr_t const here = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
    // Not on the thread's own stack (a sigaltstack handler, a coroutine or fiber stack): the
    // bounds say nothing about what is mapped around here, so read nothing.
    if (!b || here < b->lo || here >= b->hi) return 1;
    std::uintptr_t const hi = b->hi;

    std::uintptr_t fp = reinterpret_cast<std::uintptr_t>(frame);
    if (!(frame && plausible_frame(fp, here - 1, hi) && reinterpret_cast<void* const*>(fp)[1] == first)) {
        // Find the record whose return address is `first`: the operator's own. A few links at
        // most lie between (this function, the allocator, the operator).
        fp = here;
        std::uintptr_t below = here - 1;
        bool found = false;
        for (int i = 0; i < 16 && plausible_frame(fp, below, hi); ++i) {
            if (reinterpret_cast<void* const*>(fp)[1] == first) {
                found = true;
                break;
            }
            below = fp;
            fp = reinterpret_cast<const std::uintptr_t*>(fp)[0];
        }
        if (!found) return 1;
    }
    // fp is the operator's record; the chain goes on from the frame pointer it saved.
    std::size_t n = 1;
    std::uintptr_t prev = fp;
    fp = reinterpret_cast<const std::uintptr_t*>(fp)[0];
    while (n < max && plausible_frame(fp, prev, hi)) {
        void* const ra = reinterpret_cast<void* const*>(fp)[1];
        // Below the first page no code lives: a junk record (or the null that _start and
        // clone() leave as the outermost return address).
        if (reinterpret_cast<std::uintptr_t>(ra) < 4096) break;
        out[n++] = ra;
        // A return address outside the code known to keep frame pointers is right (its
        // callee's record holds it), but the link beyond it is whatever that code left.
        std::uintptr_t const r = reinterpret_cast<std::uintptr_t>(ra);
        if (r < code_lo || r >= code_hi) break;
        prev = fp;
        fp = reinterpret_cast<const std::uintptr_t*>(fp)[0];
    }
    return n;
}

#endif

struct unwind_walk {
    const void* first;
    void** out;
    std::size_t max;
    std::size_t n;
    unsigned skipped;
};

// libgcc calls this for each frame, innermost first: first the caller of _Unwind_Backtrace
// (leakguard's own frames), then the operator's caller, whose address is `first`.
inline _Unwind_Reason_Code unwind_step(struct _Unwind_Context* context, void* arg) noexcept {
    unwind_walk& w = *static_cast<unwind_walk*>(arg);
    void* const ip = reinterpret_cast<void*>(_Unwind_GetIP(context));
    if (w.n == 0) {
        if (ip != w.first) {
            // Leakguard's own frames are a few; if `first` does not show up, it never will
            // (a caller without unwind tables): stop rather than unwind the whole stack.
            return ++w.skipped < 32 ? _URC_NO_REASON : _URC_END_OF_STACK;
        }
    } else if (!ip) {
        return _URC_END_OF_STACK;
    }
    w.out[w.n++] = ip;
    return w.n < w.max ? _URC_NO_REASON : _URC_END_OF_STACK;
}

LEAKGUARD_DETAIL_NOINLINE inline std::size_t unwind_with_libgcc(const void* first, void** out,
                                                                std::size_t max) noexcept {
    unwind_walk w = {first, out, max, 0, 0};
    _Unwind_Backtrace(unwind_step, &w);
    if (w.n == 0) { // `first` was not found: keep at least what the operator knows
        out[0] = const_cast<void*>(first);
        return 1;
    }
    return w.n;
}

// What the start-up probe found about the module holding leakguard's implementation unit.
struct frame_pointer_module {
    std::atomic<int> state; // 0 not probed, 1 built with frame pointers, 2 without
    std::uintptr_t code_lo; // its executable segment, [code_lo, code_hi)
    std::uintptr_t code_hi;
    std::atomic<unsigned char>* marks; // which of its code keeps them (fp_marks.hpp); may be null
};

frame_pointer_module g_frame_pointer_module{};

// Writes up to `max` return addresses of the current call stack into `out`, innermost first,
// starting with `first` (the operator's __builtin_return_address(0)); frames above it (leakguard's
// own) are dropped. `frame` is the operator's __builtin_frame_address(0), or null (see
// walk_frame_pointers; only the frame-pointer walk uses it). Returns how many were written:
// 0 only when max is 0 or first is null; 1 when the method found nothing beyond `first`.
// Never allocates, never takes a lock (see the top of this file for libgcc's).
inline std::size_t capture_stack(const void* first, const void* frame, void** out, std::size_t max,
                                 unwinder how) noexcept {
    if (max == 0 || !first) return 0;
    if (max == 1 || how == unwinder::none) {
        out[0] = const_cast<void*>(first);
        return 1;
    }
#if LEAKGUARD_DETAIL_HAVE_CFI_WALK
    if (how == unwinder::automatic || how == unwinder::cfi) {
        const stack_bounds* b = thread_stack_bounds();
        if (!b) {
            out[0] = const_cast<void*>(first);
            return 1;
        }
        frame_pointer_module const& m = g_frame_pointer_module;
        bool const fp = how == unwinder::automatic && m.state.load(std::memory_order_acquire) == 1;
        return walk_cfi(first, frame, out, max, b->lo, b->hi, fp ? m.code_lo : 0, fp ? m.code_hi : 0,
                        fp ? m.marks : nullptr);
    }
#endif
#if LEAKGUARD_DETAIL_HAVE_FRAME_POINTER_WALK
    if (how == unwinder::frame_pointer || how == unwinder::cfi) return walk_frame_pointers(first, frame, out, max);
    if (how == unwinder::automatic) {
        frame_pointer_module const& m = g_frame_pointer_module;
        std::uintptr_t const f = reinterpret_cast<std::uintptr_t>(first);
        if (m.state.load(std::memory_order_acquire) == 1 && f >= m.code_lo && f < m.code_hi)
            return walk_frame_pointers(first, frame, out, max, m.code_lo, m.code_hi);
    }
#else
    (void)frame;
#endif
    return unwind_with_libgcc(first, out, max);
}

// The start-up probe: a chain of three functions of this unit, built with the user's flags.
// The last captures its stack both ways; if the frame-pointer walk agrees with libgcc on the
// first three frames, this unit keeps frame pointers. Each call is followed by an empty asm so
// that it is not a tail call (the caller's frame must stay).
LEAKGUARD_DETAIL_NOINLINE inline bool frame_pointer_probe_c(void** walked, void** unwound) noexcept {
    bool same = false;
#if LEAKGUARD_DETAIL_HAVE_FRAME_POINTER_WALK
    const void* const first = __builtin_return_address(0);
    std::size_t const w = walk_frame_pointers(first, __builtin_frame_address(0), walked, 3);
    std::size_t const u = unwind_with_libgcc(first, unwound, 3);
    same = w == 3 && u == 3;
    for (std::size_t i = 0; same && i < 3; ++i) same = walked[i] == unwound[i];
#else
    (void)walked;
    (void)unwound;
#endif
    __asm__ volatile("" : "+r"(same));
    return same;
}
LEAKGUARD_DETAIL_NOINLINE inline bool frame_pointer_probe_b(void** walked, void** unwound) noexcept {
    bool same = frame_pointer_probe_c(walked, unwound);
    __asm__ volatile("" : "+r"(same));
    return same;
}
LEAKGUARD_DETAIL_NOINLINE inline bool frame_pointer_probe_a(void** walked, void** unwound) noexcept {
    bool same = frame_pointer_probe_b(walked, unwound);
    __asm__ volatile("" : "+r"(same));
    return same;
}

struct code_range_search {
    std::uintptr_t address;
    std::uintptr_t lo;
    std::uintptr_t hi;
};

inline int find_code_range(struct dl_phdr_info* info, std::size_t, void* arg) noexcept {
    code_range_search& s = *static_cast<code_range_search*>(arg);
    for (ElfW(Half) i = 0; i < info->dlpi_phnum; ++i) {
        const ElfW(Phdr)& ph = info->dlpi_phdr[i];
        if (ph.p_type != PT_LOAD || !(ph.p_flags & PF_X)) continue;
        std::uintptr_t const lo = info->dlpi_addr + ph.p_vaddr;
        if (s.address >= lo && s.address < lo + ph.p_memsz) {
            s.lo = lo;
            s.hi = lo + ph.p_memsz;
            return 1;
        }
    }
    return 0;
}

// Runs the probe and finds the executable segment of the module it is in. Also runs the
// unwinder once, so its one-time set-up (lazy binding of its symbols, the register table it
// fills under pthread_once) happens here, at leakguard's start-up, rather than inside the first
// allocation of a thread that may be about to fork. dl_iterate_phdr takes the loader's lock:
// call this from start-up, not from inside an allocation.
LEAKGUARD_DETAIL_NOINLINE inline void probe_frame_pointers() noexcept {
    void* walked[3];
    void* unwound[3];
    bool const has = frame_pointer_probe_a(walked, unwound);
    __asm__ volatile("" ::: "memory");
    code_range_search s = {reinterpret_cast<std::uintptr_t>(&frame_pointer_probe_c), 0, 0};
    frame_pointer_module& m = g_frame_pointer_module;
    if (has && dl_iterate_phdr(find_code_range, &s) == 1) {
        m.code_lo = s.lo;
        m.code_hi = s.hi;
#if LEAKGUARD_DETAIL_HAVE_CFI_WALK
        m.marks = map_fp_marks(s.lo, s.hi);
#endif
        m.state.store(1, std::memory_order_release);
    } else {
        m.state.store(2, std::memory_order_release);
    }
}

// For start-up (leakguard's initialise()): the probe, the unwinder's set-up, this thread's
// stack bounds.
inline void warm_up_stack_capture() noexcept {
    if (g_frame_pointer_module.state.load(std::memory_order_acquire) == 0) probe_frame_pointers();
    (void)thread_stack_bounds();
}

// Whether `address` lies in the code of the module the probe found built with frame pointers
// (never true before the probe, or when it found none).
inline bool in_frame_pointer_module(const void* address) noexcept {
    frame_pointer_module const& m = g_frame_pointer_module;
    std::uintptr_t const a = reinterpret_cast<std::uintptr_t>(address);
    return m.state.load(std::memory_order_acquire) == 1 && a >= m.code_lo && a < m.code_hi;
}

// Whether the automatic method takes a stack for an allocation whose caller is `address`: always
// with the CFI walk; without it, only from the module the probe found built with frame pointers
// (elsewhere only libgcc's unwinder would be right, at orders of magnitude the cost).
inline bool automatic_captures(const void* address) noexcept {
#if LEAKGUARD_DETAIL_HAVE_CFI_WALK
    (void)address;
    return true;
#else
    return in_frame_pointer_module(address);
#endif
}

// Whether the automatic method walks frame pointers (for reports and tests).
inline bool frame_pointers_in_use() noexcept {
    return g_frame_pointer_module.state.load(std::memory_order_acquire) == 1;
}

} // namespace detail
} // namespace leakguard

#endif
// #include "leakguard/detail/capture/stack_table.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// capture/stack_table.hpp: interned call stacks. Every block allocated from the same call stack
// shares one stack_record, so a block carries one pointer however deep its stack is, and a
// report groups blocks by comparing pointers.
//
// Design:
// - A chained hash table. A bucket head is an atomic pointer; records are only ever pushed on
//   a head (compare-and-swap) and never changed or freed after that, so a lookup is a few plain
//   loads with no lock and no write: the hit path, which is nearly every allocation of a
//   program that allocates from a settled set of places.
// - Records and the bucket array live in memory from mmap, never from operator new (which is
//   what is being tracked) nor from malloc (whose own accounting would then show leakguard's
//   tables as the program's; valgrind also ignores mmap for its leak report).
// - Lock-free throughout, so fork() needs nothing: a child sees each bucket before or after a
//   push, never in between, and cannot inherit a held lock. A record a parent thread was still
//   filling is unreachable in the child (its memory is wasted, nothing else).
// - Bounded: records come from 1 MiB chunks up to a budget (64 MiB unless set). When it is
//   spent intern_stack returns null for new stacks (known stacks are still found) and the
//   caller keeps the single return address it already has.
#ifndef LEAKGUARD_DETAIL_CAPTURE_STACK_TABLE_HPP_INCLUDED
#define LEAKGUARD_DETAIL_CAPTURE_STACK_TABLE_HPP_INCLUDED

#include <atomic>     // std::atomic
#include <cstddef>    // std::size_t
#include <cstdint>    // std::uint64_t, std::uintptr_t
#include <new>        // placement new (not a replaceable operator)
#include <sys/mman.h> // mmap, munmap

// #include "leakguard/detail/config.hpp" (inlined)

namespace leakguard {
namespace detail {

// One interned stack. The frames follow the record in memory (see frames()).
struct stack_record {
    const stack_record* next; // older record of the same bucket; immutable once published
    std::uint64_t hash;
    std::uint32_t depth; // number of frames, 1 or more
    std::uint32_t id;    // 1, 2, 3 ... in order of creation (gaps where a race lost)

    void* const* frames() const noexcept { return reinterpret_cast<void* const*>(this + 1); }
};

static_assert(sizeof(stack_record) % sizeof(void*) == 0, "frames must follow the record aligned");

constexpr std::size_t max_interned_depth = 256;         // deeper stacks are cut to this
constexpr std::size_t stack_chunk_bytes = 1u << 20;     // records are carved from chunks this big
constexpr std::size_t default_stack_budget = 64u << 20; // bytes of chunks, bucket array included

struct stack_chunk {
    const stack_chunk* prev;       // the chunk that was current before this one
    std::atomic<std::size_t> used; // bytes handed out, this header included (may overshoot size)
    std::size_t size;
};

// The bucket heads, in one mapping behind this header.
struct stack_buckets {
    std::size_t count; // a power of two
    unsigned shift;    // 64 - log2(count): a hash's top bits pick its bucket
    std::size_t bytes; // of the mapping
    std::atomic<const stack_record*>* heads() noexcept {
        return reinterpret_cast<std::atomic<const stack_record*>*>(this + 1);
    }
};

class stack_table {
public:
    // Plain data: a stack_table at namespace scope is constant-initialised (all zero), so it
    // works from the first static constructor. budget_bytes and log2_buckets may be set before
    // the first intern; 0 means the defaults (64 MiB, 2^16 buckets).
    std::size_t budget_bytes;
    unsigned log2_buckets;

    // The record for this stack, made on first sight; null when depth is 0 or the budget is
    // spent. Deeper stacks than max_interned_depth are cut.
    const stack_record* intern(void* const* frames, std::size_t depth) noexcept {
        if (depth == 0) return nullptr;
        if (depth > max_interned_depth) depth = max_interned_depth;
        stack_buckets* buckets = bucket_array();
        if (LEAKGUARD_DETAIL_UNLIKELY(!buckets)) return nullptr;
        std::uint64_t const h = hash_frames(frames, depth);
        std::atomic<const stack_record*>& bucket = buckets->heads()[h >> buckets->shift];

        const stack_record* head = bucket.load(std::memory_order_acquire);
        if (const stack_record* r = find(head, nullptr, h, frames, depth)) return r;
        if (exhausted_.load(std::memory_order_relaxed)) {
            dropped_.fetch_add(1, std::memory_order_relaxed);
            return nullptr;
        }
        void* mem = take(sizeof(stack_record) + depth * sizeof(void*));
        if (!mem) {
            dropped_.fetch_add(1, std::memory_order_relaxed);
            return nullptr;
        }
        stack_record* rec = static_cast<stack_record*>(mem);
        rec->hash = h;
        rec->depth = static_cast<std::uint32_t>(depth);
        rec->id = next_id_.fetch_add(1, std::memory_order_relaxed) + 1;
        void** dest = reinterpret_cast<void**>(rec + 1);
        for (std::size_t i = 0; i < depth; ++i) dest[i] = frames[i];

        const stack_record* seen = head; // every record from `seen` down has been compared
        for (;;) {
            rec->next = head;
            if (bucket.compare_exchange_weak(head, rec, std::memory_order_release, std::memory_order_acquire)) {
                count_.fetch_add(1, std::memory_order_relaxed);
                return rec;
            }
            // Others pushed meanwhile: only what lies above `seen` is new. If one of them is
            // this stack, ours is left unpublished (its bytes are lost; a race that rare).
            if (const stack_record* r = find(head, seen, h, frames, depth)) return r;
            seen = head;
        }
    }

    // Calls f(const stack_record&) for every record (in no particular order). Safe while other
    // threads intern: it sees at least every record published before it started.
    template <class F>
    void for_each(F&& f) const noexcept {
        stack_buckets* buckets = buckets_.load(std::memory_order_acquire);
        if (!buckets) return;
        std::atomic<const stack_record*>* heads = buckets->heads();
        for (std::size_t i = 0; i < buckets->count; ++i)
            for (const stack_record* r = heads[i].load(std::memory_order_acquire); r; r = r->next) f(*r);
    }

    std::size_t size() const noexcept { return count_.load(std::memory_order_relaxed); }
    // Whether `p` could be one of the table's records: in one of its chunks (past the chunk's
    // header), aligned, with a depth that fits the chunk. A record pointer read from a header
    // that may be damaged is followed only then (reach/list_walk.hpp).
    bool owns(const void* p) const noexcept {
        std::uintptr_t const a = reinterpret_cast<std::uintptr_t>(p);
        if (a % alignof(stack_record) != 0) return false;
        for (const stack_chunk* c = chunk_.load(std::memory_order_acquire); c; c = c->prev) {
            std::uintptr_t const begin = reinterpret_cast<std::uintptr_t>(c), end = begin + c->size;
            if (a < begin + sizeof(stack_chunk) || a + sizeof(stack_record) > end) continue;
            std::uint32_t const depth = static_cast<const stack_record*>(p)->depth;
            return depth >= 1 && depth <= max_interned_depth && a + sizeof(stack_record) + depth * sizeof(void*) <= end;
        }
        return false;
    }
    // Bytes of memory mapped for the table (the bucket array and the chunks).
    std::size_t mapped_bytes() const noexcept { return mapped_.load(std::memory_order_relaxed); }
    // How many times a new stack was refused for lack of budget.
    std::uint64_t dropped() const noexcept { return dropped_.load(std::memory_order_relaxed); }

    // Unmaps everything. Only for tables nobody uses any more (tests); the process-wide table
    // is never released, since blocks point into it until the process ends.
    void release() noexcept {
        const stack_chunk* c = chunk_.exchange(nullptr, std::memory_order_acq_rel);
        while (c) {
            const stack_chunk* prev = c->prev;
            ::munmap(const_cast<stack_chunk*>(c), c->size);
            c = prev;
        }
        stack_buckets* b = buckets_.exchange(nullptr, std::memory_order_acq_rel);
        if (b) ::munmap(static_cast<void*>(b), b->bytes);
        mapped_.store(0, std::memory_order_relaxed);
        count_.store(0, std::memory_order_relaxed);
        exhausted_.store(false, std::memory_order_relaxed);
    }

    // Whether `r` holds exactly these frames (its depth included).
    static bool same_frames(const stack_record* r, void* const* frames, std::size_t depth) noexcept {
        if (r->depth != depth) return false;
        void* const* const mine = r->frames();
        std::uintptr_t diff = 0;
        for (std::size_t i = 0; i < depth; ++i)
            diff |= reinterpret_cast<std::uintptr_t>(mine[i]) ^ reinterpret_cast<std::uintptr_t>(frames[i]);
        return diff == 0;
    }

    // Public only so that the table stays an aggregate (constant-initialised with {}).
    std::atomic<stack_buckets*> buckets_;
    std::atomic<const stack_chunk*> chunk_;
    std::atomic<std::size_t> mapped_;
    std::atomic<std::size_t> count_;
    std::atomic<std::uint32_t> next_id_;
    std::atomic<std::uint64_t> dropped_;
    std::atomic<bool> exhausted_;

private:
    // Each frame is mixed on its own - xor with its position, a multiply, then an xorshift that
    // folds the product's high bits down - and the terms are summed (the products do not wait on
    // each other, unlike a running hash); the sum is mixed once. The xorshift matters: without it
    // the terms are linear in the frames, so stacks made of the same few return addresses in
    // different orders summed to few values (100,000 permutations of two addresses fell into a
    // few hundred buckets, and interning them took 18 s: docs/design.md, "Figures"). The bucket is
    // taken from the top bits, the best mixed by a multiply.
    static std::uint64_t hash_frames(void* const* frames, std::size_t depth) noexcept {
        std::uint64_t sum = depth;
        for (std::size_t i = 0; i < depth; ++i) {
            std::uint64_t const x =
                (reinterpret_cast<std::uintptr_t>(frames[i]) ^ (i * 0xD6E8FEB86659FD93ull)) * 0x9E3779B97F4A7C15ull;
            sum += x ^ (x >> 29);
        }
        sum ^= sum >> 32;
        return sum * 0xD6E8FEB86659FD93ull;
    }
    // A hit (the usual case: most allocations come from a few stacks) compares every frame. A
    // loop of word compares here, not memcmp: the call took 12% of the CPU of `ring` with the
    // defaults, for 12 frames.
    static bool same(const stack_record* r, std::uint64_t h, void* const* frames, std::size_t depth) noexcept {
        return r->hash == h && same_frames(r, frames, depth);
    }
    static const stack_record* find(const stack_record* from, const stack_record* until, std::uint64_t h,
                                    void* const* frames, std::size_t depth) noexcept {
        for (const stack_record* r = from; r != until; r = r->next)
            if (same(r, h, frames, depth)) return r;
        return nullptr;
    }

    std::size_t budget() const noexcept { return budget_bytes ? budget_bytes : default_stack_budget; }

    // The bucket array, mapped on first use. Two threads may map one each; the loser unmaps its
    // own, which nobody else has seen.
    stack_buckets* bucket_array() noexcept {
        stack_buckets* b = buckets_.load(std::memory_order_acquire);
        if (LEAKGUARD_DETAIL_LIKELY(b != nullptr)) return b;
        unsigned const log2 = log2_buckets ? (log2_buckets > 24 ? 24 : log2_buckets) : 16;
        std::size_t const count = std::size_t(1) << log2;
        std::size_t const bytes = sizeof(stack_buckets) + count * sizeof(void*);
        void* mem = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (mem == MAP_FAILED) return nullptr;
        // Zeroed pages are null heads: std::atomic<T*> has the representation of T*.
        stack_buckets* fresh = ::new (mem) stack_buckets;
        fresh->count = count;
        fresh->shift = 64 - log2;
        fresh->bytes = bytes;
        stack_buckets* expected = nullptr;
        if (buckets_.compare_exchange_strong(expected, fresh, std::memory_order_acq_rel)) {
            mapped_.fetch_add(bytes, std::memory_order_relaxed);
            return fresh;
        }
        ::munmap(mem, bytes);
        return expected;
    }

    // `n` bytes (a multiple of 8) from the current chunk, or from a new one.
    void* take(std::size_t n) noexcept {
        for (;;) {
            const stack_chunk* c = chunk_.load(std::memory_order_acquire);
            if (c) {
                std::size_t const at = const_cast<stack_chunk*>(c)->used.fetch_add(n, std::memory_order_relaxed);
                if (at + n <= c->size) return reinterpret_cast<char*>(const_cast<stack_chunk*>(c)) + at;
            }
            // Full (or none yet): map a new chunk if the budget allows, and make it current
            // unless someone else already did.
            std::size_t const before = mapped_.fetch_add(stack_chunk_bytes, std::memory_order_relaxed);
            if (before + stack_chunk_bytes > budget()) {
                mapped_.fetch_sub(stack_chunk_bytes, std::memory_order_relaxed);
                exhausted_.store(true, std::memory_order_relaxed);
                return nullptr;
            }
            void* mem = ::mmap(nullptr, stack_chunk_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (mem == MAP_FAILED) {
                mapped_.fetch_sub(stack_chunk_bytes, std::memory_order_relaxed);
                exhausted_.store(true, std::memory_order_relaxed);
                return nullptr;
            }
            stack_chunk* fresh = ::new (mem) stack_chunk;
            fresh->prev = c;
            fresh->size = stack_chunk_bytes;
            fresh->used.store((sizeof(stack_chunk) + 15) & ~std::size_t(15), std::memory_order_relaxed);
            if (!chunk_.compare_exchange_strong(c, fresh, std::memory_order_acq_rel)) {
                ::munmap(mem, stack_chunk_bytes);
                mapped_.fetch_sub(stack_chunk_bytes, std::memory_order_relaxed);
            }
        }
    }
};

// The process-wide table. Defined (not declared) here: this header is included only by the
// LEAKGUARD_MAIN unit, like every impl header with state; `{}` makes it constant-initialised.
stack_table g_stacks{};

// The records this thread interned last, by their two innermost frames: most allocations come
// from a few call stacks, and a hit here is one compare of the frames against a record this
// thread has just used - no hash of the frames, no load from the shared bucket array (a cold line
// in a program with many stacks). A slot holds any record of the table (records are never freed
// or changed), so a stale or colliding slot only costs the full lookup. Trivially constructible
// and destructible: no TLS initialiser or destructor, usable from any thread at any time.
constexpr unsigned recent_stack_log2 = 4;
struct recent_stacks {
    const stack_record* slot[1u << recent_stack_log2];
};
static thread_local recent_stacks t_recent_stacks;

// Interns a stack in the process-wide table (see stack_table::intern), through this thread's
// recent_stacks.
inline const stack_record* intern_stack(void* const* frames, std::size_t depth) noexcept {
    if (depth == 0) return nullptr;
    if (depth > max_interned_depth) depth = max_interned_depth;
    std::uintptr_t key = reinterpret_cast<std::uintptr_t>(frames[0]);
    if (depth > 1) key ^= reinterpret_cast<std::uintptr_t>(frames[1]) << 1;
    const stack_record*& recent = t_recent_stacks.slot[(key * 0x9E3779B97F4A7C15ull) >> (64 - recent_stack_log2)];
    if (recent && stack_table::same_frames(recent, frames, depth)) return recent;
    const stack_record* r = g_stacks.intern(frames, depth);
    if (r) recent = r;
    return r;
}

} // namespace detail
} // namespace leakguard

#endif
// #include "leakguard/detail/core/report_stream.hpp" (inlined)
// #include "leakguard/detail/core/glob.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// core/glob.hpp: the two pattern languages of suppression files (docs/suppressions.md).
// valgrind's: the whole name must match, '*' any run of characters, '?' any one, '\' makes the
// next character plain. LeakSanitizer's: '*' is the only wildcard and the pattern may match
// anywhere in the name, unless '^' ties it to the start or a final '$' to the end.
// Neither allocates; both take time proportional to pattern length times name length at worst.
#ifndef LEAKGUARD_DETAIL_CORE_GLOB_HPP_INCLUDED
#define LEAKGUARD_DETAIL_CORE_GLOB_HPP_INCLUDED

#include <cstddef> // std::size_t
#include <cstring> // std::strlen

namespace leakguard {
namespace detail {

// Matches text[0..tn) against the pattern p[0..pn). `question`: '?' matches any one character;
// `escapes`: '\' makes the next pattern character plain; `open_start`, `open_end`: the pattern
// may begin after the text's start, end before its end (as if it began or ended with '*'). On a
// mismatch the last '*' takes one more character and the rest is tried again - the classic
// backtracking to the last star, which suffices: once a later star has matched, an earlier one
// never needs to take more.
inline bool glob_span(const char* p, std::size_t pn, const char* t, std::size_t tn, bool question, bool escapes,
                      bool open_start, bool open_end) noexcept {
    std::size_t pi = 0, ti = 0;
    bool have_star = open_start;
    std::size_t star_p = 0, star_t = 0; // where to resume after the last star
    for (;;) {
        if (pi < pn && p[pi] == '*') {
            have_star = true;
            star_p = ++pi;
            star_t = ti;
            continue;
        }
        if (pi == pn && (open_end || ti == tn)) return true;
        if (pi < pn && ti < tn) {
            bool const escaped = escapes && p[pi] == '\\' && pi + 1 < pn;
            char const want = escaped ? p[pi + 1] : p[pi];
            if (want == t[ti] || (question && !escaped && want == '?')) {
                pi += escaped ? 2 : 1;
                ++ti;
                continue;
            }
        }
        if (!have_star || star_t >= tn) return false;
        pi = star_p;
        ti = ++star_t;
    }
}

// valgrind's fun:, obj: and src: patterns: the whole of `text`.
inline bool valgrind_glob(const char* pattern, const char* text) noexcept {
    return glob_span(pattern, std::strlen(pattern), text, std::strlen(text), true, true, false, false);
}

// LeakSanitizer's leak: patterns: anywhere in `text` unless anchored ('^' first, '$' last). An
// empty text never matches (a frame without a name, file or module), as in LeakSanitizer.
inline bool lsan_glob(const char* pattern, const char* text) noexcept {
    if (!text || !*text) return false;
    std::size_t pn = std::strlen(pattern);
    bool const at_start = pn > 0 && pattern[0] == '^';
    if (at_start) {
        ++pattern;
        --pn;
    }
    bool const at_end = pn > 0 && pattern[pn - 1] == '$';
    if (at_end) --pn;
    return glob_span(pattern, pn, text, std::strlen(text), false, false, !at_start, !at_end);
}

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_CORE_GLOB_HPP_INCLUDED
// #include "leakguard/detail/core/suppression_parse.hpp" (inlined)
// #include "leakguard/detail/core/suppression_files.hpp" (inlined)
// #include "leakguard/detail/core/sarif_paths.hpp" (inlined)
// #include "leakguard/detail/core/options.hpp" (inlined)
// #include "leakguard/detail/heap/errors.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// heap/errors.hpp: heap errors found on the way (bad frees, mismatched deallocation): kept for the
// JSON report and the exit status, and printed at once (report/error_report.hpp); and what an
// error says about a block leakguard knows is its own (its size, kind, sequence number and
// allocation site, read from the header).
#ifndef LEAKGUARD_DETAIL_HEAP_ERRORS_HPP_INCLUDED
#define LEAKGUARD_DETAIL_HEAP_ERRORS_HPP_INCLUDED

#include <atomic>  // std::atomic
#include <cstdint> // std::uint64_t
#include <cstdlib> // std::abort

// #include "leakguard/detail/upward_calls.hpp" (inlined)
// #include "leakguard/block_info.hpp" (inlined)
// #include "leakguard/detail/heap/block.hpp" (inlined)
// #include "leakguard/detail/capture/locations.hpp" (inlined)
// #include "leakguard/detail/capture/stack_table.hpp" (inlined)
// #include "leakguard/detail/core/options.hpp" (inlined)
// #include "leakguard/detail/core/platform.hpp" (inlined)

namespace leakguard {
namespace detail {

// How a block is being given back; each form accepts only the block kinds it pairs with.
enum class dealloc_form : unsigned char {
    delete_scalar,
    delete_array,
    delete_scalar_aligned,
    delete_array_aligned,
    c_free,    // free() and realloc(p, 0)
    c_realloc, // realloc() of a block
};

inline const char* dealloc_name(dealloc_form form) noexcept {
    switch (form) {
    case dealloc_form::delete_scalar: return "delete";
    case dealloc_form::delete_array: return "delete[]";
    case dealloc_form::delete_scalar_aligned: return "delete(align)";
    case dealloc_form::delete_array_aligned: return "delete[](align)";
    case dealloc_form::c_free: return "free";
    case dealloc_form::c_realloc: return "realloc";
    }
    return "unknown";
}

inline bool form_matches(block_kind kind, dealloc_form form) noexcept {
    switch (form) {
    case dealloc_form::delete_scalar: return kind == block_kind::new_scalar;
    case dealloc_form::delete_array: return kind == block_kind::new_array;
    case dealloc_form::delete_scalar_aligned: return kind == block_kind::new_scalar_aligned;
    case dealloc_form::delete_array_aligned: return kind == block_kind::new_array_aligned;
    case dealloc_form::c_free:
    case dealloc_form::c_realloc: return kind >= block_kind::malloc;
    }
    return false;
}

// The form a block of `kind` is given back through when nothing is wrong.
inline dealloc_form matching_form(block_kind kind) noexcept {
    switch (kind) {
    case block_kind::new_scalar: return dealloc_form::delete_scalar;
    case block_kind::new_array: return dealloc_form::delete_array;
    case block_kind::new_scalar_aligned: return dealloc_form::delete_scalar_aligned;
    case block_kind::new_array_aligned: return dealloc_form::delete_array_aligned;
    default: return dealloc_form::c_free;
    }
}

// The kinds of heap error; error_type_name() gives the name the reports print (as ASan's).
enum class error_type : unsigned char {
    double_free,
    invalid_free,
    alloc_dealloc_mismatch,
    heap_overflow,
    heap_underflow,
    use_after_free,
    heap_corruption, // leakguard's own record of a block damaged (reach/list_walk.hpp)
};

inline const char* error_type_name(error_type t) noexcept {
    switch (t) {
    case error_type::double_free: return "double_free";
    case error_type::invalid_free: return "invalid_free";
    case error_type::alloc_dealloc_mismatch: return "alloc_dealloc_mismatch";
    case error_type::heap_overflow: return "heap_overflow";
    case error_type::heap_underflow: return "heap_underflow";
    case error_type::use_after_free: return "use_after_free";
    case error_type::heap_corruption: return "heap_corruption";
    }
    return "unknown";
}

struct error_record {
    error_type type;
    const void* address;
    bool has_form;                        // found by a release: `form` and the free site are known
    dealloc_form form;                    // how the program tried to give it back
    bool has_free;                        // free_caller/free_location name a site
    const void* free_caller;              // return address into the code that freed
    const source_location* free_location; // file:line when a mapping macro gave it
    bool has_first_free;                  // a double free of a quarantined block: where it was freed first
    const void* first_free_caller;
    const source_location* first_free_location;
    bool has_offset;  // guard and use-after-free errors: the first bad byte,
    long offset;      // heap_overflow: from the end of the block; the others:
                      // from its start (negative: before it)
    bool left_alone;  // a damaged block kept from the C library
    const char* what; // heap_corruption: what was damaged (a string literal)
    // What is known about the block (when leakguard could tell it is one of its own).
    bool block_known;
    std::size_t size;
    block_kind kind;
    std::uint64_t seq;
    const void* alloc_caller;
    const source_location* alloc_location;
};

constexpr std::size_t max_error_records = 256; // more are counted, not kept

struct error_log {
    spinlock lock;
    std::atomic<std::uint64_t> count;
    error_record records[max_error_records];
};

error_log g_errors{};

LEAKGUARD_DETAIL_NOINLINE inline void report_error(const error_record& e) noexcept {
    std::uint64_t const n = g_errors.count.fetch_add(1, std::memory_order_relaxed);
    if (n < max_error_records) {
        // A thread that is naming code may be writing the JSON report's errors, under this lock:
        // then the error is printed and counted, not kept.
        if (!t_inside.naming) g_errors.lock.lock();
        if (!t_inside.naming || g_errors.lock.try_lock()) {
            g_errors.records[n] = e;
            g_errors.lock.unlock();
        }
    }
    print_error(e);
    // For use under a debugger: stop right where the error was found.
    if (g_options.abort_on_error.load(std::memory_order_relaxed)) std::abort();
}

// A block's allocation site for an error report: its location record's, or its return address.
inline void site_of(const block_header* h, const void*& caller, const source_location*& location) noexcept {
    if (flags_of(h) & flag_has_location) {
        const location_record* r = static_cast<const location_record*>(h->site);
        caller = r->caller;
        location = &r->where;
    } else if (flags_of(h) & flag_has_stack) {
        caller = static_cast<const stack_record*>(h->site)->frames()[0];
        location = nullptr;
    } else {
        caller = h->site;
        location = nullptr;
    }
}

// Adds to `e` what block `h` (which must be leakguard's: its header is read) tells about itself.
inline void describe_block(error_record& e, const block_header* h) noexcept {
    e.block_known = true;
    e.size = size_of(h);
    e.kind = kind_of(h);
    e.seq = seq_of(h);
    site_of(h, e.alloc_caller, e.alloc_location);
}

// `type` about block `h`.
inline error_record block_error(error_type type, const block_header* h) noexcept {
    error_record e = error_record();
    e.type = type;
    e.address = reinterpret_cast<const char*>(h) + header_size;
    describe_block(e, h);
    return e;
}

} // namespace detail
} // namespace leakguard

#endif
// #include "leakguard/detail/heap/guards.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// heap/guards.hpp: the bytes around a block that tell a write past either end (heap_overflow,
// heap_underflow), and the fill patterns (as the CRT's debug heap: 0xCD new, 0xDD freed, 0xFD
// "no man's land").
//
// Front: the cookie (4 bytes, known from the address) and the pair thread/front (front = thread
// ^ 0xFDFD) are the 8 bytes just before the user pointer; the cookie must stay at user - 8 (the
// ownership test, heap/block.hpp), so the guard is made of header words whose right value is
// known rather than of extra bytes. Back: `guard_bytes_of(h)` bytes of 0xFD right after the user
// bytes (the raw allocation is that much longer), so even a one-byte overflow of an odd-sized
// block shows. Everything read here is the block's own memory.
#ifndef LEAKGUARD_DETAIL_HEAP_GUARDS_HPP_INCLUDED
#define LEAKGUARD_DETAIL_HEAP_GUARDS_HPP_INCLUDED

#include <cstdint> // std::uint16_t
#include <cstring> // std::memset, std::memcpy

// #include "leakguard/detail/heap/block.hpp" (inlined)

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LEAKGUARD_DETAIL_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) && !defined(LEAKGUARD_DETAIL_ASAN)
#define LEAKGUARD_DETAIL_ASAN 1
#endif
#if defined(LEAKGUARD_DETAIL_ASAN)
#include <sanitizer/asan_interface.h> // __asan_unpoison_memory_region
#endif

namespace leakguard {
namespace detail {

// Under AddressSanitizer the compiler poisons the array cookie in front of a new[] array of
// objects with destructors; once the block is being released its bytes are leakguard's again.
inline void unpoison_block_bytes(void* p, std::size_t n) noexcept {
#if defined(LEAKGUARD_DETAIL_ASAN)
    __asan_unpoison_memory_region(p, n);
#else
    (void)p;
    (void)n;
#endif
}

constexpr unsigned char guard_fill = 0xFD; // tail guard
constexpr unsigned char new_fill = 0xCD;   // new blocks (fill=1)
constexpr unsigned char freed_fill = 0xDD; // quarantined blocks
// New blocks are filled up to this many bytes (AddressSanitizer's max_malloc_fill_size is the same
// 4 KiB): a vector's or a string's big buffer is mostly written before it is read, and filling
// all of a large block made its allocation cost in proportion to its size.
constexpr std::size_t max_new_fill = std::size_t(4) * 1024;

// Fills the first `n` bytes of a new block (fill=1; the callers bound `n` by max_new_fill). Out of
// line and not told the bound, so that the compiler calls the C library's memset (vector stores)
// instead of expanding it as `rep stos`, which starts slowly on small blocks (it was a large part
// of the short path with extras on small blocks).
LEAKGUARD_DETAIL_NOINLINE inline void fill_new_block(void* user, std::size_t n) noexcept {
    std::memset(user, new_fill, n);
}
inline std::size_t new_fill_bytes(std::size_t size) noexcept { return size < max_new_fill ? size : max_new_fill; }

static_assert(guard_unit == 4, "core/options.hpp's default_guard_units counts in units of 4 bytes");

inline unsigned guard_units_for(int guard_bytes) noexcept {
    return static_cast<unsigned>((guard_bytes + static_cast<int>(guard_unit) - 1) / static_cast<int>(guard_unit));
}

// Sets `n` bytes at `p` to `fill`: the writing half of all_bytes_are (below), with the same common
// lengths (the default tail guard, the quarantine's fill) as straight-line stores, no call.
LEAKGUARD_DETAIL_ALWAYS_INLINE void set_all_bytes(void* p, std::size_t n, unsigned char fill) noexcept {
    std::uint64_t const pattern = 0x0101010101010101ull * fill;
    char* const c = static_cast<char*>(p);
    if (n == 64) {
        for (std::size_t i = 0; i < 64; i += 8) std::memcpy(c + i, &pattern, 8);
    } else if (n == 16) {
        std::memcpy(c, &pattern, 8);
        std::memcpy(c + 8, &pattern, 8);
    } else if (n) {
        std::memset(c, fill, n);
    }
}

inline void write_tail_guard(block_header* h) noexcept {
    set_all_bytes(static_cast<char*>(user_of(h)) + size_of(h), guard_bytes_of(h), guard_fill);
}

// The first byte of `n` bytes at `p` that is not `fill`, or -1. Compares 8 bytes at a time (the
// guards and the quarantine's fill are checked on every free: a byte loop was the bulk of it) and
// looks at single bytes only to name the first bad one.
inline long first_unlike(const unsigned char* p, std::size_t n, unsigned char fill) noexcept {
    std::uint64_t const pattern = 0x0101010101010101ull * fill;
    std::size_t i = 0;
    for (; i + 32 <= n; i += 32) { // four words per step: one branch for half a cache line
        std::uint64_t a, b, c, d;  // four scalars: an array here went through the stack
        std::memcpy(&a, p + i, 8);
        std::memcpy(&b, p + i + 8, 8);
        std::memcpy(&c, p + i + 16, 8);
        std::memcpy(&d, p + i + 24, 8);
        if (((a ^ pattern) | (b ^ pattern) | (c ^ pattern) | (d ^ pattern)) != 0) break;
    }
    for (; i + 8 <= n; i += 8) {
        std::uint64_t w;
        std::memcpy(&w, p + i, sizeof w);
        if (w != pattern) break;
    }
    for (; i < n; ++i)
        if (p[i] != fill) return static_cast<long>(i);
    return -1;
}

// Whether all `n` bytes at `p` are `fill`: the quick yes of the checks run on every free and every
// block leaving the quarantine (first_unlike names the bad byte once this says no). The common
// lengths (the default tail guard, the quarantine's fill) are straight-line loads.
LEAKGUARD_DETAIL_ALWAYS_INLINE bool all_bytes_are(const unsigned char* p, std::size_t n, unsigned char fill) noexcept {
    std::uint64_t const pattern = 0x0101010101010101ull * fill;
    std::uint64_t diff = 0;
    if (n == 64) {
        for (std::size_t i = 0; i < 64; i += 8) {
            std::uint64_t w;
            std::memcpy(&w, p + i, 8);
            diff |= w ^ pattern;
        }
        return diff == 0;
    }
    if (n == 16) {
        std::uint64_t a, b;
        std::memcpy(&a, p, 8);
        std::memcpy(&b, p + 8, 8);
        return ((a ^ pattern) | (b ^ pattern)) == 0;
    }
    return first_unlike(p, n, fill) < 0;
}

// Whether the guards of `h` (`size` user bytes, `guard` tail bytes) are as they were written: the
// thread/front pair in front and the tail bytes. The cookie is the caller's to judge (live or
// released). Always true without guards.
LEAKGUARD_DETAIL_ALWAYS_INLINE bool guards_intact(const block_header* h, std::size_t size, std::size_t guard) noexcept {
    return !guard || (h->front == front_word_for(h->thread) &&
                      all_bytes_are(reinterpret_cast<const unsigned char*>(h) + header_size + size, guard, guard_fill));
}

// The first byte of the tail guard that is not 0xFD, as an offset from the end of the user bytes;
// -1 when the guard is intact.
inline long tail_damage(const block_header* h) noexcept {
    return first_unlike(reinterpret_cast<const unsigned char*>(h) + header_size + size_of(h), guard_bytes_of(h),
                        guard_fill);
}

// The nearest damaged byte before the block (-1 ... -8), or 0 when the 8 bytes in front are as
// they should be with `expected` as the right cookie and `seen` as the cookie the caller read (read
// once: another thread's free can change it between two reads, see push_remote). A broken
// thread/front pair cannot say which of its two bytes changed: the one nearer the block is named.
inline long front_damage(const block_header* h, std::uint32_t expected, std::uint32_t seen) noexcept {
    std::uint16_t const x = static_cast<std::uint16_t>(h->front ^ front_word_for(h->thread));
    if (x & 0xFF00u) return -1;
    if (x & 0x00FFu) return -2;
    std::uint32_t const c = seen ^ expected;
    for (int i = 3; i >= 0; --i) // little endian: byte i of the cookie sits at user - 8 + i
        if ((c >> (8 * i)) & 0xFFu) return -8 + i;
    return 0;
}

// Puts the guards back after a damage was reported, so that one damage is reported once.
// Whether the tail guard's last byte is still 0xFD: damage that ends inside the guard is an
// overflow of the block's own bytes, which may be repaired; damage over all of it may as well be a
// size field a stray write enlarged, and the "guard" then another block's bytes, not to be written.
inline bool guard_end_intact(const block_header* h) noexcept {
    std::size_t const guard = guard_bytes_of(h);
    return guard && reinterpret_cast<const unsigned char*>(h)[header_size + size_of(h) + guard - 1] == guard_fill;
}

inline void repair_guards(block_header* h) noexcept {
    h->front = front_word_for(h->thread);
    write_tail_guard(h);
}

// How many of a quarantined block's first bytes are filled with 0xDD and checked (see
// heap/quarantine.hpp for why not all of them).
constexpr std::size_t max_freed_fill = 64;
inline std::size_t freed_fill_bytes(const block_header* h) noexcept {
    std::size_t const n = size_of(h);
    return n < max_freed_fill ? n : max_freed_fill;
}

// The first byte of a quarantined block's user bytes that is not 0xDD, or -1.
inline long fill_damage(const block_header* h) noexcept {
    return first_unlike(reinterpret_cast<const unsigned char*>(h) + header_size, freed_fill_bytes(h), freed_fill);
}

} // namespace detail
} // namespace leakguard

#endif
// #include "leakguard/detail/heap/recycler.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// heap/recycler.hpp: a per-thread cache of released small blocks, reused by the same thread's
// next allocations of the same size class instead of a free() and a malloc() of the C library.
//
// Why: with leak tracking alone, the C library's malloc and free were over a third of the
// instructions of a small new/delete pair, and a block freed by another thread went back to glibc
// through the owner's arena. The blocks here are the raw allocations leakguard
// already owns (header included), kept as they are: nothing is carved or split, so a recycled
// block is an ordinary malloc() block again the moment it leaves the cache.
//
// Size classes follow glibc's own granularity: class c holds blocks whose raw user part (after the
// header) has room for 16c + 8 bytes - exactly the usable size of the chunk glibc makes for such a
// request - so rounding every small request up to its class costs no memory. Every raw allocation
// of an unaligned block up to 1096 user bytes is made at its class size (raw_user_capacity), so
// any released one can serve any request of its class. At most 32 blocks per class up to 520
// bytes and 8 per class above (recycle_depth_for: about 570 KiB per thread at worst); the rest go
// to the C library as before. A thread's cache is emptied when the thread exits. Blocks wait here
// with their released cookie: a second free of one is a double free, as before.
//
// Why up to 1096 bytes: a 1 KiB block is 1072 bytes with its header, past glibc's per-thread
// cache (chunks up to 1040 bytes), so every 1 KiB new/delete pair went through glibc's bins, many
// times slower than plain glibc, which serves it from that cache. 1096 holds a 1 KiB block and its
// default 16-byte guard.
#ifndef LEAKGUARD_DETAIL_HEAP_RECYCLER_HPP_INCLUDED
#define LEAKGUARD_DETAIL_HEAP_RECYCLER_HPP_INCLUDED

#include <cstddef> // std::size_t
#include <cstdint> // std::uint8_t

// #include "leakguard/detail/heap/block.hpp" (inlined)
// #include "leakguard/detail/heap/block_memory.hpp" (inlined)
// #include "leakguard/detail/core/platform.hpp" (inlined)
// #include "leakguard/detail/heap/registry.hpp" (inlined)

namespace leakguard {
namespace detail {

constexpr std::size_t recycle_classes = 69;                              // user room 8, 24, 40 ... 1096 bytes
constexpr std::size_t recycle_max_user = 16 * (recycle_classes - 1) + 8; // 1096

// A thread's cache: one list per size class, linked through each block's first user bytes. Plain
// data with constant initialisation, as thread_state (heap/registry.hpp).
struct recycle_cache {
    block_header* heads[recycle_classes];
    std::uint8_t counts[recycle_classes];
};
static thread_local recycle_cache t_recycled;
// Blocks kept per class: 32 up to class 32 (520 bytes), 8 above.
inline unsigned recycle_depth_for(std::size_t c) noexcept { return c <= 32 ? 32u : 8u; }

inline std::size_t recycle_class(std::size_t user_bytes) noexcept { return (user_bytes + 7) >> 4; }

// A cached block's link to the next one of its class, in its first user bytes.
inline block_header*& next_recycled(block_header* h) noexcept { return *reinterpret_cast<block_header**>(user_of(h)); }

// The raw user bytes to ask the C library for, for a block that needs `user_bytes` after its
// header (raw_user_bytes): its class's room when it is small.
inline std::size_t raw_user_capacity(std::size_t user_bytes) noexcept {
    return user_bytes <= recycle_max_user ? 16 * recycle_class(user_bytes) + 8 : user_bytes;
}

// A block from this thread's cache with room for `user_bytes`, or null.
LEAKGUARD_DETAIL_ALWAYS_INLINE block_header* take_recycled(std::size_t user_bytes) noexcept {
    if (user_bytes > recycle_max_user) return nullptr;
    recycle_cache& r = t_recycled;
    std::size_t const c = recycle_class(user_bytes);
    block_header* const h = r.heads[c];
    if (h) {
        r.heads[c] = next_recycled(h);
        --r.counts[c];
    }
    return h;
}

// Gives released block `h` (out of every list, cookie released) back: into the calling thread's
// cache when it is small, unaligned and there is room, else to the C library.
LEAKGUARD_DETAIL_ALWAYS_INLINE void give_back(block_header* h) noexcept {
    std::uint64_t const shape = h->shape;
    std::size_t const user_bytes = raw_user_bytes(shape_size(shape), shape_guard_bytes(shape));
    if (shape_align(shape) == 0 && user_bytes <= recycle_max_user) {
        recycle_cache& r = t_recycled;
        std::size_t const c = recycle_class(user_bytes);
        if (LEAKGUARD_DETAIL_LIKELY(r.counts[c] < recycle_depth_for(c) && t_state.home)) {
            next_recycled(h) = r.heads[c];
            r.heads[c] = h;
            ++r.counts[c];
            return;
        }
    }
    free_block_memory(h);
}

// Empties the calling thread's cache (the thread is exiting).
inline void drop_recycled() noexcept {
    recycle_cache& r = t_recycled;
    for (std::size_t c = 0; c < recycle_classes; ++c) {
        while (block_header* h = r.heads[c]) {
            r.heads[c] = next_recycled(h);
            free_block_memory(h);
        }
        r.counts[c] = 0;
    }
}

} // namespace detail
} // namespace leakguard

#endif
// #include "leakguard/detail/heap/quarantine.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// heap/quarantine.hpp: released blocks held back before they go to the C library, so that writes
// into them after the free (use_after_free) show and a second free can name the first.
//
// A released block gets 0xDD over its first bytes (freed_fill_bytes: 64), keeps its header
// (cookie = freed cookie, free site in `prev`) and joins the FIFO of the releasing thread's shard
// (a ring of slots, in an owner section: only check_heap and double-free lookups take another
// thread's). While the FIFO holds more than quarantine_bytes (header and guard included), its
// oldest blocks leave: outside the section each is checked (the fill and the guards intact) and
// then really freed. Quarantined blocks are out of the live lists: neither live nor leaked.
//
// Why only the first bytes: filling and checking whole blocks made the quarantine cost in
// proportion to the bytes freed, about twice the cost of the first bytes alone on blocks of a few
// hundred bytes. A write through a dangling pointer to an object mostly lands in its first
// members; writes further into a freed buffer are left to the guards' neighbours and to tools with
// shadow memory.
//
// Also here: where every released block goes (dispose: this quarantine, or back to the C library
// through the recycler), and where a quarantined block keeps its free site.
#ifndef LEAKGUARD_DETAIL_HEAP_QUARANTINE_HPP_INCLUDED
#define LEAKGUARD_DETAIL_HEAP_QUARANTINE_HPP_INCLUDED

#include <cstdint> // std::uint64_t, std::uintptr_t
#include <cstring> // std::memset

// #include "leakguard/detail/heap/block.hpp" (inlined)
// #include "leakguard/detail/heap/errors.hpp" (inlined)
// #include "leakguard/detail/heap/guards.hpp" (inlined)
// #include "leakguard/detail/capture/locations.hpp" (inlined)
// #include "leakguard/detail/core/options.hpp" (inlined)
// #include "leakguard/detail/core/pages.hpp" (inlined)
// #include "leakguard/detail/core/platform.hpp" (inlined)
// #include "leakguard/detail/heap/recycler.hpp" (inlined)
// #include "leakguard/detail/heap/registry.hpp" (inlined)

namespace leakguard {
namespace detail {

// One block in a quarantine, with what it counts against quarantine_bytes (kept here so that
// pushing a block out never reads its cold header to learn its size).
struct quarantine_slot {
    block_header* block;
    std::uint64_t cost;
};
constexpr std::uint32_t quarantine_slot_count = 8192; // a power of two: 128 KiB per thread that frees

// A quarantined block keeps where it was freed in `prev` (it is out of its shard list): a
// location_record tagged with the top bit (never set in a user-space address), or the return
// address into the code that freed it.
constexpr std::uintptr_t located_free_tag = std::uintptr_t(1) << 63;

inline void set_free_site(block_header* h, const void* caller, const location_record* where) noexcept {
    std::uintptr_t const v =
        where ? reinterpret_cast<std::uintptr_t>(where) | located_free_tag : reinterpret_cast<std::uintptr_t>(caller);
    h->prev = reinterpret_cast<block_header*>(v);
}

inline void free_site_of(const block_header* h, const void*& caller, const source_location*& location) noexcept {
    std::uintptr_t const v = reinterpret_cast<std::uintptr_t>(h->prev);
    if (v & located_free_tag) {
        const location_record* r = reinterpret_cast<const location_record*>(v & ~located_free_tag);
        caller = r->caller;
        location = &r->where;
    } else {
        caller = reinterpret_cast<const void*>(v);
        location = nullptr;
    }
}

inline std::uint64_t quarantine_cost(const block_header* h) noexcept {
    return header_size + size_of(h) + guard_bytes_of(h);
}

// What is wrong with a quarantined block, as a use_after_free naming both sites; false when it is
// as it was left. `cookie_ok` says whether the header can still be trusted to free it.
inline bool quarantined_damage(const block_header* h, error_record& e, bool& cookie_ok) noexcept {
    cookie_ok = h->cookie == freed_cookie_for(h);
    // The usual answer, quickly: nothing touched (the guards and the fill).
    if (LEAKGUARD_DETAIL_LIKELY(
            cookie_ok && guards_intact(h, size_of(h), guard_bytes_of(h)) &&
            all_bytes_are(reinterpret_cast<const unsigned char*>(h) + header_size, freed_fill_bytes(h), freed_fill)))
        return false;
    long offset = 0;
    bool bad = false;
    long const front = guard_bytes_of(h) || !cookie_ok ? front_damage(h, freed_cookie_for(h), load_cookie(h)) : 0;
    if (front != 0) {
        offset = front;
        bad = true;
    } else {
        long const fill = fill_damage(h);
        long const tail = fill < 0 ? tail_damage(h) : -1;
        if (fill >= 0 || tail >= 0) {
            offset = fill >= 0 ? fill : static_cast<long>(size_of(h)) + tail;
            bad = true;
        }
    }
    if (!bad) return false;
    e = block_error(error_type::use_after_free, h);
    free_site_of(h, e.free_caller, e.free_location);
    e.has_free = true;
    e.has_offset = true;
    e.offset = offset;
    return true;
}

// Checks a block that leaves the quarantine, reports a write into it, and frees it - unless its
// cookie was overwritten too: then its header cannot be trusted and it is left alone.
inline void leave_quarantine(block_header* h) noexcept {
    error_record e;
    bool cookie_ok = true;
    if (quarantined_damage(h, e, cookie_ok)) report_error(e);
    if (cookie_ok) give_back(h);
}

// The k-th oldest block of shard `s`'s quarantine (k < quarantine_count); `s` held.
inline block_header* quarantined_at(const shard* s, std::uint32_t k) noexcept {
    return s->quarantine_slots[(s->quarantine_head + k) & (quarantine_slot_count - 1)].block;
}

// Fills `h` (released, out of its shard list) and puts it into shard `s`'s quarantine (`s` is the
// calling thread's home); the blocks it pushes out (beyond `limit` bytes, or when every slot is
// taken) are checked and freed outside the owner section, a few at a time. Returns false when
// there is no quarantine to put it in (its slots could not be made): the caller frees it.
inline bool enter_quarantine(shard* s, block_header* h, std::uint64_t limit) noexcept {
    if (LEAKGUARD_DETAIL_UNLIKELY(!s->quarantine_slots)) {
        // Pages of their own, as the shard's (heap/registry.hpp): out of reach of a stray write
        // past a program's block.
        void* mem = map_pages(sizeof(quarantine_slot) * quarantine_slot_count);
        if (!mem) return false;
        bool const locked = owner_enter(s); // lockers (check_heap) read the slots
        s->quarantine_slots = static_cast<quarantine_slot*>(mem);
        owner_exit(s, locked);
    }
    unpoison_block_bytes(user_of(h), size_of(h));
    set_all_bytes(user_of(h), freed_fill_bytes(h), freed_fill);
    std::uint64_t const cost = quarantine_cost(h);
    constexpr std::uint32_t mask = quarantine_slot_count - 1;
    constexpr int batch = 8;
    constexpr std::uint32_t prefetch_distance = 4; // frees ahead: ~0.5 us, more than a miss takes
    block_header* out[batch];
    for (bool first = true;; first = false) {
        int n = 0;
        bool const locked = owner_enter(s);
        quarantine_slot* const slots = s->quarantine_slots;
        if (first) {
            slots[(s->quarantine_head + s->quarantine_count) & mask] = quarantine_slot{h, cost};
            ++s->quarantine_count;
            s->quarantine_bytes += cost;
        }
        while (n < batch && s->quarantine_count &&
               (s->quarantine_bytes > limit || s->quarantine_count == quarantine_slot_count)) {
            quarantine_slot const old = slots[s->quarantine_head];
            s->quarantine_head = (s->quarantine_head + 1) & mask;
            --s->quarantine_count;
            s->quarantine_bytes -= old.cost;
            out[n++] = old.block;
        }
        bool const more = s->quarantine_count && s->quarantine_bytes > limit;
        // The blocks that leave next were freed long ago and are cold by now: start loading their
        // headers and first bytes, so that the check when they leave does not wait for them.
        // The slot's cost (header + size + guard) says where the block ends: its tail guard's
        // last bytes too (a cold line of their own in blocks of more than a few dozen bytes).
        if (s->quarantine_count > prefetch_distance) {
            quarantine_slot const ahead = slots[(s->quarantine_head + prefetch_distance) & mask];
            const char* const next = reinterpret_cast<const char*>(ahead.block);
            __builtin_prefetch(next);
            __builtin_prefetch(next + 64);
            __builtin_prefetch(next + ahead.cost - 1);
        }
        owner_exit(s, locked);
        for (int i = 0; i < n; ++i) leave_quarantine(out[i]);
        if (!more) return true;
    }
}

// Whether `h` (whose cookie says leakguard released it) is in a quarantine; if so, completes `e`
// (a double free being reported) with the block and where it was first freed. Reads the header
// only once the block is found in a quarantine list, so only memory that is still leakguard's.
inline bool describe_quarantined(const block_header* h, error_record& e) noexcept {
    std::uint32_t const n = g_registry.shard_count.load(std::memory_order_acquire);
    for (std::uint32_t i = 0; i < n; ++i) {
        shard* s = g_registry.shards[i];
        lock_shard(s);
        for (std::uint32_t k = 0; k < s->quarantine_count; ++k) {
            if (quarantined_at(s, k) != h) continue;
            describe_block(e, h);
            e.has_first_free = true;
            free_site_of(h, e.first_free_caller, e.first_free_location);
            unlock_shard(s);
            return true;
        }
        unlock_shard(s);
    }
    return false;
}

// A released block, out of every list: into the calling thread's quarantine, or back to the C
// library. `where` is the free's file:line (a mapping macro's) or null.
inline void dispose(block_header* h, const void* caller, const location_record* where) noexcept {
    thread_state& t = t_state;
    std::uint64_t const limit = option_quarantine_bytes();
    if (limit && t.home && !t.busy && quarantine_cost(h) <= limit) {
        set_free_site(h, caller, where);
        if (enter_quarantine(t.home, h, limit)) return;
    }
    give_back(h);
}

// Blocks other threads freed, just unlinked by their owner: they go where the owner's own frees go
// (its quarantine keeps them; where they were freed is not known any more). The stack's link may
// have covered the tail guard of a tiny block: put back before the quarantine checks it.
LEAKGUARD_DETAIL_NOINLINE inline void dispose_remote(block_header* chain) noexcept {
    while (chain) {
        block_header* const next = chain->next;
        write_tail_guard(chain);
        dispose(chain, nullptr, nullptr);
        chain = next;
    }
}

} // namespace detail
} // namespace leakguard

#endif
// #include "leakguard/detail/heap/block_errors.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// heap/block_errors.hpp: the errors found where a block is given back - a pointer that is not a
// live block (double or invalid free), a block given back through the wrong form (mismatch), a
// write past either end of the block, and a block whose header a write in front of it broke
// (detach_damaged). Each record names how and where the program freed it.
#ifndef LEAKGUARD_DETAIL_HEAP_BLOCK_ERRORS_HPP_INCLUDED
#define LEAKGUARD_DETAIL_HEAP_BLOCK_ERRORS_HPP_INCLUDED

#include <cstdint> // std::uint32_t

// #include "leakguard/detail/heap/block.hpp" (inlined)
// #include "leakguard/detail/heap/errors.hpp" (inlined)
// #include "leakguard/detail/heap/guards.hpp" (inlined)
// #include "leakguard/detail/heap/quarantine.hpp" (inlined)
// #include "leakguard/detail/heap/registry.hpp" (inlined)
// #include "leakguard/detail/capture/locations.hpp" (inlined)

namespace leakguard {
namespace detail {

// Adds to `e` how (`form`) and where the program gave the block back. `file` and `line` come from
// a mapping macro (null when the free was not mapped).
inline void describe_free(error_record& e, const void* caller, dealloc_form form, const char* file, int line) noexcept {
    e.has_form = true;
    e.form = form;
    e.has_free = true;
    e.free_caller = caller;
    const location_record* where = file ? intern_location(file, line, caller) : nullptr;
    e.free_location = where ? &where->where : nullptr;
}

// An error about live block `h` found where it was given back.
inline error_record block_free_error(error_type type, const block_header* h, const void* caller, dealloc_form form,
                                     const char* file, int line) noexcept {
    error_record e = block_error(type, h);
    describe_free(e, caller, form, file, line);
    return e;
}

// A pointer that is not a live leakguard block reached delete or free: a double free when its
// cookie says leakguard `released` it, an invalid free otherwise. Reported, and left alone.
// A double free of a block still in a quarantine also names the block and where it was first freed.
LEAKGUARD_DETAIL_NOINLINE inline void report_bad_free(const void* p, bool released, const void* caller,
                                                      dealloc_form form, const char* file, int line) noexcept {
    error_record e = error_record();
    e.type = released ? error_type::double_free : error_type::invalid_free;
    e.address = p;
    describe_free(e, caller, form, file, line);
    if (released) describe_quarantined(header_of(p), e);
    report_error(e);
}

LEAKGUARD_DETAIL_NOINLINE inline void report_mismatch(const block_header* h, const void* caller, dealloc_form form,
                                                      const char* file, int line) noexcept {
    report_error(block_free_error(error_type::alloc_dealloc_mismatch, h, caller, form, file, line));
}

// Reports a write past either end of live block `h`, being given back. Its cookie is intact (it
// passed the ownership test), so the rest of its header is too: it is released all the same.
LEAKGUARD_DETAIL_NOINLINE inline void report_guard_damage(block_header* h, long front, long tail, const void* caller,
                                                          dealloc_form form, const char* file, int line) noexcept {
    error_record e =
        block_free_error(front ? error_type::heap_underflow : error_type::heap_overflow, h, caller, form, file, line);
    e.has_offset = true;
    e.offset = front ? front : tail;
    report_error(e);
    repair_guards(h); // reported once: not again when it leaves the quarantine
}

// A pointer whose cookie is broken but whose header is linked in a shard list is leakguard's:
// something wrote over the bytes just before it. Finds it (comparing addresses only, reading a
// header only once it is found in a list), takes it out of its list, and reports heap_underflow.
// The block is not freed: its header cannot be trusted to give the C library the right pointer.
// Returns false when `h` is in no list (the pointer is not a live block of leakguard's).
LEAKGUARD_DETAIL_NOINLINE inline bool detach_damaged(block_header* h, const void* caller, dealloc_form form,
                                                     const char* file, int line) noexcept {
    bool found = false;
    error_record e = error_record();
    std::uint32_t const n = g_registry.shard_count.load(std::memory_order_acquire);
    for (std::uint32_t i = 0; i < n && !found; ++i) {
        shard* s = g_registry.shards[i];
        lock_shard(s);
        for (block_header* b = s->newest; b; b = b->prev) {
            if (b != h) continue;
            found = true;
            e = block_error(error_type::heap_underflow, h);
            e.has_offset = true;
            e.offset = front_damage(h, cookie_for(h), load_cookie(h));
            e.left_alone = true;
            unlink_counted(s, h, static_cast<std::int64_t>(e.size));
            break;
        }
        unlock_shard(s);
    }
    if (!found) return false;
    describe_free(e, caller, form, file, line);
    report_error(e);
    return true;
}

} // namespace detail
} // namespace leakguard

#endif
// #include "leakguard/detail/heap/startup.hpp" (inlined)
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

// #include "leakguard/detail/upward_calls.hpp" (inlined)
// #include "leakguard/detail/capture/stack_capture.hpp" (inlined)
// #include "leakguard/detail/core/options.hpp" (inlined)
// #include "leakguard/detail/core/platform.hpp" (inlined)
// #include "leakguard/detail/heap/cookie_key.hpp" (inlined)
// #include "leakguard/detail/heap/registry.hpp" (inlined)

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
// #include "leakguard/detail/heap/allocate.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// heap/allocate.hpp: a new block - raw memory with a header in front, linked as the newest block of
// the calling thread's shard.
//
// Two paths, one decision: an entry (operator new, heap/operators.hpp; the C functions,
// libc/c_alloc.hpp) tries fast_allocate, inlined, exactly once; when it declines, the entry takes
// allocate_slow, which handles every case and never comes back to the short path.
#ifndef LEAKGUARD_DETAIL_HEAP_ALLOCATE_HPP_INCLUDED
#define LEAKGUARD_DETAIL_HEAP_ALLOCATE_HPP_INCLUDED

#include <atomic>  // std::atomic_signal_fence
#include <csignal> // raise, SIGTRAP
#include <cstdint> // std::uint64_t
#include <cstring> // std::memset

// #include "leakguard/detail/heap/block.hpp" (inlined)
// #include "leakguard/detail/heap/block_memory.hpp" (inlined)
// #include "leakguard/detail/heap/guards.hpp" (inlined)
// #include "leakguard/detail/heap/quarantine.hpp" (inlined)
// #include "leakguard/detail/heap/recycler.hpp" (inlined)
// #include "leakguard/detail/heap/registry.hpp" (inlined)
// #include "leakguard/detail/heap/startup.hpp" (inlined)
// #include "leakguard/detail/capture/stack_capture.hpp" (inlined)
// #include "leakguard/detail/capture/stack_table.hpp" (inlined)
// #include "leakguard/detail/core/options.hpp" (inlined)
// #include "leakguard/detail/core/platform.hpp" (inlined)

namespace leakguard {
namespace detail {

// The block's site when stacks are on: the interned call stack from `caller` (the return address
// into the allocating code) outwards, or null (stacks off, depth 1, the table full).
//
// stack_unwinder=auto (the default) walks frame pointers in the module it found built with them
// (the CMake target passes -fno-omit-frame-pointer) and steps over every other frame (libstdc++'s
// std::string members, a library without frame pointers) by its cached .eh_frame rule
// (capture/cfi_unwind.hpp). Where that walk is not available (not x86-64, glibc before 2.35) an
// allocation made from other code keeps just its return address, because the only correct way
// through such frames there, the C++ runtime's unwinder (stack_unwinder=libgcc), is orders of
// magnitude slower.
LEAKGUARD_DETAIL_NOINLINE inline const stack_record* capture_site(const void* caller, const void* frame,
                                                                  int depth) noexcept {
    void* frames[max_stack_depth];
    int const mode = g_options.stack_unwinder.load(std::memory_order_relaxed);
    unwinder how = unwinder::automatic;
    if (mode == 1) how = unwinder::frame_pointer;
    else if (mode == 2) how = unwinder::libgcc;
    else if (!automatic_captures(caller)) return nullptr;
    std::size_t const n = capture_stack(caller, frame, frames, static_cast<std::size_t>(depth), how);
    return n > 1 ? intern_stack(frames, n) : nullptr;
}

// The stack of an allocation made on the short path (stack_depth > 1): the block keeps `site`, its
// return address, when no stack comes back.
LEAKGUARD_DETAIL_NOINLINE inline void attach_stack(block_header* h, const void* site, const void* frame) noexcept {
    thread_state& t = t_state;
    ++t.busy; // an unwinder that allocates must not come back here
    const stack_record* stack = capture_site(site, frame, option_stack_depth());
    --t.busy;
    if (stack) {
        h->site = stack;
        add_flags(h, flag_has_stack);
    }
}

// Appends `h` to its owner's shard `s` (the calling thread's home) and counts it; on the way,
// unlinks what other threads freed meanwhile.
inline void link_owned(shard* s, block_header* h, std::size_t size) noexcept {
    bool const locked = owner_enter(s);
    bool const due = remote_waiting(s, s->allocations); // the count the short path looked at
    append_held(s, h, size);
    block_header* remote = nullptr;
    if (LEAKGUARD_DETAIL_UNLIKELY(due)) remote = unlink_remote_held(s);
    owner_exit(s, locked);
    if (LEAKGUARD_DETAIL_UNLIKELY(remote != nullptr)) dispose_remote(remote);
}

// The general path: any size, alignment (a power of two) and option; before start-up, inside
// leakguard (busy: the block is not linked) and without a shard. Returns user memory of `size`
// bytes, or null; a calloc block's user bytes are zero (from the C library's calloc, which knows
// when fresh pages need no clearing). `frame` is the calling operator's frame address (for the
// frame-pointer walk) or null.
LEAKGUARD_DETAIL_NOINLINE inline void* allocate_slow(std::size_t size, std::size_t align, block_kind kind,
                                                     const void* site, unsigned site_flags,
                                                     const void* frame) noexcept {
    ensure_initialised();
    // A monitor the options asked for starts here: in the program's own call of new or of a
    // mapped C function (not inside the C library, which may hold a lock thread creation needs).
    if (LEAKGUARD_DETAIL_UNLIKELY(g_monitor_pending.load(std::memory_order_relaxed)) && !t_state.busy &&
        (static_cast<unsigned>(kind) < static_cast<unsigned>(block_kind::malloc) || (site_flags & flag_has_location)))
        start_pending_monitor();
    // An alignment beyond any block's size cannot be met (and its padding would not fit the record).
    if (LEAKGUARD_DETAIL_UNLIKELY(align > max_fast_size)) return nullptr;
    std::size_t const pad = padding_for(align);
    unsigned const guard_units = guard_units_for(option_guard_bytes());
    std::size_t const guard = guard_units * guard_unit;
    if (LEAKGUARD_DETAIL_UNLIKELY(size > max_block_size - pad - header_size - guard - sizeof(void*))) return nullptr;
    std::size_t const need = raw_user_bytes(size, guard);
    std::size_t const total = pad + header_size + (align <= default_alignment ? raw_user_capacity(need) : need);
    void* raw = nullptr;
    if (align > default_alignment) raw = raw_alloc_aligned(total, align);
    else if (kind == block_kind::calloc) raw = raw_calloc(total);
    else raw = raw_alloc(total);
    if (LEAKGUARD_DETAIL_UNLIKELY(!raw)) return nullptr;

    block_header* h = reinterpret_cast<block_header*>(static_cast<char*>(raw) + pad);
    if (LEAKGUARD_DETAIL_UNLIKELY(!hold_block_memory(h))) {
        raw_free(raw);
        return nullptr;
    }
    thread_state& t = t_state;
    unsigned const shift = align <= default_alignment ? 0u : static_cast<unsigned>(__builtin_ctzll(align));
    if (shift) note_align_shift(shift);
    if (guard) std::memset(static_cast<char*>(user_of(h)) + size, guard_fill, guard);
    // calloc zeroes its block anyway; realloc's copy overwrites the part it keeps.
    if (option_fill() && kind != block_kind::calloc) fill_new_block(user_of(h), new_fill_bytes(size));

    shard* s = t.home;
    if (LEAKGUARD_DETAIL_UNLIKELY(!s) && !t.busy) s = acquire_home_shard();
    // The thread number is assigned with the thread's first shard.
    std::uint64_t const tail_word = tail_word_for(static_cast<std::uint16_t>(t.thread));
    if (LEAKGUARD_DETAIL_UNLIKELY(t.busy || !s)) {
        write_header(h, site, make_shape(size, kind, site_flags, shift, guard_units), 0, tail_word);
        h->prev = nullptr;
        return user_of(h);
    }
    if (!(site_flags & flag_has_location)) {
        int const depth = option_stack_depth();
        if (depth > 1) {
            ++t.busy; // an unwinder that allocates must not come back here
            if (const stack_record* stack = capture_site(site, frame, depth)) {
                site = stack;
                site_flags |= flag_has_stack;
            }
            --t.busy;
        }
    }
    unsigned const flags = site_flags | flag_linked | (t.ignore_depth > 0 ? flag_ignored : 0u);
    std::uint64_t const seq = take_seq(t);
    write_header(h, site, make_shape(size, kind, flags, shift, guard_units), make_order(seq, s->index), tail_word);
    // break_on_alloc=N (the CRT's _CrtSetBreakAlloc): a debugger stops at the allocation itself.
    std::uint64_t const break_seq = g_options.break_on_alloc.load(std::memory_order_relaxed);
    if (LEAKGUARD_DETAIL_UNLIKELY(break_seq != 0 && break_seq == seq)) std::raise(SIGTRAP);

    link_owned(s, h, size);
    account_bytes(t, static_cast<std::int64_t>(size));
    return user_of(h);
}

// The short path's body: the thread has its shard, leakguard is not busy in it, the owner takes no
// lock, the alignment is the default, and neither break_on_alloc nor new sites is on - one load of
// g_hot says so, and which of the defaults' extras (tail guard, fill, stack) to add. Writes the
// header with whole-word stores and links it in an owner section (no atomic read-modify-write).
// `Extras` false: none is on (the caller checked), and the code is as short as leak tracking
// alone needs. Returns null only when malloc failed: the entry then takes allocate_slow.
template <bool Extras>
LEAKGUARD_DETAIL_ALWAYS_INLINE void* fast_allocate_block(thread_state& t, shard* s, unsigned hot, std::size_t size,
                                                         block_kind kind, const void* site, unsigned site_flags,
                                                         const void* frame) noexcept {
    unsigned const guard_units = Extras ? (hot & hot_guard_mask) >> hot_guard_shift : 0u;
    std::size_t const guard = guard_units * guard_unit;
    std::size_t const need = raw_user_bytes(size, guard); // guard: 0 at compile time without extras
    block_header* h = take_recycled(need);
    if (!h) {
        h = static_cast<block_header*>(raw_alloc(header_size + raw_user_capacity(need)));
        if (LEAKGUARD_DETAIL_UNLIKELY(!h)) return nullptr;
        if (LEAKGUARD_DETAIL_UNLIKELY(!hold_block_memory(h))) {
            raw_free(h);
            return nullptr;
        }
    }
    char* const user = static_cast<char*>(user_of(h));
    unsigned const flags = site_flags | flag_linked | (t.ignore_depth > 0 ? flag_ignored : 0u);
    std::uint64_t const shape = make_shape(size, kind, flags, 0, guard_units);
    write_header(h, site, shape, make_order(take_seq(t), s->index), t.tail_word);
    if (Extras) {
        set_all_bytes(user + size, guard, guard_fill);
        // calloc zeroes its block anyway; realloc's copy overwrites the part it keeps.
        if ((hot & hot_fill) && kind != block_kind::calloc) fill_new_block(user, new_fill_bytes(size));
        if ((hot & hot_stacks) && !(site_flags & flag_has_location)) attach_stack(h, site, frame);
    }
    // An owner section (see owner_enter), with the remote stack's check folded into its branch.
    s->owner_busy.store(1, std::memory_order_relaxed);
    std::atomic_signal_fence(std::memory_order_seq_cst);
    if (LEAKGUARD_DETAIL_UNLIKELY(s->lock.state.load(std::memory_order_acquire) != 0 ||
                                  remote_waiting(s, s->allocations))) {
        s->owner_busy.store(0, std::memory_order_release);
        link_owned(s, h, size);
    } else {
        append_held(s, h, size);
        s->owner_busy.store(0, std::memory_order_release);
    }
    account_bytes(t, static_cast<std::int64_t>(size));
    return user;
}

// The short path with extras, out of line: operator new stays a leaf-like function when none is on.
LEAKGUARD_DETAIL_NOINLINE inline void* fast_allocate_extras(std::size_t size, block_kind kind, const void* site,
                                                            unsigned site_flags, const void* frame) noexcept {
    thread_state& t = t_state;
    return fast_allocate_block<true>(t, t.home, g_hot.load(std::memory_order_relaxed), size, kind, site, site_flags,
                                     frame);
}

// The short path's dispatch, inlined into each entry: which short path applies, if any. Returns
// null when none does (or malloc failed): the entry then takes allocate_slow. Default alignment.
LEAKGUARD_DETAIL_ALWAYS_INLINE void* fast_allocate(std::size_t size, block_kind kind, const void* site,
                                                   unsigned site_flags = 0, const void* frame = nullptr) noexcept {
    thread_state& t = t_state;
    shard* const s = t.home;
    unsigned const hot = g_hot.load(std::memory_order_relaxed);
    if (LEAKGUARD_DETAIL_UNLIKELY((hot & (hot_ready | hot_slow_alloc | hot_elide)) != (hot_ready | hot_elide) || !s ||
                                  t.busy || size > max_fast_size))
        return nullptr;
    if (hot & (hot_fill | hot_stacks | hot_guard_mask))
        return fast_allocate_extras(size, kind, site, site_flags, frame);
    return fast_allocate_block<false>(t, s, hot, size, kind, site, site_flags, frame);
}

} // namespace detail
} // namespace leakguard

#endif
// #include "leakguard/detail/heap/new_sites.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// heap/new_sites.hpp: while LEAKGUARD_MAP_NEW is in use (detail/map_new.hpp), operator new keeps
// each thread's last blocks in a small ring, so that the mapped new-expression can find the block
// it just made and give it the macro's file:line (locate_new, libc/mapped_calls.hpp). Off, none of
// this runs: the operators take the general path only while it is on (g_hot's hot_slow_* bits).
#ifndef LEAKGUARD_DETAIL_HEAP_NEW_SITES_HPP_INCLUDED
#define LEAKGUARD_DETAIL_HEAP_NEW_SITES_HPP_INCLUDED

#include <atomic> // std::memory_order_relaxed

// #include "leakguard/detail/heap/block.hpp" (inlined)
// #include "leakguard/detail/core/options.hpp" (inlined)

namespace leakguard {
namespace detail {

// How many of a thread's last operator new blocks are remembered: a new-expression's block is
// looked for right after the operator returned it, with at most the object's own members'
// allocations in between.
constexpr unsigned new_site_ring_size = 8;

// A thread's ring. Plain data with constant initialisation, as thread_state (heap/registry.hpp).
struct new_site_ring {
    const void* blocks[new_site_ring_size]; // the last blocks operator new returned
    unsigned next;                          // where the next one goes (counts up; taken modulo the size)
};
static thread_local new_site_ring t_new_sites;

inline const void*& recent_new(unsigned n) noexcept { return t_new_sites.blocks[n % new_site_ring_size]; }

inline bool new_sites_on() noexcept { return g_new_sites_enabled.load(std::memory_order_relaxed); }

// Called by operator new (general path) for each block it returns.
inline void remember_new(void* user) noexcept { recent_new(t_new_sites.next++) = user; }

// Called when a block is released: a later block at the same address is another block.
inline void forget_new(const void* user) noexcept {
    for (const void*& r : t_new_sites.blocks)
        if (r == user) r = nullptr;
}

} // namespace detail
} // namespace leakguard

#endif
// #include "leakguard/detail/heap/release.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// heap/release.hpp: giving a block back - its guards checked, unlinked from its shard, and put into
// the quarantine or returned to the C library.
//
// Two paths, one decision: an entry (operator delete, heap/operators.hpp; free,
// libc/ownership.hpp) tries the short path, inlined, exactly once; each reason for it to decline
// leads straight down to the general path (release_slow for a pointer whose cookie is not known
// to be right, release_block_slow for a live block), which handles every case and never comes
// back to the short path.
#ifndef LEAKGUARD_DETAIL_HEAP_RELEASE_HPP_INCLUDED
#define LEAKGUARD_DETAIL_HEAP_RELEASE_HPP_INCLUDED

#include <atomic>  // std::atomic_signal_fence
#include <cstdint> // std::uint64_t

// #include "leakguard/detail/heap/block.hpp" (inlined)
// #include "leakguard/detail/heap/block_errors.hpp" (inlined)
// #include "leakguard/detail/heap/errors.hpp" (inlined)
// #include "leakguard/detail/heap/guards.hpp" (inlined)
// #include "leakguard/detail/heap/new_sites.hpp" (inlined)
// #include "leakguard/detail/heap/page_index.hpp" (inlined)
// #include "leakguard/detail/heap/quarantine.hpp" (inlined)
// #include "leakguard/detail/heap/recycler.hpp" (inlined)
// #include "leakguard/detail/heap/registry.hpp" (inlined)
// #include "leakguard/detail/capture/locations.hpp" (inlined)
// #include "leakguard/detail/core/options.hpp" (inlined)

namespace leakguard {
namespace detail {

// Takes `h` out of its owner's shard `s` (the calling thread's home) and counts the free; on the
// way, unlinks what other threads freed meanwhile (the mirror of link_owned, heap/allocate.hpp).
inline void unlink_owned(shard* s, block_header* h, std::int64_t size) noexcept {
    bool const locked = owner_enter(s);
    bool const due = remote_waiting(s, s->frees); // the count the short path looked at
    unlink_counted(s, h, size);
    block_header* const remote = LEAKGUARD_DETAIL_UNLIKELY(due) ? unlink_remote_held(s) : nullptr;
    owner_exit(s, locked);
    if (LEAKGUARD_DETAIL_UNLIKELY(remote != nullptr)) dispose_remote(remote);
}

// The general path for a live block (its cookie checked, its form judged by the caller): checks
// its guards, unlinks it (from the calling thread's shard, another thread's through its remote
// stack, or under the lock), and puts it into the quarantine or returns its memory to the C
// library.
inline void release_live(block_header* h, const void* caller, dealloc_form form, const char* file, int line) noexcept {
    if (LEAKGUARD_DETAIL_UNLIKELY(new_sites_on())) forget_new(user_of(h));
    if (guard_bytes_of(h)) {
        long const front = front_damage(h, h->cookie, h->cookie); // the caller checked the cookie
        long const tail = front ? -1 : tail_damage(h);
        if (LEAKGUARD_DETAIL_UNLIKELY(front || tail >= 0))
            report_guard_damage(h, front, tail, caller, form, file, line);
    }
    thread_state& t = t_state;
    if (flags_of(h) & flag_linked) {
        shard* s = g_registry.shards[shard_of(h)];
        std::int64_t const size = static_cast<std::int64_t>(size_of(h));
        account_bytes(t, -size);
        if (s == t.home) {
            unlink_owned(s, h, size);
        } else if (g_elide_locks.load(std::memory_order_relaxed)) {
            return push_remote(s, h);
        } else {
            lock_shard(s);
            unlink_counted(s, h, size);
            unlock_shard(s);
        }
    }
    store_cookie(h, freed_cookie_for(h));
    // A mapped free's file:line is kept only as a quarantined block's free site.
    dispose(h, caller, file && option_quarantine_bytes() ? intern_location(file, line, caller) : nullptr);
}

// The general path for a live block given back through `form`: a block given back through the
// wrong form is reported and then released all the same (leakguard knows how it was allocated, so
// that is safe).
LEAKGUARD_DETAIL_NOINLINE inline void release_block_slow(block_header* h, const void* caller, dealloc_form form,
                                                         const char* file = nullptr, int line = 0) noexcept {
    if (LEAKGUARD_DETAIL_UNLIKELY(!form_matches(kind_of(h), form))) report_mismatch(h, caller, form, file, line);
    release_live(h, caller, form, file, line);
}

// The general path for any non-null pointer given back through `form` (the aligned deletes, and
// the pointers whose cookie fast_release found wrong): reads its cookie once. A pointer that is
// not a live block is reported and left alone (passing it on could corrupt the heap) - unless it
// is a block whose header a write in front of it broke (detach_damaged). In front of a pointer
// that starts a page nothing is read unless the page index (heap/page_index.hpp) holds it: the
// page before may not be mapped (the start of an mmap region), and every block of leakguard's
// that starts a page is there.
LEAKGUARD_DETAIL_NOINLINE inline void release_slow(void* p, const void* caller, dealloc_form form) noexcept {
    block_header* h = header_of(p);
    if (LEAKGUARD_DETAIL_UNLIKELY(front_off_page(p)) && !page_index_contains(p))
        return report_bad_free(p, false, caller, form, nullptr, 0);
    std::uint32_t const cookie = cookie_in_front_of(p);
    if (LEAKGUARD_DETAIL_LIKELY(cookie == cookie_for(h))) return release_block_slow(h, caller, form);
    bool const released = cookie == freed_cookie_for(h);
    if (!released && detach_damaged(h, caller, form, nullptr, 0)) return;
    report_bad_free(p, released, caller, form, nullptr, 0);
}

// Where the short path with extras (out of line, below) declines to: the block's kind matched the
// form (fast_release_live), so the form is known from the kind, and is not kept in a register
// through the short path for this rare case.
LEAKGUARD_DETAIL_NOINLINE inline void release_declined(block_header* h, const void* caller) noexcept {
    release_block_slow(h, caller, matching_form(kind_of(h)));
}

// The short path's body: a live block of the calling thread's own shard, of the kind its form
// expects, with default alignment and (`Extras`) intact guards, while no new sites are on and the
// owner takes no lock - unlinked in an owner section, (`Count`) its free counted per site there,
// and (`Extras`) put into the quarantine or given back to the C library. Anything else (a damaged guard, the lock taken, other threads'
// frees waiting) goes on to the general path, having changed nothing: release_block_slow with
// `form`, or (`Extras`) release_declined. `h`'s cookie and kind have been checked; `shape` is its
// shape word.
template <bool Extras, bool Count = false>
LEAKGUARD_DETAIL_ALWAYS_INLINE void fast_release_block(thread_state& t, block_header* h, std::uint64_t shape,
                                                       unsigned hot, dealloc_form form, const void* caller) noexcept {
    std::int64_t const size = static_cast<std::int64_t>(shape_size(shape));
    if (Extras) {
        if (LEAKGUARD_DETAIL_UNLIKELY(!guards_intact(h, static_cast<std::size_t>(size), shape_guard_bytes(shape))))
            return release_declined(h, caller);
    }
    shard* s = t.home;
    s->owner_busy.store(1, std::memory_order_relaxed);
    std::atomic_signal_fence(std::memory_order_seq_cst); // see owner_enter
    if (LEAKGUARD_DETAIL_UNLIKELY(s->lock.state.load(std::memory_order_acquire) != 0 || remote_waiting(s, s->frees))) {
        s->owner_busy.store(0, std::memory_order_release);
        return Extras || Count ? release_declined(h, caller) : release_block_slow(h, caller, form);
    }
    unlink_held(s, h, size);
    if (Count && LEAKGUARD_DETAIL_UNLIKELY(!count_free_hit(s, h))) {
        count_free_missed(s, h);
        s = t.home; // the same shard: read again, not kept in a register of its own across the call
    }
    s->owner_busy.store(0, std::memory_order_release);
    account_bytes(t, -size);
    h->cookie ^= freed_cookie_flip; // live (checked) -> released, without hashing the address again
    if (Extras && (hot & hot_quarantine)) dispose(h, caller, nullptr);
    else give_back(h);
}

// The short path while the monitor counts, out of line: the paths that do not count keep the
// registers the count needs (inlined into fast_release_extras, it cost the defaults' pair a push
// and a pop with the monitor off). Two copies, chosen by the dispatch: with extras (guards or
// quarantine), and without (leak tracking only), which saves fewer registers. Both decline to
// release_declined, which needs no form.
LEAKGUARD_DETAIL_NOINLINE inline void fast_release_counted(block_header* h, std::uint64_t shape, unsigned hot,
                                                           const void* caller) noexcept {
    fast_release_block<true, true>(t_state, h, shape, hot, dealloc_form::c_free /* unused */, caller);
}
LEAKGUARD_DETAIL_NOINLINE inline void fast_release_counted_plain(block_header* h, std::uint64_t shape,
                                                                 const void* caller) noexcept {
    fast_release_block<false, true>(t_state, h, shape, 0, dealloc_form::c_free /* unused */, caller);
}

// The short path with extras (guards, quarantine), out of line: operator delete stays a leaf-like
// function when none is on. It declines to release_declined, which needs no form.
LEAKGUARD_DETAIL_NOINLINE inline void fast_release_extras(block_header* h, std::uint64_t shape, unsigned hot,
                                                          const void* caller) noexcept {
    fast_release_block<true>(t_state, h, shape, hot, dealloc_form::c_free /* unused */, caller);
}

// The short path's dispatch for live block `h`: `kind_bits` (kind_bits_for) is the kind the form
// expects, or 0 when the caller has found the kind right for the form itself (free: any C kind).
LEAKGUARD_DETAIL_ALWAYS_INLINE void fast_release_live(block_header* h, std::uint64_t kind_bits, dealloc_form form,
                                                      const void* caller) noexcept {
    thread_state& t = t_state;
    unsigned const hot = g_hot.load(std::memory_order_relaxed);
    std::uint64_t const shape = h->shape;
    // The kind as expected, linked, default alignment; the other flags (ignored, location, stack)
    // do not matter here, and the guard is checked below.
    std::uint64_t const mask = (kind_bits ? shape_kind_bits : 0) | shape_linked_bit | shape_align_bits;
    if (LEAKGUARD_DETAIL_UNLIKELY((shape & mask) != (kind_bits | shape_linked_bit) ||
                                  (hot & (hot_slow_free | hot_elide)) != hot_elide || shard_of(h) + 1 != t.home_tag))
        return release_block_slow(h, caller, form);
    if (shape_guard_units(shape) != 0 || (hot & (hot_quarantine | hot_sites))) {
        if (LEAKGUARD_DETAIL_LIKELY(!(hot & hot_sites))) return fast_release_extras(h, shape, hot, caller);
        if (shape_guard_units(shape) == 0 && !(hot & hot_quarantine))
            return fast_release_counted_plain(h, shape, caller);
        return fast_release_counted(h, shape, hot, caller);
    }
    fast_release_block<false>(t, h, shape, hot, form, caller);
}

// The short path's dispatch, inlined into operator delete (unaligned forms): the cookie test, then
// fast_release_live. Declines into the general path; `p` is not null. A pointer that fails the
// test goes to release_slow, which reads the cookie again: keeping this read for it would cost
// the short path a register, for a pointer that is about to be reported. So does a pointer that
// starts a page, before anything in front of it is read (see release_slow).
LEAKGUARD_DETAIL_ALWAYS_INLINE void fast_release(void* p, block_kind kind, dealloc_form form,
                                                 const void* caller) noexcept {
    block_header* const h = header_of(p);
    if (LEAKGUARD_DETAIL_UNLIKELY(front_off_page(p) || cookie_in_front_of(p) != cookie_for(h)))
        return release_slow(p, caller, form);
    fast_release_live(h, kind_bits_for(kind), form, caller);
}

} // namespace detail
} // namespace leakguard

#endif
// #include "leakguard/detail/core/pages.hpp" (inlined)
// #include "leakguard/detail/reach/memory_map.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// reach/memory_map.hpp: which addresses can be read, from /proc/self/maps, read while the other
// threads are paused (so the map cannot change under the scan: only the scanning thread runs, and
// it maps nothing between reading the map and the end of the scan). Every root range is clipped
// to it: a scan never reads a guard page, an unmapped hole or a module unloaded since its
// segments were listed. Raw system calls only (no stdio, no malloc, no interceptor's lock).
#ifndef LEAKGUARD_DETAIL_REACH_MEMORY_MAP_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REACH_MEMORY_MAP_HPP_INCLUDED

#include <cstddef>       // std::size_t
#include <cstdint>       // std::uintptr_t
#include <fcntl.h>       // O_RDONLY, O_CLOEXEC, AT_FDCWD
#include <sys/syscall.h> // SYS_openat, SYS_read, SYS_close
#include <unistd.h>      // syscall

// #include "leakguard/detail/core/pages.hpp" (inlined)

namespace leakguard {
namespace detail {

struct mapped_range {
    std::uintptr_t begin;
    std::uintptr_t end;
    bool readable;
    bool writable;
    bool executable;
    bool file_backed;   // a path that names a file (not "[heap]", "[stack]" or anonymous)
    bool stack_of_main; // "[stack]"
};

// Reads up to size - 1 bytes of a small /proc file into `buf`, '\0'-terminated; returns the length
// (0 on failure).
inline std::size_t read_proc_prefix(const char* path, char* buf, std::size_t size) noexcept {
    long const fd = ::syscall(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    std::size_t used = 0;
    while (used + 1 < size) {
        long const n = ::syscall(SYS_read, fd, buf + used, size - 1 - used);
        if (n <= 0) break;
        used += static_cast<std::size_t>(n);
    }
    ::syscall(SYS_close, fd);
    buf[used] = '\0';
    return used;
}

// Reads a whole /proc file into pages; returns its length (0 on failure). Free with unmap_pages.
inline std::size_t read_proc_file(const char* path, char*& text, std::size_t& capacity) noexcept {
    text = nullptr;
    capacity = 0;
    long const fd = ::syscall(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    std::size_t used = 0;
    for (;;) {
        if (used == capacity) {
            std::size_t const grown = capacity ? capacity * 2 : std::size_t(64) << 10;
            char* const fresh = static_cast<char*>(map_pages(grown));
            if (!fresh) break;
            for (std::size_t i = 0; i < used; ++i) fresh[i] = text[i];
            unmap_pages(text, capacity);
            text = fresh;
            capacity = grown;
        }
        long const n = ::syscall(SYS_read, fd, text + used, capacity - used);
        if (n <= 0) break;
        used += static_cast<std::size_t>(n);
    }
    ::syscall(SYS_close, fd);
    return used;
}

inline std::uintptr_t parse_hex(const char*& p, const char* end) noexcept {
    std::uintptr_t v = 0;
    for (; p < end; ++p) {
        char const c = *p;
        unsigned d;
        if (c >= '0' && c <= '9') d = static_cast<unsigned>(c - '0');
        else if (c >= 'a' && c <= 'f') d = static_cast<unsigned>(c - 'a' + 10);
        else break;
        v = v << 4 | d;
    }
    return v;
}

// The process's mappings, in address order (as the kernel lists them).
class memory_map {
public:
    memory_map() noexcept : ranges_{nullptr, 0, 0} {}
    ~memory_map() { ranges_.release(); }
    memory_map(const memory_map&) = delete;
    memory_map& operator=(const memory_map&) = delete;

    // Forgets what was read and reads the map again (a mapping made since the last load).
    bool reload() noexcept {
        ranges_.count = 0;
        return load();
    }

    bool load() noexcept {
        char* text = nullptr;
        std::size_t capacity = 0;
        std::size_t const length = read_proc_file("/proc/self/maps", text, capacity);
        const char* p = text;
        const char* const end = text + length;
        while (p < end) {
            const char* eol = p;
            while (eol < end && *eol != '\n') ++eol;
            mapped_range r = {0, 0, false, false, false, false, false};
            r.begin = parse_hex(p, eol);
            if (p < eol && *p == '-') ++p;
            r.end = parse_hex(p, eol);
            if (p < eol && *p == ' ') ++p;
            if (eol - p >= 3) {
                r.readable = p[0] == 'r';
                r.writable = p[1] == 'w';
                r.executable = p[2] == 'x';
            }
            // The path is the last field (empty for anonymous memory: the line ends in spaces).
            const char* q = eol;
            while (q > p && q[-1] != ' ') --q;
            r.file_backed = q < eol && q[0] == '/';
            r.stack_of_main = eol - q == 7 && q[0] == '[' && q[1] == 's' && q[2] == 't' && q[6] == ']';
            if (r.end > r.begin && !ranges_.push(r)) break;
            p = eol < end ? eol + 1 : end;
        }
        unmap_pages(text, capacity);
        return ranges_.count > 0;
    }

    std::size_t size() const noexcept { return ranges_.count; }
    const mapped_range& operator[](std::size_t i) const noexcept { return ranges_.items[i]; }

    // The mapping that holds `a`, or null.
    const mapped_range* find(std::uintptr_t a) const noexcept {
        std::size_t lo = 0, hi = ranges_.count;
        while (lo < hi) {
            std::size_t const mid = lo + (hi - lo) / 2;
            if (ranges_.items[mid].end <= a) lo = mid + 1;
            else hi = mid;
        }
        return lo < ranges_.count && ranges_.items[lo].begin <= a ? &ranges_.items[lo] : nullptr;
    }

    // Calls f(begin, end) for each readable piece of [begin, end), adjacent mappings joined.
    template <class F>
    void for_each_readable(std::uintptr_t begin, std::uintptr_t end, F f) const noexcept {
        std::size_t lo = 0, hi = ranges_.count;
        while (lo < hi) { // the first mapping that ends after `begin`
            std::size_t const mid = lo + (hi - lo) / 2;
            if (ranges_.items[mid].end <= begin) lo = mid + 1;
            else hi = mid;
        }
        std::uintptr_t run_begin = 0, run_end = 0;
        for (std::size_t i = lo; i < ranges_.count && ranges_.items[i].begin < end; ++i) {
            const mapped_range& r = ranges_.items[i];
            if (!r.readable) continue;
            std::uintptr_t const b = r.begin > begin ? r.begin : begin;
            std::uintptr_t const e = r.end < end ? r.end : end;
            if (b >= e) continue;
            if (run_end == b) {
                run_end = e;
            } else {
                if (run_end > run_begin) f(run_begin, run_end);
                run_begin = b;
                run_end = e;
            }
        }
        if (run_end > run_begin) f(run_begin, run_end);
    }

private:
    page_array<mapped_range> ranges_;
};

} // namespace detail
} // namespace leakguard

#endif
// #include "leakguard/detail/reach/thread_pause.hpp" (inlined)
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

// #include "leakguard/detail/core/pages.hpp" (inlined)
// #include "leakguard/detail/core/platform.hpp" (inlined)
// #include "leakguard/detail/reach/memory_map.hpp" (inlined)

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
// #include "leakguard/detail/reach/block_index.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// reach/block_index.hpp: the live blocks at check time, sorted by address, with the state the scan
// gives each (valgrind's: unreached, indirect, possible, reachable). Built in pages, never
// through the tracked allocator, while the shard lists are held and the other threads paused.
//
// Looking a word up costs a bucket read and a short binary search: the address span of each
// cluster of blocks is cut into buckets (a power of two bytes each, about as many buckets as
// blocks), and each bucket keeps the index of the first block that ends after its start. A word
// outside the span of all blocks - most words are small numbers - costs two compares.
#ifndef LEAKGUARD_DETAIL_REACH_BLOCK_INDEX_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REACH_BLOCK_INDEX_HPP_INCLUDED

#include <algorithm> // std::sort (in place: it does not allocate)
#include <cstddef>   // std::size_t
#include <cstdint>   // std::uintptr_t, std::uint32_t

// #include "leakguard/detail/core/pages.hpp" (inlined)
// #include "leakguard/detail/heap/block.hpp" (inlined)
// #include "leakguard/detail/heap/registry.hpp" (inlined)
// #include "leakguard/detail/reach/list_walk.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// reach/list_walk.hpp: the shard lists walked without trusting them. A header lives right after
// the program's previous block, so a write past that block's end lands on its links and fields;
// every report, scope check, heap check and leak check walks those links. Here a link is followed
// only to a header that is proven readable (reach/memory_map.hpp) and links back to where it was
// found from, and a block's fields are used only when what they point to is readable: its bytes
// and tail guard, its stack record. A damaged link ends the walk in that direction; the walk then
// starts again from the list's other end and comes up to the damage, so only a damaged block
// itself is missed. What was damaged is reported once, as a heap_corruption error, after the walk
// (the caller holds shard locks, where nothing may be printed).
#ifndef LEAKGUARD_DETAIL_REACH_LIST_WALK_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REACH_LIST_WALK_HPP_INCLUDED

#include <cerrno>        // errno, EFAULT
#include <cstddef>       // std::size_t
#include <cstdint>       // std::uintptr_t, std::uint64_t
#include <sys/syscall.h> // SYS_process_vm_readv
#include <sys/uio.h>     // iovec
#include <unistd.h>      // syscall, getpid

// #include "leakguard/detail/capture/locations.hpp" (inlined)
// #include "leakguard/detail/capture/stack_table.hpp" (inlined)
// #include "leakguard/detail/core/options.hpp" (inlined)
// #include "leakguard/detail/core/platform.hpp" (inlined)
// #include "leakguard/detail/heap/block.hpp" (inlined)
// #include "leakguard/detail/heap/errors.hpp" (inlined)
// #include "leakguard/detail/heap/registry.hpp" (inlined)
// #include "leakguard/detail/reach/memory_map.hpp" (inlined)

namespace leakguard {
namespace detail {

// Whether the bytes [a, a + n) can be read, asked of the kernel: one byte of each page they touch
// copied with process_vm_readv from this very process, which fails on a page that is not mapped
// readable instead of faulting. 1 readable, 0 not, -1 cannot tell (the call refused by a seccomp
// profile or an old kernel, or too many pages).
inline int probe_readable(std::uintptr_t a, std::size_t n) noexcept {
    constexpr std::size_t max_pages = 8;
    std::uintptr_t const page = page_size_assumed; // a smaller step than the real page is only more calls
    std::uintptr_t const first = a & ~(page - 1), last = (a + n - 1) & ~(page - 1);
    std::size_t const pages = static_cast<std::size_t>((last - first) / page) + 1;
    if (pages > max_pages) return -1;
    struct iovec remote[max_pages];
    char sink[max_pages];
    for (std::size_t i = 0; i < pages; ++i) {
        remote[i].iov_base = reinterpret_cast<void*>(i == 0 ? a : first + i * page);
        remote[i].iov_len = 1;
    }
    struct iovec local = {sink, pages};
    int const saved = errno;
    long const got = ::syscall(SYS_process_vm_readv, static_cast<long>(::getpid()), &local, 1L, remote,
                               static_cast<unsigned long>(pages), 0UL);
    int const error = errno;
    errno = saved;
    if (got == static_cast<long>(pages)) return 1;
    if (got >= 0 || error == EFAULT) return 0;
    return -1;
}

// Which addresses can be read. A walk that visits few blocks asks the kernel about each header
// (probe_readable: a system call each); past a few, or where the kernel cannot be asked, the
// process's mappings are read once (a walk over lists that are all sound costs one map read, a
// walk that visits no block nothing), and read again once when an address is not found (a mapping
// made since). The last range found readable is remembered, as consecutive headers are mostly in
// the same one.
class readable_memory {
public:
    readable_memory() noexcept = default;
    // Uses a map the caller has loaded (the leak check's, read while the threads are paused).
    explicit readable_memory(memory_map& loaded) noexcept : map_(&loaded), loaded_(true) {}
    readable_memory(const readable_memory&) = delete;
    readable_memory& operator=(const readable_memory&) = delete;

    bool covers(const void* p, std::size_t n) noexcept {
        std::uintptr_t const a = reinterpret_cast<std::uintptr_t>(p);
        if (a < page_size_assumed || a + n < a) return false;
        if (a >= lo_ && a + n <= hi_) return true;
        if (!loaded_ && probes_ < max_probes) {
            ++probes_;
            int const readable = probe_readable(a, n);
            if (readable == 1) {
                lo_ = a & ~std::uintptr_t(page_size_assumed - 1);
                hi_ = (a + n + page_size_assumed - 1) & ~std::uintptr_t(page_size_assumed - 1);
                return true;
            }
            if (readable == 0) return false;
            probes_ = max_probes; // the kernel cannot tell: the map from now on
        }
        if (!loaded_) {
            loaded_ = true;
            if (!map_->load()) return false;
        }
        if (find(a, n)) return true;
        if (reloads_ >= max_reloads) return false;
        ++reloads_;
        return map_->reload() && find(a, n);
    }

private:
    static constexpr unsigned max_reloads = 4; // a damaged list needs few; a flood of bad links none
    static constexpr unsigned max_probes = 32; // more blocks than this: one map read costs less

    bool find(std::uintptr_t a, std::size_t n) noexcept {
        bool found = false;
        map_->for_each_readable(a, a + n, [&](std::uintptr_t b, std::uintptr_t e) {
            if (b <= a && a + n <= e) {
                found = true;
                lo_ = b;
                hi_ = e;
            }
        });
        return found;
    }

    memory_map own_;
    memory_map* map_ = &own_;
    bool loaded_ = false;
    unsigned reloads_ = 0;
    unsigned probes_ = 0;
    std::uintptr_t lo_ = 0, hi_ = 0;
};

// What a walk found damaged, reported after it (report_walk_damage).
struct walk_damage {
    static constexpr std::size_t max = 8;
    struct entry {
        const void* address; // the damaged header's user pointer, or the bad link's value
        const char* what;
    };
    entry entries[max];
    std::size_t count = 0;

    void add(const void* address, const char* what) noexcept {
        for (std::size_t i = 0; i < count; ++i)
            if (entries[i].address == address) return;
        if (count < max) entries[count++] = entry{address, what};
    }
};

// A header `h`, reached from `from`: aligned as every header is, readable, and linking back to
// `from`. `backward`: reached through a `prev` link (so its `next` must be `from`). From null, `h`
// is a list's end, which the shard holds in leakguard's own memory: a live block, readable
// without proof (so a walk that stops at its first block reads no map).
inline bool sound_link(readable_memory& mem, const block_header* h, const block_header* from, bool backward) noexcept {
    if (reinterpret_cast<std::uintptr_t>(h) % 16 != 0) return false;
    if (from && !mem.covers(h, sizeof(block_header))) return false;
    return (backward ? h->next : h->prev) == from;
}

// Whether what the reports read through `h`'s fields can be read: the block's bytes and tail
// guard (its size and guard length are in one word a write before the block can reach), and its
// stack or location record.
inline bool sound_fields(readable_memory& mem, const block_header* h) noexcept {
    // Lengths and alignments no block was given, and kinds there are not.
    std::uint64_t const shape = h->shape;
    if (!((g_guard_units_used.load(std::memory_order_relaxed) >> shape_guard_units(shape)) & 1u)) return false;
    if (!((g_align_shifts_used.load(std::memory_order_relaxed) >> shape_align(shape)) & 1u)) return false;
    unsigned const kind = static_cast<unsigned>(kind_of(h));
    if (kind < static_cast<unsigned>(block_kind::new_scalar) || kind > static_cast<unsigned>(block_kind::pvalloc))
        return false;
    std::size_t const extent = size_of(h) + guard_bytes_of(h);
    if (extent && !mem.covers(reinterpret_cast<const char*>(h) + header_size, extent)) return false;

    unsigned const flags = flags_of(h);
    // As site_of (heap/errors.hpp) reads it: a location record first (which may carry a stack).
    if (flags & flag_has_location) return mem.covers(h->site, sizeof(location_record));
    if (flags & flag_has_stack) return g_stacks.owns(h->site);
    return true;
}

inline const void* user_address(const block_header* h) noexcept {
    return reinterpret_cast<const char*>(h) + header_size;
}

// Calls visit(block_header*) for every block of shard `s` (whose lock the caller holds) with a
// sequence number of at least `min_seq`, newest first, and then - if a link was damaged - the
// older ones that the walk from the oldest block reaches. Stops at the first block older than
// min_seq going back (lists are in allocation order), as the scope checks need.
template <class Visit>
void walk_shard(shard* s, readable_memory& mem, walk_damage& damage, std::uint64_t min_seq, Visit visit) noexcept {
    const block_header* from = nullptr;
    block_header* h = s->newest;
    bool broken = false;
    while (h) {
        if (!sound_link(mem, h, from, true)) {
            damage.add(from ? user_address(from) : static_cast<const void*>(h),
                       from ? "the link to the block before it in leakguard's list is damaged"
                            : "the newest block of a list is not a block");
            broken = true;
            break;
        }
        if (seq_of(h) < min_seq) return;
        if (sound_fields(mem, h)) visit(h);
        else damage.add(user_address(h), "its header is damaged (size, tail guard length or site)");
        from = h;
        h = h->prev;
    }
    if (!broken) return;
    // From the other end, up to the last block the first walk visited.
    const block_header* back = nullptr;
    for (h = s->oldest; h && h != from; h = h->next) {
        if (!sound_link(mem, h, back, false)) {
            damage.add(back ? user_address(back) : static_cast<const void*>(h),
                       back ? "the link to the block after it in leakguard's list is damaged"
                            : "the oldest block of a list is not a block");
            return;
        }
        if (seq_of(h) >= min_seq) {
            if (sound_fields(mem, h)) visit(h);
            else damage.add(user_address(h), "its header is damaged (size, tail guard length or site)");
        }
        back = h;
    }
}

// What was reported once in the run, by address and a tag (a sequence number, or 0): a later
// walk or check that finds the same does not report it again. A full table reports again rather
// than forget an error.
struct reported_once {
    spinlock lock;
    const void* address[256];
    std::uint64_t tag[256];
    std::size_t count;

    // True the first time (address, tag) is seen.
    bool first(const void* a, std::uint64_t t) noexcept {
        lock_guard hold(lock);
        for (std::size_t i = 0; i < count; ++i)
            if (address[i] == a && tag[i] == t) return false;
        if (count < 256) {
            address[count] = a;
            tag[count++] = t;
        }
        return true;
    }
};
reported_once g_reported_damage{}; // damaged records (report_walk_damage)

// Reports what a walk found (the caller holds no shard lock); returns how many were new.
inline std::size_t report_walk_damage(const walk_damage& damage) noexcept {
    std::size_t reported = 0;
    for (std::size_t i = 0; i < damage.count; ++i) {
        if (!g_reported_damage.first(damage.entries[i].address, 0)) continue;
        error_record e = error_record();
        e.type = error_type::heap_corruption;
        e.address = damage.entries[i].address;
        e.what = damage.entries[i].what;
        report_error(e);
        ++reported;
    }
    return reported;
}

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_REACH_LIST_WALK_HPP_INCLUDED

namespace leakguard {
namespace detail {

// valgrind's Reachedness, in the order a block can only move up (except unreached -> indirect).
enum class reach_state : unsigned char { unreached, indirect, possible, reachable };

// How a block is a root of its own: an ignored block (leakguard::ignore, an ignore region) is
// scanned and never reported, and what only it holds is not reported either (LeakSanitizer's
// rule); a block the dynamic linker allocated (dynamic TLS, its own tables) is reachable through
// memory the scan does not read (the loader's private mappings), so it counts as reachable.
enum : unsigned char { root_none = 0, root_ignored = 1, root_loader = 2 };

// 16 bytes a block, so that the index of a million blocks is 16 MB of pages to fault in: the user
// pointer, and one word with the size and the scan's state.
struct indexed_block {
    std::uintptr_t begin; // the user pointer (the header is just before it)
    std::uint64_t bits;   // size (44) | state (2) | pending (1) | heuristic (3) | root (2)

    static constexpr unsigned state_shift = 44, pending_shift = 46, heuristic_shift = 47, root_shift = 50;

    std::size_t size() const noexcept { return static_cast<std::size_t>(bits & max_block_size); }
    // A pointer to a 0-byte block's start counts (valgrind's rule), so it spans at least one byte.
    std::uintptr_t end() const noexcept { return begin + (size() ? size() : 1); }
    block_header* header() const noexcept { return header_of(reinterpret_cast<const void*>(begin)); }
    reach_state state() const noexcept { return static_cast<reach_state>((bits >> state_shift) & 3u); }
    bool pending() const noexcept { return (bits >> pending_shift) & 1u; }
    unsigned char heuristic() const noexcept { return static_cast<unsigned char>((bits >> heuristic_shift) & 7u); }
    unsigned char root() const noexcept { return static_cast<unsigned char>((bits >> root_shift) & 3u); }

    void set_state(reach_state s) noexcept {
        bits = (bits & ~(std::uint64_t(3) << state_shift)) | std::uint64_t(static_cast<unsigned>(s)) << state_shift;
    }
    void set_pending(bool p) noexcept {
        bits = (bits & ~(std::uint64_t(1) << pending_shift)) | std::uint64_t(p) << pending_shift;
    }
    void set_heuristic(unsigned char h) noexcept {
        bits = (bits & ~(std::uint64_t(7) << heuristic_shift)) | std::uint64_t(h & 7u) << heuristic_shift;
    }
    void set_root(unsigned char r) noexcept {
        bits = (bits & ~(std::uint64_t(3) << root_shift)) | std::uint64_t(r & 3u) << root_shift;
    }
};

class block_index {
public:
    block_index() noexcept
        : blocks_{nullptr, 0, 0}, clusters_{nullptr, 0, 0}, buckets_(nullptr), bucket_total_(0), lo_(0), hi_(0) {}
    ~block_index() {
        blocks_.release();
        clusters_.release();
        unmap_pages(buckets_, bucket_total_ * sizeof(std::uint32_t));
    }
    block_index(const block_index&) = delete;
    block_index& operator=(const block_index&) = delete;

    // Every live, linked block of the first `n` shards, which the caller holds (lock_shard). A
    // shard made since (by a thread started meanwhile) may be mid-change: it is left out.
    // root(h) says whether a block is a root of its own (root_none, root_ignored, root_loader),
    // asked here while its header is in the cache.
    // A damaged list is walked around (reach/list_walk.hpp) and noted in `damage`.
    template <class RootOf>
    bool build(std::uint32_t n, readable_memory& mem, walk_damage& damage, RootOf root_of) noexcept {
        std::uint64_t expected = 16;
        for (std::uint32_t i = 0; i < n; ++i)
            expected += g_registry.shards[i]->allocations - g_registry.shards[i]->frees;
        if (!blocks_.reserve(static_cast<std::size_t>(expected))) return false;
        bool room = true;
        for (std::uint32_t i = 0; i < n && room; ++i) {
            walk_shard(g_registry.shards[i], mem, damage, 0, [&](block_header* h) {
                if (!room || load_cookie(h) != cookie_for(h)) return; // freed by another thread just now
                indexed_block e = {reinterpret_cast<std::uintptr_t>(user_of(h)), size_of(h)};
                e.set_root(root_of(h));
                room = blocks_.push(e);
            });
        }
        if (!room) return false;
        // Each thread's blocks are mostly in address order already (one arena, allocated in turn).
        bool sorted = true;
        for (std::size_t i = 1; i < blocks_.count && sorted; ++i)
            sorted = blocks_.items[i - 1].begin < blocks_.items[i].begin;
        if (!sorted && !radix_sort())
            std::sort(blocks_.items, blocks_.items + blocks_.count,
                      [](const indexed_block& a, const indexed_block& b) { return a.begin < b.begin; });
        return make_buckets();
    }

    std::size_t size() const noexcept { return blocks_.count; }
    indexed_block& operator[](std::size_t i) noexcept { return blocks_.items[i]; }
    const indexed_block& operator[](std::size_t i) const noexcept { return blocks_.items[i]; }

    // The block that holds address `a` in [begin, end), or -1.
    LEAKGUARD_DETAIL_ALWAYS_INLINE long find(std::uintptr_t a) const noexcept {
        if (a < lo_ || a >= hi_) return -1;
        const cluster* c = clusters_.items;
        if (clusters_.count > 1) { // the last cluster that starts at or before `a`
            std::size_t lo = 0, hi = clusters_.count;
            while (hi - lo > 1) {
                std::size_t const mid = lo + (hi - lo) / 2;
                if (clusters_.items[mid].lo <= a) lo = mid;
                else hi = mid;
            }
            c = &clusters_.items[lo];
            if (a >= c->hi) return -1;
        }
        std::size_t const bucket = c->bucket_base + ((a - c->lo) >> c->shift);
        std::size_t lo = buckets_[bucket], hi = buckets_[bucket + 1] + 1;
        if (hi > c->last) hi = c->last;
        // The last block that begins at or before `a`, within the bucket's run.
        while (lo < hi) {
            std::size_t const mid = lo + (hi - lo) / 2;
            if (blocks_.items[mid].begin <= a) lo = mid + 1;
            else hi = mid;
        }
        if (lo == 0) return -1;
        const indexed_block& b = blocks_.items[lo - 1];
        return a < b.end() ? static_cast<long>(lo - 1) : -1;
    }

private:
    // Sorts by address in passes of 16 bits over the addresses' span (in 16-byte units): linear,
    // where a comparison sort of a million entries takes several times as long. False when the
    // scratch pages cannot be had (the caller sorts in place instead).
    bool radix_sort() noexcept {
        std::size_t const n = blocks_.count;
        if (n < 4096) return false; // not worth the scratch pages
        std::uintptr_t lo = ~std::uintptr_t(0), hi = 0;
        for (std::size_t i = 0; i < n; ++i) {
            if (blocks_.items[i].begin < lo) lo = blocks_.items[i].begin;
            if (blocks_.items[i].begin > hi) hi = blocks_.items[i].begin;
        }
        std::uintptr_t const span = (hi - lo) >> 4;
        unsigned passes = 1;
        while (passes < 4 && (span >> (16 * passes)) != 0) ++passes;
        constexpr std::size_t digits = 65536;
        std::size_t const scratch_bytes = n * sizeof(indexed_block);
        indexed_block* other = static_cast<indexed_block*>(map_pages(scratch_bytes));
        std::size_t* counts = static_cast<std::size_t*>(map_pages(digits * sizeof(std::size_t)));
        if (!other || !counts) {
            unmap_pages(other, scratch_bytes);
            unmap_pages(counts, digits * sizeof(std::size_t));
            return false;
        }
        indexed_block* from = blocks_.items;
        indexed_block* to = other;
        for (unsigned pass = 0; pass < passes; ++pass) {
            unsigned const shift = 4 + 16 * pass;
            for (std::size_t d = 0; d < digits; ++d) counts[d] = 0;
            for (std::size_t i = 0; i < n; ++i) ++counts[((from[i].begin - lo) >> shift) & (digits - 1)];
            std::size_t sum = 0;
            for (std::size_t d = 0; d < digits; ++d) {
                std::size_t const c = counts[d];
                counts[d] = sum;
                sum += c;
            }
            for (std::size_t i = 0; i < n; ++i) to[counts[((from[i].begin - lo) >> shift) & (digits - 1)]++] = from[i];
            indexed_block* const t = from;
            from = to;
            to = t;
        }
        if (from != blocks_.items)
            for (std::size_t i = 0; i < n; ++i) blocks_.items[i] = from[i];
        unmap_pages(other, scratch_bytes);
        unmap_pages(counts, digits * sizeof(std::size_t));
        return true;
    }

    // The blocks fall into clusters - the main heap, each thread's arena, large blocks the C
    // library mapped on their own - far apart in the address space: one bucket table over all of
    // it would put a whole heap in a handful of buckets. So each cluster (blocks less than
    // cluster_gap apart) has its own table, with about as many buckets as blocks.
    // buckets_[base + k]: the first block whose end is past the start of the cluster's bucket k;
    // buckets_[base + k + 1] bounds the blocks that begin inside it. Blocks do not overlap, so
    // ends are sorted too.
    static constexpr std::uintptr_t cluster_gap = std::uintptr_t(16) << 20;

    bool make_buckets() noexcept {
        std::size_t const n = blocks_.count;
        if (n == 0) return true;
        std::size_t total = 0;
        for (std::size_t first = 0; first < n;) {
            cluster c = {blocks_.items[first].begin, blocks_.items[first].end(), first, first, 4, total};
            std::size_t last = first + 1;
            while (last < n && blocks_.items[last].begin - c.hi < cluster_gap) {
                if (blocks_.items[last].end() > c.hi) c.hi = blocks_.items[last].end();
                ++last;
            }
            c.last = last;
            std::uintptr_t const span = c.hi - c.lo;
            while ((span >> c.shift) > (last - first) + 64) ++c.shift;
            total += (span >> c.shift) + 2;
            if (!clusters_.push(c)) return false;
            first = last;
        }
        lo_ = clusters_.items[0].lo;
        hi_ = clusters_.items[clusters_.count - 1].hi;
        bucket_total_ = total;
        buckets_ = static_cast<std::uint32_t*>(map_pages(total * sizeof(std::uint32_t)));
        if (!buckets_) return false;
        for (std::size_t ci = 0; ci < clusters_.count; ++ci) {
            const cluster& c = clusters_.items[ci];
            std::size_t const count = ((c.hi - c.lo) >> c.shift) + 1;
            std::size_t i = c.first;
            for (std::size_t k = 0; k <= count; ++k) {
                std::uintptr_t const start = c.lo + (std::uintptr_t(k) << c.shift);
                while (i < c.last && blocks_.items[i].end() <= start) ++i;
                buckets_[c.bucket_base + k] = static_cast<std::uint32_t>(i);
            }
        }
        return true;
    }

    struct cluster {
        std::uintptr_t lo;
        std::uintptr_t hi;
        std::size_t first; // its blocks: [first, last)
        std::size_t last;
        unsigned shift; // log2 of its bucket's bytes
        std::size_t bucket_base;
    };

    page_array<indexed_block> blocks_;
    page_array<cluster> clusters_;
    std::uint32_t* buckets_;
    std::size_t bucket_total_;
    std::uintptr_t lo_;
    std::uintptr_t hi_;
};

} // namespace detail
} // namespace leakguard

#endif
// #include "leakguard/detail/reach/heuristics.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// reach/heuristics.hpp: valgrind's default leak-check heuristics. An interior pointer usually
// makes a block only "possibly lost"; these four layouts are common enough in C++ that valgrind
// counts such a pointer as a start pointer (the block is then "reachable via heuristic"), and so
// does leakguard, with valgrind's exact tests:
//   stdstring            the pointer is 3 words in; the block is length, capacity, refcount, then
//                        capacity + 1 chars (the old copy-on-write std::string), length <= capacity
//   length64             the pointer is 8 bytes in; the first 8 bytes hold the size of the rest
//   newarray             the pointer is 1 word in; the first word, an element count n > 0, divides
//                        the rest (new T[n] of a type with a destructor)
//   multipleinheritance  the word at the pointer and the block's first word both point at vtables
//                        (a table in a file mapping holding 2 pointers into executable mappings
//                        among its first 20 words, zeros skipped)
#ifndef LEAKGUARD_DETAIL_REACH_HEURISTICS_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REACH_HEURISTICS_HPP_INCLUDED

#include <cstddef> // std::size_t
#include <cstdint> // std::uintptr_t

// #include "leakguard/detail/config.hpp" (inlined)
// #include "leakguard/detail/reach/block_index.hpp" (inlined)
// #include "leakguard/detail/reach/memory_map.hpp" (inlined)

namespace leakguard {
namespace detail {

enum : unsigned char {
    heuristic_none = 0,
    heuristic_stdstring = 1,
    heuristic_length64 = 2,
    heuristic_newarray = 3,
    heuristic_multipleinheritance = 4
};

LEAKGUARD_DETAIL_NO_SANITIZE_MEMORY inline std::uintptr_t word_at(std::uintptr_t a) noexcept {
    return *reinterpret_cast<const std::uintptr_t*>(a);
}

// valgrind's vtable test: `a` in a readable file mapping, and among its first 20 words (within
// that mapping) two non-null ones before any that does not point into an executable file mapping.
inline bool looks_like_vtable(std::uintptr_t a, const memory_map& map) noexcept {
    const mapped_range* seg = map.find(a);
    if (!seg || !seg->file_backed || !seg->readable) return false;
    std::uintptr_t last = a + 20 * sizeof(std::uintptr_t);
    if (last > seg->end - sizeof(std::uintptr_t)) last = seg->end - sizeof(std::uintptr_t);
    int functions = 0;
    for (std::uintptr_t p = a; p <= last; p += sizeof(std::uintptr_t)) {
        std::uintptr_t const f = word_at(p);
        if (f == 0) continue;
        const mapped_range* code = map.find(f);
        if (!code || !code->file_backed || !code->executable) return false;
        if (++functions == 2) return true;
    }
    return false;
}

// Which heuristic, if any, makes interior pointer `p` into block `b` count as a start pointer.
inline unsigned char heuristic_for(std::uintptr_t p, const indexed_block& b, const memory_map& map) noexcept {
    std::size_t const size = b.size();
    constexpr std::size_t w = sizeof(std::uintptr_t);
    if (p == b.begin + 3 * w && size >= 2 * w) {
        std::uintptr_t const capacity = word_at(b.begin + w);
        if (3 * w + capacity + 1 == size && word_at(b.begin) <= capacity) return heuristic_stdstring;
    }
    if (p == b.begin + 8 && size >= 8) {
        std::uintptr_t const rest = word_at(b.begin);
        if (rest > 0 && size - 8 == rest) return heuristic_length64;
    }
    if (p == b.begin + w && size >= w) {
        std::uintptr_t const n = word_at(b.begin);
        if (n > 0 && (size - w) % n == 0) return heuristic_newarray;
    }
    if (p % w == 0 && p + w <= b.begin + size && size >= w) {
        std::uintptr_t const inner = word_at(p);
        std::uintptr_t const first = word_at(b.begin);
        if (inner % w == 0 && inner >= 4096 && first % w == 0 && first >= 4096 && looks_like_vtable(inner, map) &&
            looks_like_vtable(first, map))
            return heuristic_multipleinheritance;
    }
    return heuristic_none;
}

} // namespace detail
} // namespace leakguard

#endif
// #include "leakguard/detail/reach/marker.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// reach/marker.hpp: valgrind's marking rules, over the block index.
//
// From the roots (and the blocks that are roots of their own), every aligned pointer-sized word
// is looked up:
//   - a start pointer (or an interior pointer one of valgrind's heuristics accepts) from a root or
//     from a reachable block makes the block reachable;
//   - an interior pointer, or any pointer from a block that is only possibly reachable, makes an
//     unreached block possibly lost;
// and each block whose state rises is scanned (again). Then every block still unreached heads a
// clique: what it reaches that is still unreached (start or interior pointer alike) becomes
// indirectly lost and its bytes are added to the head's, a former head passing its own on. Heads
// are taken in address order, so in an unreferenced cycle the lowest block stays definitely lost
// and the rest are indirect - valgrind's clique leader.
#ifndef LEAKGUARD_DETAIL_REACH_MARKER_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REACH_MARKER_HPP_INCLUDED

#include <cstddef> // std::size_t
#include <cstdint> // std::uintptr_t, std::uint32_t

// #include "leakguard/detail/config.hpp" (inlined)
// #include "leakguard/detail/core/pages.hpp" (inlined)
// #include "leakguard/detail/reach/block_index.hpp" (inlined)
// #include "leakguard/detail/reach/heuristics.hpp" (inlined)
// #include "leakguard/detail/reach/memory_map.hpp" (inlined)

namespace leakguard {
namespace detail {

class marker {
public:
    marker(block_index& index, const memory_map& map) noexcept
        : index_(index), map_(map), stack_{nullptr, 0, 0}, held_{nullptr, 0, 0}, ok_(stack_.reserve(index.size() + 1)),
          words_(0) {}
    ~marker() {
        stack_.release();
        held_.release();
    }
    marker(const marker&) = delete;
    marker& operator=(const marker&) = delete;

    bool ok() const noexcept { return ok_; }
    std::uint64_t words_scanned() const noexcept { return words_; }

    // A word found in a root (a register, a stack, a global) or in a block.
    LEAKGUARD_DETAIL_ALWAYS_INLINE void consider(std::uintptr_t w, bool prior_definite) noexcept {
        long const i = index_.find(w);
        if (i >= 0) reach(static_cast<std::size_t>(i), w, prior_definite);
    }

    // Every aligned word of [begin, end): memory the caller proved readable.
    LEAKGUARD_DETAIL_NO_SANITIZE_MEMORY void scan(std::uintptr_t begin, std::uintptr_t end,
                                                  bool prior_definite) noexcept {
        constexpr std::uintptr_t w = sizeof(std::uintptr_t);
        std::uintptr_t p = (begin + w - 1) & ~(w - 1);
        std::uintptr_t const last = end & ~(w - 1);
        words_ += p < last ? (last - p) / w : 0;
        for (; p < last; p += w) consider(*reinterpret_cast<const std::uintptr_t*>(p), prior_definite);
    }

    // A block that is a root of its own (ignored, or the loader's): scanned as a root is.
    void root_block(std::size_t i) noexcept {
        indexed_block& b = index_[i];
        if (b.root() == root_loader) b.set_state(reach_state::reachable);
        push(i);
    }

    // Hands over the clique leaders' indirect bytes, one per block (empty when nothing is lost).
    page_array<std::uint64_t> take_indirect_bytes() noexcept {
        page_array<std::uint64_t> out = held_;
        held_ = page_array<std::uint64_t>{nullptr, 0, 0};
        return out;
    }

    // Scans the blocks on the mark stack until none is left.
    void drain() noexcept {
        while (stack_.count) {
            std::size_t const i = stack_.items[--stack_.count];
            indexed_block& b = index_[i];
            b.set_pending(false);
            // A root block, or a block reached by a start pointer, passes on definite reach.
            bool const definite = b.root() != root_none || b.state() == reach_state::reachable;
            scan(b.begin, b.begin + b.size(), definite);
        }
    }

    // The cliques, once the roots are all marked.
    void gather_cliques() noexcept {
        for (std::size_t leader = 0; leader < index_.size(); ++leader) {
            indexed_block& head = index_[leader];
            if (head.state() != reach_state::unreached || head.root() != root_none) continue;
            // The byte counts, only once there is a lost block (zeroed pages).
            if (!held_.count) {
                if (!held_.reserve(index_.size())) return;
                held_.count = index_.size();
            }
            push(leader);
            while (stack_.count) {
                std::size_t const i = stack_.items[--stack_.count];
                indexed_block& b = index_[i];
                b.set_pending(false);
                clique_scan(b.begin, b.begin + b.size(), leader);
            }
        }
    }

private:
    void push(std::size_t i) noexcept {
        indexed_block& b = index_[i];
        if (b.pending()) return;
        b.set_pending(true);
        stack_.items[stack_.count++] = static_cast<std::uint32_t>(i); // room for every block
    }

    void reach(std::size_t i, std::uintptr_t w, bool prior_definite) noexcept {
        indexed_block& b = index_[i];
        if (b.state() == reach_state::reachable) {
            if (b.heuristic() && w == b.begin) b.set_heuristic(heuristic_none);
            return;
        }
        bool start = w == b.begin;
        if (!start) {
            b.set_heuristic(heuristic_for(w, b, map_));
            start = b.heuristic() != heuristic_none;
        }
        if (start && prior_definite) {
            b.set_state(reach_state::reachable);
            push(i);
        } else if (b.state() == reach_state::unreached) {
            b.set_state(reach_state::possible);
            push(i);
        }
    }

    LEAKGUARD_DETAIL_NO_SANITIZE_MEMORY void clique_scan(std::uintptr_t begin, std::uintptr_t end,
                                                         std::size_t leader) noexcept {
        constexpr std::uintptr_t w = sizeof(std::uintptr_t);
        std::uintptr_t p = (begin + w - 1) & ~(w - 1);
        std::uintptr_t const last = end & ~(w - 1);
        for (; p < last; p += w) {
            long const found = index_.find(*reinterpret_cast<const std::uintptr_t*>(p));
            if (found < 0) continue;
            std::size_t const j = static_cast<std::size_t>(found);
            indexed_block& b = index_[j];
            if (b.state() != reach_state::unreached || j == leader || b.root() != root_none) continue;
            push(j);
            held_.items[leader] += b.size() + held_.items[j];
            held_.items[j] = 0;
            b.set_state(reach_state::indirect);
        }
    }

    block_index& index_;
    const memory_map& map_;
    page_array<std::uint32_t> stack_;
    page_array<std::uint64_t> held_; // per block: a clique leader's indirect bytes
    bool ok_;
    std::uint64_t words_;
};

} // namespace detail
} // namespace leakguard

#endif
// #include "leakguard/detail/reach/root_regions.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// reach/root_regions.hpp: memory the program asks the scan to read as a root
// (leakguard::register_root_region): a custom arena, an mmap'ed table, memory another allocator
// handed out - anything that holds pointers to heap blocks but is not a module's data, a stack or
// TLS. Kept in pages under a lock; the check copies the list before it pauses other threads
// (one of them might hold the lock).
#ifndef LEAKGUARD_DETAIL_REACH_ROOT_REGIONS_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REACH_ROOT_REGIONS_HPP_INCLUDED

#include <cstddef> // std::size_t
#include <cstdint> // std::uintptr_t

// #include "leakguard/detail/core/pages.hpp" (inlined)
// #include "leakguard/detail/core/platform.hpp" (inlined)

namespace leakguard {
namespace detail {

struct address_range {
    std::uintptr_t begin;
    std::uintptr_t end;
};

struct root_region_table {
    spinlock lock;
    page_array<address_range> ranges;
};

root_region_table g_root_regions{};

inline bool add_root_region(const void* p, std::size_t n) noexcept {
    if (!p || n == 0) return false;
    std::uintptr_t const b = reinterpret_cast<std::uintptr_t>(p);
    if (b + n < b) return false;
    lock_guard hold(g_root_regions.lock);
    return g_root_regions.ranges.push(address_range{b, b + n});
}

// Removes a region registered with exactly this start and size.
inline bool remove_root_region(const void* p, std::size_t n) noexcept {
    std::uintptr_t const b = reinterpret_cast<std::uintptr_t>(p);
    lock_guard hold(g_root_regions.lock);
    page_array<address_range>& r = g_root_regions.ranges;
    for (std::size_t i = 0; i < r.count; ++i) {
        if (r.items[i].begin == b && r.items[i].end == b + n) {
            r.items[i] = r.items[--r.count];
            return true;
        }
    }
    return false;
}

inline bool copy_root_regions(page_array<address_range>& out) noexcept {
    lock_guard hold(g_root_regions.lock);
    const page_array<address_range>& r = g_root_regions.ranges;
    if (!out.reserve(r.count + 1)) return false;
    for (std::size_t i = 0; i < r.count; ++i) out.items[out.count++] = r.items[i];
    return true;
}

} // namespace detail
} // namespace leakguard

#endif
// #include "leakguard/detail/reach/roots.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// reach/roots.hpp: where the scan starts - the writable segments of every loaded module (.data,
// .bss, relro: whole pages, where the loader's early allocations also live), each thread's
// registers, its stack from its stack pointer up (the 128-byte red zone below it included), its
// static TLS blocks and its thread control block (pthread_setspecific values, the TLS vector), and
// the regions the program registered - minus leakguard's own state, whose pointers are its
// bookkeeping, not the program's.
//
// The plan is made before other threads are paused (dl_iterate_phdr and dlsym take the loader's
// lock, which a paused thread may hold); the ranges are read after, each clipped to what
// /proc/self/maps says is readable at that moment.
#ifndef LEAKGUARD_DETAIL_REACH_ROOTS_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REACH_ROOTS_HPP_INCLUDED

#include <algorithm>  // std::sort
#include <cstddef>    // std::size_t
#include <cstdint>    // std::uintptr_t, std::intptr_t
#include <link.h>     // dl_iterate_phdr
#include <sys/auxv.h> // getauxval, AT_BASE

#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1 // RTLD_DEFAULT
#endif
#include <dlfcn.h> // dlsym

// #include "leakguard/detail/capture/locations.hpp" (inlined)
// #include "leakguard/detail/capture/stack_capture.hpp" (inlined)
// #include "leakguard/detail/capture/stack_table.hpp" (inlined)
// #include "leakguard/detail/core/libc_functions.hpp" (inlined)
// #include "leakguard/detail/core/options.hpp" (inlined)
// #include "leakguard/detail/core/pages.hpp" (inlined)
// #include "leakguard/detail/heap/errors.hpp" (inlined)
// #include "leakguard/detail/heap/new_sites.hpp" (inlined)
// #include "leakguard/detail/heap/recycler.hpp" (inlined)
// #include "leakguard/detail/heap/registry.hpp" (inlined)
// #include "leakguard/detail/symbolize/symbolize.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// symbolize/symbolize.hpp: naming a return address at report time - module and offset from the dynamic
// loader, the function from the module's ELF symbol table (or its exports when stripped), and the
// source file:line of the call from the module's DWARF line table (built with -g), read from the
// module's file or its separate debug file (debug_files.hpp), one compilation unit at a time
// (dwarf_units.hpp); and, for a return address inside inlined code, the inlined calls it lies in
// (symbolize_frames).
#ifndef LEAKGUARD_DETAIL_SYMBOLIZE_SYMBOLIZE_HPP_INCLUDED
#define LEAKGUARD_DETAIL_SYMBOLIZE_SYMBOLIZE_HPP_INCLUDED

#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1 // dladdr1
#endif
#include <cstdint>    // std::uintptr_t
#include <cstring>    // std::strcmp
#include <cxxabi.h>   // abi::__cxa_demangle (uses malloc, not operator new)
#include <dlfcn.h>    // dladdr1
#include <link.h>     // ElfW(Sym)
#include <sys/stat.h> // stat
#include <unistd.h>   // readlink

// #include "leakguard/detail/symbolize/debug_files.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// symbolize/debug_files.hpp: a module's separate debug file, for a module whose own file carries no
// debug information (stripped), found the way gdb finds it and Debian's -dbgsym packages install
// it: by the module's build ID (the NT_GNU_BUILD_ID note) as DIR/.build-id/xx/yyyy.debug, else by
// the name its .gnu_debuglink section gives, in the module's directory, in its .debug/
// subdirectory and as DIR/<the module's directory>/<name>, for each DIR of the
// debug_file_directory option (default /usr/lib/debug). A candidate is taken only when its build
// ID is the module's (when the module has one), so a stale debug file is never read; the
// debuglink's CRC is not computed (it would read the whole file). Looked for once per module, the
// first time a report wants its file:line or a name its own file lacks.
#ifndef LEAKGUARD_DETAIL_SYMBOLIZE_DEBUG_FILES_HPP_INCLUDED
#define LEAKGUARD_DETAIL_SYMBOLIZE_DEBUG_FILES_HPP_INCLUDED

#include <cstdio>     // std::snprintf
#include <cstring>    // std::memcmp, std::memchr, std::strcmp, std::strrchr, std::strlen
#include <sys/mman.h> // munmap
#include <sys/stat.h> // stat
#include <unistd.h>   // readlink

// #include "leakguard/detail/symbolize/dwarf_lines.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// symbolize/dwarf_lines.hpp: file:line for an address, from the DWARF line table (.debug_line, versions
// 2 to 5) of a module's file. Only the line-table unit of the compilation unit covering an address
// is read (symbolize/dwarf_units.hpp finds it), and of it only an index: one entry per sequence
// (the rows of one contiguous piece of code, a function under -ffunction-sections) with its
// address range and where its opcodes start, in raw memory. A lookup runs the one sequence that
// holds the address; no row is stored. Anything it does not understand (compressed sections,
// unknown forms) means "no file:line", never a crash.
#ifndef LEAKGUARD_DETAIL_SYMBOLIZE_DWARF_LINES_HPP_INCLUDED
#define LEAKGUARD_DETAIL_SYMBOLIZE_DWARF_LINES_HPP_INCLUDED

#include <algorithm> // std::sort, std::upper_bound
#include <cstdint>   // std::uint64_t
#include <cstdio>    // std::snprintf
#include <cstdlib>   // std::realloc
#include <cstring>   // std::strcmp

// #include "leakguard/detail/symbolize/elf_symbols.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// symbolize/elf_symbols.hpp: the function containing an address, from the module's own ELF symbol
// table (.symtab, else .dynsym), read from its file at report time. This names functions that the
// dynamic loader cannot (an executable exports almost nothing without -rdynamic). Reads the file
// through a read-only mapping; no allocation through the tracked operators.
#ifndef LEAKGUARD_DETAIL_SYMBOLIZE_ELF_SYMBOLS_HPP_INCLUDED
#define LEAKGUARD_DETAIL_SYMBOLIZE_ELF_SYMBOLS_HPP_INCLUDED

#include <cstdint>    // std::uintptr_t
#include <cstring>    // std::memcmp
#include <elf.h>      // ElfW types
#include <fcntl.h>    // open
#include <link.h>     // ElfW
#include <sys/mman.h> // mmap
#include <sys/stat.h> // fstat
#include <unistd.h>   // close

namespace leakguard {
namespace detail {

// One module's file, mapped for the length of a report.
struct elf_image {
    const unsigned char* data;
    std::size_t size;
};

inline bool map_elf(const char* path, elf_image& image) noexcept {
    image.data = nullptr;
    image.size = 0;
    int const fd = ::open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    struct stat st;
    void* map = MAP_FAILED;
    if (::fstat(fd, &st) == 0 && st.st_size > static_cast<off_t>(sizeof(ElfW(Ehdr))))
        map = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
    ::close(fd);
    if (map == MAP_FAILED) return false;
    image.data = static_cast<const unsigned char*>(map);
    image.size = static_cast<std::size_t>(st.st_size);
    const ElfW(Ehdr)* eh = reinterpret_cast<const ElfW(Ehdr)*>(image.data);
    bool const valid = std::memcmp(eh->e_ident, ELFMAG, SELFMAG) == 0 && eh->e_shoff != 0 &&
                       eh->e_shentsize == sizeof(ElfW(Shdr)) &&
                       eh->e_shoff + std::size_t(eh->e_shnum) * sizeof(ElfW(Shdr)) <= image.size;
    if (!valid) {
        ::munmap(map, image.size);
        image.data = nullptr;
        return false;
    }
    return true;
}

// Whether the image has a symbol table of its own (.symtab; a stripped file has only .dynsym).
inline bool elf_has_symtab(const elf_image& image) noexcept {
    const ElfW(Ehdr)* eh = reinterpret_cast<const ElfW(Ehdr)*>(image.data);
    const ElfW(Shdr)* sections = reinterpret_cast<const ElfW(Shdr)*>(image.data + eh->e_shoff);
    for (unsigned i = 0; i < eh->e_shnum; ++i)
        if (sections[i].sh_type == SHT_SYMTAB) return true;
    return false;
}

// The name of the function symbol that contains `vaddr` (an address as the file's symbol table
// counts it: the run-time address less the module's load bias), or null.
inline const char* elf_function_at(const elf_image& image, std::uintptr_t vaddr) noexcept {
    const ElfW(Ehdr)* eh = reinterpret_cast<const ElfW(Ehdr)*>(image.data);
    const ElfW(Shdr)* sections = reinterpret_cast<const ElfW(Shdr)*>(image.data + eh->e_shoff);
    for (unsigned pass = 0; pass < 2; ++pass) {
        unsigned const wanted = pass == 0 ? SHT_SYMTAB : SHT_DYNSYM;
        for (unsigned i = 0; i < eh->e_shnum; ++i) {
            const ElfW(Shdr)& symtab = sections[i];
            if (symtab.sh_type != wanted || symtab.sh_link >= eh->e_shnum) continue;
            const ElfW(Shdr)& strtab = sections[symtab.sh_link];
            if (strtab.sh_type == SHT_NOBITS) continue; // a debug file's copy of a section it left out
            if (symtab.sh_offset + symtab.sh_size > image.size || strtab.sh_offset + strtab.sh_size > image.size)
                continue;
            const ElfW(Sym)* syms = reinterpret_cast<const ElfW(Sym)*>(image.data + symtab.sh_offset);
            std::size_t const count = symtab.sh_size / sizeof(ElfW(Sym));
            const char* names = reinterpret_cast<const char*>(image.data + strtab.sh_offset);
            for (std::size_t k = 0; k < count; ++k) {
                const ElfW(Sym)& s = syms[k];
                if (ELF64_ST_TYPE(s.st_info) != STT_FUNC || s.st_value == 0 || s.st_name >= strtab.sh_size) continue;
                if (vaddr >= s.st_value && vaddr < s.st_value + (s.st_size ? s.st_size : 1)) return names + s.st_name;
            }
        }
    }
    return nullptr;
}

} // namespace detail
} // namespace leakguard

#endif
// #include "leakguard/detail/core/platform.hpp" (inlined)

namespace leakguard {
namespace detail {

// The sections a line-table unit reads: its own program and header, and the strings of DWARF 5's
// file tables.
struct line_sections {
    const unsigned char* line_data; // .debug_line
    std::size_t line_size;
    const char* line_str; // .debug_line_str (DWARF 5)
    std::size_t line_str_size;
    const char* str; // .debug_str
    std::size_t str_size;
};

// One sequence of a line-table unit: rows for [lo, hi), whose opcodes start at `start` (an offset
// into .debug_line).
struct line_sequence {
    std::uint64_t lo;
    std::uint64_t hi;
    std::uint64_t start;
};

// The sequences of one line-table unit (that at `unit`, an offset into .debug_line), sorted by
// address (raw memory).
struct line_table {
    line_sequence* items;
    std::size_t count;
    std::uint64_t unit;
};

// A bounds-checked reader over one section.
struct dwarf_cursor {
    const unsigned char* p;
    const unsigned char* end;
    bool ok;

    bool need(std::size_t n) noexcept {
        if (!ok || static_cast<std::size_t>(end - p) < n) ok = false;
        return ok;
    }
    std::uint64_t fixed(unsigned n) noexcept {
        if (!need(n)) return 0;
        std::uint64_t v = 0;
        for (unsigned i = 0; i < n; ++i) v |= std::uint64_t(p[i]) << (8 * i); // little-endian targets
        p += n;
        return v;
    }
    std::uint64_t uleb() noexcept {
        std::uint64_t v = 0;
        for (unsigned shift = 0; need(1); shift += 7) {
            unsigned char const b = *p++;
            if (shift < 64) v |= std::uint64_t(b & 0x7f) << shift;
            if (!(b & 0x80)) break;
        }
        return v;
    }
    std::int64_t sleb() noexcept {
        std::int64_t v = 0;
        unsigned shift = 0;
        unsigned char b = 0;
        do {
            if (!need(1)) return 0;
            b = *p++;
            if (shift < 64) v |= static_cast<std::int64_t>(std::uint64_t(b & 0x7f) << shift);
            shift += 7;
        } while (b & 0x80);
        if (shift < 64 && (b & 0x40)) v |= -(std::int64_t(1) << shift);
        return v;
    }
    const char* cstr() noexcept {
        const char* s = reinterpret_cast<const char*>(p);
        while (need(1) && *p) ++p;
        if (need(1)) ++p;
        return ok ? s : nullptr;
    }
    void skip(std::uint64_t n) noexcept {
        if (need(static_cast<std::size_t>(n))) p += n;
    }
};

inline const ElfW(Shdr) * find_section(const elf_image& image, const char* name) noexcept {
    const ElfW(Ehdr)* eh = reinterpret_cast<const ElfW(Ehdr)*>(image.data);
    const ElfW(Shdr)* sections = reinterpret_cast<const ElfW(Shdr)*>(image.data + eh->e_shoff);
    if (eh->e_shstrndx >= eh->e_shnum) return nullptr;
    const ElfW(Shdr)& names = sections[eh->e_shstrndx];
    if (names.sh_offset + names.sh_size > image.size) return nullptr;
    for (unsigned i = 0; i < eh->e_shnum; ++i) {
        const ElfW(Shdr)& s = sections[i];
        if (s.sh_name >= names.sh_size || s.sh_type == SHT_NOBITS || (s.sh_flags & SHF_COMPRESSED)) continue;
        if (s.sh_offset + s.sh_size > image.size) continue;
        if (std::strcmp(reinterpret_cast<const char*>(image.data + names.sh_offset + s.sh_name), name) == 0) return &s;
    }
    return nullptr;
}

// The header of one line-table unit: what decoding its program and naming its files needs.
struct line_header {
    unsigned version;
    unsigned offset_size; // 4 or 8 (64-bit DWARF)
    unsigned address_size;
    unsigned min_inst;
    int line_base;
    unsigned line_range;
    unsigned opcode_base;
    const unsigned char* opcode_lengths;
    const unsigned char* tables;  // directory and file tables start here
    const unsigned char* program; // line-number program
    const unsigned char* end;     // end of the unit
};

inline bool read_line_header(const unsigned char* unit, const unsigned char* section_end, line_header& h) noexcept {
    dwarf_cursor c = {unit, section_end, true};
    std::uint64_t length = c.fixed(4);
    h.offset_size = 4;
    if (length == 0xffffffffu) {
        length = c.fixed(8);
        h.offset_size = 8;
    }
    if (!c.need(static_cast<std::size_t>(length))) return false;
    h.end = c.p + length;
    c.end = h.end;
    h.version = static_cast<unsigned>(c.fixed(2));
    if (h.version < 2 || h.version > 5) return false;
    h.address_size = 8;
    if (h.version >= 5) {
        h.address_size = static_cast<unsigned>(c.fixed(1));
        c.fixed(1); // segment selector size
    }
    std::uint64_t const header_length = c.fixed(h.offset_size);
    if (!c.need(static_cast<std::size_t>(header_length))) return false;
    h.program = c.p + header_length;
    h.min_inst = static_cast<unsigned>(c.fixed(1));
    if (h.version >= 4) c.fixed(1);                     // maximum operations per instruction (VLIW only)
    c.fixed(1);                                         // default is_stmt
    int const line_base = static_cast<int>(c.fixed(1)); // a signed byte
    h.line_base = line_base >= 128 ? line_base - 256 : line_base;
    h.line_range = static_cast<unsigned>(c.fixed(1));
    h.opcode_base = static_cast<unsigned>(c.fixed(1));
    h.opcode_lengths = c.p;
    c.skip(h.opcode_base ? h.opcode_base - 1 : 0);
    h.tables = c.p;
    return c.ok && h.line_range != 0 && h.program <= h.end && (h.address_size == 4 || h.address_size == 8);
}

// Reads one attribute of a DWARF 5 directory or file entry; strings come back in `text`.
inline bool read_form(dwarf_cursor& c, std::uint64_t form, const line_sections& t, unsigned offset_size,
                      const char*& text, std::uint64_t& number) noexcept {
    text = nullptr;
    number = 0;
    switch (form) {
    case 0x08: text = c.cstr(); break; // DW_FORM_string
    case 0x1f: {                       // DW_FORM_line_strp
        std::uint64_t const off = c.fixed(offset_size);
        if (t.line_str && off < t.line_str_size) text = t.line_str + off;
        break;
    }
    case 0x0e: { // DW_FORM_strp
        std::uint64_t const off = c.fixed(offset_size);
        if (t.str && off < t.str_size) text = t.str + off;
        break;
    }
    case 0x0b: number = c.fixed(1); break; // DW_FORM_data1
    case 0x05: number = c.fixed(2); break; // DW_FORM_data2
    case 0x06: number = c.fixed(4); break; // DW_FORM_data4
    case 0x07: number = c.fixed(8); break; // DW_FORM_data8
    case 0x1e: c.skip(16); break;          // DW_FORM_data16 (MD5)
    case 0x0f: number = c.uleb(); break;   // DW_FORM_udata
    case 0x09: c.skip(c.uleb()); break;    // DW_FORM_block
    default: return false;
    }
    return c.ok;
}

// Finds directory `dir_index` or file `file_index` (pass the other as ~0u) in a unit's tables.
// Returns the path and, for a file, its directory index.
inline const char* unit_entry(const line_sections& t, const line_header& h, unsigned want_dir, unsigned want_file,
                              std::uint64_t& dir_of_file) noexcept {
    dwarf_cursor c = {h.tables, h.program, true};
    dir_of_file = 0;
    if (h.version < 5) {
        // Directories: strings ending with an empty one (index 1 upwards; 0 is the unit's own).
        for (unsigned i = 1;; ++i) {
            const char* d = c.cstr();
            if (!d || !*d) break;
            if (i == want_dir) return d;
        }
        for (unsigned i = 1;; ++i) {
            const char* f = c.cstr();
            if (!f || !*f) break;
            std::uint64_t const dir = c.uleb();
            c.uleb(); // modification time
            c.uleb(); // length
            if (i == want_file) {
                dir_of_file = dir;
                return f;
            }
        }
        return nullptr;
    }
    for (unsigned table = 0; table < 2; ++table) {
        unsigned const format_count = static_cast<unsigned>(c.fixed(1));
        std::uint64_t formats[16][2];
        if (format_count > 16) return nullptr;
        for (unsigned i = 0; i < format_count; ++i) {
            formats[i][0] = c.uleb();
            formats[i][1] = c.uleb();
        }
        std::uint64_t const count = c.uleb();
        unsigned const want = table == 0 ? want_dir : want_file;
        for (std::uint64_t i = 0; i < count && c.ok; ++i) {
            const char* path = nullptr;
            std::uint64_t dir = 0;
            for (unsigned k = 0; k < format_count; ++k) {
                const char* text = nullptr;
                std::uint64_t number = 0;
                if (!read_form(c, formats[k][1], t, h.offset_size, text, number)) return nullptr;
                if (formats[k][0] == 1) path = text;  // DW_LNCT_path
                if (formats[k][0] == 2) dir = number; // DW_LNCT_directory_index
            }
            if (i == want) {
                dir_of_file = dir;
                return path;
            }
        }
    }
    return nullptr;
}

// Runs a line-number program from `p` (the unit's program, or a sequence's first opcode), calling
// row(address, file, line, end, next) for each row it emits (`next`: where the opcodes after it
// start; after an end row, the next sequence's), until row returns false or the unit ends.
template <class Row>
inline void run_line_program(const line_header& h, const unsigned char* p, Row&& row) noexcept {
    dwarf_cursor c = {p, h.end, true};
    std::uint64_t address = 0;
    std::int64_t line = 1;
    std::uint64_t file = 1;
    while (c.ok && c.p < c.end) {
        unsigned const op = *c.p++;
        if (op >= h.opcode_base) { // special opcode: advance address and line, emit a row
            unsigned const adjusted = op - h.opcode_base;
            address += std::uint64_t(adjusted / h.line_range) * h.min_inst;
            line += h.line_base + static_cast<int>(adjusted % h.line_range);
            if (!row(address, file, line, false, c.p)) return;
            continue;
        }
        switch (op) {
        case 0: { // extended opcode
            std::uint64_t const len = c.uleb();
            if (len == 0 || !c.need(static_cast<std::size_t>(len))) return;
            const unsigned char* next = c.p + len;
            unsigned const sub = *c.p++;
            c.p = next;
            if (sub == 1) { // end_sequence
                if (!row(address, file, line, true, c.p)) return;
                address = 0;
                line = 1;
                file = 1;
            } else if (sub == 2) { // set_address
                dwarf_cursor a = {next - (len - 1), next, true};
                address = a.fixed(static_cast<unsigned>(len - 1 <= 8 ? len - 1 : 8));
            }
            break;
        }
        case 1: // copy
            if (!row(address, file, line, false, c.p)) return;
            break;
        case 2: address += c.uleb() * h.min_inst; break;                                            // advance_pc
        case 3: line += c.sleb(); break;                                                            // advance_line
        case 4: file = c.uleb(); break;                                                             // set_file
        case 8: address += std::uint64_t((255 - h.opcode_base) / h.line_range) * h.min_inst; break; // const_add_pc
        case 9: address += c.fixed(2); break;                                                       // fixed_advance_pc
        default: // other standard opcodes: skip their ULEB operands
            for (unsigned i = 0; i < h.opcode_lengths[op - 1]; ++i) c.uleb();
            break;
        }
    }
}

inline bool grow_sequences(line_table& t, std::size_t& capacity) noexcept {
    if (t.count < capacity) return true;
    std::size_t const grown = capacity ? capacity * 2 : 64;
    void* mem = raw_realloc(t.items, grown * sizeof(line_sequence));
    if (!mem) return false;
    t.items = static_cast<line_sequence*>(mem);
    capacity = grown;
    return true;
}

// Indexes the sequences of the line-table unit at `unit` (an offset into .debug_line: a
// compilation unit's DW_AT_stmt_list) into `t`; false when it has none. A sequence that starts at
// address 0 (or at the all-ones tombstone) is code the linker dropped - a template instantiation
// another unit kept, an unused function under --gc-sections - and is left out. Returns in `bytes`
// how much of .debug_line it read.
inline bool build_line_table(const line_sections& s, std::uint64_t unit, line_table& t, std::size_t& bytes) noexcept {
    t = line_table{nullptr, 0, unit};
    bytes = 0;
    if (!s.line_data || unit >= s.line_size) return false;
    line_header h;
    if (!read_line_header(s.line_data + unit, s.line_data + s.line_size, h)) return false;
    bytes = static_cast<std::size_t>(h.end - (s.line_data + unit));
    std::uint64_t const tombstone = h.address_size == 4 ? 0xffffffffu : ~std::uint64_t(0);
    std::size_t capacity = 0;
    const unsigned char* start = h.program; // the open sequence's first opcode
    bool open = false;
    std::uint64_t lo = 0;
    run_line_program(
        h, h.program,
        [&](std::uint64_t address, std::uint64_t, std::int64_t, bool end, const unsigned char* next) noexcept {
            if (!end) {
                if (!open) lo = address;
                open = true;
                return true;
            }
            if (open && lo != 0 && lo != tombstone && address > lo) {
                if (!grow_sequences(t, capacity)) return false;
                t.items[t.count++] = line_sequence{lo, address, static_cast<std::uint64_t>(start - s.line_data)};
            }
            open = false;
            start = next;
            return true;
        });
    std::sort(t.items, t.items + t.count, [](const line_sequence& a, const line_sequence& b) { return a.lo < b.lo; });
    if (t.count == 0) {
        raw_free(t.items);
        t.items = nullptr;
    }
    return t.count > 0;
}

// Writes "dir/file" for file `file_index` of the line-table unit at `unit` (an offset into
// .debug_line; DW_AT_stmt_list of a compilation unit); false when unknown.
inline bool unit_file_name(const line_sections& t, std::uint64_t unit, unsigned file_index, char* file,
                           std::size_t file_size) noexcept {
    if (!t.line_data || unit >= t.line_size) return false;
    line_header h;
    if (!read_line_header(t.line_data + unit, t.line_data + t.line_size, h)) return false;
    std::uint64_t dir = 0;
    const char* name = unit_entry(t, h, ~0u, file_index, dir);
    if (!name) return false;
    std::uint64_t unused = 0;
    const char* dir_name = name[0] == '/' ? nullptr : unit_entry(t, h, static_cast<unsigned>(dir), ~0u, unused);
    if (dir_name && dir_name[0]) std::snprintf(file, file_size, "%s/%s", dir_name, name);
    else std::snprintf(file, file_size, "%s", name);
    return true;
}

// Writes "dir/file" and the line for `vaddr` (in the file's address space); false when unknown.
// Runs the sequence that holds it: the last row at or before it holds (of several rows at one
// address, the last emitted, as for addr2line).
inline bool lookup_line(const line_sections& s, const line_table& t, std::uint64_t vaddr, char* file,
                        std::size_t file_size, unsigned& line) noexcept {
    if (!t.count) return false;
    const line_sequence* it = std::upper_bound(t.items, t.items + t.count, vaddr,
                                               [](std::uint64_t a, const line_sequence& q) { return a < q.lo; });
    if (it == t.items || vaddr >= (it - 1)->hi) return false;
    const line_sequence& q = *(it - 1);
    line_header h;
    if (!read_line_header(s.line_data + t.unit, s.line_data + s.line_size, h)) return false;
    const unsigned char* const start = s.line_data + q.start;
    if (start < h.program || start >= h.end) return false;
    bool found = false;
    std::uint64_t found_file = 0;
    std::int64_t found_line = 0;
    run_line_program(
        h, start, [&](std::uint64_t address, std::uint64_t f, std::int64_t l, bool end, const unsigned char*) noexcept {
            if (end || address > vaddr) return false;
            found = true;
            found_file = f;
            found_line = l;
            return true;
        });
    if (!found || found_line <= 0 || found_line > 0xffffffff) return false;
    if (!unit_file_name(s, t.unit, static_cast<unsigned>(found_file), file, file_size)) return false;
    line = static_cast<unsigned>(found_line);
    return true;
}

} // namespace detail
} // namespace leakguard

#endif
// #include "leakguard/detail/symbolize/elf_symbols.hpp" (inlined)
// #include "leakguard/detail/core/options.hpp" (inlined)
// #include "leakguard/detail/core/text.hpp" (inlined)

namespace leakguard {
namespace detail {

constexpr const char* default_debug_file_directory = "/usr/lib/debug";

// The bytes of the image's GNU build ID note, or null.
inline const unsigned char* elf_build_id(const elf_image& image, std::size_t& size) noexcept {
    size = 0;
    const ElfW(Ehdr)* eh = reinterpret_cast<const ElfW(Ehdr)*>(image.data);
    const ElfW(Shdr)* sections = reinterpret_cast<const ElfW(Shdr)*>(image.data + eh->e_shoff);
    for (unsigned i = 0; i < eh->e_shnum; ++i) {
        const ElfW(Shdr)& s = sections[i];
        if (s.sh_type != SHT_NOTE || s.sh_offset > image.size || s.sh_size > image.size - s.sh_offset) continue;
        const unsigned char* p = image.data + s.sh_offset;
        const unsigned char* const end = p + s.sh_size;
        while (static_cast<std::size_t>(end - p) >= sizeof(ElfW(Nhdr))) {
            const ElfW(Nhdr)* n = reinterpret_cast<const ElfW(Nhdr)*>(p);
            std::size_t const name_room = (n->n_namesz + 3u) & ~std::size_t(3);
            std::size_t const desc_room = (n->n_descsz + 3u) & ~std::size_t(3);
            const unsigned char* const name = p + sizeof(ElfW(Nhdr));
            if (static_cast<std::size_t>(end - name) < name_room + desc_room) break;
            if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 && std::memcmp(name, "GNU", 4) == 0 &&
                n->n_descsz > 0) {
                size = n->n_descsz;
                return name + name_room;
            }
            p = name + name_room + desc_room;
        }
    }
    return nullptr;
}

// The file name the image's .gnu_debuglink names, or null.
inline const char* elf_debuglink(const elf_image& image) noexcept {
    const ElfW(Shdr)* s = find_section(image, ".gnu_debuglink");
    if (!s || s->sh_size < 2) return nullptr;
    const char* name = reinterpret_cast<const char*>(image.data + s->sh_offset);
    if (!std::memchr(name, '\0', s->sh_size) || !name[0] || std::strchr(name, '/')) return nullptr;
    return name;
}

// Whether the file at `path` is the module's debug file: not the module itself, an ELF file, with
// the module's build ID when it has one. Mapped into `out` when it is.
inline bool try_debug_file(const char* path, const struct stat& module, const unsigned char* id, std::size_t id_size,
                           elf_image& out) noexcept {
    struct stat st;
    if (::stat(path, &st) != 0 || !S_ISREG(st.st_mode)) return false;
    if (st.st_dev == module.st_dev && st.st_ino == module.st_ino) return false;
    if (!map_elf(path, out)) return false;
    if (id) {
        std::size_t size = 0;
        const unsigned char* const other = elf_build_id(out, size);
        if (!other || size != id_size || std::memcmp(other, id, size) != 0) {
            ::munmap(const_cast<unsigned char*>(out.data), out.size);
            out = elf_image{nullptr, 0};
            return false;
        }
    }
    return true;
}

// Calls visit(dir, length) for each directory of the debug_file_directory option (':' between
// them), or the default; stops when visit returns true.
template <class Visit>
inline bool for_each_debug_directory(Visit&& visit) noexcept {
    char dirs[max_path_length + 1];
    copy_text(dirs, sizeof dirs,
              g_options.debug_file_directory[0] ? g_options.debug_file_directory : default_debug_file_directory);
    for (const char* p = dirs; *p;) {
        const char* const colon = std::strchr(p, ':');
        std::size_t const n = colon ? static_cast<std::size_t>(colon - p) : std::strlen(p);
        if (n > 0 && visit(p, n)) return true;
        p += n;
        if (*p) ++p;
    }
    return false;
}

// Finds and maps the debug file of the module at `path` (its file `image`); false when none.
inline bool find_debug_file(const char* path, const elf_image& image, elf_image& out) noexcept {
    out = elf_image{nullptr, 0};
    struct stat module;
    if (::stat(path, &module) != 0) return false;
    std::size_t id_size = 0;
    const unsigned char* const id = elf_build_id(image, id_size);
    char candidate[2 * max_path_length];
    if (id && id_size >= 2) {
        char hex[2 * 64 + 1];
        std::size_t const shown = id_size < 64 ? id_size : 64;
        for (std::size_t i = 0; i < shown; ++i) std::snprintf(hex + 2 * i, 3, "%02x", id[i]);
        bool const found = for_each_debug_directory([&](const char* dir, std::size_t n) noexcept {
            std::snprintf(candidate, sizeof candidate, "%.*s/.build-id/%.2s/%s.debug", static_cast<int>(n), dir, hex,
                          hex + 2);
            return try_debug_file(candidate, module, id, id_size, out);
        });
        if (found) return true;
    }
    const char* const link = elf_debuglink(image);
    if (!link) return false;
    // The module's directory (the program's link map names it /proc/self/exe: its target's).
    char real[max_path_length + 1];
    ssize_t const n = std::strcmp(path, "/proc/self/exe") == 0 ? ::readlink(path, real, sizeof real - 1) : -1;
    if (n > 0) real[n] = '\0';
    else copy_text(real, sizeof real, path);
    const char* const slash = std::strrchr(real, '/');
    int const dir_length = slash ? static_cast<int>(slash - real) : 0;
    std::snprintf(candidate, sizeof candidate, "%.*s/%s", dir_length, real, link);
    if (try_debug_file(candidate, module, id, id_size, out)) return true;
    std::snprintf(candidate, sizeof candidate, "%.*s/.debug/%s", dir_length, real, link);
    if (try_debug_file(candidate, module, id, id_size, out)) return true;
    return for_each_debug_directory([&](const char* dir, std::size_t length) noexcept {
        std::snprintf(candidate, sizeof candidate, "%.*s%.*s/%s", static_cast<int>(length), dir, dir_length, real,
                      link);
        return try_debug_file(candidate, module, id, id_size, out);
    });
}

// Whether the image has a section `name` that is compressed (SHF_COMPRESSED, which find_section
// passes over: leakguard does not inflate).
inline bool compressed_section(const elf_image& image, const char* name) noexcept {
    const ElfW(Ehdr)* eh = reinterpret_cast<const ElfW(Ehdr)*>(image.data);
    const ElfW(Shdr)* sections = reinterpret_cast<const ElfW(Shdr)*>(image.data + eh->e_shoff);
    if (eh->e_shstrndx >= eh->e_shnum) return false;
    const ElfW(Shdr)& names = sections[eh->e_shstrndx];
    if (names.sh_offset + names.sh_size > image.size) return false;
    for (unsigned i = 0; i < eh->e_shnum; ++i) {
        const ElfW(Shdr)& s = sections[i];
        if (s.sh_name >= names.sh_size || !(s.sh_flags & SHF_COMPRESSED)) continue;
        if (std::strcmp(reinterpret_cast<const char*>(image.data + names.sh_offset + s.sh_name), name) == 0)
            return true;
    }
    return false;
}

} // namespace detail
} // namespace leakguard

#endif
// #include "leakguard/detail/symbolize/dwarf_inlines.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// symbolize/dwarf_inlines.hpp: the inlined calls an address lies in, from the DW_TAG_inlined_subroutine
// entries of a module's .debug_info (DWARF 2 to 5), so that a report can show inlined frames as
// frames of their own (as addr2line -i does) and attribute a leak to the user's code that called
// inlined library code.
//
// Why: at -O2 std::vector::push_back and std::make_shared are inlined into the function that
// uses them. The return address operator new sees is then in that function, but the line table
// maps it to a line of <bits/stl_vector.h>: the line of the innermost inlined body. Only the
// inlined-subroutine entries say which call of the user's function that code came from
// (DW_AT_call_file, DW_AT_call_line) and which function was inlined (DW_AT_abstract_origin).
//
// Read per compilation unit, when a report first names an address the unit covers (never while
// tracking; symbolize/dwarf_units.hpp finds the unit): one walk of the unit's entries keeps only
// the address ranges of its functions (DW_TAG_subprogram with code), sorted, in raw memory (the C
// library's malloc, never operator new) - the entries inside a function are passed over by their
// DW_AT_sibling link where the compiler gave one (gcc does). A lookup finds the function that holds
// the address and reads that one function's entries for the inlined calls whose ranges hold it.
// Function names, and the namespaces and classes around them, are read from .debug_info only for
// the frames a report prints. Anything not understood (compressed sections, split DWARF, unknown
// forms) means "no inlined frames", never a crash.
#ifndef LEAKGUARD_DETAIL_SYMBOLIZE_DWARF_INLINES_HPP_INCLUDED
#define LEAKGUARD_DETAIL_SYMBOLIZE_DWARF_INLINES_HPP_INCLUDED

#include <algorithm> // std::sort, std::upper_bound
#include <cstdint>   // std::uint64_t
#include <cstdio>    // std::snprintf
#include <cstdlib>   // std::realloc, std::free
#include <cstring>   // std::memset

// #include "leakguard/detail/symbolize/dwarf_lines.hpp" (inlined)
// #include "leakguard/detail/symbolize/elf_symbols.hpp" (inlined)

namespace leakguard {
namespace detail {

constexpr std::uint32_t no_inline = 0xffffffffu;
constexpr std::size_t max_inline_depth = 64; // inlined calls one address lies in, at most
constexpr unsigned max_die_nesting = 512;

// One inlined call (a DW_TAG_inlined_subroutine entry).
struct inline_call {
    std::uint64_t origin;    // .debug_info offset of the inlined function's entry
    std::uint32_t call_file; // file index in the unit's line table
    std::uint32_t call_line;
};

// The code of one function, [lo, hi) in the file's address space, and its entry's offset.
struct function_span {
    std::uint64_t lo;
    std::uint64_t hi;
    std::uint64_t entry;
};

// What reading an entry of a unit needs.
struct dwarf_unit {
    std::uint64_t offset; // of the unit header in .debug_info
    std::uint64_t dies;   // offset of its first entry
    std::uint64_t end;    // offset just past it
    std::uint64_t abbrev; // offset of its abbreviations in .debug_abbrev
    std::uint64_t str_offsets_base;
    std::uint64_t addr_base;
    std::uint64_t rnglists_base;
    std::uint64_t low_pc;    // base address for range lists
    std::uint64_t stmt_list; // offset of its line-table unit, ~0 when none
    unsigned version;
    unsigned address_size;
    unsigned offset_size;
};

struct dwarf_section {
    const unsigned char* data;
    std::size_t size;
};

// A module's .debug_info and the sections its entries refer to, with the abbreviations of the
// unit read last.
struct dwarf_info {
    dwarf_section info, abbrev, str, line_str, str_offsets, addr, ranges_v4, rnglists;
    // The abbreviations of one unit, by code (rebuilt when the unit changes).
    const unsigned char** abbrev_by_code;
    std::size_t abbrev_codes;
    std::uint64_t abbrev_for; // the .debug_abbrev offset they were read from, ~0 when none
};

// One compilation unit's functions, sorted by address (raw memory).
struct inline_table {
    function_span* functions;
    std::size_t count;
};

// Grows a raw array by doubling; false when out of memory.
template <class T>
inline bool grow_raw(T*& items, std::size_t count, std::size_t& capacity) noexcept {
    if (count < capacity) return true;
    std::size_t const grown = capacity ? capacity * 2 : 1024;
    void* mem = raw_realloc(items, grown * sizeof(T));
    if (!mem) return false;
    items = static_cast<T*>(mem);
    capacity = grown;
    return true;
}

// Reads the abbreviation table at `offset` into t.abbrev_by_code: for each code, a pointer to
// its tag (ULEB), then the children byte and the attribute specifications.
inline bool load_abbrevs(dwarf_info& t, std::uint64_t offset) noexcept {
    if (t.abbrev_for == offset) return true;
    t.abbrev_for = ~std::uint64_t(0);
    if (offset >= t.abbrev.size) return false;
    dwarf_cursor c = {t.abbrev.data + offset, t.abbrev.data + t.abbrev.size, true};
    std::size_t capacity = t.abbrev_codes;
    if (t.abbrev_by_code) std::memset(t.abbrev_by_code, 0, capacity * sizeof(*t.abbrev_by_code));
    for (;;) {
        std::uint64_t const code = c.uleb();
        if (!c.ok) return false;
        if (code == 0) break;
        if (code >= 65536) return false;
        while (code >= capacity) {
            std::size_t const old = capacity;
            if (!grow_raw(t.abbrev_by_code, capacity, capacity)) return false;
            std::memset(t.abbrev_by_code + old, 0, (capacity - old) * sizeof(*t.abbrev_by_code));
        }
        t.abbrev_by_code[code] = c.p;
        c.uleb();   // tag
        c.fixed(1); // children
        for (;;) {
            std::uint64_t const name = c.uleb();
            std::uint64_t const form = c.uleb();
            if (form == 0x21) c.sleb(); // DW_FORM_implicit_const
            if (!c.ok) return false;
            if (name == 0 && form == 0) break;
        }
    }
    t.abbrev_codes = capacity;
    t.abbrev_for = offset;
    return true;
}

// The value of one attribute. Strings are resolved; addrx and strx need the unit's bases.
struct dwarf_value {
    std::uint64_t u;  // constants, offsets, addresses, references (unit-relative ones made absolute)
    const char* str;  // strings
    bool is_address;  // DW_FORM_addr / addrx: u is an address
    bool is_offset;   // DW_FORM_sec_offset (or a DWARF < 4 data4/data8 used as one)
    bool is_rnglistx; // DW_FORM_rnglistx: u is an index
};

inline const char* dwarf_string_at(const dwarf_section& s, std::uint64_t off) noexcept {
    return s.data && off < s.size ? reinterpret_cast<const char*>(s.data) + off : nullptr;
}

inline std::uint64_t dwarf_addrx(const dwarf_info& t, const dwarf_unit& u, std::uint64_t index) noexcept {
    std::uint64_t const at = u.addr_base + index * u.address_size;
    if (!t.addr.data || at + u.address_size > t.addr.size) return 0;
    dwarf_cursor c = {t.addr.data + at, t.addr.data + t.addr.size, true};
    return c.fixed(u.address_size);
}

inline const char* dwarf_strx(const dwarf_info& t, const dwarf_unit& u, std::uint64_t index) noexcept {
    std::uint64_t const at = u.str_offsets_base + index * u.offset_size;
    if (!t.str_offsets.data || at + u.offset_size > t.str_offsets.size) return nullptr;
    dwarf_cursor c = {t.str_offsets.data + at, t.str_offsets.data + t.str_offsets.size, true};
    return dwarf_string_at(t.str, c.fixed(u.offset_size));
}

// Reads (or skips) one attribute of form `form`; false on a form it does not know.
inline bool read_attribute(dwarf_cursor& c, std::uint64_t form, std::int64_t implicit, const dwarf_info& t,
                           const dwarf_unit& u, dwarf_value& v) noexcept {
    v = dwarf_value{0, nullptr, false, false, false};
    switch (form) {
    case 0x01:
        v.u = c.fixed(u.address_size);
        v.is_address = true;
        break;                            // addr
    case 0x03: c.skip(c.fixed(2)); break; // block2
    case 0x04: c.skip(c.fixed(4)); break; // block4
    case 0x05: v.u = c.fixed(2); break;   // data2
    case 0x06:
        v.u = c.fixed(4);
        v.is_offset = u.version < 4;
        break; // data4
    case 0x07:
        v.u = c.fixed(8);
        v.is_offset = u.version < 4;
        break;                          // data8
    case 0x08: v.str = c.cstr(); break; // string
    case 0x09:
    case 0x18: c.skip(c.uleb()); break;   // block, exprloc
    case 0x0a: c.skip(c.fixed(1)); break; // block1
    case 0x0b:
    case 0x0c:
    case 0x11:
        v.u = c.fixed(1);
        if (form == 0x11) v.u += u.offset;
        break;                                                                        // data1, flag, ref1
    case 0x0d: v.u = static_cast<std::uint64_t>(c.sleb()); break;                     // sdata
    case 0x0e: v.str = dwarf_string_at(t.str, c.fixed(u.offset_size)); break;         // strp
    case 0x1f: v.str = dwarf_string_at(t.line_str, c.fixed(u.offset_size)); break;    // line_strp
    case 0x0f: v.u = c.uleb(); break;                                                 // udata
    case 0x10: v.u = c.fixed(u.version <= 2 ? u.address_size : u.offset_size); break; // ref_addr
    case 0x12: v.u = c.fixed(2) + u.offset; break;                                    // ref2
    case 0x13: v.u = c.fixed(4) + u.offset; break;                                    // ref4
    case 0x14: v.u = c.fixed(8) + u.offset; break;                                    // ref8
    case 0x15: v.u = c.uleb() + u.offset; break;                                      // ref_udata
    case 0x16: {                                                                      // indirect
        std::uint64_t const real = c.uleb();
        if (real == 0x16 || real == 0x21) return false;
        return read_attribute(c, real, 0, t, u, v);
    }
    case 0x17:
        v.u = c.fixed(u.offset_size);
        v.is_offset = true;
        break;                 // sec_offset
    case 0x19: v.u = 1; break; // flag_present
    case 0x1a:
    case 0x1f02: v.str = dwarf_strx(t, u, c.uleb()); break; // strx, GNU_str_index
    case 0x25: v.str = dwarf_strx(t, u, c.fixed(1)); break; // strx1
    case 0x26: v.str = dwarf_strx(t, u, c.fixed(2)); break; // strx2
    case 0x27: v.str = dwarf_strx(t, u, c.fixed(3)); break; // strx3
    case 0x28: v.str = dwarf_strx(t, u, c.fixed(4)); break; // strx4
    case 0x1b:
    case 0x1f01:
        v.u = dwarf_addrx(t, u, c.uleb());
        v.is_address = true;
        break; // addrx
    case 0x29:
        v.u = dwarf_addrx(t, u, c.fixed(1));
        v.is_address = true;
        break; // addrx1
    case 0x2a:
        v.u = dwarf_addrx(t, u, c.fixed(2));
        v.is_address = true;
        break; // addrx2
    case 0x2b:
        v.u = dwarf_addrx(t, u, c.fixed(3));
        v.is_address = true;
        break; // addrx3
    case 0x2c:
        v.u = dwarf_addrx(t, u, c.fixed(4));
        v.is_address = true;
        break;                   // addrx4
    case 0x1c: c.skip(4); break; // ref_sup4
    case 0x1d:
    case 0x1f20:
    case 0x1f21: c.skip(u.offset_size); break; // strp_sup, GNU_ref_alt, GNU_strp_alt
    case 0x1e: c.skip(16); break;              // data16
    case 0x20:
    case 0x24: c.skip(8); break;                                  // ref_sig8, ref_sup8
    case 0x21: v.u = static_cast<std::uint64_t>(implicit); break; // implicit_const
    case 0x22: c.uleb(); break;                                   // loclistx
    case 0x23:
        v.u = c.uleb();
        v.is_rnglistx = true;
        break; // rnglistx
    default: return false;
    }
    return c.ok;
}

// Calls add(lo, hi) for each range of a DW_AT_ranges value; false when unreadable.
template <class Add>
inline bool for_each_range(const dwarf_info& t, const dwarf_unit& u, const dwarf_value& v, Add&& add) noexcept {
    std::uint64_t base = u.low_pc;
    if (u.version < 5) {
        if (!t.ranges_v4.data || v.u >= t.ranges_v4.size) return false;
        dwarf_cursor c = {t.ranges_v4.data + v.u, t.ranges_v4.data + t.ranges_v4.size, true};
        std::uint64_t const all_ones = u.address_size == 8 ? ~std::uint64_t(0) : 0xffffffffu;
        for (;;) {
            std::uint64_t const a = c.fixed(u.address_size);
            std::uint64_t const b = c.fixed(u.address_size);
            if (!c.ok) return false;
            if (a == 0 && b == 0) return true;
            if (a == all_ones) base = b;
            else if (!add(base + a, base + b)) return false;
        }
    }
    std::uint64_t offset = v.u;
    if (v.is_rnglistx) {
        std::uint64_t const at = u.rnglists_base + v.u * u.offset_size;
        if (!t.rnglists.data || at + u.offset_size > t.rnglists.size) return false;
        dwarf_cursor c = {t.rnglists.data + at, t.rnglists.data + t.rnglists.size, true};
        offset = u.rnglists_base + c.fixed(u.offset_size);
    }
    if (!t.rnglists.data || offset >= t.rnglists.size) return false;
    dwarf_cursor c = {t.rnglists.data + offset, t.rnglists.data + t.rnglists.size, true};
    for (;;) {
        unsigned const kind = static_cast<unsigned>(c.fixed(1));
        if (!c.ok) return false;
        std::uint64_t lo = 0, hi = 0;
        switch (kind) {
        case 0: return true;                                  // end_of_list
        case 1: base = dwarf_addrx(t, u, c.uleb()); continue; // base_addressx
        case 2:
            lo = dwarf_addrx(t, u, c.uleb());
            hi = dwarf_addrx(t, u, c.uleb());
            break; // startx_endx
        case 3:
            lo = dwarf_addrx(t, u, c.uleb());
            hi = lo + c.uleb();
            break; // startx_length
        case 4:
            lo = base + c.uleb();
            hi = base + c.uleb();
            break;                                        // offset_pair
        case 5: base = c.fixed(u.address_size); continue; // base_address
        case 6:
            lo = c.fixed(u.address_size);
            hi = c.fixed(u.address_size);
            break; // start_end
        case 7:
            lo = c.fixed(u.address_size);
            hi = lo + c.uleb();
            break; // start_length
        default: return false;
        }
        if (!c.ok) return false;
        if (!add(lo, hi)) return false;
    }
}

// Reads a unit header at `offset`; false when it is not one to read (type units, split units).
inline bool read_unit_header(const dwarf_info& t, std::uint64_t offset, dwarf_unit& u, bool& usable) noexcept {
    usable = false;
    if (!t.info.data || offset >= t.info.size) return false;
    dwarf_cursor c = {t.info.data + offset, t.info.data + t.info.size, true};
    u = dwarf_unit{};
    u.offset = offset;
    u.stmt_list = ~std::uint64_t(0);
    std::uint64_t length = c.fixed(4);
    u.offset_size = 4;
    if (length == 0xffffffffu) {
        length = c.fixed(8);
        u.offset_size = 8;
    }
    if (!c.need(static_cast<std::size_t>(length)) || length < 2) return false;
    u.end = static_cast<std::uint64_t>(c.p - t.info.data) + length;
    u.version = static_cast<unsigned>(c.fixed(2));
    unsigned type = 1; // DW_UT_compile
    if (u.version >= 5) {
        type = static_cast<unsigned>(c.fixed(1));
        u.address_size = static_cast<unsigned>(c.fixed(1));
        u.abbrev = c.fixed(u.offset_size);
    } else {
        u.abbrev = c.fixed(u.offset_size);
        u.address_size = static_cast<unsigned>(c.fixed(1));
    }
    usable = c.ok && u.version >= 2 && u.version <= 5 && (type == 1 || type == 3) &&
             (u.address_size == 4 || u.address_size == 8);
    u.dies = static_cast<std::uint64_t>(c.p - t.info.data);
    // Defaults for DWARF 5 units without the base attributes (gcc's when nothing uses them): the
    // tables' first entries, just past their headers. read_unit_root reads the unit's own.
    u.str_offsets_base = u.offset_size == 8 ? 16 : 8;
    u.addr_base = 8;
    u.rnglists_base = u.offset_size == 8 ? 20 : 12;
    return c.ok;
}

// The attributes of one entry that the tables need.
struct die_attributes {
    std::uint64_t low_pc, high_pc, origin, call_file, call_line, stmt_list, sibling;
    std::uint64_t str_offsets_base, addr_base, rnglists_base;
    dwarf_value ranges;
    const char* name;
    bool has_low, has_high, high_is_offset, has_ranges, has_origin, has_stmt_list, has_sibling;
    bool has_str_offsets_base, has_addr_base, has_rnglists_base;
};

// Reads the attributes of the entry whose abbreviation starts at `abbrev` (at its tag).
inline bool read_die(dwarf_cursor& c, const unsigned char* abbrev, const dwarf_info& t, const dwarf_unit& u,
                     std::uint64_t& tag, bool& children, die_attributes& a) noexcept {
    a = die_attributes{};
    dwarf_cursor spec = {abbrev, t.abbrev.data + t.abbrev.size, true};
    tag = spec.uleb();
    children = spec.fixed(1) != 0;
    for (;;) {
        std::uint64_t const name = spec.uleb();
        std::uint64_t const form = spec.uleb();
        std::int64_t const implicit = form == 0x21 ? spec.sleb() : 0;
        if (!spec.ok) return false;
        if (name == 0 && form == 0) return true;
        dwarf_value v;
        if (!read_attribute(c, form, implicit, t, u, v)) return false;
        switch (name) {
        case 0x11:
            a.low_pc = v.u;
            a.has_low = true;
            break; // low_pc
        case 0x12:
            a.high_pc = v.u;
            a.has_high = true;
            a.high_is_offset = !v.is_address;
            break; // high_pc
        case 0x55:
            a.ranges = v;
            a.has_ranges = true;
            break; // ranges
        case 0x31:
            a.origin = v.u;
            a.has_origin = true;
            break;                           // abstract_origin
        case 0x58: a.call_file = v.u; break; // call_file
        case 0x59: a.call_line = v.u; break; // call_line
        case 0x10:
            a.stmt_list = v.u;
            a.has_stmt_list = true;
            break; // stmt_list
        case 0x72:
            a.str_offsets_base = v.u;
            a.has_str_offsets_base = true;
            break; // str_offsets_base
        case 0x73:
            a.addr_base = v.u;
            a.has_addr_base = true;
            break; // addr_base
        case 0x74:
            a.rnglists_base = v.u;
            a.has_rnglists_base = true;
            break;                        // rnglists_base
        case 0x03: a.name = v.str; break; // name
        case 0x01:
            a.sibling = v.u;
            a.has_sibling = true;
            break; // sibling
        default: break;
        }
    }
}

// Reads a unit's own entry (its first): its bases, base address and line table into `u`, and its
// address ranges through add(lo, hi). Leaves `c` at its first child; `children` says whether it
// has any. False when unreadable.
template <class Add>
inline bool read_unit_root(dwarf_info& t, dwarf_unit& u, dwarf_cursor& c, bool& children, Add&& add) noexcept {
    children = false;
    if (!load_abbrevs(t, u.abbrev)) return false;
    c = dwarf_cursor{t.info.data + u.dies, t.info.data + u.end, true};
    std::uint64_t const code = c.uleb();
    if (!c.ok || code == 0 || code >= t.abbrev_codes || !t.abbrev_by_code[code]) return false;
    std::uint64_t tag = 0;
    die_attributes a;
    // Twice: its bases (str_offsets_base ...) may follow attributes that need them.
    dwarf_cursor first = c;
    if (!read_die(first, t.abbrev_by_code[code], t, u, tag, children, a)) return false;
    if (a.has_str_offsets_base) u.str_offsets_base = a.str_offsets_base;
    if (a.has_addr_base) u.addr_base = a.addr_base;
    if (a.has_rnglists_base) u.rnglists_base = a.rnglists_base;
    if (!read_die(c, t.abbrev_by_code[code], t, u, tag, children, a)) return false;
    if (a.has_low) u.low_pc = a.low_pc;
    if (a.has_stmt_list) u.stmt_list = a.stmt_list;
    if (a.has_low && a.has_high) add(a.low_pc, a.high_is_offset ? a.low_pc + a.high_pc : a.high_pc);
    else if (a.has_ranges) for_each_range(t, u, a.ranges, add);
    return true;
}

// Whether [lo, hi) (or the ranges of `a`) hold `vaddr`.
inline bool entry_holds(const dwarf_info& t, const dwarf_unit& u, const die_attributes& a,
                        std::uint64_t vaddr) noexcept {
    if (a.has_low && a.has_high) {
        std::uint64_t const hi = a.high_is_offset ? a.low_pc + a.high_pc : a.high_pc;
        return a.low_pc != 0 && vaddr >= a.low_pc && vaddr < hi;
    }
    if (!a.has_ranges) return false;
    bool in = false;
    for_each_range(t, u, a.ranges, [&](std::uint64_t lo, std::uint64_t hi) noexcept {
        in = in || (lo != 0 && vaddr >= lo && vaddr < hi);
        return !in;
    });
    return in;
}

// Moves `c` past the children of the entry just read (`a`): by its DW_AT_sibling link when it has
// one, else by reading them. False when unreadable.
inline bool skip_children(dwarf_info& t, const dwarf_unit& u, dwarf_cursor& c, const die_attributes& a) noexcept {
    if (a.has_sibling && a.sibling > static_cast<std::uint64_t>(c.p - t.info.data) && a.sibling <= u.end) {
        c.p = t.info.data + a.sibling;
        return true;
    }
    die_attributes inner;
    std::uint64_t tag = 0;
    bool children = false;
    for (unsigned level = 1; level > 0 && c.ok && c.p < c.end;) {
        std::uint64_t const code = c.uleb();
        if (code == 0) {
            --level;
            continue;
        }
        if (code >= t.abbrev_codes || !t.abbrev_by_code[code]) return false;
        if (!read_die(c, t.abbrev_by_code[code], t, u, tag, children, inner)) return false;
        if (children) {
            if (inner.has_sibling && inner.sibling > static_cast<std::uint64_t>(c.p - t.info.data) &&
                inner.sibling <= u.end)
                c.p = t.info.data + inner.sibling;
            else if (++level >= max_die_nesting) return false;
        }
    }
    return c.ok;
}
inline dwarf_section section_of(const elf_image& image, const char* name) noexcept {
    const ElfW(Shdr)* s = find_section(image, name);
    return s ? dwarf_section{image.data + s->sh_offset, static_cast<std::size_t>(s->sh_size)}
             : dwarf_section{nullptr, 0};
}

// The sections of a module's .debug_info (none of their bytes read); false when it has none.
inline bool open_dwarf_info(const elf_image& image, dwarf_info& t) noexcept {
    t = dwarf_info{};
    t.abbrev_for = ~std::uint64_t(0);
    t.info = section_of(image, ".debug_info");
    t.abbrev = section_of(image, ".debug_abbrev");
    if (!t.info.data || !t.abbrev.data) return false;
    t.str = section_of(image, ".debug_str");
    t.line_str = section_of(image, ".debug_line_str");
    t.str_offsets = section_of(image, ".debug_str_offsets");
    t.addr = section_of(image, ".debug_addr");
    t.ranges_v4 = section_of(image, ".debug_ranges");
    t.rnglists = section_of(image, ".debug_rnglists");
    return true;
}

// Indexes the functions of one unit (its header read; its own entry is read again here).
inline void build_inline_table(dwarf_info& t, dwarf_unit& u, inline_table& out) noexcept {
    out = inline_table{nullptr, 0};
    dwarf_cursor c = {nullptr, nullptr, false};
    bool children = false;
    if (!read_unit_root(t, u, c, children, [](std::uint64_t, std::uint64_t) noexcept { return true; }) || !children)
        return;
    std::size_t capacity = 0;
    std::uint64_t tag = 0;
    die_attributes a;
    for (unsigned level = 1; level > 0 && c.ok && c.p < c.end;) {
        std::uint64_t const entry = static_cast<std::uint64_t>(c.p - t.info.data);
        std::uint64_t const code = c.uleb();
        if (code == 0) {
            --level;
            continue;
        }
        if (code >= t.abbrev_codes || !t.abbrev_by_code[code]) break;
        if (!read_die(c, t.abbrev_by_code[code], t, u, tag, children, a)) break;
        if (tag == 0x2e) { // DW_TAG_subprogram: its code, then past its body
            auto add = [&](std::uint64_t lo, std::uint64_t hi) noexcept -> bool {
                if (hi <= lo || lo == 0) return true; // empty, or code the linker dropped
                if (!grow_raw(out.functions, out.count, capacity)) return false;
                out.functions[out.count++] = function_span{lo, hi, entry};
                return true;
            };
            if (a.has_low && a.has_high) add(a.low_pc, a.high_is_offset ? a.low_pc + a.high_pc : a.high_pc);
            else if (a.has_ranges) for_each_range(t, u, a.ranges, add);
            if (children && !skip_children(t, u, c, a)) break;
            continue;
        }
        // Functions with code are entries of the unit or of a namespace (a class's member
        // functions are declared in it and defined outside it, DW_AT_specification): nothing else
        // is entered - the types, the bulk of a template-heavy unit, are passed over.
        if (!children) continue;
        if (tag != 0x39) { // DW_TAG_namespace
            if (!skip_children(t, u, c, a)) break;
            continue;
        }
        if (++level >= max_die_nesting) break;
    }
    std::sort(out.functions, out.functions + out.count,
              [](const function_span& x, const function_span& y) { return x.lo < y.lo; });
}

inline void free_inline_table(inline_table& t) noexcept {
    raw_free(t.functions);
    t = inline_table{nullptr, 0};
}

// The inlined calls `vaddr` lies in, innermost first, into out[0..max); returns how many. Reads
// the entries of the one function that holds it: the deepest inlined call whose ranges hold the
// address, and the inlined calls it is nested in.
inline std::size_t inline_chain(dwarf_info& t, const dwarf_unit& u, const inline_table& functions, std::uint64_t vaddr,
                                inline_call* out, std::size_t max) noexcept {
    if (!functions.count || max == 0 || !load_abbrevs(t, u.abbrev)) return 0;
    const function_span* it = std::upper_bound(functions.functions, functions.functions + functions.count, vaddr,
                                               [](std::uint64_t v, const function_span& f) { return v < f.lo; });
    if (it == functions.functions || vaddr >= (it - 1)->hi) return 0;
    dwarf_cursor c = {t.info.data + (it - 1)->entry, t.info.data + u.end, true};
    std::uint64_t tag = 0;
    bool children = false;
    die_attributes a;
    std::uint64_t code = c.uleb();
    if (!c.ok || code == 0 || code >= t.abbrev_codes || !t.abbrev_by_code[code]) return 0;
    if (!read_die(c, t.abbrev_by_code[code], t, u, tag, children, a) || !children) return 0;
    // open[l]: the inlined call the entry that opened level l is, when it holds vaddr (else a gap).
    inline_call open[max_die_nesting];
    bool opened[max_die_nesting];
    inline_call best[max_inline_depth];
    std::size_t best_count = 0;
    opened[1] = false;
    for (unsigned level = 1; level > 0 && c.ok && c.p < c.end;) {
        code = c.uleb();
        if (code == 0) {
            --level;
            continue;
        }
        if (code >= t.abbrev_codes || !t.abbrev_by_code[code]) break;
        if (!read_die(c, t.abbrev_by_code[code], t, u, tag, children, a)) break;
        bool const is_call = tag == 0x1d && a.has_origin;                           // DW_TAG_inlined_subroutine
        bool const holds = (is_call || tag == 0x0b) && entry_holds(t, u, a, vaddr); // or a lexical block
        if (is_call && holds) {
            // The calls it is nested in (innermost last), then itself: deeper than the best so far?
            inline_call chain[max_inline_depth];
            std::size_t n = 0;
            for (unsigned l = 1; l <= level && n + 1 < max_inline_depth; ++l)
                if (opened[l]) chain[n++] = open[l];
            chain[n++] =
                inline_call{a.origin, static_cast<std::uint32_t>(a.call_file), static_cast<std::uint32_t>(a.call_line)};
            if (n > best_count) {
                for (std::size_t k = 0; k < n; ++k) best[k] = chain[k];
                best_count = n;
            }
        }
        if (!children) continue;
        if (!holds && !(tag == 0x0b && !a.has_low && !a.has_ranges)) { // nothing inside can hold it
            if (!skip_children(t, u, c, a)) break;
            continue;
        }
        if (level + 1 >= max_die_nesting) break;
        ++level;
        opened[level] = is_call;
        if (is_call)
            open[level] =
                inline_call{a.origin, static_cast<std::uint32_t>(a.call_file), static_cast<std::uint32_t>(a.call_line)};
    }
    std::size_t const n = best_count < max ? best_count : max;
    for (std::size_t k = 0; k < n; ++k) out[k] = best[best_count - 1 - k]; // innermost first
    return n;
}

// Writes "outer::inner::" for the namespaces, classes, structs and unions of a unit that hold the
// entry at `target` into out[0..size), and returns the length written: a walk down from the unit's
// own entry that enters only the entries holding `target` (by DW_AT_sibling where given).
inline std::size_t write_scopes(dwarf_info& t, const dwarf_unit& u, std::uint64_t target, char* out,
                                std::size_t size) noexcept {
    if (size == 0) return 0;
    out[0] = '\0';
    dwarf_cursor c = {nullptr, nullptr, false};
    bool children = false;
    dwarf_unit root = u;
    if (target < u.dies || target >= u.end ||
        !read_unit_root(t, root, c, children, [](std::uint64_t, std::uint64_t) noexcept { return true; }) || !children)
        return 0;
    const char* names[64];
    bool named[64];
    std::size_t depth = 0;
    std::uint64_t tag = 0;
    die_attributes a;
    while (c.ok && c.p < c.end) {
        std::uint64_t const entry = static_cast<std::uint64_t>(c.p - t.info.data);
        if (entry >= target) break; // reached it (or passed it: malformed)
        std::uint64_t const code = c.uleb();
        if (code == 0) break; // the end of a level that held it: not found
        if (code >= t.abbrev_codes || !t.abbrev_by_code[code]) return 0;
        if (!read_die(c, t.abbrev_by_code[code], t, u, tag, children, a)) return 0;
        if (!children) continue;
        bool const has_end = a.has_sibling && a.sibling > entry && a.sibling <= u.end;
        if (has_end && target >= a.sibling) {
            c.p = t.info.data + a.sibling; // not in there
            continue;
        }
        if (!has_end) {
            // Without a sibling link, whether the entry holds the target is known only by reading
            // its children: skip them, and enter it if the target was among them.
            dwarf_cursor probe = c;
            if (!skip_children(t, u, probe, a)) return 0;
            if (target >= static_cast<std::uint64_t>(probe.p - t.info.data)) {
                c = probe;
                continue;
            }
        }
        bool const scope = tag == 0x39 || tag == 0x02 || tag == 0x13 || tag == 0x17; // namespace, class, struct, union
        if (depth < 64) {
            names[depth] = a.name;
            named[depth] = scope;
            ++depth;
        }
    }
    std::size_t len = 0;
    for (std::size_t i = 0; i < depth; ++i) {
        if (!named[i]) continue;
        const char* name = names[i] ? names[i] : "(anonymous namespace)";
        int const w = std::snprintf(out + len, size - len, "%s::", name);
        if (w < 0 || static_cast<std::size_t>(w) >= size - len) return len;
        len += static_cast<std::size_t>(w);
    }
    return len;
}

} // namespace detail
} // namespace leakguard

#endif
// #include "leakguard/detail/symbolize/dwarf_lines.hpp" (inlined)
// #include "leakguard/detail/symbolize/dwarf_units.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// symbolize/dwarf_units.hpp: a module's DWARF read one compilation unit at a time - only the units
// that cover the addresses a report names.
//
// Why: a large program's debug information is tens or hundreds of megabytes, and a report names a
// few dozen addresses. Decoding every unit's line program and inlined calls the first time an
// address is named cost seconds and a hundred megabytes of tables; finding the units that cover
// the named addresses and decoding those alone costs what the report prints. Nothing here runs
// before a report asks for a frame's file:line or inlined calls: a run that prints no frame reads
// none of the module's .debug_* sections (g_debug_reads counts what is read, for the tests).
//
// The unit of an address comes from .debug_aranges (gcc writes it: a few bytes per function,
// read once per module into a sorted table of the ranges that are not code the linker dropped),
// else from each unit's own entry (DW_AT_low_pc/high_pc or DW_AT_ranges; clang writes no
// .debug_aranges by default), read once per module when .debug_aranges is missing or does not
// cover the address. A unit read keeps the index of its line table's sequences (dwarf_lines.hpp)
// and of its functions (dwarf_inlines.hpp) for the rest of the process: tens of bytes per function.
// All in raw memory; anything not understood means "no file:line" or "no inlined frames", never a
// crash. The module's file is read through a private mapping, whose pages count in the process's
// memory once touched: after every few megabytes read, its debug sections' pages are given back
// (relieve_debug_pages), so that a report that reads a hundred units holds a few at a time.
#ifndef LEAKGUARD_DETAIL_SYMBOLIZE_DWARF_UNITS_HPP_INCLUDED
#define LEAKGUARD_DETAIL_SYMBOLIZE_DWARF_UNITS_HPP_INCLUDED

#include <algorithm>  // std::sort, std::upper_bound
#include <atomic>     // std::atomic
#include <cstdint>    // std::uint64_t
#include <cstdio>     // std::snprintf
#include <sys/mman.h> // madvise

// #include "leakguard/detail/symbolize/dwarf_inlines.hpp" (inlined)
// #include "leakguard/detail/symbolize/dwarf_lines.hpp" (inlined)
// #include "leakguard/detail/symbolize/elf_symbols.hpp" (inlined)
// #include "leakguard/detail/core/pages.hpp" (inlined)
// #include "leakguard/detail/core/platform.hpp" (inlined)

namespace leakguard {
namespace detail {

// What has been read of all modules' .debug_* sections: bytes of the units, line programs and
// tables decoded. Read by the tests (a run that names no frame must leave both at zero).
struct debug_read_counts {
    std::atomic<std::uint64_t> bytes;
    std::atomic<std::uint64_t> units; // compilation units read (their own entry, then what was asked)
};
debug_read_counts g_debug_reads{};

inline void count_debug_read(std::size_t bytes, unsigned units = 0) noexcept {
    g_debug_reads.bytes.fetch_add(bytes, std::memory_order_relaxed);
    if (units) g_debug_reads.units.fetch_add(units, std::memory_order_relaxed);
}

// [lo, hi) of the file's addresses belongs to the unit at .debug_info offset `unit`.
struct unit_span {
    std::uint64_t lo;
    std::uint64_t hi;
    std::uint64_t unit;
};

// One compilation unit: its header and own entry, then what was asked of it. `info` is the
// module's sections with this unit's abbreviations: a report goes from unit to unit, and each
// keeps its table rather than reading it again.
struct compile_unit {
    dwarf_info info;
    dwarf_unit unit;
    line_table lines;
    inline_table inlines;
    bool lines_built;
    bool inlines_built;
};

struct span_table {
    unit_span* items; // sorted by lo (raw memory)
    std::size_t count;
    std::size_t capacity;
    bool built;
};

struct dwarf_module {
    dwarf_info info;
    line_sections lines;
    dwarf_section aranges;
    span_table from_aranges; // .debug_aranges
    span_table from_units;   // the units' own entries, when .debug_aranges falls short
    compile_unit** units;    // the units read so far, by offset
    std::size_t unit_count;
    std::size_t unit_capacity;
    std::size_t read_since_relief; // bytes of its sections read since their pages were given back
    char qualified[1024];          // the last name dwarf_function_name composed
};

// count_debug_read, and the module's own count toward giving its pages back (relieve_debug_pages).
inline void count_module_read(dwarf_module& m, std::size_t bytes, unsigned units = 0) noexcept {
    count_debug_read(bytes, units);
    m.read_since_relief += bytes;
}

// Looks up the sections (their headers only: no byte of them is read); false when the image has
// no .debug_info to read (none, or compressed).
inline bool open_dwarf_module(const elf_image& image, dwarf_module& m) noexcept {
    m = dwarf_module{};
    if (!open_dwarf_info(image, m.info)) return false;
    m.aranges = section_of(image, ".debug_aranges");
    dwarf_section const line = section_of(image, ".debug_line");
    m.lines.line_data = line.data;
    m.lines.line_size = line.size;
    m.lines.line_str = reinterpret_cast<const char*>(m.info.line_str.data);
    m.lines.line_str_size = m.info.line_str.size;
    m.lines.str = reinterpret_cast<const char*>(m.info.str.data);
    m.lines.str_size = m.info.str.size;
    return true;
}

// Gives back the whole pages inside [p, p + n) of a module's file mapping (map_elf: private,
// read-only, never written), so that they stop counting in the process's memory; they stay in
// the page cache, and a later read of them (a name the index points to) faults them in again
// from the file. Only for map_elf's mappings: on memory that is not a file's it would lose data.
inline void drop_mapped_pages(const void* p, std::size_t n) noexcept {
    if (!p || n == 0) return;
    std::uintptr_t const page = page_size();
    std::uintptr_t const lo = (reinterpret_cast<std::uintptr_t>(p) + page - 1) & ~(page - 1);
    std::uintptr_t const hi = (reinterpret_cast<std::uintptr_t>(p) + n) & ~(page - 1);
    if (hi > lo) ::madvise(reinterpret_cast<void*>(lo), hi - lo, MADV_DONTNEED);
}

// Bytes a module's sections may be read for before their pages are given back. A frame reads a
// unit's entries and line program (a few hundred kilobytes in template-heavy code) and, through
// the kernel's fault-around, the pages beside every name it looks at: the budget keeps the
// report's memory near a few units' worth, and the pages read again cost a minor fault each.
constexpr std::size_t debug_relief_bytes = std::size_t(8) << 20;
// What a lookup in a unit already read is counted for: it decodes a line sequence, the unit's
// entries on the way to the inlined calls and names, each page mapped with its neighbours.
constexpr std::size_t debug_lookup_bytes = std::size_t(256) << 10;

// Gives back the pages of every debug section a lookup reads in the module's file (the tables
// made from them are kept; .debug_aranges is read once). What was returned before (names, file
// names: pointers into the mapping) stays valid - a page given back is read again from the file
// when touched.
inline void drop_debug_pages(dwarf_module& m) noexcept {
    const dwarf_section* const sections[] = {&m.info.info,        &m.info.abbrev, &m.info.str,       &m.info.line_str,
                                             &m.info.str_offsets, &m.info.addr,   &m.info.ranges_v4, &m.info.rnglists};
    for (const dwarf_section* s : sections) drop_mapped_pages(s->data, s->size);
    drop_mapped_pages(m.lines.line_data, m.lines.line_size);
    m.read_since_relief = 0;
}

// Gives back the debug sections' pages once the budget is spent. Called before a frame's lookup.
inline void relieve_debug_pages(dwarf_module& m) noexcept {
    m.read_since_relief += debug_lookup_bytes;
    if (m.read_since_relief >= debug_relief_bytes) drop_debug_pages(m);
}

// Bytes of unit headers a walk of them (read_unit_spans, unit_holding) reads before it gives their
// pages back: each header is on a page of its own in a large program, and the kernel maps its
// neighbours with it (fault-around), so that a walk of a few hundred headers would otherwise
// hold most of .debug_info.
constexpr std::size_t header_walk_relief = std::size_t(1) << 20;
constexpr std::size_t header_page_bytes = std::size_t(64) << 10;

// Counts one header read by a walk of them, and gives back the debug sections' pages every
// header_walk_relief bytes of them (a unit's own entry reads its abbreviations and ranges too).
inline void count_header_read(dwarf_module& m, std::size_t& walked) noexcept {
    walked += header_page_bytes;
    if (walked % header_walk_relief == 0) drop_debug_pages(m);
}

inline bool push_span(span_table& t, std::uint64_t lo, std::uint64_t hi, std::uint64_t unit) noexcept {
    if (hi <= lo || lo == 0) return true; // empty, or code the linker dropped
    if (!grow_raw(t.items, t.count, t.capacity)) return false;
    t.items[t.count++] = unit_span{lo, hi, unit};
    return true;
}

// Sorts the spans, and joins spans of one unit that follow each other with at most a function's
// alignment padding between them (a unit's functions mostly lie one after the other): the table
// keeps one entry per run. An address in such a gap is looked up in that unit, which has no row
// there: the same "no file:line".
inline void sort_spans(span_table& t) noexcept {
    std::sort(t.items, t.items + t.count, [](const unit_span& a, const unit_span& b) { return a.lo < b.lo; });
    std::size_t kept = 0;
    for (std::size_t i = 0; i < t.count; ++i) {
        if (kept > 0 && t.items[kept - 1].unit == t.items[i].unit && t.items[i].lo <= t.items[kept - 1].hi + 64) {
            if (t.items[i].hi > t.items[kept - 1].hi) t.items[kept - 1].hi = t.items[i].hi;
            continue;
        }
        t.items[kept++] = t.items[i];
    }
    t.count = kept;
    t.built = true;
}

// The unit whose span holds `vaddr`, ~0 when none.
inline std::uint64_t span_unit(const span_table& t, std::uint64_t vaddr) noexcept {
    const unit_span* it = std::upper_bound(t.items, t.items + t.count, vaddr,
                                           [](std::uint64_t a, const unit_span& s) { return a < s.lo; });
    if (it == t.items || vaddr >= (it - 1)->hi) return ~std::uint64_t(0);
    return (it - 1)->unit;
}

// .debug_aranges: sets of (address, length) tuples, one set per unit.
inline void read_aranges(dwarf_module& m) noexcept {
    span_table& t = m.from_aranges;
    const unsigned char* const begin = m.aranges.data;
    const unsigned char* const end = begin + m.aranges.size;
    for (const unsigned char* set = begin; begin && set < end;) {
        dwarf_cursor c = {set, end, true};
        std::uint64_t length = c.fixed(4);
        unsigned offset_size = 4;
        if (length == 0xffffffffu) {
            length = c.fixed(8);
            offset_size = 8;
        }
        if (!c.need(static_cast<std::size_t>(length)) || length < 2) break;
        const unsigned char* const next = c.p + length;
        c.end = next;
        unsigned const version = static_cast<unsigned>(c.fixed(2));
        std::uint64_t const unit = c.fixed(offset_size);
        unsigned const address_size = static_cast<unsigned>(c.fixed(1));
        unsigned const segment_size = static_cast<unsigned>(c.fixed(1));
        if (c.ok && version == 2 && segment_size == 0 && (address_size == 4 || address_size == 8)) {
            // The tuples start at a multiple of twice the address size from the set's start.
            std::size_t const used = static_cast<std::size_t>(c.p - set), pair = std::size_t(2) * address_size;
            c.skip((pair - used % pair) % pair);
            for (;;) {
                std::uint64_t const lo = c.fixed(address_size);
                std::uint64_t const len = c.fixed(address_size);
                if (!c.ok || (lo == 0 && len == 0)) break;
                if (!push_span(t, lo, lo + len, unit)) break;
            }
        }
        set = next;
    }
    count_module_read(m, m.aranges.size);
    sort_spans(t);
}

// The units' own entries: each unit's header and first entry, once per module.
inline void read_unit_spans(dwarf_module& m) noexcept {
    span_table& t = m.from_units;
    std::size_t bytes = 0, walked = 0;
    for (std::uint64_t offset = 0; offset < m.info.info.size;) {
        dwarf_unit u;
        bool usable = false;
        if (!read_unit_header(m.info, offset, u, usable)) break;
        count_header_read(m, walked);
        offset = u.end;
        if (!usable) continue;
        dwarf_cursor c = {nullptr, nullptr, false};
        bool children = false;
        std::uint64_t const unit = u.offset;
        read_unit_root(m.info, u, c, children,
                       [&](std::uint64_t lo, std::uint64_t hi) noexcept { return push_span(t, lo, hi, unit); });
        const unsigned char* const start = m.info.info.data + u.offset;
        bytes +=
            c.p && c.p > start ? static_cast<std::size_t>(c.p - start) : static_cast<std::size_t>(u.dies - u.offset);
    }
    count_module_read(m, bytes);
    drop_debug_pages(m);
    sort_spans(t);
}

// The unit at .debug_info offset `offset`, its header and own entry read; null when it is not one
// to read.
inline compile_unit* unit_at_offset(dwarf_module& m, std::uint64_t offset) noexcept {
    compile_unit** const first = m.units;
    compile_unit** const last = m.units + m.unit_count;
    compile_unit** it = std::lower_bound(first, last, offset,
                                         [](const compile_unit* u, std::uint64_t o) { return u->unit.offset < o; });
    if (it != last && (*it)->unit.offset == offset) return *it;
    dwarf_unit u;
    bool usable = false;
    if (!read_unit_header(m.info, offset, u, usable) || !usable) return nullptr;
    dwarf_cursor c = {nullptr, nullptr, false};
    bool children = false;
    if (!read_unit_root(m.info, u, c, children, [](std::uint64_t, std::uint64_t) noexcept { return true; }))
        return nullptr;
    std::size_t const at = static_cast<std::size_t>(it - first);
    if (m.unit_count == m.unit_capacity) { // an array of pointers: grow_raw takes arrays of records
        std::size_t const grown = m.unit_capacity ? 2 * m.unit_capacity : 16;
        void* const more = raw_realloc(m.units, grown * sizeof(void*));
        if (!more) return nullptr;
        m.units = static_cast<compile_unit**>(more);
        m.unit_capacity = grown;
    }
    compile_unit* cu = static_cast<compile_unit*>(raw_calloc(sizeof(compile_unit)));
    if (!cu) return nullptr;
    cu->unit = u;
    cu->info = m.info;
    cu->info.abbrev_by_code = nullptr;
    cu->info.abbrev_codes = 0;
    cu->info.abbrev_for = ~std::uint64_t(0);
    for (std::size_t i = m.unit_count; i > at; --i) m.units[i] = m.units[i - 1];
    m.units[at] = cu;
    ++m.unit_count;
    count_module_read(m, static_cast<std::size_t>(c.p - (m.info.info.data + u.offset)), 1);
    return cu;
}

// The unit whose code holds `vaddr` (an address in the file's address space); null when none.
inline compile_unit* unit_for_address(dwarf_module& m, std::uint64_t vaddr) noexcept {
    if (!m.from_aranges.built) read_aranges(m);
    std::uint64_t unit = span_unit(m.from_aranges, vaddr);
    if (unit == ~std::uint64_t(0)) {
        if (!m.from_units.built) read_unit_spans(m);
        unit = span_unit(m.from_units, vaddr);
    }
    return unit == ~std::uint64_t(0) ? nullptr : unit_at_offset(m, unit);
}

// The unit that holds the entry at .debug_info offset `die`: one already read, else found by
// walking the unit headers (a reference into another unit: LTO, or DW_FORM_ref_addr).
inline compile_unit* unit_holding(dwarf_module& m, std::uint64_t die) noexcept {
    compile_unit** const last = m.units + m.unit_count;
    compile_unit** it =
        std::upper_bound(m.units, last, die, [](std::uint64_t o, const compile_unit* u) { return o < u->unit.offset; });
    if (it != m.units && die < (*(it - 1))->unit.end) return *(it - 1);
    std::size_t headers = 0, walked = 0;
    for (std::uint64_t offset = 0; offset < m.info.info.size;) {
        dwarf_unit u;
        bool usable = false;
        if (!read_unit_header(m.info, offset, u, usable)) break;
        headers += 12;
        count_header_read(m, walked);
        if (die >= u.offset && die < u.end) {
            count_debug_read(headers);
            return usable ? unit_at_offset(m, u.offset) : nullptr;
        }
        offset = u.end;
    }
    count_debug_read(headers);
    return nullptr;
}

inline const line_table& unit_lines(dwarf_module& m, compile_unit& cu) noexcept {
    if (!cu.lines_built) {
        cu.lines_built = true;
        std::size_t bytes = 0;
        if (cu.unit.stmt_list != ~std::uint64_t(0)) build_line_table(m.lines, cu.unit.stmt_list, cu.lines, bytes);
        count_module_read(m, bytes);
    }
    return cu.lines;
}

inline const inline_table& unit_inlines(dwarf_module& m, compile_unit& cu) noexcept {
    if (!cu.inlines_built) {
        cu.inlines_built = true;
        build_inline_table(cu.info, cu.unit, cu.inlines);
        count_module_read(m, static_cast<std::size_t>(cu.unit.end - cu.unit.offset));
    }
    return cu.inlines;
}

// Writes "dir/file" and the line for `vaddr` (in the file's address space); false when unknown.
inline bool dwarf_line_at(dwarf_module& m, std::uint64_t vaddr, char* file, std::size_t file_size,
                          unsigned& line) noexcept {
    relieve_debug_pages(m);
    compile_unit* cu = unit_for_address(m, vaddr);
    return cu && lookup_line(m.lines, unit_lines(m, *cu), vaddr, file, file_size, line);
}

// The inlined calls `vaddr` lies in, innermost first (inline_chain), and in `unit` the unit that
// holds them.
inline std::size_t dwarf_inline_chain(dwarf_module& m, std::uint64_t vaddr, inline_call* out, std::size_t max,
                                      compile_unit*& unit) noexcept {
    relieve_debug_pages(m);
    unit = unit_for_address(m, vaddr);
    return unit ? inline_chain(unit->info, unit->unit, unit_inlines(m, *unit), vaddr, out, max) : 0;
}

// Writes "dir/file" of file `file_index` of a unit's line table (an inlined call's call_file).
inline bool dwarf_unit_file(const dwarf_module& m, const compile_unit& unit, unsigned file_index, char* file,
                            std::size_t file_size) noexcept {
    return unit.unit.stmt_list != ~std::uint64_t(0) &&
           unit_file_name(m.lines, unit.unit.stmt_list, file_index, file, file_size);
}

// The name of the function whose entry is at `offset` in .debug_info: its linkage (mangled) name
// when it or the declaration it completes has one, else its plain name qualified with the
// namespaces and classes around the entry that has it; null when unknown. The result lives until
// the next call. `bare`, when given, gets the first plain name (DW_AT_name) met on the way, as the
// module holds it (unqualified: what valgrind names an inlined call by), or null.
inline const char* dwarf_function_name(dwarf_module& m, std::uint64_t offset, const char** bare = nullptr) noexcept {
    const char* plain = nullptr;
    compile_unit* plain_unit = nullptr;
    std::uint64_t plain_at = 0;
    const char* linkage = nullptr;
    if (bare) *bare = nullptr;
    for (unsigned hop = 0; hop < 8; ++hop) {
        compile_unit* cu = unit_holding(m, offset);
        if (!cu) break;
        dwarf_info& t = cu->info;
        const dwarf_unit* u = &cu->unit;
        if (offset < u->dies || offset >= u->end || !load_abbrevs(t, u->abbrev)) break;
        dwarf_cursor c = {t.info.data + offset, t.info.data + u->end, true};
        std::uint64_t const code = c.uleb();
        if (!c.ok || code == 0 || code >= t.abbrev_codes || !t.abbrev_by_code[code]) break;
        dwarf_cursor spec = {t.abbrev_by_code[code], t.abbrev.data + t.abbrev.size, true};
        spec.uleb();
        spec.fixed(1);
        std::uint64_t next = 0;
        bool has_next = false;
        bool bad = false;
        for (;;) {
            std::uint64_t const name = spec.uleb();
            std::uint64_t const form = spec.uleb();
            std::int64_t const implicit = form == 0x21 ? spec.sleb() : 0;
            if (!spec.ok) {
                bad = true;
                break;
            }
            if (name == 0 && form == 0) break;
            dwarf_value v;
            if (!read_attribute(c, form, implicit, t, *u, v)) {
                bad = true;
                break;
            }
            if ((name == 0x6e || name == 0x2007) && v.str) linkage = v.str; // linkage_name, MIPS_linkage_name
            if (name == 0x03 && v.str) {                                    // name: the innermost declaration's
                if (bare && !*bare) *bare = v.str;
                plain = v.str;
                plain_at = offset;
                plain_unit = cu;
            }
            if ((name == 0x31 || name == 0x47) && !has_next) { // abstract_origin, specification
                next = v.u;
                has_next = true;
            }
        }
        if (linkage) return linkage; // the rest of its entry read: its plain name is known too
        if (bad || !has_next) break;
        offset = next;
    }
    if (!plain) return nullptr;
    std::size_t const len =
        plain_unit ? write_scopes(plain_unit->info, plain_unit->unit, plain_at, m.qualified, sizeof m.qualified) : 0;
    std::snprintf(m.qualified + len, sizeof m.qualified - len, "%s", plain);
    return m.qualified;
}

} // namespace detail
} // namespace leakguard

#endif
// #include "leakguard/detail/symbolize/elf_symbols.hpp" (inlined)
// #include "leakguard/detail/symbolize/frame_cache.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// symbolize/frame_cache.hpp: what each return address was named as, kept, so that naming it again
// is a table lookup.
//
// Why: a report names the same return addresses several times - grouping the leaks by site, each
// loss record's fingerprint, the site line, the stack, JSON, SARIF, the suppressions - and the
// monitor names its sites at every report. Each naming reads the module's debug information again
// (a line sequence, the function's inlined calls, their names), from pages the symbolizer gives
// back to keep its memory small (dwarf_units.hpp), so that they are read from the file again.
// Kept here: the frame symbolize() gives, and the frames symbolize_frames() gives (the calls
// inlined at the address and the function), as text in raw memory.
//
// Valid while the same modules are loaded: each lookup reads the dynamic loader's counts of
// objects added and removed (dl_iterate_phdr), and any change empties the cache - a library
// unloaded and another mapped at its addresses must not be named from the first one's names. The
// memory is bounded (frame_cache_bytes): when it is full the cache is emptied and fills again.
#ifndef LEAKGUARD_DETAIL_SYMBOLIZE_FRAME_CACHE_HPP_INCLUDED
#define LEAKGUARD_DETAIL_SYMBOLIZE_FRAME_CACHE_HPP_INCLUDED

#include <cstddef> // std::size_t, offsetof
#include <cstdint> // std::uintptr_t, std::uint64_t
#include <cstring> // std::strlen, std::strcmp, std::memcpy, std::memset
#include <link.h>  // dl_iterate_phdr

// #include "leakguard/detail/symbolize/symbol_info.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// symbolize/symbol_info.hpp: one named frame, as the symbolizer gives it to the reports.
#ifndef LEAKGUARD_DETAIL_SYMBOLIZE_SYMBOL_INFO_HPP_INCLUDED
#define LEAKGUARD_DETAIL_SYMBOLIZE_SYMBOL_INFO_HPP_INCLUDED

#include <cstddef> // std::size_t
#include <cstdint> // std::uintptr_t

namespace leakguard {
namespace detail {

// Frames named per return address at most: calls inlined there, and the function.
constexpr std::size_t max_inline_frames = 16;

struct symbol_info {
    char function[512]; // demangled, empty when unknown
    char file[512];     // source file from the DWARF line table, empty when unknown
    unsigned line;
    char module[512];      // path of the module (executable or shared library), empty when unknown
    std::uintptr_t offset; // address - module base (what addr2line takes)
    const void* address;   // the return address named
    bool inlined;          // a call inlined into the next frame (same address), by symbolize_frames
    // The function's name as the module holds it, or null: the ELF symbol (mangled) of a
    // function, the DWARF name (unqualified) of an inlined call - the names valgrind's
    // suppressions use (report/suppressions.hpp). Points into the module's mapped file.
    const char* raw_name;
    // 1 + the index in g_modules of the module, when its debug information could not be read: a
    // report that prints the frame without file:line notes that once (want_debug_note).
    unsigned no_debug_module;
};

} // namespace detail
} // namespace leakguard

#endif
// #include "leakguard/detail/core/platform.hpp" (inlined)
// #include "leakguard/detail/core/text.hpp" (inlined)

namespace leakguard {
namespace detail {

constexpr std::size_t frame_cache_chunk = std::size_t(64) << 10;
constexpr std::size_t frame_cache_bytes = std::size_t(8) << 20;
constexpr unsigned frame_cache_buckets_log2 = 12;
constexpr std::size_t frame_cache_bucket_bytes = sizeof(void*) << frame_cache_buckets_log2; // of pointers

// One named frame, its text in the cache's chunks.
struct cached_frame {
    const char* function;
    const char* file;
    const char* module;
    const char* raw_name; // as symbol_info::raw_name: into the module's mapped file
    std::uintptr_t offset;
    unsigned line;
    unsigned no_debug_module;
    bool inlined;
};

struct cached_address {
    cached_address* next; // in its bucket
    const void* caller;
    cached_frame base;    // what symbolize() gives
    cached_frame* frames; // what symbolize_frames() gives, outermost `count` of them; null: not asked yet
    std::size_t count;
    bool complete; // every inlined call is among them (none was dropped for want of room)
};

struct frame_cache {
    spinlock lock;
    cached_address** buckets; // raw memory, 1 << frame_cache_buckets_log2 of them; null until first used
    void* chunk;              // the current chunk: its first word links to the previous one
    std::size_t used;         // bytes taken of the current chunk
    std::size_t bytes;        // in all chunks
    std::uint64_t generation; // the loader's adds + removes when the entries were made
    const char* last_module;  // the module path kept last (frames of one module share it)
};

frame_cache g_frame_cache{};

// The dynamic loader's count of objects loaded plus unloaded so far: it changes whenever a module
// comes or goes. Read outside the cache's lock (it takes the loader's).
inline std::uint64_t loaded_objects_generation() noexcept {
    std::uint64_t generation = 0;
    dl_iterate_phdr(
        [](struct dl_phdr_info* info, std::size_t size, void* data) -> int {
            if (size >= offsetof(struct dl_phdr_info, dlpi_subs) + sizeof info->dlpi_subs)
                *static_cast<std::uint64_t*>(data) = info->dlpi_adds + info->dlpi_subs;
            return 1; // the counts are the same in every module's record: the first will do
        },
        &generation);
    return generation;
}

// Frees every entry (the cache's lock held).
inline void empty_frame_cache(frame_cache& c) noexcept {
    while (c.chunk) {
        void* const previous = *static_cast<void**>(c.chunk);
        raw_free(c.chunk);
        c.chunk = previous;
    }
    if (c.buckets) std::memset(static_cast<void*>(c.buckets), 0, frame_cache_bucket_bytes);
    c.used = c.bytes = 0;
    c.last_module = nullptr;
}

// `n` bytes of the chunks, 8-aligned; null when out of memory.
inline void* frame_cache_take(frame_cache& c, std::size_t n) noexcept {
    n = (n + 7) & ~std::size_t(7);
    if (!c.chunk || c.used + n > frame_cache_chunk) {
        std::size_t const size = n + sizeof(void*) > frame_cache_chunk ? n + sizeof(void*) : frame_cache_chunk;
        void* const fresh = raw_alloc(size);
        if (!fresh) return nullptr;
        *static_cast<void**>(fresh) = c.chunk;
        c.chunk = fresh;
        c.used = sizeof(void*);
        c.bytes += size;
    }
    void* const p = static_cast<char*>(c.chunk) + c.used;
    c.used += n;
    return p;
}

inline const char* frame_cache_keep(frame_cache& c, const char* s) noexcept {
    std::size_t const n = std::strlen(s) + 1;
    char* const p = static_cast<char*>(frame_cache_take(c, n));
    if (p) std::memcpy(p, s, n);
    return p;
}

inline bool keep_frame(frame_cache& c, const symbol_info& in, cached_frame& out) noexcept {
    if (!c.last_module || std::strcmp(c.last_module, in.module) != 0) c.last_module = frame_cache_keep(c, in.module);
    out.module = c.last_module;
    out.function = frame_cache_keep(c, in.function);
    out.file = frame_cache_keep(c, in.file);
    out.raw_name = in.raw_name;
    out.offset = in.offset;
    out.line = in.line;
    out.no_debug_module = in.no_debug_module;
    out.inlined = in.inlined;
    return out.module && out.function && out.file;
}

inline void give_frame(const cached_frame& in, const void* caller, symbol_info& out) noexcept {
    copy_text(out.function, sizeof out.function, in.function);
    copy_text(out.file, sizeof out.file, in.file);
    copy_text(out.module, sizeof out.module, in.module);
    out.line = in.line;
    out.offset = in.offset;
    out.address = caller;
    out.inlined = in.inlined;
    out.raw_name = in.raw_name;
    out.no_debug_module = in.no_debug_module;
}

inline cached_address*& frame_cache_bucket(frame_cache& c, const void* caller) noexcept {
    std::uint64_t const h =
        (reinterpret_cast<std::uintptr_t>(caller) * 0x9E3779B97F4A7C15ull) >> (64 - frame_cache_buckets_log2);
    return c.buckets[h];
}

// The entry of `caller`, null when none; first empties the cache if the modules changed (the
// lock held, `generation` read before it was taken).
inline cached_address* frame_cache_find(frame_cache& c, const void* caller, std::uint64_t generation) noexcept {
    if (generation != c.generation) {
        empty_frame_cache(c);
        c.generation = generation;
    }
    if (!c.buckets) return nullptr;
    for (cached_address* e = frame_cache_bucket(c, caller); e; e = e->next)
        if (e->caller == caller) return e;
    return nullptr;
}

// Serves symbolize(caller) from the cache; false when not there.
inline bool cached_symbol(const void* caller, symbol_info& out) noexcept {
    std::uint64_t const generation = loaded_objects_generation();
    lock_guard hold(g_frame_cache.lock);
    const cached_address* e = frame_cache_find(g_frame_cache, caller, generation);
    if (!e) return false;
    give_frame(e->base, caller, out);
    return true;
}

// Serves symbolize_frames(caller, out, max) from the cache, as it would name them: the outermost
// `max` frames, or with `max` 1 the frame symbolize() gives. 0 when not there.
inline std::size_t cached_frames(const void* caller, symbol_info* out, std::size_t max) noexcept {
    std::uint64_t const generation = loaded_objects_generation();
    lock_guard hold(g_frame_cache.lock);
    const cached_address* e = frame_cache_find(g_frame_cache, caller, generation);
    if (!e) return 0;
    if (max == 1) {
        give_frame(e->base, caller, out[0]);
        return 1;
    }
    if (!e->frames || (max > e->count && !e->complete)) return 0;
    std::size_t const n = max < e->count ? max : e->count;
    for (std::size_t i = 0; i < n; ++i) give_frame(e->frames[e->count - n + i], caller, out[i]);
    return n;
}

// Keeps what `caller` was named as: `base` (symbolize), and when `frames` is not null the `count`
// outermost frames symbolize_frames gave (`complete`: all of them), replacing what was kept of it.
// Nothing is kept when memory is short, or when the modules changed since `generation` was read
// (before the naming).
inline void keep_frames(const void* caller, std::uint64_t generation, const symbol_info& base,
                        const symbol_info* frames, std::size_t count, bool complete) noexcept {
    if (loaded_objects_generation() != generation) return;
    frame_cache& c = g_frame_cache;
    lock_guard hold(c.lock);
    if (!c.buckets) {
        c.buckets = static_cast<cached_address**>(raw_calloc(frame_cache_bucket_bytes));
        if (!c.buckets) return;
    }
    if (c.bytes >= frame_cache_bytes) empty_frame_cache(c); // full: it fills again with what is named now
    cached_address* e = frame_cache_find(c, caller, generation);
    if (!e) {
        e = static_cast<cached_address*>(frame_cache_take(c, sizeof(cached_address)));
        if (!e || !keep_frame(c, base, e->base)) return;
        e->caller = caller;
        e->frames = nullptr;
        e->count = 0;
        e->complete = false;
        cached_address*& bucket = frame_cache_bucket(c, caller);
        e->next = bucket;
        bucket = e;
    }
    if (!frames || count == 0) return;
    cached_frame* const kept = static_cast<cached_frame*>(frame_cache_take(c, count * sizeof(cached_frame)));
    if (!kept) return;
    for (std::size_t i = 0; i < count; ++i)
        if (!keep_frame(c, frames[i], kept[i])) return;
    e->frames = kept;
    e->count = count;
    e->complete = complete;
}

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_SYMBOLIZE_FRAME_CACHE_HPP_INCLUDED
// #include "leakguard/detail/symbolize/symbol_info.hpp" (inlined)
// #include "leakguard/detail/core/platform.hpp" (inlined)
// #include "leakguard/detail/core/text.hpp" (inlined)

namespace leakguard {
namespace detail {

// Modules whose files are mapped for symbol lookups, kept for the rest of the process (a report
// may name thousands of sites in the same few modules). A file is mapped whole, but only the pages
// a lookup reads are ever touched: the section headers, the symbol table, and of the debug
// information only the compilation units that cover the addresses named. A module is known by its file's identity
// (device, inode, modification time) as well as its load address: a library unloaded with dlclose
// and another one loaded at the same address must not be named from the first one's tables. The
// entries are raw memory, each on its own so that a pointer to one stays valid as the table grows;
// any number of modules.
struct module_cache {
    spinlock lock;
    struct entry {
        const void* base;
        dev_t device;
        ino_t inode;
        struct timespec modified;
        elf_image image;
        elf_image debug;     // the separate debug file (debug_files.hpp), when looked for and found
        bool debug_searched; // looked for
        // The debug information, from `image` or `debug`: opened on the first lookup of a file:line.
        enum class dwarf_state : unsigned char { unopened, usable, missing } dwarf_is;
        bool compressed; // what was found is compressed, which leakguard does not read
        bool note_due;   // missing and a frame printed without it: a report says so once (write_debug_notes)
        bool noted;
        dwarf_module dwarf;
        char path[512]; // for the note
        unsigned index; // in entries
    };
    entry** entries;
    unsigned count;
    unsigned capacity;
};

module_cache g_modules{};

// Marks the thread that holds g_modules.lock (t_inside.naming): what it calls meanwhile (the
// demangler's malloc and free) may report a heap error, which must then not name its sites - that
// would take the lock again (report/error_report.hpp).
class naming_section {
public:
    naming_section() noexcept {
        g_modules.lock.lock();
        t_inside.naming = true;
    }
    ~naming_section() {
        t_inside.naming = false;
        g_modules.lock.unlock();
    }
    naming_section(const naming_section&) = delete;
    naming_section& operator=(const naming_section&) = delete;
};

inline bool same_file(const module_cache::entry& e, const struct stat& st) noexcept {
    return e.device == st.st_dev && e.inode == st.st_ino && e.modified.tv_sec == st.st_mtim.tv_sec &&
           e.modified.tv_nsec == st.st_mtim.tv_nsec;
}

// The module of file `path` loaded at `base`, with its file mapped; null when its file cannot be
// read or memory ran out.
inline module_cache::entry* module_entry(const char* path, std::uintptr_t load_address) noexcept {
    const void* const base = reinterpret_cast<const void*>(load_address);
    struct stat st;
    if (::stat(path, &st) != 0) return nullptr;
    for (unsigned i = 0; i < g_modules.count; ++i) {
        module_cache::entry* e = g_modules.entries[i];
        if (e->base == base && same_file(*e, st)) return e->image.data ? e : nullptr;
    }
    if (g_modules.count == g_modules.capacity) {
        unsigned const grown = g_modules.capacity ? 2 * g_modules.capacity : 16;
        void* const more = raw_realloc(g_modules.entries, grown * sizeof(module_cache::entry*));
        if (!more) return nullptr;
        g_modules.entries = static_cast<module_cache::entry**>(more);
        g_modules.capacity = grown;
    }
    module_cache::entry* e = static_cast<module_cache::entry*>(raw_calloc(sizeof(module_cache::entry)));
    if (!e) return nullptr;
    e->index = g_modules.count;
    g_modules.entries[g_modules.count++] = e;
    e->base = base;
    e->device = st.st_dev;
    e->inode = st.st_ino;
    e->modified = st.st_mtim;
    copy_text(e->path, sizeof e->path, path);
    map_elf(path, e->image);
    return e->image.data ? e : nullptr;
}

// The module's separate debug file, looked for once; null when none.
inline const elf_image* debug_image(module_cache::entry& e) noexcept {
    if (!e.debug_searched) {
        e.debug_searched = true;
        find_debug_file(e.path, e.image, e.debug);
    }
    return e.debug.data ? &e.debug : nullptr;
}

// The module's debug information, opened on first use (only section headers are read); null when
// it has none to read, and then a report notes it once (write_debug_notes).
inline dwarf_module* module_dwarf(module_cache::entry& e) noexcept {
    using state = module_cache::entry::dwarf_state;
    if (e.dwarf_is == state::unopened) {
        e.dwarf_is = state::missing;
        if (open_dwarf_module(e.image, e.dwarf)) {
            e.dwarf_is = state::usable;
        } else if (const elf_image* d = debug_image(e)) {
            if (open_dwarf_module(*d, e.dwarf)) e.dwarf_is = state::usable;
            else e.compressed = compressed_section(*d, ".debug_info");
        } else {
            e.compressed = compressed_section(e.image, ".debug_info");
        }
    }
    return e.dwarf_is == state::usable ? &e.dwarf : nullptr;
}

// The function symbol that holds `vaddr`: from the module's own symbol table, else (a stripped
// module) from its debug file's.
inline const char* module_function_at(module_cache::entry& e, std::uintptr_t vaddr) noexcept {
    if (const char* name = elf_function_at(e.image, vaddr)) return name;
    if (elf_has_symtab(e.image)) return nullptr;
    const elf_image* d = debug_image(e);
    return d ? elf_function_at(*d, vaddr) : nullptr;
}

// The file:line of `vaddr` into out; nothing when unknown.
inline void module_line_at(module_cache::entry& e, std::uintptr_t vaddr, symbol_info& out) noexcept {
    if (dwarf_module* d = module_dwarf(e)) dwarf_line_at(*d, vaddr, out.file, sizeof out.file, out.line);
    else out.no_debug_module = e.index + 1;
}

// A report printed `sym` without file:line for want of its module's debug information: the next
// write_debug_notes says so (frames named but not printed - past main, a site's search - do not
// count).
inline void want_debug_note(const symbol_info& sym) noexcept {
    if (!sym.no_debug_module) return;
    lock_guard hold(g_modules.lock);
    if (sym.no_debug_module <= g_modules.count) g_modules.entries[sym.no_debug_module - 1]->note_due = true;
}

// One line per module whose debug information a report wanted and could not read, once per
// process: a stripped library without its -dbgsym package names functions only.
template <class Sink>
void write_debug_notes(Sink& out) noexcept {
    lock_guard hold(g_modules.lock);
    for (unsigned i = 0; i < g_modules.count; ++i) {
        module_cache::entry& e = *g_modules.entries[i];
        if (!e.note_due || e.noted) continue;
        e.noted = true;
        const char* const path = std::strcmp(e.path, "/proc/self/exe") == 0 ? "the program" : e.path;
        if (e.compressed)
            out.printf("leakguard: note: the debug information of %s is compressed, which leakguard does not read "
                       "(objcopy --decompress-debug-sections)\n",
                       path);
        else
            out.printf("leakguard: note: no debug information for %s (install its -dbgsym package or build with -g)\n",
                       path);
    }
}

inline module_cache::entry* module_entry(const struct link_map* lm) noexcept {
    // The main program's link map has an empty name: read it through /proc/self/exe.
    return module_entry(lm->l_name && lm->l_name[0] ? lm->l_name : "/proc/self/exe", lm->l_addr);
}

inline void set_function(symbol_info& out, const char* mangled) noexcept {
    out.raw_name = mangled;
    int status = -1;
    char* demangled = abi::__cxa_demangle(mangled, nullptr, nullptr, &status);
    copy_text(out.function, sizeof out.function, status == 0 && demangled ? demangled : mangled);
    (std::free)(demangled);
}

// The module that holds this unit, as the linker laid it out: its ELF header (__ehdr_start) and
// its end (_end). In a statically linked program there is no other, and the dynamic loader
// (dladdr) knows none: its addresses are named from /proc/self/exe at the load address the header
// gives - zero for a fixed-address program, where the first segment starts at the header.
extern "C" const ElfW(Ehdr) __ehdr_start; // NOLINT(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp)
extern "C" char _end[];                   // NOLINT(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp)

inline bool in_own_module(std::uintptr_t pc) noexcept {
    return pc >= reinterpret_cast<std::uintptr_t>(&__ehdr_start) && pc < reinterpret_cast<std::uintptr_t>(_end);
}

inline std::uintptr_t own_load_address() noexcept {
    std::uintptr_t const header = reinterpret_cast<std::uintptr_t>(&__ehdr_start);
    const ElfW(Phdr)* ph = reinterpret_cast<const ElfW(Phdr)*>(header + __ehdr_start.e_phoff);
    for (unsigned i = 0; i < __ehdr_start.e_phnum; ++i)
        if (ph[i].p_type == PT_LOAD && ph[i].p_offset == 0) return header - ph[i].p_vaddr;
    return header;
}

// Names `pc` from the program's own file when the dynamic loader knows no module for it (a
// statically linked program). Returns whether it did.
inline bool symbolize_own_module(std::uintptr_t pc, symbol_info& out) noexcept {
    if (!in_own_module(pc)) return false;
    char path[sizeof out.module];
    ssize_t const n = ::readlink("/proc/self/exe", path, sizeof path - 1);
    if (n <= 0) return false;
    path[n] = '\0';
    copy_text(out.module, sizeof out.module, path);
    std::uintptr_t const base = own_load_address();
    out.offset = pc + 1 - base;
    naming_section hold;
    module_cache::entry* e = module_entry("/proc/self/exe", base);
    if (!e) return true;
    module_line_at(*e, pc - base, out);
    if (const char* name = module_function_at(*e, pc - base)) set_function(out, name);
    return true;
}

// `caller` is a return address: the call instruction is just before it, so look up caller - 1.
// (symbolize, below, keeps what this gives in the frame cache.)
inline void symbolize_uncached(const void* caller, symbol_info& out) noexcept {
    out.function[0] = out.module[0] = out.file[0] = '\0';
    out.line = 0;
    out.offset = 0;
    out.address = caller;
    out.inlined = false;
    out.raw_name = nullptr;
    out.no_debug_module = 0;
    if (!caller) return;
    std::uintptr_t const pc = reinterpret_cast<std::uintptr_t>(caller) - 1;
    Dl_info info;
    struct link_map* lm = nullptr;
    if (!dladdr1(reinterpret_cast<void*>(pc), &info, reinterpret_cast<void**>(&lm), RTLD_DL_LINKMAP)) {
        symbolize_own_module(pc, out);
        return;
    }
    copy_text(out.module, sizeof out.module, info.dli_fname);
    out.offset = reinterpret_cast<std::uintptr_t>(caller) - reinterpret_cast<std::uintptr_t>(info.dli_fbase);
    if (lm) {
        naming_section hold;
        if (module_cache::entry* e = module_entry(lm)) {
            module_line_at(*e, pc - lm->l_addr, out);
            if (const char* name = module_function_at(*e, pc - lm->l_addr)) {
                set_function(out, name);
                return;
            }
        }
    }
    // No symbol table in the file (stripped): an exported symbol that contains the address.
    void* extra = nullptr;
    if (!dladdr1(reinterpret_cast<void*>(pc), &info, &extra, RTLD_DL_SYMENT)) return;
    const ElfW(Sym)* sym = static_cast<const ElfW(Sym)*>(extra);
    if (!info.dli_sname || !info.dli_saddr || !sym) return;
    std::uintptr_t const start = reinterpret_cast<std::uintptr_t>(info.dli_saddr);
    if (sym->st_size != 0 && pc >= start + sym->st_size) return; // nearest export, not the function
    set_function(out, info.dli_sname);
}

// Names the frames at one return address, innermost first: the calls inlined at it (each named
// after the inlined function, with the file:line in its body), then the function they were
// inlined into, with the file:line of the outermost inlined call - what addr2line -i -f shows.
// Writes out[0..n), n <= max; when there are more inlined calls than fit, the innermost are
// dropped (`complete` says whether none was). Without inlined calls (or debug information) this
// is symbolize(): n is 1. `base`, when given, gets what symbolize() gives. (symbolize_frames,
// below, keeps what this gives in the frame cache.)
inline std::size_t symbolize_frames_uncached(const void* caller, symbol_info* out, std::size_t max, bool& complete,
                                             symbol_info* base = nullptr) noexcept {
    complete = true;
    if (max == 0) return 0;
    symbolize_uncached(caller, out[0]);
    if (base) *base = out[0];
    if (!caller || !out[0].module[0]) return 1;
    if (max == 1) {
        complete = false; // not looked at
        return 1;
    }
    std::uintptr_t const pc = reinterpret_cast<std::uintptr_t>(caller) - 1;
    Dl_info info;
    struct link_map* lm = nullptr;
    if (!dladdr1(reinterpret_cast<void*>(pc), &info, reinterpret_cast<void**>(&lm), RTLD_DL_LINKMAP) || !lm) return 1;
    naming_section hold;
    module_cache::entry* e = module_entry(lm);
    dwarf_module* d = e ? module_dwarf(*e) : nullptr;
    if (!d) return 1;
    inline_call chain[max_inline_depth];
    compile_unit* unit = nullptr;
    std::size_t const k = dwarf_inline_chain(*d, pc - lm->l_addr, chain, max_inline_depth, unit);
    if (k == 0 || !unit) return 1;
    std::size_t const n = k + 1 < max ? k + 1 : max;
    std::size_t const dropped = k + 1 - n; // innermost frames that do not fit
    complete = dropped == 0;
    // Frame j (0 innermost .. k the function) goes to out[j - dropped]; the function last.
    if (n - 1 != 0) out[n - 1] = out[0];
    symbol_info& outer = out[n - 1];
    char inner_file[sizeof outer.file];
    copy_text(inner_file, sizeof inner_file, outer.file);
    unsigned const inner_line = outer.line;
    for (std::size_t j = dropped; j <= k; ++j) {
        symbol_info& f = out[j - dropped];
        if (j < k) {
            f.offset = outer.offset;
            f.address = caller;
            f.inlined = true;
            f.no_debug_module = 0;
            copy_text(f.module, sizeof f.module, outer.module);
            f.function[0] = '\0';
            const char* bare = nullptr;
            if (const char* name = dwarf_function_name(*d, chain[j].origin, &bare)) set_function(f, name);
            f.raw_name = bare;
        }
        // Where this frame is: in the innermost body for frame 0, else the call it inlined.
        if (j == 0) {
            copy_text(f.file, sizeof f.file, inner_file);
            f.line = inner_line;
        } else {
            const inline_call& call = chain[j - 1];
            f.file[0] = '\0';
            f.line = 0;
            if (call.call_line && dwarf_unit_file(*d, *unit, call.call_file, f.file, sizeof f.file))
                f.line = call.call_line;
            else f.file[0] = '\0';
        }
    }
    return n;
}

// Names return address `caller` (symbolize_uncached), from the frame cache when it was named before.
inline void symbolize(const void* caller, symbol_info& out) noexcept {
    if (caller && cached_symbol(caller, out)) return;
    std::uint64_t const generation = loaded_objects_generation();
    symbolize_uncached(caller, out);
    if (caller) keep_frames(caller, generation, out, nullptr, 0, false);
}

// Names the frames at return address `caller` (symbolize_frames_uncached), from the frame cache
// when they were named before. A miss names up to max_inline_frames of them, whatever `max`, so
// that the next call finds them whatever it asks for.
inline std::size_t symbolize_frames(const void* caller, symbol_info* out, std::size_t max) noexcept {
    if (max == 0) return 0;
    if (!caller) {
        symbolize_uncached(nullptr, out[0]);
        return 1;
    }
    if (std::size_t const n = cached_frames(caller, out, max)) return n;
    std::uint64_t const generation = loaded_objects_generation();
    std::size_t const want = max > max_inline_frames ? max : max_inline_frames;
    symbol_info* all = want > max ? static_cast<symbol_info*>(raw_alloc(want * sizeof(symbol_info))) : out;
    if (!all) all = out;
    std::size_t const room = all == out ? max : want;
    bool complete = false;
    symbol_info base;
    std::size_t const named = symbolize_frames_uncached(caller, all, room, complete, &base);
    keep_frames(caller, generation, base, all, named, complete);
    if (all == out) return named;
    // What symbolize_frames_uncached(caller, out, max) gives: the outermost `max` frames, or with
    // a room of 1 symbolize()'s frame.
    std::size_t const n = max == 1 ? 1 : named < max ? named : max;
    for (std::size_t i = 0; i < n; ++i) out[i] = max == 1 ? base : all[named - n + i];
    raw_free(all);
    return n;
}

} // namespace detail
} // namespace leakguard

#endif
// #include "leakguard/detail/reach/marker.hpp" (inlined)
// #include "leakguard/detail/reach/memory_map.hpp" (inlined)
// #include "leakguard/detail/reach/root_regions.hpp" (inlined)
// #include "leakguard/detail/reach/thread_pause.hpp" (inlined)

namespace leakguard {
namespace detail {

// A static TLS block, or one of leakguard's thread-locals, as an offset from a thread pointer:
// the same in every thread.
struct tls_piece {
    std::intptr_t offset;
    std::size_t size;
};

// What the C library tells once: the size of a thread's control block (its struct pthread) and
// of the static TLS area. 0 where it does not say.
struct thread_layout {
    std::size_t tcb_size;
    std::size_t static_tls_size;
    bool known;
};
thread_layout g_thread_layout{};

inline void learn_thread_layout() noexcept {
    if (g_thread_layout.known) return;
#if defined(__GLIBC__)
    // Both are glibc's own, for its debugger library and for sanitizers; absent elsewhere.
    const void* const sizeof_pthread = dlsym(RTLD_DEFAULT, "_thread_db_sizeof_pthread");
    if (sizeof_pthread) g_thread_layout.tcb_size = *static_cast<const unsigned*>(sizeof_pthread);
    void* const static_info = dlsym(RTLD_DEFAULT, "_dl_get_tls_static_info");
    if (static_info) {
        using info_function = void (*)(std::size_t*, std::size_t*);
        info_function f;
        static_assert(sizeof f == sizeof static_info, "function and data pointers differ in size");
        __builtin_memcpy(&f, &static_info, sizeof f);
        std::size_t size = 0, align = 0;
        f(&size, &align);
        g_thread_layout.static_tls_size = size;
    }
#endif
    if (g_thread_layout.tcb_size == 0 || g_thread_layout.tcb_size > 65536) g_thread_layout.tcb_size = 4096;
    g_thread_layout.known = true;
}

struct root_plan {
    page_array<address_range> segments; // module writable segments
    page_array<address_range> regions;  // registered by the program
    page_array<address_range> own;      // leakguard's globals: never read (sorted)
    page_array<address_range> loader;   // the dynamic linker's code
    page_array<tls_piece> tls;          // static TLS blocks
    page_array<tls_piece> own_tls;      // leakguard's thread-locals
    std::uintptr_t self_tp;

    void release() noexcept {
        segments.release();
        regions.release();
        own.release();
        loader.release();
        tls.release();
        own_tls.release();
    }

    bool in_loader(const void* pc) const noexcept {
        std::uintptr_t const a = reinterpret_cast<std::uintptr_t>(pc);
        for (std::size_t i = 0; i < loader.count; ++i)
            if (a >= loader.items[i].begin && a < loader.items[i].end) return true;
        return false;
    }
};

template <class T>
void add_own(page_array<address_range>& own, const T& object) noexcept {
    std::uintptr_t const b = reinterpret_cast<std::uintptr_t>(&object);
    own.push(address_range{b, b + sizeof object});
}
template <class T>
void add_own_tls(page_array<tls_piece>& own, const T& object, std::uintptr_t tp) noexcept {
    own.push(tls_piece{static_cast<std::intptr_t>(reinterpret_cast<std::uintptr_t>(&object) - tp), sizeof object});
}

inline int collect_module_roots(dl_phdr_info* info, std::size_t, void* data) noexcept {
    root_plan& plan = *static_cast<root_plan*>(data);
    std::uintptr_t const loader_base = static_cast<std::uintptr_t>(getauxval(AT_BASE));
    bool const is_loader = loader_base != 0 && info->dlpi_addr == loader_base;
    for (int i = 0; i < info->dlpi_phnum; ++i) {
        const ElfW(Phdr)& ph = info->dlpi_phdr[i];
        std::uintptr_t const b = info->dlpi_addr + ph.p_vaddr;
        if (ph.p_type == PT_LOAD && (ph.p_flags & PF_W)) {
            // To the end of the page: the loader's first allocations use the rest of its last page.
            std::uintptr_t const e = (b + ph.p_memsz + page_size_assumed - 1) & ~(page_size_assumed - 1);
            plan.segments.push(address_range{b, e});
        }
        if (ph.p_type == PT_LOAD && (ph.p_flags & PF_X) && is_loader)
            plan.loader.push(address_range{b, b + ph.p_memsz});
        if (ph.p_type == PT_TLS && info->dlpi_tls_data && plan.self_tp) {
            // Static TLS lies just below the thread pointer (x86-64, variant II); a module's block
            // elsewhere is dynamic TLS, which the loader allocated (a root block of its own).
            std::intptr_t const off =
                static_cast<std::intptr_t>(reinterpret_cast<std::uintptr_t>(info->dlpi_tls_data) - plan.self_tp);
            std::intptr_t const area = static_cast<std::intptr_t>(
                g_thread_layout.static_tls_size ? g_thread_layout.static_tls_size : std::size_t(1) << 20);
            if (off < 0 && -off <= area) plan.tls.push(tls_piece{off, ph.p_memsz});
        }
    }
    return 0;
}

// Everything that needs the loader's lock or the regions' lock: before the pause.
inline bool plan_roots(root_plan& plan) noexcept {
    learn_thread_layout();
    plan.self_tp = current_thread_pointer();
    dl_iterate_phdr(collect_module_roots, &plan);
    if (!copy_root_regions(plan.regions)) return false;
    add_own(plan.own, g_registry);
    add_own(plan.own, g_errors);
    add_own(plan.own, g_options);
    add_own(plan.own, g_libc);
    add_own(plan.own, g_stacks);
    add_own(plan.own, g_locations);
    add_own(plan.own, g_modules);
    add_own(plan.own, g_frame_pointer_module);
    add_own(plan.own, g_root_regions);
    add_own(plan.own, g_thread_layout);
    std::sort(plan.own.items, plan.own.items + plan.own.count,
              [](const address_range& a, const address_range& b) { return a.begin < b.begin; });
    std::uintptr_t const tp = plan.self_tp;
    if (tp) {
        add_own_tls(plan.own_tls, t_state, tp);
        add_own_tls(plan.own_tls, t_recycled, tp);
        add_own_tls(plan.own_tls, t_new_sites, tp);
        add_own_tls(plan.own_tls, t_recent_stacks, tp);
        add_own_tls(plan.own_tls, t_stack_bounds, tp);
    }
    return true;
}

// Scans [begin, end) minus the holes (sorted, not overlapping), where readable.
inline void scan_root(marker& m, const memory_map& map, std::uintptr_t begin, std::uintptr_t end,
                      const address_range* holes, std::size_t hole_count) noexcept {
    map.for_each_readable(begin, end, [&](std::uintptr_t b, std::uintptr_t e) {
        for (std::size_t i = 0; i < hole_count && b < e; ++i) {
            const address_range& h = holes[i];
            if (h.end <= b || h.begin >= e) continue;
            if (h.begin > b) m.scan(b, h.begin, true);
            b = h.end;
        }
        if (b < e) m.scan(b, e, true);
    });
}

// One thread's roots: registers, stack from `sp`, static TLS, control block.
inline void scan_thread_roots(marker& m, const memory_map& map, const root_plan& plan, std::uintptr_t sp,
                              std::uintptr_t tp, const std::uintptr_t* registers, std::size_t register_count,
                              bool red_zone) noexcept {
    for (std::size_t i = 0; i < register_count; ++i) m.consider(registers[i], true);
    // leakguard's thread-locals of this thread: holes in its TLS (sorted here, a handful).
    address_range holes[8];
    std::size_t hole_count = 0;
    if (tp) {
        for (std::size_t i = 0; i < plan.own_tls.count && hole_count < 8; ++i) {
            std::uintptr_t const b = tp + static_cast<std::uintptr_t>(plan.own_tls.items[i].offset);
            holes[hole_count++] = address_range{b, b + plan.own_tls.items[i].size};
        }
        std::sort(holes, holes + hole_count,
                  [](const address_range& a, const address_range& b) { return a.begin < b.begin; });
    }
    if (sp) {
        const mapped_range* stack = map.find(sp);
        // The red zone below a paused thread's stack pointer may hold a leaf function's live data
        // (below the scanning thread's own, its caller's, lie only leakguard's frames).
        std::uintptr_t const low = red_zone && sp > 128 ? sp - 128 : sp;
        if (stack) scan_root(m, map, low < stack->begin ? stack->begin : low, stack->end, holes, hole_count);
    }
    if (!tp) return;
    for (std::size_t i = 0; i < plan.tls.count; ++i) {
        std::uintptr_t const b = tp + static_cast<std::uintptr_t>(plan.tls.items[i].offset);
        scan_root(m, map, b, b + plan.tls.items[i].size, holes, hole_count);
    }
    scan_root(m, map, tp, tp + g_thread_layout.tcb_size, holes, hole_count);
}

// Every root: `self_sp` and `self_registers` are the scanning thread's (its caller's frame up).
inline void scan_roots(marker& m, const memory_map& map, const root_plan& plan, const world_pause& world,
                       std::uintptr_t self_sp, const std::uintptr_t* self_registers, std::size_t self_count) noexcept {
    for (std::size_t i = 0; i < plan.segments.count; ++i)
        scan_root(m, map, plan.segments.items[i].begin, plan.segments.items[i].end, plan.own.items, plan.own.count);
    for (std::size_t i = 0; i < plan.regions.count; ++i)
        scan_root(m, map, plan.regions.items[i].begin, plan.regions.items[i].end, nullptr, 0);
    scan_thread_roots(m, map, plan, self_sp, plan.self_tp, self_registers, self_count, false);
    for (std::size_t i = 0; i < world.count(); ++i) {
        const paused_thread& t = world.thread(i);
        if (t.state.load(std::memory_order_acquire) != 1) continue; // gone, or never answered
        scan_thread_roots(m, map, plan, t.sp, t.tp, t.registers, saved_register_count, true);
    }
    m.drain();
}

} // namespace detail
} // namespace leakguard

#endif
// #include "leakguard/detail/reach/leak_check.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// reach/leak_check.hpp: one leak check, start to end - plan the roots, hold every shard, pause the
// other threads, read the memory map, index the live blocks, mark from the roots, resume, gather
// the cliques - then hand each block with its kind to the caller while the shards are still held
// (so the records it copies cannot change), and let go.
//
// Order matters for deadlocks: the loader's and the regions' locks are taken (plan_roots) before
// any shard; the shards before the pause (a paused thread may be waiting for one, never holding
// one); between pause and resume nothing but system calls and this code runs.
#ifndef LEAKGUARD_DETAIL_REACH_LEAK_CHECK_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REACH_LEAK_CHECK_HPP_INCLUDED

#include <cstddef> // std::size_t
#include <cstdint> // std::uintptr_t

// #include "leakguard/block_info.hpp" (inlined)
// #include "leakguard/detail/capture/stack_table.hpp" (inlined)
// #include "leakguard/detail/heap/registry.hpp" (inlined)
// #include "leakguard/detail/reach/block_index.hpp" (inlined)
// #include "leakguard/detail/reach/marker.hpp" (inlined)
// #include "leakguard/detail/reach/memory_map.hpp" (inlined)
// #include "leakguard/detail/reach/roots.hpp" (inlined)
// #include "leakguard/detail/reach/thread_pause.hpp" (inlined)

namespace leakguard {
namespace detail {

// Where the calling thread's own roots are: the stack of the program's frame that called into
// leakguard, and the registers that frame may keep pointers in (callee-saved: the only ones
// live across a call). leakguard's own frames are never read: their slots held, moments before,
// the frames of whatever the program called last (a helper that made a block and returned), and
// a slot a frame never writes still holds that - a pointer valgrind would not count (it knows
// the slot was never written), so a scan that cannot tell must not read it.
struct caller_context {
    std::uintptr_t sp;           // the caller's stack pointer at the call
    std::uintptr_t registers[6]; // rbx, rbp, r12-r15 as the caller left them
};

// The first statement of an out-of-line entry point (its own frame pointer is then set up, and
// nothing has touched the callee-saved registers yet).
#if defined(__x86_64__)
#define LEAKGUARD_DETAIL_CAPTURE_CALLER(ctx)                                                                           \
    do {                                                                                                               \
        __asm__ __volatile__("movq %%rbx, 0(%0)\n\tmovq %%r12, 16(%0)\n\tmovq %%r13, 24(%0)\n\t"                       \
                             "movq %%r14, 32(%0)\n\tmovq %%r15, 40(%0)"                                                \
                             :                                                                                         \
                             : "D"((ctx).registers)                                                                    \
                             : "memory");                                                                              \
        std::uintptr_t const* leakguard_frame_ = static_cast<std::uintptr_t const*>(__builtin_frame_address(0));       \
        (ctx).registers[1] = leakguard_frame_[0]; /* the caller's rbp, saved by this frame */                          \
        (ctx).sp = reinterpret_cast<std::uintptr_t>(leakguard_frame_ + 2);                                             \
    } while (0)
#else
#define LEAKGUARD_DETAIL_CAPTURE_CALLER(ctx)                                                                           \
    do {                                                                                                               \
        __builtin_unwind_init();                                                                                       \
        for (std::uintptr_t & r : (ctx).registers) r = 0;                                                              \
        (ctx).sp = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));                                       \
    } while (0)
#endif

// Blocks and bytes of each kind, and what the check could not see.
struct reach_totals {
    std::size_t blocks[5]; // indexed by leak_kind
    std::size_t bytes[5];
    std::size_t unpaused_threads; // threads that never answered: their stacks were not read
    bool complete;                // false: memory ran out; every live block is counted unchecked
                                  // (blocks[0]), and the reports count them as failing
    // Blocks a suppression matched, taken out of their kind by the report (report/suppressions.hpp).
    std::size_t suppressed_blocks;
    std::size_t suppressed_bytes;
};

inline leak_kind kind_for(reach_state s) noexcept {
    switch (s) {
    case reach_state::unreached: return leak_kind::definite;
    case reach_state::indirect: return leak_kind::indirect;
    case reach_state::possible: return leak_kind::possible;
    case reach_state::reachable: return leak_kind::reachable;
    }
    return leak_kind::reachable;
}

// The return address a block was allocated from, for the loader test; null for a block a mapping
// macro placed (program code, never the loader's).
inline const void* allocating_pc(const block_header* h) noexcept {
    unsigned const flags = flags_of(h);
    if (flags & flag_has_location) return nullptr;
    if (flags & flag_has_stack) return static_cast<const stack_record*>(h->site)->frames()[0];
    return h->site;
}

inline void lock_all_shards(std::uint32_t n) noexcept {
    for (std::uint32_t i = 0; i < n; ++i) lock_shard(g_registry.shards[i]);
}
inline void unlock_all_shards(std::uint32_t n) noexcept {
    for (std::uint32_t i = 0; i < n; ++i) unlock_shard(g_registry.shards[i]);
}

// The marking, between pause and resume. Out of line and below the caller's spilled registers.
LEAKGUARD_DETAIL_NOINLINE inline bool mark_everything(block_index& index, memory_map& map, const root_plan& plan,
                                                      const world_pause& world, const caller_context& self,
                                                      std::uint32_t shards, page_array<std::uint64_t>& indirect,
                                                      walk_damage& damage) noexcept {
    auto const root_of = [&plan](const block_header* h) -> unsigned char {
        if (flags_of(h) & flag_ignored) return root_ignored;
        if (plan.loader.count && plan.in_loader(allocating_pc(h))) return root_loader;
        return root_none;
    };
    if (!map.load()) return false;
    readable_memory mem(map);
    if (!index.build(shards, mem, damage, root_of)) return false;
    marker m(index, map);
    if (!m.ok()) return false;
    for (std::size_t i = 0; i < index.size(); ++i)
        if (index[i].root() != root_none) m.root_block(i);
    m.drain();
    scan_roots(m, map, plan, world, self.sp, self.registers, 6);
    m.gather_cliques();
    indirect = m.take_indirect_bytes();
    return true;
}

// Runs a check and calls visit(const block_header&, leak_kind, std::size_t indirect_bytes) for
// every live block that is not ignored, in address order, while every shard is held: `visit`
// must not allocate through the tracked allocator. `self`: the calling thread's own roots.
template <class Visit>
reach_totals run_leak_check(const caller_context& self, Visit visit) noexcept {
    reach_totals totals = {{0, 0, 0, 0, 0}, {0, 0, 0, 0, 0}, 0, true, 0, 0};
    root_plan plan = {};
    bool planned = plan_roots(plan);
    std::uint32_t const shards = g_registry.shard_count.load(std::memory_order_acquire);
    walk_damage damage;
    lock_all_shards(shards);
    {
        block_index index;
        memory_map map;
        page_array<std::uint64_t> indirect = {nullptr, 0, 0};
        bool marked = false;
        {
            world_pause world;
            if (planned && world.pause()) {
                marked = mark_everything(index, map, plan, world, self, shards, indirect, damage);
                totals.unpaused_threads = world.unpaused();
            }
        }              // resumed
        if (!marked) { // out of memory: no block can be judged, and none is called reachable
            totals.complete = false;
            readable_memory mem;
            for (std::uint32_t s = 0; s < shards; ++s)
                walk_shard(g_registry.shards[s], mem, damage, 0, [&](block_header* h) {
                    if (load_cookie(h) == cookie_for(h) && !(flags_of(h) & flag_ignored)) {
                        ++totals.blocks[static_cast<unsigned>(leak_kind::unchecked)];
                        totals.bytes[static_cast<unsigned>(leak_kind::unchecked)] += size_of(h);
                        visit(*h, leak_kind::unchecked, std::size_t(0));
                    }
                });
        } else {
            for (std::size_t i = 0; i < index.size(); ++i) {
                const indexed_block& b = index[i];
                if (b.root() == root_ignored) continue;
                leak_kind const k = kind_for(b.state());
                ++totals.blocks[static_cast<unsigned>(k)];
                totals.bytes[static_cast<unsigned>(k)] += b.size();
                visit(*b.header(), k, static_cast<std::size_t>(indirect.count ? indirect.items[i] : 0));
            }
            indirect.release();
        }
    }
    unlock_all_shards(shards);
    plan.release();
    report_walk_damage(damage);
    return totals;
}

} // namespace detail
} // namespace leakguard

#endif
// #include "leakguard/detail/reach/exit_frames.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// reach/exit_frames.hpp: where the exiting thread's stack still matters, at exit.
//
// The report at exit runs inside exit(): below the program's frames lie the C library's exit
// machinery and the report. Their slots are memory the program's earlier calls used, and a slot
// a frame never writes still holds what was there - a pointer returned by operator new in a
// helper that has long returned, say. valgrind does not count such a word (it knows it was never
// written since the frame began); a scan that cannot tell would call the block reachable. So when
// main has returned - the frames between the report and the outermost one are all the C
// library's or the loader's - the scan of this thread starts above them, where the frames of
// _start and the process's arguments are. When the program called exit() itself, its frames are
// live, and the whole stack is read from the report's frame up (stale slots and all, as a
// conservative scan must).
#ifndef LEAKGUARD_DETAIL_REACH_EXIT_FRAMES_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REACH_EXIT_FRAMES_HPP_INCLUDED

#include <cstdint>    // std::uintptr_t
#include <cstdlib>    // exit
#include <sys/auxv.h> // getauxval, AT_BASE
#include <unwind.h>   // _Unwind_Backtrace, _Unwind_GetIP, _Unwind_GetCFA

#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1 // dladdr
#endif
#include <dlfcn.h> // dladdr

namespace leakguard {
namespace detail {

struct exit_frame_walk {
    std::uintptr_t ip[64];
    std::uintptr_t cfa[64];
    int count;
};

inline _Unwind_Reason_Code collect_exit_frame(struct _Unwind_Context* ctx, void* data) {
    exit_frame_walk& w = *static_cast<exit_frame_walk*>(data);
    if (w.count == 64) return _URC_END_OF_STACK;
    if (_Unwind_GetIP(ctx) == 0) return _URC_END_OF_STACK; // past the outermost frame
    w.ip[w.count] = static_cast<std::uintptr_t>(_Unwind_GetIP(ctx));
    w.cfa[w.count] = static_cast<std::uintptr_t>(_Unwind_GetCFA(ctx));
    ++w.count;
    return _URC_NO_REASON;
}

// The load address of the module that holds `pc`, or 0.
inline std::uintptr_t module_base_of(std::uintptr_t pc) noexcept {
    Dl_info info;
    if (pc == 0 || dladdr(reinterpret_cast<void*>(pc), &info) == 0) return 0;
    return reinterpret_cast<std::uintptr_t>(info.dli_fbase);
}

// Where the scan of the exiting thread's stack should start, or 0 to read it from the report's
// own frame up (the program called exit() itself, or the frames could not be walked).
inline std::uintptr_t exit_scan_start() noexcept {
    exit_frame_walk w;
    w.count = 0;
    _Unwind_Backtrace(collect_exit_frame, &w);
    void (*const exit_function)(int) = &::exit;
    std::uintptr_t const libc = module_base_of(reinterpret_cast<std::uintptr_t>(exit_function));
    std::uintptr_t const loader = static_cast<std::uintptr_t>(getauxval(AT_BASE));
    if (libc == 0) return 0;
    auto const is_system = [&](std::uintptr_t ip) {
        std::uintptr_t const base = module_base_of(ip - 1); // the call, not what follows it
        return base != 0 && (base == libc || base == loader);
    };
    int i = 0;
    while (i < w.count && !is_system(w.ip[i])) ++i; // leakguard's frames
    if (i == w.count) return 0;
    int j = i;
    while (j < w.count && is_system(w.ip[j])) ++j; // exit(), its handlers, the loader's fini
    // Past them at most the outermost frame (_start): main has returned.
    if (j + 1 < w.count) return 0;
    return w.cfa[j - 1];
}

} // namespace detail
} // namespace leakguard

#endif
// #include "leakguard/detail/report/collect.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// report/collect.hpp: walking the shards for live blocks (for scopes, reports and queries), and
// copying what is found into raw memory, never through the tracked allocator.
#ifndef LEAKGUARD_DETAIL_REPORT_COLLECT_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REPORT_COLLECT_HPP_INCLUDED

#include <algorithm> // std::sort (in place: it does not allocate)
#include <cstdint>   // std::uint64_t

// #include "leakguard/detail/heap/block.hpp" (inlined)
// #include "leakguard/detail/capture/locations.hpp" (inlined)
// #include "leakguard/detail/heap/registry.hpp" (inlined)
// #include "leakguard/detail/capture/stack_table.hpp" (inlined)
// #include "leakguard/detail/core/options.hpp" (inlined)
// #include "leakguard/detail/core/pages.hpp" (inlined)
// #include "leakguard/detail/core/suppression_files.hpp" (inlined)
// #include "leakguard/detail/reach/leak_check.hpp" (inlined)

namespace leakguard {
namespace detail {

// Which live blocks to look at.
struct block_filter {
    std::uint64_t min_seq; // only blocks with seq >= min_seq (0: all)
    std::uint32_t thread;  // only this thread's blocks (0: any thread)
    bool include_ignored;
    bool program_only; // not the C library's own: C blocks allocated without a mapping macro
};

// A block the C library (or any code) got from the interposed malloc family without a mapping
// macro: stdio's buffers, locale data, a strdup inside a library. Strict scopes leave these out -
// they saw only new and mapped C blocks before every C allocation was tracked, and a buffer the C
// library makes on first use is no leak of the scope that first printed - while the leak check
// judges them like any block.
inline bool unmapped_c_block(const block_header* h) noexcept {
    return static_cast<unsigned>(kind_of(h)) >= static_cast<unsigned>(block_kind::malloc) &&
           !(flags_of(h) & flag_has_location);
}

inline block_info info_of(const block_header* h) noexcept {
    block_info b;
    b.address = reinterpret_cast<const char*>(h) + header_size;
    b.size = size_of(h);
    b.kind = kind_of(h);
    b.seq = seq_of(h);
    b.thread = h->thread;
    // A located block's site is its call site's location_record, which keeps a return address
    // into that call site too (for the function's name).
    unsigned const flags = flags_of(h);
    const location_record* record =
        (flags & flag_has_location) ? static_cast<const location_record*>(h->site) : nullptr;
    // A location given to a block that had a stack replaces it (libc/mapped_calls.hpp): the flag stays.
    const stack_record* stack =
        !record && (flags & flag_has_stack) ? static_cast<const stack_record*>(h->site) : nullptr;
    b.caller = record ? record->caller : stack ? stack->frames()[0] : h->site;
    b.location = record ? &record->where : nullptr;
    b.stack = stack ? stack->frames() : nullptr;
    b.stack_depth = stack ? stack->depth : 0;
    b.loss = leak_kind::unchecked;
    b.indirect_bytes = 0;
    return b;
}

// Calls visit(const block_header&) for each matching block, newest first within each shard, under
// that shard's lock: `visit` must not allocate, print or call user code. Each shard is walked back
// from its newest block and left at the first block older than min_seq, so the cost is that of
// the blocks allocated since min_seq (plus one step per shard).
// A damaged list (reach/list_walk.hpp) is walked from both ends and reported once unlocked.
// `held(shard&)` runs first for each shard walked, under the same hold (the monitor adds up the
// shard's counted frees there: report/site_profile.hpp).
template <class Held, class Visit>
void for_each_live(const block_filter& filter, Held held, Visit visit) noexcept {
    shard* own = t_state.home;
    std::uint32_t const n = g_registry.shard_count.load(std::memory_order_acquire);
    readable_memory mem;
    for (std::uint32_t i = 0; i < n; ++i) {
        shard* s = g_registry.shards[i];
        // Blocks of one thread live in the shard it held when it allocated them: its current home.
        if (filter.thread && s != own) continue;
        walk_damage damage;
        lock_shard(s);
        held(*s);
        walk_shard(s, mem, damage, filter.min_seq, [&](block_header* h) {
            if (filter.thread && h->thread != static_cast<std::uint16_t>(filter.thread)) return; // kept modulo 65536
            if (!filter.include_ignored && (flags_of(h) & flag_ignored)) return;
            if (filter.program_only && unmapped_c_block(h)) return;
            if (load_cookie(h) != cookie_for(h)) return; // freed by another thread just now (push_remote)
            visit(*h);
        });
        unlock_shard(s);
        report_walk_damage(damage);
    }
}
template <class Visit>
void for_each_live(const block_filter& filter, Visit visit) noexcept {
    for_each_live(
        filter, [](shard&) {}, visit);
}

struct block_totals {
    std::size_t blocks;
    std::size_t bytes;
};

inline block_totals count_live(const block_filter& filter) noexcept {
    block_totals t = {0, 0};
    for_each_live(filter, [&t](const block_header& h) {
        ++t.blocks;
        t.bytes += size_of(&h);
    });
    return t;
}

// Copies the `max` oldest matching blocks into `out`, sorted oldest first; returns how many match.
// The shards are walked newest first, so `out` is kept as a max-heap on sequence numbers: a block
// older than the newest kept one replaces it (in place: std heap functions do not allocate).
inline std::size_t copy_live(const block_filter& filter, block_info* out, std::size_t max) noexcept {
    auto newer = [](const block_info& a, const block_info& b) { return a.seq < b.seq; };
    std::size_t found = 0;
    for_each_live(filter, [&](const block_header& h) {
        ++found;
        if (max == 0) return;
        if (found <= max) {
            out[found - 1] = info_of(&h);
            std::push_heap(out, out + found, newer);
        } else if (seq_of(&h) < out[0].seq) {
            std::pop_heap(out, out + max, newer);
            out[max - 1] = info_of(&h);
            std::push_heap(out, out + max, newer);
        }
    });
    std::size_t const kept = found < max ? found : max;
    std::sort_heap(out, out + kept, newer);
    return found;
}

// A raw-memory array of every matching block (oldest first). Free with raw_free.
// Blocks copied out of the lists (raw memory). items null with count > 0: counted, not listed
// (memory ran out for the copy) - a check must still fail on them.
struct block_list {
    block_info* items;
    std::size_t count;
    std::size_t bytes;
};

inline block_list collect_live(const block_filter& filter) noexcept {
    block_list list = {nullptr, 0, 0};
    // Each walk costs a heavy barrier per shard (lock_shard): a check that finds nothing - a scope
    // without leaks, the common case - ends after the first walk.
    block_totals const counted = count_live(filter);
    if (counted.blocks == 0) return list;
    std::size_t capacity = counted.blocks + 64;
    for (;;) {
        list.items = static_cast<block_info*>(raw_alloc(capacity * sizeof(block_info)));
        if (!list.items) { // out of memory: counted, not listed
            list.count = counted.blocks;
            list.bytes = counted.bytes;
            return list;
        }
        std::size_t const found = copy_live(filter, list.items, capacity);
        if (found <= capacity) {
            list.count = found;
            for (std::size_t i = 0; i < found; ++i) list.bytes += list.items[i].size;
            return list;
        }
        raw_free(list.items); // other threads allocated meanwhile: try with room for them
        capacity = found + found / 4 + 64;
    }
}

// The bit of a kind in the leak_kinds option.
inline unsigned leak_kind_bit(leak_kind k) noexcept {
    return k == leak_kind::unchecked ? 0u : 1u << (static_cast<unsigned>(k) - 1);
}

// Blocks and bytes of the kinds that fail a run (the leak_kinds option).
// Blocks a check that ran out of memory could not judge fail too: a check that cannot finish
// must not pass.
inline block_totals failing_totals(const reach_totals& t) noexcept {
    block_totals out = {t.blocks[0], t.bytes[0]};
    unsigned const kinds = option_leak_kinds();
    for (unsigned k = 1; k <= 4; ++k) {
        if (!(kinds & leak_kind_bit(static_cast<leak_kind>(k)))) continue;
        out.blocks += t.blocks[k];
        out.bytes += t.bytes[k];
    }
    return out;
}

// Whether blocks of kind `k` fail the run: the kinds leak_kinds names, and those a check that ran
// out of memory could not judge (failing_totals).
inline bool failing_kind(leak_kind k) noexcept {
    return k == leak_kind::unchecked || (option_leak_kinds() & leak_kind_bit(k));
}

// Whether the report lists blocks of kind `k`: the failing kinds, and reachable ones on request.
inline bool listed_kind(leak_kind k) noexcept {
    return failing_kind(k) || (k == leak_kind::reachable && option_show_reachable());
}

// A leak check, and a raw-memory array of the blocks of the kinds the report lists, in address
// order (oldest first is the report's business). `self`: see run_leak_check.
// With suppressions loaded, lost blocks of kinds the report does not list are collected too:
// a suppressed one leaves its kind's count (report/suppressions.hpp: suppress_checked).
inline block_list collect_checked(const caller_context& self, reach_totals& totals) noexcept {
    page_array<block_info> found = {nullptr, 0, 0};
    bool const match_lost = suppressions_loaded();
    totals = run_leak_check(self, [&](const block_header& h, leak_kind k, std::size_t indirect) {
        if (!listed_kind(k) && !(match_lost && k != leak_kind::reachable)) return;
        block_info b = info_of(&h);
        b.loss = k;
        b.indirect_bytes = indirect;
        found.push(b); // out of pages: the list is shorter; the totals stay right
    });
    block_list list = {nullptr, 0, 0};
    if (found.count) {
        list.items = static_cast<block_info*>(raw_alloc(found.count * sizeof(block_info)));
        if (list.items) {
            for (std::size_t i = 0; i < found.count; ++i) {
                list.items[i] = found.items[i];
                list.bytes += found.items[i].size;
            }
            list.count = found.count;
        }
    }
    found.release();
    return list;
}

// Whether a block passes `filter` (for_each_live's test, for a block a leak check hands over).
inline bool in_filter(const block_filter& filter, const block_header& h) noexcept {
    if (seq_of(&h) < filter.min_seq) return false;
    if (filter.thread && h.thread != static_cast<std::uint16_t>(filter.thread)) return false;
    if (!filter.include_ignored && (flags_of(&h) & flag_ignored)) return false;
    return !(filter.program_only && unmapped_c_block(&h));
}

// The blocks of `filter` a leak check finds lost - of the kinds the leak_kinds option lists as
// failing - oldest first, each with its kind; raw memory (free with raw_free). No check runs when
// no block of `filter` is alive: then nothing can be lost, and the cost is one walk of the blocks
// allocated since filter.min_seq. `self`: see run_leak_check. `complete` false: the check ran out
// of memory and judged nothing (the list is empty; the caller decides).
inline block_list collect_lost(const block_filter& filter, const caller_context& self, bool& complete) noexcept {
    block_list list = {nullptr, 0, 0};
    complete = true;
    if (count_live(filter).blocks == 0) return list;
    unsigned const failing = option_leak_kinds() & ~leak_kind_bit(leak_kind::reachable);
    page_array<block_info> found = {nullptr, 0, 0};
    bool dropped = false;
    auto const keep = [&](const block_header& h, leak_kind k, std::size_t indirect) {
        if (!(failing & leak_kind_bit(k)) || !in_filter(filter, h)) return;
        block_info b = info_of(&h);
        b.loss = k;
        b.indirect_bytes = indirect;
        if (!found.push(b)) dropped = true;
    };
    complete = run_leak_check(self, keep).complete && !dropped;
    if (!complete) {
        found.release();
        return list;
    }
    if (found.count) {
        list.items = static_cast<block_info*>(raw_alloc(found.count * sizeof(block_info)));
        if (list.items) {
            for (std::size_t i = 0; i < found.count; ++i) {
                list.items[i] = found.items[i];
                list.bytes += found.items[i].size;
            }
            list.count = found.count;
            std::sort(list.items, list.items + list.count,
                      [](const block_info& a, const block_info& b) { return a.seq < b.seq; });
        }
    }
    found.release();
    return list;
}

} // namespace detail
} // namespace leakguard

#endif
// #include "leakguard/detail/symbolize/elf_symbols.hpp" (inlined)
// #include "leakguard/detail/symbolize/dwarf_lines.hpp" (inlined)
// #include "leakguard/detail/symbolize/dwarf_inlines.hpp" (inlined)
// #include "leakguard/detail/symbolize/dwarf_units.hpp" (inlined)
// #include "leakguard/detail/symbolize/debug_files.hpp" (inlined)
// #include "leakguard/detail/symbolize/symbolize.hpp" (inlined)
// #include "leakguard/detail/symbolize/site_rules.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// symbolize/site_rules.hpp: report-time use of a captured stack - naming every frame, and choosing the
// block's "site": the first frame (from the allocation outwards) that is the program's own code
// rather than leakguard's or the standard library's. A leak made by std::vector growth or by
// std::make_shared is then attributed to the function that used the container or made the
// pointer, which is what a user can act on.
//
// Frames are judged by their demangled function name (what symbolize() gives): the qualified
// name, after any return type, is matched on its prefix. Everything here allocates only through
// symbolize() (the demangler's malloc), never through operator new.
#ifndef LEAKGUARD_DETAIL_SYMBOLIZE_SITE_RULES_HPP_INCLUDED
#define LEAKGUARD_DETAIL_SYMBOLIZE_SITE_RULES_HPP_INCLUDED

#include <cstddef> // std::size_t

// #include "leakguard/detail/core/text.hpp" (inlined)
// #include "leakguard/detail/symbolize/symbolize.hpp" (inlined)

namespace leakguard {
namespace detail {

enum class site_rule : unsigned char {
    // Skip every frame of the standard library (std::, __gnu_cxx::, the C++ runtime), as well as
    // leakguard's and the global operator new. The default: at -O0 a vector's growth passes
    // through push_back and _M_realloc_insert, a string's through _M_construct and _M_create,
    // none of which is an "allocator" but none of which is where the user can fix a leak.
    standard_library,
    // Skip only the allocation machinery proper (allocators, allocator_traits, the containers'
    // node and buffer getters, shared_ptr's control block, make_shared/make_unique): the site is
    // then the standard function that asked for memory when there is one (vector::push_back).
    allocation_wrappers,
};

// The qualified name inside a demangled function name: past a template function's return type
// ("std::shared_ptr<T> std::make_shared<T>()" -> "std::make_shared<T>()"), up to its end. Scans
// at bracket depth 0 for the last space before the parameter list; "operator" (whose symbol may
// contain brackets or spaces), "decltype (...)" and "(anonymous namespace)" are taken whole.
inline const char* qualified_name(const char* f) noexcept {
    const char* start = f;
    int depth = 0;
    for (const char* p = f; *p;) {
        if (depth == 0) {
            if (starts_with(p, "(anonymous namespace)")) {
                p += sizeof "(anonymous namespace)" - 1;
                continue;
            }
            if (starts_with(p, "decltype (")) { // a return type; its parentheses are not parameters
                p += sizeof "decltype (" - 1;
                ++depth;
                continue;
            }
            if (starts_with(p, "operator") && (p == start || p[-1] == ':')) return start;
            if (*p == '(') return start; // the parameter list
            if (*p == ' ') {
                start = p + 1;
                ++p;
                continue;
            }
        }
        if (*p == '<' || *p == '(' || *p == '[' || *p == '{') ++depth;
        else if ((*p == '>' || *p == ')' || *p == ']' || *p == '}') && depth > 0) --depth;
        ++p;
    }
    return start;
}

inline bool matches_any(const char* name, const char* const* prefixes, std::size_t n) noexcept {
    for (std::size_t i = 0; i < n; ++i)
        if (starts_with(name, prefixes[i])) return true;
    return false;
}

// Whether a frame is leakguard's or the standard library's, by the rule. `function` is a
// demangled name (may be empty), `module` the path of the module holding the frame (may be
// empty: an address in no loaded module is no code at all, e.g. a junk frame-pointer link).
inline bool is_library_frame(const char* function, const char* module, site_rule rule) noexcept {
    if (!module || !module[0]) return true;
    if (!function || !function[0]) {
        // Unnamed code in the C++ runtime itself (a stripped libstdc++ names only its exports).
        const char* base = base_name(module);
        return starts_with(base, "libstdc++.so") || starts_with(base, "libc++.so") || starts_with(base, "libc++abi.so");
    }
    const char* name = qualified_name(function);
    static const char* const always[] = {
        "leakguard::",
        "operator new", // the global one only: a class's own is "T::operator new"
    };
    if (matches_any(name, always, sizeof always / sizeof always[0])) return true;
    if (rule == site_rule::standard_library) {
        static const char* const standard[] = {
            "std::", "__gnu_cxx::", "__gnu_debug::", "__cxxabiv1::", "__cxa_",
        };
        return matches_any(name, standard, sizeof standard / sizeof standard[0]);
    }
    static const char* const wrappers[] = {
        "std::allocator<",
        "std::allocator_traits<",
        "std::__new_allocator<",
        "__gnu_cxx::new_allocator<",
        "__gnu_cxx::__alloc_traits<",
        "std::__allocated_ptr<",
        "std::__allocate_guarded<",
        // containers' buffer and node getters
        "std::_Vector_base<",
        "std::_Deque_base<",
        "std::_List_base<",
        "std::__cxx11::_List_base<",
        "std::_Fwd_list_base<",
        "std::_Rb_tree<",
        "std::__detail::_Hashtable_alloc<",
        "std::__detail::_AllocNode<",
        "std::__detail::_ReuseOrAllocNode<",
        // shared_ptr's control block and the functions that make one
        "std::_Sp_counted_",
        "std::_Sp_alloc_shared_tag",
        "std::__shared_count<",
        "std::__shared_ptr<",
        "std::shared_ptr<",
        "std::__allocate_shared<",
        "std::allocate_shared<",
        "std::__make_shared<",
        "std::make_shared<",
        "std::make_unique<",
        // std::function's heap-stored target
        "std::_Function_base::_Base_manager<",
    };
    return matches_any(name, wrappers, sizeof wrappers / sizeof wrappers[0]);
}

// Names every frame: out[i] for frames[i] (return addresses; symbolize looks up address - 1).
// The caller provides `out` (1.5 KiB a frame: from raw memory or a stack array, not operator new).
inline void symbolize_stack(void* const* frames, std::size_t depth, symbol_info* out) noexcept {
    for (std::size_t i = 0; i < depth; ++i) symbolize(frames[i], out[i]);
}

// Names every frame with the calls inlined at it as frames of their own (symbolize_frames),
// into out[0..max_out); returns how many were written (the stack is cut when out is full).
inline std::size_t symbolize_stack_inlined(void* const* frames, std::size_t depth, symbol_info* out,
                                           std::size_t max_out) noexcept {
    std::size_t n = 0;
    for (std::size_t i = 0; i < depth && n < max_out; ++i) {
        std::size_t const room = max_out - n < max_inline_frames ? max_out - n : max_inline_frames;
        n += symbolize_frames(frames[i], out + n, room);
    }
    return n;
}

// The index of the site among already named frames: the first that is not a library frame; 0
// when every frame is one (an allocation the standard library made on its own behalf).
inline std::size_t find_site(const symbol_info* frames, std::size_t depth,
                             site_rule rule = site_rule::standard_library) noexcept {
    for (std::size_t i = 0; i < depth; ++i)
        if (!is_library_frame(frames[i].function, frames[i].module, rule)) return i;
    return 0;
}

// The same from the raw frames, naming only as many as it takes, inlined calls included: `site`
// gets the site's names (at -O2 a std::vector's growth inlined into the user's function is a
// frame of the return address in that function; the site is then that function, at the line of
// the push_back, not the line of <bits/stl_vector.h> the address maps to). Returns the index of
// the return address the site is at. For grouping a report by site without naming whole stacks.
inline std::size_t find_site(void* const* frames, std::size_t depth, symbol_info& site,
                             site_rule rule = site_rule::standard_library) noexcept {
    symbol_info* named = static_cast<symbol_info*>(raw_alloc(max_inline_frames * sizeof(symbol_info)));
    if (!named) { // no memory for inlined frames: the functions the addresses are in
        for (std::size_t i = 0; i < depth; ++i) {
            symbolize(frames[i], site);
            if (!is_library_frame(site.function, site.module, rule)) return i;
        }
        symbolize(depth ? frames[0] : nullptr, site);
        return 0;
    }
    for (std::size_t i = 0; i < depth; ++i) {
        std::size_t const n = symbolize_frames(frames[i], named, max_inline_frames);
        for (std::size_t j = 0; j < n; ++j) {
            if (!is_library_frame(named[j].function, named[j].module, rule)) {
                site = named[j];
                raw_free(named);
                return i;
            }
        }
    }
    if (depth > 0) {
        symbolize_frames(frames[0], named, max_inline_frames);
        site = named[0];
    } else {
        symbolize(nullptr, site);
    }
    raw_free(named);
    return 0;
}

} // namespace detail
} // namespace leakguard

#endif
// #include "leakguard/detail/report/failures.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// report/failures.hpp: the scopes that ended with leaks, kept for the JSON report and the exit status.
#ifndef LEAKGUARD_DETAIL_REPORT_FAILURES_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REPORT_FAILURES_HPP_INCLUDED

#include <cstddef> // std::size_t
#include <cstring> // std::memcpy

// #include "leakguard/scope.hpp" (inlined)
// #include "leakguard/detail/core/platform.hpp" (inlined)
// #include "leakguard/detail/core/report_stream.hpp" (inlined)
// #include "leakguard/detail/core/text.hpp" (inlined)

namespace leakguard {
namespace detail {

// The record keeps its own copies of the strings: a test framework may free the ones it handed
// to the scope (a test's name, its file) long before the report at exit reads them.
struct failure_record {
    char name[128];
    char file[max_path_length + 1];
    int line;
    std::size_t leaked_blocks;
    std::size_t leaked_bytes;
    scope_rule rule;
};

struct failure_log {
    spinlock lock;
    failure_record* records; // raw memory, grown by doubling
    std::size_t count;
    std::size_t capacity;
};

failure_log g_failures{};

inline void record_failure(const char* name, const char* file, int line, std::size_t blocks, std::size_t bytes,
                           scope_rule rule) noexcept {
    lock_guard hold(g_failures.lock);
    if (g_failures.count == g_failures.capacity) {
        std::size_t const grown = g_failures.capacity ? g_failures.capacity * 2 : 16;
        void* mem = raw_alloc(grown * sizeof(failure_record));
        if (!mem) return;
        if (g_failures.count) std::memcpy(mem, g_failures.records, g_failures.count * sizeof(failure_record));
        raw_free(g_failures.records);
        g_failures.records = static_cast<failure_record*>(mem);
        g_failures.capacity = grown;
    }
    failure_record& r = g_failures.records[g_failures.count++];
    copy_text(r.name, sizeof r.name, name);
    copy_text(r.file, sizeof r.file, file ? file : "");
    r.line = line;
    r.leaked_blocks = blocks;
    r.leaked_bytes = bytes;
    r.rule = rule;
}

inline std::size_t failure_count() noexcept {
    lock_guard hold(g_failures.lock);
    return g_failures.count;
}

} // namespace detail
} // namespace leakguard

#endif
// #include "leakguard/detail/report/stats.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// report/stats.hpp: totals, summed over the shards.
#ifndef LEAKGUARD_DETAIL_REPORT_STATS_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REPORT_STATS_HPP_INCLUDED

// #include "leakguard/api.hpp" (inlined)
// #include "leakguard/detail/heap/registry.hpp" (inlined)

namespace leakguard {
namespace detail {

// `wait`: false on a thread that may hold a shard itself (report/interrupted_report.hpp): the
// counters are then read without the shards' locks, a moment's sums of a running process.
inline statistics current_stats(bool wait = true) noexcept {
    statistics st = {0, 0, 0, 0, 0};
    std::int64_t live_blocks = 0, live_bytes = 0, shard_peak = 0;
    std::uint32_t const n = g_registry.shard_count.load(std::memory_order_acquire);
    for (std::uint32_t i = 0; i < n; ++i) {
        shard* s = g_registry.shards[i];
        if (wait) lock_shard(s);
        std::uint64_t const allocations = __atomic_load_n(&s->allocations, __ATOMIC_RELAXED);
        std::uint64_t const frees = __atomic_load_n(&s->frees, __ATOMIC_RELAXED);
        std::int64_t const peak = __atomic_load_n(&s->peak_bytes, __ATOMIC_RELAXED);
        st.allocations += allocations;
        st.frees += frees;
        live_blocks += static_cast<std::int64_t>(allocations - frees);
        live_bytes += __atomic_load_n(&s->live_bytes, __ATOMIC_RELAXED);
        if (peak > shard_peak) shard_peak = peak;
        if (wait) unlock_shard(s);
    }
    st.live_blocks = live_blocks > 0 ? static_cast<std::uint64_t>(live_blocks) : 0;
    st.live_bytes = live_bytes > 0 ? static_cast<std::uint64_t>(live_bytes) : 0;
    // The best lower bound at hand: exact while one thread has allocated (see account_bytes).
    std::int64_t peak = g_registry.peak_bytes.load(std::memory_order_relaxed);
    if (shard_peak > peak) peak = shard_peak;
    if (live_bytes > peak) peak = live_bytes;
    st.peak_bytes = static_cast<std::uint64_t>(peak);
    return st;
}

} // namespace detail
} // namespace leakguard

#endif
// #include "leakguard/detail/report/site_text.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// report/site_text.hpp: how a place in the code reads in the reports - "function file:line
// (module+offset)" for a return address, "file:line in function" for a macro's call site - shared
// by the leak groups, the stacks under them and the heap errors.
#ifndef LEAKGUARD_DETAIL_REPORT_SITE_TEXT_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REPORT_SITE_TEXT_HPP_INCLUDED

#include <cstddef> // std::size_t
#include <cstdio>  // std::snprintf

// #include "leakguard/block_info.hpp" (inlined)
// #include "leakguard/detail/core/text.hpp" (inlined)
// #include "leakguard/detail/symbolize/site_rules.hpp" (inlined)
// #include "leakguard/detail/symbolize/symbolize.hpp" (inlined)

namespace leakguard {
namespace detail {

// " file:line" of a symbol: its file name and up to ten digits.
constexpr std::size_t where_text_size = sizeof(symbol_info::file) + 16;
// A site's whole description: function, " file:line", " (module+0x" offset ")" - never cut.
constexpr std::size_t site_text_size =
    sizeof(symbol_info::function) + where_text_size + sizeof(symbol_info::module) + 32;

// Names the site of a block: for a block with a call stack, its first frame outside leakguard and
// the standard library (what the user's code called); otherwise its return address. Returns the
// index of that frame in b.stack (0 without a stack).
inline std::size_t symbolize_site(const block_info& b, symbol_info& sym) noexcept {
    if (b.stack && b.stack_depth > 0) return find_site(b.stack, b.stack_depth, sym);
    symbolize(b.caller, sym);
    return 0;
}

// "function file:line (module+offset)", with what is known of a symbolized return address.
// A frame shown without file:line for want of its module's debug information gets the report's
// note (want_debug_note).
inline void describe_symbol(const symbol_info& sym, const void* address, char* out, std::size_t size) noexcept {
    if (!sym.file[0]) want_debug_note(sym);
    char where[where_text_size] = "";
    if (sym.file[0]) std::snprintf(where, sizeof where, " %s:%u", sym.file, sym.line);
    if (sym.module[0] && sym.function[0])
        std::snprintf(out, size, "%s%s (%s+0x%lx)", sym.function, where, base_name(sym.module),
                      static_cast<unsigned long>(sym.offset));
    else if (sym.module[0] && sym.file[0])
        std::snprintf(out, size, "%s (%s+0x%lx)", where + 1, base_name(sym.module),
                      static_cast<unsigned long>(sym.offset));
    else if (sym.module[0])
        std::snprintf(out, size, "%s+0x%lx", base_name(sym.module), static_cast<unsigned long>(sym.offset));
    else std::snprintf(out, size, "%p", address);
}

// One line naming where a block was allocated: file:line when a macro said so (and the function
// its return address lies in), otherwise the function, file:line and module+offset of the return
// address.
inline void describe_site(const block_info& b, char* out, std::size_t size) noexcept {
    symbol_info sym;
    symbolize_site(b, sym);
    if (b.location) {
        const char* function = b.location->function && b.location->function[0] ? b.location->function : sym.function;
        if (function[0]) std::snprintf(out, size, "%s:%d in %s", b.location->file, b.location->line, function);
        else std::snprintf(out, size, "%s:%d", b.location->file, b.location->line);
        return;
    }
    describe_symbol(sym, b.caller, out, size);
}

// A place in the code as the JSON and SARIF reports name it, by parts; null or 0: unknown.
struct code_place {
    const char* function;
    const char* file;
    unsigned line;
    const char* module;
};

// The place a symbolized address names.
inline code_place place_of(const symbol_info& sym) noexcept {
    return code_place{sym.function[0] ? sym.function : nullptr, sym.file[0] ? sym.file : nullptr,
                      sym.file[0] ? sym.line : 0, sym.module[0] ? sym.module : nullptr};
}

// Where block `b` was allocated: the macro's file:line (and function, if it gave one) when one
// said so, else its site frame's (symbolize_site, into `sym`, which the result points into).
inline code_place site_place(const block_info& b, symbol_info& sym) noexcept {
    symbolize_site(b, sym);
    code_place out = place_of(sym);
    if (b.location) {
        if (b.location->function && b.location->function[0]) out.function = b.location->function;
        out.file = b.location->file;
        out.line = b.location->line > 0 ? static_cast<unsigned>(b.location->line) : 0;
    }
    return out;
}

// describe_site() for a (return address, location) pair.
inline void describe_code(const void* caller, const source_location* location, char* out, std::size_t size) noexcept {
    block_info b = block_info();
    b.caller = caller;
    b.location = location;
    describe_site(b, out, size);
}

// site_place() for a (return address, location) pair.
inline code_place code_place_of(const void* caller, const source_location* location, symbol_info& sym) noexcept {
    block_info b = block_info();
    b.caller = caller;
    b.location = location;
    return site_place(b, sym);
}

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_REPORT_SITE_TEXT_HPP_INCLUDED
// #include "leakguard/detail/report/leak_groups.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// report/leak_groups.hpp: live blocks grouped by allocation site and kind, largest group first -
// what the exit report, a failed scope's text and a test failure's message all list. Runs with
// tracking suspended (or in an ignore region) and allocates only raw memory.
#ifndef LEAKGUARD_DETAIL_REPORT_LEAK_GROUPS_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REPORT_LEAK_GROUPS_HPP_INCLUDED

#include <algorithm> // std::sort (in place: it does not allocate)
#include <cstddef>   // std::size_t

// #include "leakguard/block_info.hpp" (inlined)
// #include "leakguard/detail/core/platform.hpp" (inlined)
// #include "leakguard/detail/symbolize/site_rules.hpp" (inlined)
// #include "leakguard/detail/report/collect.hpp" (inlined)

namespace leakguard {
namespace detail {

// Blocks from the same site and of the same kind form one group.
struct leak_group {
    std::size_t first; // index into the sorted block list
    std::size_t count;
    std::size_t bytes;
    std::size_t min_size;
    std::size_t max_size;
    std::size_t indirect_bytes; // what the group's blocks alone hold (definitely lost ones)
};

// Blocks with the same key were allocated at the same place: the same macro call site, or the same
// return address (in a report's own copies, after resolve_sites: the same site frame).
inline const void* site_key(const block_info& b) noexcept {
    return b.location ? static_cast<const void*>(b.location) : b.caller;
}

// In a report's copies of the blocks, sets each block's `caller` to its site frame (the first
// frame outside leakguard and the standard library), naming each distinct stack once. Blocks then
// group by site, as the report promises: twenty leaks from one helper are one group even when the
// compiler unrolled the loop that calls it into twenty call sites.
inline void resolve_sites(block_list& list) noexcept {
    std::sort(list.items, list.items + list.count,
              [](const block_info& a, const block_info& b) { return a.stack < b.stack; });
    for (std::size_t i = 0; i < list.count;) {
        std::size_t j = i;
        while (j < list.count && list.items[j].stack == list.items[i].stack) ++j;
        if (list.items[i].stack && list.items[i].stack_depth > 0) {
            symbol_info sym;
            const void* const site =
                list.items[i].stack[find_site(list.items[i].stack, list.items[i].stack_depth, sym)];
            for (std::size_t k = i; k < j; ++k) list.items[k].caller = site;
        }
        i = j;
    }
}

// Sorts `list` by loss, site, kind and sequence, and returns its groups (raw memory): by loss
// (definite, indirect, possible, reachable; blocks no check has judged form one kind), then
// largest first (a group's bytes and what it holds).
inline leak_group* group_by_site(block_list& list, std::size_t& group_count) noexcept {
    group_count = 0;
    resolve_sites(list);
    std::sort(list.items, list.items + list.count, [](const block_info& a, const block_info& b) {
        if (a.loss != b.loss) return a.loss < b.loss;
        if (site_key(a) != site_key(b)) return site_key(a) < site_key(b);
        if (a.kind != b.kind) return a.kind < b.kind;
        return a.seq < b.seq;
    });
    leak_group* groups = static_cast<leak_group*>(raw_alloc((list.count + 1) * sizeof(leak_group)));
    if (!groups) return nullptr;
    for (std::size_t i = 0; i < list.count; ++i) {
        const block_info& b = list.items[i];
        // The open group's first block, by index: a pointer that may be null sent clang's analyzer
        // down a path where the list itself was null.
        bool same = false;
        if (group_count > 0) {
            const block_info& lead = list.items[groups[group_count - 1].first];
            same = site_key(lead) == site_key(b) && lead.kind == b.kind && lead.loss == b.loss;
        }
        if (!same) groups[group_count++] = leak_group{i, 0, 0, b.size, b.size, 0};
        leak_group& g = groups[group_count - 1];
        ++g.count;
        g.bytes += b.size;
        g.indirect_bytes += b.indirect_bytes;
        if (b.size < g.min_size) g.min_size = b.size;
        if (b.size > g.max_size) g.max_size = b.size;
    }
    std::sort(groups, groups + group_count, [&list](const leak_group& a, const leak_group& b) {
        leak_kind const ka = list.items[a.first].loss, kb = list.items[b.first].loss;
        if (ka != kb) return ka < kb;
        if (a.bytes + a.indirect_bytes != b.bytes + b.indirect_bytes)
            return a.bytes + a.indirect_bytes > b.bytes + b.indirect_bytes;
        if (a.count != b.count) return a.count > b.count;
        return list.items[a.first].seq < list.items[b.first].seq;
    });
    return groups;
}

// A list of blocks (raw memory, owned) and its groups. Empty (no groups) when memory runs out.
class grouped_leaks {
public:
    // Takes `list` (from collect_live) and groups it.
    explicit grouped_leaks(block_list list) noexcept : list_(list), groups_(nullptr), count_(0) { group(); }
    // Groups copies of `n` blocks (a failed scope's, which the caller keeps).
    grouped_leaks(const block_info* blocks, std::size_t n) noexcept : list_(), groups_(nullptr), count_(0) {
        list_.items = static_cast<block_info*>(raw_alloc((n + 1) * sizeof(block_info)));
        if (!list_.items) return;
        for (std::size_t i = 0; i < n; ++i) {
            list_.items[i] = blocks[i];
            list_.bytes += blocks[i].size;
        }
        list_.count = n;
        group();
    }
    ~grouped_leaks() {
        raw_free(groups_);
        raw_free(list_.items);
    }
    grouped_leaks(const grouped_leaks&) = delete;
    grouped_leaks& operator=(const grouped_leaks&) = delete;

    const block_list& blocks() const noexcept { return list_; }
    const leak_group* groups() const noexcept { return groups_; }
    std::size_t group_count() const noexcept { return count_; }
    // The first block of group g (the oldest; its site and kind are the group's).
    const block_info& lead(const leak_group& g) const noexcept { return list_.items[g.first]; }
    const block_info& block(std::size_t i) const noexcept { return list_.items[i]; }

private:
    void group() noexcept {
        if (list_.items) groups_ = group_by_site(list_, count_);
    }

    block_list list_;
    leak_group* groups_;
    std::size_t count_;
};

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_REPORT_LEAK_GROUPS_HPP_INCLUDED
// #include "leakguard/detail/report/loss_records.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// report/loss_records.hpp: loss records - a leak group (one site, one kind of block, one loss kind)
// with every distinct call path that led to it, and a fingerprint that stays the same from build
// to build and machine to machine. A path is its stack's frames as they are named (function, file,
// line), down to main: twenty call sites of an unrolled loop at one source line are one path.
// Runs with tracking suspended and allocates only raw memory.
#ifndef LEAKGUARD_DETAIL_REPORT_LOSS_RECORDS_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REPORT_LOSS_RECORDS_HPP_INCLUDED

#include <algorithm> // std::sort (in place: it does not allocate)
#include <cstddef>   // std::size_t
#include <cstdint>   // std::uint64_t
#include <cstdio>    // std::snprintf
#include <cstring>   // std::strlen, std::strrchr, std::strcmp

// #include "leakguard/block_info.hpp" (inlined)
// #include "leakguard/detail/core/options.hpp" (inlined)
// #include "leakguard/detail/core/platform.hpp" (inlined)
// #include "leakguard/detail/core/text.hpp" (inlined)
// #include "leakguard/detail/symbolize/site_rules.hpp" (inlined)
// #include "leakguard/detail/symbolize/symbolize.hpp" (inlined)
// #include "leakguard/detail/report/leak_groups.hpp" (inlined)
// #include "leakguard/detail/report/site_text.hpp" (inlined)

namespace leakguard {
namespace detail {

// FNV-1a, 64 bits: a fingerprint only has to be stable and spread, never secret.
class fingerprint_hash {
public:
    void add(const void* data, std::size_t n) noexcept {
        const unsigned char* p = static_cast<const unsigned char*>(data);
        for (std::size_t i = 0; i < n; ++i) value_ = (value_ ^ p[i]) * 0x100000001b3ull;
    }
    void add(const char* s) noexcept {
        if (s) add(s, std::strlen(s));
        add("\0", 1); // so that "ab"+"c" and "a"+"bc" differ
    }
    void add(std::uint64_t n) noexcept {
        unsigned char bytes[8];
        for (int i = 0; i < 8; ++i) bytes[i] = static_cast<unsigned char>(n >> (8 * i));
        add(bytes, 8);
    }
    std::uint64_t value() const noexcept { return value_; }

private:
    std::uint64_t value_ = 0xcbf29ce484222325ull;
};

// A fingerprint as JSON and baselines write it: 16 hex digits.
inline void format_fingerprint(std::uint64_t fp, char (&out)[17]) noexcept {
    std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(fp));
}

// One named frame into a hash: function, file name, line (no address, no module path).
inline void hash_frame(fingerprint_hash& h, const char* function, const char* file, unsigned line) noexcept {
    h.add(function);
    h.add(file ? base_name(file) : ""); // builds in other directories name the same file
    h.add(std::uint64_t(line));
}

// One call path of a record: the blocks whose stacks are named alike.
struct record_path {
    std::size_t first; // into the record's order (loss_records::block)
    std::size_t count;
    std::size_t bytes;
    std::uint64_t key; // the hash of its named frames
};

class loss_records {
public:
    // Paths shown in full under a record's line; the rest are counted.
    static constexpr std::size_t paths_shown = 3;

    // `build` false: no records (a report that prints none); ok() says which.
    loss_records(const grouped_leaks& leaks, bool build_them) noexcept : leaks_(leaks) {
        if (build_them) build();
    }
    ~loss_records() {
        raw_free(order_);
        raw_free(keys_);
        raw_free(paths_);
        raw_free(path_start_);
        raw_free(fingerprints_);
        raw_free(numbers_);
        raw_free(known_);
    }
    loss_records(const loss_records&) = delete;
    loss_records& operator=(const loss_records&) = delete;

    bool ok() const noexcept { return ok_; }
    std::size_t count() const noexcept { return leaks_.group_count(); }
    // Record g is the group leaks.groups()[g]; its paths, largest first.
    std::size_t path_count(std::size_t g) const noexcept { return ok_ ? path_start_[g + 1] - path_start_[g] : 1; }
    const record_path& path(std::size_t g, std::size_t p) const noexcept { return paths_[path_start_[g] + p]; }
    // The i-th block (oldest first) of a path.
    const block_info& block(const record_path& p, std::size_t i) const noexcept {
        return leaks_.block(order_[p.first + i]);
    }
    std::uint64_t fingerprint(std::size_t g) const noexcept { return ok_ ? fingerprints_[g] : 0; }
    // Record g's number as valgrind numbers its loss records: by total bytes (with what the
    // blocks hold) from the smallest, so "loss record N of N" is the largest, as there.
    std::size_t number(std::size_t g) const noexcept { return ok_ ? numbers_[g] : g + 1; }
    // Whether record g's fingerprint is in the baseline (report/baseline.hpp marks them).
    bool known(std::size_t g) const noexcept { return ok_ && known_[g]; }
    void mark_known(std::size_t g) noexcept {
        if (ok_) known_[g] = true;
    }

private:
    // The key of a block's path: its stack's frames named, down to main. Blocks without a stack
    // (a mapping macro's site, stack_depth=1) have one path per site.
    std::uint64_t path_key(const block_info& b, symbol_info* frames, std::size_t room) const noexcept {
        fingerprint_hash h;
        if (!b.stack || b.stack_depth < 2 || !frames) return h.value();
        std::size_t const n = symbolize_stack_inlined(b.stack, b.stack_depth, frames, room);
        for (std::size_t f = 0; f < n; ++f) {
            hash_frame(h, frames[f].function, frames[f].file, frames[f].line);
            if (std::strcmp(frames[f].function, "main") == 0) break; // what starts main is the C library's
        }
        return h.value();
    }

    void build() noexcept {
        std::size_t const n = leaks_.blocks().count, groups = leaks_.group_count();
        order_ = static_cast<std::size_t*>(raw_alloc((n + 1) * sizeof(std::size_t)));
        keys_ = static_cast<std::uint64_t*>(raw_alloc((n + 1) * sizeof(std::uint64_t)));
        paths_ = static_cast<record_path*>(raw_alloc((n + 1) * sizeof(record_path)));
        path_start_ = static_cast<std::size_t*>(raw_alloc((groups + 1) * sizeof(std::size_t)));
        fingerprints_ = static_cast<std::uint64_t*>(raw_alloc((groups + 1) * sizeof(std::uint64_t)));
        numbers_ = static_cast<std::size_t*>(raw_alloc((groups + 1) * sizeof(std::size_t)));
        known_ = static_cast<bool*>(raw_alloc(groups + 1));
        std::size_t const room = std::size_t(4) * max_stack_depth;
        symbol_info* frames = static_cast<symbol_info*>(raw_alloc(room * sizeof(symbol_info)));
        if (!order_ || !keys_ || !paths_ || !path_start_ || !fingerprints_ || !numbers_ || !known_ || !frames) {
            raw_free(frames);
            return;
        }
        std::size_t path_total = 0;
        for (std::size_t g = 0; g < groups; ++g) {
            const leak_group& grp = leaks_.groups()[g];
            std::size_t* const idx = order_ + grp.first;
            for (std::size_t i = 0; i < grp.count; ++i) idx[i] = grp.first + i;
            // Each distinct stack named once: blocks that share a stack record share its pointer.
            std::sort(idx, idx + grp.count,
                      [this](std::size_t a, std::size_t b) { return leaks_.block(a).stack < leaks_.block(b).stack; });
            for (std::size_t i = 0; i < grp.count; ++i) {
                const block_info& b = leaks_.block(idx[i]);
                keys_[idx[i]] = (i > 0 && leaks_.block(idx[i - 1]).stack == b.stack) ? keys_[idx[i - 1]]
                                                                                     : path_key(b, frames, room);
            }
            std::sort(idx, idx + grp.count, [this](std::size_t a, std::size_t b) {
                if (keys_[a] != keys_[b]) return keys_[a] < keys_[b];
                return leaks_.block(a).seq < leaks_.block(b).seq;
            });
            path_start_[g] = path_total;
            for (std::size_t i = 0; i < grp.count; ++i) {
                const block_info& b = leaks_.block(idx[i]);
                if (i == 0 || keys_[idx[i]] != keys_[idx[i - 1]])
                    paths_[path_total++] = record_path{grp.first + i, 0, 0, keys_[idx[i]]};
                ++paths_[path_total - 1].count;
                paths_[path_total - 1].bytes += b.size;
            }
            fingerprints_[g] = record_fingerprint(grp, path_start_[g], path_total, frames);
            // Largest first, then the most blocks, then the oldest.
            std::sort(paths_ + path_start_[g], paths_ + path_total, [this](const record_path& a, const record_path& b) {
                if (a.bytes != b.bytes) return a.bytes > b.bytes;
                if (a.count != b.count) return a.count > b.count;
                return block(a, 0).seq < block(b, 0).seq;
            });
        }
        path_start_[groups] = path_total;
        raw_free(frames);
        number_records();
        ok_ = true;
    }

    // valgrind's order (cmp_LossRecords): total bytes, then the loss kind from still reachable to
    // definitely lost, then the number of blocks; ties by age. numbers_ first holds the groups in
    // that order, then each group's rank; keys_ (no longer needed once the paths are found) is the
    // scratch between the two.
    void number_records() noexcept {
        std::size_t const groups = leaks_.group_count();
        for (std::size_t g = 0; g < groups; ++g) {
            numbers_[g] = g;
            known_[g] = false;
        }
        const leak_group* const grp = leaks_.groups();
        std::sort(numbers_, numbers_ + groups, [this, grp](std::size_t a, std::size_t b) {
            std::size_t const ta = grp[a].bytes + grp[a].indirect_bytes, tb = grp[b].bytes + grp[b].indirect_bytes;
            if (ta != tb) return ta < tb;
            leak_kind const ka = leaks_.lead(grp[a]).loss, kb = leaks_.lead(grp[b]).loss;
            if (ka != kb) return ka > kb;
            if (grp[a].count != grp[b].count) return grp[a].count < grp[b].count;
            return leaks_.lead(grp[a]).seq < leaks_.lead(grp[b]).seq;
        });
        for (std::size_t rank = 0; rank < groups; ++rank) keys_[rank] = numbers_[rank];
        for (std::size_t rank = 0; rank < groups; ++rank) numbers_[keys_[rank]] = rank + 1;
    }

    // The record's loss kind, kind of block, site (function, file name, line) and its paths' keys
    // in key order: the same source gives the same fingerprint, whatever the addresses, the
    // directories, the order of the blocks or how many of them each path left.
    std::uint64_t record_fingerprint(const leak_group& grp, std::size_t first_path, std::size_t end_path,
                                     symbol_info* frames) const noexcept {
        const block_info& lead = leaks_.lead(grp);
        fingerprint_hash h;
        h.add(leak_kind_name(lead.loss));
        h.add(kind_name(lead.kind));
        if (lead.location) {
            hash_frame(h, lead.location->function, lead.location->file, static_cast<unsigned>(lead.location->line));
        } else {
            symbolize_site(lead, frames[0]);
            hash_frame(h, frames[0].function, frames[0].file, frames[0].line);
        }
        for (std::size_t p = first_path; p < end_path; ++p) h.add(paths_[p].key);
        return h.value();
    }

    const grouped_leaks& leaks_;
    std::size_t* order_ = nullptr;      // per group, its blocks' indices sorted by path, then age
    std::uint64_t* keys_ = nullptr;     // each block's path key, by its index in leaks_
    record_path* paths_ = nullptr;      // every record's paths, record after record
    std::size_t* path_start_ = nullptr; // record g's paths: [path_start_[g], path_start_[g + 1])
    std::uint64_t* fingerprints_ = nullptr;
    std::size_t* numbers_ = nullptr; // record g's number, from 1
    bool* known_ = nullptr;          // record g is in the baseline
    bool ok_ = false;
};

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_REPORT_LOSS_RECORDS_HPP_INCLUDED
// #include "leakguard/detail/report/group_text.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// report/group_text.hpp: the one writer of leak-group lines - "N bytes in M blocks (kind) allocated
// at SITE, thread T, #a #b ..." - for the exit report, a failed scope's report and a test
// failure's message. It writes to any sink with put(const char*) and printf(format, ...): an
// fd_writer for the report stream, a string for a test framework (adapter_common.hpp).
#ifndef LEAKGUARD_DETAIL_REPORT_GROUP_TEXT_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REPORT_GROUP_TEXT_HPP_INCLUDED

#include <cstddef> // std::size_t
#include <cstdio>  // std::snprintf
#include <cstring> // std::strcmp

// #include "leakguard/scope.hpp" (inlined)
// #include "leakguard/detail/core/platform.hpp" (inlined)
// #include "leakguard/detail/core/text.hpp" (inlined)
// #include "leakguard/detail/symbolize/symbolize.hpp" (inlined)
// #include "leakguard/detail/report/leak_groups.hpp" (inlined)
// #include "leakguard/detail/report/loss_records.hpp" (inlined)
// #include "leakguard/detail/report/site_text.hpp" (inlined)

namespace leakguard {
namespace detail {

// Sequence numbers listed on a group's line; the rest are counted ("and 25 more").
constexpr std::size_t seqs_shown = 5;

// How the lines are laid out where they go.
struct group_layout {
    const char* line_start; // before each line
    const char* line_end;   // after each line
    bool sizes;             // "(new[], 10 to 12 bytes)": a group's block sizes after its kind
    bool stacks;            // the call stack of a group's first block under its line
    std::size_t max_groups; // lines at most, the rest counted as "... and N more allocation sites"
};

// The report stream: each line its own, under a "leakguard: " heading, with sizes and stacks.
constexpr group_layout report_layout = {"leakguard:   ", "\n", true, true, ~std::size_t(0)};
// A test failure's message: indented lines after its summary, at most 20, without stacks.
constexpr group_layout message_layout = {"\n  ", "", false, false, 20};

// After "N bytes in M blocks": valgrind's words for the kind (nothing for blocks no check judged).
inline const char* loss_phrase(leak_kind k) noexcept {
    switch (k) {
    case leak_kind::definite: return " definitely lost";
    case leak_kind::indirect: return " indirectly lost";
    case leak_kind::possible: return " possibly lost";
    case leak_kind::reachable: return " still reachable";
    case leak_kind::unchecked: return "";
    }
    return "";
}

// How a failed scope's summary line ends: "... allocated inside it still alive" or "... lost".
inline const char* scope_verdict(scope_rule rule) noexcept { return rule == scope_rule::lost ? "lost" : "still alive"; }

// A failed scope's (or repeat check's) summary line, without its end: "leakguard: scope "name"
// (file:line) ended with N blocks (B bytes) allocated inside it lost". `always_name`: the quotes
// even for a scope without a name (the report stream's form).
template <class Sink>
void write_failure_summary(Sink& out, const scope_failure& f, bool always_name) noexcept {
    const char* const what = f.repetitions ? "repeat check" : "scope";
    if (always_name || (f.name && f.name[0])) out.printf("leakguard: %s \"%s\" (%s:%d) ", what, f.name, f.file, f.line);
    else out.printf("leakguard: %s (%s:%d) ", what, f.file, f.line);
    if (f.repetitions)
        out.printf("left %zu %s (%zu bytes) alive from sites that kept blocks from every one of its %d repetitions",
                   f.leaked_blocks, plural(f.leaked_blocks, "block", "blocks"), f.leaked_bytes, f.repetitions);
    else
        out.printf("ended with %zu %s (%zu bytes) allocated inside it %s", f.leaked_blocks,
                   plural(f.leaked_blocks, "block", "blocks"), f.leaked_bytes, scope_verdict(f.rule));
}

// The call stack of a block, one frame a line, valgrind-style ("at" the innermost, "by" the rest),
// down to main, calls inlined at a return address included.
template <class Sink>
void write_stack(Sink& out, const block_info& b, const group_layout& layout) noexcept {
    if (!b.stack || b.stack_depth < 2) return;
    symbol_info* named = static_cast<symbol_info*>(raw_alloc(max_inline_frames * sizeof(symbol_info)));
    if (!named) return;
    bool first = true;
    for (std::size_t i = 0; i < b.stack_depth; ++i) {
        std::size_t const n = symbolize_frames(b.stack[i], named, max_inline_frames);
        bool at_main = false;
        for (std::size_t j = 0; j < n; ++j) {
            char frame[site_text_size];
            describe_symbol(named[j], b.stack[i], frame, sizeof frame);
            out.printf("%s    %s %s", layout.line_start, first ? "at" : "by", frame);
            out.put(layout.line_end);
            first = false;
            at_main = at_main || std::strcmp(named[j].function, "main") == 0;
        }
        if (at_main) break; // what starts main is noise (JSON has it)
    }
    raw_free(named);
}

// A repeat check's blocks of one group, counted per repetition: " in repetitions [3, 3, 3]".
template <class Sink>
void write_repetition_counts(Sink& out, const grouped_leaks& leaks, const leak_group& g,
                             const scope_failure& f) noexcept {
    out.put(", per repetition [");
    for (int r = 0; r < f.repetitions; ++r) {
        std::size_t n = 0;
        for (std::size_t i = 0; i < g.count; ++i) {
            std::uint64_t const seq = leaks.block(g.first + i).seq;
            if (seq >= f.repetition_starts[r] && seq < f.repetition_starts[r + 1]) ++n;
        }
        out.printf("%s%zu", r ? ", " : "", n);
    }
    out.put("]");
}

// "#a #b #c and N more": the first sequence numbers of `count` blocks, `seq(i)` the i-th oldest.
template <class Sink, class Seq>
void write_seqs(Sink& out, std::size_t count, Seq seq) noexcept {
    std::size_t const shown = count < seqs_shown ? count : seqs_shown;
    for (std::size_t i = 0; i < shown; ++i)
        out.printf("%s%llu", i ? " #" : "#", static_cast<unsigned long long>(seq(i)));
    if (count > shown) out.printf(" and %zu more", count - shown);
}

// The paths of a loss record that has several, each with its count, sequence numbers and stack;
// the first few in full, the rest counted.
template <class Sink>
void write_paths(Sink& out, const loss_records& records, std::size_t r, const group_layout& layout) noexcept {
    std::size_t const paths = records.path_count(r);
    std::size_t more_blocks = 0, more_bytes = 0;
    for (std::size_t p = 0; p < paths; ++p) {
        const record_path& path = records.path(r, p);
        if (p >= loss_records::paths_shown) {
            more_blocks += path.count;
            more_bytes += path.bytes;
            continue;
        }
        out.printf("%s  %zu %s (%zu %s) by path %zu of %zu, ", layout.line_start, path.count,
                   plural(path.count, "block", "blocks"), path.bytes, plural(path.bytes, "byte", "bytes"), p + 1,
                   paths);
        write_seqs(out, path.count, [&](std::size_t i) { return records.block(path, i).seq; });
        out.put(layout.line_end);
        write_stack(out, records.block(path, 0), layout);
    }
    if (paths > loss_records::paths_shown)
        out.printf("%s  ... and %zu more paths (%zu %s, %zu bytes)%s", layout.line_start,
                   paths - loss_records::paths_shown, more_blocks, plural(more_blocks, "block", "blocks"), more_bytes,
                   layout.line_end);
}

// A group's bytes as its line says them: "B bytes", or valgrind's "T (D direct, I indirect) bytes"
// where the group's blocks hold others.
inline void group_bytes_text(const leak_group& g, char* out, std::size_t size) noexcept {
    if (g.indirect_bytes)
        std::snprintf(out, size, "%zu (%zu direct, %zu indirect) bytes", g.bytes + g.indirect_bytes, g.bytes,
                      g.indirect_bytes);
    else std::snprintf(out, size, "%zu %s", g.bytes, plural(g.bytes, "byte", "bytes"));
}

// One group's line (and its stack, if the layout has stacks). `failure`: the repeat check (or
// scope) the blocks come from, if any. `records`: the exit report's loss records, group g being
// record g (numbered on its line, its paths under it when it has several).
template <class Sink>
void write_group(Sink& out, const grouped_leaks& leaks, const leak_group& g, const group_layout& layout,
                 const scope_failure* failure = nullptr, const loss_records* records = nullptr,
                 std::size_t record = 0) noexcept {
    const block_info& lead = leaks.lead(g);
    char site[site_text_size];
    describe_site(lead, site, sizeof site);
    char sizes[64] = "";
    if (layout.sizes && g.count > 1) {
        if (g.min_size == g.max_size) std::snprintf(sizes, sizeof sizes, ", %zu bytes each", g.min_size);
        else std::snprintf(sizes, sizeof sizes, ", %zu to %zu bytes", g.min_size, g.max_size);
    }
    char bytes[96];
    group_bytes_text(g, bytes, sizeof bytes);
    out.printf("%s%s in %zu %s%s (%s%s) allocated at %s, thread %u, ", layout.line_start, bytes, g.count,
               plural(g.count, "block", "blocks"), loss_phrase(lead.loss), kind_name(lead.kind), sizes, site,
               lead.thread);
    write_seqs(out, g.count, [&](std::size_t i) { return leaks.block(g.first + i).seq; });
    if (failure && failure->repetitions) write_repetition_counts(out, leaks, g, *failure);
    if (records) out.printf(", loss record %zu of %zu", records->number(record), records->count());
    if (records && records->known(record)) out.put(", known (baseline)");
    out.put(layout.line_end);
    if (!layout.stacks) return;
    if (records && records->path_count(record) > 1) write_paths(out, *records, record, layout);
    else write_stack(out, lead, layout);
}

// Every group's line, largest first, up to the layout's limit.
template <class Sink>
void write_groups(Sink& out, const grouped_leaks& leaks, const group_layout& layout,
                  const scope_failure* failure = nullptr, const loss_records* records = nullptr) noexcept {
    std::size_t const count = leaks.group_count();
    for (std::size_t g = 0; g < count && g < layout.max_groups; ++g)
        write_group(out, leaks, leaks.groups()[g], layout, failure, records && records->ok() ? records : nullptr, g);
    if (count > layout.max_groups)
        out.printf("%s... and %zu more allocation sites%s", layout.line_start, count - layout.max_groups,
                   layout.line_end);
}

// A failed scope's leaks, grouped: its groups' lines, then how many blocks were left out of them.
template <class Sink>
void write_failure_groups(Sink& out, const scope_failure& f, const group_layout& layout) noexcept {
    {
        grouped_leaks const leaks(f.leaks, f.leaks_shown);
        write_groups(out, leaks, layout, &f);
    }
    if (f.leaked_blocks > f.leaks_shown)
        out.printf("%s... and %zu more blocks%s", layout.line_start, f.leaked_blocks - f.leaks_shown, layout.line_end);
}

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_REPORT_GROUP_TEXT_HPP_INCLUDED
// #include "leakguard/detail/report/json_writer.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// report/json_writer.hpp: the one writer of JSON, for the JSON report and its heap errors. It puts
// the commas, quotes and escapes itself, so the writers say only what goes where; it writes
// through an fd_writer, so it never allocates.
#ifndef LEAKGUARD_DETAIL_REPORT_JSON_WRITER_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REPORT_JSON_WRITER_HPP_INCLUDED

#include <cstddef>     // std::size_t
#include <cstdint>     // std::uintptr_t
#include <type_traits> // std::is_signed

// #include "leakguard/detail/core/platform.hpp" (inlined)

namespace leakguard {
namespace detail {

// Nesting the writer keeps track of (the JSON report nests 5 deep, the SARIF log 14: a code flow's
// frame's artifact location); deeper levels share the last flag.
constexpr std::size_t json_max_depth = 16;

class json_writer {
public:
    explicit json_writer(fd_writer& out) noexcept : out_(out), depth_(0), after_key_(false), new_line_(false) {
        first_[0] = true;
    }
    json_writer(const json_writer&) = delete;
    json_writer& operator=(const json_writer&) = delete;

    void begin_object() noexcept { open("{"); }
    void end_object() noexcept { close("}"); }
    void begin_array() noexcept { open("["); }
    void end_array() noexcept { close("]"); }
    // The name of the member whose value comes next: `json.key("size").number(n);`.
    json_writer& key(const char* name) noexcept {
        separate();
        quoted(name);
        out_.put(":");
        after_key_ = true;
        return *this;
    }
    // The next member or element starts a line (the report keeps one leak, one error a line).
    void new_line() noexcept { new_line_ = true; }

    // A string, escaped; nullptr is null.
    void string(const char* s) noexcept {
        value();
        if (s) quoted(s);
        else out_.put("null");
    }
    template <class Integer>
    void number(Integer n) noexcept {
        value();
        integer(n, std::is_signed<Integer>());
    }
    void boolean(bool b) noexcept {
        value();
        out_.put(b ? "true" : "false");
    }
    void null() noexcept {
        value();
        out_.put("null");
    }
    // An address or an offset, as the string "0x...".
    void hex(std::uintptr_t n) noexcept {
        value();
        out_.printf("\"0x%lx\"", static_cast<unsigned long>(n));
    }
    void address(const void* p) noexcept { hex(reinterpret_cast<std::uintptr_t>(p)); }
    // A number with `decimals` digits after the point (times and durations in seconds).
    void fixed(double v, int decimals) noexcept {
        value();
        out_.printf("%.*f", decimals, v);
    }
    // A value already written as JSON elsewhere (a cached array), put as it is.
    void raw(const char* json, std::size_t n) noexcept {
        value();
        out_.put(json, n);
    }

private:
    // Whether the open object or array (or the document) has nothing in it yet.
    bool& first_here() noexcept { return first_[depth_ < json_max_depth ? depth_ : json_max_depth]; }
    void integer(long long n, std::true_type) noexcept { out_.printf("%lld", n); }
    void integer(unsigned long long n, std::false_type) noexcept { out_.printf("%llu", n); }

    // Before a value: a comma unless it is its member's value or the first element.
    void value() noexcept {
        if (after_key_) after_key_ = false;
        else separate();
    }
    void separate() noexcept {
        if (!first_here()) out_.put(",");
        first_here() = false;
        if (new_line_) out_.put("\n");
        new_line_ = false;
    }
    void open(const char* bracket) noexcept {
        value();
        out_.put(bracket);
        ++depth_;
        first_here() = true;
    }
    // A document ends with a line break.
    void close(const char* bracket) noexcept {
        out_.put(bracket);
        if (depth_ > 0 && --depth_ == 0) out_.put("\n");
    }
    void quoted(const char* s) noexcept {
        out_.put("\"");
        for (; *s; ++s) {
            unsigned char const c = static_cast<unsigned char>(*s);
            if (c == '"' || c == '\\') {
                char const escaped[2] = {'\\', static_cast<char>(c)};
                out_.put(escaped, 2);
            } else if (c < 0x20) {
                out_.printf("\\u%04x", c);
            } else {
                out_.put(s, 1);
            }
        }
        out_.put("\"");
    }

    fd_writer& out_;
    std::size_t depth_;
    bool first_[json_max_depth + 1]; // [0]: the document's top level
    bool after_key_;
    bool new_line_;
};

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_REPORT_JSON_WRITER_HPP_INCLUDED
// #include "leakguard/detail/report/error_report.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// report/error_report.hpp: how a heap error reads - printed at once, from inside the delete or free
// that found it (so with tracking suspended), and as an entry of the JSON report's "errors".
#ifndef LEAKGUARD_DETAIL_REPORT_ERROR_REPORT_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REPORT_ERROR_REPORT_HPP_INCLUDED

#include <cstddef> // std::size_t
#include <cstdint> // std::uint64_t
#include <cstdio>  // std::snprintf

// #include "leakguard/detail/core/options.hpp" (inlined)
// #include "leakguard/detail/core/platform.hpp" (inlined)
// #include "leakguard/detail/core/report_stream.hpp" (inlined)
// #include "leakguard/detail/heap/errors.hpp" (inlined)
// #include "leakguard/detail/heap/startup.hpp" (inlined)
// #include "leakguard/detail/symbolize/symbolize.hpp" (inlined)
// #include "leakguard/detail/report/json_writer.hpp" (inlined)
// #include "leakguard/detail/report/site_text.hpp" (inlined)

namespace leakguard {
namespace detail {

// ", byte N past its end overwritten" and the like for an error that found a bad byte; "" for
// the others. heap_overflow counts from the end of the block; the others from its start.
inline void error_offset_text(const error_record& e, char* out, std::size_t size) noexcept {
    if (size) out[0] = '\0';
    if (!e.has_offset) return;
    if (e.type == error_type::heap_overflow) std::snprintf(out, size, ", byte %ld past its end overwritten", e.offset);
    else if (e.offset < 0) std::snprintf(out, size, ", byte %ld before its start overwritten", e.offset);
    else if (static_cast<std::size_t>(e.offset) >= e.size)
        std::snprintf(out, size, ", byte %zu past its end overwritten", static_cast<std::size_t>(e.offset) - e.size);
    else std::snprintf(out, size, ", byte %ld overwritten", e.offset);
}

// describe_code(), or where this thread is naming code already (symbolize/symbolize.hpp: an
// error found by a free the demangler made), the location or the bare address: naming it would
// wait on this thread's own lock.
inline void describe_error_code(const void* caller, const source_location* location, char* out,
                                std::size_t size) noexcept {
    if (!t_inside.naming) return describe_code(caller, location, out, size);
    if (location) std::snprintf(out, size, "%s:%d", location->file, location->line);
    else std::snprintf(out, size, "%p", caller);
}

void print_error(const error_record& e) noexcept {
    busy_section busy;
    char freed_at[site_text_size] = "";
    if (e.has_free) describe_error_code(e.free_caller, e.free_location, freed_at, sizeof freed_at);
    fd_writer out(report_fd());
    out.printf("leakguard: error: %s: ", error_type_name(e.type));
    if (e.type == error_type::heap_corruption) { // leakguard's record of a block, not the block
        out.printf("the block at %p: %s (a write past the end of the block before it in memory, or before this "
                   "one?); what can be read is still reported and the program goes on\n",
                   e.address, e.what ? e.what : "its header is damaged");
        return;
    }
    if (e.block_known) {
        char allocated_at[site_text_size];
        describe_error_code(e.alloc_caller, e.alloc_location, allocated_at, sizeof allocated_at);
        out.printf("%zu bytes at %p (#%llu) allocated by %s at %s", e.size, e.address,
                   static_cast<unsigned long long>(e.seq), kind_name(e.kind), allocated_at);
    } else {
        out.printf("%p", e.address);
    }
    char offset[64];
    error_offset_text(e, offset, sizeof offset);
    out.put(offset);
    if (e.has_first_free) {
        char first[site_text_size];
        describe_error_code(e.first_free_caller, e.first_free_location, first, sizeof first);
        out.printf(", first freed at %s", first);
    }
    if (e.has_form) out.printf(", given back by %s at %s", dealloc_name(e.form), freed_at);
    else if (e.has_free) out.printf(", after it was freed at %s", freed_at);
    else out.put(", found by a heap check");
    if (!e.block_known || !e.has_form) out.put("; the program goes on\n");
    else if (e.left_alone) out.put("; its header is damaged: left alone and the program goes on\n");
    else if (e.type == error_type::double_free) out.put("; the pointer was left alone and the program goes on\n");
    else out.put("; released all the same and the program goes on\n");
}

// "<prefix>file", "<prefix>line" and "<prefix>function" of a site, as JSON members.
inline void json_site(json_writer& json, const char* prefix, const void* caller,
                      const source_location* location) noexcept {
    symbol_info sym;
    symbolize(caller, sym);
    char name[32];
    std::snprintf(name, sizeof name, "%sfile", prefix);
    json.key(name);
    json.string(location ? location->file : (sym.file[0] ? sym.file : nullptr));
    std::snprintf(name, sizeof name, "%sline", prefix);
    json.key(name);
    if (location) json.number(location->line);
    else if (sym.file[0]) json.number(sym.line);
    else json.null();
    std::snprintf(name, sizeof name, "%sfunction", prefix);
    json.key(name);
    json.string(sym.function[0] ? sym.function : nullptr);
}

// The elements of the JSON report's "errors" array, one a line.
inline void write_json_errors(json_writer& json) noexcept {
    lock_guard hold(g_errors.lock);
    std::uint64_t const total = g_errors.count.load(std::memory_order_relaxed);
    std::size_t const kept = total < max_error_records ? static_cast<std::size_t>(total) : max_error_records;
    for (std::size_t i = 0; i < kept; ++i) {
        const error_record& e = g_errors.records[i];
        json.new_line();
        json.begin_object();
        json.key("type").string(error_type_name(e.type));
        json.key("address").address(e.address);
        if (e.what) json.key("detail").string(e.what);
        if (e.block_known) {
            json.key("size").number(e.size);
            json.key("kind").string(kind_name(e.kind));
            json.key("seq").number(e.seq);
            json_site(json, "alloc_", e.alloc_caller, e.alloc_location);
        }
        if (e.has_offset) {
            json.key("offset").number(e.offset);
        }
        if (e.has_form) {
            json.key("free_form").string(dealloc_name(e.form));
        }
        if (e.has_free) {
            json_site(json, "free_", e.free_caller, e.free_location);
            json.key("free_caller").address(e.free_caller);
        }
        if (e.has_first_free) {
            json_site(json, "first_free_", e.first_free_caller, e.first_free_location);
            json.key("first_free_caller").address(e.first_free_caller);
        }
        json.end_object();
    }
}

} // namespace detail
} // namespace leakguard

#endif
// #include "leakguard/detail/report/suppression_match.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// report/suppression_match.hpp: whether one suppression matches one block, given the block's
// frames already named (report/suppressions.hpp names them). The rules, LeakSanitizer's and
// valgrind's (docs/suppressions.md):
//   leak:PATTERN  matches when the pattern matches the module, the function or the source file
//                 of any frame of the block's stack (lsan_glob: anywhere in the name unless
//                 anchored with ^ or $).
//   { ... }       matches when its frame lines match the stack from its top, each line one frame
//                 ("..." any number), the whole name each (valgrind_glob), and the block's kind
//                 is one match-leak-kinds names. valgrind's stacks begin at the allocator
//                 (fun:malloc, fun:_Znwm); leakguard's at its caller: the allocator's frame is
//                 matched against the names valgrind gives the allocator of the block's kind.
#ifndef LEAKGUARD_DETAIL_REPORT_SUPPRESSION_MATCH_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REPORT_SUPPRESSION_MATCH_HPP_INCLUDED

#include <cstddef> // std::size_t

// #include "leakguard/block_info.hpp" (inlined)
// #include "leakguard/detail/core/glob.hpp" (inlined)
// #include "leakguard/detail/core/suppression_parse.hpp" (inlined)
// #include "leakguard/detail/core/text.hpp" (inlined)

namespace leakguard {
namespace detail {

// One named frame, innermost first; calls inlined at a return address are frames of their own.
struct frame_view {
    const char* function;   // demangled; "" when unknown
    const char* raw_name;   // as the module holds it (mangled; an inlined call's DWARF name), or null
    const char* file;       // the source file's path; "" when unknown
    unsigned line;          // 0 when unknown
    const char* module;     // the module's path as the loader names it; "" when unknown
    const char* module_alt; // the same module by another path (the executable's absolute one), or null
};

// The names valgrind's memcheck gives its replacement of the allocator a block of `kind` came
// from (vg_replace_malloc.c), mangled as --gen-suppressions writes them, then demangled. Ends
// with null.
inline const char* const* allocator_names(block_kind kind) noexcept {
    static const char* const new_scalar[] = {"_Znwm",
                                             "_ZnwmRKSt9nothrow_t",
                                             "_Znwj",
                                             "_ZnwjRKSt9nothrow_t",
                                             "operator new(unsigned long)",
                                             "operator new(unsigned long, std::nothrow_t const&)",
                                             nullptr};
    static const char* const new_array[] = {"_Znam",
                                            "_ZnamRKSt9nothrow_t",
                                            "_Znaj",
                                            "_ZnajRKSt9nothrow_t",
                                            "operator new[](unsigned long)",
                                            "operator new[](unsigned long, std::nothrow_t const&)",
                                            nullptr};
    static const char* const new_scalar_aligned[] = {
        "_ZnwmSt11align_val_t",
        "_ZnwmSt11align_val_tRKSt9nothrow_t",
        "_ZnwjSt11align_val_t",
        "_ZnwjSt11align_val_tRKSt9nothrow_t",
        "operator new(unsigned long, std::align_val_t)",
        "operator new(unsigned long, std::align_val_t, std::nothrow_t const&)",
        nullptr};
    static const char* const new_array_aligned[] = {
        "_ZnamSt11align_val_t",
        "_ZnamSt11align_val_tRKSt9nothrow_t",
        "_ZnajSt11align_val_t",
        "_ZnajSt11align_val_tRKSt9nothrow_t",
        "operator new[](unsigned long, std::align_val_t)",
        "operator new[](unsigned long, std::align_val_t, std::nothrow_t const&)",
        nullptr};
    static const char* const malloc_names[] = {"malloc", nullptr};
    static const char* const calloc_names[] = {"calloc", nullptr};
    static const char* const realloc_names[] = {"realloc", nullptr};
    // valgrind does not replace these two: the C library's copy calls malloc.
    static const char* const strdup_names[] = {"malloc", "strdup", nullptr};
    static const char* const strndup_names[] = {"malloc", "strndup", nullptr};
    static const char* const memalign_names[] = {"memalign", nullptr};
    static const char* const posix_memalign_names[] = {"posix_memalign", nullptr};
    static const char* const aligned_alloc_names[] = {"aligned_alloc", nullptr};
    static const char* const valloc_names[] = {"valloc", nullptr};
    static const char* const pvalloc_names[] = {"pvalloc", nullptr};
    static const char* const none[] = {nullptr};
    switch (kind) {
    case block_kind::new_scalar: return new_scalar;
    case block_kind::new_array: return new_array;
    case block_kind::new_scalar_aligned: return new_scalar_aligned;
    case block_kind::new_array_aligned: return new_array_aligned;
    case block_kind::malloc: return malloc_names;
    case block_kind::calloc: return calloc_names;
    case block_kind::realloc: return realloc_names;
    case block_kind::strdup: return strdup_names;
    case block_kind::strndup: return strndup_names;
    case block_kind::memalign: return memalign_names;
    case block_kind::posix_memalign: return posix_memalign_names;
    case block_kind::aligned_alloc: return aligned_alloc_names;
    case block_kind::valloc: return valloc_names;
    case block_kind::pvalloc: return pvalloc_names;
    }
    return none;
}

// A frame line against the allocator's frame: its names, the module and the file that hold
// valgrind's replacements (at any line).
inline bool allocator_frame_matches(const frame_pattern& f, block_kind kind) noexcept {
    switch (f.kind) {
    case frame_pattern_kind::fun:
        for (const char* const* n = allocator_names(kind); *n; ++n)
            if (valgrind_glob(f.pattern, *n)) return true;
        return false;
    case frame_pattern_kind::obj:
        return valgrind_glob(f.pattern, "/usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so");
    case frame_pattern_kind::src: return valgrind_glob(f.pattern, "vg_replace_malloc.c");
    case frame_pattern_kind::any: return true;
    }
    return false;
}

// A frame line against a named frame. An unknown name is valgrind's "???"; fun: is tried on the
// name as the module holds it and on the demangled one; src: on the file's last part (valgrind's
// form) and on its whole path.
inline bool frame_matches(const frame_pattern& f, const frame_view& v) noexcept {
    switch (f.kind) {
    case frame_pattern_kind::fun:
        if (v.raw_name && valgrind_glob(f.pattern, v.raw_name)) return true;
        return valgrind_glob(f.pattern, v.function[0] ? v.function : "???");
    case frame_pattern_kind::obj:
        if (v.module_alt && valgrind_glob(f.pattern, v.module_alt)) return true;
        return valgrind_glob(f.pattern, v.module[0] ? v.module : "???");
    case frame_pattern_kind::src:
        if (!v.file[0] || (f.line != 0 && f.line != v.line)) return false;
        return valgrind_glob(f.pattern, base_name(v.file)) || valgrind_glob(f.pattern, v.file);
    case frame_pattern_kind::any: return true;
    }
    return false;
}

// The frame lines p[0..np) against the stack from position `at`: position 0 is the allocator's
// frame, position i > 0 is frames[i - 1]. Lines left over after the last frame fail the match;
// frames left over after the last line do not (a suppression names the top of a stack).
inline bool frames_match_from(const frame_pattern* p, std::size_t np, block_kind kind, const frame_view* frames,
                              std::size_t count, std::size_t at) noexcept {
    std::size_t const total = count + 1;
    for (;;) {
        if (np == 0) return true;
        if (p->kind == frame_pattern_kind::any) {
            while (np > 0 && p->kind == frame_pattern_kind::any) {
                ++p;
                --np;
            }
            if (np == 0) return true;
            for (std::size_t from = at; from < total; ++from)
                if (frames_match_from(p, np, kind, frames, count, from)) return true;
            return false;
        }
        if (at >= total) return false;
        bool const hit = at == 0 ? allocator_frame_matches(*p, kind) : frame_matches(*p, frames[at - 1]);
        if (!hit) return false;
        ++p;
        --np;
        ++at;
    }
}

// Whether a block of this kind of loss is one the entry names (a block no leak check judged - a
// strict scope's - is of any kind).
inline bool suppresses_loss(const suppression& s, leak_kind loss) noexcept {
    return loss == leak_kind::unchecked || (s.kinds & (1u << (static_cast<unsigned>(loss) - 1)));
}

// A leak: line against one frame's module, function and file.
inline bool lsan_frame_matches(const suppression& s, const frame_view& v) noexcept {
    return lsan_glob(s.name, v.module) || (v.module_alt && lsan_glob(s.name, v.module_alt)) ||
           lsan_glob(s.name, v.function) || lsan_glob(s.name, v.file);
}

// Whether entry `s` of `file` suppresses a block of allocation kind `kind` and loss `loss` whose
// stack is frames[0..count). `site`: the function and file a mapping macro gave the block, or
// null; leak: lines are tried on it too (valgrind's frames are the stack's alone).
inline bool entry_matches(const suppression_file& file, const suppression& s, block_kind kind, leak_kind loss,
                          const frame_view* frames, std::size_t count, const frame_view* site) noexcept {
    if (!suppresses_loss(s, loss)) return false;
    if (s.valgrind) return frames_match_from(file.frames.items + s.frames, s.frame_count, kind, frames, count, 0);
    if (site && lsan_frame_matches(s, *site)) return true;
    for (std::size_t i = 0; i < count; ++i)
        if (lsan_frame_matches(s, frames[i])) return true;
    return false;
}

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_REPORT_SUPPRESSION_MATCH_HPP_INCLUDED
// #include "leakguard/detail/report/suppressions.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// report/suppressions.hpp: suppressions applied to a list of blocks - the exit report's, a
// failed scope's, a repeat check's - and the list of those that matched (print_suppressions).
// Matching needs every frame of a block's stack named, which costs: it is done only while a file
// with entries is loaded, and once per distinct stack (blocks with the same stack share its
// record), not once per block. Runs with tracking suspended; allocates only raw memory.
#ifndef LEAKGUARD_DETAIL_REPORT_SUPPRESSIONS_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REPORT_SUPPRESSIONS_HPP_INCLUDED

#include <algorithm> // std::sort (in place: it does not allocate)
#include <cstddef>   // std::size_t
#include <cstring>   // std::strcmp
#include <unistd.h>  // readlink

// #include "leakguard/block_info.hpp" (inlined)
// #include "leakguard/detail/core/options.hpp" (inlined)
// #include "leakguard/detail/core/platform.hpp" (inlined)
// #include "leakguard/detail/core/suppression_files.hpp" (inlined)
// #include "leakguard/detail/core/text.hpp" (inlined)
// #include "leakguard/detail/symbolize/symbolize.hpp" (inlined)
// #include "leakguard/detail/report/collect.hpp" (inlined)
// #include "leakguard/detail/report/suppression_match.hpp" (inlined)

namespace leakguard {
namespace detail {

// One stack's frames, named for matching, in raw memory: room for every return address and
// some calls inlined at each, as the JSON report has.
class stack_names {
public:
    static constexpr std::size_t room = std::size_t(4) * max_stack_depth;

    stack_names() noexcept
        : syms_(static_cast<symbol_info*>(raw_alloc(room * sizeof(symbol_info)))),
          views_(static_cast<frame_view*>(raw_alloc(room * sizeof(frame_view)))), count_(0), has_site_(false) {
        // The executable's absolute path: the loader names it as it was started ("./prog"),
        // valgrind by the path it ran.
        ssize_t const n = ::readlink("/proc/self/exe", exe_, sizeof exe_ - 1);
        exe_[n > 0 ? n : 0] = '\0';
    }
    ~stack_names() {
        raw_free(syms_);
        raw_free(views_);
    }
    stack_names(const stack_names&) = delete;
    stack_names& operator=(const stack_names&) = delete;

    bool ok() const noexcept { return syms_ && views_; }

    // Names the frames of `b`'s stack (or its caller alone, when no stack was taken).
    void name(const block_info& b) noexcept {
        count_ = 0;
        if (b.stack && b.stack_depth > 0) {
            for (std::size_t i = 0; i < b.stack_depth && count_ < room; ++i)
                count_ += symbolize_frames(b.stack[i], syms_ + count_, room - count_);
        } else if (b.caller) {
            count_ = symbolize_frames(b.caller, syms_, room);
        }
        for (std::size_t i = 0; i < count_; ++i) {
            const symbol_info& s = syms_[i];
            views_[i] = frame_view{s.function, s.raw_name, s.file, s.line, s.module, other_path(s.module)};
        }
        has_site_ = b.location != nullptr;
        if (has_site_) {
            const source_location& at = *b.location;
            site_ = frame_view{at.function ? at.function : "",
                               nullptr,
                               at.file ? at.file : "",
                               static_cast<unsigned>(at.line > 0 ? at.line : 0),
                               "",
                               nullptr};
        }
    }

    const frame_view* frames() const noexcept { return views_; }
    std::size_t count() const noexcept { return count_; }
    const frame_view* site() const noexcept { return has_site_ ? &site_ : nullptr; }

private:
    // A module the loader names by a relative path is the executable (or a library opened by
    // one): its absolute path too, when its last part is the executable's.
    const char* other_path(const char* module) const noexcept {
        if (!module[0] || module[0] == '/' || !exe_[0]) return nullptr;
        return std::strcmp(base_name(module), base_name(exe_)) == 0 ? exe_ : nullptr;
    }

    symbol_info* syms_;
    frame_view* views_;
    std::size_t count_;
    bool has_site_;
    frame_view site_;
    char exe_[max_path_length + 1];
};

// The first entry of the files listed now that suppresses such a block, or null.
inline suppression* find_suppression(block_kind kind, leak_kind loss, const stack_names& names) noexcept {
    for (suppression_file* f = first_suppression_file(); f; f = next_suppression_file(f))
        for (std::size_t i = 0; i < f->entries.count; ++i)
            if (entry_matches(*f, f->entries.items[i], kind, loss, names.frames(), names.count(), names.site()))
                return &f->entries.items[i];
    return nullptr;
}

// Blocks with the same key have the same frames: the same stack record, else the same macro
// site, else the same caller.
inline const void* stack_key(const block_info& b) noexcept {
    if (b.stack) return b.stack;
    if (b.location) return b.location;
    return b.caller;
}

// Takes out of `list` the blocks an entry suppresses (the others keep their order), and with
// `tally` counts each on its entry (print_suppressions). `removed`, when given (indexed by
// leak_kind), gets what went, per kind of loss. Returns the number of blocks taken out. Nothing
// is matched when no entry is loaded, or when raw memory runs out (the blocks are then reported:
// a leak is never hidden by mistake).
inline std::size_t drop_suppressed(block_list& list, block_totals* removed = nullptr, bool tally = true) noexcept {
    if (!suppressions_loaded() || list.count == 0 || !list.items) return 0;
    struct keyed {
        const void* key;
        std::size_t index;
    };
    keyed* order = static_cast<keyed*>(raw_alloc(list.count * sizeof(keyed)));
    unsigned char* gone = static_cast<unsigned char*>(raw_calloc(list.count));
    stack_names names;
    std::size_t dropped = 0;
    if (order && gone && names.ok()) {
        for (std::size_t i = 0; i < list.count; ++i) order[i] = keyed{stack_key(list.items[i]), i};
        std::sort(order, order + list.count,
                  [](const keyed& a, const keyed& b) { return a.key != b.key ? a.key < b.key : a.index < b.index; });
        for (std::size_t i = 0; i < list.count;) {
            std::size_t j = i;
            while (j < list.count && order[j].key == order[i].key) ++j;
            names.name(list.items[order[i].index]);
            // Within one stack, the answer depends only on the allocation kind (the allocator's
            // frame) and the kind of loss (match-leak-kinds).
            suppression* answer[16][5] = {};
            bool known[16][5] = {};
            for (std::size_t k = i; k < j; ++k) {
                const block_info& b = list.items[order[k].index];
                unsigned const ak = static_cast<unsigned>(b.kind) & 15u;
                unsigned const lk = static_cast<unsigned>(b.loss) <= 4 ? static_cast<unsigned>(b.loss) : 0u;
                if (!known[ak][lk]) {
                    answer[ak][lk] = find_suppression(b.kind, b.loss, names);
                    known[ak][lk] = true;
                }
                suppression* const s = answer[ak][lk];
                if (!s) continue;
                gone[order[k].index] = 1;
                ++dropped;
                if (tally) {
                    __atomic_fetch_add(&s->hit_blocks, std::size_t(1), __ATOMIC_RELAXED);
                    __atomic_fetch_add(&s->hit_bytes, b.size, __ATOMIC_RELAXED);
                }
                if (removed) {
                    ++removed[lk].blocks;
                    removed[lk].bytes += b.size;
                }
            }
            i = j;
        }
        std::size_t kept = 0;
        list.bytes = 0;
        for (std::size_t i = 0; i < list.count; ++i) {
            if (gone[i]) continue;
            list.items[kept++] = list.items[i];
            list.bytes += list.items[i].size;
        }
        list.count = kept;
    }
    raw_free(order);
    raw_free(gone);
    return dropped;
}

// The exit report's list (collect_checked) and the leak check's totals: suppressed blocks leave
// both, and are counted apart; then the blocks collected only to be matched (lost kinds the
// report does not list) leave the list. `tally`: as drop_suppressed's (check_leaks() counts
// nothing on the entries: it is a query).
inline void suppress_checked(block_list& list, reach_totals& totals, bool tally = true) noexcept {
    block_totals removed[5] = {};
    drop_suppressed(list, removed, tally);
    for (unsigned k = 1; k <= 4; ++k) {
        totals.blocks[k] -= removed[k].blocks;
        totals.bytes[k] -= removed[k].bytes;
        totals.suppressed_blocks += removed[k].blocks;
        totals.suppressed_bytes += removed[k].bytes;
    }
    std::size_t kept = 0;
    list.bytes = 0;
    for (std::size_t i = 0; i < list.count; ++i) {
        if (!listed_kind(list.items[i].loss)) continue;
        list.items[kept++] = list.items[i];
        list.bytes += list.items[i].size;
    }
    list.count = kept;
}

// print_suppressions=1: the entries that matched, with the blocks and bytes each took out of a
// report, a scope's or a repeat check's failure over the whole run (a block a scope and then the
// exit report both matched counts twice), in LeakSanitizer's table.
inline void write_suppressions_used(fd_writer& out) noexcept {
    if (!option_print_suppressions() || !first_suppression_file()) return;
    bool any = false;
    for (suppression_file* f = first_suppression_file(); f; f = next_suppression_file(f))
        for (std::size_t i = 0; i < f->entries.count; ++i) {
            const suppression& s = f->entries.items[i];
            std::size_t const blocks = __atomic_load_n(&s.hit_blocks, __ATOMIC_RELAXED);
            if (!blocks) continue;
            if (!any) out.printf("leakguard: suppressions used:\nleakguard:   blocks      bytes suppression\n");
            any = true;
            out.printf("leakguard: %8zu %10zu %s%s (%s:%u)\n", blocks, __atomic_load_n(&s.hit_bytes, __ATOMIC_RELAXED),
                       s.valgrind ? "" : "leak:", s.name, f->path, s.line);
        }
    if (!any) out.printf("leakguard: suppressions used: none\n");
}

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_REPORT_SUPPRESSIONS_HPP_INCLUDED
// #include "leakguard/detail/report/json_report.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// report/json_report.hpp: the report for tools - every leaked block (with its call stack, each
// frame named), the failed scopes and the heap errors - as one JSON document (docs/report-format.md: "JSON
// report"). Runs with tracking suspended and allocates only raw memory.
#ifndef LEAKGUARD_DETAIL_REPORT_JSON_REPORT_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REPORT_JSON_REPORT_HPP_INCLUDED

#include <cstddef> // std::size_t
#include <cstdio>  // std::snprintf

// #include "leakguard/api.hpp" (inlined)
// #include "leakguard/detail/core/options.hpp" (inlined)
// #include "leakguard/detail/core/platform.hpp" (inlined)
// #include "leakguard/detail/symbolize/site_rules.hpp" (inlined)
// #include "leakguard/detail/symbolize/symbolize.hpp" (inlined)
// #include "leakguard/detail/version.hpp" (inlined)
// #include "leakguard/detail/report/baseline.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// report/baseline.hpp: a report against a baseline (docs/report-format.md, "Baselines") - the loss
// records whose fingerprints the baseline file lists are known: listed, marked, and left out of
// the exit status; only new records fail the run - and the writing of a baseline from a report.
// Runs with tracking suspended and allocates only raw memory.
#ifndef LEAKGUARD_DETAIL_REPORT_BASELINE_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REPORT_BASELINE_HPP_INCLUDED

#include <cstddef>  // std::size_t
#include <unistd.h> // close

// #include "leakguard/detail/core/baseline_file.hpp" (inlined)
// #include "leakguard/detail/core/options.hpp" (inlined)
// #include "leakguard/detail/core/platform.hpp" (inlined)
// #include "leakguard/detail/core/report_stream.hpp" (inlined)
// #include "leakguard/detail/core/text.hpp" (inlined)
// #include "leakguard/detail/report/leak_groups.hpp" (inlined)
// #include "leakguard/detail/report/loss_records.hpp" (inlined)
// #include "leakguard/detail/report/site_text.hpp" (inlined)

namespace leakguard {
namespace detail {

// What a baseline made of a report's records that fail the run.
struct baseline_totals {
    const baseline_file* file; // null: no baseline in use
    std::size_t known_records;
    std::size_t known_blocks;
    std::size_t known_bytes;
    std::size_t new_records;
};

// Whether record g is of a kind that fails the run (leak_kinds): only those are baselined.
inline bool record_fails(const grouped_leaks& leaks, std::size_t g) noexcept {
    return failing_kind(leaks.lead(leaks.groups()[g]).loss);
}

// Marks the records the baseline in use knows, and counts them.
inline baseline_totals apply_baseline(loss_records& records, const grouped_leaks& leaks) noexcept {
    baseline_totals t = {current_baseline(), 0, 0, 0, 0};
    for (std::size_t g = 0; g < leaks.group_count(); ++g) {
        if (!record_fails(leaks, g)) continue;
        if (t.file && records.ok() && baseline_knows(*t.file, records.fingerprint(g))) {
            records.mark_known(g);
            ++t.known_records;
            t.known_blocks += leaks.groups()[g].count;
            t.known_bytes += leaks.groups()[g].bytes;
        } else {
            ++t.new_records;
        }
    }
    return t;
}

// Writes every failing record's fingerprint to `path`, one a line, each with a comment naming it
// (the loss, the site, the amount) so that a reviewer of the file can tell what it accepts.
inline void write_baseline_file(const char* path, const loss_records& records, const grouped_leaks& leaks) noexcept {
    if (!records.ok() && leaks.group_count() > 0) {
        fd_writer(report_fd())
            .printf("leakguard: warning: no memory to name the loss records; baseline '%s' not "
                    "written\n",
                    path);
        return;
    }
    int const fd = open_for_writing(path);
    if (fd < 0) {
        fd_writer(report_fd()).printf("leakguard: warning: cannot write write_baseline '%s'\n", path);
        return;
    }
    {
        fd_writer out(fd);
        out.put("# leakguard baseline: the loss records known when it was written (docs/report-format.md, "
                "\"Baselines\")\n");
        for (std::size_t g = 0; g < leaks.group_count(); ++g) {
            if (!record_fails(leaks, g)) continue;
            const leak_group& grp = leaks.groups()[g];
            symbol_info sym;
            code_place const site = site_place(leaks.lead(grp), sym);
            char fp[17];
            format_fingerprint(records.fingerprint(g), fp);
            out.printf("%s  # %s: %s %s:%u, %zu %s in %zu %s\n", fp, loss_phrase(leaks.lead(grp).loss) + 1,
                       site.function ? site.function : "?", site.file ? base_name(site.file) : "?", site.line,
                       grp.bytes, plural(grp.bytes, "byte", "bytes"), grp.count, plural(grp.count, "block", "blocks"));
        }
    }
    ::close(fd);
}

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_REPORT_BASELINE_HPP_INCLUDED
// #include "leakguard/detail/report/error_report.hpp" (inlined)
// #include "leakguard/detail/report/failures.hpp" (inlined)
// #include "leakguard/detail/report/json_writer.hpp" (inlined)
// #include "leakguard/detail/report/collect.hpp" (inlined)
// #include "leakguard/detail/report/leak_groups.hpp" (inlined)
// #include "leakguard/detail/report/loss_records.hpp" (inlined)
// #include "leakguard/detail/report/site_text.hpp" (inlined)

namespace leakguard {
namespace detail {

// One frame of a "stack" array: {"function", "file", "line", "module", "offset", "address", "inlined"}.
inline void json_frame(json_writer& json, const symbol_info& sym) noexcept {
    json.begin_object();
    json.key("function").string(sym.function[0] ? sym.function : nullptr);
    json.key("file").string(sym.file[0] ? sym.file : nullptr);
    json.key("line");
    if (sym.file[0]) json.number(sym.line);
    else json.null();
    json.key("module").string(sym.module[0] ? sym.module : nullptr);
    json.key("offset");
    if (sym.module[0]) json.hex(sym.offset);
    else json.null();
    json.key("address").address(sym.address);
    json.key("inlined").boolean(sym.inlined);
    json.end_object();
}

// One leaked block; `sym` names its group's site, `frames` its stack (`frame_count` of them).
inline void json_leak(json_writer& json, const block_info& b, const symbol_info& sym, const symbol_info* frames,
                      std::size_t frame_count) noexcept {
    json.new_line();
    json.begin_object();
    json.key("address").address(b.address);
    json.key("size").number(b.size);
    json.key("kind").string(kind_name(b.kind));
    json.key("loss").string(leak_kind_name(b.loss));
    if (b.indirect_bytes) json.key("indirect_bytes").number(b.indirect_bytes);
    json.key("seq").number(b.seq);
    json.key("thread").number(b.thread);
    json.key("file").string(b.location ? b.location->file : (sym.file[0] ? sym.file : nullptr));
    json.key("line");
    if (b.location) json.number(b.location->line);
    else if (sym.file[0]) json.number(sym.line);
    else json.null();
    json.key("function");
    if (b.location && b.location->function && b.location->function[0]) json.string(b.location->function);
    else json.string(sym.function[0] ? sym.function : nullptr);
    json.key("caller");
    if (b.stack && b.stack_depth > 0) json.address(b.stack[0]);
    else if (b.caller) json.address(b.caller);
    else json.null();
    json.key("module").string(sym.module[0] ? sym.module : nullptr);
    json.key("offset");
    if (sym.module[0]) json.hex(sym.offset);
    else json.null();
    if (frames && b.stack && b.stack_depth > 1) {
        json.key("stack");
        json.begin_array();
        for (std::size_t f = 0; f < frame_count; ++f) json_frame(json, frames[f]);
        json.end_array();
    }
    json.end_object();
}

// The "records" array: each loss record with its site, totals, fingerprint and paths (each with
// its frames, counts, and its blocks' sequence numbers and addresses, oldest first).
inline void write_json_records(json_writer& json, const grouped_leaks& leaks, const loss_records& records) noexcept {
    std::size_t const frame_room = std::size_t(4) * max_stack_depth;
    symbol_info* frames = static_cast<symbol_info*>(raw_alloc(frame_room * sizeof(symbol_info)));
    for (std::size_t r = 0; records.ok() && r < records.count(); ++r) {
        const leak_group& grp = leaks.groups()[r];
        const block_info& lead = leaks.lead(grp);
        symbol_info site;
        code_place const place = site_place(lead, site);
        char fp[17];
        format_fingerprint(records.fingerprint(r), fp);
        json.new_line();
        json.begin_object();
        json.key("number").number(records.number(r));
        json.key("fingerprint").string(fp);
        json.key("known").boolean(records.known(r));
        json.key("loss").string(leak_kind_name(lead.loss));
        json.key("kind").string(kind_name(lead.kind));
        json.key("function").string(place.function);
        json.key("file").string(place.file);
        json.key("line");
        if (place.line) json.number(place.line);
        else json.null();
        json.key("blocks").number(grp.count);
        json.key("bytes").number(grp.bytes);
        json.key("indirect_bytes").number(grp.indirect_bytes);
        json.key("paths");
        json.begin_array();
        for (std::size_t p = 0; p < records.path_count(r); ++p) {
            const record_path& path = records.path(r, p);
            json.begin_object();
            json.key("blocks").number(path.count);
            json.key("bytes").number(path.bytes);
            json.key("seqs");
            json.begin_array();
            for (std::size_t i = 0; i < path.count; ++i) json.number(records.block(path, i).seq);
            json.end_array();
            json.key("addresses");
            json.begin_array();
            for (std::size_t i = 0; i < path.count; ++i) json.address(records.block(path, i).address);
            json.end_array();
            json.key("stack");
            json.begin_array();
            const block_info& first = records.block(path, 0);
            if (frames && first.stack && first.stack_depth > 0) {
                std::size_t const n = symbolize_stack_inlined(first.stack, first.stack_depth, frames, frame_room);
                for (std::size_t f = 0; f < n; ++f) json_frame(json, frames[f]);
            }
            json.end_array();
            json.end_object();
        }
        json.end_array();
        json.end_object();
    }
    raw_free(frames);
}

// The "leaks" array's items: every block of `leaks`, group by group, each stack named once.
inline void write_json_leaks(json_writer& json, const grouped_leaks& leaks) noexcept {
    // Room for every return address and some calls inlined at each (1.5 KiB a frame).
    std::size_t const frame_room = std::size_t(4) * max_stack_depth;
    symbol_info* frames = static_cast<symbol_info*>(raw_alloc(frame_room * sizeof(symbol_info)));
    std::size_t named_count = 0;
    for (std::size_t g = 0; g < leaks.group_count(); ++g) {
        const leak_group& grp = leaks.groups()[g];
        symbol_info sym;
        symbolize_site(leaks.lead(grp), sym);
        // Stacks, each named once: the blocks of a group share a site, and mostly a stack.
        void* const* named = nullptr;
        for (std::size_t i = grp.first; i < grp.first + grp.count; ++i) {
            const block_info& b = leaks.block(i);
            if (frames && b.stack && b.stack != named) {
                named_count = symbolize_stack_inlined(b.stack, b.stack_depth, frames, frame_room);
                named = b.stack;
            }
            json_leak(json, b, sym, frames, named_count);
        }
    }
    raw_free(frames);
}

// Opens a JSON document of leakguard's (the report, a snapshot listing): its format version and
// the tool's name and version.
inline void begin_json_document(json_writer& json) noexcept {
    json.begin_object();
    json.key("version").number(1);
    json.key("tool").string("leakguard");
    json.key("tool_version").string(LEAKGUARD_VERSION_STRING);
}

// The "summary" object. `reason`: why the check is incomplete, if it is ("out_of_memory",
// "interrupted": report/interrupted_report.hpp).
inline void write_json_summary(json_writer& json, const statistics& st, const reach_totals& totals,
                               const block_totals& failing, const baseline_totals& known, const char* reason) noexcept {
    json.new_line();
    json.key("summary");
    json.begin_object();
    json.key("leaked_blocks").number(failing.blocks);
    json.key("leaked_bytes").number(failing.bytes);
    static const char* const kinds[] = {"", "definitely_lost", "indirectly_lost", "possibly_lost", "reachable"};
    for (unsigned k = 1; k <= 4; ++k) {
        char name[40];
        std::snprintf(name, sizeof name, "%s_blocks", kinds[k]);
        json.key(name).number(totals.blocks[k]);
        std::snprintf(name, sizeof name, "%s_bytes", kinds[k]);
        json.key(name).number(totals.bytes[k]);
    }
    json.key("complete").boolean(totals.complete);
    json.key("incomplete_reason").string(reason);
    json.key("unjudged_blocks").number(totals.blocks[0]);
    json.key("unjudged_bytes").number(totals.bytes[0]);
    json.key("unpaused_threads").number(totals.unpaused_threads);
    json.key("allocations").number(st.allocations);
    json.key("frees").number(st.frees);
    json.key("peak_bytes").number(st.peak_bytes);
    json.key("live_blocks").number(st.live_blocks);
    json.key("live_bytes").number(st.live_bytes);
    json.key("suppressed_blocks").number(totals.suppressed_blocks);
    json.key("suppressed_bytes").number(totals.suppressed_bytes);
    json.key("baseline").string(known.file ? known.file->path : nullptr);
    json.key("known_records").number(known.known_records);
    json.key("known_blocks").number(known.known_blocks);
    json.key("known_bytes").number(known.known_bytes);
    json.key("new_records").number(known.new_records);
    json.end_object();
}

// "scope_failures" and "errors", the document's last arrays. `wait`: false on a thread that may hold
// their locks itself or be inside malloc (report/interrupted_report.hpp): the failures are listed
// if their lock is free, the errors (whose sites are named) not at all.
inline void write_json_failures_and_errors(json_writer& json, bool wait) noexcept {
    json.new_line();
    json.key("scope_failures");
    json.begin_array();
    if (wait) g_failures.lock.lock();
    if (wait || g_failures.lock.try_lock()) {
        for (std::size_t i = 0; i < g_failures.count; ++i) {
            const failure_record& r = g_failures.records[i];
            json.new_line();
            json.begin_object();
            json.key("name").string(r.name);
            json.key("file").string(r.file);
            json.key("line").number(r.line);
            json.key("leaked_blocks").number(r.leaked_blocks);
            json.key("leaked_bytes").number(r.leaked_bytes);
            json.key("rule").string(r.rule == scope_rule::lost ? "lost" : "strict");
            json.end_object();
        }
        g_failures.lock.unlock();
    }
    json.end_array();

    json.new_line();
    json.key("errors");
    json.begin_array();
    if (wait) write_json_errors(json); // naming their sites may need malloc
    json.end_array();
    json.end_object();
}

inline void write_json(fd_writer& out, const grouped_leaks& leaks, const loss_records& records, const statistics& st,
                       const reach_totals& totals, const block_totals& failing, const baseline_totals& known) noexcept {
    json_writer json(out);
    begin_json_document(json);
    write_json_summary(json, st, totals, failing, known, totals.complete ? nullptr : "out_of_memory");

    json.new_line();
    json.key("leaks");
    json.begin_array();
    write_json_leaks(json, leaks);
    json.end_array();

    json.new_line();
    json.key("records");
    json.begin_array();
    write_json_records(json, leaks, records);
    json.end_array();

    write_json_failures_and_errors(json, true);
}

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_REPORT_JSON_REPORT_HPP_INCLUDED
// #include "leakguard/detail/report/text_report.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// report/text_report.hpp: the report for people, on the report stream - a summary line, the leak
// groups (report=full) and the counts of failed scopes and heap errors.
#ifndef LEAKGUARD_DETAIL_REPORT_TEXT_REPORT_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REPORT_TEXT_REPORT_HPP_INCLUDED

#include <cstddef> // std::size_t
#include <cstdint> // std::uint64_t

// #include "leakguard/api.hpp" (inlined)
// #include "leakguard/detail/core/options.hpp" (inlined)
// #include "leakguard/detail/core/platform.hpp" (inlined)
// #include "leakguard/detail/core/text.hpp" (inlined)
// #include "leakguard/detail/report/baseline.hpp" (inlined)
// #include "leakguard/detail/report/collect.hpp" (inlined)
// #include "leakguard/detail/report/group_text.hpp" (inlined)
// #include "leakguard/detail/report/leak_groups.hpp" (inlined)
// #include "leakguard/detail/report/loss_records.hpp" (inlined)

namespace leakguard {
namespace detail {

// What a report found; decides the exit status.
struct report_outcome {
    std::size_t leaked_blocks; // of the failing kinds (leak_kinds)
    std::size_t failed_scopes;
    std::uint64_t errors;
};

// The blocks of the failing kinds (and unjudged ones) the groups hold: fewer than the check
// counted when memory ran out while they were copied or grouped.
inline std::size_t listed_failing_blocks(const grouped_leaks& leaks) noexcept {
    std::size_t n = 0;
    for (std::size_t g = 0; g < leaks.group_count(); ++g) {
        leak_kind const k = leaks.lead(leaks.groups()[g]).loss;
        if (failing_kind(k)) n += leaks.groups()[g].count;
    }
    return n;
}

// "B bytes in N blocks", for the summary lines.
inline void format_amount(char* out, std::size_t size, std::size_t bytes, std::size_t blocks) noexcept {
    std::snprintf(out, size, "%zu %s in %zu %s", bytes, plural(bytes, "byte", "bytes"), blocks,
                  plural(blocks, "block", "blocks"));
}

// `when` is "at exit" or "now". `totals`: the leak check's counts per kind; `failing`: those of
// the kinds that fail the run.
inline void write_text_report(fd_writer& out, const char* when, const grouped_leaks& leaks, const loss_records& records,
                              const statistics& st, const reach_totals& totals, const block_totals& failing,
                              const baseline_totals& known, const report_outcome& outcome) noexcept {
    unsigned const reachable = static_cast<unsigned>(leak_kind::reachable);
    char amount[96];
    // ", N bytes in M blocks suppressed" (docs/suppressions.md), after what the line counts.
    char suppressed[128] = "";
    if (totals.suppressed_blocks) {
        format_amount(amount, sizeof amount, totals.suppressed_bytes, totals.suppressed_blocks);
        std::snprintf(suppressed, sizeof suppressed, ", %s suppressed", amount);
    }
    if (!totals.complete) { // what the check could not judge fails the run; it is not called lost
        format_amount(amount, sizeof amount, totals.bytes[0], totals.blocks[0]);
        out.printf("leakguard: report incomplete: memory ran out during the leak check; %s alive %s could not "
                   "be judged and count as leaks%s (%llu allocations, %llu frees, peak %llu bytes)\n",
                   amount, when, suppressed, static_cast<unsigned long long>(st.allocations),
                   static_cast<unsigned long long>(st.frees), static_cast<unsigned long long>(st.peak_bytes));
    } else if (failing.blocks == 0) {
        char still[128] = "";
        if (totals.blocks[reachable]) {
            format_amount(amount, sizeof amount, totals.bytes[reachable], totals.blocks[reachable]);
            std::snprintf(still, sizeof still, ", %s still reachable", amount);
        }
        out.printf("leakguard: no leaks %s%s%s (%llu allocations, %llu frees, peak %llu bytes)\n", when, still,
                   suppressed, static_cast<unsigned long long>(st.allocations),
                   static_cast<unsigned long long>(st.frees), static_cast<unsigned long long>(st.peak_bytes));
    } else {
        std::size_t sites = 0;
        for (std::size_t g = 0; g < leaks.group_count(); ++g)
            if (failing_kind(leaks.lead(leaks.groups()[g]).loss)) ++sites;
        format_amount(amount, sizeof amount, failing.bytes, failing.blocks);
        out.printf("leakguard: %s lost %s, from %zu allocation %s%s "
                   "(%llu allocations, %llu frees, peak %llu bytes)\n",
                   amount, when, sites, plural(sites, "site", "sites"), suppressed,
                   static_cast<unsigned long long>(st.allocations), static_cast<unsigned long long>(st.frees),
                   static_cast<unsigned long long>(st.peak_bytes));
    }
    // The four kinds, once anything is lost (a run that lost nothing keeps its one line).
    std::size_t lost = 0;
    for (unsigned k = 1; k <= 3; ++k) lost += totals.blocks[k];
    if (lost) {
        out.printf("leakguard: LEAK SUMMARY:");
        for (unsigned k = 1; k <= 4; ++k) {
            format_amount(amount, sizeof amount, totals.bytes[k], totals.blocks[k]);
            // group_text's words for the kind, without their leading space
            out.printf("%s %s: %s", k > 1 ? ";" : "", loss_phrase(static_cast<leak_kind>(k)) + 1, amount);
        }
        if (totals.suppressed_blocks) {
            format_amount(amount, sizeof amount, totals.suppressed_bytes, totals.suppressed_blocks);
            out.printf("; suppressed: %s", amount);
        }
        out.printf("\n");
    }
    if (known.file) {
        format_amount(amount, sizeof amount, known.known_bytes, known.known_blocks);
        out.printf("leakguard: baseline %s: %zu of %zu loss %s known (%s), %zu new\n", known.file->path,
                   known.known_records, known.known_records + known.new_records,
                   plural(known.known_records + known.new_records, "record", "records"), amount, known.new_records);
    }
    if (totals.unpaused_threads)
        out.printf("leakguard: warning: %zu %s did not stop for the leak check (blocking its signal?); "
                   "what only %s stack holds may be reported lost\n",
                   totals.unpaused_threads, plural(totals.unpaused_threads, "thread", "threads"),
                   totals.unpaused_threads == 1 ? "its" : "their");
    if (g_options.report == report_mode::full) {
        write_groups(out, leaks, report_layout, nullptr, &records);
        std::size_t const missing = failing.blocks - listed_failing_blocks(leaks);
        if (missing)
            out.printf("leakguard: report incomplete: %zu %s not listed (memory ran out)\n", missing,
                       plural(missing, "block", "blocks"));
    }
    if (outcome.failed_scopes)
        out.printf("leakguard: %zu %s failed (see above)\n", outcome.failed_scopes,
                   plural(outcome.failed_scopes, "scope", "scopes"));
    if (outcome.errors)
        out.printf("leakguard: %llu heap %s (see above)\n", static_cast<unsigned long long>(outcome.errors),
                   plural(static_cast<std::size_t>(outcome.errors), "error", "errors"));
}

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_REPORT_TEXT_REPORT_HPP_INCLUDED
// #include "leakguard/detail/core/uri.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// core/uri.hpp: file paths as URIs (RFC 3986), for the SARIF log: a path normalised by its text
// alone (the file system is not asked: the files a report names need not exist on this machine,
// and a symbolic link must not move a file out of the source tree), made relative to a root,
// percent-encoded. None allocates.
#ifndef LEAKGUARD_DETAIL_CORE_URI_HPP_INCLUDED
#define LEAKGUARD_DETAIL_CORE_URI_HPP_INCLUDED

#include <cstddef> // std::size_t
#include <cstring> // std::memcpy, std::strlen, std::strncmp

namespace leakguard {
namespace detail {

// Normalises `path` by its text: repeated '/' and "." parts go, ".." takes the part before it
// away (never above the root of an absolute path; kept at the start of a relative one), no '/' at
// the end: "/a/./b//../c/" -> "/a/c", "/" stays "/". False when the result does not fit `size`.
inline bool normalise_path(const char* path, char* out, std::size_t size) noexcept {
    bool const absolute = path[0] == '/';
    if (size < 2) return false;
    std::size_t used = 0;
    if (absolute) out[used++] = '/';
    std::size_t const base = used; // out[0, base) stays
    std::size_t removable = 0;     // parts in `out` a ".." can take away (not the leading ".."s)
    for (const char* p = path; *p;) {
        while (*p == '/') ++p;
        const char* end = p;
        while (*end && *end != '/') ++end;
        std::size_t const n = static_cast<std::size_t>(end - p);
        bool const dot = n == 1 && p[0] == '.', dot_dot = n == 2 && p[0] == '.' && p[1] == '.';
        if (n == 0 || dot) {
            p = end;
            continue;
        }
        if (dot_dot && (removable > 0 || absolute)) {
            if (removable > 0) {
                while (used > base && out[used - 1] != '/') --used;
                if (used > base) --used; // the '/' before the part
                --removable;
            }
            p = end;
            continue;
        }
        std::size_t const sep = used > base ? 1 : 0;
        if (used + sep + n >= size) return false;
        if (sep) out[used++] = '/';
        std::memcpy(out + used, p, n);
        used += n;
        if (!dot_dot) ++removable;
        p = end;
    }
    out[used] = '\0';
    return true;
}

// Whether a byte stays as it is in a URI's path: RFC 3986's unreserved characters, '/' and '+'
// (a sub-delimiter, common in directory names such as "c++"); every other byte is
// percent-encoded, a space as "%20", each byte of a UTF-8 sequence as its own "%XX".
inline bool uri_keeps(unsigned char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
           c == '_' || c == '~' || c == '/' || c == '+';
}

// Appends `path`, percent-encoded, to `out` at `used`. False when it does not fit.
inline bool append_uri_path(const char* path, char* out, std::size_t size, std::size_t& used) noexcept {
    static const char hex[] = "0123456789ABCDEF";
    for (const char* p = path; *p; ++p) {
        unsigned char const c = static_cast<unsigned char>(*p);
        std::size_t const need = uri_keeps(c) ? 1 : 3;
        if (used + need >= size) return false;
        if (need == 1) {
            out[used++] = *p;
        } else {
            out[used++] = '%';
            out[used++] = hex[c >> 4];
            out[used++] = hex[c & 15];
        }
    }
    out[used] = '\0';
    return true;
}

// The "file://" URI of an absolute path; with `directory`, ending with '/' (a base URI must, or
// the last part of the path is dropped when a relative reference is resolved against it).
inline bool file_uri(const char* absolute_path, bool directory, char* out, std::size_t size) noexcept {
    static const char scheme[] = "file://";
    std::size_t used = sizeof scheme - 1;
    if (size <= used) return false;
    std::memcpy(out, scheme, used + 1);
    if (!append_uri_path(absolute_path, out, size, used)) return false;
    if (directory && out[used - 1] != '/') {
        if (used + 1 >= size) return false;
        out[used++] = '/';
        out[used] = '\0';
    }
    return true;
}

// The URI of `file` for a location: relative to `root` when the file lies under it (then
// `relative` is true), else its absolute "file://" URI. `root`: a normalised absolute path, or
// empty (every file is then absolute). A relative `file` (a name the debug information gives
// without its directory) is taken as relative to the root. False when the file's path or URI
// does not fit its buffer.
inline bool artifact_uri(const char* root, const char* file, char* out, std::size_t size, bool& relative) noexcept {
    char path[1024];
    relative = false;
    if (!file[0] || !normalise_path(file, path, sizeof path)) return false;
    if (path[0] == '\0') return false; // "." and the like: no file named
    if (path[0] != '/') {
        std::size_t used = 0;
        relative = true;
        return append_uri_path(path, out, size, used);
    }
    std::size_t const n = std::strlen(root);
    bool const under = n > 0 && std::strncmp(path, root, n) == 0 && (n == 1 || path[n] == '/') && path[n] != '\0';
    if (!under) return file_uri(path, false, out, size);
    std::size_t used = 0;
    relative = true;
    return append_uri_path(path + (n == 1 ? 1 : n + 1), out, size, used);
}

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_CORE_URI_HPP_INCLUDED
// #include "leakguard/detail/report/sarif_report.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// report/sarif_report.hpp: the report for code-scanning tools - one SARIF 2.1.0 log
// (docs/report-format.md: "SARIF") to sarif_path, written where the JSON report is: one result per
// loss record (at its site's file:line relative to srcroot, each of its call paths a code flow,
// its fingerprint a partial fingerprint) and one per heap error (at the allocation, with the
// frees as related locations). Written by the one JSON writer; runs with tracking suspended and
// allocates only raw memory.
#ifndef LEAKGUARD_DETAIL_REPORT_SARIF_REPORT_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REPORT_SARIF_REPORT_HPP_INCLUDED

#include <cstdarg>  // va_list
#include <cstddef>  // std::size_t
#include <cstdint>  // std::uint64_t
#include <cstdio>   // std::snprintf, std::vsnprintf
#include <cstring>  // std::strcmp
#include <unistd.h> // close, getcwd

// #include "leakguard/block_info.hpp" (inlined)
// #include "leakguard/detail/core/options.hpp" (inlined)
// #include "leakguard/detail/core/platform.hpp" (inlined)
// #include "leakguard/detail/core/report_stream.hpp" (inlined)
// #include "leakguard/detail/core/sarif_paths.hpp" (inlined)
// #include "leakguard/detail/core/text.hpp" (inlined)
// #include "leakguard/detail/core/uri.hpp" (inlined)
// #include "leakguard/detail/heap/errors.hpp" (inlined)
// #include "leakguard/detail/symbolize/symbolize.hpp" (inlined)
// #include "leakguard/detail/version.hpp" (inlined)
// #include "leakguard/detail/report/collect.hpp" (inlined)
// #include "leakguard/detail/report/error_report.hpp" (inlined)
// #include "leakguard/detail/report/group_text.hpp" (inlined)
// #include "leakguard/detail/report/json_report.hpp" (inlined)
// #include "leakguard/detail/report/json_writer.hpp" (inlined)
// #include "leakguard/detail/report/leak_groups.hpp" (inlined)
// #include "leakguard/detail/report/loss_records.hpp" (inlined)
// #include "leakguard/detail/report/site_text.hpp" (inlined)

namespace leakguard {
namespace detail {

// The rules, in ruleIndex order: the loss kinds (leak_kind 1-4 at 0-3), then the heap errors
// (error_type's order, from 4 on). A loss kind's level follows the leak_kinds option.
struct sarif_rule {
    const char* id;
    const char* name;
    const char* description;
};
constexpr sarif_rule sarif_rules[] = {
    {"leakguard.definitely-lost", "DefinitelyLost", "Memory definitely lost: nothing points to the block any more."},
    {"leakguard.indirectly-lost", "IndirectlyLost",
     "Memory indirectly lost: only lost blocks point to the block (it is part of a lost structure)."},
    {"leakguard.possibly-lost", "PossiblyLost",
     "Memory possibly lost: only pointers into the block's middle lead to it."},
    {"leakguard.still-reachable", "StillReachable",
     "Memory still reachable at exit: never freed, but a chain of pointers from a root still leads to it."},
    {"leakguard.double-free", "DoubleFree", "A block was freed twice."},
    {"leakguard.invalid-free", "InvalidFree", "A pointer that is not the start of a live block was freed."},
    {"leakguard.alloc-dealloc-mismatch", "AllocDeallocMismatch",
     "A block was given back by a form that does not pair with its allocation (new[] by delete, new by free, ...)."},
    {"leakguard.heap-overflow", "HeapOverflow", "Bytes after the end of a block were overwritten."},
    {"leakguard.heap-underflow", "HeapUnderflow", "Bytes before the start of a block were overwritten."},
    {"leakguard.use-after-free", "UseAfterFree", "A block was written to after it was freed."},
    {"leakguard.heap-corruption", "HeapCorruption",
     "leakguard's own record of a block (a list link, its size or its site) was overwritten."},
};
constexpr std::size_t sarif_loss_rules = 4;
static_assert(sizeof sarif_rules / sizeof sarif_rules[0] ==
                  sarif_loss_rules + static_cast<std::size_t>(error_type::heap_corruption) + 1,
              "one SARIF rule per loss kind and per heap error type");

// The rule of a loss kind. Every block of a report was judged; an unjudged one would count as
// still reachable, as the report counts all blocks when the check runs out of memory.
inline std::size_t sarif_loss_rule(leak_kind k) noexcept {
    return k == leak_kind::unchecked ? 3 : static_cast<std::size_t>(k) - 1;
}
inline std::size_t sarif_error_rule(error_type t) noexcept { return sarif_loss_rules + static_cast<std::size_t>(t); }

// "error" for the loss kinds that fail the run (leak_kinds), "note" for the others.
inline const char* sarif_loss_level(leak_kind k) noexcept {
    return option_leak_kinds() & leak_kind_bit(k) ? "error" : "note";
}

// The base id of every relative location; the run's originalUriBaseIds says where it is.
constexpr const char* sarif_root_id = "SRCROOT";
// Room for a path's URI: every byte of the longest path percent-encoded, and the scheme.
constexpr std::size_t sarif_uri_size = 3 * (max_path_length + 1) + 16;

// srcroot as the locations use it (normalised, absolute): the option's value, else the directory
// the program started in, else the current one; empty when none is known (every location is then
// absolute).
inline void sarif_source_root(char* out, std::size_t size) noexcept {
    char cwd[max_path_length + 1];
    const char* root = g_srcroot[0] ? g_srcroot : g_start_directory;
    if (!root[0]) root = ::getcwd(cwd, sizeof cwd) ? cwd : "";
    if (root[0] != '/' || !normalise_path(root, out, size)) out[0] = '\0';
}

// Text built in a fixed buffer, cut where it runs out, for a message.
class text_buffer {
public:
    text_buffer() noexcept : used_(0) { text_[0] = '\0'; }
    __attribute__((format(printf, 2, 3))) void printf(const char* fmt, ...) noexcept {
        va_list args;
        va_start(args, fmt);
        int const n = std::vsnprintf(text_ + used_, sizeof text_ - used_, fmt, args);
        va_end(args);
        if (n > 0)
            used_ += static_cast<std::size_t>(n) < sizeof text_ - used_ ? static_cast<std::size_t>(n)
                                                                        : sizeof text_ - 1 - used_;
    }
    const char* c_str() const noexcept { return text_; }

private:
    char text_[site_text_size * 3];
    std::size_t used_;
};

// A place in a message: its function, else file:line, else module+offset.
inline void place_name(const code_place& place, const symbol_info& sym, const void* address, char* out,
                       std::size_t size) noexcept {
    if (place.function) std::snprintf(out, size, "%s", place.function);
    else if (place.file) std::snprintf(out, size, "%s:%u", place.file, place.line);
    else describe_symbol(sym, address, out, size);
}

// {"text": ...}
inline void sarif_message(json_writer& json, const char* text) noexcept {
    json.key("message");
    json.begin_object();
    json.key("text").string(text);
    json.end_object();
}

// One location object: the place's file and line as a physical location (relative to `root`
// with its uriBaseId when inside it; a place without a file: its module, no line), its function
// as a logical location, and `message` (null: none).
inline void sarif_location(json_writer& json, const char* root, const code_place& place, const char* message,
                           int id = -1) noexcept {
    json.begin_object();
    if (id >= 0) json.key("id").number(id);
    const char* const file = place.file ? place.file : place.module;
    char uri[sarif_uri_size];
    bool relative = false;
    if (file && artifact_uri(root, file, uri, sizeof uri, relative)) {
        json.key("physicalLocation");
        json.begin_object();
        json.key("artifactLocation");
        json.begin_object();
        json.key("uri").string(uri);
        if (relative) json.key("uriBaseId").string(sarif_root_id);
        json.end_object();
        if (place.file && place.line > 0) {
            json.key("region");
            json.begin_object();
            json.key("startLine").number(place.line);
            json.end_object();
        }
        json.end_object();
    }
    if (place.function) {
        json.key("logicalLocations");
        json.begin_array();
        json.begin_object();
        json.key("fullyQualifiedName").string(place.function);
        json.key("kind").string("function");
        json.end_object();
        json.end_array();
    }
    if (message) sarif_message(json, message);
    json.end_object();
}

// tool.driver: leakguard, its version, the rules.
inline void sarif_driver(json_writer& json) noexcept {
    json.key("tool");
    json.begin_object();
    json.key("driver");
    json.begin_object();
    json.key("name").string("leakguard");
    json.key("version").string(LEAKGUARD_VERSION_STRING);
    json.key("rules");
    json.begin_array();
    for (std::size_t i = 0; i < sizeof sarif_rules / sizeof sarif_rules[0]; ++i) {
        const sarif_rule& rule = sarif_rules[i];
        bool const loss = i < sarif_loss_rules;
        json.new_line();
        json.begin_object();
        json.key("id").string(rule.id);
        json.key("name").string(rule.name);
        json.key("shortDescription");
        json.begin_object();
        json.key("text").string(rule.description);
        json.end_object();
        json.key("defaultConfiguration");
        json.begin_object();
        json.key("level").string(loss ? sarif_loss_level(static_cast<leak_kind>(i + 1)) : "error");
        json.end_object();
        json.key("properties");
        json.begin_object();
        json.key("tags");
        json.begin_array();
        json.string("memory");
        json.string(loss ? "leak" : "heap-error");
        json.end_array();
        json.end_object();
        json.end_object();
    }
    json.end_array();
    json.end_object();
    json.end_object();
}

// One path of record `r` as a code flow: its frames from main (or the outermost) down to the
// allocation, as a debugger lists them from the bottom up, what starts main left out as the
// text report leaves it out. `frames`: room for `room` (> 0) named frames.
inline void sarif_code_flow(json_writer& json, const char* root, const loss_records& records, std::size_t r,
                            std::size_t p, symbol_info* frames, std::size_t room) noexcept {
    const record_path& path = records.path(r, p);
    const block_info& first = records.block(path, 0);
    std::size_t n = 0;
    if (first.stack && first.stack_depth > 0) {
        n = symbolize_stack_inlined(first.stack, first.stack_depth, frames, room);
        for (std::size_t f = 0; f < n; ++f)
            if (std::strcmp(frames[f].function, "main") == 0) n = f + 1;
    }
    if (n == 0) { // no stack: the site alone
        frames[0] = symbol_info();
        symbolize_site(first, frames[0]);
        n = 1;
    }
    text_buffer what;
    what.printf("%zu %s (%zu %s) by path %zu of %zu", path.count, plural(path.count, "block", "blocks"), path.bytes,
                plural(path.bytes, "byte", "bytes"), p + 1, records.path_count(r));
    json.new_line();
    json.begin_object();
    sarif_message(json, what.c_str());
    json.key("threadFlows");
    json.begin_array();
    json.begin_object();
    json.key("locations");
    json.begin_array();
    for (std::size_t k = 0; k < n; ++k) {
        const symbol_info& sym = frames[n - 1 - k];
        code_place const place = place_of(sym);
        char name[site_text_size];
        place_name(place, sym, sym.address, name, sizeof name);
        json.begin_object();
        json.key("location");
        sarif_location(json, root, place, name);
        json.key("nestingLevel").number(k);
        json.end_object();
    }
    json.end_array();
    json.end_object();
    json.end_array();
    json.end_object();
}

// The results of the loss records, largest first as the text report lists them.
inline void sarif_record_results(json_writer& json, const char* root, const grouped_leaks& leaks,
                                 const loss_records& records) noexcept {
    std::size_t const room = std::size_t(4) * max_stack_depth;
    symbol_info* frames = static_cast<symbol_info*>(raw_alloc(room * sizeof(symbol_info)));
    for (std::size_t r = 0; r < leaks.group_count(); ++r) {
        const leak_group& grp = leaks.groups()[r];
        const block_info& lead = leaks.lead(grp);
        symbol_info site;
        code_place const place = site_place(lead, site);
        char site_name[site_text_size];
        place_name(place, site, lead.caller, site_name, sizeof site_name);
        char bytes[96];
        group_bytes_text(grp, bytes, sizeof bytes);
        text_buffer message; // the text report's group line, without what changes from run to run
        message.printf("%s in %zu %s%s (%s) allocated at %s", bytes, grp.count, plural(grp.count, "block", "blocks"),
                       loss_phrase(lead.loss), kind_name(lead.kind), site_name);
        json.new_line();
        json.begin_object();
        std::size_t const rule = sarif_loss_rule(lead.loss);
        json.key("ruleId").string(sarif_rules[rule].id);
        json.key("ruleIndex").number(rule);
        json.key("level").string(sarif_loss_level(lead.loss));
        sarif_message(json, message.c_str());
        json.key("locations");
        json.begin_array();
        sarif_location(json, root, place, nullptr);
        json.end_array();
        if (records.ok() && frames) {
            json.key("codeFlows");
            json.begin_array();
            for (std::size_t p = 0; p < records.path_count(r); ++p)
                sarif_code_flow(json, root, records, r, p, frames, room);
            json.end_array();
        }
        if (records.ok()) {
            char fp[17];
            format_fingerprint(records.fingerprint(r), fp);
            json.key("partialFingerprints");
            json.begin_object();
            json.key("leakguard/v1").string(fp);
            json.end_object();
        }
        json.key("properties");
        json.begin_object();
        json.key("blocks").number(grp.count);
        json.key("bytes").number(grp.bytes);
        json.key("indirectBytes").number(grp.indirect_bytes);
        json.key("kind").string(kind_name(lead.kind));
        json.key("loss").string(leak_kind_name(lead.loss));
        json.end_object();
        json.end_object();
    }
    raw_free(frames);
}

// The sites an error names, each symbolized once: the allocation, the free that found it, and the
// first free of a block freed twice.
struct error_places {
    symbol_info alloc_sym, free_sym, first_sym;
    code_place alloc_at, free_at, first_at;
    explicit error_places(const error_record& e) noexcept
        : alloc_sym(), free_sym(), first_sym(), alloc_at(), free_at(), first_at() {
        if (e.block_known) alloc_at = code_place_of(e.alloc_caller, e.alloc_location, alloc_sym);
        if (e.has_free) free_at = code_place_of(e.free_caller, e.free_location, free_sym);
        if (e.has_first_free) first_at = code_place_of(e.first_free_caller, e.first_free_location, first_sym);
    }
};

// An error's fingerprint: its type, the block's kind and its sites, named as a loss record's
// (function, file name, line): the same from run to run and machine to machine.
inline std::uint64_t error_fingerprint(const error_record& e, const error_places& at) noexcept {
    fingerprint_hash h;
    h.add(error_type_name(e.type));
    h.add(e.block_known ? kind_name(e.kind) : "");
    if (e.has_form) h.add(dealloc_name(e.form));
    const code_place* const sites[] = {e.block_known ? &at.alloc_at : nullptr, e.has_free ? &at.free_at : nullptr,
                                       e.has_first_free ? &at.first_at : nullptr};
    for (const code_place* s : sites) {
        if (s) hash_frame(h, s->function, s->file, s->line);
        else h.add("");
    }
    return h.value();
}

// One heap error's result: at the allocation (the free, for a pointer leakguard does not know),
// the frees as related locations.
inline void sarif_error_result(json_writer& json, const char* root, const error_record& e) noexcept {
    error_places const at(e);
    char alloc_name[site_text_size] = "", free_name[site_text_size] = "", first_name[site_text_size] = "";
    if (e.block_known) place_name(at.alloc_at, at.alloc_sym, e.alloc_caller, alloc_name, sizeof alloc_name);
    if (e.has_free) place_name(at.free_at, at.free_sym, e.free_caller, free_name, sizeof free_name);
    if (e.has_first_free) place_name(at.first_at, at.first_sym, e.first_free_caller, first_name, sizeof first_name);
    char offset[64];
    error_offset_text(e, offset, sizeof offset);
    // The text report's error line (print_error), functions for sites and no addresses.
    text_buffer message;
    message.printf("%s: ", error_type_name(e.type));
    if (e.block_known) message.printf("%zu bytes (%s) allocated at %s", e.size, kind_name(e.kind), alloc_name);
    else if (e.type == error_type::heap_corruption) message.printf("the block at %p: %s", e.address, e.what);
    else message.printf("a pointer to no block of leakguard's");
    message.printf("%s", offset);
    if (e.has_first_free) message.printf(", first freed at %s", first_name);
    if (e.has_form) message.printf(", given back by %s at %s", dealloc_name(e.form), free_name);
    else if (e.has_free) message.printf(", after it was freed at %s", free_name);
    else message.printf(", found by a heap check");

    json.new_line();
    json.begin_object();
    std::size_t const rule = sarif_error_rule(e.type);
    json.key("ruleId").string(sarif_rules[rule].id);
    json.key("ruleIndex").number(rule);
    json.key("level").string("error");
    sarif_message(json, message.c_str());
    json.key("locations");
    json.begin_array();
    if (e.block_known) sarif_location(json, root, at.alloc_at, nullptr);
    else if (e.has_free) sarif_location(json, root, at.free_at, nullptr);
    json.end_array();
    json.key("relatedLocations");
    json.begin_array();
    int id = 0;
    if (e.has_free && e.block_known) {
        text_buffer what;
        if (e.type == error_type::double_free && e.has_form) what.printf("freed again here (%s)", dealloc_name(e.form));
        else if (e.has_form) what.printf("given back here by %s", dealloc_name(e.form));
        else what.printf("freed here");
        sarif_location(json, root, at.free_at, what.c_str(), ++id);
    }
    if (e.has_first_free) sarif_location(json, root, at.first_at, "first freed here", ++id);
    json.end_array();
    char fp[17];
    format_fingerprint(error_fingerprint(e, at), fp);
    json.key("partialFingerprints");
    json.begin_object();
    json.key("leakguard/v1").string(fp);
    json.end_object();
    if (e.block_known) {
        json.key("properties");
        json.begin_object();
        json.key("size").number(e.size);
        json.key("kind").string(kind_name(e.kind));
        json.end_object();
    }
    json.end_object();
}

// The whole log.
inline void write_sarif(fd_writer& out, const grouped_leaks& leaks, const loss_records& records) noexcept {
    char root[max_path_length + 1];
    sarif_source_root(root, sizeof root);
    json_writer json(out);
    json.begin_object();
    json.key("$schema").string(
        "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json");
    json.key("version").string("2.1.0");
    json.key("runs");
    json.begin_array();
    json.begin_object();
    sarif_driver(json);
    if (root[0]) {
        char uri[sarif_uri_size];
        if (file_uri(root, true, uri, sizeof uri)) {
            json.new_line();
            json.key("originalUriBaseIds");
            json.begin_object();
            json.key(sarif_root_id);
            json.begin_object();
            json.key("uri").string(uri);
            json.end_object();
            json.end_object();
        }
    }
    json.new_line();
    json.key("results");
    json.begin_array();
    sarif_record_results(json, root, leaks, records);
    {
        lock_guard hold(g_errors.lock);
        std::uint64_t const total = g_errors.count.load(std::memory_order_relaxed);
        std::size_t const kept = total < max_error_records ? static_cast<std::size_t>(total) : max_error_records;
        for (std::size_t i = 0; i < kept; ++i) sarif_error_result(json, root, g_errors.records[i]);
    }
    json.end_array();
    json.end_object();
    json.end_array();
    json.end_object();
}

// Whether a report writes a SARIF log (it needs the loss records).
inline bool sarif_wanted() noexcept { return g_sarif_path[0] != '\0'; }

// The log to sarif_path, if the option names one.
inline void write_sarif_report(const grouped_leaks& leaks, const loss_records& records) noexcept {
    if (!sarif_wanted()) return;
    int const fd = open_for_writing(g_sarif_path);
    if (fd < 0) {
        fd_writer err(report_fd());
        err.printf("leakguard: warning: cannot write sarif_path '%s'\n", g_sarif_path);
        return;
    }
    {
        fd_writer out(fd);
        write_sarif(out, leaks, records);
    }
    ::close(fd);
}

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_REPORT_SARIF_REPORT_HPP_INCLUDED
// #include "leakguard/detail/report/snapshot_report.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// report/snapshot_report.hpp: the blocks allocated between two sequence numbers that are alive now
// (snapshot.hpp), grouped by site as the exit report groups them, as text and as JSON. No leak
// check: "new and still here". Runs with tracking suspended and allocates only raw memory.
#ifndef LEAKGUARD_DETAIL_REPORT_SNAPSHOT_REPORT_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REPORT_SNAPSHOT_REPORT_HPP_INCLUDED

#include <unistd.h> // close

#include <cstddef> // std::size_t
#include <cstdint> // std::uint64_t

// #include "leakguard/snapshot.hpp" (inlined)
// #include "leakguard/detail/core/options.hpp" (inlined)
// #include "leakguard/detail/core/platform.hpp" (inlined)
// #include "leakguard/detail/core/report_stream.hpp" (inlined)
// #include "leakguard/detail/core/text.hpp" (inlined)
// #include "leakguard/detail/report/collect.hpp" (inlined)
// #include "leakguard/detail/report/group_text.hpp" (inlined)
// #include "leakguard/detail/report/json_report.hpp" (inlined)
// #include "leakguard/detail/report/json_writer.hpp" (inlined)
// #include "leakguard/detail/report/leak_groups.hpp" (inlined)

namespace leakguard {
namespace detail {

// The live blocks with lo <= seq < hi, oldest first (raw memory: free with raw_free). Ignored
// blocks and the C library's own are left out, as a strict scope leaves them out: the C library's
// buffers are no news of the program's (the CRT's dump skips its _CRT_BLOCKs the same way). The
// shards are walked back only as far as lo (collect.hpp: for_each_live).
inline block_list collect_between(std::uint64_t lo, std::uint64_t hi) noexcept {
    block_filter const filter = {lo, 0, false, LEAKGUARD_DETAIL_INTERPOSE_ALLOC != 0};
    block_list list = collect_live(filter);
    std::size_t kept = 0;
    list.bytes = 0;
    for (std::size_t i = 0; i < list.count; ++i) {
        if (list.items[i].seq >= hi) continue;
        list.items[kept++] = list.items[i];
        list.bytes += list.items[i].size;
    }
    list.count = kept;
    return list;
}

// b minus a, as the difference of two counters that only grow (stats()).
inline std::int64_t counter_change(std::uint64_t a, std::uint64_t b) noexcept {
    return static_cast<std::int64_t>(b - a);
}

// A diff of `from` to `to` whose exact part is the grouped blocks `leaks`.
inline snapshot_diff diff_of(const snapshot& from, const snapshot& to, const grouped_leaks& leaks) noexcept {
    snapshot_diff d;
    d.blocks = leaks.blocks().count;
    d.bytes = leaks.blocks().bytes;
    d.sites = leaks.group_count();
    d.allocations = counter_change(from.allocations, to.allocations);
    d.frees = counter_change(from.frees, to.frees);
    d.live_blocks = counter_change(from.live_blocks, to.live_blocks);
    d.live_bytes = counter_change(from.live_bytes, to.live_bytes);
    return d;
}

// Seconds between two snapshots' clocks, for the summary line.
inline double seconds_between(const snapshot& from, const snapshot& to) noexcept {
    return to.time_ns >= from.time_ns ? static_cast<double>(to.time_ns - from.time_ns) / 1e9 : 0.0;
}

// The summary line and (report=full) the groups. `what` names the range: "since the snapshot at
// #S (T s ago)" or "between the snapshots at #S and #E (T s apart)".
inline void write_between_text(const char* what, const snapshot_diff& d, const grouped_leaks& leaks) noexcept {
    report_mode const mode = g_options.report.load(std::memory_order_relaxed);
    if (mode == report_mode::off) return;
    fd_writer out(report_fd());
    out.printf("leakguard: %s: %zu %s in %zu %s allocated then still alive, from %zu allocation %s "
               "(%lld %s, %lld %s; live blocks %+lld, live bytes %+lld)\n",
               what, d.bytes, plural(d.bytes, "byte", "bytes"), d.blocks, plural(d.blocks, "block", "blocks"), d.sites,
               plural(d.sites, "site", "sites"), static_cast<long long>(d.allocations),
               d.allocations == 1 ? "allocation" : "allocations", static_cast<long long>(d.frees),
               d.frees == 1 ? "free" : "frees", static_cast<long long>(d.live_blocks),
               static_cast<long long>(d.live_bytes));
    if (mode == report_mode::full) write_groups(out, leaks, report_layout);
}

// The JSON document of write_since_json: the snapshot, a summary (the diff from the snapshot to
// `now`) and the blocks as the exit report's "leaks" items (their "loss" "unchecked").
inline void write_since_json_doc(fd_writer& out, const snapshot& s, const snapshot& now, const snapshot_diff& d,
                                 const grouped_leaks& leaks) noexcept {
    json_writer json(out);
    begin_json_document(json);
    json.new_line();
    json.key("snapshot");
    json.begin_object();
    json.key("seq").number(s.seq);
    json.key("allocations").number(s.allocations);
    json.key("frees").number(s.frees);
    json.key("live_blocks").number(s.live_blocks);
    json.key("live_bytes").number(s.live_bytes);
    json.key("time_ns").number(s.time_ns);
    json.end_object();
    json.new_line();
    json.key("summary");
    json.begin_object();
    json.key("blocks").number(d.blocks);
    json.key("bytes").number(d.bytes);
    json.key("sites").number(d.sites);
    json.key("allocations").number(static_cast<long long>(d.allocations));
    json.key("frees").number(static_cast<long long>(d.frees));
    json.key("live_blocks_change").number(static_cast<long long>(d.live_blocks));
    json.key("live_bytes_change").number(static_cast<long long>(d.live_bytes));
    json.key("elapsed_ns").number(now.time_ns >= s.time_ns ? now.time_ns - s.time_ns : 0);
    json.end_object();
    json.new_line();
    json.key("leaks");
    json.begin_array();
    write_json_leaks(json, leaks);
    json.end_array();
    json.end_object();
}

// Writes write_since_json's document to `path`; false when it cannot be opened.
inline bool write_since_json_file(const char* path, const snapshot& s, const snapshot& now, const snapshot_diff& d,
                                  const grouped_leaks& leaks) noexcept {
    int const fd = path && path[0] ? open_for_writing(path) : -1;
    if (fd < 0) {
        fd_writer err(report_fd());
        err.printf("leakguard: warning: cannot write the snapshot JSON '%s'\n", path ? path : "");
        return false;
    }
    {
        fd_writer out(fd);
        write_since_json_doc(out, s, now, d, leaks);
    }
    ::close(fd);
    return true;
}

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_REPORT_SNAPSHOT_REPORT_HPP_INCLUDED
// #include "leakguard/detail/capture/site_counts.hpp" (inlined)
// #include "leakguard/detail/report/site_profile.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// report/site_profile.hpp: one report of the monitor (docs/monitor.md) - the per-site table of
// what is alive now, next to what the sites counted (capture/site_counts.hpp), the change since the
// last report and which sites keep growing - as one JSON object on one line, and as a table on the
// report stream. Runs with tracking suspended, under g_profile.lock, and allocates only raw memory.
//
// What is alive at each site comes from a walk of the shard lists (for_each_live): exact whenever
// the report is taken, and free for the hot path. Its cost grows with the live blocks (figures in
// docs/performance.md, "The monitor"); each shard is held only while its own list is walked, and
// its counted frees are added into the shared table under the same hold. A site's allocations are
// its frees of blocks numbered since counting began plus its live blocks of those
// (capture/site_counts.hpp): both come from one hold of each shard, so they agree.
// Only the sites a report lists are named, each once per process (site_names, kept).
#ifndef LEAKGUARD_DETAIL_REPORT_SITE_PROFILE_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REPORT_SITE_PROFILE_HPP_INCLUDED

#include <algorithm> // std::sort, std::partial_sort (in place: they do not allocate)
#include <cstddef>   // std::size_t
#include <cstdint>   // std::uint64_t, std::int64_t
#include <cstdio>    // std::snprintf
#include <cstring>   // std::strcmp, std::strlen, std::memcpy, std::memset
#include <ctime>     // clock_gettime
#include <fcntl.h>   // open
#include <unistd.h>  // write, close, getpid

// #include "leakguard/detail/capture/locations.hpp" (inlined)
// #include "leakguard/detail/capture/site_counts.hpp" (inlined)
// #include "leakguard/detail/capture/stack_table.hpp" (inlined)
// #include "leakguard/detail/core/options.hpp" (inlined)
// #include "leakguard/detail/core/pages.hpp" (inlined)
// #include "leakguard/detail/core/platform.hpp" (inlined)
// #include "leakguard/detail/core/report_stream.hpp" (inlined)
// #include "leakguard/detail/heap/block.hpp" (inlined)
// #include "leakguard/detail/heap/registry.hpp" (inlined)
// #include "leakguard/detail/symbolize/site_rules.hpp" (inlined)
// #include "leakguard/detail/symbolize/symbolize.hpp" (inlined)
// #include "leakguard/detail/report/collect.hpp" (inlined)
// #include "leakguard/detail/report/json_report.hpp" (inlined)
// #include "leakguard/detail/report/json_writer.hpp" (inlined)
// #include "leakguard/detail/report/loss_records.hpp" (inlined)
// #include "leakguard/detail/report/site_text.hpp" (inlined)
// #include "leakguard/detail/report/stats.hpp" (inlined)

namespace leakguard {
namespace detail {

constexpr std::size_t max_first_seqs = 8;

// A site named: what the reports print of it, made once (raw memory, kept for the process).
struct site_names {
    char id[17];      // the fingerprint of its call path, as loss records have one
    char* site;       // "function (file:line)"
    char* stack_json; // its "stack" array, as JSON
    std::size_t stack_json_size;
};

// The monitor's own state of one site, beside its counters (same record number).
struct site_history {
    std::uint64_t walk;        // the report whose walk last saw a live block of it
    std::uint64_t live_blocks; // in that walk
    std::uint64_t live_bytes;
    std::uint64_t live_min, live_max;           // sizes of the live blocks
    std::uint64_t live_new;                     // live blocks numbered since counting began (ignored ones too)
    std::uint64_t allocations, frees;           // this report's: counted since counting began
    std::uint64_t prev_blocks, prev_bytes;      // at the last report
    std::uint64_t prev_allocations, prev_frees; // at the last report
    std::uint64_t run_from;                     // growth run: blocks from this number on are its new ones
    std::uint64_t first_seqs[max_first_seqs];   // the oldest live ones of those, ascending
    std::uint32_t seq_count;
    std::uint32_t grew;       // reports in a row whose live count went up
    std::uint64_t grew_since; // the first report of that run
    std::int64_t delta_blocks, delta_bytes;
    const site_names* names; // null until the site is first listed
};

struct profile_state {
    spinlock lock;           // one report at a time (the monitor thread, write_profile, the signal)
    site_history* history;   // site_capacity of them, mapped on first use
    std::uint64_t reports;   // written since the monitor (re)started
    std::uint64_t last_mark; // the sequence number the last report started at (0: none yet)
    bool restart;            // zero the history before the next report (a fork child's restart)
};
profile_state g_profile{};
std::uint64_t g_process_start_ns = 0; // CLOCK_MONOTONIC when leakguard's unit was loaded

inline std::uint64_t clock_ns(clockid_t which) noexcept {
    timespec ts;
    if (clock_gettime(which, &ts) != 0) return 0;
    return static_cast<std::uint64_t>(ts.tv_sec) * 1000000000u + static_cast<std::uint64_t>(ts.tv_nsec);
}

__attribute__((constructor(101))) static void note_process_start() {
    if (!g_process_start_ns) g_process_start_ns = clock_ns(CLOCK_MONOTONIC);
}

// Numbers blocks "new" from here on (capture/site_counts.hpp), the first time counting is switched on.
inline void mark_count_start() noexcept {
    if (g_sites.count_from.load(std::memory_order_relaxed) != 0) return;
    std::uint64_t expected = 0;
    g_sites.count_from.compare_exchange_strong(expected, begin_epoch(), std::memory_order_relaxed);
}

// Switches per-site counting on (the hot word's hot_sites, through refresh_hot): from now on
// allocations and frees are counted per site. False when the tables cannot be mapped.
inline bool start_site_counting() noexcept {
    if (!g_sites.ready()) return false;
    mark_count_start();
    if (!g_count_sites.exchange(true, std::memory_order_relaxed)) refresh_hot(false);
    return true;
}

// Names site `n` once: its site text, id and stack.
inline const site_names* name_site(std::uint32_t n) noexcept {
    site_history& h = g_profile.history[n];
    if (h.names) return h.names;
    site_counter& c = g_sites.record(n);
    const void* const key = c.key.load(std::memory_order_relaxed);
    site_kind const kind = c.kind.load(std::memory_order_relaxed);
    site_names* out = static_cast<site_names*>(raw_calloc(sizeof(site_names)));
    std::size_t const room = std::size_t(4) * max_stack_depth;
    symbol_info* frames = static_cast<symbol_info*>(raw_alloc(room * sizeof(symbol_info)));
    if (!out || !frames) {
        raw_free(out);
        raw_free(frames);
        return nullptr;
    }
    block_info b = block_info();
    const location_record* loc = kind == site_kind::location ? static_cast<const location_record*>(key) : nullptr;
    const stack_record* stack = kind == site_kind::stack ? static_cast<const stack_record*>(key) : nullptr;
    b.caller = loc ? loc->caller : stack ? stack->frames()[0] : key;
    b.location = loc ? &loc->where : nullptr;
    b.stack = stack ? stack->frames() : nullptr;
    b.stack_depth = stack ? stack->depth : 0;

    // The frames: the whole stack named (inlined calls included), or the one return address.
    std::size_t count = 0;
    if (stack) count = symbolize_stack_inlined(stack->frames(), stack->depth, frames, room);
    else if (b.caller) count = symbolize_frames(b.caller, frames, room);
    // The site, "function (file:line)", and the id: as a loss record's fingerprint, the named frames
    // down to main (or the macro's file:line) - the same from build to build.
    symbol_info& sym = frames[room - 1]; // scratch: the site frame
    code_place const place = site_place(b, sym);
    char text[site_text_size];
    if (place.function && place.file)
        std::snprintf(text, sizeof text, "%s (%s:%u)", place.function, place.file, place.line);
    else if (place.function && place.module)
        std::snprintf(text, sizeof text, "%s (%s+0x%lx)", place.function, base_name(place.module),
                      static_cast<unsigned long>(sym.offset));
    else if (place.function) std::snprintf(text, sizeof text, "%s", place.function);
    else if (place.module)
        std::snprintf(text, sizeof text, "%s+0x%lx", base_name(place.module), static_cast<unsigned long>(sym.offset));
    else std::snprintf(text, sizeof text, "%p", b.caller);
    fingerprint_hash fp;
    fp.add("site");
    hash_frame(fp, place.function, place.file, place.line);
    for (std::size_t f = 0; stack && f < count; ++f) {
        hash_frame(fp, frames[f].function, frames[f].file, frames[f].line);
        if (std::strcmp(frames[f].function, "main") == 0) break;
    }
    format_fingerprint(fp.value(), out->id);
    std::size_t const len = std::strlen(text);
    out->site = static_cast<char*>(raw_alloc(len + 1));
    if (out->site) std::memcpy(out->site, text, len + 1);

    memory_text json_text = {nullptr, 0, 0, false};
    {
        fd_writer w(json_text);
        json_writer json(w);
        json.begin_array();
        for (std::size_t f = 0; f < count; ++f) json_frame(json, frames[f]);
        json.end_array();
    }
    if (json_text.failed) {
        raw_free(json_text.data);
        json_text.data = nullptr;
    }
    // The array was written as a document of its own: without its closing line break.
    out->stack_json = json_text.data;
    out->stack_json_size = json_text.data && json_text.size ? json_text.size - 1 : 0;
    raw_free(frames);
    h.names = out;
    return out;
}

// Keeps the `max_first_seqs` smallest numbers, ascending.
inline void keep_first_seq(site_history& h, std::uint64_t seq) noexcept {
    std::uint32_t n = h.seq_count;
    if (n == max_first_seqs) {
        if (seq >= h.first_seqs[n - 1]) return;
        --n;
    }
    std::uint32_t i = n;
    while (i > 0 && h.first_seqs[i - 1] > seq) {
        h.first_seqs[i] = h.first_seqs[i - 1];
        --i;
    }
    h.first_seqs[i] = seq;
    h.seq_count = n + 1;
}

// One report's numbers.
struct profile_totals {
    std::uint64_t live_blocks, live_bytes;
    statistics stats;       // allocations, frees and peak of the whole process
    std::uint64_t listed;   // sites that pass the filters (sites_total)
    std::uint64_t unplaced; // live blocks of sites the table had no room for
};

// Walks the live blocks into the history (the report `r`, whose walk stamp it is).
inline void walk_sites(std::uint64_t r, profile_totals& t) noexcept {
    site_history* const hist = g_profile.history;
    std::uint64_t const last_mark = g_profile.last_mark;
    std::uint64_t const count_from = g_sites.count_from.load(std::memory_order_relaxed);
    // Ignored blocks too: they are no live blocks of a site, but they are among its allocations.
    block_filter const filter = {0, 0, true, false};
    auto const held = [](shard& s) { flush_free_cache(s.site_frees); };
    for_each_live(filter, held, [&](const block_header& b) {
        std::size_t const size = size_of(&b);
        bool const ignored = (flags_of(&b) & flag_ignored) != 0;
        if (!ignored) {
            ++t.live_blocks;
            t.live_bytes += size;
        }
        site_counter* c = g_sites.find_or_add(b.site, site_kind_of(flags_of(&b), flag_has_location, flag_has_stack));
        if (!c) {
            if (!ignored) ++t.unplaced;
            return;
        }
        site_history& h = hist[g_sites.number_of(c)];
        if (h.walk != r) {
            h.walk = r;
            h.live_blocks = h.live_bytes = h.live_new = 0;
            h.live_min = ~std::uint64_t(0);
            h.live_max = 0;
            h.seq_count = 0;
        }
        if (seq_of(&b) >= count_from) ++h.live_new;
        if (ignored) return;
        ++h.live_blocks;
        h.live_bytes += size;
        if (size < h.live_min) h.live_min = size;
        if (size > h.live_max) h.live_max = size;
        // Its oldest blocks since growth began (or since the last report, where it may begin now).
        std::uint64_t const from = h.grew ? h.run_from : last_mark;
        if (seq_of(&b) >= from) keep_first_seq(h, seq_of(&b));
    });
}

// After the walk: each site's change and growth; the sites that pass the filters into `rows`.
inline std::size_t judge_sites(std::uint64_t r, std::uint32_t* rows, profile_totals& t) noexcept {
    std::uint32_t const used = g_sites.records_used();
    bool const changed_only = g_monitor_options.changed_only.load(std::memory_order_relaxed);
    bool const live_only = g_monitor_options.live_only.load(std::memory_order_relaxed);
    std::uint64_t const min_live = g_monitor_options.min_live.load(std::memory_order_relaxed);
    std::size_t count = 0;
    for (std::uint32_t n = 1; n < used; ++n) {
        site_counter& c = g_sites.record(n);
        if (!c.key.load(std::memory_order_relaxed)) continue;
        site_history& h = g_profile.history[n];
        if (h.walk != r) h.live_blocks = h.live_bytes = h.live_new = h.seq_count = 0;
        if (h.live_blocks) {
            raise_to(c.size_max, h.live_max);
            raise_to(c.size_min_inv, ~h.live_min);
        }
        std::uint64_t const frees_new = c.frees_new.load(std::memory_order_relaxed);
        std::uint64_t const allocs = h.live_new + frees_new;
        std::uint64_t const frees = frees_new + c.frees_old.load(std::memory_order_relaxed);
        h.allocations = allocs;
        h.frees = frees;
        h.delta_blocks = static_cast<std::int64_t>(h.live_blocks - h.prev_blocks);
        h.delta_bytes = static_cast<std::int64_t>(h.live_bytes - h.prev_bytes);
        bool const changed =
            h.delta_blocks != 0 || h.delta_bytes != 0 || allocs != h.prev_allocations || frees != h.prev_frees;
        // The first report of a monitor is the baseline: growth is judged from the second on.
        if (r > 1 && h.live_blocks > h.prev_blocks) {
            if (h.grew++ == 0) {
                h.run_from = g_profile.last_mark;
                h.grew_since = r;
            }
        } else {
            h.grew = 0;
        }
        bool const seen = h.live_blocks || h.prev_blocks || allocs || frees;
        h.prev_blocks = h.live_blocks;
        h.prev_bytes = h.live_bytes;
        h.prev_allocations = allocs;
        h.prev_frees = frees;
        if (!seen || (changed_only && !changed) || (live_only && h.live_blocks == 0) || h.live_blocks < min_live)
            continue;
        rows[count++] = n;
    }
    t.listed = count;
    return count;
}

inline bool site_growing(const site_history& h) noexcept {
    int const k = g_monitor_options.growth.load(std::memory_order_relaxed);
    return k > 0 && h.grew >= static_cast<std::uint32_t>(k);
}

// The smallest and largest block of a site: of those a report has seen alive (kept in the site's
// record by judge_sites), now included; false when no report has seen one of its blocks alive.
inline bool size_range(std::uint32_t n, std::uint64_t& lo, std::uint64_t& hi) noexcept {
    site_counter& c = g_sites.record(n);
    std::uint64_t const min_inv = c.size_min_inv.load(std::memory_order_relaxed);
    lo = ~min_inv;
    hi = c.size_max.load(std::memory_order_relaxed);
    return min_inv != 0 && lo <= hi;
}

// The JSON object of one report, on one line (docs/monitor.md: "The file").
inline void write_profile_json(fd_writer& out, std::uint64_t r, const char* trigger, const profile_totals& t,
                               const std::uint32_t* rows, std::size_t shown) noexcept {
    json_writer json(out);
    json.begin_object();
    json.key("leakguard_monitor").number(1);
    json.key("pid").number(static_cast<long long>(::getpid()));
    json.key("report").number(r);
    json.key("time").fixed(static_cast<double>(clock_ns(CLOCK_REALTIME)) / 1e9, 3);
    std::uint64_t const now = clock_ns(CLOCK_MONOTONIC);
    json.key("elapsed").fixed(now > g_process_start_ns ? static_cast<double>(now - g_process_start_ns) / 1e9 : 0.0, 3);
    json.key("trigger").string(trigger);
    json.key("total");
    json.begin_object();
    json.key("live_blocks").number(t.live_blocks);
    json.key("live_bytes").number(t.live_bytes);
    json.key("peak_bytes").number(t.stats.peak_bytes);
    json.key("allocations").number(t.stats.allocations);
    json.key("frees").number(t.stats.frees);
    json.end_object();
    json.key("sites_total").number(t.listed);
    if (t.unplaced) json.key("blocks_without_site").number(t.unplaced);
    json.key("sites");
    json.begin_array();
    for (std::size_t i = 0; i < shown; ++i) {
        std::uint32_t const n = rows[i];
        const site_history& h = g_profile.history[n];
        const site_names* names = name_site(n);
        std::uint64_t lo = 0, hi = 0;
        bool const sized = size_range(n, lo, hi);
        bool const growing = site_growing(h);
        json.begin_object();
        json.key("id").string(names ? names->id : "0000000000000000");
        json.key("site").string(names && names->site ? names->site : "?");
        json.key("size_min");
        if (sized) json.number(lo);
        else json.null(); // its blocks were all freed before any report saw one
        json.key("size_max");
        if (sized) json.number(hi);
        else json.null();
        json.key("allocations").number(h.allocations);
        json.key("frees").number(h.frees);
        json.key("live_blocks").number(h.live_blocks);
        json.key("live_bytes").number(h.live_bytes);
        json.key("delta_blocks").number(static_cast<long long>(h.delta_blocks));
        json.key("delta_bytes").number(static_cast<long long>(h.delta_bytes));
        json.key("growing").boolean(growing);
        json.key("growing_since");
        if (growing) json.number(h.grew_since);
        else json.null();
        if (growing) {
            json.key("first_seqs");
            json.begin_array();
            for (std::uint32_t k = 0; k < h.seq_count; ++k) json.number(h.first_seqs[k]);
            json.end_array();
        }
        json.key("stack");
        if (names && names->stack_json) json.raw(names->stack_json, names->stack_json_size);
        else {
            json.begin_array();
            json.end_array();
        }
        json.end_object();
    }
    json.end_array();
    json.end_object();
}

// The table on the report stream (monitor_text=1), as jhook prints one.
inline void write_profile_text(std::uint64_t r, const profile_totals& t, const std::uint32_t* rows,
                               std::size_t shown) noexcept {
    fd_writer out(report_fd());
    std::uint64_t const now = clock_ns(CLOCK_MONOTONIC);
    double const elapsed = now > g_process_start_ns ? static_cast<double>(now - g_process_start_ns) / 1e9 : 0.0;
    out.printf("leakguard: monitor report %llu at %.3f s: %llu bytes in %llu live blocks (peak %llu bytes), "
               "%llu allocations, %llu frees; %llu sites, %zu shown\n",
               static_cast<unsigned long long>(r), elapsed, static_cast<unsigned long long>(t.live_bytes),
               static_cast<unsigned long long>(t.live_blocks), static_cast<unsigned long long>(t.stats.peak_bytes),
               static_cast<unsigned long long>(t.stats.allocations), static_cast<unsigned long long>(t.stats.frees),
               static_cast<unsigned long long>(t.listed), shown);
    if (shown == 0) return;
    out.printf("leakguard:   %12s %8s %8s %10s %10s %10s %-13s  %s\n", "live bytes", "blocks", "change", "allocs",
               "frees", "difference", "size", "site");
    for (std::size_t i = 0; i < shown; ++i) {
        std::uint32_t const n = rows[i];
        const site_history& h = g_profile.history[n];
        const site_names* names = name_site(n);
        std::uint64_t lo = 0, hi = 0;
        bool const sized = size_range(n, lo, hi);
        std::uint64_t const allocs = h.allocations;
        std::uint64_t const frees = h.frees;
        char size[32];
        if (!sized) std::snprintf(size, sizeof size, "?");
        else if (lo == hi) std::snprintf(size, sizeof size, "%llu", static_cast<unsigned long long>(lo));
        else
            std::snprintf(size, sizeof size, "%llu-%llu", static_cast<unsigned long long>(lo),
                          static_cast<unsigned long long>(hi));
        char growth[160] = "";
        if (site_growing(h)) {
            int w = std::snprintf(growth, sizeof growth, "  growing since report %llu,",
                                  static_cast<unsigned long long>(h.grew_since));
            for (std::uint32_t k = 0; k < h.seq_count && w > 0 && static_cast<std::size_t>(w) < sizeof growth; ++k)
                w += std::snprintf(growth + w, sizeof growth - static_cast<std::size_t>(w), " #%llu",
                                   static_cast<unsigned long long>(h.first_seqs[k]));
        }
        out.printf("leakguard:   %12llu %8llu %+8lld %10llu %10llu %10lld %-13s  %s%s\n",
                   static_cast<unsigned long long>(h.live_bytes), static_cast<unsigned long long>(h.live_blocks),
                   static_cast<long long>(h.delta_blocks), static_cast<unsigned long long>(allocs),
                   static_cast<unsigned long long>(frees), static_cast<long long>(allocs - frees), size,
                   names && names->site ? names->site : "?", growth);
    }
}

// Appends `text` to `path` in one write(2): two processes (a fork child restarted with the same
// path) or two reports never interleave inside a line. False when the file cannot be written.
inline bool append_line(const char* path, const memory_text& text) noexcept {
    int const fd = ::open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) return false;
    bool ok = true;
    std::size_t done = 0;
    while (done < text.size) {
        ssize_t const w = ::write(fd, text.data + done, text.size - done);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            ok = false;
            break;
        }
        done += static_cast<std::size_t>(w);
    }
    ::close(fd);
    return ok;
}

// One report: to `path` (expanded; null: monitor_path's file), and as text when monitor_text is
// set. `trigger` names what asked ("interval", "signal", "write_profile"). The caller is busy.
inline bool write_profile_report(const char* path, const char* trigger) noexcept {
    lock_guard hold(g_profile.lock);
    if (!g_profile.history) {
        g_profile.history = static_cast<site_history*>(map_pages(site_capacity * sizeof(site_history), true));
        if (!g_profile.history) return false;
    }
    if (!start_site_counting()) return false;
    if (g_profile.restart) { // a fork child's monitor starts its numbering and growth anew
        std::uint32_t const used = g_sites.records_used();
        for (std::uint32_t n = 1; n < used; ++n) {
            const site_names* keep = g_profile.history[n].names;
            std::memset(static_cast<void*>(&g_profile.history[n]), 0, sizeof(site_history));
            g_profile.history[n].names = keep;
        }
        g_profile.reports = 0;
        g_profile.last_mark = 0;
        g_profile.restart = false;
    }
    std::uint64_t const r = ++g_profile.reports;
    // Every block allocated from here on numbers at least `mark` (as a snapshot's).
    std::uint64_t const mark = begin_epoch();
    profile_totals t = {0, 0, current_stats(), 0, 0};
    walk_sites(r, t);
    std::uint32_t* rows = static_cast<std::uint32_t*>(raw_alloc((g_sites.records_used() + 1) * sizeof(std::uint32_t)));
    std::size_t const count = rows ? judge_sites(r, rows, t) : 0;
    g_profile.last_mark = mark;
    // The most live bytes first, then the most live blocks, then the oldest site.
    int const top = g_monitor_options.top.load(std::memory_order_relaxed);
    std::size_t const shown = top > 0 && static_cast<std::size_t>(top) < count ? static_cast<std::size_t>(top) : count;
    auto const before = [](std::uint32_t a, std::uint32_t b) {
        const site_history& x = g_profile.history[a];
        const site_history& y = g_profile.history[b];
        if (x.live_bytes != y.live_bytes) return x.live_bytes > y.live_bytes;
        if (x.live_blocks != y.live_blocks) return x.live_blocks > y.live_blocks;
        return a < b;
    };
    if (rows) std::partial_sort(rows, rows + shown, rows + count, before);

    memory_text line = {nullptr, 0, 0, false};
    {
        fd_writer out(line);
        write_profile_json(out, r, trigger, t, rows, shown);
    }
    char file[4096];
    if (path) expand_path(path, file, sizeof file);
    else monitor_path_now(file, sizeof file);
    bool const ok = !line.failed && rows && append_line(file, line);
    if (!ok) {
        // Said once per process, as a failed write of the report is (core/platform.hpp).
        static std::atomic<bool> said{false};
        if (!said.exchange(true, std::memory_order_relaxed))
            fd_writer(report_fd()).printf("leakguard: warning: cannot write the monitor report to '%s'\n", file);
    }
    raw_free(line.data);
    if (g_monitor_options.text.load(std::memory_order_relaxed) && rows) write_profile_text(r, t, rows, shown);
    raw_free(rows);
    return ok;
}

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_REPORT_SITE_PROFILE_HPP_INCLUDED
// #include "leakguard/detail/report/exit_report.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// report/exit_report.hpp: the whole leak report - live blocks grouped by allocation site, largest
// first - as text to the report stream and as JSON to json_path; at exit or on request. Runs with
// tracking suspended and allocates only raw memory. The SARIF log (sarif_path) is written here too.
#ifndef LEAKGUARD_DETAIL_REPORT_EXIT_REPORT_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REPORT_EXIT_REPORT_HPP_INCLUDED

#include <unistd.h> // close

// #include "leakguard/detail/core/options.hpp" (inlined)
// #include "leakguard/detail/core/platform.hpp" (inlined)
// #include "leakguard/detail/core/report_stream.hpp" (inlined)
// #include "leakguard/detail/heap/errors.hpp" (inlined)
// #include "leakguard/detail/reach/exit_frames.hpp" (inlined)
// #include "leakguard/detail/report/baseline.hpp" (inlined)
// #include "leakguard/detail/report/collect.hpp" (inlined)
// #include "leakguard/detail/report/failures.hpp" (inlined)
// #include "leakguard/detail/report/json_report.hpp" (inlined)
// #include "leakguard/detail/report/leak_groups.hpp" (inlined)
// #include "leakguard/detail/report/loss_records.hpp" (inlined)
// #include "leakguard/detail/report/sarif_report.hpp" (inlined)
// #include "leakguard/detail/report/stats.hpp" (inlined)
// #include "leakguard/detail/report/suppressions.hpp" (inlined)
// #include "leakguard/detail/report/text_report.hpp" (inlined)

namespace leakguard {
namespace detail {

// The report: a leak check, text to the report stream (as `report` says) and JSON to json_path.
// `when` is "at exit" or "now". `caller`: the calling thread's roots (reach/leak_check.hpp); at
// exit (null) only where the exiting thread's stack still matters (reach/exit_frames.hpp).
inline report_outcome write_report(const char* when, const caller_context* caller) noexcept {
    caller_context self = {};
    if (caller) self = *caller;
    else self.sp = exit_scan_start();
    if (self.sp == 0) { // the program called exit() itself: every frame from here up is live
        volatile char anchor = 0;
        self.sp = reinterpret_cast<std::uintptr_t>(&anchor);
    }
    reach_totals totals;
    block_list checked = collect_checked(self, totals);
    suppress_checked(checked, totals); // suppressed blocks are counted apart, and not listed
    // The records name every distinct stack: only for a report that prints them or a baseline.
    bool const text_groups = g_options.report == report_mode::full;
    bool const baselines = current_baseline() || g_options.write_baseline[0];
    // Grouping names each stack's site: not for a report that shows no group (report=off and no
    // file), which then reads no debug information at all.
    bool const grouped = g_options.report != report_mode::off || g_options.json_path[0] || sarif_wanted() || baselines;
    if (!grouped) {
        raw_free(checked.items);
        checked = block_list{nullptr, 0, 0};
    }
    grouped_leaks const leaks(checked);
    block_totals const failing = failing_totals(totals);
    statistics const st = current_stats();
    loss_records records(leaks, leaks.group_count() > 0 &&
                                    (text_groups || g_options.json_path[0] || sarif_wanted() || baselines));
    baseline_totals const known = apply_baseline(records, leaks);
    // Records the baseline knows do not fail the run.
    report_outcome const outcome = {failing.blocks - known.known_blocks, failure_count(),
                                    g_errors.count.load(std::memory_order_relaxed)};

    if (g_options.report != report_mode::off) {
        fd_writer out(report_fd());
        write_text_report(out, when, leaks, records, st, totals, failing, known, outcome);
        write_suppressions_used(out);
        write_debug_notes(out);
    }
    if (g_options.write_baseline[0]) write_baseline_file(g_options.write_baseline, records, leaks);
    if (g_options.json_path[0]) {
        int const fd = open_for_writing(g_options.json_path);
        if (fd < 0) {
            fd_writer err(report_fd());
            err.printf("leakguard: warning: cannot write json_path '%s'\n", g_options.json_path);
        } else {
            {
                fd_writer out(fd);
                write_json(out, leaks, records, st, totals, failing, known);
            }
            ::close(fd);
        }
    }
    write_sarif_report(leaks, records);
    return outcome;
}

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_REPORT_EXIT_REPORT_HPP_INCLUDED
// #include "leakguard/detail/runtime/monitor.hpp" (inlined)
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

// #include "leakguard/monitor.hpp" (inlined)
// #include "leakguard/detail/core/options.hpp" (inlined)
// #include "leakguard/detail/core/platform.hpp" (inlined)
// #include "leakguard/detail/heap/startup.hpp" (inlined)
// #include "leakguard/detail/report/site_profile.hpp" (inlined)

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
// #include "leakguard/detail/runtime/fork.hpp" (inlined)
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

// #include "leakguard/detail/heap/errors.hpp" (inlined)
// #include "leakguard/detail/report/failures.hpp" (inlined)
// #include "leakguard/detail/core/report_stream.hpp" (inlined)
// #include "leakguard/detail/heap/page_index.hpp" (inlined)
// #include "leakguard/detail/heap/registry.hpp" (inlined)
// #include "leakguard/detail/reach/thread_pause.hpp" (inlined)
// #include "leakguard/detail/symbolize/symbolize.hpp" (inlined)
// #include "leakguard/detail/runtime/monitor.hpp" (inlined)

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
// #include "leakguard/detail/report/check_heap.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// report/check_heap.hpp: leakguard::check_heap() - every live block's guards and every quarantined
// block's bytes, checked now (also at exit, before the leak report).
//
// Each shard is checked under its lock, which forbids printing there: what is found is copied
// into a small array on the stack (the records point only to immortal site records), the damage is
// repaired so that it is reported once, and the reports follow once the lock is released. A shard
// with more damaged blocks than the array holds keeps the rest for the next check.
#ifndef LEAKGUARD_DETAIL_REPORT_CHECK_HEAP_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REPORT_CHECK_HEAP_HPP_INCLUDED

#include <cstring> // std::memset

// #include "leakguard/detail/heap/errors.hpp" (inlined)
// #include "leakguard/detail/heap/guards.hpp" (inlined)
// #include "leakguard/detail/heap/quarantine.hpp" (inlined)
// #include "leakguard/detail/heap/registry.hpp" (inlined)
// #include "leakguard/detail/reach/list_walk.hpp" (inlined)

namespace leakguard {
namespace detail {

constexpr std::size_t max_findings_per_shard = 32;

struct heap_findings {
    error_record records[max_findings_per_shard];
    std::size_t count;
};

// The blocks whose damaged tail guard was reported and left as it was (guard_end_intact), by
// address and sequence number: a later check does not report them again.
reported_once g_unrepaired{};

// A live block: its front (cookie and thread/front pair) and its tail guard.
inline void check_live(block_header* h, heap_findings& f) noexcept {
    std::uint32_t const cookie = load_cookie(h);
    if (cookie == freed_cookie_for(h)) return; // just freed by another thread (push_remote): not live
    if (!guard_bytes_of(h) && cookie == cookie_for(h)) return;
    long const front = front_damage(h, cookie_for(h), cookie);
    long const tail = front ? -1 : tail_damage(h);
    if (!front && tail < 0) return;
    // A tail guard that cannot be repaired is reported once all the same.
    bool const repair = cookie == cookie_for(h) && (front || guard_end_intact(h));
    if (!front && !repair && !g_unrepaired.first(h, seq_of(h))) return;
    error_record& e = f.records[f.count++];
    e = block_error(front ? error_type::heap_underflow : error_type::heap_overflow, h);
    e.has_offset = true;
    e.offset = front ? front : tail;
    // The cookie is left as it is: the release will then not trust this header either.
    if (repair) repair_guards(h);
}

inline void check_quarantined(block_header* h, heap_findings& f) noexcept {
    bool cookie_ok = true;
    if (!quarantined_damage(h, f.records[f.count], cookie_ok)) return;
    ++f.count;
    if (!cookie_ok) return;
    set_all_bytes(user_of(h), freed_fill_bytes(h), freed_fill);
    repair_guards(h);
}

// Returns the number of errors found (and reported).
inline std::size_t check_heap_now() noexcept {
    std::size_t total = 0;
    std::uint32_t const n = g_registry.shard_count.load(std::memory_order_acquire);
    readable_memory mem;
    for (std::uint32_t i = 0; i < n; ++i) {
        shard* s = g_registry.shards[i];
        heap_findings found;
        found.count = 0;
        walk_damage damage;
        lock_shard(s);
        walk_shard(s, mem, damage, 0, [&](block_header* h) {
            if (found.count < max_findings_per_shard) check_live(h, found);
        });
        for (std::uint32_t k = 0; k < s->quarantine_count && found.count < max_findings_per_shard; ++k)
            check_quarantined(quarantined_at(s, k), found);
        unlock_shard(s);
        for (std::size_t k = 0; k < found.count; ++k) report_error(found.records[k]);
        total += found.count + report_walk_damage(damage);
    }
    return total;
}

} // namespace detail
} // namespace leakguard

#endif
// #include "leakguard/detail/runtime/scope_checks.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// runtime/scope_checks.hpp: leakguard::scope - its start number, its checks, and the failure handler.
#ifndef LEAKGUARD_DETAIL_RUNTIME_SCOPE_CHECKS_HPP_INCLUDED
#define LEAKGUARD_DETAIL_RUNTIME_SCOPE_CHECKS_HPP_INCLUDED

#include <atomic> // std::atomic

// #include "leakguard/scope.hpp" (inlined)
// #include "leakguard/detail/core/report_stream.hpp" (inlined)
// #include "leakguard/detail/heap/registry.hpp" (inlined)
// #include "leakguard/detail/heap/startup.hpp" (inlined)
// #include "leakguard/detail/report/collect.hpp" (inlined)
// #include "leakguard/detail/report/failures.hpp" (inlined)
// #include "leakguard/detail/core/platform.hpp" (inlined)
// #include "leakguard/detail/core/text.hpp" (inlined)
// #include "leakguard/detail/report/group_text.hpp" (inlined)
// #include "leakguard/detail/report/suppressions.hpp" (inlined)

namespace leakguard {
namespace detail {

std::atomic<scope_failure_handler> g_scope_failure_handler{};

constexpr std::size_t max_leaks_shown = 256;

// A strict scope leaves out the C library's own blocks (collect.hpp: unmapped_c_block); a lost
// scope judges every block, as the exit report does - a buffer the C library keeps is reachable.
inline block_filter filter_for(std::uint64_t start, std::uint32_t thread, scope_rule rule) noexcept {
    return block_filter{start, thread, false, rule == scope_rule::strict && LEAKGUARD_DETAIL_INTERPOSE_ALLOC != 0};
}

// A failed scope (or repeat check) with its blocks, `list`, which the caller keeps until the
// handler has returned.
inline scope_failure failure_of(const char* name, const char* file, int line, const block_list& list,
                                scope_rule rule) noexcept {
    scope_failure f;
    f.name = name;
    f.file = file;
    f.line = line;
    f.leaked_blocks = list.count;
    f.leaked_bytes = list.bytes;
    f.leaks = list.items;
    f.leaks_shown = !list.items ? 0 : list.count < max_leaks_shown ? list.count : max_leaks_shown;
    f.rule = rule;
    f.repetitions = 0;
    f.repetition_starts = nullptr;
    return f;
}

// Records a failure (JSON report, exit status) and hands it to the handler, or prints it.
inline void dispatch_failure(const scope_failure& f) noexcept {
    record_failure(f.name, f.file, f.line, f.leaked_blocks, f.leaked_bytes, f.rule);
    scope_failure_handler handler = g_scope_failure_handler.load(std::memory_order_acquire);
    if (handler) handler(f); // user code: tracking stays on, its allocations are its own
    else print_scope_failure(f);
}

// A scope's failing blocks, oldest first (raw memory): every block alive, or those a leak check
// finds lost - less those a suppression matches. A check that ran out of memory judges strictly,
// and says so.
inline block_list scope_blocks(const block_filter& filter, scope_rule rule, const caller_context& self,
                               const char* name, scope_rule* judged = nullptr) noexcept {
    busy_section busy;
    block_list list = {nullptr, 0, 0};
    bool complete = true;
    if (rule == scope_rule::lost) list = collect_lost(filter, self, complete);
    if (!complete)
        fd_writer(report_fd())
            .printf("leakguard: the leak check for scope \"%s\" ran out of memory; every block allocated inside it "
                    "and still alive counts\n",
                    name);
    if (rule == scope_rule::strict || !complete) list = collect_live(filter);
    if (judged) *judged = complete ? rule : scope_rule::strict; // the failure says which rule judged
    drop_suppressed(list);
    return list;
}

// Whether a scope's blocks must be listed to be judged: a lost scope's always (a leak check
// judges them), a strict scope's when a suppression could take some out.
inline bool scope_needs_list(scope_rule rule) noexcept { return rule == scope_rule::lost || suppressions_loaded(); }

// The count and bytes of a scope's failing blocks.
inline block_totals scope_totals(const block_filter& filter, scope_rule rule, const caller_context& self,
                                 const char* name) noexcept {
    if (!scope_needs_list(rule)) {
        busy_section busy;
        return count_live(filter);
    }
    block_list const list = scope_blocks(filter, rule, self, name);
    raw_free(list.items);
    return block_totals{list.count, list.bytes};
}

} // namespace detail

scope_rule whole_test_rule() noexcept { return detail::option_test_checks(); }

scope::scope(const char* file, int line, const char* name, threads which, scope_rule rule) noexcept
    : file_(file), name_(name ? name : ""), line_(line), which_(which), rule_(rule), done_(false), thread_(0),
      start_(0), uncaught_(0) {
    detail::ensure_initialised();
#if defined(__cpp_lib_uncaught_exceptions) && __cpp_lib_uncaught_exceptions >= 201411L
    uncaught_ = std::uncaught_exceptions();
#endif
    if (which_ == this_thread) {
        // The thread needs its number (and shard) now, to tell its blocks from the others'.
        if (!detail::t_state.home) detail::acquire_home_shard();
        thread_ = detail::t_state.thread;
    }
    start_ = detail::begin_epoch();
}

scope::~scope() {
    if (!done_ && !leaving_by_exception()) check();
}

// The queries and the check are out of line and capture their caller first: the calling thread's
// roots for a leak check (see LEAKGUARD_DETAIL_CAPTURE_CALLER).
LEAKGUARD_DETAIL_NOINLINE std::size_t scope::leaked_blocks() const noexcept {
    detail::caller_context self;
    LEAKGUARD_DETAIL_CAPTURE_CALLER(self);
    return detail::scope_totals(detail::filter_for(start_, thread_, rule_), rule_, self, name_).blocks;
}

LEAKGUARD_DETAIL_NOINLINE std::size_t scope::leaked_bytes() const noexcept {
    detail::caller_context self;
    LEAKGUARD_DETAIL_CAPTURE_CALLER(self);
    return detail::scope_totals(detail::filter_for(start_, thread_, rule_), rule_, self, name_).bytes;
}

LEAKGUARD_DETAIL_NOINLINE std::size_t scope::leaks(block_info* out, std::size_t max) const noexcept {
    detail::caller_context self;
    LEAKGUARD_DETAIL_CAPTURE_CALLER(self);
    if (!detail::scope_needs_list(rule_)) {
        detail::busy_section busy;
        return detail::copy_live(detail::filter_for(start_, thread_, rule_), out, max);
    }
    detail::block_list const list =
        detail::scope_blocks(detail::filter_for(start_, thread_, rule_), rule_, self, name_);
    for (std::size_t i = 0; list.items && i < list.count && i < max; ++i) out[i] = list.items[i];
    detail::raw_free(list.items);
    return list.count;
}

LEAKGUARD_DETAIL_NOINLINE bool scope::check() noexcept {
    detail::caller_context self;
    LEAKGUARD_DETAIL_CAPTURE_CALLER(self);
    done_ = true;
    scope_rule judged = rule_;
    detail::block_list list =
        detail::scope_blocks(detail::filter_for(start_, thread_, rule_), rule_, self, name_, &judged);
    if (list.count == 0) {
        detail::raw_free(list.items);
        return true;
    }
    detail::dispatch_failure(detail::failure_of(name_, file_, line_, list, judged));
    detail::raw_free(list.items);
    return false;
}

scope_failure_handler set_scope_failure_handler(scope_failure_handler handler) noexcept {
    return detail::g_scope_failure_handler.exchange(handler, std::memory_order_acq_rel);
}

void print_scope_failure(const scope_failure& f) noexcept {
    detail::busy_section busy;
    detail::fd_writer out(detail::report_fd());
    detail::write_failure_summary(out, f, true);
    out.put("\n");
    detail::write_failure_groups(out, f, detail::report_layout);
    detail::write_debug_notes(out);
}

} // namespace leakguard

#endif
// #include "leakguard/detail/runtime/repeat_checks.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// runtime/repeat_checks.hpp: leakguard::repeat_check - the repetitions' sequence numbers, and the
// check that keeps the sites with blocks alive from every repetition.
#ifndef LEAKGUARD_DETAIL_RUNTIME_REPEAT_CHECKS_HPP_INCLUDED
#define LEAKGUARD_DETAIL_RUNTIME_REPEAT_CHECKS_HPP_INCLUDED

#include <algorithm> // std::sort (in place: it does not allocate)

// #include "leakguard/repeat.hpp" (inlined)
// #include "leakguard/detail/core/options.hpp" (inlined)
// #include "leakguard/detail/heap/registry.hpp" (inlined)
// #include "leakguard/detail/heap/startup.hpp" (inlined)
// #include "leakguard/detail/report/collect.hpp" (inlined)
// #include "leakguard/detail/report/failures.hpp" (inlined)
// #include "leakguard/detail/report/leak_groups.hpp" (inlined)
// #include "leakguard/detail/report/suppressions.hpp" (inlined)
// #include "leakguard/detail/runtime/scope_checks.hpp" (inlined)

namespace leakguard {
namespace detail {

// The repetition a sequence number falls in (starts[0..times] ascending); -1 outside them all.
inline int repetition_of(std::uint64_t seq, const std::uint64_t* starts, int times) noexcept {
    if (seq < starts[0] || seq >= starts[times]) return -1;
    int const r = static_cast<int>(std::upper_bound(starts, starts + times + 1, seq) - starts) - 1;
    return r;
}

// Keeps, in place, the blocks of the sites that have blocks from every repetition (by site, as a
// report groups them: resolve_sites first); returns how many are kept, oldest first.
inline std::size_t keep_repeated_sites(block_list& list, const std::uint64_t* starts, int times) noexcept {
    resolve_sites(list);
    std::sort(list.items, list.items + list.count, [](const block_info& a, const block_info& b) {
        if (site_key(a) != site_key(b)) return site_key(a) < site_key(b);
        return a.seq < b.seq;
    });
    std::size_t kept = 0;
    for (std::size_t i = 0; i < list.count;) {
        std::size_t j = i;
        std::uint64_t seen = 0; // one bit per repetition (max_repetitions <= 64)
        for (; j < list.count && site_key(list.items[j]) == site_key(list.items[i]); ++j) {
            int const r = repetition_of(list.items[j].seq, starts, times);
            if (r >= 0) seen |= std::uint64_t(1) << r;
        }
        std::uint64_t const all = times >= 64 ? ~std::uint64_t(0) : (std::uint64_t(1) << times) - 1;
        if (seen == all)
            for (std::size_t k = i; k < j; ++k) list.items[kept++] = list.items[k];
        i = j;
    }
    std::sort(list.items, list.items + kept, [](const block_info& a, const block_info& b) { return a.seq < b.seq; });
    list.count = kept;
    list.bytes = 0;
    for (std::size_t k = 0; k < kept; ++k) list.bytes += list.items[k].size;
    return kept;
}

} // namespace detail

repeat_check::repeat_check(const char* file, int line, int times, const char* name) noexcept
    : file_(file), name_(name ? name : ""), line_(line), times_(times), started_(0), done_(false), starts_() {
    detail::ensure_initialised();
    if (times_ <= 0) times_ = detail::option_repeats();
    if (times_ < 1) times_ = 1;
    if (times_ > max_repetitions) times_ = max_repetitions;
}

repeat_check::~repeat_check() {
    if (!done_ && started_ == times_) check();
}

bool repeat_check::next() noexcept {
    if (started_ < times_) {
        starts_[started_++] = detail::begin_epoch();
        return true;
    }
    if (!done_) {
        starts_[times_] = detail::begin_epoch();
        check();
    }
    return false;
}

bool repeat_check::check() noexcept {
    if (done_) return true;
    done_ = true;
    if (started_ == 0) return true;
    if (starts_[started_] == 0) starts_[started_] = detail::begin_epoch();
    int const ran = started_;
    detail::block_list list;
    {
        detail::busy_section busy;
        list = detail::collect_live(detail::filter_for(starts_[0], 0, scope_rule::strict));
        detail::drop_suppressed(list);
        // Counted but not listed (memory ran out): no site can be cleared, the check fails.
        if (list.count && list.items) detail::keep_repeated_sites(list, starts_, ran);
    }
    if (list.count == 0) {
        detail::raw_free(list.items);
        return true;
    }
    scope_failure f = detail::failure_of(name_, file_, line_, list, scope_rule::strict);
    f.repetitions = ran;
    f.repetition_starts = starts_;
    detail::dispatch_failure(f);
    detail::raw_free(list.items);
    return false;
}

} // namespace leakguard

#endif
// #include "leakguard/detail/runtime/api_functions.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// runtime/api_functions.hpp: the public functions of api.hpp.
#ifndef LEAKGUARD_DETAIL_RUNTIME_API_FUNCTIONS_HPP_INCLUDED
#define LEAKGUARD_DETAIL_RUNTIME_API_FUNCTIONS_HPP_INCLUDED

// #include "leakguard/api.hpp" (inlined)
// #include "leakguard/detail/heap/registry.hpp" (inlined)
// #include "leakguard/detail/heap/startup.hpp" (inlined)
// #include "leakguard/detail/libc/ownership.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// libc/ownership.hpp: whose is a pointer given to free(), realloc() or leakguard::ignore() - the
// C functions take any pointer of the process, leakguard's blocks and everybody else's - and
// free() itself, which releases leakguard's blocks and passes every other pointer on.
#ifndef LEAKGUARD_DETAIL_LIBC_OWNERSHIP_HPP_INCLUDED
#define LEAKGUARD_DETAIL_LIBC_OWNERSHIP_HPP_INCLUDED

#include <cstdint> // std::uint32_t

// #include "leakguard/detail/heap/block.hpp" (inlined)
// #include "leakguard/detail/heap/block_errors.hpp" (inlined)
// #include "leakguard/detail/heap/page_index.hpp" (inlined)
// #include "leakguard/detail/heap/release.hpp" (inlined)
// #include "leakguard/detail/core/libc_functions.hpp" (inlined)
// #include "leakguard/detail/core/platform.hpp" (inlined)

namespace leakguard {
namespace detail {

// Whose is a non-null pointer that may not be leakguard's:
//   live      a live block of leakguard's;
//   released  a block leakguard released, whose memory it may or may not still hold (a double free);
//   damaged   possibly a block of leakguard's whose header a buffer underflow overwrote: it is
//             leakguard's if it is found in a shard list (detach_damaged), anybody else's if not;
//   broken    leakguard's memory for certain (in the page index), but neither live nor released by
//             its cookie: a header overwritten, of a live block (then in a list) or a released one;
//   foreign   anybody else's: the C library's, a preloaded allocator's, a sanitizer's.
enum class ownership { live, released, damaged, broken, foreign };

// The proof depends on the allocator underneath (core/heap_kind.hpp):
//  - glibc's keeps its chunk's size word in the 8 bytes in front of every pointer its malloc
//    returned, so those are readable and rewritten whenever glibc hands the chunk out: the cookie
//    alone proves a block live (a glibc size never has bit 3 set), a released cookie one leakguard
//    released, and a header that cannot be glibc's size word may be a damaged one of ours;
//  - under any other allocator those bytes may be anything: the end of the block before, or a
//    header leakguard wrote into memory it has since given back (heap/block_memory.hpp wipes the
//    cookie then). The cookie (keyed per process, heap/cookie_key.hpp) must come with the
//    thread/front pair of the same word - 47 bits that other bytes match by chance once in 10^14
//    pointers - and nothing else is guessed: a pointer that fails is passed on untouched (after a
//    search of the shard lists where every C block is leakguard's: owner_by_other_cookie).
// Whatever the allocator, the 8 bytes in front of a pointer that starts a page are on the page
// before, which may not be mapped: they are read only for a block in the page index (which is
// then leakguard's) - or under glibc, where `glibc_reads` (free, realloc, malloc_usable_size: the
// C library reads the same bytes next) - and the pointer is foreign otherwise.

// Whether the 8 bytes in front of a pointer that failed the cookie test, under glibc, could be a
// damaged header of ours rather than glibc's chunk size: glibc's never has bit 3 (cookie_mark)
// set, and its upper half is zero below 4 GiB, where ours holds the thread/front pair (front =
// thread ^ front_mark, never both zero). Only then are the shard lists searched: a plain free()
// of the C library's memory stays cheap.
inline bool looks_damaged(const void* p, std::uint32_t cookie) noexcept {
    return (cookie & cookie_mark) || front_in_front_of(p) != 0;
}

// The judgement of a pointer whose cookie (`cookie`, read from readable bytes) is not its live
// cookie `live`: see above. Where leakguard defines the whole malloc family (LEAKGUARD_DETAIL_INTERPOSE_ALLOC)
// every C block is its own, so under another allocator, where no size word tells a broken header
// from other bytes, a pointer that is not proved anything is looked for in the lists (damaged):
// a foreign pointer is rare there, and the search costs only its free.
LEAKGUARD_DETAIL_ALWAYS_INLINE ownership owner_by_other_cookie(const void* p, std::uint32_t cookie,
                                                               std::uint32_t live) noexcept {
    if (LEAKGUARD_DETAIL_UNLIKELY(cookie == (live ^ freed_cookie_flip)))
        return heap_is_glibc() || thread_pair_in_front_of(p) ? ownership::released : ownership::foreign;
#if LEAKGUARD_DETAIL_INTERPOSE_ALLOC
    bool const suspect = !heap_is_glibc() || looks_damaged(p, cookie);
#else // the C library's own pointers are the most frequent here: the cheap test first
    bool const suspect = looks_damaged(p, cookie) && heap_is_glibc();
#endif
    return LEAKGUARD_DETAIL_UNLIKELY(suspect) ? ownership::damaged : ownership::foreign;
}

// A live cookie under an allocator other than glibc's (or one not known yet): live with its
// thread/front pair. Without it, a live block whose front guard a write just before it broke (its
// cookie intact, so is the rest of its header: it is released, and the write reported, as under
// glibc), or other bytes that matched the cookie by chance: the shard lists tell.
LEAKGUARD_DETAIL_NOINLINE inline ownership owner_by_live_cookie(const void* p) noexcept {
    if (heap_is_glibc() || thread_pair_in_front_of(p) || listed(header_of(p))) return ownership::live;
    return ownership::foreign;
}

// A pointer whose 8 bytes in front are on another page (front_off_page): see above.
LEAKGUARD_DETAIL_NOINLINE inline ownership owner_of_page_start(const void* p, bool glibc_reads) noexcept {
    const block_header* h = header_of(p);
    if (page_index_contains(p)) { // leakguard's memory: the header in front is readable
        std::uint32_t const cookie = cookie_in_front_of(p);
        if (cookie == cookie_for(h)) return ownership::live;
        if (cookie == freed_cookie_for(h)) return ownership::released;
        return ownership::broken;
    }
    if (!glibc_reads || !heap_is_glibc()) return ownership::foreign;
    std::uint32_t const cookie = cookie_in_front_of(p);
    std::uint32_t const live = cookie_for(h);
    // Live blocks that start a page are in the index, but under glibc the cookie is proof enough.
    return cookie == live ? ownership::live : owner_by_other_cookie(p, cookie, live);
}

// Whose is non-null `p`. `glibc_reads`: the caller passes a foreign pointer on to the C library,
// which reads in front of it itself (see above); leakguard::ignore() does not.
LEAKGUARD_DETAIL_ALWAYS_INLINE ownership owner_of(const void* p, bool glibc_reads = true) noexcept {
    if (LEAKGUARD_DETAIL_UNLIKELY(front_off_page(p))) return owner_of_page_start(p, glibc_reads);
    std::uint32_t const cookie = cookie_in_front_of(p);
    std::uint32_t const live = cookie_for(header_of(p));
    if (LEAKGUARD_DETAIL_LIKELY(cookie == live)) {
        if (LEAKGUARD_DETAIL_LIKELY(g_heap_kind.load(std::memory_order_relaxed) == heap_glibc)) return ownership::live;
        return owner_by_live_cookie(p);
    }
    return owner_by_other_cookie(p, cookie, live);
}

// Whether `p`, a pointer owner_of calls foreign, lies inside the header of one of leakguard's live
// blocks: free(p - 48) or free(p - 16) on one of them, which the C library would take for (or
// crash on as) a chunk of its own while the block is still listed. Only under glibc, whose heap
// makes the candidates' cookies readable: from a pointer inside a header, every byte up to the
// block is the header's; from a chunk glibc handed out, the next header_size bytes are its own or
// the chunks after it (a heap ends with its top chunk, never right after a chunk in use). A
// block's user pointer is 16-aligned and at least header_size + 32 bytes past any other chunk's,
// so no foreign chunk is ever taken for one.
LEAKGUARD_DETAIL_NOINLINE inline bool inside_live_header(const void* p) noexcept {
    if (!heap_is_glibc()) return false;
    std::uintptr_t const at = reinterpret_cast<std::uintptr_t>(p);
    for (std::uintptr_t user = (at + 16) & ~std::uintptr_t(15); user <= at + header_size; user += 16)
        if (owner_of(reinterpret_cast<const void*>(user)) == ownership::live) return true;
    return false;
}

// How release_c_live and release_c are compiled: out of line while free() of the C library's own
// memory is the most frequent (it then stays short); inlined into free() where every C block is
// leakguard's (LEAKGUARD_DETAIL_INTERPOSE_ALLOC), as operator delete inlines its short path.
#if LEAKGUARD_DETAIL_INTERPOSE_ALLOC
#define LEAKGUARD_DETAIL_C_FREE_LIVE LEAKGUARD_DETAIL_ALWAYS_INLINE
#define LEAKGUARD_DETAIL_C_FREE LEAKGUARD_DETAIL_ALWAYS_INLINE
#else
#define LEAKGUARD_DETAIL_C_FREE_LIVE LEAKGUARD_DETAIL_NOINLINE inline
#define LEAKGUARD_DETAIL_C_FREE inline
#endif

// free() of live block `h` (its cookie read once, by owner_of). The short path is tried here,
// once, for a block of a C kind freed without a mapping macro's file:line (the quarantine keeps
// that free site, which only the general path records); anything else takes the general path.
LEAKGUARD_DETAIL_C_FREE_LIVE void release_c_live(block_header* h, const void* caller, const char* file,
                                                 int line) noexcept {
    if (file || LEAKGUARD_DETAIL_UNLIKELY(!form_matches(kind_of(h), dealloc_form::c_free)))
        return release_block_slow(h, caller, dealloc_form::c_free, file, line);
    fast_release_live(h, 0, dealloc_form::c_free, caller); // the kind judged just above
}

// free() of any pointer, the entry of the C free path: leakguard's blocks are released
// (release_c_live); a pointer leakguard released before is a double free; a damaged header is
// searched for (detach_damaged); anything else belongs to the C library (or another allocator)
// and goes there untouched.
LEAKGUARD_DETAIL_C_FREE void release_c(void* p, const void* caller, const char* file, int line) noexcept {
    if (!p) return;
    switch (owner_of(p)) {
    case ownership::live: return release_c_live(header_of(p), caller, file, line);
    case ownership::released: return report_bad_free(p, true, caller, dealloc_form::c_free, file, line);
    case ownership::damaged:
        if (detach_damaged(header_of(p), caller, dealloc_form::c_free, file, line)) return;
        // Under glibc, bit 3 set: no glibc chunk size; the C library would abort on it.
        if (heap_is_glibc() && ((cookie_in_front_of(p) & cookie_mark) || inside_live_header(p)))
            return report_bad_free(p, false, caller, dealloc_form::c_free, file, line);
        return libc_free(p);
    case ownership::broken:
        if (detach_damaged(header_of(p), caller, dealloc_form::c_free, file, line)) return;
        return report_bad_free(p, false, caller, dealloc_form::c_free, file, line); // never the C library's
    case ownership::foreign:
        if (LEAKGUARD_DETAIL_UNLIKELY(inside_live_header(p)))
            return report_bad_free(p, false, caller, dealloc_form::c_free, file, line);
        return libc_free(p);
    }
}

} // namespace detail
} // namespace leakguard

#undef LEAKGUARD_DETAIL_C_FREE
#undef LEAKGUARD_DETAIL_C_FREE_LIVE

#endif
// #include "leakguard/detail/report/check_heap.hpp" (inlined)
// #include "leakguard/detail/report/collect.hpp" (inlined)
// #include "leakguard/detail/report/failures.hpp" (inlined)
// #include "leakguard/detail/core/options.hpp" (inlined)
// #include "leakguard/detail/report/exit_report.hpp" (inlined)
// #include "leakguard/detail/report/stats.hpp" (inlined)
// #include "leakguard/detail/report/suppressions.hpp" (inlined)
// #include "leakguard/detail/runtime/monitor.hpp" (inlined)

namespace leakguard {

const char* kind_name(block_kind kind) noexcept {
    switch (kind) {
    case block_kind::new_scalar: return "new";
    case block_kind::new_array: return "new[]";
    case block_kind::new_scalar_aligned: return "new(align)";
    case block_kind::new_array_aligned: return "new[](align)";
    case block_kind::malloc: return "malloc";
    case block_kind::calloc: return "calloc";
    case block_kind::realloc: return "realloc";
    case block_kind::strdup: return "strdup";
    case block_kind::strndup: return "strndup";
    case block_kind::memalign: return "memalign";
    case block_kind::posix_memalign: return "posix_memalign";
    case block_kind::aligned_alloc: return "aligned_alloc";
    case block_kind::valloc: return "valloc";
    case block_kind::pvalloc: return "pvalloc";
    }
    return "unknown";
}

const char* leak_kind_name(leak_kind kind) noexcept {
    switch (kind) {
    case leak_kind::definite: return "definite";
    case leak_kind::indirect: return "indirect";
    case leak_kind::possible: return "possible";
    case leak_kind::reachable: return "reachable";
    case leak_kind::unchecked: return "unchecked";
    }
    return "unknown";
}

statistics stats() noexcept {
    detail::ensure_initialised();
    detail::busy_section busy;
    return detail::current_stats();
}

bool set_option(const char* key, const char* value) noexcept {
    detail::ensure_initialised();
    bool const ok = detail::apply_option(key, value, "leakguard::set_option");
    detail::apply_monitor_options(); // here, in the program's own call: a thread may be made
    return ok;
}

bool set_options(const char* list) noexcept {
    detail::ensure_initialised();
    bool const ok = detail::apply_option_list(list, "leakguard::set_options");
    detail::apply_monitor_options();
    return ok;
}

bool option_at(std::size_t index, option_info& out) noexcept {
    if (index >= detail::option_count) return false;
    detail::option_spec const& o = detail::option_table[index];
    out.name = o.name;
    detail::format_option_values(o, out.values, sizeof out.values);
    detail::format_option_default(o, out.default_value, sizeof out.default_value);
    out.help = o.help;
    return true;
}

bool ignore(const void* p) noexcept {
    if (!p) return false;
    // Any pointer of the program: nothing in front of one that starts a page is read unless it is
    // leakguard's (libc/ownership.hpp).
    if (detail::owner_of(p, false) != detail::ownership::live) return false;
    detail::block_header* h = detail::header_of(p);
    if (!(detail::flags_of(h) & detail::flag_linked)) return true; // never reported anyway
    detail::shard* s = detail::g_registry.shards[detail::shard_of(h)];
    if (s == detail::t_state.home) {
        bool const locked = detail::owner_enter(s);
        detail::add_flags(h, detail::flag_ignored);
        detail::owner_exit(s, locked);
    } else {
        detail::lock_shard(s);
        detail::add_flags(h, detail::flag_ignored);
        detail::unlock_shard(s);
    }
    return true;
}

void begin_ignore() noexcept { ++detail::t_state.ignore_depth; }
void end_ignore() noexcept {
    if (detail::t_state.ignore_depth > 0) --detail::t_state.ignore_depth;
}

std::size_t live_blocks(block_info* out, std::size_t max) noexcept {
    detail::busy_section busy;
    detail::block_filter const all = {0, 0, false, false};
    return detail::copy_live(all, out, max);
}

// Out of line: see LEAKGUARD_DETAIL_CAPTURE_CALLER.
LEAKGUARD_DETAIL_NOINLINE std::size_t report_now() noexcept {
    detail::caller_context self;
    LEAKGUARD_DETAIL_CAPTURE_CALLER(self);
    detail::ensure_initialised();
    detail::busy_section busy;
    return detail::write_report("now", &self).leaked_blocks;
}

// Out of line: see LEAKGUARD_DETAIL_CAPTURE_CALLER.
LEAKGUARD_DETAIL_NOINLINE leak_check_result check_leaks() noexcept {
    detail::caller_context self;
    LEAKGUARD_DETAIL_CAPTURE_CALLER(self);
    detail::ensure_initialised();
    detail::busy_section busy;
    detail::reach_totals t;
    if (detail::suppressions_loaded()) { // the blocks must be named to be matched: the report's way
        detail::block_list list = detail::collect_checked(self, t);
        detail::suppress_checked(list, t, false);
        detail::raw_free(list.items);
    } else {
        t = detail::run_leak_check(self, [](const detail::block_header&, leak_kind, std::size_t) {});
    }
    detail::block_totals const failing = detail::failing_totals(t);
    leak_check_result r;
    r.definite = leak_totals{t.blocks[1], t.bytes[1]};
    r.indirect = leak_totals{t.blocks[2], t.bytes[2]};
    r.possible = leak_totals{t.blocks[3], t.bytes[3]};
    r.reachable = leak_totals{t.blocks[4], t.bytes[4]};
    r.leaked_blocks = failing.blocks;
    r.leaked_bytes = failing.bytes;
    r.unpaused_threads = t.unpaused_threads;
    r.suppressed = leak_totals{t.suppressed_blocks, t.suppressed_bytes};
    return r;
}

bool register_root_region(const void* p, std::size_t size) noexcept { return detail::add_root_region(p, size); }
bool unregister_root_region(const void* p, std::size_t size) noexcept { return detail::remove_root_region(p, size); }

bool check_heap() noexcept {
    detail::ensure_initialised();
    return detail::check_heap_now() == 0;
}

std::size_t scope_failures() noexcept { return detail::failure_count(); }

void reset_scope_failures() noexcept {
    detail::lock_guard hold(detail::g_failures.lock);
    detail::g_failures.count = 0;
}

} // namespace leakguard

#endif
// #include "leakguard/detail/runtime/snapshot_functions.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// runtime/snapshot_functions.hpp: the public functions of snapshot.hpp.
#ifndef LEAKGUARD_DETAIL_RUNTIME_SNAPSHOT_FUNCTIONS_HPP_INCLUDED
#define LEAKGUARD_DETAIL_RUNTIME_SNAPSHOT_FUNCTIONS_HPP_INCLUDED

#include <cstdint> // std::uint64_t, UINT64_MAX
#include <cstdio>  // std::snprintf
#include <ctime>   // clock_gettime, CLOCK_MONOTONIC (POSIX, declared by <time.h> under it)

// #include "leakguard/snapshot.hpp" (inlined)
// #include "leakguard/detail/heap/registry.hpp" (inlined)
// #include "leakguard/detail/heap/startup.hpp" (inlined)
// #include "leakguard/detail/report/leak_groups.hpp" (inlined)
// #include "leakguard/detail/report/snapshot_report.hpp" (inlined)
// #include "leakguard/detail/report/stats.hpp" (inlined)

namespace leakguard {
namespace detail {

inline std::uint64_t monotonic_ns() noexcept {
    timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) return 0;
    return static_cast<std::uint64_t>(ts.tv_sec) * 1000000000u + static_cast<std::uint64_t>(ts.tv_nsec);
}

// The counters and the clock now, in a copy of `s`: no new epoch, since nothing is compared
// against this one's number (report_since and write_since_json bound nothing above).
inline snapshot counters_now(const snapshot& s) noexcept {
    snapshot now = s;
    statistics const st = current_stats();
    now.allocations = st.allocations;
    now.frees = st.frees;
    now.live_blocks = st.live_blocks;
    now.live_bytes = st.live_bytes;
    now.time_ns = monotonic_ns();
    return now;
}

// A snapshot, taken with tracking suspended. Its number is a scope's start number (begin_epoch):
// every thread drops its reserved numbers and takes fresh ones above it.
inline snapshot take_snapshot() noexcept {
    snapshot s = snapshot();
    s.seq = begin_epoch();
    return counters_now(s);
}

// The blocks with from.seq <= seq < to.seq alive now, grouped, the diff they make, and (`print`)
// the text of report_diff. `to` is a snapshot, or (report_since) one taken just now with its
// number left unbounded.
inline snapshot_diff between(const snapshot& from, const snapshot& to, std::uint64_t hi, const char* what,
                             bool print) noexcept {
    grouped_leaks const leaks(collect_between(from.seq, hi));
    snapshot_diff const d = diff_of(from, to, leaks);
    if (print) write_between_text(what, d, leaks);
    return d;
}

} // namespace detail

snapshot snapshot_now() noexcept {
    detail::ensure_initialised();
    detail::busy_section busy;
    return detail::take_snapshot();
}

std::size_t report_since(const snapshot& s) noexcept {
    detail::ensure_initialised();
    detail::busy_section busy;
    snapshot const now = detail::counters_now(s);
    char what[96];
    std::snprintf(what, sizeof what, "since the snapshot at #%llu (%.3f s ago)", static_cast<unsigned long long>(s.seq),
                  detail::seconds_between(s, now));
    return detail::between(s, now, UINT64_MAX, what, true).blocks;
}

snapshot_diff diff(const snapshot& a, const snapshot& b) noexcept {
    detail::ensure_initialised();
    detail::busy_section busy;
    const snapshot& from = a.seq <= b.seq ? a : b;
    const snapshot& to = a.seq <= b.seq ? b : a;
    return detail::between(from, to, to.seq, "", false);
}

snapshot_diff report_diff(const snapshot& a, const snapshot& b) noexcept {
    detail::ensure_initialised();
    detail::busy_section busy;
    const snapshot& from = a.seq <= b.seq ? a : b;
    const snapshot& to = a.seq <= b.seq ? b : a;
    char what[128];
    std::snprintf(what, sizeof what, "between the snapshots at #%llu and #%llu (%.3f s apart)",
                  static_cast<unsigned long long>(from.seq), static_cast<unsigned long long>(to.seq),
                  detail::seconds_between(from, to));
    return detail::between(from, to, to.seq, what, true);
}

bool write_since_json(const snapshot& s, const char* path) noexcept {
    detail::ensure_initialised();
    detail::busy_section busy;
    snapshot const now = detail::counters_now(s);
    detail::grouped_leaks const leaks(detail::collect_between(s.seq, UINT64_MAX));
    return detail::write_since_json_file(path, s, now, detail::diff_of(s, now, leaks), leaks);
}

} // namespace leakguard

#endif // LEAKGUARD_DETAIL_RUNTIME_SNAPSHOT_FUNCTIONS_HPP_INCLUDED
// #include "leakguard/detail/runtime/exit_hook.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// runtime/exit_hook.hpp: the report at process exit, and the exit status.
//
// When: from the executable's destructor list (.fini_array), which glibc's loader runs after
// exit() has run every atexit handler and every static destructor registered by the program - the
// loader registers its own exit handler before any of those. So globals that free their memory in
// destructors are not reported. (Static objects of shared libraries that were constructed before
// the program started are destroyed after the report; see docs/limits.md.) The tracker keeps
// working after the report: its state is plain data that is never destroyed.
#ifndef LEAKGUARD_DETAIL_RUNTIME_EXIT_HOOK_HPP_INCLUDED
#define LEAKGUARD_DETAIL_RUNTIME_EXIT_HOOK_HPP_INCLUDED

#include <cstdio>   // std::fflush
#include <iostream> // std::cout, std::cerr, std::clog (flushed before _exit)
#include <unistd.h> // _exit

// #include "leakguard/detail/heap/startup.hpp" (inlined)
// #include "leakguard/detail/report/check_heap.hpp" (inlined)
// #include "leakguard/detail/report/exit_report.hpp" (inlined)
// #include "leakguard/detail/report/interrupted_report.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// report/interrupted_report.hpp: the exit report on a thread that was stopped inside leakguard or
// inside the C library's allocator - exit() called from a signal handler that interrupted an
// allocation or a free. That thread holds a lock, or is halfway through changing a list, or holds
// malloc's own lock, and it will never run again: the full report would wait for it for ever (or
// read a list in the middle of a change). This one takes no lock it could wait on, calls no
// malloc and walks no list: the counters, with every live block said to be not judged, and the
// JSON report with what is certain. The blocks it could not judge do not fail the run - where
// the signal lands is chance, and a run's verdict must not be (docs/limits.md).
#ifndef LEAKGUARD_DETAIL_REPORT_INTERRUPTED_REPORT_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REPORT_INTERRUPTED_REPORT_HPP_INCLUDED

#include <unistd.h> // close

// #include "leakguard/detail/core/inside_marks.hpp" (inlined)
// #include "leakguard/detail/core/options.hpp" (inlined)
// #include "leakguard/detail/core/platform.hpp" (inlined)
// #include "leakguard/detail/core/report_stream.hpp" (inlined)
// #include "leakguard/detail/heap/errors.hpp" (inlined)
// #include "leakguard/detail/heap/registry.hpp" (inlined)
// #include "leakguard/detail/report/baseline.hpp" (inlined)
// #include "leakguard/detail/report/failures.hpp" (inlined)
// #include "leakguard/detail/report/json_report.hpp" (inlined)
// #include "leakguard/detail/report/stats.hpp" (inlined)
// #include "leakguard/detail/report/text_report.hpp" (inlined)

namespace leakguard {
namespace detail {

// Whether the current thread was stopped inside leakguard: a lock or list section of its own, the C
// library's allocator (core/inside_marks.hpp), or its home shard's owner section - told by the
// shard's own flag, which only its owner sets, so the hot paths carry no mark of their own.
inline bool interrupted_in_tracker() noexcept {
    const shard* const home = t_state.home;
    return interrupted_inside() || (home && home->owner_busy.load(std::memory_order_relaxed) != 0);
}

inline std::size_t failure_count_without_waiting() noexcept {
    if (!g_failures.lock.try_lock()) return __atomic_load_n(&g_failures.count, __ATOMIC_RELAXED);
    std::size_t const n = g_failures.count;
    g_failures.lock.unlock();
    return n;
}

inline report_outcome write_interrupted_report(const char* when) noexcept {
    statistics const st = current_stats(false);
    reach_totals totals = {{0, 0, 0, 0, 0}, {0, 0, 0, 0, 0}, 0, false, 0, 0};
    totals.blocks[0] = static_cast<std::size_t>(st.live_blocks);
    totals.bytes[0] = static_cast<std::size_t>(st.live_bytes);
    report_outcome const outcome = {0, failure_count_without_waiting(), g_errors.count.load(std::memory_order_relaxed)};
    if (g_options.report != report_mode::off) {
        fd_writer out(report_fd_without_waiting());
        char amount[96];
        format_amount(amount, sizeof amount, totals.bytes[0], totals.blocks[0]);
        out.printf("leakguard: report incomplete: exit() ran on a thread stopped inside leakguard or malloc (a "
                   "signal handler's?), so the heap was not walked; %s alive %s were not judged (%llu "
                   "allocations, %llu frees, peak %llu bytes)\n",
                   amount, when, static_cast<unsigned long long>(st.allocations),
                   static_cast<unsigned long long>(st.frees), static_cast<unsigned long long>(st.peak_bytes));
        if (outcome.failed_scopes || outcome.errors)
            out.printf("leakguard: %zu failed %s and %llu heap %s recorded before (listed only in a full report)\n",
                       outcome.failed_scopes, plural(outcome.failed_scopes, "scope", "scopes"),
                       static_cast<unsigned long long>(outcome.errors), plural(outcome.errors, "error", "errors"));
    }
    if (g_options.json_path[0]) {
        int const fd = open_for_writing(g_options.json_path);
        if (fd >= 0) {
            {
                fd_writer out(fd);
                json_writer json(out);
                begin_json_document(json);
                block_totals const failing = {0, 0};
                baseline_totals const known = baseline_totals();
                write_json_summary(json, st, totals, failing, known, "interrupted");
                json.new_line();
                json.key("leaks");
                json.begin_array();
                json.end_array();
                json.new_line();
                json.key("records");
                json.begin_array();
                json.end_array();
                write_json_failures_and_errors(json, false);
            }
            ::close(fd);
        }
    }
    return outcome;
}

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_REPORT_INTERRUPTED_REPORT_HPP_INCLUDED
// #include "leakguard/detail/runtime/monitor.hpp" (inlined)

namespace leakguard {
namespace detail {

__attribute__((destructor)) static void report_at_exit() {
    report_outcome outcome;
    if (interrupted_in_tracker()) { // exit() from a signal handler: see report/interrupted_report.hpp
        // The monitor is not joined: it may be waiting for what this thread holds.
        busy_section busy;
        outcome = write_interrupted_report("at exit");
    } else {
        ensure_initialised();
        stop_monitor();   // joined before the report: nothing walks the lists while it runs
        check_heap_now(); // its errors are part of the report
        busy_section busy;
        outcome = write_report("at exit", nullptr);
    }
    int const code = option_exitcode();
    if (code == 0 || (outcome.leaked_blocks == 0 && outcome.failed_scopes == 0 && outcome.errors == 0)) return;
        // exit() is already under way and its status cannot be changed: end the process here, after
        // flushing what the program wrote (the C++ streams may be unsynchronised from stdio).
#if LEAKGUARD_DETAIL_EXCEPTIONS
    try {
#endif
        std::cout.flush();
        std::clog.flush();
        std::cerr.flush();
#if LEAKGUARD_DETAIL_EXCEPTIONS
    } catch (...) {}
#endif
    std::fflush(nullptr);
    ::_exit(code);
}

} // namespace detail
} // namespace leakguard

#endif
// #include "leakguard/detail/heap/operators.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// heap/operators.hpp: the replacement global operator new and delete, every standard form.
//
// Each is noinline so that __builtin_return_address(0) is the code that called it, even when the
// program's own code sits in the LEAKGUARD_MAIN translation unit. Each goes down once: the
// unaligned forms try their short path (fast_allocate, heap/allocate.hpp; fast_release,
// heap/release.hpp), inlined, exactly once, and otherwise take the general path (allocate_slow
// through new_or_throw / new_or_null; the general path of a free, which fast_release itself goes
// on to); the aligned forms take the general path only.
#ifndef LEAKGUARD_DETAIL_HEAP_OPERATORS_HPP_INCLUDED
#define LEAKGUARD_DETAIL_HEAP_OPERATORS_HPP_INCLUDED

#include <new> // std::bad_alloc, std::nothrow_t, std::get_new_handler, std::align_val_t

// #include "leakguard/detail/heap/allocate.hpp" (inlined)
// #include "leakguard/detail/heap/block.hpp" (inlined)
// #include "leakguard/detail/heap/errors.hpp" (inlined)
// #include "leakguard/detail/heap/new_sites.hpp" (inlined)
// #include "leakguard/detail/heap/release.hpp" (inlined)

namespace leakguard {
namespace detail {

// The general path of operator new, once the short path declined (or for the aligned forms), with
// the standard's contract for the throwing forms: on failure call the new_handler and try again
// (the general path again); with no handler, throw std::bad_alloc. Size 0 gets a unique block (its
// header makes it non-empty).
inline void* new_or_throw(std::size_t size, std::size_t align, block_kind kind, const void* caller, const void* frame) {
    for (;;) {
        if (void* p = allocate_slow(size, align, kind, caller, 0, frame)) {
            if (LEAKGUARD_DETAIL_UNLIKELY(new_sites_on())) remember_new(p);
            return p;
        }
        std::new_handler handler = std::get_new_handler();
#if LEAKGUARD_DETAIL_EXCEPTIONS
        if (!handler) throw std::bad_alloc();
#else
        if (!handler) __builtin_abort();
#endif
        handler();
    }
}

// The nothrow forms: the same loop, and nullptr where the throwing form would throw.
inline void* new_or_null(std::size_t size, std::size_t align, block_kind kind, const void* caller,
                         const void* frame) noexcept {
#if LEAKGUARD_DETAIL_EXCEPTIONS
    try {
        return new_or_throw(size, align, kind, caller, frame);
    } catch (...) {
        return nullptr;
    }
#else
    for (;;) {
        if (void* p = allocate_slow(size, align, kind, caller, 0, frame)) {
            if (LEAKGUARD_DETAIL_UNLIKELY(new_sites_on())) remember_new(p);
            return p;
        }
        std::new_handler handler = std::get_new_handler();
        if (!handler) return nullptr;
        handler();
    }
#endif
}

} // namespace detail
} // namespace leakguard

#define LEAKGUARD_DETAIL_CALLER __builtin_return_address(0)
// The operator's own frame: where a frame-pointer walk of the caller's stack starts (it also makes
// the compiler give the operator a frame record, whatever the build flags).
#define LEAKGUARD_DETAIL_FRAME __builtin_frame_address(0)
#define LEAKGUARD_DETAIL_OP LEAKGUARD_DETAIL_NOINLINE __attribute__((used))

// operator new, the entry of the allocation path: the short path (fast_allocate) is tried here,
// once; new_or_throw / new_or_null take the general path only.
LEAKGUARD_DETAIL_OP void* operator new(std::size_t size) {
    if (void* p = leakguard::detail::fast_allocate(size, leakguard::block_kind::new_scalar, LEAKGUARD_DETAIL_CALLER, 0,
                                                   LEAKGUARD_DETAIL_FRAME))
        return p;
    return leakguard::detail::new_or_throw(size, 0, leakguard::block_kind::new_scalar, LEAKGUARD_DETAIL_CALLER,
                                           LEAKGUARD_DETAIL_FRAME);
}
LEAKGUARD_DETAIL_OP void* operator new[](std::size_t size) {
    if (void* p = leakguard::detail::fast_allocate(size, leakguard::block_kind::new_array, LEAKGUARD_DETAIL_CALLER, 0,
                                                   LEAKGUARD_DETAIL_FRAME))
        return p;
    return leakguard::detail::new_or_throw(size, 0, leakguard::block_kind::new_array, LEAKGUARD_DETAIL_CALLER,
                                           LEAKGUARD_DETAIL_FRAME);
}
LEAKGUARD_DETAIL_OP void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
    if (void* p = leakguard::detail::fast_allocate(size, leakguard::block_kind::new_scalar, LEAKGUARD_DETAIL_CALLER, 0,
                                                   LEAKGUARD_DETAIL_FRAME))
        return p;
    return leakguard::detail::new_or_null(size, 0, leakguard::block_kind::new_scalar, LEAKGUARD_DETAIL_CALLER,
                                          LEAKGUARD_DETAIL_FRAME);
}
LEAKGUARD_DETAIL_OP void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
    if (void* p = leakguard::detail::fast_allocate(size, leakguard::block_kind::new_array, LEAKGUARD_DETAIL_CALLER, 0,
                                                   LEAKGUARD_DETAIL_FRAME))
        return p;
    return leakguard::detail::new_or_null(size, 0, leakguard::block_kind::new_array, LEAKGUARD_DETAIL_CALLER,
                                          LEAKGUARD_DETAIL_FRAME);
}
// operator delete, the entry of the free path: the short path (fast_release) is tried here, once,
// and goes on to the general path itself when it declines.
LEAKGUARD_DETAIL_OP void operator delete(void* p) noexcept {
    if (!p) return;
    leakguard::detail::fast_release(p, leakguard::block_kind::new_scalar,
                                    leakguard::detail::dealloc_form::delete_scalar, LEAKGUARD_DETAIL_CALLER);
}
LEAKGUARD_DETAIL_OP void operator delete[](void* p) noexcept {
    if (!p) return;
    leakguard::detail::fast_release(p, leakguard::block_kind::new_array, leakguard::detail::dealloc_form::delete_array,
                                    LEAKGUARD_DETAIL_CALLER);
}
LEAKGUARD_DETAIL_OP void operator delete(void* p, const std::nothrow_t&) noexcept {
    if (!p) return;
    leakguard::detail::fast_release(p, leakguard::block_kind::new_scalar,
                                    leakguard::detail::dealloc_form::delete_scalar, LEAKGUARD_DETAIL_CALLER);
}
LEAKGUARD_DETAIL_OP void operator delete[](void* p, const std::nothrow_t&) noexcept {
    if (!p) return;
    leakguard::detail::fast_release(p, leakguard::block_kind::new_array, leakguard::detail::dealloc_form::delete_array,
                                    LEAKGUARD_DETAIL_CALLER);
}
LEAKGUARD_DETAIL_OP void operator delete(void* p, std::size_t) noexcept {
    if (!p) return;
    leakguard::detail::fast_release(p, leakguard::block_kind::new_scalar,
                                    leakguard::detail::dealloc_form::delete_scalar, LEAKGUARD_DETAIL_CALLER);
}
LEAKGUARD_DETAIL_OP void operator delete[](void* p, std::size_t) noexcept {
    if (!p) return;
    leakguard::detail::fast_release(p, leakguard::block_kind::new_array, leakguard::detail::dealloc_form::delete_array,
                                    LEAKGUARD_DETAIL_CALLER);
}

#if LEAKGUARD_DETAIL_ALIGNED_NEW
// The aligned forms: the general path only (the short paths take the default alignment).
LEAKGUARD_DETAIL_OP void* operator new(std::size_t size, std::align_val_t align) {
    return leakguard::detail::new_or_throw(size, static_cast<std::size_t>(align),
                                           leakguard::block_kind::new_scalar_aligned, LEAKGUARD_DETAIL_CALLER,
                                           LEAKGUARD_DETAIL_FRAME);
}
LEAKGUARD_DETAIL_OP void* operator new[](std::size_t size, std::align_val_t align) {
    return leakguard::detail::new_or_throw(size, static_cast<std::size_t>(align),
                                           leakguard::block_kind::new_array_aligned, LEAKGUARD_DETAIL_CALLER,
                                           LEAKGUARD_DETAIL_FRAME);
}
LEAKGUARD_DETAIL_OP void* operator new(std::size_t size, std::align_val_t align, const std::nothrow_t&) noexcept {
    return leakguard::detail::new_or_null(size, static_cast<std::size_t>(align),
                                          leakguard::block_kind::new_scalar_aligned, LEAKGUARD_DETAIL_CALLER,
                                          LEAKGUARD_DETAIL_FRAME);
}
LEAKGUARD_DETAIL_OP void* operator new[](std::size_t size, std::align_val_t align, const std::nothrow_t&) noexcept {
    return leakguard::detail::new_or_null(size, static_cast<std::size_t>(align),
                                          leakguard::block_kind::new_array_aligned, LEAKGUARD_DETAIL_CALLER,
                                          LEAKGUARD_DETAIL_FRAME);
}
LEAKGUARD_DETAIL_OP void operator delete(void* p, std::align_val_t) noexcept {
    if (p)
        leakguard::detail::release_slow(p, LEAKGUARD_DETAIL_CALLER,
                                        leakguard::detail::dealloc_form::delete_scalar_aligned);
}
LEAKGUARD_DETAIL_OP void operator delete[](void* p, std::align_val_t) noexcept {
    if (p)
        leakguard::detail::release_slow(p, LEAKGUARD_DETAIL_CALLER,
                                        leakguard::detail::dealloc_form::delete_array_aligned);
}
LEAKGUARD_DETAIL_OP void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept {
    if (p)
        leakguard::detail::release_slow(p, LEAKGUARD_DETAIL_CALLER,
                                        leakguard::detail::dealloc_form::delete_scalar_aligned);
}
LEAKGUARD_DETAIL_OP void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept {
    if (p)
        leakguard::detail::release_slow(p, LEAKGUARD_DETAIL_CALLER,
                                        leakguard::detail::dealloc_form::delete_array_aligned);
}
LEAKGUARD_DETAIL_OP void operator delete(void* p, std::size_t, std::align_val_t) noexcept {
    if (p)
        leakguard::detail::release_slow(p, LEAKGUARD_DETAIL_CALLER,
                                        leakguard::detail::dealloc_form::delete_scalar_aligned);
}
LEAKGUARD_DETAIL_OP void operator delete[](void* p, std::size_t, std::align_val_t) noexcept {
    if (p)
        leakguard::detail::release_slow(p, LEAKGUARD_DETAIL_CALLER,
                                        leakguard::detail::dealloc_form::delete_array_aligned);
}
#endif

#undef LEAKGUARD_DETAIL_OP
#undef LEAKGUARD_DETAIL_FRAME
#undef LEAKGUARD_DETAIL_CALLER

#endif
// #include "leakguard/detail/libc/ownership.hpp" (inlined)
// #include "leakguard/detail/libc/c_alloc.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// libc/c_alloc.hpp: tracked malloc-family blocks with the C semantics - errno ENOMEM on failure,
// calloc's overflow check and zeroing, realloc's copy, glibc's realloc(p, 0) (frees p, returns
// NULL), over-aligned blocks - shared by the mapping macros (libc/mapped_calls.hpp) and the
// program's own malloc family (libc/interpose.hpp, libc/interpose_alloc.hpp).
#ifndef LEAKGUARD_DETAIL_LIBC_C_ALLOC_HPP_INCLUDED
#define LEAKGUARD_DETAIL_LIBC_C_ALLOC_HPP_INCLUDED

#include <cerrno>  // errno, ENOMEM
#include <cstdint> // SIZE_MAX
#include <cstring> // std::memcpy, std::memset

// #include "leakguard/detail/heap/allocate.hpp" (inlined)
// #include "leakguard/detail/heap/block.hpp" (inlined)
// #include "leakguard/detail/heap/block_memory.hpp" (inlined)
// #include "leakguard/detail/heap/block_errors.hpp" (inlined)
// #include "leakguard/detail/heap/release.hpp" (inlined)
// #include "leakguard/detail/capture/locations.hpp" (inlined)
// #include "leakguard/detail/libc/ownership.hpp" (inlined)

namespace leakguard {
namespace detail {

// A tracked C block whose site is file:line when a macro gave them, else the return address: the
// entry of the C allocation path. The short path (fast_allocate) is tried here, once; when it
// declines, allocate_slow, the general path. `frame` is the entry's frame address (where a
// frame-pointer walk starts), or null. Inlined into each entry, as operator new inlines its short
// path: a call with six arguments more would be a sixth of a malloc's cost.
LEAKGUARD_DETAIL_ALWAYS_INLINE void* c_allocate(std::size_t size, block_kind kind, const void* caller, const char* file,
                                                int line, const void* frame = nullptr) noexcept {
    const location_record* where = file ? intern_location(file, line, caller) : nullptr;
    const void* const site = where ? static_cast<const void*>(where) : caller;
    unsigned const site_flags = where ? flag_has_location : 0u;
    void* p = fast_allocate(size, kind, site, site_flags, frame);
    if (!p) p = allocate_slow(size, 0, kind, site, site_flags, frame);
    if (LEAKGUARD_DETAIL_UNLIKELY(!p)) errno = ENOMEM;
    return p;
}

// calloc(): `count` * `size` zeroed bytes; null and ENOMEM when the product does not fit in a
// size_t. The general path hands out zeroed memory itself (heap/allocate.hpp), so only a block
// of the short path - a recycled one, or the C library's malloc - is cleared here.
inline void* c_calloc(std::size_t count, std::size_t size, const void* caller, const char* file, int line,
                      const void* frame = nullptr) noexcept {
    if (size != 0 && count > SIZE_MAX / size) { // count * size would wrap
        errno = ENOMEM;
        return nullptr;
    }
    std::size_t const n = count * size;
    const location_record* where = file ? intern_location(file, line, caller) : nullptr;
    const void* const site = where ? static_cast<const void*>(where) : caller;
    unsigned const site_flags = where ? flag_has_location : 0u;
    void* p = fast_allocate(n, block_kind::calloc, site, site_flags, frame);
    if (p) return std::memset(p, 0, n);
    p = allocate_slow(n, 0, block_kind::calloc, site, site_flags, frame);
    if (LEAKGUARD_DETAIL_UNLIKELY(!p)) errno = ENOMEM;
    return p;
}

// A tracked C block aligned to `align` (a power of two): over-aligned blocks take the general
// path, which pads the raw allocation (heap/block.hpp), as operator new(std::align_val_t) does;
// up to malloc's own alignment, the ordinary path. Null and ENOMEM on failure.
inline void* c_allocate_aligned(std::size_t size, std::size_t align, block_kind kind, const void* caller,
                                const void* frame) noexcept {
    if (align <= default_alignment) return c_allocate(size, kind, caller, nullptr, 0, frame);
    void* p = allocate_slow(size, align, kind, caller, 0, frame);
    if (LEAKGUARD_DETAIL_UNLIKELY(!p)) errno = ENOMEM;
    return p;
}

// realloc() in place, for a block of the calling thread's own shard while none of the per-block
// extras is on (g_hot: no guards, fill, stacks, quarantine, new sites): the C library's realloc of
// the whole raw allocation, which grows in place when it can and copies only when it must. The
// result is what the general path below makes - a block of kind realloc with this call's site and
// a new sequence number, the newest of the shard - so its header is rewritten and it is linked
// anew. All of it happens in one owner section: no scope or report can see the list while the
// block is out of it or at an address the C library has already released, and on failure the
// block goes back exactly where it was (nothing else changes a list during an owner section).
// With a quarantine on, the general path's copy is kept: the old block then waits in the
// quarantine, so a use of the stale pointer after the move is still caught. A block that starts a
// page takes the general path too: its memory must not leave the page index (heap/page_index.hpp)
// before the move is known to succeed.
// Returns false when it does not apply (`out` untouched).
inline bool realloc_in_place(block_header* h, std::size_t size, const void* caller, const char* file, int line,
                             void*& out) noexcept {
    thread_state& t = t_state;
    shard* const s = t.home;
    unsigned const hot = g_hot.load(std::memory_order_relaxed);
    std::uint64_t const shape = h->shape;
    if ((hot & (hot_ready | hot_extras_alloc | hot_extras_free)) != hot_ready || !s || t.busy ||
        !shape_is_plain(shape) || shard_of(h) != s->index || size > max_fast_size || front_off_page(user_of(h)))
        return false;
    const location_record* where = file ? intern_location(file, line, caller) : nullptr;
    std::int64_t const old_size = static_cast<std::int64_t>(shape_size(shape));
    unsigned const flags = (where ? flag_has_location : 0u) | flag_linked | (t.ignore_depth > 0 ? flag_ignored : 0u);
    bool const locked = owner_enter(s);
    block_header* const prev = h->prev;
    block_header* const next = h->next;
    unlink_held(s, h, old_size);
    // Should the C library move it, the old pointer is a freed block; under another allocator its
    // memory leaves leakguard then, and the cookie is wiped instead (heap/block_memory.hpp).
    h->cookie = heap_is_glibc() ? freed_cookie_for(h) : 0;
    // At its size class's room, as every small block (heap/recycler.hpp).
    void* const raw = libc_realloc(h, header_size + raw_user_capacity(raw_user_bytes(size, 0)));
    if (!raw) { // back where it was, as it was
        h->cookie = cookie_for(h);
        h->prev = prev;
        h->next = next;
        if (prev) prev->next = h;
        else s->oldest = h;
        if (next) next->prev = h;
        else s->newest = h;
        --s->frees;
        s->live_bytes += old_size;
        owner_exit(s, locked);
        return false; // the general path tries again (and fails with ENOMEM, the old block intact)
    }
    block_header* const n = static_cast<block_header*>(raw);
    // Into the page index if it now starts a page. Should the index be full and unable to grow
    // (memory exhausted), the block stays unindexed: under glibc its cookie still proves it
    // leakguard's; under another allocator its free would be taken for a foreign pointer's.
    if (LEAKGUARD_DETAIL_UNLIKELY(front_off_page(user_of(n)))) (void)hold_block_memory(n);
    write_header(n, where ? static_cast<const void*>(where) : caller,
                 make_shape(size, block_kind::realloc, flags, 0, 0), make_order(take_seq(t), s->index), t.tail_word);
    append_held(s, n, size);
    owner_exit(s, locked);
    account_bytes(t, static_cast<std::int64_t>(size) - old_size);
    out = user_of(n);
    return true;
}

// realloc() of a live tracked block: a new block (kind realloc, this call's site) with the old
// contents, then the old block released. On failure the old block is left as it was. A realloc of
// a block from new is reported as a mismatch, and done all the same.
inline void* realloc_tracked(void* p, std::size_t size, const void* caller, const char* file, int line,
                             const void* frame = nullptr) noexcept {
    block_header* h = header_of(p);
    if (LEAKGUARD_DETAIL_UNLIKELY(!form_matches(kind_of(h), dealloc_form::c_realloc)))
        report_mismatch(h, caller, dealloc_form::c_realloc, file, line);
    if (size == 0) { // glibc: realloc(p, 0) frees p and returns NULL
        release_live(h, caller, dealloc_form::c_free, file, line);
        return nullptr;
    }
    void* q = nullptr;
    if (realloc_in_place(h, size, caller, file, line, q)) return q;
    q = c_allocate(size, block_kind::realloc, caller, file, line, frame);
    if (!q) return nullptr;
    std::size_t const old = size_of(h);
    std::memcpy(q, p, old < size ? old : size);
    release_live(h, caller, dealloc_form::c_realloc, file, line);
    return q;
}

// realloc() of any pointer: null is a new block; leakguard's blocks are reallocated as above; a
// pointer leakguard released before is a double free (reported; NULL and errno EINVAL); any other
// pointer belongs to the C library and goes there, untracked.
inline void* realloc_any(void* p, std::size_t size, const void* caller, const char* file, int line,
                         const void* frame = nullptr) noexcept {
    if (!p) return c_allocate(size, block_kind::realloc, caller, file, line, frame);
    switch (owner_of(p)) {
    case ownership::live: return realloc_tracked(p, size, caller, file, line, frame);
    case ownership::released:
        report_bad_free(p, true, caller, dealloc_form::c_realloc, file, line);
        errno = EINVAL;
        return nullptr;
    case ownership::damaged:
        if (detach_damaged(header_of(p), caller, dealloc_form::c_realloc, file, line)) {
            errno = EINVAL; // a damaged block is left alone (see detach_damaged)
            return nullptr;
        }
        break;
    case ownership::broken: // leakguard's memory: never the C library's
        if (!detach_damaged(header_of(p), caller, dealloc_form::c_realloc, file, line))
            report_bad_free(p, false, caller, dealloc_form::c_realloc, file, line);
        errno = EINVAL;
        return nullptr;
    case ownership::foreign: break;
    }
    return libc_realloc(p, size);
}

} // namespace detail
} // namespace leakguard

#endif
// #include "leakguard/detail/libc/mapped_calls.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// libc/mapped_calls.hpp: what the mapping macros call (declared in detail/mapping.hpp).
//
// Each entry point is noinline so that __builtin_return_address(0) lies in the calling function:
// the report names that function next to the macro's file:line.
#ifndef LEAKGUARD_DETAIL_LIBC_MAPPED_CALLS_HPP_INCLUDED
#define LEAKGUARD_DETAIL_LIBC_MAPPED_CALLS_HPP_INCLUDED

#include <cstdint> // std::uintptr_t
#include <cstring> // std::memcpy, std::strlen

// #include "leakguard/detail/mapping.hpp" (inlined)
// #include "leakguard/detail/heap/block.hpp" (inlined)
// #include "leakguard/detail/heap/new_sites.hpp" (inlined)
// #include "leakguard/detail/heap/registry.hpp" (inlined)
// #include "leakguard/detail/libc/c_alloc.hpp" (inlined)
// #include "leakguard/detail/libc/ownership.hpp" (inlined)
// #include "leakguard/detail/capture/locations.hpp" (inlined)

#define LEAKGUARD_DETAIL_MAPPED LEAKGUARD_DETAIL_NOINLINE __attribute__((used))
#define LEAKGUARD_DETAIL_CALLER __builtin_return_address(0)

LEAKGUARD_DETAIL_MAPPED void* leakguard_map_malloc(std::size_t size, const char* file, int line) noexcept {
    return leakguard::detail::c_allocate(size, leakguard::block_kind::malloc, LEAKGUARD_DETAIL_CALLER, file, line);
}

LEAKGUARD_DETAIL_MAPPED void* leakguard_map_calloc(std::size_t count, std::size_t size, const char* file,
                                                   int line) noexcept {
    return leakguard::detail::c_calloc(count, size, LEAKGUARD_DETAIL_CALLER, file, line);
}

LEAKGUARD_DETAIL_MAPPED void* leakguard_map_realloc(void* p, std::size_t size, const char* file, int line) noexcept {
    return leakguard::detail::realloc_any(p, size, LEAKGUARD_DETAIL_CALLER, file, line);
}

LEAKGUARD_DETAIL_MAPPED void leakguard_map_free(void* p, const char* file, int line) noexcept {
    leakguard::detail::release_c(p, LEAKGUARD_DETAIL_CALLER, file, line);
}

LEAKGUARD_DETAIL_MAPPED char* leakguard_map_strdup(const char* s, const char* file, int line) noexcept {
    std::size_t const n = std::strlen(s) + 1;
    char* p = static_cast<char*>(
        leakguard::detail::c_allocate(n, leakguard::block_kind::strdup, LEAKGUARD_DETAIL_CALLER, file, line));
    if (p) std::memcpy(p, s, n);
    return p;
}

LEAKGUARD_DETAIL_MAPPED char* leakguard_map_strndup(const char* s, std::size_t n, const char* file, int line) noexcept {
    std::size_t len = 0;
    while (len < n && s[len]) ++len; // strnlen: reads no further than n bytes
    char* p = static_cast<char*>(
        leakguard::detail::c_allocate(len + 1, leakguard::block_kind::strndup, LEAKGUARD_DETAIL_CALLER, file, line));
    if (p) {
        std::memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

namespace leakguard {
namespace detail {

bool enable_new_sites() noexcept {
    g_new_sites_enabled.store(true, std::memory_order_relaxed);
    refresh_hot(false);
    return true;
}

// Looks for the block behind `p` among this thread's last operator new blocks, comparing addresses
// only: `p` may be anything a new-expression returns (placement new into a buffer on the stack, a
// class's own pool), so nothing around it is read unless it is one of those blocks.
void locate_new(const void* p, std::size_t max_offset, const char* file, int line) noexcept {
    if (!p) return;
    thread_state& t = t_state;
    std::uintptr_t const value = reinterpret_cast<std::uintptr_t>(p);
    for (unsigned k = 1; k <= new_site_ring_size; ++k) { // newest first
        const void*& slot = recent_new(t_new_sites.next - k);
        std::uintptr_t const block = reinterpret_cast<std::uintptr_t>(slot);
        if (!slot || value < block || value - block > max_offset) continue;
        block_header* h = header_of(slot);
        slot = nullptr;
        unsigned const flags = flags_of(h);
        if (flags & flag_has_location) return;
        const location_record* where = intern_location(file, line, h->site);
        if (!where) return;
        // A scope or report on another thread may be reading this header: change it under the lock.
        shard* s = (flags & flag_linked) ? g_registry.shards[shard_of(h)] : nullptr;
        bool locked = false;
        if (s == t.home) locked = owner_enter(s);
        else if (s) lock_shard(s);
        h->site = where;
        add_flags(h, flag_has_location);
        if (s == t.home) owner_exit(s, locked);
        else if (s) unlock_shard(s);
        return;
    }
}

} // namespace detail
} // namespace leakguard

#undef LEAKGUARD_DETAIL_CALLER
#undef LEAKGUARD_DETAIL_MAPPED

#endif
// #include "leakguard/detail/libc/interpose.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// libc/interpose.hpp: the program's own free, realloc, reallocarray and malloc_usable_size.
//
// A block from a mapped malloc can end up in code that never saw the mapping: getline() growing
// it, a C library taking ownership, another unit's plain free(). On glibc an executable's
// definition of these functions takes precedence over the C library's for every caller in the
// process, the C library included (glibc supports replacing its allocator this way), so they are
// defined here: leakguard's blocks (told apart by the cookie in the 8 bytes before the pointer,
// which for any pointer glibc's malloc returned holds glibc's chunk size, always readable, never
// with bit 3 set - see heap/block.hpp; under another allocator by stricter proof, see
// libc/ownership.hpp) are released or reallocated with their records; every other pointer goes on
// to the C library or the allocator preloaded in front of it (core/libc_functions.hpp). The
// allocating functions are replaced only with LEAKGUARD_DETAIL_INTERPOSE_ALLOC
// (libc/interpose_alloc.hpp; then realloc(NULL, n) here is a tracked block too); otherwise only
// the functions that take a pointer need to know leakguard's blocks.
//
// Off with -DLEAKGUARD_NO_INTERPOSE (then a mapped block must be freed by mapped code) and on
// platforms other than glibc.
#ifndef LEAKGUARD_DETAIL_LIBC_INTERPOSE_HPP_INCLUDED
#define LEAKGUARD_DETAIL_LIBC_INTERPOSE_HPP_INCLUDED

// #include "leakguard/detail/config.hpp" (inlined)

#if LEAKGUARD_DETAIL_INTERPOSE

#include <cerrno>  // errno, ENOMEM
#include <cstdint> // SIZE_MAX
#include <cstdlib> // the C library's declarations, which these definitions must match

// #include "leakguard/detail/heap/block.hpp" (inlined)
// #include "leakguard/detail/libc/c_alloc.hpp" (inlined)
// #include "leakguard/detail/libc/ownership.hpp" (inlined)
// #include "leakguard/detail/core/libc_functions.hpp" (inlined)

#define LEAKGUARD_DETAIL_INTERPOSED LEAKGUARD_DETAIL_NOINLINE __attribute__((used, visibility("default")))

extern "C" {

LEAKGUARD_DETAIL_INTERPOSED void free(void* p) noexcept {
    leakguard::detail::release_c(p, __builtin_return_address(0), nullptr, 0);
}

LEAKGUARD_DETAIL_INTERPOSED void* realloc(void* p, std::size_t size) noexcept {
    // realloc(NULL, n) from code that does not map malloc is that code's malloc: the C library's,
    // unless leakguard defines malloc too.
    if (!p && !LEAKGUARD_DETAIL_INTERPOSE_ALLOC) return leakguard::detail::libc_realloc(p, size);
    return leakguard::detail::realloc_any(p, size, __builtin_return_address(0), nullptr, 0, __builtin_frame_address(0));
}

LEAKGUARD_DETAIL_INTERPOSED void* reallocarray(void* p, std::size_t count, std::size_t size) noexcept {
    if (size != 0 && count > SIZE_MAX / size) {
        errno = ENOMEM;
        return nullptr;
    }
    if (!p && !LEAKGUARD_DETAIL_INTERPOSE_ALLOC) return leakguard::detail::libc_realloc(p, count * size);
    return leakguard::detail::realloc_any(p, count * size, __builtin_return_address(0), nullptr, 0,
                                          __builtin_frame_address(0));
}

LEAKGUARD_DETAIL_INTERPOSED std::size_t malloc_usable_size(void* p) noexcept {
    if (!p) return 0;
    switch (leakguard::detail::owner_of(p)) {
    case leakguard::detail::ownership::live: return leakguard::detail::size_of(leakguard::detail::header_of(p));
    // A block leakguard released (or whose header broke) is no pointer the C library handed out: it
    // would read a chunk header that is not there. Nothing of it is usable.
    case leakguard::detail::ownership::released:
    case leakguard::detail::ownership::broken: return 0;
    case leakguard::detail::ownership::damaged:
    case leakguard::detail::ownership::foreign: break;
    }
    leakguard::detail::libc_functions_ready();
    leakguard::detail::usable_size_function f = leakguard::detail::g_libc.usable_size.load(std::memory_order_relaxed);
    return f ? f(p) : 0;
}

} // extern "C"

#undef LEAKGUARD_DETAIL_INTERPOSED

#endif // LEAKGUARD_DETAIL_INTERPOSE

#endif
// #include "leakguard/detail/libc/interpose_alloc.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// libc/interpose_alloc.hpp: the program's own malloc, calloc, memalign, posix_memalign,
// aligned_alloc, valloc and pvalloc (with LEAKGUARD_DETAIL_INTERPOSE_ALLOC).
//
// Why: a leak check that tells lost memory from reachable memory must know every heap block -
// also those C code, the C library, the C++ runtime and the dynamic loader allocate - since any of
// them may hold the only pointer to another. As for free (libc/interpose.hpp), an executable's
// definition of these functions takes precedence over the C library's for every caller in the
// process, the C library's own calls included (glibc supports replacing its allocator so). Each
// block is tracked with its kind and the caller's return address as its site, and a call stack as
// operator new's blocks get one; leakguard's own memory comes from the C library's allocator,
// past these (core/platform.hpp, core/libc_functions.hpp). free() takes every kind.
//
// Each does what glibc does: null and errno ENOMEM when memory runs out; calloc fails (ENOMEM)
// when count * size does not fit in a size_t; memalign and aligned_alloc round an alignment that
// is not a power of two up to the next one (glibc 2.36 does, though its manual calls it an
// error, and programs rely on it: memalign(0, n) is malloc(n)), EINVAL only past the largest;
// posix_memalign returns EINVAL unless the
// alignment is a power-of-two multiple of sizeof(void*), ENOMEM when memory runs out, leaves its
// output and errno alone when it fails; valloc aligns to the page size, and pvalloc also rounds
// the size up to a multiple of it (ENOMEM when that overflows). An alignment up to malloc's own
// (16 bytes) makes an ordinary block.
//
// The first call is usually the process's first allocation, made while the C library or the C++
// runtime initialises itself: start-up copes (heap/startup.hpp). While leakguard itself runs
// (busy), a block gets a header but is not linked, and nothing recurses.
#ifndef LEAKGUARD_DETAIL_LIBC_INTERPOSE_ALLOC_HPP_INCLUDED
#define LEAKGUARD_DETAIL_LIBC_INTERPOSE_ALLOC_HPP_INCLUDED

// #include "leakguard/detail/config.hpp" (inlined)

#if LEAKGUARD_DETAIL_INTERPOSE_ALLOC

#include <cerrno>   // errno, EINVAL, ENOMEM
#include <cstdint>  // SIZE_MAX
#include <cstdlib>  // the C library's declarations, which these definitions must match
#include <malloc.h> // memalign, pvalloc (included first by core/libc_functions.hpp)

// #include "leakguard/block_info.hpp" (inlined)
// #include "leakguard/detail/libc/c_alloc.hpp" (inlined)
// #include "leakguard/detail/core/pages.hpp" (inlined)

namespace leakguard {
namespace detail {

inline bool is_power_of_two(std::size_t n) noexcept { return n != 0 && (n & (n - 1)) == 0; }

// memalign() and aligned_alloc(): the alignment rounded up to a power of two, as glibc does.
inline void* c_memalign(std::size_t align, std::size_t size, block_kind kind, const void* caller,
                        const void* frame) noexcept {
    if (align > SIZE_MAX / 2 + 1) {
        errno = EINVAL;
        return nullptr;
    }
    std::size_t rounded = 1;
    while (rounded < align) rounded <<= 1;
    return c_allocate_aligned(size, rounded, kind, caller, frame);
}

} // namespace detail
} // namespace leakguard

#define LEAKGUARD_DETAIL_INTERPOSED LEAKGUARD_DETAIL_NOINLINE __attribute__((used, visibility("default")))
#define LEAKGUARD_DETAIL_CALLER __builtin_return_address(0)
// The entry's own frame: where a frame-pointer walk of the caller's stack starts.
#define LEAKGUARD_DETAIL_FRAME __builtin_frame_address(0)

extern "C" {

LEAKGUARD_DETAIL_INTERPOSED void* malloc(std::size_t size) noexcept {
    return leakguard::detail::c_allocate(size, leakguard::block_kind::malloc, LEAKGUARD_DETAIL_CALLER, nullptr, 0,
                                         LEAKGUARD_DETAIL_FRAME);
}

LEAKGUARD_DETAIL_INTERPOSED void* calloc(std::size_t count, std::size_t size) noexcept {
    return leakguard::detail::c_calloc(count, size, LEAKGUARD_DETAIL_CALLER, nullptr, 0, LEAKGUARD_DETAIL_FRAME);
}

LEAKGUARD_DETAIL_INTERPOSED void* memalign(std::size_t align, std::size_t size) noexcept {
    return leakguard::detail::c_memalign(align, size, leakguard::block_kind::memalign, LEAKGUARD_DETAIL_CALLER,
                                         LEAKGUARD_DETAIL_FRAME);
}

LEAKGUARD_DETAIL_INTERPOSED void* aligned_alloc(std::size_t align, std::size_t size) noexcept {
    return leakguard::detail::c_memalign(align, size, leakguard::block_kind::aligned_alloc, LEAKGUARD_DETAIL_CALLER,
                                         LEAKGUARD_DETAIL_FRAME);
}

LEAKGUARD_DETAIL_INTERPOSED int posix_memalign(void** out, std::size_t align, std::size_t size) noexcept {
    if (align % sizeof(void*) != 0 || !leakguard::detail::is_power_of_two(align / sizeof(void*))) return EINVAL;
    int const saved = errno; // the error is the result; errno stays as it was
    void* p = leakguard::detail::c_allocate_aligned(size, align, leakguard::block_kind::posix_memalign,
                                                    LEAKGUARD_DETAIL_CALLER, LEAKGUARD_DETAIL_FRAME);
    errno = saved;
    if (!p) return ENOMEM;
    *out = p;
    return 0;
}

LEAKGUARD_DETAIL_INTERPOSED void* valloc(std::size_t size) noexcept {
    return leakguard::detail::c_allocate_aligned(size, leakguard::detail::page_size(), leakguard::block_kind::valloc,
                                                 LEAKGUARD_DETAIL_CALLER, LEAKGUARD_DETAIL_FRAME);
}

LEAKGUARD_DETAIL_INTERPOSED void* pvalloc(std::size_t size) noexcept {
    std::size_t const page = leakguard::detail::page_size();
    if (size > SIZE_MAX - (page - 1)) {
        errno = ENOMEM;
        return nullptr;
    }
    // The block is as large as the program may use: the whole pages.
    return leakguard::detail::c_allocate_aligned((size + page - 1) & ~(page - 1), page, leakguard::block_kind::pvalloc,
                                                 LEAKGUARD_DETAIL_CALLER, LEAKGUARD_DETAIL_FRAME);
}

} // extern "C"

#undef LEAKGUARD_DETAIL_FRAME
#undef LEAKGUARD_DETAIL_CALLER
#undef LEAKGUARD_DETAIL_INTERPOSED

#endif // LEAKGUARD_DETAIL_INTERPOSE_ALLOC

#endif
// #include "leakguard/detail/libc/interpose_dlclose.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// libc/interpose_dlclose.hpp: the program's own dlclose, which tells the stack walk's step cache
// (capture/step_cache.hpp) that a module may go away.
//
// The cache keeps a step rule per return address; once a module is unloaded, another one can be
// mapped at its addresses, and the old rules would then be applied to its code. So the cache is
// emptied (its generation bumped, its pages dropped) before the C library's dlclose and again
// after it: a rule computed from the module while dlclose ran is not kept either. On glibc an
// executable's definition takes precedence over the C library's for every caller in the process,
// as for free() (libc/interpose.hpp); the C library's own unloading from inside (a gconv module)
// does not pass here, and without interposition (sanitizer builds, LEAKGUARD_NO_INTERPOSE) a
// library mapped where an unloaded one was may get its rules until the process ends: a wrong
// frame in a stack, never a read outside the stack or the tables.
#ifndef LEAKGUARD_DETAIL_LIBC_INTERPOSE_DLCLOSE_HPP_INCLUDED
#define LEAKGUARD_DETAIL_LIBC_INTERPOSE_DLCLOSE_HPP_INCLUDED

// #include "leakguard/detail/config.hpp" (inlined)
// #include "leakguard/detail/capture/cfi_unwind.hpp" (inlined)

#if LEAKGUARD_DETAIL_INTERPOSE && LEAKGUARD_DETAIL_HAVE_CFI_WALK

#include <atomic>  // std::atomic
#include <dlfcn.h> // dlsym, RTLD_NEXT

namespace leakguard {
namespace detail {

using dlclose_function = int (*)(void*);
std::atomic<dlclose_function> g_next_dlclose{};

} // namespace detail
} // namespace leakguard

extern "C" {

__attribute__((noinline, used, visibility("default"))) int dlclose(void* handle) noexcept {
    leakguard::detail::dlclose_function next = leakguard::detail::g_next_dlclose.load(std::memory_order_acquire);
    if (!next) {
        next = reinterpret_cast<leakguard::detail::dlclose_function>(dlsym(RTLD_NEXT, "dlclose"));
        if (!next) return -1;
        leakguard::detail::g_next_dlclose.store(next, std::memory_order_release);
    }
    leakguard::detail::forget_step_rules();
    int const rc = next(handle);
    leakguard::detail::forget_step_rules();
    return rc;
}

} // extern "C"

#endif

#endif

// The guard_bytes option's range (core/options.hpp) is the longest tail guard the block record
// holds (heap/block.hpp); checked here, where both are seen.
static_assert(leakguard::detail::max_guard_bytes_option == leakguard::detail::max_guard_bytes,
              "guard_bytes: the options table and the block record disagree on the longest guard");

// The symbol every unit that includes leakguard refers to (see link_check.hpp).
extern "C" {
int LEAKGUARD_DETAIL_LINK_CHECK_SYMBOL = 1;
}

#endif
// #include "leakguard/map_resume.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// map_resume.hpp: restores the mapping macros that the matching <leakguard/map_pause.hpp> saved.
#pragma pop_macro("strndup")
#pragma pop_macro("strdup")
#pragma pop_macro("free")
#pragma pop_macro("realloc")
#pragma pop_macro("calloc")
#pragma pop_macro("malloc")
#pragma pop_macro("new")
#endif

// The mapping macros, where asked for (re-included each time: see map_pause.hpp).
#if defined(LEAKGUARD_MAP_MALLOC)
// #include "leakguard/detail/map_malloc.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// map_malloc.hpp: with LEAKGUARD_MAP_MALLOC defined, malloc, calloc, realloc, free, strdup and
// strndup in the rest of the unit become tracked calls that record __FILE__ and __LINE__ (as
// _CRTDBG_MAP_ALLOC and memwatch do). Function-like macros: `free` used as a value (`&free`, a
// deleter) is not renamed and still reaches the C library's free, which leakguard's MAIN unit
// makes recognise tracked blocks (libc/interpose.hpp).
//
// The C headers that declare these functions are included first, so that their declarations are
// read before the names become macros. No include guard: <leakguard/map_pause.hpp> and
// <leakguard/map_resume.hpp> switch the macros off and on again around code that breaks with them.
#include <cstdlib>
#include <cstring>
#include <stdlib.h>
#include <string.h>
#if defined(__has_include)
#if __has_include(<malloc.h>)
#include <malloc.h>
#endif
#endif

// #include "leakguard/detail/mapping.hpp" (inlined)

#undef malloc
#undef calloc
#undef realloc
#undef free
#undef strdup
#undef strndup
#define malloc(size) leakguard_map_malloc((size), __FILE__, __LINE__)
#define calloc(count, size) leakguard_map_calloc((count), (size), __FILE__, __LINE__)
#define realloc(p, size) leakguard_map_realloc((p), (size), __FILE__, __LINE__)
#define free(p) leakguard_map_free((p), __FILE__, __LINE__)
#define strdup(s) leakguard_map_strdup((s), __FILE__, __LINE__)
#define strndup(s, n) leakguard_map_strndup((s), (n), __FILE__, __LINE__)
#endif
#if defined(LEAKGUARD_MAP_NEW)
// #include "leakguard/detail/map_new.hpp" (inlined)
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// map_new.hpp: with LEAKGUARD_MAP_NEW defined, every new-expression in the rest of the unit
// records its __FILE__ and __LINE__:
//
//     new T(args)   becomes   leakguard_new_site(__FILE__, __LINE__) ->* new T(args)
//
// The site is applied to the pointer the unchanged new-expression returns, and only if that
// pointer is a block leakguard's operator new just handed out on this thread - so placement new,
// new (std::nothrow), new[], class-specific operator new and over-aligned types behave as without
// the macro (the classic `#define new new(__FILE__, __LINE__)` breaks all of them).
//
// What a `new` macro cannot survive: the token pair `operator new` (declaring or calling an
// operator new by name) after it, which no longer parses; and `::new`, which becomes a plain
// `new` (the same call unless the type has its own operator new). The standard headers that use
// either are included here first; wrap other code that does (a class with its own operator new)
// in <leakguard/map_pause.hpp> and <leakguard/map_resume.hpp>. No include guard, for the same
// reason as map_malloc.hpp.
#include <algorithm>
#include <deque>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <new>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <valarray>
#include <vector>
#if defined(__has_include)
#if __cplusplus >= 201703L && __has_include(<memory_resource>)
#include <any>
#include <memory_resource>
#include <optional>
#include <variant>
#endif
#endif

// #include "leakguard/detail/mapping.hpp" (inlined)

#ifndef LEAKGUARD_DETAIL_MAP_NEW_ENABLED
#define LEAKGUARD_DETAIL_MAP_NEW_ENABLED
namespace leakguard {
namespace detail {
namespace {
// Turns on the bookkeeping locate_new needs, before main() (once per unit that maps new).
__attribute__((used)) const bool new_sites_enabled = enable_new_sites();
} // namespace
} // namespace detail
} // namespace leakguard
#endif

#undef new
#if defined(__clang__) // a macro named like a keyword is the point here
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wkeyword-macro"
#endif
#define new leakguard_new_site(__FILE__, __LINE__)->*new
#if defined(__clang__)
#pragma clang diagnostic pop
#endif
#endif
