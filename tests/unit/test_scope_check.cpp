// scope::check(), the failure handler and the failure count: a scope with leaks calls the handler
// once with its name, place and counts, records one failure, and returns false; a clean scope
// returns true and records nothing.
#include <doctest/doctest.h>

#include "support.hpp"

#include <cstring>
#include <string>
#include <vector>

TEST_CASE("check() on a scope with leaks calls the handler with its name, place and counts") {
    unit::failure_recorder recorder;
    int const line = __LINE__;
    char* a = nullptr;
    double* b = nullptr;
    bool result = true;
    {
        leakguard::scope s(__FILE__, line, "check-fails");
        a = new char[12];
        b = new double(2.5);
        result = s.check();
        // check() marks the scope done: its destructor must not call the handler a second time,
        // although the blocks are still alive when it runs.
    }
    unit::recorded_failure const got = recorder.last();
    std::size_t const failures = recorder.new_failures();
    delete[] a;
    delete b;

    CHECK_FALSE(result);
    CHECK(got.calls == 1);
    CHECK(std::string(got.name) == "check-fails");
    CHECK(std::string(got.file) == __FILE__);
    CHECK(got.line == line);
    CHECK(got.leaked_blocks == 2);
    CHECK(got.leaked_bytes == 12 + sizeof(double));
    CHECK(got.leaks_shown == 2);
    CHECK(got.first_leak == a); // oldest first
    CHECK(got.last_leak == b);
    CHECK(failures == 1);
}

TEST_CASE("LEAKGUARD_SCOPE checks when it goes out of scope and records the macro's place") {
    unit::failure_recorder recorder;
    int* leak = nullptr;
    int line = 0;
    {
        line = __LINE__ + 1;
        LEAKGUARD_SCOPE("macro-scope");
        leak = new int(3);
    }
    unit::recorded_failure const got = recorder.last();
    std::size_t const failures = recorder.new_failures();
    delete leak;

    CHECK(got.calls == 1);
    CHECK(std::string(got.name) == "macro-scope");
    CHECK(std::string(got.file) == __FILE__);
    CHECK(got.line == line);
    CHECK(got.leaked_blocks == 1);
    CHECK(got.leaked_bytes == sizeof(int));
    CHECK(got.first_leak == leak);
    CHECK(failures == 1);
}

TEST_CASE("a scope declared without the macro records the file and line of its declaration") {
    unit::failure_recorder recorder;
    int* leak = nullptr;
    int line = 0;
    {
        line = __LINE__ + 1;
        leakguard::scope s("no-macro");
        leak = new int(4);
    }
    unit::recorded_failure const got = recorder.last();
    std::size_t const failures = recorder.new_failures();
    delete leak;

    CHECK(got.calls == 1);
    CHECK(std::string(got.name) == "no-macro");
    CHECK(std::string(got.file) == __FILE__);
    CHECK(got.line == line);
    CHECK(got.leaked_blocks == 1);
    CHECK(got.first_leak == leak);
    CHECK(failures == 1);
}

TEST_CASE("a this_thread scope declared without the macro records its place too") {
    unit::failure_recorder recorder;
    int* leak = nullptr;
    int line = 0;
    {
        line = __LINE__ + 1;
        leakguard::scope s("no-macro-thread", leakguard::scope::this_thread);
        leak = new int(5);
    }
    unit::recorded_failure const got = recorder.last();
    delete leak;

    CHECK(got.calls == 1);
    CHECK(std::string(got.name) == "no-macro-thread");
    CHECK(std::string(got.file) == __FILE__);
    CHECK(got.line == line);
    CHECK(got.leaked_blocks == 1);
}

TEST_CASE("an unnamed LEAKGUARD_SCOPE() reports an empty name, never a null one") {
    unit::failure_recorder recorder;
    int* leak = nullptr;
    {
        LEAKGUARD_SCOPE();
        leak = new int(4);
    }
    unit::recorded_failure const got = recorder.last();
    delete leak;

    CHECK(got.calls == 1);
    REQUIRE(got.name != nullptr);
    CHECK(std::string(got.name).empty());
}

TEST_CASE("check() on a clean scope returns true and records nothing") {
    unit::failure_recorder recorder;
    int* before = new int(1); // older than the scope: never its leak
    bool result = false;
    {
        leakguard::scope s(__FILE__, __LINE__, "clean");
        int* inside = new int(2);
        unit::use(inside);
        delete inside;
        result = s.check();
    }
    delete before;

    CHECK(result);
    CHECK(recorder.calls() == 0);
    CHECK(recorder.new_failures() == 0);
}

TEST_CASE("dismiss() stops the destructor from checking") {
    unit::failure_recorder recorder;
    int* leak = nullptr;
    {
        leakguard::scope s(__FILE__, __LINE__, "dismissed");
        leak = new int(5);
        s.dismiss();
    }
    delete leak;

    CHECK(recorder.calls() == 0);
    CHECK(recorder.new_failures() == 0);
}

TEST_CASE("every failed scope adds one to scope_failures(), and reset_scope_failures() clears them") {
    unit::failure_recorder recorder;
    int* leaks[3] = {};
    for (int i = 0; i < 3; ++i) {
        leakguard::scope s(__FILE__, __LINE__, "counted");
        leaks[i] = new int(i);
    }
    std::size_t const failures = recorder.new_failures();
    for (int* p : leaks) delete p;

    CHECK(recorder.calls() == 3);
    CHECK(failures == 3);
    // The recorder resets at its end; do it here too, to see that it works.
    std::size_t const before = leakguard::scope_failures() - failures;
    if (before == 0) {
        leakguard::reset_scope_failures();
        CHECK(leakguard::scope_failures() == 0);
    }
}

namespace {
void other_handler(const leakguard::scope_failure&) {}
} // namespace

TEST_CASE("set_scope_failure_handler returns the previous handler; nullptr restores the default") {
    leakguard::scope_failure_handler const original = leakguard::set_scope_failure_handler(&unit::record_failure);
    leakguard::scope_failure_handler const mine = leakguard::set_scope_failure_handler(&other_handler);
    leakguard::scope_failure_handler const other = leakguard::set_scope_failure_handler(nullptr);
    leakguard::scope_failure_handler const none = leakguard::set_scope_failure_handler(original);

    // doctest cannot print function pointers: compare to bool first.
    bool const original_is_default = original == nullptr; // no test leaves a handler installed
    bool const got_mine = mine == &unit::record_failure;
    bool const got_other = other == &other_handler;
    bool const got_none = none == nullptr;
    CHECK(original_is_default);
    CHECK(got_mine);
    CHECK(got_other);
    CHECK(got_none);
}

TEST_CASE("after the handler is restored to nullptr it is no longer called") {
    unit::failure_reset reset;
    std::memset(&unit::last_failure(), 0, sizeof(unit::recorded_failure));
    leakguard::scope_failure_handler const previous = leakguard::set_scope_failure_handler(&unit::record_failure);
    leakguard::set_scope_failure_handler(nullptr);
    // Send the default printer's output to a file nobody reads, to keep the test log quiet.
    bool const redirected = leakguard::set_option("log_path", "/dev/null");
    int* leak = nullptr;
    {
        leakguard::scope s(__FILE__, __LINE__, "default-after-restore");
        leak = new int(6);
    }
    leakguard::set_option("log_path", "");
    leakguard::set_scope_failure_handler(previous);
    delete leak;

    CHECK(redirected);
    CHECK(unit::last_failure().calls == 0);
    CHECK(reset.new_failures() == 1); // recorded even though the default handler handled it
}

TEST_CASE("the handler sees at most 256 leaks, the oldest, but the full counts") {
    enum { count = 300 };
    unit::failure_recorder recorder;
    std::vector<char*> blocks;
    blocks.reserve(count); // before the scope: not one of its leaks
    {
        leakguard::scope s(__FILE__, __LINE__, "many-leaks");
        for (int i = 0; i < count; ++i) blocks.push_back(new char[2]);
    }
    unit::recorded_failure const got = recorder.last();
    for (char* p : blocks) delete[] p;

    CHECK(got.calls == 1);
    CHECK(got.leaked_blocks == static_cast<std::size_t>(count));
    CHECK(got.leaked_bytes == static_cast<std::size_t>(count) * 2);
    CHECK(got.leaks_shown == 256);
    CHECK(got.first_leak == blocks[0]);
    CHECK(got.last_leak == blocks[255]);
}
