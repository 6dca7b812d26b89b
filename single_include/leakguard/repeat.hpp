// DO NOT EDIT: generated from include/leakguard/repeat.hpp by tools/amalgamate.py.
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

#include "api.hpp"
#include "scope.hpp"

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
