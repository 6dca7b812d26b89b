// The fields of block_info as a scope reports them: size and kind as requested, sequence numbers
// that grow, leakguard's thread number, the caller's return address, and no source location
// (plain new-expressions give none).
#include <doctest/doctest.h>

#include "support.hpp"

#include <string>
#include <vector>

TEST_CASE("block_info describes each leaked block") {
    leakguard::scope s(__FILE__, __LINE__, "fields");
    int* scalar = new int(1);
    char* array = new char[33];
    short* third = new short(3);
    unit::use(scalar);
    unit::use(array);
    unit::use(third);
    std::vector<leakguard::block_info> const leaks = s.leaks();
    delete scalar;
    delete[] array;
    delete third;

    REQUIRE(leaks.size() == 3);
    CHECK(leaks[0].address == scalar);
    CHECK(leaks[0].size == sizeof(int));
    CHECK(leaks[0].kind == leakguard::block_kind::new_scalar);
    CHECK(leaks[1].address == array);
    CHECK(leaks[1].size == 33);
    CHECK(leaks[1].kind == leakguard::block_kind::new_array);
    CHECK(leaks[2].size == sizeof(short));

    // Sequence numbers: all after the scope's start, increasing in allocation order.
    CHECK(leaks[0].seq > s.start_seq());
    CHECK(leaks[1].seq > leaks[0].seq);
    CHECK(leaks[2].seq > leaks[1].seq);

    // One thread made them all; leakguard numbers threads from 1.
    CHECK(leaks[0].thread != 0u);
    CHECK(leaks[1].thread == leaks[0].thread);
    CHECK(leaks[2].thread == leaks[0].thread);

    for (const leakguard::block_info& b : leaks) {
        CHECK(b.caller != nullptr);
        CHECK(b.location == nullptr);
    }
    CHECK(s.check());
}

// Reports group blocks by caller, so the caller must identify the allocating code: the same
// new-expression gives the same caller, different ones give different callers. The sites are in
// functions that are never inlined, so an optimiser cannot copy one new-expression into several
// call instructions (as unrolling a loop around it would).
namespace {
__attribute__((noinline)) int* site_a(int v) { return new int(v); }
// Different code from site_a, so that identical-code folding cannot merge the two functions.
__attribute__((noinline)) long* site_b(long v) { return new long(v); }
} // namespace

TEST_CASE("block_info::caller is the same for one call site and differs between sites") {
    leakguard::scope s(__FILE__, __LINE__, "callers");
    int* from_a[3];
    for (int i = 0; i < 3; ++i) from_a[i] = site_a(i);
    long* from_b = site_b(9);
    std::vector<leakguard::block_info> const leaks = s.leaks();
    for (int* p : from_a) delete p;
    delete from_b;

    REQUIRE(leaks.size() == 4);
    CHECK(leaks[0].caller == leaks[1].caller);
    CHECK(leaks[1].caller == leaks[2].caller);
    CHECK(leaks[3].caller != leaks[0].caller);
    CHECK(s.check());
}

TEST_CASE("kind_name names every block kind as the reports do") {
    CHECK(std::string(leakguard::kind_name(leakguard::block_kind::new_scalar)) == "new");
    CHECK(std::string(leakguard::kind_name(leakguard::block_kind::new_array)) == "new[]");
    CHECK(std::string(leakguard::kind_name(leakguard::block_kind::new_scalar_aligned)) == "new(align)");
    CHECK(std::string(leakguard::kind_name(leakguard::block_kind::new_array_aligned)) == "new[](align)");
    CHECK(std::string(leakguard::kind_name(leakguard::block_kind::malloc)) == "malloc");
    CHECK(std::string(leakguard::kind_name(leakguard::block_kind::calloc)) == "calloc");
    CHECK(std::string(leakguard::kind_name(leakguard::block_kind::realloc)) == "realloc");
    CHECK(std::string(leakguard::kind_name(leakguard::block_kind::strdup)) == "strdup");
    CHECK(std::string(leakguard::kind_name(leakguard::block_kind::strndup)) == "strndup");
    CHECK(std::string(leakguard::kind_name(leakguard::block_kind::memalign)) == "memalign");
    CHECK(std::string(leakguard::kind_name(leakguard::block_kind::posix_memalign)) == "posix_memalign");
    CHECK(std::string(leakguard::kind_name(leakguard::block_kind::aligned_alloc)) == "aligned_alloc");
    CHECK(std::string(leakguard::kind_name(leakguard::block_kind::valloc)) == "valloc");
    CHECK(std::string(leakguard::kind_name(leakguard::block_kind::pvalloc)) == "pvalloc");
    // The kinds fit the header's 4-bit field.
    CHECK(static_cast<unsigned>(leakguard::block_kind::pvalloc) < 16);
}
