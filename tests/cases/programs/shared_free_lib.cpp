// A shared library built without leakguard: plain C library calls.
#include <cstdlib>
#include <cstring>

extern "C" {
void shared_free_take(void* p) { std::free(p); }
void* shared_free_grow(void* p, std::size_t n) { return std::realloc(p, n); }
char* shared_free_make(void) {
    char* p = static_cast<char*>(std::malloc(8));
    if (p) std::strcpy(p, "lib");
    return p;
}
}
