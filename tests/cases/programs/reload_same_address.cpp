// A library unloaded with dlclose and another one loaded at the same address: the second one's leak
// is named after its own function, not the first one's (whose tables a report before had read).
// Prints "same address" when the loader reused the address (the case proves nothing otherwise).
#include <leakguard/leakguard.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <dlfcn.h>
#include <string>

using make_function = char* (*)(std::size_t);

static char* volatile g_kept;
static volatile std::uintptr_t g_hidden;

__attribute__((noinline)) static void hide(make_function make) {
    g_hidden = reinterpret_cast<std::uintptr_t>(make(24)) ^ 0x5555;
}

static void* load(const std::string& dir, const char* lib, const char* name, make_function& make) {
    void* h = dlopen((dir + "/" + lib).c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        std::printf("dlopen %s: %s\n", lib, dlerror());
        return nullptr;
    }
    make = reinterpret_cast<make_function>(dlsym(h, name));
    return h;
}

int main(int, char** argv) {
    std::string dir(argv[0]);
    dir.erase(dir.rfind('/'));
    make_function make_a = nullptr, make_b = nullptr;
    void* a = load(dir, "libcase_reload_a.so", "reload_make_a", make_a);
    if (!a || !make_a) return 2;
    // Hidden from the scan for a moment: report_now() lists it as lost, which names its site - the
    // first library's tables are read now.
    hide(make_a);
    leakguard::report_now();
    delete[] reinterpret_cast<char*>(g_hidden ^ 0x5555);
    void* const a_at = reinterpret_cast<void*>(make_a);
    dlclose(a);
    void* b = load(dir, "libcase_reload_b.so", "reload_make_b", make_b);
    if (!b || !make_b) return 2;
    std::printf("%s\n", reinterpret_cast<void*>(make_b) == a_at ? "same address" : "another address");
    g_kept = make_b(40);
    g_kept = nullptr; // lost, allocated in the second library (which stays loaded)
    return 0;
}
