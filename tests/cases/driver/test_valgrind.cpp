// Cross-check with valgrind of the earlier cases' plain builds (no leakguard at all), kind by kind
// (cross_check.hpp): leakguard's definitely, indirectly and possibly lost blocks over the whole
// process must be valgrind's, and so must every kind of the blocks the program's own file
// allocated. (Before leakguard told the kinds apart, valgrind's "in use at exit" was compared with
// every live block; the C and C++ libraries' still-reachable blocks now differ between the runs,
// as valgrind has the C library free some at exit.)
#include <doctest/doctest.h>

#include "cross_check.hpp"

namespace {
void compare_with_valgrind(const std::string& name, const std::string& source = "", bool lost_together = false) {
    cases::expectation want;
    want.source = source.empty() ? name + ".cpp" : source;
    want.lost_kinds_together = lost_together;
    cases::cross_check_with_valgrind(name, want);
}
} // namespace

TEST_CASE("valgrind_agrees_leak_one") { compare_with_valgrind("leak_one"); }
TEST_CASE("valgrind_agrees_leak_many") { compare_with_valgrind("leak_many"); }
TEST_CASE("valgrind_agrees_clean") { compare_with_valgrind("clean"); }
TEST_CASE("valgrind_agrees_threads") { compare_with_valgrind("threads"); }
TEST_CASE("valgrind_agrees_statics") { compare_with_valgrind("statics", "statics_other.cpp"); }
TEST_CASE("valgrind_agrees_statics_leak") { compare_with_valgrind("statics_leak", "statics_other.cpp"); }
// The malloc mapping: the plain builds call the C library directly.
// 20 MiB of blocks at valgrind's low heap addresses: a stray integer of the C library's .bss
// sometimes lands in one (cross_check.hpp), so the lost kinds are compared in total.
TEST_CASE("valgrind_agrees_malloc_twenty") { compare_with_valgrind("malloc_twenty", "", true); }
TEST_CASE("valgrind_agrees_memwatch_sample") { compare_with_valgrind("memwatch_sample"); }
TEST_CASE("valgrind_agrees_getline_mapped") { compare_with_valgrind("getline_mapped"); }
TEST_CASE("valgrind_agrees_libc_owned") { compare_with_valgrind("libc_owned"); }
