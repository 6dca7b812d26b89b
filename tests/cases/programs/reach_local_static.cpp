// Still reachable: a function-local static pointer to a structure made on first use and never
// freed - the "intentionally immortal" singleton (gmock's `static auto* map = new ...`). The
// static lives in .bss: 3 blocks, 72 bytes, still reachable; exit status 0.
// Built twice: tracked (LEAKGUARD_CASE_TRACKED) and plain, for the valgrind cross-check.
#ifdef LEAKGUARD_CASE_TRACKED
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp)
#include <leakguard/leakguard.hpp>
#endif

#include "reach_common.hpp"

using reach::node;

namespace {

__attribute__((noinline)) node* make_registry() {
    node* head = new node{};
    head->link[0] = new node{};
    head->link[1] = new node{};
    return head;
}

__attribute__((noinline)) node& registry() {
    static node* const instance = make_registry();
    return *instance;
}

} // namespace

int main() {
    reach::escape(&registry());
    reach::scrub_stack();
    reach::say("reach_local_static: done\n");
    return 0;
}
