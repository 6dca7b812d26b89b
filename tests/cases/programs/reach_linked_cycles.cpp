// Two lost cycles, the first holding a pointer into the second: one structure, so one block is
// definitely lost and the five others indirectly (1 block / 24 bytes definite, 5 blocks / 120
// bytes indirect). The second ring is allocated first, so that in address order (valgrind's
// order of choosing clique leaders, on a fresh heap) it tends to get a leader of its own before
// the first ring's leader absorbs it - the case where a leader becomes indirect. Exit status 23.
// Built twice: tracked (LEAKGUARD_CASE_TRACKED) and plain, for the valgrind cross-check.
#ifdef LEAKGUARD_CASE_TRACKED
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp)
#include <leakguard/leakguard.hpp>
#endif

#include "reach_common.hpp"

using reach::node;

__attribute__((noinline)) static node* make_ring(int size) {
    node* first = new node{};
    node* last = first;
    for (int i = 1; i < size; ++i) {
        node* next = new node{};
        last->link[0] = next;
        last = next;
    }
    last->link[0] = first;
    return first;
}

__attribute__((noinline)) static void build() {
    node* second = make_ring(3);
    node* first = make_ring(3);
    first->link[1] = second; // the first ring holds the second; nothing holds the first
    reach::escape(first);
}

int main() {
    build();
    reach::scrub_stack();
    reach::say("reach_linked_cycles: done\n");
    return 0;
}
