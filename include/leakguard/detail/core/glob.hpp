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
