// A running thread's registers are roots: a thread takes the only pointer to a node (which holds
// another) into a callee-saved register, erases the copy it took it from, and then sits in a loop
// of pause() system calls - the pointer is in no memory at all, only in r12, which the kernel
// keeps across the call and a signal handler sees in the interrupted context. main returns while
// it waits. 2 blocks, 48 bytes allocated here, still reachable. Exit status 0 from the program.
// (x86-64 only; elsewhere the pointer is kept in a volatile local, on the stack.)
// Built twice: tracked (LEAKGUARD_CASE_TRACKED) and plain, for the valgrind cross-check.
#ifdef LEAKGUARD_CASE_TRACKED
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp)
#include <leakguard/leakguard.hpp>
#endif

#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "reach_common.hpp"

using reach::node;

namespace {

node* volatile g_handoff; // main -> thread; the thread zeroes it
int g_parked = 0;         // set by the thread once the pointer is only in its register

__attribute__((noinline)) void make_pair() {
    node* n = new node{};
    n->link[0] = new node{};
    g_handoff = n;
}

void* hold(void*) {
#if defined(__x86_64__)
    __asm__ __volatile__("movq %[slot], %%r12\n\t"
                         "movq $0, %[slot]\n\t"
                         "movl $1, %[parked]\n\t"
                         "1:\n\t"
                         "movl %[nr], %%eax\n\t"
                         "syscall\n\t"
                         "jmp 1b"
                         : [slot] "+m"(g_handoff), [parked] "=m"(g_parked)
                         : [nr] "i"(SYS_pause)
                         : "r12", "rax", "rcx", "r11", "memory");
#else
    node* volatile held = g_handoff;
    g_handoff = nullptr;
    __atomic_store_n(&g_parked, 1, __ATOMIC_RELEASE);
    for (;;) ::pause();
    reach::escape(held);
#endif
    return nullptr;
}

__attribute__((noinline)) bool start() {
    make_pair();
    pthread_t thread;
    if (pthread_create(&thread, nullptr, hold, nullptr) != 0) return false;
    pthread_detach(thread);
    while (__atomic_load_n(&g_parked, __ATOMIC_ACQUIRE) == 0) ::usleep(1000);
    return true;
}

} // namespace

int main() {
    bool const ok = start();
    reach::scrub_stack();
    reach::say(ok ? "reach_thread_registers: done\n" : "reach_thread_registers: no thread\n");
    return ok ? 0 : 1;
}
