// Helpers shared by the benchmark programs: a small fast PRNG (the same sequence in the plain and
// the tracked build) and the block sizes the workloads use.
#ifndef LEAKGUARD_BENCH_COMMON_HPP_INCLUDED
#define LEAKGUARD_BENCH_COMMON_HPP_INCLUDED

#include <cstddef>
#include <cstdint>

namespace bench {

// xorshift64*: a few instructions per number, so it stays out of the measurements.
struct rng {
    std::uint64_t state;
    explicit rng(std::uint64_t seed) : state(seed * 0x9E3779B97F4A7C15ull + 1) {}
    std::uint32_t next() {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        return static_cast<std::uint32_t>((state * 0x2545F4914F6CDD1Dull) >> 32);
    }
    // Uniform enough in [lo, hi] for sizes (the modulo bias is irrelevant here).
    std::size_t between(std::size_t lo, std::size_t hi) { return lo + next() % (hi - lo + 1); }
};

// Block sizes of the churn and ring workloads: 16 to 512 bytes.
constexpr std::size_t min_block = 16;
constexpr std::size_t max_block = 512;

} // namespace bench

#endif
