// Possibly lost: the only pointer to a block (a global) points into its middle, at a place that
// matches none of valgrind's heuristics (40 bytes into 64 zero bytes: no length, count or vtable
// in front). 1 block of 64 bytes, possibly lost; exit status 23 (leakguard).
// Built twice: tracked (LEAKGUARD_CASE_TRACKED) and plain, for the valgrind cross-check.
#ifdef LEAKGUARD_CASE_TRACKED
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp)
#include <leakguard/leakguard.hpp>
#endif

#include <cstring>
#include <new>

#include "reach_common.hpp"

char* volatile g_inside;

__attribute__((noinline)) static void build() {
    char* block = static_cast<char*>(::operator new(64));
    std::memset(block, 0, 64);
    g_inside = block + 40;
    reach::escape(block);
}

int main() {
    build();
    reach::scrub_stack();
    reach::say("reach_interior: done\n");
    return 0;
}
