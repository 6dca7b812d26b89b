// GoogleTest in whole-suite mode (LEAKGUARD_CHECK_ALL_TESTS): no scopes in the tests. Cache.Leaks
// leaks (unless LEAKGUARD_CASE_FIXED is set) and must be the one failed test; Cache.Exempt leaks too but
// is exempted; Cache.Clean uses SCOPED_TRACE, RecordProperty and a fixture that allocates in SetUp and frees in
// TearDown.
#include <gtest/gtest.h>
#define LEAKGUARD_MAIN
#define LEAKGUARD_CHECK_ALL_TESTS
#include <leakguard/gtest.hpp>

#include "leak_fixed.hpp"

#include <map>
#include <string>

namespace {

struct entry {
    std::string key;
    int value;
};

__attribute__((noinline)) entry* make_entry(const std::string& key, int value) { return new entry{key, value}; }

class Cache : public ::testing::Test {
protected:
    void SetUp() override { table_ = new std::map<std::string, int>(); }
    void TearDown() override { delete table_; }
    std::map<std::string, int>* table_ = nullptr;
};

} // namespace

TEST_F(Cache, Clean) {
    SCOPED_TRACE("whole-suite mode must not blame GoogleTest's trace stack on this test");
    RecordProperty("note", "a property value long enough to be stored on the heap, not inline");
    (*table_)["a key long enough to live on the heap, not in the string"] = 1;
    EXPECT_EQ(table_->size(), 1u);
}

TEST_F(Cache, Leaks) { // leak-test-line
    entry* e = make_entry("forgotten", 1);
    EXPECT_EQ(e->value, 1);
    if (leak_fixed()) delete e;
}

// Fills a process-wide table that lives until static destruction: not a leak, but alive after the
// test - what LEAKGUARD_EXEMPT_TEST() is for.
std::map<std::string, int>& global_table() {
    static std::map<std::string, int> table;
    return table;
}

TEST_F(Cache, Exempt) {
    LEAKGUARD_EXEMPT_TEST();
    global_table()["kept until the program ends, then freed by a static destructor"] = 2;
    EXPECT_EQ(global_table().size(), 1u);
}
