// Still reachable through an interior pointer, by valgrind's "stdstring" heuristic: the layout of
// libstdc++'s old copy-on-write std::string - length, capacity, refcount (a word each), then the
// characters and their terminating NUL, the block exactly 3 words + capacity + 1 bytes long - with
// the only pointer (a global) at the characters, 24 bytes into the block. 1 block of 64 bytes,
// still reachable (not possibly lost); exit status 0.
// Built twice: tracked (LEAKGUARD_CASE_TRACKED) and plain, for the valgrind cross-check.
#ifdef LEAKGUARD_CASE_TRACKED
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp)
#include <leakguard/leakguard.hpp>
#endif

#include <cstddef>
#include <cstring>
#include <new>

#include "reach_common.hpp"

char* volatile g_text; // points at the characters, not at the block

__attribute__((noinline)) static void build() {
    std::size_t const capacity = 39;
    std::size_t const length = 5;
    std::size_t const header = 3 * sizeof(std::size_t);
    char* block = static_cast<char*>(::operator new(header + capacity + 1)); // 64 bytes
    std::size_t const words[3] = {length, capacity, 0}; // length, capacity, refcount
    std::memcpy(block, words, sizeof words);
    std::memset(block + header, 0, capacity + 1);
    std::memcpy(block + header, "hello", length);
    g_text = block + header;
    reach::escape(block);
}

int main() {
    build();
    reach::scrub_stack();
    reach::say("reach_stdstring: done\n");
    return 0;
}
