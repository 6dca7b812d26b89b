// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// leakguard_main.cpp: the LEAKGUARD_MAIN unit as a file of its own, the source of the CMake target
// leakguard::main (and, installed as share/leakguard/leakguard_main.cpp, of pkg-config's variable
// main_source). A program compiles this file instead of defining LEAKGUARD_MAIN in one of its own:
// being alone in its object file, it never drags a main() along when a linker pulls it out of a
// static library for operator new (docs/usage.md, "One translation unit defines LEAKGUARD_MAIN").
#define LEAKGUARD_MAIN
#include <leakguard/leakguard.hpp>
