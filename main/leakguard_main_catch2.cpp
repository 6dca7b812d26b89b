// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// leakguard_main_catch2.cpp: the LEAKGUARD_MAIN unit with the Catch2 v2 adapter's part (its failure
// handler and listener), the source of the CMake target leakguard::main_catch2 (pkg-config:
// main_source_catch2). Use it instead of leakguard::main, not with it. The program brings Catch2
// itself (Catch2::Catch2 or a vendored copy), whose <catch2/catch.hpp> this file includes, or the
// header named by LEAKGUARD_FRAMEWORK_HEADER, defined on the target that links this one (e.g.
// LEAKGUARD_FRAMEWORK_HEADER="third_party/catch.hpp", a quoted or <> name); one of the program's
// own files still defines CATCH_CONFIG_MAIN or CATCH_CONFIG_RUNNER.
//
// The adapter's listener needs Catch2's reporter interfaces, which catch.hpp declares only in the
// file with CATCH_CONFIG_MAIN / CATCH_CONFIG_RUNNER or with this macro.
#define CATCH_CONFIG_EXTERNAL_INTERFACES
#if defined(LEAKGUARD_FRAMEWORK_HEADER)
#include LEAKGUARD_FRAMEWORK_HEADER
#endif
#define LEAKGUARD_MAIN
#include <leakguard/catch2.hpp>
