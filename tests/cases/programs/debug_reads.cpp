// How much debug information a run reads (test_debug_files): after the exit report (a destructor
// of the lowest priority runs after leakguard's), prints leakguard's count of the bytes of
// .debug_* sections it decoded and of the compilation units it read. argv[1] "leak": one block
// leaked from debug_reads_leak.cpp; anything else: nothing leaked. debug_reads_other.cpp is a
// unit no frame is in: it must never be read.
#define LEAKGUARD_MAIN
#include <leakguard/leakguard.hpp>

#include <cstdio>
#include <cstring>
#include <unistd.h>

void* debug_reads_leak();
int debug_reads_other(int);

__attribute__((destructor(101))) static void print_debug_reads() {
    char line[128];
    int const n =
        std::snprintf(line, sizeof line, "debug_reads: bytes=%llu units=%llu\n",
                      static_cast<unsigned long long>(leakguard::detail::g_debug_reads.bytes.load()),
                      static_cast<unsigned long long>(leakguard::detail::g_debug_reads.units.load()));
    if (n > 0) (void)!::write(2, line, static_cast<std::size_t>(n));
}

int main(int argc, char** argv) {
    if (argc > 1 && std::strcmp(argv[1], "leak") == 0) debug_reads_leak();
    std::printf("debug_reads: other=%d\n", debug_reads_other(argc));
    return 0;
}
