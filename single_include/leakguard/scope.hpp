// DO NOT EDIT: generated from include/leakguard/scope.hpp by tools/amalgamate.py.
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// scope.hpp: leakguard::scope and LEAKGUARD_SCOPE - "nothing allocated in here may outlive it".
#ifndef LEAKGUARD_SCOPE_HPP_INCLUDED
#define LEAKGUARD_SCOPE_HPP_INCLUDED

#include <cstddef>   // std::size_t
#include <cstdint>   // std::uint64_t, std::uint32_t
#include <exception> // std::uncaught_exception(s)
#include <vector>    // scope::leaks()

#include "api.hpp"
#include "block_info.hpp"

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
