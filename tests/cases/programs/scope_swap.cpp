// A scope must count blocks, not a net balance: inside it an older block (allocated before the
// scope began) is freed and a new one allocated and kept. Live blocks are unchanged overall, but
// the scope has exactly one leak - the new block - and must fail with 1 block of 4 bytes.
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp)
#include <leakguard/leakguard.hpp>

#include <cstdio>

int main() {
    int* older = new int(1);
    int* newer = nullptr;
    {
        LEAKGUARD_SCOPE("swap");
        delete older;
        newer = new int(2);
    }
    std::printf("scope_failures=%zu\n", leakguard::scope_failures());
    delete newer; // nothing leaks at exit: only the scope failure is reported
    return 0;
}
