// leakguard::check_heap() finds an overflow on a block that is still alive, reports it once (the
// guard is repaired, so neither the delete nor the exit check reports it again).
#define LEAKGUARD_MAIN
#include <leakguard/leakguard.hpp>

#include <cstdio>

namespace {
__attribute__((noinline)) void poke(char* p, long i) { p[i] = 'x'; }
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
