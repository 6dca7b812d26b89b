// scope::leaked_blocks(), leaked_bytes() and leaks() at several points of a scope's life: they
// count the blocks allocated since the scope began that are alive now, and nothing else.
#include <doctest/doctest.h>

#include "support.hpp"

#include <vector>

TEST_CASE("leaked_blocks and leaked_bytes follow allocations and frees inside a scope") {
    leakguard::scope s(__FILE__, __LINE__, "queries");
    // Measured first, checked after: the CHECKs themselves must not run between the steps.
    std::size_t const blocks0 = s.leaked_blocks(), bytes0 = s.leaked_bytes();
    char* a = new char[10];
    unit::use(a);
    std::size_t const blocks1 = s.leaked_blocks(), bytes1 = s.leaked_bytes();
    int* b = new int(7);
    unit::use(b);
    std::size_t const blocks2 = s.leaked_blocks(), bytes2 = s.leaked_bytes();
    delete[] a;
    std::size_t const blocks3 = s.leaked_blocks(), bytes3 = s.leaked_bytes();
    delete b;
    std::size_t const blocks4 = s.leaked_blocks(), bytes4 = s.leaked_bytes();

    CHECK(blocks0 == 0);
    CHECK(bytes0 == 0);
    CHECK(blocks1 == 1);
    CHECK(bytes1 == 10);
    CHECK(blocks2 == 2);
    CHECK(bytes2 == 10 + sizeof(int));
    CHECK(blocks3 == 1);
    CHECK(bytes3 == sizeof(int));
    CHECK(blocks4 == 0);
    CHECK(bytes4 == 0);
    CHECK(s.check()); // clean at the end, so the destructor has nothing to report
}

TEST_CASE("scope::leaks(out, max) copies the leaks oldest first and returns how many there are") {
    leakguard::scope s(__FILE__, __LINE__, "leaks-array");
    char* p[3] = {new char[1], new char[2], new char[3]};
    leakguard::block_info all[8] = {};
    std::size_t const n_all = s.leaks(all, 8);
    leakguard::block_info one[1] = {};
    std::size_t const n_one = s.leaks(one, 1);      // fewer slots than leaks: still the full count
    std::size_t const n_none = s.leaks(nullptr, 0); // a pure count
    for (char* q : p) delete[] q;
    std::size_t const n_after = s.leaks(all, 8);

    CHECK(n_all == 3);
    for (int i = 0; i < 3; ++i) {
        CHECK(all[i].address == p[i]);
        CHECK(all[i].size == static_cast<std::size_t>(i + 1));
    }
    CHECK(n_one == 3);
    CHECK(one[0].address == p[0]); // the oldest leak, as the documentation promises
    CHECK(n_none == 3);
    CHECK(n_after == 0);
    CHECK(s.check());
}

TEST_CASE("scope::leaks() returns every leak and its own vector is never one of them") {
    leakguard::scope s(__FILE__, __LINE__, "leaks-vector");
    std::vector<leakguard::block_info> const empty = s.leaks();
    double* a = new double(1.0);
    long* b = new long(2);
    std::vector<leakguard::block_info> const two = s.leaks();
    // Two vectors with heap buffers exist now; they must not show up as leaks.
    std::size_t const blocks_with_vectors = s.leaked_blocks();
    delete a;
    std::vector<leakguard::block_info> const one = s.leaks();
    delete b;

    CHECK(empty.empty());
    REQUIRE(two.size() == 2);
    CHECK(two[0].address == a);
    CHECK(two[0].size == sizeof(double));
    CHECK(two[1].address == b);
    CHECK(two[1].size == sizeof(long));
    CHECK(blocks_with_vectors == 2);
    REQUIRE(one.size() == 1);
    CHECK(one[0].address == b);
    CHECK(s.leaks().empty());
}

TEST_CASE("scope::leaks() grows its vector when there are many leaks") {
    // More leaks than the first guess of leaks() (count + 16), and more than a handler would see.
    enum { count = 300 };
    std::vector<int*> blocks;
    blocks.reserve(count); // allocated before the scope: not one of its leaks
    leakguard::scope s(__FILE__, __LINE__, "many");
    for (int i = 0; i < count; ++i) blocks.push_back(new int(i));
    std::vector<leakguard::block_info> const leaks = s.leaks();
    for (int* p : blocks) delete p;

    REQUIRE(leaks.size() == static_cast<std::size_t>(count));
    bool in_order = true;
    for (std::size_t i = 0; i < leaks.size(); ++i) in_order = in_order && leaks[i].address == blocks[i];
    CHECK(in_order);
    CHECK(s.check());
}
