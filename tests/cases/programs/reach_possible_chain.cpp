// What a possibly lost block holds is possibly lost too (valgrind: a start pointer from a block
// that is not definitely reachable only makes its target possibly reachable): a global points
// into the middle of a 64-byte block (no heuristic matches), whose first word points to the start
// of a node. 2 blocks, 88 bytes, possibly lost; exit status 23 (leakguard).
// Built twice: tracked (LEAKGUARD_CASE_TRACKED) and plain, for the valgrind cross-check.
#ifdef LEAKGUARD_CASE_TRACKED
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp)
#include <leakguard/leakguard.hpp>
#endif

#include <cstring>
#include <new>

#include "reach_common.hpp"

using reach::node;

char* volatile g_inside;

__attribute__((noinline)) static void build() {
    char* block = static_cast<char*>(::operator new(64));
    std::memset(block, 0, 64);
    node* held = new node{};
    std::memcpy(block, &held, sizeof held);
    g_inside = block + 40;
    reach::escape(block);
}

int main() {
    build();
    reach::scrub_stack();
    reach::say("reach_possible_chain: done\n");
    return 0;
}
