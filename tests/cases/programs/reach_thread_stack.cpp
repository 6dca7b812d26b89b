// A running thread's stack is a root: a thread keeps the only pointer to a node (which holds
// another) in a local, parks on a condition variable that is never signalled, and main returns
// while it waits - the exit report runs with the thread alive and blocked in the kernel. 2 blocks,
// 48 bytes allocated here, still reachable. The live thread's own bookkeeping (its DTV, which the
// C library allocates and points to from inside) is whatever valgrind says it is. Exit status 0
// from the program itself.
// Built twice: tracked (LEAKGUARD_CASE_TRACKED) and plain, for the valgrind cross-check.
#ifdef LEAKGUARD_CASE_TRACKED
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp)
#include <leakguard/leakguard.hpp>
#endif

#include <pthread.h>

#include "reach_common.hpp"

using reach::node;

namespace {

pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t g_parked_cv = PTHREAD_COND_INITIALIZER; // main waits on it for the thread to park
pthread_cond_t g_never = PTHREAD_COND_INITIALIZER;     // nobody signals it
bool g_parked = false;

__attribute__((noinline)) node* make_pair() {
    node* n = new node{};
    n->link[0] = new node{};
    return n;
}

void* park(void*) {
    node* volatile held = make_pair(); // volatile: in this thread's stack frame, nowhere else
    pthread_mutex_lock(&g_lock);
    g_parked = true;
    pthread_cond_signal(&g_parked_cv);
    for (;;) pthread_cond_wait(&g_never, &g_lock); // releases the lock; never returns
    return held;
}

__attribute__((noinline)) bool start() {
    pthread_t thread;
    if (pthread_create(&thread, nullptr, park, nullptr) != 0) return false;
    pthread_detach(thread);
    pthread_mutex_lock(&g_lock);
    while (!g_parked) pthread_cond_wait(&g_parked_cv, &g_lock);
    pthread_mutex_unlock(&g_lock);
    return true;
}

} // namespace

int main() {
    bool const ok = start();
    reach::scrub_stack();
    reach::say(ok ? "reach_thread_stack: done\n" : "reach_thread_stack: no thread\n");
    return ok ? 0 : 1;
}
