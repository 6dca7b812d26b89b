// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// leakguard_main_gtest.cpp: the LEAKGUARD_MAIN unit with the GoogleTest adapter's part (its failure
// handler and listener), the source of the CMake target leakguard::main_gtest (pkg-config:
// main_source_gtest). Use it instead of leakguard::main, not with it. The program brings
// GoogleTest itself (GTest::gtest_main, GTest::gtest or a vendored copy), whose <gtest/gtest.h>
// this file includes, or the header named by LEAKGUARD_FRAMEWORK_HEADER, defined on the target
// that links this one (e.g. LEAKGUARD_FRAMEWORK_HEADER="vendor/gtest.h", a quoted or <> name).
#if defined(LEAKGUARD_FRAMEWORK_HEADER)
#include LEAKGUARD_FRAMEWORK_HEADER
#endif
#define LEAKGUARD_MAIN
#include <leakguard/gtest.hpp>
