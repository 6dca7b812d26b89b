// Every C allocation of the process is leakguard's (the implementation unit this program links is
// built with LEAKGUARD_DETAIL_INTERPOSE_ALLOC=1), though this unit has no mapping macro: blocks
// from malloc, calloc, realloc(NULL), reallocarray(NULL), memalign, aligned_alloc,
// posix_memalign, valloc, pvalloc, and strdup inside the C library, are counted and listed with
// their kind, size and caller (and a call stack from this unit), keep their alignment and usable
// size, are freed correctly, and a realloc of an aligned block keeps its contents. A unit with the
// mapping (interpose_all_mapped.cpp) still gets file:line. A block of the C library's own
// allocator goes back to it. Each function keeps glibc's errors.
// Prints each failed check and "interpose_all: N failures", and the line of a memalign'd block left
// alive on purpose (run with exitcode=0: the C library's own blocks are live at exit too).
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp, built with the option)
#include <leakguard/leakguard.hpp>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <malloc.h>
#include <unistd.h>

void* mapped_malloc(std::size_t n, int* line); // interpose_all_mapped.cpp
extern "C" void* __libc_malloc(std::size_t); // glibc's own malloc, past the program's

namespace {
int g_failures = 0;
void check(bool ok, const char* what) {
    if (!ok) {
        ++g_failures;
        std::printf("FAILED: %s\n", what);
    }
}
bool aligned(const void* p, std::size_t a) { return reinterpret_cast<std::uintptr_t>(p) % a == 0; }

leakguard::block_info g_blocks[4096];
// The record of live block `p`; false when leakguard lists no such block.
bool find_block(const void* p, leakguard::block_info& out) {
    std::size_t const n = leakguard::live_blocks(g_blocks, 4096);
    for (std::size_t i = 0; i < n && i < 4096; ++i)
        if (g_blocks[i].address == p) {
            out = g_blocks[i];
            return true;
        }
    return false;
}
// The base address of the module that holds `address`.
const void* module_of(const void* address) {
    Dl_info info;
    return dladdr(address, &info) ? info.dli_fbase : nullptr;
}
bool in_libc(const void* address) {
    Dl_info info;
    return dladdr(address, &info) && info.dli_fname && std::strstr(info.dli_fname, "libc.so");
}
unsigned long long allocations() { return leakguard::stats().allocations; }
unsigned long long frees() { return leakguard::stats().frees; }

struct expected {
    const char* what;
    void* p;
    const char* kind;
    std::size_t size;
    std::size_t align;
};
} // namespace

int main() {
    std::size_t const page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
    unsigned long long const a0 = allocations();
    char* dup = strdup("hello"); // inside the C library: its malloc is leakguard's
    void* m = malloc(100);
    void* c = calloc(10, 30);
    void* volatile none = nullptr; // the compiler turns realloc of a null constant into malloc
    void* r = realloc(none, 40);
    void* ra = reallocarray(nullptr, 3, 5);
    void* ma = memalign(128, 50);
    void* ma8 = memalign(8, 24); // up to malloc's own alignment: an ordinary block
    void* aa = aligned_alloc(64, 128);
    void* pm = nullptr;
    int const pm_rc = posix_memalign(&pm, 256, 100);
    void* v = valloc(10);
    void* pv = pvalloc(5000);
    unsigned long long const a1 = allocations();
    check(a1 - a0 == 11, "11 allocations counted");
    check(pm_rc == 0, "posix_memalign returns 0");

    expected const all[] = {
        {"strdup", dup, "malloc", 6, 16},
        {"malloc", m, "malloc", 100, 16},
        {"calloc", c, "calloc", 300, 16},
        {"realloc(NULL)", r, "realloc", 40, 16},
        {"reallocarray(NULL)", ra, "realloc", 15, 16},
        {"memalign(128)", ma, "memalign", 50, 128},
        {"memalign(8)", ma8, "memalign", 24, 16},
        {"aligned_alloc", aa, "aligned_alloc", 128, 64},
        {"posix_memalign", pm, "posix_memalign", 100, 256},
        {"valloc", v, "valloc", 10, page},
        {"pvalloc", pv, "pvalloc", 2 * page, page}, // 5000 bytes rounded up to whole pages
    };
    for (const expected& e : all) {
        char what[160];
        leakguard::block_info info;
        bool const found = e.p && find_block(e.p, info);
        std::snprintf(what, sizeof what, "%s: a live block", e.what);
        check(found, what);
        if (!found) continue;
        std::snprintf(what, sizeof what, "%s: kind %s, got %s", e.what, e.kind, leakguard::kind_name(info.kind));
        check(std::strcmp(leakguard::kind_name(info.kind), e.kind) == 0, what);
        std::snprintf(what, sizeof what, "%s: size %zu, got %zu", e.what, e.size, info.size);
        check(info.size == e.size, what);
        std::snprintf(what, sizeof what, "%s: aligned to %zu", e.what, e.align);
        check(aligned(e.p, e.align), what);
        std::snprintf(what, sizeof what, "%s: malloc_usable_size >= size", e.what);
        check(malloc_usable_size(e.p) >= e.size, what);
        std::memset(e.p, 0x5A, e.size); // all of it is the program's
        std::snprintf(what, sizeof what, "%s: the caller is known", e.what);
        check(info.caller != nullptr, what);
        if (e.p == dup) {
            check(in_libc(info.caller), "strdup: the site is inside the C library");
        } else {
            std::snprintf(what, sizeof what, "%s: the site is in this program, with a stack", e.what);
            check(module_of(info.caller) == module_of(reinterpret_cast<const void*>(&check)) && info.stack_depth > 1,
                  what);
        }
    }

    // calloc zeroes: a block of the short path, and one past glibc's mmap threshold (which the C
    // library's own calloc hands out zeroed).
    unsigned char* z = static_cast<unsigned char*>(calloc(4000, 3));
    bool zero = z != nullptr;
    for (int i = 0; z && i < 12000; ++i) zero = zero && z[i] == 0;
    check(zero, "calloc zeroes");
    unsigned char* big = static_cast<unsigned char*>(calloc(1, 8u << 20)); // past glibc's mmap threshold
    bool big_zero = big != nullptr;
    for (std::size_t i = 0; big && i < (8u << 20); i += 4096) big_zero = big_zero && big[i] == 0;
    check(big_zero, "a large calloc zeroes");
    free(big);
    free(z);

    // A realloc of an over-aligned block: a realloc block with the contents.
    std::memcpy(aa, "aligned contents", 17);
    aa = realloc(aa, 1000);
    leakguard::block_info moved;
    check(aa && find_block(aa, moved) && moved.kind == leakguard::block_kind::realloc && moved.size == 1000,
          "realloc of aligned_alloc's block: a realloc block of the new size");
    check(aa && std::memcmp(aa, "aligned contents", 17) == 0, "realloc of aligned_alloc's block keeps the contents");

    // Freed, every one of them (whatever the kind), and no longer listed.
    unsigned long long const f0 = frees();
    void* const gone[] = {dup, m, c, r, ra, ma, ma8, aa, pm, v, pv};
    for (void* p : gone) free(p);
    check(frees() - f0 == 11, "11 frees counted");
    for (void* p : gone) {
        leakguard::block_info info;
        check(!find_block(p, info), "a freed block is not listed");
    }

    // The mapping still adds file:line.
    int mapped_line = 0;
    void* mp = mapped_malloc(12, &mapped_line);
    leakguard::block_info mapped;
    check(mp && find_block(mp, mapped) && mapped.location && mapped.location->line == mapped_line &&
              std::strstr(mapped.location->file, "interpose_all_mapped.cpp"),
          "a mapped malloc keeps its file:line");
    free(mp);

    // A block the C library handed out without leakguard (as before tracking began, or while
    // leakguard looks the C library's functions up) goes back to it: not listed, not counted.
    void* foreign = __libc_malloc(40);
    leakguard::block_info not_ours;
    check(foreign && !find_block(foreign, not_ours) && malloc_usable_size(foreign) >= 40,
          "a foreign block: not listed, its usable size from the C library");
    unsigned long long const f1 = frees();
    foreign = realloc(foreign, 4000);
    check(foreign && !find_block(foreign, not_ours), "realloc of a foreign block stays the C library's");
    free(foreign);
    check(frees() == f1, "a foreign block's free is not counted");

    // glibc's errors. Sizes and alignments through a volatile: the compiler warns about such
    // constants given to functions declared with alloc_size and alloc_align.
    volatile std::size_t const huge = SIZE_MAX - 10;
    volatile std::size_t const half = SIZE_MAX / 2;
    volatile std::size_t const odd = 48, zero_align = 0, far = std::size_t(1) << 62, all_ones = SIZE_MAX;
    errno = 0;
    check(malloc(huge) == nullptr && errno == ENOMEM, "malloc(SIZE_MAX - 10): NULL and ENOMEM");
    errno = 0;
    check(calloc(half, 3) == nullptr && errno == ENOMEM, "calloc overflow: NULL and ENOMEM");
    errno = 0;
    check(reallocarray(nullptr, half, 3) == nullptr && errno == ENOMEM, "reallocarray overflow: ENOMEM");
    char* keep = static_cast<char*>(malloc(8));
    void* volatile still_kept = keep; // the compiler takes any realloc'd pointer for freed
    errno = 0;
    check(realloc(keep, huge) == nullptr && errno == ENOMEM, "failed realloc: NULL and ENOMEM");
    free(still_kept); // the failed realloc left it alive and tracked
    // As glibc 2.36: an alignment that is not a power of two is rounded up; 0 is malloc's.
    void* const rounded = memalign(odd, 10);
    check(rounded && reinterpret_cast<std::uintptr_t>(rounded) % 64 == 0, "memalign(48): aligned to 64");
    free(rounded);
    void* const plain = memalign(zero_align, 10);
    check(plain && reinterpret_cast<std::uintptr_t>(plain) % 16 == 0, "memalign(0): a block, as malloc's");
    free(plain);
    errno = 0;
    check(memalign(all_ones, 10) == nullptr && errno == EINVAL, "memalign(SIZE_MAX): EINVAL");
    errno = 0;
    check(memalign(64, huge) == nullptr && errno == ENOMEM, "memalign of SIZE_MAX: ENOMEM");
    errno = 0;
    check(memalign(far, 10) == nullptr && errno == ENOMEM, "memalign(2^62): ENOMEM");
    void* const rounded_aligned = aligned_alloc(odd, 96);
    check(rounded_aligned && reinterpret_cast<std::uintptr_t>(rounded_aligned) % 64 == 0,
          "aligned_alloc(48): aligned to 64");
    free(rounded_aligned);
    errno = 0;
    check(aligned_alloc(64, huge) == nullptr && errno == ENOMEM, "aligned_alloc of SIZE_MAX: ENOMEM");
    void* const untouched = &g_failures;
    std::size_t const bad_alignments[] = {0, 4, 12, 24, 3};
    for (std::size_t a : bad_alignments) {
        void* out = untouched;
        errno = 4242;
        int const rc = posix_memalign(&out, a, 10);
        char what[120];
        std::snprintf(what, sizeof what, "posix_memalign(%zu): EINVAL, output and errno untouched", a);
        check(rc == EINVAL && out == untouched && errno == 4242, what);
    }
    void* out = untouched;
    errno = 4242;
    int const nomem = posix_memalign(&out, 64, huge);
    check(nomem == ENOMEM && out == untouched && errno == 4242, "posix_memalign of SIZE_MAX: ENOMEM, untouched");
    void* p8 = nullptr;
    check(posix_memalign(&p8, sizeof(void*), 0) == 0 && p8, "posix_memalign(sizeof(void*), 0): a block");
    free(p8);
    errno = 0;
    check(valloc(huge) == nullptr && errno == ENOMEM, "valloc of SIZE_MAX: ENOMEM");
    errno = 0;
    check(pvalloc(huge) == nullptr && errno == ENOMEM, "pvalloc rounding overflow: ENOMEM");
    check(malloc_usable_size(nullptr) == 0, "malloc_usable_size(NULL) is 0");
    free(nullptr);

    // Left alive on purpose: listed at exit with its kind and this line.
    int const kept_line = __LINE__ + 1;
    void* kept = memalign(64, 77);
    check(kept && aligned(kept, 64), "the kept block is aligned");

    std::printf("interpose_all: %d failures\n", g_failures);
    std::printf("memalign line %d\n", kept_line);
    return g_failures == 0 ? 0 : 1;
}
