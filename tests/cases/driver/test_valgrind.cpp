// Cross-check with valgrind: the plain build of a case (no leakguard at all) run under memcheck
// must have exactly as many bytes and blocks "in use at exit" as leakguard reports leaked for
// the tracked build. The cases allocate only through operator new, and glibc/libstdc++ free their
// own memory at exit under valgrind, so the two must agree to the byte.
#include <doctest/doctest.h>

#include <cstdlib>
#include <regex>
#include <sstream>
#include <string>
#include <unistd.h>

#include "case_run.hpp"

namespace {

// valgrind as found on PATH when the tests run (empty when it is not there): a machine without
// it skips these cases, whatever the machine that configured the build had.
std::string valgrind_on_path() {
    char const* path = std::getenv("PATH");
    std::istringstream dirs(path ? path : "");
    for (std::string dir; std::getline(dirs, dir, ':');) {
        std::string const candidate = (dir.empty() ? std::string(".") : dir) + "/valgrind";
        if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    return "";
}

struct heap_summary {
    bool found = false;
    long long bytes = -1;
    long long blocks = -1;
};

long long parse_count(std::string digits) { // "72,704" -> 72704
    std::string plain;
    for (char c : digits)
        if (c != ',') plain += c;
    return std::stoll(plain);
}

// "==123==     in use at exit: 1 bytes in 1 blocks"
heap_summary parse_heap_summary(const std::string& valgrind_output) {
    heap_summary s;
    std::smatch m;
    static const std::regex in_use("in use at exit: ([0-9,]+) bytes in ([0-9,]+) blocks");
    if (std::regex_search(valgrind_output, m, in_use)) {
        s.found = true;
        s.bytes = parse_count(m[1]);
        s.blocks = parse_count(m[2]);
    }
    return s;
}

void compare_with_valgrind(const std::string& name) {
    std::string const valgrind = valgrind_on_path();
    if (valgrind.empty()) {
        CASES_SKIP("valgrind is not on PATH: no cross-check of " << name);
        return;
    }
    auto tracked = cases::run_case(name);
    INFO("tracked run:\n" << tracked.describe());
    REQUIRE(tracked.has_report);

    cases::temp_dir dir;
    std::vector<std::string> const argv = {valgrind, "--leak-check=full", "--show-leak-kinds=all",
                                           "--errors-for-leak-kinds=none", cases::case_path(name + "_plain")};
    auto plain = cases::run_process(argv, {}, dir.path(), 100);
    INFO("valgrind: " << plain.status_text() << "\n" << plain.err);
    REQUIRE(plain.exit_code == 0);                                   // the plain program's own status
    CHECK(cases::lines_containing(plain.err, "leakguard:").empty()); // really built without it
    // The case program itself is sound (no invalid reads or frees; leaks are not counted as errors
    // here), so its numbers can be trusted.
    CHECK(cases::lines_containing(plain.err, "ERROR SUMMARY: 0 errors").size() == 1);
    heap_summary const vg = parse_heap_summary(plain.err);
    REQUIRE(vg.found);
    CHECK(vg.bytes == cases::summary(tracked.report, "leaked_bytes"));
    CHECK(vg.blocks == cases::summary(tracked.report, "leaked_blocks"));
    MESSAGE(name << ": valgrind " << vg.bytes << " bytes in " << vg.blocks << " blocks, leakguard "
                 << cases::summary(tracked.report, "leaked_bytes") << " bytes in "
                 << cases::summary(tracked.report, "leaked_blocks") << " blocks");
}

} // namespace

TEST_CASE("valgrind_agrees_leak_one") { compare_with_valgrind("leak_one"); }
TEST_CASE("valgrind_agrees_leak_many") { compare_with_valgrind("leak_many"); }
TEST_CASE("valgrind_agrees_clean") { compare_with_valgrind("clean"); }
TEST_CASE("valgrind_agrees_threads") { compare_with_valgrind("threads"); }
TEST_CASE("valgrind_agrees_statics") { compare_with_valgrind("statics"); }
TEST_CASE("valgrind_agrees_statics_leak") { compare_with_valgrind("statics_leak"); }
// The malloc mapping: the plain builds call the C library directly.
TEST_CASE("valgrind_agrees_malloc_twenty") { compare_with_valgrind("malloc_twenty"); }
TEST_CASE("valgrind_agrees_memwatch_sample") { compare_with_valgrind("memwatch_sample"); }
TEST_CASE("valgrind_agrees_getline_mapped") { compare_with_valgrind("getline_mapped"); }
TEST_CASE("valgrind_agrees_libc_owned") { compare_with_valgrind("libc_owned"); }
