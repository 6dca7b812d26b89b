// A lost tree: the only pointer to its root is dropped. valgrind's rule: the root is definitely
// lost, every block it holds (directly or not) indirectly lost - 1 block of 24 bytes definite,
// 6 blocks of 144 bytes indirect, one record of "168 (24 direct, 144 indirect) bytes in 1
// blocks". Exit status 23 (leakguard) with lost blocks.
// Built twice: tracked (LEAKGUARD_CASE_TRACKED) and plain, for the valgrind cross-check.
#ifdef LEAKGUARD_CASE_TRACKED
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp)
#include <leakguard/leakguard.hpp>
#endif

#include "reach_common.hpp"

using reach::node;

// Two levels below the root: root -> 2 children -> 2 grandchildren each (7 blocks).
__attribute__((noinline)) static node* make_tree(int depth) {
    node* n = new node{};
    if (depth > 0) {
        n->link[0] = make_tree(depth - 1);
        n->link[1] = make_tree(depth - 1);
    }
    return n;
}

__attribute__((noinline)) static void build() {
    node* root = make_tree(2);
    reach::escape(root); // then dropped: nothing points to the root any more
}

int main() {
    build();
    reach::scrub_stack();
    reach::say("reach_tree: done\n");
    return 0;
}
