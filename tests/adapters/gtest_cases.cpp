// A GoogleTest program with three tests, one of which leaks inside a scope (unless
// LEAKGUARD_CASE_FIXED is set). The adapter must fail exactly Parser.LeaksAName, at the
// scope's line, and let the other two pass - they use SCOPED_TRACE and RecordProperty inside
// their tests, whose blocks belong to GoogleTest and must not be blamed on them.
#include <gtest/gtest.h>
#define LEAKGUARD_MAIN
#include <leakguard/gtest.hpp>

#include "leak_fixed.hpp"

#include <cstring>
#include <string>

namespace {

// Returns a copy of `name` the caller owns; noinline so that the leak's site names it.
__attribute__((noinline)) char* copy_name(const char* name) {
    char* copy = new char[std::strlen(name) + 1];
    std::strcpy(copy, name);
    return copy;
}

} // namespace

TEST(Parser, ParsesNumbers) {
    LEAKGUARD_SCOPE("numbers");
    SCOPED_TRACE("a trace whose text is long enough to need a heap block of its own, surely");
    std::string text = "12345678901234567890123456789012345678901234567890";
    EXPECT_EQ(text.size(), 50u);
}

TEST(Parser, LeaksAName) {
    LEAKGUARD_SCOPE("names"); // leak-scope-line
    char* name = copy_name("a name that was never freed");
    EXPECT_STREQ(name, "a name that was never freed");
    if (leak_fixed()) delete[] name;
}

TEST(Parser, RecordsProperties) {
    // RecordProperty has no listener event: what it stores would count in a scope around it.
    RecordProperty("input", "a property value long enough to be stored on the heap, not inline");
    LEAKGUARD_SCOPE();
    std::string* s = new std::string(100, 'x');
    EXPECT_EQ(s->size(), 100u);
    delete s;
}
