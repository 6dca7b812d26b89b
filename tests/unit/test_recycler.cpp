// The per-thread cache of released small blocks (impl/recycler.hpp): a block this thread released
// serves its next allocation of the same size class, without a trip through the C library. The
// C library's own malloc in between would take the chunk if leakguard had given it back, so the
// same address coming back proves that leakguard kept it. Large blocks are not kept.
#include <doctest/doctest.h>

#include "support.hpp"

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
        leakguard::set_option("guard_bytes", "16");
        leakguard::set_option("quarantine_bytes", "1048576");
    }
    plain_release(const plain_release&) = delete;
    plain_release& operator=(const plain_release&) = delete;
};
} // namespace

TEST_CASE("a released small block serves the same thread's next allocation of its class") {
    plain_release options;
    char* first = new char[40];
    unit::use(first);
    std::uintptr_t const first_address = reinterpret_cast<std::uintptr_t>(first); // before the delete
    delete[] first;
    // The C library's chunk of the same size: had leakguard freed `first`, this would be it.
    void* raw = std::malloc(48 + 40);
    unit::use(raw);
    char* again = new char[33]; // 33 and 40 share a class (room for 40 bytes)
    unit::use(again);
    CHECK(reinterpret_cast<std::uintptr_t>(again) == first_address);
    delete[] again;
    std::free(raw);
}

TEST_CASE("a block of another class does not take it") {
    plain_release options;
    char* small = new char[24];
    unit::use(small);
    std::uintptr_t const small_address = reinterpret_cast<std::uintptr_t>(small);
    delete[] small;
    char* other = new char[200];
    unit::use(other);
    CHECK(reinterpret_cast<std::uintptr_t>(other) != small_address);
    delete[] other;
}

// A 1 KiB block is past glibc's own per-thread cache once it has its header: without this cache
// every 1 KiB new/delete pair went through glibc's bins.
TEST_CASE("a released 1 KiB block serves the same thread's next 1 KiB allocation") {
    plain_release options;
    char* first = new char[1024];
    unit::use(first);
    std::uintptr_t const first_address = reinterpret_cast<std::uintptr_t>(first);
    delete[] first;
    void* raw = std::malloc(48 + 1024); // what glibc would hand out from the freed chunk
    unit::use(raw);
    char* again = new char[1024];
    unit::use(again);
    CHECK(reinterpret_cast<std::uintptr_t>(again) == first_address);
    delete[] again;
    std::free(raw);
}
