// A heap error found while this thread holds the symbolizer's lock - as when the demangler, which
// leakguard calls to name a frame, frees a bad pointer: its report must not wait on the lock to name
// the error's sites (it gives their addresses), and the program goes on.
#define LEAKGUARD_MAIN
#include <leakguard/leakguard.hpp>

#include <cstdio>

static char* volatile g_block;

int main() {
    {
        leakguard::detail::naming_section hold; // as inside symbolize()
        g_block = new char[16];
        delete[] g_block;
        delete[] g_block; // a double free, reported from inside
    }
    std::puts("went on");
    return 0;
}
