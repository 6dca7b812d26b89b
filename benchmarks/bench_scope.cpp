// Scope cost, built as bench_scope_plain and bench_scope_tracked (see CMakeLists.txt).
//
//   BM_scope/older:N/this_thread:T   per iteration: construct a leakguard::scope (all threads, or
//                                    this thread only when T == 1), allocate and free one 64-byte
//                                    block inside it, destroy the scope (the check, which passes)
//
// N older blocks (32 bytes each) are allocated before the timed loop and stay alive during it.
// A scope's check walks each shard back from its newest block and stops at the first block older
// than the scope, so the cost must not depend on N. In the plain build there is no scope: the
// loop is only the new/delete pair, the baseline the scope's cost adds to.
#include <benchmark/benchmark.h>

#include <cstddef>
#include <vector>

#if LEAKGUARD_BENCH_TRACKED
#include <leakguard/leakguard.hpp>
#endif

namespace {

struct block64 {
    unsigned char bytes[64];
};

void BM_scope(benchmark::State& state) {
    std::size_t const older = static_cast<std::size_t>(state.range(0));
    std::vector<char*> keep;
    keep.reserve(older);
    for (std::size_t i = 0; i < older; ++i) keep.push_back(new char[32]);
    benchmark::DoNotOptimize(keep.data());

#if LEAKGUARD_BENCH_TRACKED
    leakguard::scope::threads const which =
        state.range(1) ? leakguard::scope::this_thread : leakguard::scope::all_threads;
    std::size_t const failures_before = leakguard::scope_failures();
#endif
    for (auto _ : state) {
#if LEAKGUARD_BENCH_TRACKED
        leakguard::scope s(__FILE__, __LINE__, "bench", which);
#endif
        block64* p = new block64;
        benchmark::DoNotOptimize(p);
        benchmark::ClobberMemory();
        delete p;
    }
#if LEAKGUARD_BENCH_TRACKED
    if (leakguard::scope_failures() != failures_before) state.SkipWithError("a scope failed");
#endif

    for (char* p : keep) delete[] p;
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_scope)
    ->ArgNames({"older", "this_thread"})
    ->Args({0, 0})
    ->Args({1000000, 0})
    ->Args({0, 1})
    ->Args({1000000, 1});

} // namespace

BENCHMARK_MAIN();
