// Dynamic TLS is a root: a module loaded with dlopen (libcase_reach_tls.so, next to this program)
// keeps the only pointer to a node, which holds another, in its __thread variable. 2 blocks, 48
// bytes allocated here, still reachable; exit status 0 (1 when the module cannot be loaded).
// Built twice: tracked (LEAKGUARD_CASE_TRACKED) and plain, for the valgrind cross-check.
#ifdef LEAKGUARD_CASE_TRACKED
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp)
#include <leakguard/leakguard.hpp>
#endif

#include <dlfcn.h>

#include <cstring>

#include "reach_common.hpp"

using reach::node;

namespace {

using set_fn = void (*)(void*);
using get_fn = void* (*)();
set_fn g_set;
get_fn g_get;

// The module's path: this program's directory (from argv[0], which the driver gives in full).
bool load(const char* argv0) {
    char path[4096];
    char const* slash = std::strrchr(argv0, '/');
    std::size_t const dir = slash ? static_cast<std::size_t>(slash - argv0 + 1) : 0;
    char const name[] = "libcase_reach_tls.so";
    if (dir + sizeof name > sizeof path) return false;
    std::memcpy(path, argv0, dir);
    std::memcpy(path + dir, name, sizeof name);
    void* module = ::dlopen(path, RTLD_NOW); // never closed: its TLS stays
    if (!module) return false;
    g_set = reinterpret_cast<set_fn>(::dlsym(module, "reach_tls_set"));
    g_get = reinterpret_cast<get_fn>(::dlsym(module, "reach_tls_get"));
    return g_set && g_get;
}

__attribute__((noinline)) void build() {
    node* n = new node{};
    n->link[0] = new node{};
    g_set(n);
    reach::escape(n);
}

} // namespace

int main(int, char** argv) {
    if (!load(argv[0])) {
        reach::say("reach_tls_dynamic: cannot load libcase_reach_tls.so\n");
        return 1;
    }
    build();
    reach::scrub_stack();
    reach::say(g_get() ? "reach_tls_dynamic: done\n" : "reach_tls_dynamic: value lost\n");
    return 0;
}
