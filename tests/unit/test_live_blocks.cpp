// live_blocks(out, max): every live, reportable block of the program (not only a scope's), oldest
// first; returns how many there are, even when `max` is smaller.
#include <doctest/doctest.h>

#include "support.hpp"

#include <vector>

namespace {
// A buffer for n block_infos that is itself no live block (made in an ignore region).
std::vector<leakguard::block_info> buffer_for(std::size_t n) {
    leakguard::ignore_region quiet;
    return std::vector<leakguard::block_info>(n);
}

std::size_t index_of(const std::vector<leakguard::block_info>& v, std::size_t n, const void* p) {
    for (std::size_t i = 0; i < n && i < v.size(); ++i)
        if (v[i].address == p) return i;
    return static_cast<std::size_t>(-1);
}
} // namespace

TEST_CASE("live_blocks counts live blocks and lists them oldest first") {
    std::size_t const before = leakguard::live_blocks(nullptr, 0);
    int* a = new int(1);
    int* b = new int(2);
    int* c = new int(3);
    std::size_t const during = leakguard::live_blocks(nullptr, 0);
    std::vector<leakguard::block_info> all = buffer_for(during + 64);
    std::size_t const n = leakguard::live_blocks(all.data(), all.size());
    std::size_t const ia = index_of(all, n, a), ib = index_of(all, n, b), ic = index_of(all, n, c);
    bool sorted = true;
    for (std::size_t i = 1; i < n && i < all.size(); ++i) sorted = sorted && all[i - 1].seq < all[i].seq;
    delete a;
    delete b;
    delete c;
    std::size_t const after = leakguard::live_blocks(nullptr, 0);

    CHECK(during == before + 3);
    CHECK(n == during);
    CHECK(sorted);
    REQUIRE(ia < n);
    REQUIRE(ib < n);
    REQUIRE(ic < n);
    CHECK(ia < ib);
    CHECK(ib < ic);
    CHECK(all[ia].size == sizeof(int));
    CHECK(after == before);
}

TEST_CASE("live_blocks with a small buffer returns the full count and copies the oldest blocks") {
    int* a = new int(1); // at least two live blocks exist, whatever the rest of the program holds
    int* b = new int(2);
    std::size_t const count = leakguard::live_blocks(nullptr, 0);
    std::vector<leakguard::block_info> all = buffer_for(count + 64);
    std::size_t const n_all = leakguard::live_blocks(all.data(), all.size());
    std::vector<leakguard::block_info> two = buffer_for(2);
    std::size_t const n_two = leakguard::live_blocks(two.data(), 2);
    delete a;
    delete b;

    CHECK(n_all == count);
    CHECK(n_two == count);
    REQUIRE(n_all >= 2);
    CHECK(two[0].address == all[0].address);
    CHECK(two[1].address == all[1].address);
}
