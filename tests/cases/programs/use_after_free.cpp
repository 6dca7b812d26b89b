// A write into a block after delete: the block sits in the quarantine filled with 0xDD, and the
// check at exit finds the changed byte (use_after_free, offset 8) naming where the block was
// allocated and where it was deleted. LEAKGUARD_MAP_NEW gives both file:line.
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp)
#define LEAKGUARD_MAP_NEW
#include <leakguard/leakguard.hpp>

#include <cstdio>

namespace {
// Writes out of bounds behind the compiler's back: through a volatile function pointer neither
// inlining nor interprocedural analysis sees the store (GCC drops a store into a block that is
// deleted next as dead, and warns about a constant out-of-bounds index).
void poke_at(int* p, long i) { p[i] = 42; }
void (*volatile poke)(int*, long) = poke_at;
} // namespace

int main() {
    int const alloc_line = __LINE__ + 1;
    int* p = new int[4]();
    int* volatile kept = p; // hides the write below from the compiler's use-after-free warning
    int const free_line = __LINE__ + 1;
    delete[] p;
    poke(kept, 2);
    std::printf("use_after_free: still running, lines %d %d\n", alloc_line, free_line);
    return 0;
}
