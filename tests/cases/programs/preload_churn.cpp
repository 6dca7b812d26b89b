// Allocation churn meant to run under another allocator loaded with LD_PRELOAD (jemalloc,
// tcmalloc: test_preload.cpp) as well as under glibc's: three threads strdup/free, malloc/free
// small blocks, posix_memalign/aligned_alloc/valloc page-aligned large blocks (64 KiB - 4 MiB),
// realloc them up and down, ask malloc_usable_size, new/delete and new[]/delete[] - every block
// written and checked before it is freed. One block (new char[kLeakSize]) is leaked on purpose;
// everything else is freed. Prints each failed check and "preload_churn: N failures".
//
// Built twice (tests/cases/CMakeLists.txt): preload_churn with every C allocation tracked (the
// shared ALLOC_MAIN unit: leakguard's raw memory comes from the preloaded allocator, and its
// page-aligned blocks start pages), and preload_free_only with LEAKGUARD_DETAIL_INTERPOSE_ALLOC=0
// (its own LEAKGUARD_MAIN): there malloc, strdup and posix_memalign are the preloaded allocator's
// own, and leakguard's free must pass every such pointer on untouched - the small ones with
// anything in the 8 bytes in front of them, the page-aligned ones with maybe no page there at all.
#if defined(CASE_OWN_MAIN)
#define LEAKGUARD_MAIN
#endif
#include <leakguard/leakguard.hpp>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <malloc.h>
#include <thread>
#include <unistd.h>

namespace {

std::atomic<int> g_failures{0};
void check(bool ok, const char* what) {
    if (!ok) {
        ++g_failures;
        std::printf("FAILED: %s\n", what);
    }
}

constexpr int kThreads = 3;
constexpr int kRounds = 300;
constexpr std::size_t kLeakSize = 4321; // the one leak (the driver looks for this size)

bool page_aligned(const void* p) { return (reinterpret_cast<std::uintptr_t>(p) & 4095u) == 0; }

// Fills `n` bytes with a pattern of `seed`; checks it (the block was not touched by anybody else).
void fill(void* p, std::size_t n, unsigned seed) {
    unsigned char* b = static_cast<unsigned char*>(p);
    for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<unsigned char>(seed + i * 7);
}
bool intact(const void* p, std::size_t n, unsigned seed) {
    const unsigned char* b = static_cast<const unsigned char*>(p);
    for (std::size_t i = 0; i < n; ++i)
        if (b[i] != static_cast<unsigned char>(seed + i * 7)) return false;
    return true;
}
// Large blocks: their first and last pages only (touching 4 MiB each time would be all the run does).
void fill_ends(void* p, std::size_t n, unsigned seed) {
    fill(p, 4096, seed);
    fill(static_cast<char*>(p) + n - 4096, 4096, seed + 1);
}
bool ends_intact(const void* p, std::size_t n, unsigned seed) {
    return intact(p, 4096, seed) && intact(static_cast<const char*>(p) + n - 4096, 4096, seed + 1);
}

struct object {
    long values[5];
};

void small_blocks(unsigned seed) {
    char text[48];
    std::snprintf(text, sizeof text, "string %u from strdup", seed);
    char* copies[8];
    for (char*& c : copies) c = strdup(text);
    for (char* c : copies) {
        check(c && std::strcmp(c, text) == 0, "strdup copy intact");
        std::free(c);
    }
    void* blocks[8];
    for (int i = 0; i < 8; ++i) {
        std::size_t const n = 8 + static_cast<std::size_t>((seed + i * 37) % 1000);
        blocks[i] = std::malloc(n);
        check(blocks[i] != nullptr, "malloc");
        if (!blocks[i]) continue;
        check(malloc_usable_size(blocks[i]) >= n, "malloc_usable_size of a small block");
        fill(blocks[i], n, seed + i);
    }
    for (int i = 0; i < 8; ++i) {
        std::size_t const n = 8 + static_cast<std::size_t>((seed + i * 37) % 1000);
        if (blocks[i]) check(intact(blocks[i], n, seed + i), "small block intact");
        std::free(blocks[i]);
    }
}

void large_blocks(unsigned seed) {
    std::size_t const n = std::size_t(64) << 10 << (seed % 7); // 64 KiB .. 4 MiB
    void* a = nullptr;
    check(posix_memalign(&a, 4096, n) == 0 && a, "posix_memalign");
    void* b = aligned_alloc(4096, n);
    void* c = valloc(n / 2);
    void* d = nullptr;
    check(posix_memalign(&d, 65536, n) == 0 && d, "posix_memalign 64 KiB");
    check(b && c && page_aligned(a) && page_aligned(b) && page_aligned(c) && page_aligned(d), "page-aligned blocks");
    if (!a || !b || !c || !d) return;
    check(malloc_usable_size(a) >= n && malloc_usable_size(c) >= n / 2, "malloc_usable_size of a large block");
    fill_ends(a, n, seed);
    fill_ends(b, n, seed + 2);
    fill_ends(c, n / 2, seed + 4);
    fill_ends(d, n, seed + 6);
    // realloc of a page-aligned block, up and then down (moves, or grows in place)
    void* grown = std::realloc(b, n * 2);
    check(grown != nullptr, "realloc up");
    if (grown) {
        check(intact(grown, 4096, seed + 2), "realloc kept the first page");
        b = grown;
        void* shrunk = std::realloc(b, 8192);
        check(shrunk != nullptr && intact(shrunk, 4096, seed + 2), "realloc down kept the first page");
        if (shrunk) b = shrunk;
    }
    check(ends_intact(a, n, seed) && ends_intact(c, n / 2, seed + 4) && ends_intact(d, n, seed + 6),
          "large blocks intact");
    std::free(a);
    std::free(b);
    std::free(c);
    std::free(d);
}

void reallocs(unsigned seed) {
    char* p = nullptr;
    std::size_t n = 0;
    for (int step = 0; step < 12; ++step) {
        std::size_t const next = 16 + static_cast<std::size_t>(step) * 150;
        char* q = static_cast<char*>(std::realloc(p, next));
        check(q != nullptr, "realloc growth");
        if (!q) break;
        check(n == 0 || intact(q, n, seed), "realloc growth kept the contents");
        p = q;
        n = next;
        fill(p, n, seed);
    }
    std::free(p);
}

void cpp_blocks(unsigned seed) {
    object* one = new object{{long(seed), 1, 2, 3, 4}};
    int* many = new int[100 + seed % 50];
    many[0] = static_cast<int>(seed);
    struct alignas(4096) page {
        char bytes[4096];
    };
    page* aligned = new page;
    aligned->bytes[0] = 'p';
    check(page_aligned(aligned), "aligned new starts a page");
    check(one->values[0] == long(seed) && many[0] == static_cast<int>(seed) && aligned->bytes[0] == 'p',
          "new blocks intact");
    delete aligned;
    delete[] many;
    delete one;
}

void worker(int id) {
    for (int round = 0; round < kRounds; ++round) {
        unsigned const seed = static_cast<unsigned>(id * 100000 + round);
        small_blocks(seed);
        if (round % 10 == 0) large_blocks(seed);
        reallocs(seed);
        cpp_blocks(seed);
    }
}

} // namespace

int main() {
    std::thread threads[kThreads];
    for (int i = 0; i < kThreads; ++i) threads[i] = std::thread(worker, i);
    for (std::thread& t : threads) t.join();
    new char[kLeakSize]; // the leak; the result is dropped on purpose
    std::printf("preload_churn: %d failures\n", g_failures.load());
    return 0;
}
