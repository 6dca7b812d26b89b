// Twenty 1 MiB mallocs from one line of a unit that maps malloc: 20 blocks of kind "malloc" at that
// file:line, 20 MiB in all (valgrind counts the same in the plain build). Prints the line.
#ifdef LEAKGUARD_CASE_TRACKED
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp)
#define LEAKGUARD_MAP_MALLOC
#include <leakguard/leakguard.hpp>
#endif

#include <cstdio>
#include <cstdlib>

void* volatile g_sink; // keeps the compiler from dropping the unused blocks

int main() {
    int const line = __LINE__ + 2;
    for (int i = 0; i < 20; ++i) {
        g_sink = malloc(1 << 20);
    }
    g_sink = nullptr; // the last block is lost too: nothing points to any of the 20
    std::printf("malloc_twenty: line %d\n", line);
    return 0;
}
