// A doctest program with three test cases, one of which leaks inside a scope (unless
// LEAKGUARD_CASE_FIXED is set). The adapter must fail exactly "parser: names", at the scope's
// line, and let the other two pass - their scopes span SUBCASEs, INFO and CAPTURE, whose blocks
// belong to doctest and must not be blamed on them.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
#define LEAKGUARD_MAIN
#include <leakguard/doctest.hpp>

#include "leak_fixed.hpp"

#include <cstring>
#include <string>
#include <vector>

namespace {

// Returns a copy of `name` the caller owns; noinline so that the leak's site names it.
__attribute__((noinline)) char* copy_name(const char* name) {
    char* copy = new char[std::strlen(name) + 1];
    std::strcpy(copy, name);
    return copy;
}

} // namespace

TEST_CASE("parser: numbers") {
    LEAKGUARD_SCOPE("numbers");
    INFO("an INFO message long enough that doctest could not keep it inline anywhere");
    std::vector<int> values;
    SUBCASE("a subcase whose name is long enough to need a heap block") {
        values.push_back(1);
        CHECK(values.size() == 1);
    }
    SUBCASE("another subcase whose name is long enough to need a heap block") {
        SUBCASE("nested one level down, with a name long enough for the heap") {
            values.assign(3, 7);
            CHECK(values.size() == 3);
        }
        SUBCASE("and a second nested one, so doctest reenters the test case") {
            CHECK(values.empty());
        }
    }
}

TEST_CASE("parser: names") {
    LEAKGUARD_SCOPE("names"); // leak-scope-line
    char* name = copy_name("a name that was never freed");
    CHECK(std::string(name) == "a name that was never freed");
    if (leak_fixed()) delete[] name;
}

TEST_CASE("parser: lists") {
    LEAKGUARD_SCOPE();
    std::string text = "one, two, three, four, five, six, seven, eight, nine, ten";
    CAPTURE(text);
    CHECK(text.size() > 20);
}
