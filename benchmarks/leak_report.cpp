// The exit report's cost: a process that allocates 100,000 blocks from 10 sites (10,000 each,
// 16-88 bytes) and exits without freeing them. Built as leak_report_plain and leak_report_tracked.
//
//   leak_report_tracked          leaks; what happens at exit depends on LEAKGUARD_OPTIONS
//   leak_report_tracked --free   frees every block before exiting (nothing to report)
//
// run.sh times whole runs with hyperfine under report=off, report=summary (+ json_path) and
// report=full (+ json_path), all with exitcode=0; the report's cost is the difference to report=off.
#include <cstddef>
#include <cstdio>
#include <cstring>

namespace {

constexpr int sites = 10;
constexpr std::size_t blocks_per_site = 10000;

char* g_blocks[sites][blocks_per_site];

// Ten distinct allocation sites: one new-expression in each instantiation.
template <int Site>
__attribute__((noinline)) void leak_from_site() {
    for (std::size_t i = 0; i < blocks_per_site; ++i) {
        char* p = new char[16 + 8 * ((i + Site) % 10)];
        p[0] = static_cast<char>(i);
        g_blocks[Site][i] = p;
    }
}

template <int... Sites>
struct all_sites;
template <>
struct all_sites<> {
    static void run() {}
};
template <int First, int... Rest>
struct all_sites<First, Rest...> {
    static void run() {
        leak_from_site<First>();
        all_sites<Rest...>::run();
    }
};

} // namespace

int main(int argc, char** argv) {
    all_sites<0, 1, 2, 3, 4, 5, 6, 7, 8, 9>::run();
    long sum = 0;
    for (auto& site : g_blocks)
        for (char* p : site) sum += p[0];
    if (argc > 1 && std::strcmp(argv[1], "--free") == 0)
        for (auto& site : g_blocks)
            for (char*& p : site) {
                delete[] p;
                p = nullptr;
            }
    std::printf("%d blocks allocated (checksum %ld)\n", sites * static_cast<int>(blocks_per_site), sum);
    return 0;
}
