// The unit tests' entry point and leakguard's implementation unit.
// doctest supplies main(); LEAKGUARD_MAIN makes this the one unit that emits leakguard's
// replacement operators and state (every other test file includes the header plainly).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#define LEAKGUARD_MAIN
#include <leakguard/leakguard.hpp>
