// Writes outside a block that reach leakguard's records of its neighbours (docs/heap-checks.md,
// "A damaged heap"): `past N` writes N bytes right after a block, `before N` the N bytes right
// before it, `byte K` the one byte K bytes before it. Sixteen blocks of 32 bytes are kept alive in
// a global and filled with 0x5A; the target is the fourth by address, so blocks lie on both sides.
// After leakguard::check_heap() the program looks at every block's bytes: only those the write
// covered may have changed ("neighbours intact"), so leakguard's repairs wrote nowhere else. Then
// the exit report must complete, listing what it can and naming what was damaged.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <leakguard/leakguard.hpp>

namespace {
constexpr int count = 16;
constexpr std::size_t size = 32;
constexpr unsigned char fill = 0x5A;
char* g_blocks[count]; // kept: still reachable at exit
} // namespace

int main(int argc, char** argv) {
    if (argc < 3) return 2;
    long const n = std::atol(argv[2]);
    for (char*& b : g_blocks) {
        b = static_cast<char*>(std::malloc(size));
        std::memset(b, fill, size);
    }
    char* sorted[count];
    std::copy(g_blocks, g_blocks + count, sorted);
    std::sort(sorted, sorted + count);
    char* const target = sorted[3];
    char* from = nullptr;
    long length = 0;
    if (std::strcmp(argv[1], "past") == 0) {
        from = target + size;
        length = n;
    } else if (std::strcmp(argv[1], "before") == 0) {
        from = target - n;
        length = n;
    } else {
        from = target - n; // byte
        length = 1;
    }
    std::memset(from, 0x41, static_cast<std::size_t>(length)); // the program's bug
    std::printf("check_heap: %s\n", leakguard::check_heap() ? "clean" : "errors");
    for (char* b : g_blocks)
        for (std::size_t i = 0; i < size; ++i)
            if (static_cast<unsigned char>(b[i]) != fill && !(b + i >= from && b + i < from + length)) {
                std::printf("changed: the byte at %p, %ld bytes from the target\n", static_cast<void*>(b + i),
                            static_cast<long>(b + i - target));
                return 1;
            }
    std::puts("neighbours intact");
    return 0;
}
