// malloc/free and realloc growth, built as bench_malloc_plain and bench_malloc_tracked.
//
//   BM_malloc_free<N>        one malloc(N) / free(p) pair per iteration, N = 16, 64, 1024, 65536
//   BM_realloc_geometric     a buffer grown by realloc from 16 bytes to 64 KiB in steps of 1.5x
//                            (23 reallocs, most of them moves), then freed
//   BM_realloc_linear        a buffer grown by realloc from 16 bytes to 4 KiB, 16 bytes at a time
//                            (255 reallocs, most of them in place), then freed
//
// The tracked build defines LEAKGUARD_MAP_MALLOC before including leakguard, which maps this
// file's malloc/free/realloc to leakguard's tracked versions once that feature exists. Until then
// the define does nothing and both builds measure glibc's malloc; every benchmark reports a
// counter `tracked` = 1 when leakguard counted the calls (0: malloc was not mapped), so the
// results say which of the two was measured.
#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <stdlib.h> // malloc, realloc, free: unqualified, so that LEAKGUARD_MAP_MALLOC's macros apply

#if LEAKGUARD_BENCH_TRACKED
#define LEAKGUARD_MAP_MALLOC
#include <leakguard/leakguard.hpp>
#endif

namespace {

// 1 when a malloc/free pair made here is counted by leakguard.
double malloc_is_tracked() {
#if LEAKGUARD_BENCH_TRACKED
    std::uint64_t const before = leakguard::stats().allocations;
    void* p = malloc(24);
    benchmark::DoNotOptimize(p);
    free(p);
    return leakguard::stats().allocations != before ? 1.0 : 0.0;
#else
    return 0.0;
#endif
}

template <std::size_t N>
void BM_malloc_free(benchmark::State& state) {
    for (auto _ : state) {
        void* p = malloc(N);
        benchmark::DoNotOptimize(p);
        benchmark::ClobberMemory();
        free(p);
    }
    state.SetItemsProcessed(state.iterations());
    state.counters["tracked"] = malloc_is_tracked();
}
BENCHMARK_TEMPLATE(BM_malloc_free, 16);
BENCHMARK_TEMPLATE(BM_malloc_free, 64);
BENCHMARK_TEMPLATE(BM_malloc_free, 1024);
BENCHMARK_TEMPLATE(BM_malloc_free, 65536);

// items = realloc calls.
void grow(benchmark::State& state, std::size_t limit, bool geometric) {
    std::int64_t reallocs = 0;
    for (auto _ : state) {
        std::size_t size = 16;
        char* p = static_cast<char*>(malloc(size));
        p[0] = 1;
        while (size < limit) {
            size = geometric ? size + size / 2 : size + 16;
            if (size > limit) size = limit;
            char* q = static_cast<char*>(realloc(p, size));
            if (!q) {
                state.SkipWithError("realloc failed");
                break;
            }
            p = q;
            p[size - 1] = static_cast<char>(size);
            benchmark::DoNotOptimize(p);
            ++reallocs;
        }
        free(p);
    }
    state.SetItemsProcessed(reallocs);
    state.counters["tracked"] = malloc_is_tracked();
}
void BM_realloc_geometric(benchmark::State& state) { grow(state, 65536, true); }
void BM_realloc_linear(benchmark::State& state) { grow(state, 4096, false); }
BENCHMARK(BM_realloc_geometric);
BENCHMARK(BM_realloc_linear);

} // namespace

BENCHMARK_MAIN();
