// Scopes and threads: a plain scope counts blocks any thread allocated after it began; a
// this_thread scope (LEAKGUARD_THREAD_SCOPE) only those of the thread that made it.
// std::thread::join orders the other thread's allocation before the query.
#include <doctest/doctest.h>

#include "support.hpp"

#include <thread>
#include <vector>

TEST_CASE("a plain scope counts other threads' blocks; a this_thread scope does not") {
    leakguard::scope all(__FILE__, __LINE__, "all-threads", leakguard::scope::all_threads);
    leakguard::scope own(__FILE__, __LINE__, "this-thread", leakguard::scope::this_thread);
    int* mine = new int(1);
    int* theirs = nullptr;
    std::thread t([&theirs] { theirs = new int(2); });
    t.join();
    std::size_t const all_blocks = all.leaked_blocks();
    std::size_t const own_blocks = own.leaked_blocks();
    std::vector<leakguard::block_info> const all_leaks = all.leaks();
    std::vector<leakguard::block_info> const own_leaks = own.leaks();
    delete mine;
    delete theirs;

    CHECK(all_blocks == 2);
    CHECK(own_blocks == 1);
    REQUIRE(own_leaks.size() == 1);
    CHECK(own_leaks[0].address == mine);
    REQUIRE(all_leaks.size() == 2);
    // The other thread's block carries another thread number.
    const leakguard::block_info& a = all_leaks[0].address == mine ? all_leaks[0] : all_leaks[1];
    const leakguard::block_info& b = all_leaks[0].address == mine ? all_leaks[1] : all_leaks[0];
    CHECK(a.address == mine);
    CHECK(b.address == theirs);
    CHECK(a.thread != b.thread);
    CHECK(b.thread != 0u);
    CHECK(own.check());
    CHECK(all.check());
}

TEST_CASE("LEAKGUARD_THREAD_SCOPE does not fail for another thread's block; LEAKGUARD_SCOPE does") {
    unit::failure_recorder recorder;
    int* first = nullptr;
    int* second = nullptr;
    {
        LEAKGUARD_THREAD_SCOPE("ignores-other-threads");
        std::thread t([&first] { first = new int(1); });
        t.join();
    }
    int const calls_after_thread_scope = recorder.calls();
    {
        LEAKGUARD_SCOPE("sees-other-threads");
        std::thread t([&second] { second = new int(2); });
        t.join();
    }
    unit::recorded_failure const got = recorder.last();
    delete first;
    delete second;

    CHECK(calls_after_thread_scope == 0);
    CHECK(got.calls == 1);
    CHECK(got.leaked_blocks == 1);
    CHECK(got.first_leak == second);
}

TEST_CASE("a this_thread scope in a worker ignores blocks the main thread allocates meanwhile") {
    unit::latch scope_started(1), main_allocated(1);
    std::size_t before_own = 99, after_own = 99;
    bool clean = false;
    int* from_main = nullptr;
    std::thread worker([&] {
        leakguard::scope own(__FILE__, __LINE__, "worker", leakguard::scope::this_thread);
        scope_started.count_down();
        main_allocated.wait();
        before_own = own.leaked_blocks(); // main's block is not the worker's
        int* p = new int(5);
        after_own = own.leaked_blocks();
        delete p;
        clean = own.check();
    });
    scope_started.wait();
    from_main = new int(4);
    main_allocated.count_down();
    worker.join();
    delete from_main;

    CHECK(before_own == 0);
    CHECK(after_own == 1);
    CHECK(clean);
}
