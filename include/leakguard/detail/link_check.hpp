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
