// examples/catch2_tokenizer - a tiny expression tokenizer tested with Catch2 (v2) and leakguard's
// adapter, in whole-suite mode: no scope is written in the tests, every test case is checked.
//
// The tokenizer leaks each number token's text when EXAMPLE_LEAK=1 is set in the environment (a
// stand-in for the bug you would really have). Run:
//     ./catch2_tokenizer                 # all test cases pass
//     EXAMPLE_LEAK=1 ./catch2_tokenizer  # "numbers" fails, naming the leaked copy's site
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
#define LEAKGUARD_MAIN
#define LEAKGUARD_CHECK_ALL_TESTS // set for every test file (here: the only one)
#include <leakguard/catch2.hpp>

#include <cctype>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

bool leak_on_purpose() {
    const char* v = std::getenv("EXAMPLE_LEAK");
    return v && v[0] == '1';
}

struct token {
    enum kind_t { number, op, name } kind;
    std::string text;
};

std::vector<token> tokenize(const std::string& s) {
    std::vector<token> out;
    for (std::size_t i = 0; i < s.size();) {
        unsigned char const c = static_cast<unsigned char>(s[i]);
        if (std::isspace(c)) {
            ++i;
        } else if (std::isdigit(c)) {
            std::size_t j = i;
            while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
            char* text = new char[j - i + 1];
            std::memcpy(text, s.data() + i, j - i);
            text[j - i] = '\0';
            out.push_back(token{token::number, text});
            if (!leak_on_purpose()) delete[] text; // the bug: the copy is never freed
            i = j;
        } else if (std::isalpha(c)) {
            std::size_t j = i;
            while (j < s.size() && std::isalnum(static_cast<unsigned char>(s[j]))) ++j;
            out.push_back(token{token::name, s.substr(i, j - i)});
            i = j;
        } else {
            out.push_back(token{token::op, std::string(1, s[i])});
            ++i;
        }
    }
    return out;
}

} // namespace

TEST_CASE("names and operators") {
    auto t = tokenize("width * height");
    REQUIRE(t.size() == 3);
    CHECK(t[0].kind == token::name);
    CHECK(t[1].text == "*");
}

TEST_CASE("numbers") {
    auto t = tokenize("12 + 345");
    REQUIRE(t.size() == 3);
    CHECK(t[0].text == "12");
    CHECK(t[2].text == "345");
}

TEST_CASE("whitespace") {
    SECTION("leading and trailing") { CHECK(tokenize("  x  ").size() == 1); }
    SECTION("only whitespace") { CHECK(tokenize(" \t ").empty()); }
}
