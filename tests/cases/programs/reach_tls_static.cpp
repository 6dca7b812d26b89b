// Static TLS is a root: a thread_local of the executable (in the main thread's static TLS block,
// next to the thread's control block) holds the only pointer to a node, which holds another.
// 2 blocks, 48 bytes, still reachable; exit status 0.
// Built twice: tracked (LEAKGUARD_CASE_TRACKED) and plain, for the valgrind cross-check.
#ifdef LEAKGUARD_CASE_TRACKED
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp)
#include <leakguard/leakguard.hpp>
#endif

#include "reach_common.hpp"

using reach::node;

thread_local node* t_held = nullptr;

__attribute__((noinline)) static void build() {
    node* n = new node{};
    n->link[0] = new node{};
    t_held = n;
    reach::escape(n);
}

int main() {
    build();
    reach::escape(&t_held);
    reach::scrub_stack();
    reach::say("reach_tls_static: done\n");
    return 0;
}
