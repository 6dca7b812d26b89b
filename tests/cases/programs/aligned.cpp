// Over-aligned allocation: alignas types through new-expressions (which call the align_val_t
// operators) and explicit operator new(n, std::align_val_t) calls. Every pointer must be aligned
// (checked here: a misaligned one makes the exit status 1), everything is freed, except one
// alignas(64) object kept by a function-local static on purpose (still reachable: listed with
// show_reachable=1 as kind "new(align)", and not failing the run).
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp)
#include <leakguard/leakguard.hpp>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <new>

namespace {

struct alignas(64) line { char bytes[64]; };
struct alignas(4096) page { char bytes[100]; }; // smaller than its alignment

int g_failures = 0;

void expect_aligned(const void* p, std::size_t align, const char* what) {
    if (!p || reinterpret_cast<std::uintptr_t>(p) % align != 0) {
        std::printf("MISALIGNED: %s %p (wanted %zu)\n", what, p, align);
        ++g_failures;
    }
}

} // namespace

int main() {
    line* l = new line;
    expect_aligned(l, 64, "new line");
    std::memset(l, 1, sizeof *l);
    delete l;

    line* ls = new line[5];
    expect_aligned(ls, 64, "new line[5]");
    std::memset(ls, 2, 5 * sizeof *ls);
    delete[] ls;

    page* pg = new page;
    expect_aligned(pg, 4096, "new page");
    std::memset(pg, 3, sizeof *pg);
    delete pg;

    page* pgs = new page[3];
    expect_aligned(pgs, 4096, "new page[3]");
    std::memset(pgs, 4, 3 * sizeof *pgs);
    delete[] pgs;

    // Every power of two from 32 to 64 KiB, with sizes below, at and above the alignment.
    for (std::size_t align = 32; align <= 65536; align *= 2) {
        for (std::size_t size : {std::size_t(1), align - 1, align, align + 1, 3 * align}) {
            void* p = ::operator new(size, std::align_val_t(align));
            expect_aligned(p, align, "operator new(align)");
            std::memset(p, 5, size);
            ::operator delete(p, std::align_val_t(align));

            void* q = ::operator new[](size, std::align_val_t(align), std::nothrow);
            expect_aligned(q, align, "operator new[](align, nothrow)");
            std::memset(q, 6, size);
            ::operator delete[](q, std::align_val_t(align));
        }
    }

    static line* kept = new line; // kept on purpose: kind "new(align)", 64 bytes, still reachable
    expect_aligned(kept, 64, "leaked line");
    std::printf("aligned: %d misaligned\n", g_failures);
    return g_failures == 0 ? 0 : 1;
}
