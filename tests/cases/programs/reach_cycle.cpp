// A lost cycle: four blocks in a ring, no pointer to any of them from outside. Each is pointed to
// (by its predecessor), yet all are lost: valgrind makes one of them the "clique leader",
// definitely lost, and the other three indirectly lost - 1 block of 24 bytes definite, 3 blocks
// of 72 bytes indirect. Exit status 23 (leakguard).
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
    node* ring = make_ring(4);
    reach::escape(ring); // then dropped
}

int main() {
    build();
    reach::scrub_stack();
    reach::say("reach_cycle: done\n");
    return 0;
}
