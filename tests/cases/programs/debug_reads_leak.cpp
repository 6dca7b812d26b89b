// The unit the leak of programs/debug_reads.cpp comes from.
#include <leakguard/leakguard.hpp>

__attribute__((noinline)) void* debug_reads_leak() {
    void* p = new long[3]; // the leak
    __asm__ volatile("" ::: "memory");
    return p;
}
