// The per-thread cache of released small blocks (heap/recycler.hpp): a block this thread released
// serves its next allocation of the same size class, without a trip through the C library. The
// C library's own malloc in between would take the chunk if leakguard had given it back, so the
// same address coming back proves that leakguard kept it. Large blocks are not kept.
#include <doctest/doctest.h>

#include "support.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

namespace {
// Guards and quarantine off for the test (both change where a released block goes), the
// defaults back at the end whatever happens.
struct plain_release {
    plain_release() {
        leakguard::set_option("guard_bytes", "0");
        leakguard::set_option("quarantine_bytes", "0");
    }
    ~plain_release() {
        unit::restore_option_default("guard_bytes");
        unit::restore_option_default("quarantine_bytes");
    }
    plain_release(const plain_release&) = delete;
    plain_release& operator=(const plain_release&) = delete;
};

// Allocates and releases `first` bytes, lets the C library's malloc take a chunk of the size
// leakguard asked it for (had leakguard freed the block, this would be it), then allocates
// `again` bytes: whether that block has the released one's address.
bool released_block_comes_back(std::size_t first, std::size_t again) {
    plain_release options;
    char* a = new char[first];
    unit::use(a);
    std::uintptr_t const address = reinterpret_cast<std::uintptr_t>(a); // before the delete
    delete[] a;
    void* raw = std::malloc(48 + first);
    unit::use(raw);
    char* b = new char[again];
    unit::use(b);
    bool const same = reinterpret_cast<std::uintptr_t>(b) == address;
    delete[] b;
    std::free(raw);
    return same;
}
} // namespace

TEST_CASE("a released small block serves the same thread's next allocation of its class") {
    CHECK(released_block_comes_back(40, 33)); // 33 and 40 share a class (room for 40 bytes)
}

// The released 24-byte block stays in the cache through an allocation of another class, then
// serves its own: the C library's malloc in between would have taken it, had leakguard freed it.
TEST_CASE("a block of another class does not take it; its own class still gets it afterwards") {
    plain_release options;
    char* small = new char[24];
    unit::use(small);
    std::uintptr_t const small_address = reinterpret_cast<std::uintptr_t>(small);
    delete[] small;
    void* raw = std::malloc(48 + 24);
    unit::use(raw);
    char* other = new char[200];
    unit::use(other);
    char* again = new char[24];
    unit::use(again);
    CHECK(reinterpret_cast<std::uintptr_t>(other) != small_address);
    CHECK(reinterpret_cast<std::uintptr_t>(again) == small_address);
    delete[] again;
    delete[] other;
    std::free(raw);
}

// A 1 KiB block is past glibc's own per-thread cache once it has its header: without this cache
// every 1 KiB new/delete pair went through glibc's bins.
TEST_CASE("a released 1 KiB block serves the same thread's next 1 KiB allocation") {
    CHECK(released_block_comes_back(1024, 1024));
}
