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
