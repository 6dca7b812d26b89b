// Each allocation form records its kind, which reports print by name: "new", "new[]",
// "new(align)", "new[](align)". The nothrow forms are the same kinds as their throwing twins.
#include <doctest/doctest.h>

#include "support.hpp"

#include <new>
#include <string>
#include <vector>

namespace {
std::string kind_of(const leakguard::block_info& b) { return leakguard::kind_name(b.kind); }
} // namespace

TEST_CASE("plain and nothrow new and new[] record the kinds \"new\" and \"new[]\"") {
    leakguard::scope s(__FILE__, __LINE__, "kinds");
    int* scalar = new int(1);
    int* array = new int[4];
    int* nothrow_scalar = new (std::nothrow) int(2);
    int* nothrow_array = new (std::nothrow) int[3];
    std::vector<leakguard::block_info> const leaks = s.leaks();
    delete scalar;
    delete[] array;
    delete nothrow_scalar;
    delete[] nothrow_array;

    REQUIRE(leaks.size() == 4);
    CHECK(kind_of(leaks[0]) == "new");
    CHECK(kind_of(leaks[1]) == "new[]");
    CHECK(leaks[1].size == 4 * sizeof(int));
    CHECK(kind_of(leaks[2]) == "new");
    CHECK(kind_of(leaks[3]) == "new[]");
    CHECK(s.check());
}

#if defined(__cpp_aligned_new)
namespace {
struct alignas(64) wide {
    unsigned char bytes[64];
};
} // namespace

TEST_CASE("aligned new and new[] record the kinds \"new(align)\" and \"new[](align)\"") {
    leakguard::scope s(__FILE__, __LINE__, "aligned-kinds");
    wide* scalar = new wide();
    wide* array = new wide[2]();
    wide* nothrow_scalar = new (std::nothrow) wide();
    wide* nothrow_array = new (std::nothrow) wide[3]();
    void* direct = ::operator new(10, std::align_val_t(32));
    std::vector<leakguard::block_info> const leaks = s.leaks();
    delete scalar;
    delete[] array;
    delete nothrow_scalar;
    delete[] nothrow_array;
    ::operator delete(direct, std::align_val_t(32));

    REQUIRE(leaks.size() == 5);
    CHECK(kind_of(leaks[0]) == "new(align)");
    CHECK(leaks[0].size == sizeof(wide));
    CHECK(kind_of(leaks[1]) == "new[](align)");
    CHECK(leaks[1].size == 2 * sizeof(wide));
    CHECK(kind_of(leaks[2]) == "new(align)");
    CHECK(kind_of(leaks[3]) == "new[](align)");
    CHECK(kind_of(leaks[4]) == "new(align)");
    CHECK(leaks[4].size == 10);
    CHECK(s.check());
}
#endif
