// Allocation microbenchmarks, built as bench_alloc_plain and bench_alloc_tracked (see CMakeLists.txt).
//
//   BM_new_delete<N>   one `new T` / `delete p` pair per iteration, sizeof(T) == N
//   BM_new_delete_deep/D  the 64-byte pair made D nested (non-inlined) calls below the
//                      benchmark: what call-stack capture costs (run.sh sets stack_depth=0/1/8/16
//                      through LEAKGUARD_OPTIONS) has frames to walk
//   BM_new_delete_stack_depth/D  the same pair 20 calls deep, with stack_depth=D set through
//                      leakguard::set_option in the tracked build (D = 0, 1, 8, 16; other
//                      options at their defaults); the plain build runs the same loop untracked
//   BM_string_reserve_deep/D  a 64-byte std::string::reserve and the string's destruction, D
//                      calls deep: the allocation is made inside libstdc++.so (built without
//                      frame pointers), so the stack walk must step over its frames by their
//                      unwind tables (capture/cfi_unwind.hpp); against BM_new_delete_deep/D,
//                      whose whole stack keeps frame pointers
//   BM_churn           each thread keeps a ring of 1024 live blocks (16-512 bytes, random) and
//                      replaces the oldest one per iteration; run on 1 and 2 threads
//   BM_cross_thread    thread 0 allocates blocks (16-512 bytes) and hands them through a
//                      lock-free single-producer/single-consumer queue to thread 1, which frees
//                      them: every free is a free of another thread's block
//
// items_per_second is the whole process's throughput (both threads together), in blocks
// allocated and freed per second.
//
// --after_thread (our own flag, before Google Benchmark's): first start a thread that allocates
// one block, and join it. leakguard counts live bytes exactly - one atomic add per allocation and
// per free - while only one thread has ever allocated, and batches them per thread after that; the
// flag measures the single-threaded benchmarks in the batched mode (the plain build is unaffected).
#include <benchmark/benchmark.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <sched.h>
#include <string>
#include <thread>
#include <vector>

#include "bench_common.hpp"

#if LEAKGUARD_BENCH_TRACKED
#include <leakguard/leakguard.hpp>
#endif

namespace {

template <std::size_t N>
struct blob {
    unsigned char bytes[N];
};

// 1. A bare new/delete pair. DoNotOptimize/ClobberMemory make the pointer escape, so the pair
// cannot be removed in either build (the tracked build also has -fno-allocation-dce, and so has
// the plain one: see CMakeLists.txt).
template <std::size_t N>
void BM_new_delete(benchmark::State& state) {
    for (auto _ : state) {
        blob<N>* p = new blob<N>;
        benchmark::DoNotOptimize(p);
        benchmark::ClobberMemory();
        delete p;
    }
    state.SetItemsProcessed(state.iterations());
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(N));
}
BENCHMARK_TEMPLATE(BM_new_delete, 16);
BENCHMARK_TEMPLATE(BM_new_delete, 64);
BENCHMARK_TEMPLATE(BM_new_delete, 1024);
BENCHMARK_TEMPLATE(BM_new_delete, 65536);

// 1b. The same 64-byte pair, `depth` calls deeper than the benchmark function.
__attribute__((noinline)) void pairs_at_depth(benchmark::State& state, int depth) {
    if (depth > 0) {
        pairs_at_depth(state, depth - 1);
        benchmark::ClobberMemory(); // work after the call: no tail call, the frame stays
        return;
    }
    for (auto _ : state) {
        blob<64>* p = new blob<64>;
        benchmark::DoNotOptimize(p);
        benchmark::ClobberMemory();
        delete p;
    }
}
void BM_new_delete_deep(benchmark::State& state) {
    pairs_at_depth(state, static_cast<int>(state.range(0)));
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_new_delete_deep)->Arg(20);

// 1b'. The same depth, the pair made by std::string::reserve inside libstdc++.so.
__attribute__((noinline)) void reserves_at_depth(benchmark::State& state, int depth) {
    if (depth > 0) {
        reserves_at_depth(state, depth - 1);
        benchmark::ClobberMemory(); // work after the call: no tail call, the frame stays
        return;
    }
    for (auto _ : state) {
        std::string s;
        s.reserve(64);
        benchmark::DoNotOptimize(s.data());
        benchmark::ClobberMemory();
    }
}
void BM_string_reserve_deep(benchmark::State& state) {
    reserves_at_depth(state, static_cast<int>(state.range(0)));
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_string_reserve_deep)->Arg(20);

// 1c. The pair 20 calls deep at each stack depth, the option set by the program itself (one
// binary, one run: no LEAKGUARD_OPTIONS needed). The plain build ignores the argument.
void BM_new_delete_stack_depth(benchmark::State& state) {
#if LEAKGUARD_BENCH_TRACKED
    char depth[8];
    std::snprintf(depth, sizeof depth, "%d", static_cast<int>(state.range(0)));
    if (!leakguard::set_option("stack_depth", depth)) state.SkipWithError("stack_depth refused");
#endif
    pairs_at_depth(state, 20);
    state.SetItemsProcessed(state.iterations());
#if LEAKGUARD_BENCH_TRACKED
    leakguard::set_option("stack_depth", "12"); // the default again
#endif
}
BENCHMARK(BM_new_delete_stack_depth)->Arg(0)->Arg(1)->Arg(8)->Arg(16);

// 2a. Churn: a ring of live blocks per thread, the oldest replaced each iteration.
constexpr std::size_t ring_size = 1024;

void BM_churn(benchmark::State& state) {
    bench::rng rng(1234 + static_cast<std::uint64_t>(state.thread_index()));
    std::vector<char*> ring(ring_size);
    for (char*& p : ring) p = new char[rng.between(bench::min_block, bench::max_block)];
    std::size_t i = 0;
    for (auto _ : state) {
        delete[] ring[i];
        ring[i] = new char[rng.between(bench::min_block, bench::max_block)];
        benchmark::DoNotOptimize(ring[i]);
        i = (i + 1) & (ring_size - 1);
    }
    for (char* p : ring) delete[] p;
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_churn)->Threads(1)->Threads(2)->UseRealTime();

// 2b. Cross-thread frees through a bounded lock-free SPSC queue of pointers.
struct spsc_queue {
    static constexpr std::size_t capacity = 1024; // power of two
    // Each side re-reads the other side's index only when its cached copy says full / empty, so
    // the index cache lines move between the cores about once per batch, not once per block.
    alignas(64) std::atomic<std::size_t> head{0}; // next slot to pop (written by the consumer)
    std::size_t tail_seen = 0;                    // consumer's copy of tail
    alignas(64) std::atomic<std::size_t> tail{0}; // next slot to push (written by the producer)
    std::size_t head_seen = 0;                    // producer's copy of head
    alignas(64) char* slots[capacity];

    void push(char* p) {
        std::size_t const t = tail.load(std::memory_order_relaxed);
        for (int spins = 0; t - head_seen == capacity; ++spins) {
            if (spins > 1000) sched_yield();
            head_seen = head.load(std::memory_order_acquire);
        }
        slots[t & (capacity - 1)] = p;
        tail.store(t + 1, std::memory_order_release);
    }
    char* pop() {
        std::size_t const h = head.load(std::memory_order_relaxed);
        for (int spins = 0; tail_seen == h; ++spins) {
            if (spins > 1000) sched_yield();
            tail_seen = tail.load(std::memory_order_acquire);
        }
        char* p = slots[h & (capacity - 1)];
        head.store(h + 1, std::memory_order_release);
        return p;
    }
};

spsc_queue g_queue; // each run moves exactly as many blocks in as out, so it starts empty

void BM_cross_thread(benchmark::State& state) {
    if (state.thread_index() == 0) {
        bench::rng rng(99);
        for (auto _ : state) {
            char* p = new char[rng.between(bench::min_block, bench::max_block)];
            benchmark::DoNotOptimize(p);
            g_queue.push(p);
        }
        // Both threads run the same number of iterations; count each block once.
        state.SetItemsProcessed(state.iterations());
    } else {
        for (auto _ : state) {
            char* p = g_queue.pop();
            benchmark::DoNotOptimize(p);
            delete[] p;
        }
    }
}
BENCHMARK(BM_cross_thread)->Threads(2)->UseRealTime();

} // namespace

int main(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--after_thread") != 0) continue;
        std::thread([] {
            int* p = new int(1);
            benchmark::DoNotOptimize(p);
            delete p;
        }).join();
        for (int j = i; j < argc; ++j) argv[j] = argv[j + 1];
        --argc;
        break;
    }
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
