// Blocks from C's malloc are scanned like any other: a malloc'ed C struct held by a global holds
// the only pointer to a node (both still reachable: 2 blocks, 40 bytes), and a second struct,
// dropped, holds another node (the struct definitely lost, 16 bytes; the node indirectly, 24
// bytes). A tracker that knew only operator new's blocks would call the first node lost.
// Exit status 23 (leakguard).
// Built twice: tracked (LEAKGUARD_CASE_TRACKED) and plain, for the valgrind cross-check.
#ifdef LEAKGUARD_CASE_TRACKED
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp)
#include <leakguard/leakguard.hpp>
#endif

#include <cstdlib>

#include "reach_common.hpp"

using reach::node;

extern "C" {
struct holder {
    node* held;
    long tag;
};
}

holder* volatile g_holder;

__attribute__((noinline)) static holder* make_holder() {
    holder* h = static_cast<holder*>(std::malloc(sizeof(holder)));
    if (!h) std::abort();
    h->held = new node{};
    h->tag = 1;
    return h;
}

__attribute__((noinline)) static void build() {
    g_holder = make_holder();
    holder* dropped = make_holder();
    reach::escape(dropped);
}

int main() {
    build();
    reach::scrub_stack();
    reach::say("reach_malloc_struct: done\n");
    return 0;
}
