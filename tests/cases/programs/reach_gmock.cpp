// A GoogleTest program using gmock's StrictMock and NiceMock, as a real test suite does: gmock keeps
// intentionally immortal registries (function-local statics holding new'd maps) and GoogleTest
// its singletons, all still reachable at exit and none lost. Both tests pass, so the run must keep
// the program's exit status 0, with still-reachable blocks only.
// Built twice: tracked (LEAKGUARD_CASE_TRACKED) and plain, for the valgrind cross-check.
#ifdef LEAKGUARD_CASE_TRACKED
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp)
#include <leakguard/leakguard.hpp>
#endif

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace {

class turnstile {
public:
    virtual ~turnstile() = default;
    virtual int push(int force) = 0;
    virtual void coin(const std::string& kind) = 0;
};

class mock_turnstile : public turnstile {
public:
    MOCK_METHOD(int, push, (int force), (override));
    MOCK_METHOD(void, coin, (const std::string& kind), (override));
};

int use(turnstile& t) {
    t.coin("a coin whose name is longer than the small string buffer");
    return t.push(3);
}

} // namespace

TEST(ReachGmock, StrictMockGetsExactlyTheExpectedCalls) {
    testing::StrictMock<mock_turnstile> t;
    testing::InSequence order;
    EXPECT_CALL(t, coin(testing::HasSubstr("coin")));
    EXPECT_CALL(t, push(3)).WillOnce(testing::Return(7));
    EXPECT_EQ(use(t), 7);
}

TEST(ReachGmock, NiceMockAllowsUninterestingCalls) {
    testing::NiceMock<mock_turnstile> t;
    ON_CALL(t, push(testing::_)).WillByDefault(testing::Return(1));
    EXPECT_EQ(use(t), 1);
}

int main(int argc, char** argv) {
    testing::InitGoogleMock(&argc, argv);
    return RUN_ALL_TESTS();
}
