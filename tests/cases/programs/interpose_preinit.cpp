// The process's first allocations come before any constructor and before the C library has
// initialised itself (a preinit_array function: the C library's environment is not set yet),
// with every C allocation leakguard's (LEAKGUARD_DETAIL_INTERPOSE_ALLOC=1 in the shared
// implementation unit). They are tracked blocks all the same, and the options of the environment
// still apply (the driver's json_path: the report must be written). Prints each failed check and
// "interpose_preinit: N failures".
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp, built with the option)
#include <leakguard/leakguard.hpp>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {
void* g_early = nullptr;
bool g_environment_unset = false;

void before_everything(int, char**, char**) {
    g_environment_unset = std::getenv("LEAKGUARD_OPTIONS") == nullptr;
    g_early = std::malloc(33);
    char* s = static_cast<char*>(std::calloc(1, 10));
    std::free(s);
    void* p = nullptr;
    if (posix_memalign(&p, 64, 20) == 0) std::free(p);
}
__attribute__((section(".preinit_array"), used)) void (*const g_preinit)(int, char**, char**) = before_everything;

int g_failures = 0;
void check(bool ok, const char* what) {
    if (!ok) {
        ++g_failures;
        std::printf("FAILED: %s\n", what);
    }
}
} // namespace

int main() {
    check(g_environment_unset, "the preinit function ran before the C library's environment was set");
    static leakguard::block_info blocks[4096];
    std::size_t const n = leakguard::live_blocks(blocks, 4096);
    bool listed = false;
    for (std::size_t i = 0; i < n && i < 4096; ++i)
        listed = listed || (blocks[i].address == g_early && blocks[i].size == 33 &&
                            blocks[i].kind == leakguard::block_kind::malloc && blocks[i].seq != 0);
    check(listed, "the block allocated before everything is a live tracked block");
    check(leakguard::stats().allocations >= 3, "the early allocations were counted");
    std::free(g_early);
    std::printf("interpose_preinit: %d failures\n", g_failures);
    return g_failures == 0 ? 0 : 1;
}
