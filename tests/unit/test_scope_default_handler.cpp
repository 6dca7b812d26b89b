// With no handler installed a failed scope is printed to the report stream. log_path (with "%p"
// for the process id) moves that stream to a file, which lets the test read what was printed.
#include <doctest/doctest.h>

#include "support.hpp"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

namespace {
std::string read_file(const std::string& path) {
    std::ifstream in(path.c_str());
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}
} // namespace

TEST_CASE("the default handler prints the failed scope's name, place and leaks to log_path") {
    unit::failure_reset reset;
    leakguard::scope_failure_handler const previous = leakguard::set_scope_failure_handler(nullptr);
    bool const redirected = leakguard::set_option("log_path", "/tmp/leakguard-unit-%p.log");
    int line = 0;
    char* leak = nullptr;
    {
        line = __LINE__ + 1;
        LEAKGUARD_SCOPE("printed-by-default");
        leak = new char[77];
    }
    bool const restored = leakguard::set_option("log_path", ""); // back to stderr; closes the file
    leakguard::set_scope_failure_handler(previous);
    delete[] leak;

    std::string const path = "/tmp/leakguard-unit-" + std::to_string(static_cast<long>(::getpid())) + ".log";
    std::string const text = read_file(path);
    std::remove(path.c_str());

    CHECK(redirected);
    CHECK(restored);
    CHECK(reset.new_failures() == 1);
    INFO("log file: " << text);
    CHECK(text.find("scope \"printed-by-default\"") != std::string::npos);
    CHECK(text.find(std::string(__FILE__) + ":" + std::to_string(line)) != std::string::npos);
    CHECK(text.find("1 block (77 bytes)") != std::string::npos);
    CHECK(text.find("new[]") != std::string::npos);
}
