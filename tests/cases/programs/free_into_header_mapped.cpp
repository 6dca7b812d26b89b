// The mapped calls of free_into_header.cpp (the C allocation mapping: leakguard_map_malloc/free).
#define LEAKGUARD_MAP_MALLOC
#include <cstdlib>

#include <leakguard/leakguard.hpp>

void* mapped_malloc(std::size_t n) { return malloc(n); }
void mapped_free(void* p) { free(p); }
