// Deleting the same pointer twice: leakguard must detect it ("double_free"), leave the pointer
// alone (no crash, no heap corruption) and let the program go on. The error is recorded for the
// JSON report and makes the exit status 23. Nothing leaks.
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp)
#include <leakguard/leakguard.hpp>

#include <cstdio>

namespace {
// Hides the pointer's history from the compiler, which would otherwise warn (use after free).
__attribute__((noinline)) void drop(int* p) { delete p; }
} // namespace

int main() {
    int* p = new int(7);
    drop(p);
    drop(p); // the double delete
    int* after = new int(8); // the heap still works
    std::printf("double_free: still running, %d\n", *after);
    delete after;
    return 0;
}
