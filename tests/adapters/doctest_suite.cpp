// A doctest suite as real suites are written, in whole-suite mode with the default rule
// (test_checks=lost): function-local static tables that whichever test runs first fills, a
// template test case over two types using them, subcases, a thread_local cache and a test that
// installs a global locale. None of them loses memory, so none may fail, in any order
// (check_suite.py runs it shuffled with several seeds). The template test "forgets" loses one
// block and must be the one failed test, at its line, in every order. "fixture test" is
// registered with TEST_CASE_FIXTURE, which whole-suite mode does not reach: it is named at the end.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
#define LEAKGUARD_MAIN
#define LEAKGUARD_CHECK_ALL_TESTS
#include <leakguard/doctest.hpp>

#include <locale>
#include <map>
#include <string>
#include <vector>

namespace {

// An enum's names, as a JSON library's serialisation tables are made: on first use, kept forever.
enum class colour { red, green };
const std::map<colour, std::string>& colour_names() {
    static const std::map<colour, std::string> table = {{colour::red, "red, a name long enough for the heap"},
                                                         {colour::green, "green, a name long enough for the heap"}};
    return table;
}
const std::vector<std::string>& units() {
    static const std::vector<std::string> table = {"metres, a unit name long enough for the heap",
                                                   "seconds, a unit name long enough for the heap"};
    return table;
}
std::vector<std::string>& thread_cache() {
    thread_local std::vector<std::string> cache;
    return cache;
}

struct comma_decimal : std::numpunct<char> {
    char do_decimal_point() const override { return ','; }
};

struct fixture {
    std::vector<int> values = std::vector<int>(64, 1);
};

} // namespace

TEST_CASE("colour names") {
    CHECK(colour_names().at(colour::red).size() > 10);
    SUBCASE("green") { CHECK(colour_names().count(colour::green) == 1); }
    SUBCASE("units") { CHECK(units().size() == 2); }
}

TEST_CASE_TEMPLATE("tables per type", T, int, long) {
    std::vector<T> values(32, T(1));
    CHECK(values.size() == units().size() * 16);
    CHECK(colour_names().size() == 2);
}

TEST_CASE("thread_local cache") {
    thread_cache().push_back("a cached string long enough to be stored on the heap");
    CHECK_FALSE(thread_cache().empty());
}

TEST_CASE("global locale") {
    std::locale::global(std::locale(std::locale::classic(), new comma_decimal));
    CHECK(std::use_facet<std::numpunct<char>>(std::locale()).decimal_point() == ',');
}

TEST_CASE_FIXTURE(fixture, "fixture test") { CHECK(values.size() == 64); }

TEST_CASE_TEMPLATE("forgets", T, int) { // injected-leak
    T* lost = new T[10];
    lost[0] = 1;
    CHECK(lost[0] == 1);
}
