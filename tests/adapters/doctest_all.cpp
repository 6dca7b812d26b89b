// doctest in whole-suite mode (LEAKGUARD_CHECK_ALL_TESTS): no scopes in the tests. "cache: leaks"
// leaks (unless LEAKGUARD_CASE_FIXED is set) and must be the one failed test; "cache: exempt" keeps a
// block past its end but is exempted; "cache: clean" runs through SUBCASEs and INFO.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
#define LEAKGUARD_MAIN
#define LEAKGUARD_CHECK_ALL_TESTS
#include <leakguard/doctest.hpp>

#include "leak_fixed.hpp"

#include <map>
#include <string>

namespace {

struct entry {
    std::string key;
    int value;
};

__attribute__((noinline)) entry* make_entry(const std::string& key, int value) { return new entry{key, value}; }

// A process-wide table that lives until static destruction: not a leak, but alive after the test
// that fills it - what LEAKGUARD_EXEMPT_TEST() is for.
std::map<std::string, int>& global_table() {
    static std::map<std::string, int> table;
    return table;
}

} // namespace

TEST_CASE("cache: clean") {
    std::map<std::string, int> table;
    INFO("whole-suite mode must not blame doctest's INFO stack on this test");
    SUBCASE("insert, with a subcase name long enough to need a heap block") {
        table["a key long enough to live on the heap, not in the string"] = 1;
        CHECK(table.size() == 1);
    }
    SUBCASE("erase, with a subcase name long enough to need a heap block") {
        table["k"] = 2;
        table.erase("k");
        CHECK(table.empty());
    }
}

TEST_CASE("cache: leaks") { // leak-test-line
    entry* e = make_entry("forgotten", 1);
    CHECK(e->value == 1);
    if (leak_fixed()) delete e;
}

TEST_CASE("cache: exempt") {
    LEAKGUARD_EXEMPT_TEST();
    global_table()["kept until the program ends, then freed by a static destructor"] = 2;
    CHECK(global_table().size() == 1);
}
