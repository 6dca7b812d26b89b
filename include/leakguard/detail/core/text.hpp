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
