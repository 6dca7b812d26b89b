// The memwatch sample: a 100-byte block whose only pointer is overwritten (definitely lost), and
// two 50-byte blocks kept to the end by globals (still reachable) - each reported at its own line
// (the kept ones with show_reachable=1). Prints the three lines.
#ifdef LEAKGUARD_CASE_TRACKED
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp)
#define LEAKGUARD_MAP_MALLOC
#include <leakguard/leakguard.hpp>
#endif

#include <cstdio>
#include <cstdlib>
#include <cstring>

char* volatile g_kept;
char* volatile g_seen; // each block's pointer passes through here, so the compiler keeps the blocks

int main() {
    int const first = __LINE__ + 1;
    char* p = static_cast<char*>(malloc(100));
    std::memset(p, 'a', 100);
    g_seen = p;
    int const second = __LINE__ + 1;
    p = static_cast<char*>(malloc(50)); // the 100-byte block is lost here
    std::memset(p, 'b', 50);
    g_seen = p;
    int const third = __LINE__ + 1;
    g_kept = static_cast<char*>(malloc(50));
    std::printf("memwatch_sample: lines %d %d %d\n", first, second, third);
    return 0;
}
