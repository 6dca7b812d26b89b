// A unit with the malloc mapping in a program where every C allocation is tracked anyway: its
// blocks still get the macro's file:line.
#define LEAKGUARD_MAP_MALLOC
#include <leakguard/leakguard.hpp>

void* mapped_malloc(std::size_t n, int* line) {
    *line = __LINE__ + 1;
    return malloc(n);
}
