// Still reachable: a global pointer holds a block, which holds a second one (start pointers all
// the way from a root, the executable's .bss). 2 blocks, 48 bytes, both still reachable; nothing
// lost, so the program's own exit status (0) stays.
// Built twice: tracked (LEAKGUARD_CASE_TRACKED) and plain, for the valgrind cross-check.
#ifdef LEAKGUARD_CASE_TRACKED
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp)
#include <leakguard/leakguard.hpp>
#endif

#include "reach_common.hpp"

using reach::node;

node* volatile g_root;

__attribute__((noinline)) static void build() {
    node* first = new node{};
    first->link[0] = new node{};
    g_root = first;
    reach::escape(first);
}

int main() {
    build();
    reach::scrub_stack();
    reach::say("reach_global: done\n");
    return 0;
}
