// One byte written just before a malloc block (the malloc mapping): the front guard shows it when
// the block is freed (heap_underflow, offset -1); the header is intact, so the block is released.
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp)
#define LEAKGUARD_MAP_MALLOC
#include <leakguard/leakguard.hpp>

#include <cstdio>
#include <cstdlib>

namespace {
// Writes out of bounds behind the compiler's back: through a volatile function pointer neither
// inlining nor interprocedural analysis sees the store (GCC drops a store into a block that is
// deleted next as dead, and warns about a constant out-of-bounds index).
void poke_at(char* p, long i) { p[i] = 'x'; }
void (*volatile poke)(char*, long) = poke_at;
} // namespace

int main() {
    int const alloc_line = __LINE__ + 1;
    char* p = static_cast<char*>(malloc(24));
    poke(p, -1);
    int const free_line = __LINE__ + 1;
    free(p);
    std::printf("heap_underflow: still running, lines %d %d\n", alloc_line, free_line);
    return 0;
}
