// Two libraries from this one source (RELOAD_NAME is reload_make_a or reload_make_b), of the same
// layout, so that the second one loaded after the first was unloaded lands at the same address
// with its function at the same offset (reload_same_address.cpp).
#include <cstddef>

extern "C" __attribute__((noinline)) char* RELOAD_NAME(std::size_t n) {
    char* p = new char[n];
    p[0] = 'R'; // not a tail call: the block's site is this function
    return p;
}
