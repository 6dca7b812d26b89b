// stats(): totals since start-up. Around a known sequence of new/delete in one thread (no other
// thread runs here) the deltas are exact; peak_bytes never lags live_bytes.
#include <doctest/doctest.h>

#include "support.hpp"

#include <cstdint>

namespace {
std::int64_t delta(std::uint64_t after, std::uint64_t before) {
    return static_cast<std::int64_t>(after) - static_cast<std::int64_t>(before);
}
} // namespace

TEST_CASE("stats() deltas are exact around a known sequence of new and delete") {
    leakguard::statistics const s0 = leakguard::stats();
    char* a = new char[10];
    char* b = new char[20];
    int* c = new int(3);
    unit::use(a);
    unit::use(b);
    unit::use(c);
    delete[] a;
    leakguard::statistics const s1 = leakguard::stats();
    delete[] b;
    delete c;
    leakguard::statistics const s2 = leakguard::stats();

    CHECK(delta(s1.allocations, s0.allocations) == 3);
    CHECK(delta(s1.frees, s0.frees) == 1);
    CHECK(delta(s1.live_blocks, s0.live_blocks) == 2);
    CHECK(delta(s1.live_bytes, s0.live_bytes) == static_cast<std::int64_t>(20 + sizeof(int)));
    CHECK(delta(s2.allocations, s0.allocations) == 3);
    CHECK(delta(s2.frees, s0.frees) == 3);
    CHECK(s2.live_blocks == s0.live_blocks);
    CHECK(s2.live_bytes == s0.live_bytes);
}

TEST_CASE("stats() counts ignored blocks as live") {
    leakguard::statistics const s0 = leakguard::stats();
    int* p = nullptr;
    {
        LEAKGUARD_IGNORE_REGION();
        p = new int(1);
    }
    leakguard::statistics const s1 = leakguard::stats();
    delete p;
    leakguard::statistics const s2 = leakguard::stats();

    CHECK(delta(s1.allocations, s0.allocations) == 1);
    CHECK(delta(s1.live_blocks, s0.live_blocks) == 1);
    CHECK(delta(s1.live_bytes, s0.live_bytes) == static_cast<std::int64_t>(sizeof(int)));
    CHECK(delta(s2.frees, s0.frees) == 1);
}

TEST_CASE("stats() counts queries' own work as nothing") {
    // leakguard's own bookkeeping (scope queries, stats itself) is not a tracked allocation.
    leakguard::statistics const s0 = leakguard::stats();
    {
        leakguard::scope s(__FILE__, __LINE__, "quiet");
        unit::use(&s);
        CHECK(s.leaked_blocks() == 0);
        leakguard::block_info none[1];
        CHECK(s.leaks(none, 1) == 0);
        CHECK(s.check());
    }
    leakguard::statistics const s1 = leakguard::stats();
    CHECK(s1.allocations == s0.allocations);
    CHECK(s1.frees == s0.frees);
}

TEST_CASE("peak_bytes is at least live_bytes and remembers a big block after it is freed") {
    leakguard::statistics const s0 = leakguard::stats();
    // Bigger than the peak so far by far more than the batching slack (up to 1 MiB per live thread
    // that has allocated - threads hand theirs over when they exit, and the tests' threads have
    // exited by now), so the new peak shows.
    std::size_t const big = static_cast<std::size_t>(s0.peak_bytes) + (std::size_t(8) << 20);
    char* p = new char[big];
    unit::use(p);
    leakguard::statistics const s1 = leakguard::stats();
    delete[] p;
    leakguard::statistics const s2 = leakguard::stats();

    CHECK(s0.peak_bytes >= s0.live_bytes);
    CHECK(delta(s1.live_bytes, s0.live_bytes) == static_cast<std::int64_t>(big)); // exact: one thread
    CHECK(s1.peak_bytes >= s1.live_bytes);
    CHECK(s2.live_bytes == s0.live_bytes);
    // After the free the peak must come from the recorded maximum, not from live_bytes.
    CHECK(s2.peak_bytes > s0.peak_bytes);
    CHECK(s2.peak_bytes + (std::size_t(2) << 20) >= s0.live_bytes + big);
}
