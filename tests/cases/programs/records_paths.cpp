// Loss records with several call paths (docs/report-format.md, "Loss records"): one helper,
// alloc_buffer(), leaks from every caller below. The text report must name every caller, the JSON
// records must count the blocks of each path.
//   - from_http() calls it three times, from_disk() twice: one record, two paths (3 + 2 blocks);
//   - make_node() is reached at depths 1, 2 and 3 (depth_one/two/three): one record, three paths;
//   - worker threads reach make_entry() by two paths (via_queue, via_timer): two paths, 3 + 3;
//   - unrolled() calls make_cell() twenty times from one source line in an unrolled loop: one
//     record, one path, whatever call sites the compiler made of it.
#include <atomic>
#include <cstdio>
#include <thread>
#include <vector>

#define NOINLINE __attribute__((noinline))

NOINLINE char* alloc_buffer(unsigned n) { return new char[n]; }
NOINLINE void from_http() {
    for (int i = 0; i < 3; ++i) alloc_buffer(64);
}
NOINLINE void from_disk() {
    for (int i = 0; i < 2; ++i) alloc_buffer(64);
}

NOINLINE int* make_node() { return new int[8]; }
NOINLINE void depth_one() { make_node(); }
NOINLINE void depth_two_inner() { make_node(); }
NOINLINE void depth_two() { depth_two_inner(); }
NOINLINE void depth_three_innermost() { make_node(); }
NOINLINE void depth_three_inner() { depth_three_innermost(); }
NOINLINE void depth_three() { depth_three_inner(); }

NOINLINE long* make_entry() { return new long[4]; }
// Different bodies: identical functions would be folded into one (-fipa-icf), one path then.
// Atomic counters: three threads run each function at once (ThreadSanitizer stage).
std::atomic<int> g_queue_calls{0}, g_timer_calls{0};
NOINLINE void via_queue() {
    g_queue_calls.fetch_add(1, std::memory_order_relaxed);
    make_entry();
}
NOINLINE void via_timer() {
    g_timer_calls.fetch_add(2, std::memory_order_relaxed);
    make_entry();
}

NOINLINE short* make_cell() { return new short[3]; }
NOINLINE void unrolled() {
#pragma GCC unroll 20
    for (int i = 0; i < 20; ++i) make_cell(); // unrolled-line
}

int main() {
    from_http();
    from_disk();
    depth_one();
    depth_two();
    depth_three();
    std::vector<std::thread> workers;
    for (int i = 0; i < 3; ++i) {
        workers.emplace_back([] { via_queue(); });
        workers.emplace_back([] { via_timer(); });
    }
    for (std::thread& t : workers) t.join();
    unrolled();
    std::puts("records_paths: done");
    return 0;
}
