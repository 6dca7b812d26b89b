// A double delete and a double free (malloc mapped) in one program that then keeps allocating:
// both are reported with the first free's site (the blocks are still in the quarantine), neither
// reaches the C library, and thousands of allocations later the heap is fine.
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp)
#define LEAKGUARD_MAP_MALLOC
#include <leakguard/leakguard.hpp>

#include <cstdio>
#include <cstdlib>
#include <vector>

namespace {
__attribute__((noinline)) void drop(int* p) { delete p; }
} // namespace

int main() {
    int* a = new int(1);
    drop(a);
    drop(a); // double delete
    void* m = malloc(32);
    int const first_free_line = __LINE__ + 1;
    free(m);
    int const second_free_line = __LINE__ + 1;
    free(m); // double free
    long sum = 0;
    for (int round = 0; round < 5000; ++round) {
        std::vector<int> v(static_cast<std::size_t>(round % 97 + 1), round);
        char* c = static_cast<char*>(malloc(static_cast<std::size_t>(round % 200 + 1)));
        c[0] = 1;
        sum += v.back() + c[0];
        free(c);
    }
    std::printf("double_free_busy: still running, %ld, lines %d %d\n", sum, first_free_line, second_free_line);
    return 0;
}
