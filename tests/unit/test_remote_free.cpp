// Frees from other threads (pushed onto the owner shard's remote stack, heap/registry.hpp) and
// walkers running while owners allocate and free without a lock (heap/registry.hpp, "Lock
// elision"). Built with -fsanitize=thread (tools/run-tests.sh) these are the races a broken
// protocol would show; in every build the counts must come out exact.
#include <doctest/doctest.h>

#include "support.hpp"

#include <atomic>
#include <initializer_list>
#include <mutex>
#include <thread>
#include <vector>

namespace {

// The program's own live blocks (the C library's bookkeeping for a new thread is tracked too).
std::uint64_t live_now() { return unit::program_live_blocks(); }

// Back to the defaults (the options table's) after "stack_depth=0:guard_bytes=0:quarantine_bytes=0:fill=0".
bool restore_defaults() {
    bool ok = true;
    for (const char* name : {"stack_depth", "guard_bytes", "quarantine_bytes", "fill"})
        ok = unit::restore_option_default(name) && ok;
    return ok;
}

// Two producers allocate; a consumer frees most of their blocks; a walker queries all shards
// (live_blocks, stats, check_heap) meanwhile; short-lived threads allocate and exit, and their
// blocks are freed after they are gone (a shard without owner).
void stress() {
    std::atomic<int> odd(0); // what the walker found wrong (checked after the join)
    std::mutex mu;
    std::vector<int*> queue;
    std::atomic<bool> stop(false);
    std::vector<std::thread> producers;
    for (int p = 0; p < 2; ++p)
        producers.emplace_back([&mu, &queue] {
            for (int i = 0; i < 4000; ++i) {
                int* b = new int[static_cast<std::size_t>(1 + i % 40)];
                b[0] = i;
                if (i % 3 == 0) {
                    delete[] b; // its own
                    continue;
                }
                std::lock_guard<std::mutex> hold(mu);
                queue.push_back(b);
            }
        });
    std::thread consumer([&mu, &queue, &stop] {
        for (;;) {
            std::vector<int*> batch;
            {
                std::lock_guard<std::mutex> hold(mu);
                batch.swap(queue);
            }
            for (int* b : batch) delete[] b;
            if (batch.empty()) {
                if (stop.load()) break;
                std::this_thread::yield();
            }
        }
    });
    std::thread walker([&stop, &odd] {
        leakguard::block_info some[16];
        while (!stop.load()) {
            unit::use(some);
            if (leakguard::live_blocks(some, 16) > 100000u) ++odd;
            leakguard::statistics const st = leakguard::stats();
            if (st.frees > st.allocations) ++odd;
            if (!leakguard::check_heap()) ++odd;
        }
    });
    for (int k = 0; k < 10; ++k) {
        int* b = nullptr;
        std::thread([&b] {
            b = new int[8];
            for (int j = 0; j < 50; ++j) delete new int(j);
        }).join();
        std::lock_guard<std::mutex> hold(mu);
        queue.push_back(b);
    }
    for (std::thread& t : producers) t.join();
    for (;;) {
        std::lock_guard<std::mutex> hold(mu);
        if (queue.empty()) break;
    }
    stop.store(true);
    consumer.join();
    walker.join();
    CHECK(odd.load() == 0);
}

} // namespace

TEST_CASE("a block freed by another thread stops being live at once") {
    int* theirs = nullptr;
    std::atomic<int> step(0);
    // The owner stays alive (and idle) while main frees its block: nobody but the queries unlinks
    // it. (std::thread's own state block is alive before `before` is taken.)
    std::thread owner([&theirs, &step] {
        while (step.load() != 1) std::this_thread::yield();
        theirs = new int(7);
        step.store(2);
        while (step.load() != 3) std::this_thread::yield();
    });
    std::uint64_t const before = live_now();
    step.store(1);
    while (step.load() != 2) std::this_thread::yield();
    std::uint64_t const with = live_now();
    delete theirs;
    std::uint64_t const without = live_now();
    step.store(3);
    owner.join();
    CHECK(with == before + 1);
    CHECK(without == before);
}

TEST_CASE("a block freed after its thread exited") {
    std::uint64_t const before = live_now();
    int* orphan = nullptr;
    std::thread([&orphan] { orphan = new int[3]; }).join();
    CHECK(live_now() == before + 1);
    delete[] orphan;
    CHECK(live_now() == before);
}

TEST_CASE("cross-thread frees and walkers, leak tracking only and with the defaults") {
    std::uint64_t const before = live_now();
    REQUIRE(leakguard::set_options("stack_depth=0:guard_bytes=0:quarantine_bytes=0:fill=0"));
    stress();
    CHECK(live_now() == before);
    REQUIRE(restore_defaults());
    stress();
    CHECK(live_now() == before);
}

// The owner looks at its remote stack on one allocation in remote_check_interval (16) only
// (heap/registry.hpp): a block another thread freed must still come back within a few dozen of
// the owner's allocations. It comes back through the owner's recycler (or the C library), so the
// owner's next allocations of its size get its address again - and never would if the owner
// did not unlink it. Guards and quarantine off: the quarantine would keep it.
TEST_CASE("the owner takes back what another thread freed within a few of its allocations") {
    REQUIRE(leakguard::set_options("stack_depth=0:guard_bytes=0:quarantine_bytes=0:fill=0"));
    std::atomic<int> step(0);
    char* theirs = nullptr;
    bool came_back = false;
    std::thread owner([&theirs, &step, &came_back] {
        theirs = new char[40];
        std::uintptr_t const address = reinterpret_cast<std::uintptr_t>(theirs);
        step.store(1);
        while (step.load() != 2) std::this_thread::yield();
        std::vector<char*> kept;
        kept.reserve(64);
        for (int i = 0; i < 48 && !came_back; ++i) {
            kept.push_back(new char[40]);
            came_back = reinterpret_cast<std::uintptr_t>(kept.back()) == address;
        }
        for (char* p : kept) delete[] p;
    });
    while (step.load() != 1) std::this_thread::yield();
    delete[] theirs; // onto the owner's remote stack
    step.store(2);
    owner.join();
    REQUIRE(restore_defaults());
    CHECK(came_back);
}
