// Which blocks belong to a scope: those allocated after it began and alive now. So a leak in an
// inner scope is a leak of the outer one too; a block older than the scope never is, even when it
// is freed inside; a block freed before the check is not a leak.
#include <doctest/doctest.h>

#include "support.hpp"

#include <string>
#include <thread>
#include <vector>

TEST_CASE("a leak inside a nested scope is a leak of both scopes") {
    unit::failure_recorder recorder;
    int* outer_only = nullptr;
    int* inner_leak = nullptr;
    std::size_t inner_blocks = 0, outer_blocks = 0;
    bool inner_ok = true, outer_ok = true;
    int inner_calls = 0;
    {
        leakguard::scope outer(__FILE__, __LINE__, "outer");
        outer_only = new int(1); // before the inner scope began: the outer scope's alone
        {
            leakguard::scope inner(__FILE__, __LINE__, "inner");
            inner_leak = new int(2);
            inner_blocks = inner.leaked_blocks();
            inner_ok = inner.check();
            inner_calls = recorder.calls();
        }
        outer_blocks = outer.leaked_blocks();
        outer_ok = outer.check();
    }
    unit::recorded_failure const last = recorder.last();
    std::size_t const failures = recorder.new_failures();
    delete outer_only;
    delete inner_leak;

    CHECK(inner_blocks == 1);
    CHECK_FALSE(inner_ok);
    CHECK(inner_calls == 1);
    CHECK(outer_blocks == 2);
    CHECK_FALSE(outer_ok);
    CHECK(last.calls == 2);
    CHECK(std::string(last.name) == "outer");
    CHECK(last.leaked_blocks == 2);
    CHECK(last.first_leak == outer_only);
    CHECK(last.last_leak == inner_leak);
    CHECK(failures == 2);
}

TEST_CASE("a clean inner scope leaves the outer scope's count alone") {
    leakguard::scope outer(__FILE__, __LINE__, "outer-clean");
    bool inner_ok = false;
    {
        leakguard::scope inner(__FILE__, __LINE__, "inner-clean");
        long* p = new long(1);
        unit::use(p);
        delete p;
        inner_ok = inner.check();
    }
    CHECK(inner_ok);
    CHECK(outer.leaked_blocks() == 0);
    CHECK(outer.check());
}

TEST_CASE("freeing an older block and allocating a new one inside a scope is exactly one leak") {
    int* old_block = new int(1);
    leakguard::scope s(__FILE__, __LINE__, "swap");
    delete old_block; // the freed block was never the scope's; its removal must not confuse it
    int* fresh = new int(2);
    std::vector<leakguard::block_info> const leaks = s.leaks();
    std::size_t const bytes = s.leaked_bytes();
    delete fresh;

    REQUIRE(leaks.size() == 1);
    CHECK(leaks[0].address == fresh);
    CHECK(bytes == sizeof(int));
    CHECK(s.check());
}

TEST_CASE("blocks freed before the scope ends are not leaks") {
    leakguard::scope s(__FILE__, __LINE__, "freed-in-time");
    std::vector<int> v(1000, 7); // a vector's buffer, freed at the end of the block below
    {
        std::vector<char*> many;
        for (int i = 0; i < 100; ++i) many.push_back(new char[static_cast<std::size_t>(i) + 1]);
        for (char* p : many) delete[] p;
    }
    v.clear();
    v.shrink_to_fit();
    CHECK(s.leaked_blocks() == 0);
    CHECK(s.check());
}

TEST_CASE("blocks allocated before the scope began are never its leaks") {
    int* mine = new int(1);
    int* theirs = nullptr;
    std::thread t([&theirs] { theirs = new int(2); }); // another thread, also before the scope
    t.join();
    std::size_t blocks = 1, bytes = 1;
    bool ok = false;
    {
        leakguard::scope s(__FILE__, __LINE__, "later");
        blocks = s.leaked_blocks();
        bytes = s.leaked_bytes();
        ok = s.check();
    }
    delete mine;
    delete theirs;

    CHECK(blocks == 0);
    CHECK(bytes == 0);
    CHECK(ok);
}
