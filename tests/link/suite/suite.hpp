// The test-main library of the suite-layout test (tests/link/CMakeLists.txt): a registry of test
// functions, and (suite_main.cpp) a main() that runs them. Like a suite's shared test-main.a.
#ifndef LEAKGUARD_TESTS_LINK_SUITE_HPP
#define LEAKGUARD_TESTS_LINK_SUITE_HPP

namespace suite {

using test_function = bool (*)();

// Adds a test; returns true, so that a namespace-scope `bool const` can register at start-up.
bool add(const char* name, test_function fn);

// Runs every registered test, prints each verdict; returns the number that failed.
int run_all();

} // namespace suite

#endif
