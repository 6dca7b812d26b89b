// Twenty identical leaks from one allocation site: a helper called in a loop. They share one
// caller address, so the JSON lists 20 leaks with the same caller and the text report one group.
#ifdef LEAKGUARD_CASE_TRACKED
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp)
#include <leakguard/leakguard.hpp>
#endif

#include <cstdio>

// noinline: one function, so one new-expression, however the loop is unrolled. Note that
// compilers emit `return new ...` as a tail call (jmp operator new[]): the return address the
// operator sees is then in main's loop, one per unrolled copy (clang -O2 unrolls all 20). The user
// wrote one allocation site, so the report must still show one.
__attribute__((noinline)) static char* make_buffer() { return new char[10]; }

int main() {
    for (int i = 0; i < 20; ++i) make_buffer();
    std::printf("leak_many: done\n");
    return 0;
}
