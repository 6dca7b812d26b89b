// pthread_setspecific values are roots: the main thread keeps the only pointers to two nodes as
// thread-specific values, one under the first key it creates (held in the thread's control
// block) and one under a key past the first 32 (held in a second-level array the C library
// allocates). Each node holds another: 4 blocks, 96 bytes allocated here, still reachable; exit
// status 0. exit() runs no key destructors for the main thread, so the values stay.
// Built twice: tracked (LEAKGUARD_CASE_TRACKED) and plain, for the valgrind cross-check.
#ifdef LEAKGUARD_CASE_TRACKED
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp)
#include <leakguard/leakguard.hpp>
#endif

#include <pthread.h>

#include "reach_common.hpp"

using reach::node;

namespace {

constexpr int kKeys = 40;
pthread_key_t g_keys[kKeys];

__attribute__((noinline)) node* make_pair() {
    node* n = new node{};
    n->link[0] = new node{};
    return n;
}

__attribute__((noinline)) bool build() {
    for (auto& key : g_keys)
        if (pthread_key_create(&key, nullptr) != 0) return false;
    return pthread_setspecific(g_keys[0], make_pair()) == 0 && pthread_setspecific(g_keys[kKeys - 1], make_pair()) == 0;
}

} // namespace

int main() {
    bool const ok = build();
    reach::scrub_stack();
    reach::say(ok ? "reach_tls_specific: done\n" : "reach_tls_specific: pthread keys failed\n");
    return ok ? 0 : 1;
}
