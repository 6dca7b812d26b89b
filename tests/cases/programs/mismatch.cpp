// Mismatched deallocation: new[] released by delete, new released by free, malloc released by
// delete. Each is reported at once as alloc_dealloc_mismatch naming the allocation and the release
// (JSON alloc_line / free_line), then released all the same: no leak, no crash, exit status 23.
// Prints the allocation and release lines in order.
#define LEAKGUARD_MAIN
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
    lines[0] = __LINE__ + 1;
    int* a = launder(new int[4]);
    lines[1] = __LINE__ + 1;
    delete launder(a);

    lines[2] = __LINE__ + 1;
    int* b = launder(new int(1));
    lines[3] = __LINE__ + 1;
    free(b);

    lines[4] = __LINE__ + 1;
    char* c = launder(static_cast<char*>(malloc(10)));
    lines[5] = __LINE__ + 1;
    delete launder(c);

    std::printf("mismatch: lines %d %d %d %d %d %d\n", lines[0], lines[1], lines[2], lines[3], lines[4], lines[5]);
    return 0;
}
