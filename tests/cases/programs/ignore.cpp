// Intentional leaks are not reported: a block passed to leakguard::ignore() and blocks allocated
// inside LEAKGUARD_IGNORE_REGION() stay alive past a scope and past exit, yet neither the scope
// nor the exit report lists them. A block allocated just after the region ends is tracked again
// (and freed). Expected: no scope failure, no leaks, exit 0.
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp)
#include <leakguard/leakguard.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace {
int* g_marked = nullptr;
std::string* g_in_region = nullptr;
char* g_region_array = nullptr;
} // namespace

int main() {
    bool ok = true;
    {
        LEAKGUARD_SCOPE("ignoring");
        g_marked = new int(1);
        ok = leakguard::ignore(g_marked) && ok;
        {
            LEAKGUARD_IGNORE_REGION();
            g_in_region = new std::string(100, 'r'); // two blocks: the string and its buffer
            g_region_array = new char[33];
        }
        int* tracked = new int(2); // after the region: counted again
        leakguard::scope probe(__FILE__, __LINE__, "probe");
        int* inside_probe = new int(3);
        if (probe.leaked_blocks() != 1) ok = false; // inside_probe only
        probe.dismiss();
        delete inside_probe;
        delete tracked;
    }
    // ignore() refuses what leakguard did not hand out. (volatile: where ignore() is inlined, as in a
    // LEAKGUARD_MAIN unit, GCC sees it read the 8 bytes before the block and warns -Wmaybe-uninitialized.)
    void* volatile hidden = std::malloc(32);
    void* from_malloc = hidden;
    bool const foreign = leakguard::ignore(from_malloc);
    std::free(from_malloc);
    std::printf("ignore: ok=%d foreign=%d scope_failures=%zu live=%llu\n", ok ? 1 : 0, foreign ? 1 : 0,
                leakguard::scope_failures(), static_cast<unsigned long long>(leakguard::stats().live_blocks));
    return ok && !foreign ? 0 : 1;
}
