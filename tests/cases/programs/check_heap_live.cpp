// leakguard::check_heap() finds an overflow on a block that is still alive, reports it once (the
// guard is repaired, so neither the delete nor the exit check reports it again).
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
    bool const clean_before = leakguard::check_heap();
    char* p = new char[16];
    poke(p, 18);
    bool const clean_after = leakguard::check_heap();
    delete[] p;
    std::printf("check_heap_live: %d %d %d\n", clean_before, clean_after, leakguard::check_heap());
    return 0;
}
