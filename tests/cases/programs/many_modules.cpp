// Leaks from twenty libraries loaded with dlopen (reload_lib.cpp built as libcase_many_N.so): each
// site is named with its file and line, whatever the number of modules a report reads.
#include <leakguard/leakguard.hpp>

#include <cstddef>
#include <cstdio>
#include <dlfcn.h>
#include <string>

using make_function = char* (*)(std::size_t);

static char* volatile g_kept;

int main(int, char** argv) {
    std::string dir(argv[0]);
    dir.erase(dir.rfind('/'));
    for (int i = 0; i < 20; ++i) {
        std::string const lib = dir + "/libcase_many_" + std::to_string(i) + ".so";
        void* h = dlopen(lib.c_str(), RTLD_NOW | RTLD_LOCAL);
        make_function make = h ? reinterpret_cast<make_function>(dlsym(h, ("many_make_" + std::to_string(i)).c_str()))
                               : nullptr;
        if (!make) {
            std::printf("cannot load %s: %s\n", lib.c_str(), dlerror());
            return 2;
        }
        g_kept = make(static_cast<std::size_t>(16 + i));
    }
    g_kept = nullptr;
    return 0;
}
