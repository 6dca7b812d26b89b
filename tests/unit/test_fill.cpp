// fill=1 (the default): new blocks hold 0xCD, as the CRT debug heap's, up to their first 4 KiB
// (beyond that a big buffer is left as the C library gave it; heap/guards.hpp says why). Checked
// on the short path (operator new[] of a small block, the default options), on the general path
// (over-aligned new, C++17) and with the option turned off and on again at run time.
#include <doctest/doctest.h>

#include "support.hpp"

#include <cstddef>
#include <cstdint>
#include <new>

namespace {
constexpr std::size_t fill_limit = 4096;

// How many of the first n bytes at p hold 0xCD. unit::use() makes the compiler forget what it
// knows about the bytes (they were never written by the program): it must read them.
std::size_t count_fill(const unsigned char* p, std::size_t n) {
    unit::use(p);
    std::size_t k = 0;
    for (std::size_t i = 0; i < n; ++i) k += p[i] == 0xCD ? 1u : 0u;
    return k;
}
} // namespace

TEST_CASE("new blocks are filled with 0xCD up to their first 4 KiB") {
    for (std::size_t size : {std::size_t(1), std::size_t(24), std::size_t(100), std::size_t(1000), fill_limit}) {
        unsigned char* p = new unsigned char[size];
        CHECK(count_fill(p, size) == size);
        delete[] p;
    }
    unsigned char* big = new unsigned char[3 * fill_limit];
    CHECK(count_fill(big, fill_limit) == fill_limit); // the rest is whatever malloc returned
    delete[] big;
}

TEST_CASE("fill=0 stops the fill and fill=1 brings it back") {
    REQUIRE(leakguard::set_option("fill", "0"));
    unsigned char* quiet = new unsigned char[64];
    unit::use(quiet);
    REQUIRE(leakguard::set_option("fill", "1"));
    delete[] quiet;
    unsigned char* filled = new unsigned char[64];
    CHECK(count_fill(filled, 64) == 64);
    delete[] filled;
}

#if defined(__cpp_aligned_new)
TEST_CASE("over-aligned new blocks are filled too") {
    struct alignas(64) line {
        unsigned char bytes[192];
    };
    line* p = new line;
    CHECK(reinterpret_cast<std::uintptr_t>(p) % 64 == 0);
    CHECK(count_fill(p->bytes, sizeof p->bytes) == sizeof p->bytes);
    delete p;
}
#endif
