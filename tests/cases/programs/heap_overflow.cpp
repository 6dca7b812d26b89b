// One byte written past the end of a new[] block: leakguard finds it in the tail guard when the
// block is deleted (heap_overflow, offset 0 past the end), reports it, releases the block and the
// program goes on. With abort_on_error=1 the program aborts right after the report instead.
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp)
#include <leakguard/leakguard.hpp>

#include <cstdio>

namespace {
// Writes out of bounds behind the compiler's back: through a volatile function pointer neither
// inlining nor interprocedural analysis sees the store (GCC drops a store into a block that is
// deleted next as dead, and warns about a constant out-of-bounds index).
void poke_at(char* p, long i) { p[i] = 'x'; }
void (*volatile poke)(char*, long) = poke_at;
} // namespace

int main() {
    // Each line number is taken on the line of its call: at -O2 the compiler may give a call the
    // line of a constant computed just before it.
    char* p = new char[10]; int const alloc_line = __LINE__;
    poke(p, 10);
    delete[] p; int const free_line = __LINE__;
    std::printf("heap_overflow: still running, lines %d %d\n", alloc_line, free_line);
    return 0;
}
