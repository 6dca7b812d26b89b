// Still reachable through an interior pointer, by valgrind's "length64" heuristic: a block whose
// first 8 bytes hold the size of the rest (as sqlite's allocator keeps it), with the only pointer
// (a global) just past that length. 1 block of 48 bytes from malloc, still reachable; exit 0.
// Built twice: tracked (LEAKGUARD_CASE_TRACKED) and plain, for the valgrind cross-check.
#ifdef LEAKGUARD_CASE_TRACKED
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp)
#include <leakguard/leakguard.hpp>
#endif

#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "reach_common.hpp"

unsigned char* volatile g_payload; // 8 bytes into the block

__attribute__((noinline)) static void build() {
    std::size_t const total = 48;
    unsigned char* block = static_cast<unsigned char*>(std::malloc(total));
    if (!block) std::abort();
    std::uint64_t const rest = total - sizeof(std::uint64_t);
    std::memcpy(block, &rest, sizeof rest);
    std::memset(block + sizeof rest, 'p', rest);
    g_payload = block + sizeof rest;
    reach::escape(block);
}

int main() {
    build();
    reach::scrub_stack();
    reach::say("reach_length64: done\n");
    return 0;
}
