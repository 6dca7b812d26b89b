// A Catch2 (v2) program with three test cases, one of which leaks inside a scope (unless
// LEAKGUARD_CASE_FIXED is set). The adapter must fail exactly "parser: names", at the scope's
// line, and let the other two pass - their scopes span SECTIONs and INFO, whose blocks belong to
// Catch2 and must not be blamed on them.
#define CATCH_CONFIG_MAIN
// Wide console: Catch2 wraps messages at 80 columns, which would split the file:line the checks
// look for at a place that depends on the length of the source path.
#define CATCH_CONFIG_CONSOLE_WIDTH 400
#include <catch2/catch.hpp>
#define LEAKGUARD_MAIN
#include <leakguard/catch2.hpp>

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
    INFO("an INFO message long enough that Catch2 could not keep it inline anywhere");
    std::vector<int> values;
    SECTION("a section whose name is long enough to need a heap block") {
        values.push_back(1);
        CHECK(values.size() == 1);
    }
    SECTION("another section whose name is long enough to need a heap block") {
        SECTION("nested one level down, with a name long enough for the heap") {
            values.assign(3, 7);
            CHECK(values.size() == 3);
        }
        SECTION("and a second nested one, so Catch2 runs the test case again") {
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
