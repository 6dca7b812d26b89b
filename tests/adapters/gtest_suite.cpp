// A GoogleTest + gmock suite as real suites are written, in whole-suite mode with the default rule
// (test_checks=lost): mocks (the first StrictMock makes gmock's registry, which lives forever),
// GoogleTest's per-thread holders (a SCOPED_TRACE and an EXPECT on a thread of the test), a death
// test, function-local static caches that whichever test runs first fills, a regex matcher, a
// thread_local cache and a test that installs a global locale. None of them loses memory, so none
// may fail, in any order (check_suite.py runs it shuffled with several seeds). Pool.Forgets loses
// one block and must be the one failed test, at its line, in every order.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#define LEAKGUARD_MAIN
#define LEAKGUARD_CHECK_ALL_TESTS
#include <leakguard/gtest.hpp>

#include <cstdlib>
#include <locale>
#include <map>
#include <memory>
#include <regex>
#include <string>
#include <thread>
#include <vector>

namespace {

class Turtle {
public:
    virtual ~Turtle() = default;
    virtual int Forward(int distance) = 0;
    virtual std::string Name() const = 0;
};

class MockTurtle : public Turtle {
public:
    MOCK_METHOD(int, Forward, (int distance), (override));
    MOCK_METHOD(std::string, Name, (), (const, override));
};

// Function-local statics: made by the first test that asks, kept until the program ends.
const std::regex& identifier() {
    static const std::regex pattern("[A-Za-z_][A-Za-z0-9_]*");
    return pattern;
}
const std::map<std::string, int>& keywords() {
    static const std::map<std::string, int> table = {
        {"a keyword long enough to be stored on the heap", 1}, {"another keyword, also on the heap", 2}};
    return table;
}
std::vector<std::string>& thread_cache() {
    thread_local std::vector<std::string> cache;
    return cache;
}

// A numpunct whose instances the global locale owns.
struct comma_decimal : std::numpunct<char> {
    char do_decimal_point() const override { return ','; }
};

} // namespace

TEST(Mocks, Strict) {
    ::testing::StrictMock<MockTurtle> turtle;
    EXPECT_CALL(turtle, Forward(10)).WillOnce(::testing::Return(7));
    EXPECT_EQ(turtle.Forward(10), 7);
    EXPECT_TRUE(std::regex_match("turtle_1", identifier()));
}

TEST(Mocks, Nice) {
    ::testing::NiceMock<MockTurtle> turtle;
    ON_CALL(turtle, Name()).WillByDefault(::testing::Return(std::string("a name long enough for the heap, really")));
    EXPECT_EQ(turtle.Name().size(), 39u);
    turtle.Forward(1); // uninteresting: NiceMock says nothing
    EXPECT_EQ(keywords().size(), 2u);
}

TEST(Matchers, Regex) {
    EXPECT_THAT(std::string("leakguard_42"), ::testing::MatchesRegex("[a-z_]+[0-9]+"));
    EXPECT_THAT(std::vector<int>({1, 2, 3}), ::testing::ElementsAre(1, 2, 3));
    EXPECT_TRUE(std::regex_match("x9", identifier()));
}

TEST(Threads, TraceOnAThread) {
    std::thread worker([] {
        SCOPED_TRACE("a trace on a thread of the test");
        EXPECT_EQ(keywords().count("another keyword, also on the heap"), 1u);
    });
    worker.join();
}

TEST(Threads, ThreadLocalCache) {
    thread_cache().push_back("a cached string long enough to be stored on the heap");
    EXPECT_FALSE(thread_cache().empty());
}

TEST(Locale, Global) {
    std::locale::global(std::locale(std::locale::classic(), new comma_decimal));
    EXPECT_EQ(std::use_facet<std::numpunct<char>>(std::locale()).decimal_point(), ',');
}

TEST(DeathTest, Aborts) {
    EXPECT_DEATH(
        {
            std::string message = "a message the child prints before it aborts";
            std::fputs(message.c_str(), stderr);
            std::abort();
        },
        "before it aborts");
}

TEST(Pool, Keeps) {
    auto owner = std::unique_ptr<std::vector<int>>(new std::vector<int>(100, 1));
    EXPECT_EQ(owner->size(), 100u);
}

TEST(Pool, Forgets) { // injected-leak
    int* lost = new int[10];
    lost[0] = 1;
    EXPECT_EQ(lost[0], 1);
}
