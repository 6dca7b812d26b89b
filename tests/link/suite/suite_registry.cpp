// The registry of the test-main library: its own member, used by every executable of the suite,
// the one with its own main() too. It does not include leakguard.
#include "suite.hpp"

#include <cstdio>

namespace suite {
namespace {

struct entry {
    const char* name;
    test_function fn;
};

// A fixed table, so that registering allocates nothing.
entry g_tests[16];
int g_count = 0;

} // namespace

bool add(const char* name, test_function fn) {
    if (g_count == 16) return false;
    g_tests[g_count++] = entry{name, fn};
    return true;
}

int run_all() {
    int failed = 0;
    for (int i = 0; i < g_count; ++i) {
        bool const ok = g_tests[i].fn();
        std::printf("%s %s\n", ok ? "passed" : "FAILED", g_tests[i].name);
        if (!ok) ++failed;
    }
    return failed;
}

} // namespace suite
