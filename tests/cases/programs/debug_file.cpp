// A leak inside a stripped shared library whose debug information is in a separate file
// (programs/debug_file_lib.cpp; test_debug_files points debug_file_directory at it).
#ifdef LEAKGUARD_CASE_TRACKED
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp)
#include <leakguard/leakguard.hpp>
#endif

#include <cstddef>
#include <cstdio>

extern "C" void debug_file_leak(std::size_t i);

int main() {
    debug_file_leak(1);
    std::printf("debug_file: done\n");
    return 0;
}
