// set_option / set_options: known keys with good values are accepted; unknown keys, bad values and
// pairs without '=' are refused (with a one-line warning on stderr, expected in the test log).
// Every test leaves the options as the run needs them: exitcode 23, full report, stderr, no JSON.
#include <doctest/doctest.h>

#include "support.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <unistd.h>

namespace {
// Puts back the defaults whatever a test changed, even if a CHECK failed halfway.
struct restore_defaults {
    restore_defaults() = default;
    restore_defaults(const restore_defaults&) = delete;
    restore_defaults& operator=(const restore_defaults&) = delete;
    ~restore_defaults() {
        leakguard::set_option("exitcode", "23");
        leakguard::set_option("report", "full");
        leakguard::set_option("log_path", "");
        leakguard::set_option("json_path", "");
    }
};
// Runs f() with file descriptor 2 sent to a temporary file; returns what was written there.
template <class F>
std::string capture_stderr(F f) {
    char path[] = "/tmp/leakguard-unit-stderr-XXXXXX";
    int const fd = ::mkstemp(path);
    if (fd < 0) return "mkstemp failed";
    std::fflush(stderr);
    int const saved = ::dup(2);
    ::dup2(fd, 2);
    f();
    ::dup2(saved, 2);
    ::close(saved);
    ::close(fd);
    std::ifstream in(path);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::remove(path);
    return text;
}
} // namespace

TEST_CASE("set_option accepts every known key with a good value") {
    restore_defaults restore;
    CHECK(leakguard::set_option("exitcode", "23"));
    CHECK(leakguard::set_option("exitcode", "0"));
    CHECK(leakguard::set_option("exitcode", "255"));
    CHECK(leakguard::set_option("report", "summary"));
    CHECK(leakguard::set_option("report", "off"));
    CHECK(leakguard::set_option("report", "full"));
    CHECK(leakguard::set_option("log_path", "/dev/null"));
    CHECK(leakguard::set_option("log_path", ""));
    CHECK(leakguard::set_option("json_path", ""));
}

TEST_CASE("set_option refuses unknown keys and bad values") {
    restore_defaults restore;
    CHECK_FALSE(leakguard::set_option("no_such_option", "1"));
    CHECK_FALSE(leakguard::set_option("exitcode", "256"));
    CHECK_FALSE(leakguard::set_option("exitcode", "-1"));
    CHECK_FALSE(leakguard::set_option("exitcode", "abc"));
    CHECK_FALSE(leakguard::set_option("exitcode", "23x"));
    CHECK_FALSE(leakguard::set_option("exitcode", ""));
    CHECK_FALSE(leakguard::set_option("report", "loud"));
    CHECK_FALSE(leakguard::set_option("report", ""));
    CHECK_FALSE(leakguard::set_option(nullptr, "1"));
    CHECK_FALSE(leakguard::set_option("exitcode", nullptr));
}

TEST_CASE("a value too long for leakguard's buffers is refused, with a warning that is a whole line") {
    restore_defaults restore;
    // log_path is kept in a 1024-byte buffer: a longer path is refused rather than cut short.
    std::string const long_value(2000, 'x');
    bool path_ok = true, report_ok = true;
    std::string const text = capture_stderr([&] {
        path_ok = leakguard::set_option("log_path", long_value.c_str());
        report_ok = leakguard::set_option("report", long_value.c_str());
    });
    CHECK_FALSE(path_ok);
    CHECK_FALSE(report_ok);
    // Two warnings, each a line of its own: however long the value, the line must end with '\n',
    // or the next message is glued to it.
    std::size_t const first_end = text.find('\n');
    REQUIRE(first_end != std::string::npos);
    CHECK(text.compare(first_end + 1, 10, "leakguard:") == 0);
    CHECK(std::count(text.begin(), text.end(), '\n') == 2);
    CHECK(text.size() > 0);
    CHECK(text[text.size() - 1] == '\n');
}

TEST_CASE("set_options takes pairs separated by ':' or ','") {
    restore_defaults restore;
    CHECK(leakguard::set_options("exitcode=23:report=full"));
    CHECK(leakguard::set_options("exitcode=23,report=summary"));
    CHECK(leakguard::set_options("report=off,exitcode=23:report=full"));
    CHECK(leakguard::set_options("report=full::exitcode=23,")); // empty entries are skipped
    CHECK(leakguard::set_options(""));
}

TEST_CASE("set_options is false when any pair is refused") {
    restore_defaults restore;
    CHECK_FALSE(leakguard::set_options("exitcode=23:no_such_option=1"));
    CHECK_FALSE(leakguard::set_options("no_such_option=1,report=full"));
    CHECK_FALSE(leakguard::set_options("report=loud"));
    CHECK_FALSE(leakguard::set_options("exitcode")); // no '=value'
    CHECK_FALSE(leakguard::set_options("report=full:exitcode"));
}

TEST_CASE("set_options applies the good pairs of a list that has a bad one") {
    // Observable through log_path: a failed scope's default report goes to the file it names.
    restore_defaults restore;
    unit::failure_reset reset;
    leakguard::scope_failure_handler const previous = leakguard::set_scope_failure_handler(nullptr);
    bool const all_ok = leakguard::set_options("no_such_option=1:log_path=/tmp/leakguard-unit-options-%p.log");
    int* leak = nullptr;
    {
        LEAKGUARD_SCOPE("applied-despite-a-bad-pair");
        leak = new int(1);
    }
    leakguard::set_option("log_path", "");
    leakguard::set_scope_failure_handler(previous);
    delete leak;

    std::string const path = "/tmp/leakguard-unit-options-" + std::to_string(static_cast<long>(::getpid())) + ".log";
    std::string text;
    {
        std::ifstream in(path.c_str());
        std::getline(in, text);
    }
    std::remove(path.c_str());
    CHECK_FALSE(all_ok);
    CHECK(reset.new_failures() == 1);
    CHECK(text.find("applied-despite-a-bad-pair") != std::string::npos);
}
