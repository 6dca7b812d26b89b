// The adapter case programs' switch between their two runs (tests/adapters/CMakeLists.txt): the
// fixed run is the same binary with LEAKGUARD_CASE_FIXED set in its environment - one build per
// case, since each compiles leakguard's implementation and its framework.
#ifndef LEAKGUARD_TESTS_ADAPTERS_LEAK_FIXED_HPP
#define LEAKGUARD_TESTS_ADAPTERS_LEAK_FIXED_HPP

#include <cstdlib> // std::getenv

inline bool leak_fixed() { return std::getenv("LEAKGUARD_CASE_FIXED") != nullptr; }

#endif
