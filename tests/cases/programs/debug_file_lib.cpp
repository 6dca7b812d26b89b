// Built as libcase_debug_file.so with -O0 -g and without leakguard, then stripped after the link
// (tests/cases/CMakeLists.txt: objcopy --only-keep-debug, strip --strip-all,
// objcopy --add-gnu-debuglink), its debug information in a separate file placed as
// DIR/.build-id/xx/yyyy.debug in one test directory and under its debuglink's name in another
// (test_debug_files). stash() has no exported symbol: only the debug file's symbol table names it.
#include <cstddef>

namespace {

void* g_kept[4];

__attribute__((noinline)) void stash(std::size_t i) {
    g_kept[i % 4] = nullptr;
    new int[4]; // the leak: line 14 (the driver checks it)
}

} // namespace

extern "C" __attribute__((visibility("default"), noinline)) void debug_file_leak(std::size_t i) {
    stash(i);
    __asm__ volatile("" ::: "memory"); // work after the call: no tail call
}
