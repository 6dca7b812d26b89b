// Blocks crossing between this program and shared libraries built without leakguard, while every
// C allocation of the process is leakguard's (LEAKGUARD_DETAIL_INTERPOSE_ALLOC=1 in the shared
// implementation unit): the linked library (interpose_shared_lib.cpp) allocates and the program
// frees, and the other way round, with malloc, posix_memalign, realloc and strdup; a library
// loaded with dlopen (interpose_dl_lib.cpp) allocates in its constructor, through its dynamic TLS
// in another thread and on request, and the dynamic loader's own blocks are tracked too, until
// dlclose frees them. Prints each failed check and "interpose_shared: N failures".
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp, built with the option)
#include <leakguard/leakguard.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <string>
#include <thread>
#include <unistd.h>

extern "C" {
char* interpose_lib_make(std::size_t n);
void interpose_lib_take(void* p);
void* interpose_lib_aligned(std::size_t align, std::size_t n);
void* interpose_lib_grow(void* p, std::size_t n);
char* interpose_lib_copy(const char* s);
}

namespace {
int g_failures = 0;
void check(bool ok, const char* what) {
    if (!ok) {
        ++g_failures;
        std::printf("FAILED: %s\n", what);
    }
}

leakguard::block_info g_blocks[8192];
std::size_t g_count = 0;
void take_snapshot() { g_count = leakguard::live_blocks(g_blocks, 8192); }
bool find_block(const void* p, leakguard::block_info& out) {
    take_snapshot();
    for (std::size_t i = 0; i < g_count && i < 8192; ++i)
        if (g_blocks[i].address == p) {
            out = g_blocks[i];
            return true;
        }
    return false;
}
const char* module_name(const void* address) {
    Dl_info info;
    return dladdr(address, &info) && info.dli_fname ? info.dli_fname : "";
}
bool made_in(const void* p, const char* kind, std::size_t size, const char* module) {
    leakguard::block_info info;
    return find_block(p, info) && std::strcmp(leakguard::kind_name(info.kind), kind) == 0 && info.size == size &&
           std::strstr(module_name(info.caller), module) != nullptr;
}
unsigned long long frees() { return leakguard::stats().frees; }

// The directory of this program: the case libraries are next to it.
std::string program_dir() {
    char path[4096];
    ssize_t const n = readlink("/proc/self/exe", path, sizeof path - 1);
    if (n <= 0) return ".";
    path[n] = '\0';
    std::string s(path);
    return s.substr(0, s.rfind('/'));
}
} // namespace

int main() {
    // The linked library allocates, the program frees.
    char* a = interpose_lib_make(64);
    check(a && made_in(a, "malloc", 64, "libcase_interpose_shared.so"), "the library's malloc: tracked, its site");
    void* b = interpose_lib_aligned(128, 50);
    check(b && reinterpret_cast<std::uintptr_t>(b) % 128 == 0 &&
              made_in(b, "posix_memalign", 50, "libcase_interpose_shared.so"),
          "the library's posix_memalign: tracked, aligned");
    char* c = interpose_lib_copy("copied in the library");
    check(c && made_in(c, "malloc", 22, "libc.so"), "the library's strdup: tracked, made by the C library");
    unsigned long long f0 = frees();
    free(a);
    free(b);
    free(c);
    check(frees() - f0 == 3, "the program frees the library's blocks");

    // The program allocates, the library frees and reallocates.
    void* d = malloc(32);
    char* e = static_cast<char*>(calloc(2, 8));
    std::strcpy(e, "grow me");
    f0 = frees();
    interpose_lib_take(d);
    check(frees() - f0 == 1, "the library frees the program's block");
    e = static_cast<char*>(interpose_lib_grow(e, 5000));
    check(e && std::strcmp(e, "grow me") == 0 && made_in(e, "realloc", 5000, "libcase_interpose_shared.so"),
          "the library reallocates the program's block: tracked, contents kept");
    free(e);

    // dlopen: the loader's own blocks (link map, search paths, TLS slots) are tracked too.
    take_snapshot();
    std::size_t const before = g_count;
    unsigned long long const allocations_before = leakguard::stats().allocations;
    std::string const path = program_dir() + "/libcase_interpose_dl.so";
    void* lib = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    check(lib != nullptr, "dlopen");
    if (!lib) std::printf("dlopen: %s\n", dlerror());
    check(leakguard::stats().allocations > allocations_before, "dlopen's allocations are tracked");
    take_snapshot();
    bool loader_block = false;
    for (std::size_t i = 0; i < g_count && i < 8192; ++i)
        if (std::strstr(module_name(g_blocks[i].caller), "ld-linux")) loader_block = true;
    check(g_count > before && loader_block, "the dynamic loader's blocks are live blocks");
    if (lib) {
        using make_fn = void* (*)(std::size_t);
        using take_fn = void (*)(void*);
        using tls_fn = std::size_t (*)(const char*);
        make_fn const make = reinterpret_cast<make_fn>(dlsym(lib, "interpose_dl_make"));
        take_fn const take = reinterpret_cast<take_fn>(dlsym(lib, "interpose_dl_take"));
        tls_fn const tls = reinterpret_cast<tls_fn>(dlsym(lib, "interpose_dl_tls"));
        check(make && take && tls, "dlsym");
        if (make && take && tls) {
            void* z = make(100);
            check(z && made_in(z, "calloc", 100, "libcase_interpose_dl.so"), "the loaded library's calloc: tracked");
            free(z);
            void* y = malloc(10);
            f0 = frees();
            take(y);
            check(frees() - f0 == 1, "the loaded library frees the program's block");
            std::size_t got = 0;
            std::thread t([&] { got = tls("from a thread"); }); // dynamic TLS of a new thread
            t.join();
            check(got == 213, "the loaded library's thread-local string in a thread");
            check(tls("main") == 204, "the loaded library's thread-local string in main");
        }
        check(dlclose(lib) == 0, "dlclose");
    }

    std::printf("interpose_shared: %d failures\n", g_failures);
    return g_failures == 0 ? 0 : 1;
}
