// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// leakguard_main_doctest.cpp: the LEAKGUARD_MAIN unit with the doctest adapter's part (its failure
// handler and listener), the source of the CMake target leakguard::main_doctest (pkg-config:
// main_source_doctest). Use it instead of leakguard::main, not with it. The program brings doctest
// itself (doctest::doctest or a vendored copy), whose <doctest/doctest.h> this file includes, or
// the header named by LEAKGUARD_FRAMEWORK_HEADER, defined on the target that links this one (e.g.
// LEAKGUARD_FRAMEWORK_HEADER="third_party/doctest.h", a quoted or <> name); one of the program's
// own files still defines DOCTEST_CONFIG_IMPLEMENT or DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN.
#if defined(LEAKGUARD_FRAMEWORK_HEADER)
#include LEAKGUARD_FRAMEWORK_HEADER
#endif
#define LEAKGUARD_MAIN
#include <leakguard/doctest.hpp>
