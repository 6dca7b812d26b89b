// Mismatched deallocation: new[] released by delete, new released by free, malloc released by
// delete. Each is reported at once as alloc_dealloc_mismatch naming the allocation and the release
// (JSON alloc_line / free_line), then released all the same: no leak, no crash, exit status 23.
// Prints the allocation and release lines in order.
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp)
#define LEAKGUARD_MAP_MALLOC
#include <leakguard/leakguard.hpp>

#include <cstdio>
#include <cstdlib>

// noinline, and the pointers pass through a volatile: the compiler must not see the pairs.
template <class T>
__attribute__((noinline)) T* launder(T* p) {
    T* volatile q = p;
    return q;
}

int main() {
    int lines[6];
    // Each line number is taken on the line of its call: with -O2 (and ThreadSanitizer's
    // instrumentation) a call's return address can map to the line of a store scheduled after it.
    int* a = launder(new int[4]); lines[0] = __LINE__;
    delete launder(a); lines[1] = __LINE__;

    int* b = launder(new int(1)); lines[2] = __LINE__;
    free(b); lines[3] = __LINE__;

    char* c = launder(static_cast<char*>(malloc(10))); lines[4] = __LINE__;
    delete launder(c); lines[5] = __LINE__;

    std::printf("mismatch: lines %d %d %d %d %d %d\n", lines[0], lines[1], lines[2], lines[3], lines[4], lines[5]);
    return 0;
}
