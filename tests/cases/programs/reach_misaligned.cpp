// Only aligned pointer-sized words count: the only copy of a pointer to a node is stored one byte
// into a global array, not on an 8-byte boundary. Neither valgrind nor a conservative scan reads
// it as a pointer: 1 block of 24 bytes, definitely lost; exit status 23 (leakguard).
// Built twice: tracked (LEAKGUARD_CASE_TRACKED) and plain, for the valgrind cross-check.
#ifdef LEAKGUARD_CASE_TRACKED
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp)
#include <leakguard/leakguard.hpp>
#endif

#include <cstring>

#include "reach_common.hpp"

using reach::node;

alignas(16) unsigned char g_bytes[32];

__attribute__((noinline)) static void build() {
    node* n = new node{};
    std::memcpy(g_bytes + 1, &n, sizeof n); // misaligned on purpose
    reach::escape(g_bytes);
}

int main() {
    build();
    reach::scrub_stack();
    reach::say("reach_misaligned: done\n");
    return 0;
}
