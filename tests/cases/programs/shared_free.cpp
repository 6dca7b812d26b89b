// Mapped blocks handed to a shared library built without leakguard (shared_free_lib.cpp), which
// frees one and reallocates another with the C library's free and realloc: the records follow
// (no leak, no error). The library's own malloc'd result is a tracked block too (every C
// allocation is), freed by the mapped free. It prints how many of the blocks made since main
// began were alive while b was grown: b alone.
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp)
#define LEAKGUARD_MAP_MALLOC
#include <leakguard/leakguard.hpp>

#include <cstdio>
#include <cstdlib>
#include <cstring>

extern "C" {
void shared_free_take(void* p);
void* shared_free_grow(void* p, std::size_t n);
char* shared_free_make(void);
}

int main() {
    leakguard::statistics const at_start = leakguard::stats();
    void* a = malloc(64);
    shared_free_take(a); // freed inside the library
    char* b = static_cast<char*>(malloc(16));
    std::strcpy(b, "grow me");
    b = static_cast<char*>(shared_free_grow(b, 4096)); // reallocated inside the library
    bool const grown = std::strcmp(b, "grow me") == 0;
    leakguard::statistics const st = leakguard::stats();
    free(b);
    char* c = shared_free_make(); // the C library's block
    free(c);
    std::printf("shared_free: %s, live while grown %llu\n", grown ? "ok" : "WRONG",
                static_cast<unsigned long long>(st.live_blocks - at_start.live_blocks));
    return grown ? 0 : 1;
}
