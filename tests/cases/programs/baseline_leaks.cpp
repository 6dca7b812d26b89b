// Baselines (docs/report-format.md, "Baselines"): two sites that always leak, the known ones, and
// with the argument "more" a third, the new one. A baseline written from a run without "more"
// must accept the first two and fail only on the third.
#include <cstdio>
#include <cstring>

#define NOINLINE __attribute__((noinline))

NOINLINE char* old_buffer() { return new char[40]; }
NOINLINE int* old_table() { return new int[6]; }
NOINLINE long* new_record() { return new long[3]; }

int main(int argc, char** argv) {
    for (int i = 0; i < 2; ++i) old_buffer();
    old_table();
    if (argc > 1 && std::strcmp(argv[1], "more") == 0) new_record();
    std::puts("baseline_leaks: done");
    return 0;
}
