// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// link_check.hpp: makes a program that never defines LEAKGUARD_MAIN fail to link, with a message
// that names leakguard. Every translation unit that includes leakguard refers to a symbol that only
// the LEAKGUARD_MAIN translation unit defines; two such units define it twice, which fails too.
#ifndef LEAKGUARD_DETAIL_LINK_CHECK_HPP_INCLUDED
#define LEAKGUARD_DETAIL_LINK_CHECK_HPP_INCLUDED

extern "C" int leakguard_error_define_LEAKGUARD_MAIN_in_exactly_one_translation_unit;

namespace leakguard {
namespace detail {
namespace {
// `used` keeps the reference (and so the link error) even when nothing else in the unit calls
// leakguard; it costs one pointer per translation unit.
__attribute__((used)) int* const link_check = &leakguard_error_define_LEAKGUARD_MAIN_in_exactly_one_translation_unit;
} // namespace
} // namespace detail
} // namespace leakguard

#endif
