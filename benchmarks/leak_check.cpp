// The leak check's cost: 1,000,000 live blocks of 100 bytes (100 MB), all reachable (1,000 lists of
// 1,000 blocks from a global table), checked on demand - with no other thread, then with 10
// threads running (5 spinning, 5 sleeping in a system call, each holding a list of its own).
// Built as leak_check_tracked (leakguard::check_leaks) and leak_check_lsan (-fsanitize=leak,
// __lsan_do_recoverable_leak_check): the same program, the same allocations, one call timed.
// leak_check.sh runs them side by side.
//
//   leak_check_<tool> [threads]   prints "<tool> check: <ms> ms median of 5 (<threads> threads, ...)"
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <unistd.h>
#include <vector>

#if LEAKGUARD_BENCH_TRACKED
#include <leakguard/leakguard.hpp> // LEAKGUARD_MAIN is in tracked_main.cpp
static const char* const tool = "leakguard";
static std::size_t run_check() { return leakguard::check_leaks().leaked_blocks; }
#else
#include <sanitizer/lsan_interface.h>
static const char* const tool = "lsan";
static std::size_t run_check() { return static_cast<std::size_t>(__lsan_do_recoverable_leak_check()); }
#endif

namespace {

struct block {
    block* next;
    char payload[92]; // 100 bytes in all
};

constexpr int lists = 1000;
constexpr int per_list = 1000;
block* g_heads[lists];
std::atomic<bool> g_stop{false};

block* make_list(int n) {
    block* head = nullptr;
    for (int i = 0; i < n; ++i) {
        block* b = static_cast<block*>(::operator new(sizeof(block)));
        b->next = head;
        b->payload[0] = static_cast<char>(i);
        head = b;
    }
    return head;
}

void free_list(block* b) {
    while (b) {
        block* next = b->next;
        ::operator delete(b);
        b = next;
    }
}

void worker(int index) {
    block* volatile mine = make_list(100);
    if (index % 2 == 0) {
        while (!g_stop.load(std::memory_order_relaxed)) {} // running when the check comes
    } else {
        while (!g_stop.load(std::memory_order_relaxed)) ::usleep(1000); // in a system call
    }
    free_list(mine);
}

} // namespace

int main(int argc, char** argv) {
    int const threads = argc > 1 ? std::atoi(argv[1]) : 0;
    for (int i = 0; i < lists; ++i) g_heads[i] = make_list(per_list);
    std::vector<std::thread> pool;
    for (int i = 0; i < threads; ++i) pool.emplace_back(worker, i);
    ::usleep(100000);
    std::vector<double> ms;
    std::size_t leaked = 0;
    for (int r = 0; r < 5; ++r) {
        auto const t0 = std::chrono::steady_clock::now();
        leaked += run_check();
        auto const t1 = std::chrono::steady_clock::now();
        ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    std::printf("%s check: %.1f ms median of 5 (%d threads, %zu leaked)\n", tool, ms[2], threads, leaked);
    g_stop = true;
    for (std::thread& t : pool) t.join();
    for (int i = 0; i < lists; ++i) free_list(g_heads[i]);
    return 0;
}
