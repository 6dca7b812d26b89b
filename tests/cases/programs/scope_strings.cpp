// A scope whose name and file strings live in heap memory the program overwrites and frees right
// after the scope failed, as a test framework may free a test's name and file before exit: the
// JSON report at exit must still give both back, from leakguard's own copies.
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp)
#include <leakguard/leakguard.hpp>

#include <cstdio>
#include <cstring>

int main() {
    char* const name = new char[32];
    char* const file = new char[32];
    std::strcpy(name, "freed-name");
    std::strcpy(file, "freed/file.cpp");
    int* kept = nullptr;
    {
        leakguard::scope s(file, 7, name);
        kept = new int(1);
    }
    delete kept;
    std::memset(name, 'x', 31);
    std::memset(file, 'y', 31);
    delete[] name;
    delete[] file;
    std::printf("scope_failures=%zu\n", leakguard::scope_failures());
    return 0;
}
