// The monitor's report (docs/monitor.md) on a large heap: how long one write_profile() takes
//   sites N    with N live sites - N distinct call paths, one live 16-byte block each, made by a
//              recursion 17 calls deep that goes through one of two functions at each level
//              (2^17 = 131,072 paths at most) - run with stack_depth=64 so that every path is kept
//   blocks N   with N live 64-byte blocks from one site: the walk of the lists alone
// Prints "monitor report: <ms> ms first, <ms> ms median of the next 5 (...)". The reports go to
// /dev/null; the first one names the 20 sites it lists (monitor_top), the next ones find the names
// kept. LEAKGUARD_MAIN is in tracked_main.cpp.
#include <leakguard/leakguard.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

constexpr int levels = 17;
void* step(int d, unsigned bits);

__attribute__((noinline)) void* leaf() { return new char[16]; }
// Two functions, one call each: which one a level goes through is one bit of the path.
__attribute__((noinline)) void* step_a(int d, unsigned bits) {
    void* p = step(d + 1, bits);
    __asm__ volatile("" ::: "memory"); // not a tail call: the frame stays on the stack
    return p;
}
__attribute__((noinline)) void* step_b(int d, unsigned bits) {
    void* p = step(d + 1, bits);
    __asm__ volatile("" ::: "memory");
    return p;
}
__attribute__((noinline)) void* step(int d, unsigned bits) {
    if (d == levels) return leaf();
    void* p = (bits >> d) & 1u ? step_a(d, bits) : step_b(d, bits);
    __asm__ volatile("" ::: "memory");
    return p;
}

__attribute__((noinline)) void* one_site() { return new char[64]; }

double ms_since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
}

} // namespace

int main(int argc, char** argv) {
    const char* mode = argc > 1 ? argv[1] : "sites";
    long const n = argc > 2 ? std::atol(argv[2]) : 100000;
    std::vector<void*> kept;
    kept.reserve(static_cast<std::size_t>(n));
    bool const sites = std::strcmp(mode, "sites") == 0;
    if (sites) leakguard::set_option("stack_depth", "64");
    auto const made = std::chrono::steady_clock::now();
    for (long i = 0; i < n; ++i) kept.push_back(sites ? step(0, static_cast<unsigned>(i)) : one_site());
    double const make_ms = ms_since(made);
    auto t = std::chrono::steady_clock::now();
    leakguard::write_profile("/dev/null");
    double const first = ms_since(t);
    std::vector<double> next;
    for (int i = 0; i < 5; ++i) {
        t = std::chrono::steady_clock::now();
        leakguard::write_profile("/dev/null");
        next.push_back(ms_since(t));
    }
    std::sort(next.begin(), next.end());
    std::printf("monitor report: %.1f ms first, %.1f ms median of the next 5 (%ld live %s; allocating them took "
                "%.0f ms)\n",
                first, next[2], n, sites ? "sites" : "blocks of one site", make_ms);
    for (void* p : kept) delete[] static_cast<char*>(p);
    return 0;
}
