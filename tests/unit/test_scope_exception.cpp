// A scope that is destroyed while an exception unwinds the stack does not check: the blocks it
// would find are usually about to be freed by the handler, or are the exception's business.
#include <doctest/doctest.h>

#include "support.hpp"

#include <string>

namespace {
// An exception that allocates nothing, so the only block inside the scope is the test's own.
struct boom {};

void leak_and_throw(int*& leak) {
    LEAKGUARD_SCOPE("unwound");
    leak = new int(1);
    throw boom();
}
} // namespace

TEST_CASE("a scope left by an exception records no failure") {
    unit::failure_recorder recorder;
    int* leak = nullptr;
    bool caught = false;
    try {
        leak_and_throw(leak);
    } catch (const boom&) {
        caught = true;
    }
    std::size_t const failures = recorder.new_failures();
    delete leak;

    CHECK(caught);
    CHECK(leak != nullptr);
    CHECK(recorder.calls() == 0);
    CHECK(failures == 0);
}

TEST_CASE("a scope that ends normally inside a catch block still checks") {
    // The exception is caught, not uncaught, while the handler body runs.
    unit::failure_recorder recorder;
    int* leak = nullptr;
    try {
        throw boom();
    } catch (const boom&) {
        LEAKGUARD_SCOPE("in-catch");
        leak = new int(2);
    }
    std::size_t const failures = recorder.new_failures();
    delete leak;

    CHECK(recorder.calls() == 1);
    CHECK(failures == 1);
}

#if defined(__cpp_lib_uncaught_exceptions) && __cpp_lib_uncaught_exceptions >= 201411L
namespace {
// A destructor that runs during unwinding and uses a scope of its own, from start to end: that
// scope is not being left by the exception, so it must check (std::uncaught_exceptions() tells
// the two cases apart; the C++11 fallback cannot).
struct scoped_cleanup {
    int** leak;
    ~scoped_cleanup() {
        LEAKGUARD_SCOPE("in-destructor");
        *leak = new int(3);
    }
};
} // namespace

TEST_CASE("a scope begun and ended inside a destructor during unwinding still checks") {
    unit::failure_recorder recorder;
    int* leak = nullptr;
    try {
        scoped_cleanup cleanup = {&leak};
        throw boom();
    } catch (const boom&) {}
    unit::recorded_failure const got = recorder.last();
    delete leak;

    CHECK(got.calls == 1);
    CHECK(std::string(got.name ? got.name : "") == "in-destructor");
    CHECK(got.first_leak == leak);
}
#endif
