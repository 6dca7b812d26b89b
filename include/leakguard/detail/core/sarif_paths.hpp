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

#include "report_stream.hpp"

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
