// getline() growing a buffer that a mapped malloc made: the C library reallocates it through the
// program's realloc, which leakguard's MAIN unit defines, so the block stays tracked (kind
// "realloc", its new size) and nothing crashes. The grown buffer is kept alive on purpose by a
// global: one still reachable block of `capacity` bytes, as valgrind finds in the plain build.
#ifdef LEAKGUARD_CASE_TRACKED
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp)
#define LEAKGUARD_MAP_MALLOC
#include <leakguard/leakguard.hpp>
#endif

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

char* volatile g_kept;

int main() {
    std::string text(3000, 'x');
    text += "\nshort\n";
    FILE* f = std::tmpfile();
    if (!f) return 2;
    std::fputs(text.c_str(), f);
    std::rewind(f);

    std::size_t capacity = 8;
    char* line = static_cast<char*>(malloc(capacity));
    ssize_t const n = getline(&line, &capacity, f);
    ssize_t const m = getline(&line, &capacity, f);
    std::fclose(f);
    bool const ok = n == 3001 && m == 6 && std::strcmp(line, "short\n") == 0;
    g_kept = line;
    std::printf("getline_mapped: %s, capacity %zu\n", ok ? "ok" : "WRONG", capacity);
    return ok ? 0 : 1;
}
