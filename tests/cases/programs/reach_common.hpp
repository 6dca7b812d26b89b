// Helpers of the reachability cases (reach_*.cpp), for the tracked and the plain builds alike.
// Each case builds its structures in a noinline function, keeps (or drops) the pointers it means
// to, then scrubs the stack before main returns: the verdict must depend on the rule the case is
// about, not on stale copies of pointers that the compiler or the allocator left behind.
#ifndef LEAKGUARD_CASES_REACH_COMMON_HPP
#define LEAKGUARD_CASES_REACH_COMMON_HPP

#include <cstring>
#include <unistd.h>

namespace reach {

// Three pointers: the blocks of one structure all have this size, so which block of a cycle
// becomes the "leader" (the one counted definitely lost) does not change the bytes per kind.
struct node {
    node* link[3];
};

// The compiler must assume the asm reads p and all memory: the allocation and the stores into
// the block stay, and no copy of p is kept anywhere for it.
inline void escape(const void* p) { __asm__ __volatile__("" : : "r"(p) : "memory"); }

// Zeroes 64 KiB of stack below the caller's frame, where the functions that built the structures
// (and the allocator under them) left copies of their pointers. Once the exit report's frames lie
// over that area, a conservative scan from the stack pointer up would read the copies: valgrind
// skips them as undefined, an in-process scan cannot tell, and neither rule is under test here.
__attribute__((noinline)) inline void scrub_stack() {
    unsigned char area[64 * 1024];
    std::memset(area, 0, sizeof area);
    escape(area);
}

// Output without stdio: printf's buffer is a heap block the C library frees at exit under
// valgrind only, which would make the two tools' still-reachable blocks differ.
inline void say(const char* text) {
    std::size_t const n = std::strlen(text);
    if (::write(1, text, n) != static_cast<ssize_t>(n)) return;
}

} // namespace reach

#endif
