// Memory the C library hands out, freed by the mapped free (and reallocated by the mapped
// realloc): realpath, asprintf, getline with a NULL buffer, and strdup from a unit without the
// mapping (libc_owned_other.cpp). Every C allocation is tracked, so the C library got these from
// leakguard's malloc too: they are freed as tracked blocks, silently: no error, no leak, no crash
// (where leakguard leaves malloc to a sanitizer, they go back to the C library). And the other
// way round: a tracked block freed through `free` used as a value (a deleter), which is not the
// macro. The tracked build also prints what stats() counted over all that: every block freed.
#ifdef LEAKGUARD_CASE_TRACKED
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp)
#define LEAKGUARD_MAP_MALLOC
#include <leakguard/leakguard.hpp>
#endif

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

char* unmapped_strdup(const char* s); // libc_owned_other.cpp

int main() {
#ifdef LEAKGUARD_CASE_TRACKED
    leakguard::statistics const at_start = leakguard::stats();
#endif
    char* path = realpath(".", nullptr);
    char* text = nullptr;
    int const len = asprintf(&text, "pid-like %d", 42);
    text = static_cast<char*>(realloc(text, 200)); // the C library's block, reallocated by it
    char* line = nullptr;
    std::size_t cap = 0;
    FILE* f = std::tmpfile();
    std::fputs("one line\n", f);
    std::rewind(f);
    ssize_t const got = getline(&line, &cap, f);
    std::fclose(f);
    char* copy = unmapped_strdup("copied elsewhere");
    bool const ok = path && len > 0 && text && got == 9 && std::strcmp(copy, "copied elsewhere") == 0;
    free(path);
    free(text);
    free(line);
    free(copy);

    // A tracked block released by the C library's free (a deleter), not by the macro.
    std::unique_ptr<char, void (*)(void*)> owned(static_cast<char*>(malloc(32)), &::free);
    owned.reset();

#ifdef LEAKGUARD_CASE_TRACKED
    leakguard::statistics const at_end = leakguard::stats(); // before printf allocates stdout's buffer
#endif
    std::printf("libc_owned: %s\n", ok ? "ok" : "WRONG");
#ifdef LEAKGUARD_CASE_TRACKED
    std::printf("tracked: allocations %llu frees %llu\n",
                static_cast<unsigned long long>(at_end.allocations - at_start.allocations),
                static_cast<unsigned long long>(at_end.frees - at_start.frees));
#endif
    return ok ? 0 : 1;
}
