// Nested scopes: one block allocated (and kept) inside the inner scope is inside the outer one
// too, so both fail (documented in scope.hpp). The block is freed after both scopes, so nothing
// leaks at exit; the two recorded scope failures alone make the exit status 23. The scopes' lines
// are printed so that the driver can compare them with the JSON report.
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp)
#include <leakguard/leakguard.hpp>

#include <cstdio>

int main() {
    int* kept = nullptr;
    {
        LEAKGUARD_SCOPE("outer"); int const outer_line = __LINE__;
        {
            LEAKGUARD_SCOPE("inner"); int const inner_line = __LINE__;
            kept = new int(42);
            std::printf("outer_line=%d inner_line=%d\n", outer_line, inner_line);
            std::fflush(stdout);
        }
    }
    std::printf("scope_failures=%zu\n", leakguard::scope_failures());
    delete kept;
    return 0;
}
