// The SARIF log (test_sarif.cpp): loss records and heap errors in one run.
//   - alloc_buffer() leaks from two callers: one record, definitely lost, two paths (from_http
//     three blocks, from_disk two);
//   - g_kept holds one block to the end: still reachable (a result with show_reachable=1);
//   - a block deleted twice: double_free, with the second free and the first;
//   - new[] released by delete: alloc_dealloc_mismatch, with the release.
// The errors leave the pointers alone or release them: nothing else leaks. Exit status 23.
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp)
#include <cstdio>

#define NOINLINE __attribute__((noinline))

NOINLINE char* alloc_buffer(unsigned n) { return new char[n]; }
NOINLINE void from_http() {
    for (int i = 0; i < 3; ++i) alloc_buffer(64);
}
NOINLINE void from_disk() {
    for (int i = 0; i < 2; ++i) alloc_buffer(32);
}

int* g_kept = nullptr;

namespace {
// The pointers pass through noinline functions and a volatile: the compiler must not see the
// pairs (it would warn, or remove them).
NOINLINE void drop(int* p) { delete p; }
template <class T>
NOINLINE T* launder(T* p) {
    T* volatile q = p;
    return q;
}
} // namespace

int main() {
    from_http();
    from_disk();
    g_kept = launder(new int[4]);
    int* twice = new int(7);
    drop(twice);
    drop(twice);
    int* array = launder(new int[4]);
    delete launder(array);
    std::puts("sarif: done");
    return 0;
}
