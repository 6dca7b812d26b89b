// A consumer's whole program: leaks exactly one 10-byte block and expects leakguard to report it
// at exit with status 23. The leak is a dropped `new char[10]`, which g++ -O2 removes without
// -fno-allocation-dce and clang++ -O2 without -fno-builtin: the program only leaks (and the test
// only passes) when the consumer got leakguard's flags along with its include path. Built with
// LEAK_ONCE_LINKED_MAIN it does not define LEAKGUARD_MAIN: the consumer links leakguard::main (or
// compiles pkg-config's main_source) beside it, and the leak is reported all the same.
#if !defined(LEAK_ONCE_LINKED_MAIN)
#define LEAKGUARD_MAIN
#endif
#if defined(LEAK_ONCE_COPIED_HEADER)
#include "leakguard.hpp" // the single header, copied next to this file
#else
#include <leakguard/leakguard.hpp>
#endif

int main() {
    new char[10];
    return 0;
}
