// Many threads at once: 4 threads each allocate 10,000 blocks; each frees half of its own at
// once and, after all have allocated, half of its neighbour's (a free from a thread that does not
// own the block's shard). A few blocks are kept on purpose. The counters must come out exact and a
// scope around it all must see exactly the kept blocks.
//
// The threads start and wait at latches, so nothing they do at start-up or exit (std::thread's own
// bookkeeping) falls between the two stats() snapshots; the latches themselves allocate nothing.
#include <doctest/doctest.h>

#include "support.hpp"

#include <cstdint>
#include <thread>
#include <vector>

namespace {
int const thread_count = 4;
int const per_thread = 10000;

std::size_t size_for(int thread, int i) { return 1 + static_cast<std::size_t>((thread * 7 + i) % 97); }
// Of each thread's odd-numbered blocks (the ones its neighbour frees), these are kept: 10 a thread.
bool kept(int i) { return i % 1000 == 1; }
} // namespace

TEST_CASE("4 threads allocating and freeing 40,000 blocks: exact counters, exact scope") {
    std::vector<std::vector<char*>> blocks(thread_count, std::vector<char*>(per_thread, nullptr));
    unit::latch ready(thread_count), go(1), allocated(thread_count), done(thread_count), finish(1);
    std::vector<std::thread> workers;
    workers.reserve(thread_count);
    for (int t = 0; t < thread_count; ++t) {
        workers.emplace_back([&, t] {
            ready.count_down();
            go.wait();
            std::vector<char*>& mine = blocks[static_cast<std::size_t>(t)];
            for (int i = 0; i < per_thread; ++i) {
                char* p = new char[size_for(t, i)];
                p[0] = static_cast<char>(i);
                if (i % 2 == 0) delete[] p; // freed by its own thread at once
                else mine[static_cast<std::size_t>(i)] = p;
            }
            allocated.count_down();
            allocated.wait();
            // Free the neighbour's odd blocks, except the kept ones.
            std::vector<char*>& theirs = blocks[static_cast<std::size_t>((t + 1) % thread_count)];
            for (int i = 1; i < per_thread; i += 2) {
                if (kept(i)) continue;
                delete[] theirs[static_cast<std::size_t>(i)];
                theirs[static_cast<std::size_t>(i)] = nullptr;
            }
            done.count_down();
            finish.wait();
        });
    }
    ready.wait();
    leakguard::statistics const s0 = leakguard::stats();
    leakguard::scope s(__FILE__, __LINE__, "threads");
    go.count_down();
    done.wait();
    leakguard::statistics const s1 = leakguard::stats();
    std::size_t const leaked = s.leaked_blocks();
    std::size_t const leaked_bytes = s.leaked_bytes();
    finish.count_down();
    for (std::thread& w : workers) w.join();

    std::size_t kept_count = 0, kept_bytes = 0;
    for (int t = 0; t < thread_count; ++t)
        for (int i = 0; i < per_thread; ++i)
            if (char* p = blocks[static_cast<std::size_t>(t)][static_cast<std::size_t>(i)]) {
                ++kept_count;
                kept_bytes += size_for(t, i);
                delete[] p;
            }
    leakguard::statistics const s2 = leakguard::stats();

    std::uint64_t const total = std::uint64_t(thread_count) * per_thread;
    std::uint64_t const expected_kept = std::uint64_t(thread_count) * (per_thread / 1000);
    CHECK(kept_count == expected_kept);
    // stats() counts every tracked block, and the C library may allocate a little of its own
    // bookkeeping for a thread (every C allocation is tracked): at least the program's count, and
    // the program's own blocks exactly through the scope below.
    CHECK(s1.allocations - s0.allocations >= total);
    CHECK(s1.allocations - s0.allocations <= total + 4 * std::uint64_t(thread_count));
    CHECK(s1.frees - s0.frees == total - expected_kept);
    CHECK(s1.live_blocks - s0.live_blocks >= expected_kept);
    CHECK(s1.live_bytes - s0.live_bytes >= kept_bytes);
    CHECK(leaked == expected_kept);
    CHECK(leaked_bytes == kept_bytes);
    CHECK(s2.frees - s0.frees >= total); // the kept ones too (plus std::thread's own state)
    CHECK(s.check());
}

TEST_CASE("this_thread scopes in concurrent threads each see only their own blocks") {
    std::size_t seen[thread_count] = {};
    bool clean[thread_count] = {};
    unit::latch started(thread_count), allocated(thread_count), counted(thread_count);
    std::vector<std::thread> workers;
    workers.reserve(thread_count);
    for (int t = 0; t < thread_count; ++t) {
        workers.emplace_back([&, t] {
            leakguard::scope own(__FILE__, __LINE__, "own", leakguard::scope::this_thread);
            started.count_down();
            started.wait(); // every scope has begun before anyone allocates
            std::vector<int*> mine;
            mine.reserve(static_cast<std::size_t>(t + 1) * 100);
            for (int i = 0; i < (t + 1) * 100; ++i) mine.push_back(new int(i));
            allocated.count_down();
            allocated.wait(); // everyone's blocks are alive now
            seen[t] = own.leaked_blocks();
            counted.count_down();
            counted.wait();
            for (int* p : mine) delete p;
            mine.clear();
            mine.shrink_to_fit();
            clean[t] = own.check();
        });
    }
    for (std::thread& w : workers) w.join();
    for (int t = 0; t < thread_count; ++t) {
        CAPTURE(t);
        CHECK(seen[t] == static_cast<std::size_t>(t + 1) * 100 + 1); // its blocks and its vector
        CHECK(clean[t]);
    }
}
