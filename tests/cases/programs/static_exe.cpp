// A statically linked program (-static, or -static-pie): no dynamic loader knows its addresses, so
// its leak is named from its own file (/proc/self/exe). C allocations are not interposed there
// (LEAKGUARD_NO_INTERPOSE: libc.a's malloc cannot sit under leakguard's).
#define LEAKGUARD_MAIN
#include <leakguard/leakguard.hpp>

static char* volatile g_block;

__attribute__((noinline)) void static_leaky() {
    g_block = new char[10];
    g_block = nullptr;
}

int main() {
    static_leaky();
    return 0;
}
