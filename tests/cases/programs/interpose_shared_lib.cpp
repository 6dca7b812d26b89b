// A shared library built without leakguard, linked by interpose_shared: plain C library calls,
// which the program's malloc family (leakguard's) serves all the same. Each allocating function
// uses its block before it returns, so that the call is not a tail call: the block's site is then
// this library (the program checks it).
#include <cstdlib>
#include <cstring>

extern "C" {
char* interpose_lib_make(std::size_t n) {
    char* p = static_cast<char*>(std::malloc(n));
    if (p) std::memset(p, 'L', n);
    return p;
}
void interpose_lib_take(void* p) { std::free(p); }
void* interpose_lib_aligned(std::size_t align, std::size_t n) {
    void* p = nullptr;
    if (posix_memalign(&p, align, n) != 0) return nullptr;
    std::memset(p, 'A', n);
    return p;
}
void* interpose_lib_grow(void* p, std::size_t n) {
    char* q = static_cast<char*>(std::realloc(p, n));
    if (q) q[n - 1] = '\0';
    return q;
}
char* interpose_lib_copy(const char* s) { return strdup(s); }
}
