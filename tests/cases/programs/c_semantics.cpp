// The C semantics of the mapped functions, checked from inside: realloc(NULL, n), realloc(p, 0)
// (glibc: frees p, returns NULL), contents kept on grow and shrink, calloc zeroing and its
// overflow check, errno ENOMEM, free(NULL), malloc's alignment, strdup and strndup. Prints each
// failed check and "c_semantics: N failures". Keeps one realloc'd block alive on purpose, in a
// global (still reachable): listed with show_reachable=1, with its current size (1000), kind
// "realloc" and the realloc call's line.
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp)
#define LEAKGUARD_MAP_MALLOC
#include <leakguard/leakguard.hpp>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {
int g_failures = 0;
void check(bool ok, const char* what) {
    if (!ok) {
        ++g_failures;
        std::printf("FAILED: %s\n", what);
    }
}
bool aligned16(const void* p) { return reinterpret_cast<std::uintptr_t>(p) % 16 == 0; }
} // namespace

char* volatile g_kept; // the block kept alive to the end

int main() {
    // stdout's buffer is this array, not a block the C library allocates at the first printf (every
    // C allocation is tracked): the live blocks counted below are the checks' alone.
    static char out_buffer[BUFSIZ];
    std::setvbuf(stdout, out_buffer, _IOFBF, sizeof out_buffer);
    std::uint64_t const live_at_start = leakguard::stats().live_blocks;

    // realloc(NULL, n) is malloc(n).
    char* a = static_cast<char*>(realloc(nullptr, 10));
    check(a != nullptr && aligned16(a), "realloc(NULL, 10) gives an aligned block");
    std::memcpy(a, "0123456789", 10);
    // Grow: contents kept.
    a = static_cast<char*>(realloc(a, 100000));
    check(a && std::memcmp(a, "0123456789", 10) == 0, "grow keeps the contents");
    // Shrink: contents kept.
    a = static_cast<char*>(realloc(a, 4));
    check(a && std::memcmp(a, "0123", 4) == 0, "shrink keeps the contents");
    // realloc(p, 0): frees p, returns NULL (glibc).
    check(realloc(a, 0) == nullptr, "realloc(p, 0) returns NULL");
    check(leakguard::stats().live_blocks == live_at_start, "realloc(p, 0) released the block");

    // calloc zeroes, and fails cleanly when count * size overflows.
    unsigned char* z = static_cast<unsigned char*>(calloc(1000, 3));
    bool zero = z != nullptr;
    for (int i = 0; z && i < 3000; ++i) zero = zero && z[i] == 0;
    check(zero, "calloc zeroes");
    free(z);
    errno = 0;
    check(calloc(SIZE_MAX / 2, 3) == nullptr && errno == ENOMEM, "calloc overflow: NULL and ENOMEM");
    errno = 0;
    void* volatile huge = malloc(SIZE_MAX - 10);
    check(huge == nullptr && errno == ENOMEM, "malloc(SIZE_MAX - 10): NULL and ENOMEM");
    errno = 0;
    char* keep = static_cast<char*>(malloc(8));
    check(realloc(keep, SIZE_MAX - 10) == nullptr && errno == ENOMEM, "failed realloc: NULL and ENOMEM");
    free(keep); // the failed realloc left the block alive and tracked
    free(nullptr);

    // malloc(0) gives a unique pointer.
    void* e1 = malloc(0);
    void* e2 = malloc(0);
    check(e1 && e2 && e1 != e2, "malloc(0) gives unique pointers");
    free(e1);
    free(e2);

    // strdup / strndup.
    char* s = strdup("leakguard");
    check(s && std::strcmp(s, "leakguard") == 0, "strdup copies");
    free(s);
    char* n = strndup("leakguard", 4);
    check(n && std::strcmp(n, "leak") == 0, "strndup cuts at n");
    free(n);
    char const unterminated[3] = {'a', 'b', 'c'};
    n = strndup(unterminated, 3);
    check(n && std::strcmp(n, "abc") == 0, "strndup of an unterminated buffer reads n bytes");
    free(n);

    check(leakguard::stats().live_blocks == live_at_start, "everything released");

    // The block kept alive: malloc'd, then realloc'd on the next line.
    char* kept = static_cast<char*>(malloc(16));
    int const realloc_line = __LINE__ + 1;
    g_kept = static_cast<char*>(realloc(kept, 1000));
    std::printf("c_semantics: %d failures, realloc line %d\n", g_failures, realloc_line);
    return g_failures == 0 ? 0 : 1;
}
