// One leaked `new char(10)` (1 byte, kind "new"). The program's own exit status is argv[1]
// (default 0), so the driver can show that exitcode=0 keeps it and that leaks replace it.
// Built twice: tracked (LEAKGUARD_CASE_TRACKED) and plain, for the valgrind cross-check.
#ifdef LEAKGUARD_CASE_TRACKED
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp)
#include <leakguard/leakguard.hpp>
#endif

#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
    new char(10); // the leak (line 13: the driver checks it); the result is dropped on purpose
    std::printf("leak_one: done\n");
    return argc > 1 ? std::atoi(argv[1]) : 0;
}
