// examples/doctest_ini_parser - a tiny INI parser tested with doctest and leakguard's adapter.
//
// The parser keeps each section's name in a buffer it forgets to free when EXAMPLE_LEAK=1 is set
// in the environment (a stand-in for the bug you would really have). Run:
//     ./doctest_ini_parser                 # all test cases pass
//     EXAMPLE_LEAK=1 ./doctest_ini_parser  # "sections" fails, naming the leaked buffer's site
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
#define LEAKGUARD_MAIN
#include <leakguard/doctest.hpp>

#include <cstdlib>
#include <cstring>
#include <map>
#include <sstream>
#include <string>

namespace {

bool leak_on_purpose() {
    const char* v = std::getenv("EXAMPLE_LEAK");
    return v && v[0] == '1';
}

using ini = std::map<std::string, std::map<std::string, std::string>>;

std::string trim(const std::string& s) {
    std::size_t b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

ini parse(const std::string& text) {
    ini out;
    std::string section;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        line = trim(line);
        if (line.empty() || line[0] == ';') continue;
        if (line[0] == '[') {
            char* name = new char[line.size()];
            std::memcpy(name, line.c_str() + 1, line.size() - 2);
            name[line.size() - 2] = '\0';
            section = name;
            if (!leak_on_purpose()) delete[] name; // the bug: the buffer is never freed
            continue;
        }
        std::size_t eq = line.find('=');
        if (eq != std::string::npos) out[section][trim(line.substr(0, eq))] = trim(line.substr(eq + 1));
    }
    return out;
}

} // namespace

TEST_CASE("keys and values") {
    LEAKGUARD_SCOPE();
    ini doc = parse("name = leakguard\nversion = 0.1\n");
    CHECK(doc[""]["name"] == "leakguard");
    CHECK(doc[""]["version"] == "0.1");
}

TEST_CASE("sections") {
    LEAKGUARD_SCOPE("sections");
    ini doc = parse("[server]\nport = 8080\n[client]\nretries = 3\n");
    CHECK(doc["server"]["port"] == "8080");
    CHECK(doc["client"]["retries"] == "3");
}

TEST_CASE("comments and blank lines") {
    LEAKGUARD_SCOPE();
    SUBCASE("comments") { CHECK(parse("; nothing here\n").empty()); }
    SUBCASE("blank lines") { CHECK(parse("\n\n   \n").empty()); }
}
