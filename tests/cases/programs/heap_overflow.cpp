// One byte written past the end of a new[] block: leakguard finds it in the tail guard when the
// block is deleted (heap_overflow, offset 0 past the end), reports it, releases the block and the
// program goes on. With abort_on_error=1 the program aborts right after the report instead.
#define LEAKGUARD_MAIN
#include <leakguard/leakguard.hpp>

#include <cstdio>

namespace {
// Hides the out-of-bounds index from the compiler, which would otherwise warn.
__attribute__((noinline)) void poke(char* p, long i) { p[i] = 'x'; }
} // namespace

int main() {
    int const alloc_line = __LINE__ + 1;
    char* p = new char[10];
    poke(p, 10);
    int const free_line = __LINE__ + 1;
    delete[] p;
    std::printf("heap_overflow: still running, lines %d %d\n", alloc_line, free_line);
    return 0;
}
