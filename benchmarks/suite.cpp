// Whole-suite mode's cost per test: a doctest program of 1,000 small test cases, timed whole by
// suite.sh. One source, three builds (CMakeLists.txt):
//   suite_plain    doctest alone, no leakguard
//   suite_tracked  + leakguard and its doctest adapter (this unit is the LEAKGUARD_MAIN one)
//   suite_all      the same in whole-suite mode (LEAKGUARD_CHECK_ALL_TESTS): every test checked
//
//   suite_<build> clean|reachable|lost [doctest options...]
//
// Every test builds and drops a vector of strings and a map (11 blocks, all freed). Then:
//   clean      nothing more: the check at the test's end finds no block of the test alive
//   reachable  the test also leaves one block on a list a global holds: alive, not lost. Under
//              the lost rule it passes after a leak check (the scan); under test_checks=strict it fails
//   lost       the test also loses one block: it fails (a leak check, then the failure report)
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#if LEAKGUARD_BENCH_TRACKED
#define LEAKGUARD_MAIN
#include <leakguard/doctest.hpp>
#endif

#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <vector>

namespace {

enum class kind { clean, reachable, lost };
kind g_kind = kind::clean;

// What the reachable tests keep: a list whose head is a global, as a cache or a registry would.
struct kept {
    kept* next;
    char payload[24];
};
kept* g_kept = nullptr;

// Where a lost block's address goes before it is forgotten: the store cannot be optimised away,
// and the second one leaves no copy behind.
void* volatile g_sink = nullptr;

// Out of line: once it has returned, no register or live stack slot of the test holds the block.
__attribute__((noinline)) void lose_one() {
    g_sink = new char[32];
    g_sink = nullptr;
}

__attribute__((noinline)) std::size_t clean_work(int n) {
    std::vector<std::string> names; // grows to 4: 3 blocks, plus 4 strings past the short-string buffer
    for (int i = 0; i < 4; ++i) names.push_back(std::string(40, static_cast<char>('a' + (n + i) % 26)));
    std::map<int, std::size_t> sizes; // 4 nodes
    for (int i = 0; i < 4; ++i) sizes[n + i] = names[static_cast<std::size_t>(i)].size();
    return sizes.size() + names.size();
}

void run_test(int n) {
    CHECK(clean_work(n) == 8);
    if (g_kind == kind::reachable) {
        kept* k = new kept;
        k->next = g_kept;
        g_kept = k;
    } else if (g_kind == kind::lost) {
        lose_one();
    }
}

} // namespace

// 1,000 test cases "t000" to "t999", by macro expansion (doctest names each one's function with
// __COUNTER__; the names tell test cases on one line apart).
#define LG_BENCH_TEST(a, b, c)                                                                                         \
    TEST_CASE("t" #a #b #c) { run_test(a * 100 + b * 10 + c); }
#define LG_BENCH_TENS(a, b)                                                                                            \
    LG_BENCH_TEST(a, b, 0)                                                                                             \
    LG_BENCH_TEST(a, b, 1)                                                                                             \
    LG_BENCH_TEST(a, b, 2)                                                                                             \
    LG_BENCH_TEST(a, b, 3)                                                                                             \
    LG_BENCH_TEST(a, b, 4)                                                                                             \
    LG_BENCH_TEST(a, b, 5)                                                                                             \
    LG_BENCH_TEST(a, b, 6)                                                                                             \
    LG_BENCH_TEST(a, b, 7)                                                                                             \
    LG_BENCH_TEST(a, b, 8)                                                                                             \
    LG_BENCH_TEST(a, b, 9)
#define LG_BENCH_HUNDREDS(a)                                                                                           \
    LG_BENCH_TENS(a, 0)                                                                                                \
    LG_BENCH_TENS(a, 1)                                                                                                \
    LG_BENCH_TENS(a, 2)                                                                                                \
    LG_BENCH_TENS(a, 3)                                                                                                \
    LG_BENCH_TENS(a, 4)                                                                                                \
    LG_BENCH_TENS(a, 5)                                                                                                \
    LG_BENCH_TENS(a, 6)                                                                                                \
    LG_BENCH_TENS(a, 7)                                                                                                \
    LG_BENCH_TENS(a, 8)                                                                                                \
    LG_BENCH_TENS(a, 9)
LG_BENCH_HUNDREDS(0)
LG_BENCH_HUNDREDS(1)
LG_BENCH_HUNDREDS(2)
LG_BENCH_HUNDREDS(3)
LG_BENCH_HUNDREDS(4)
LG_BENCH_HUNDREDS(5)
LG_BENCH_HUNDREDS(6)
LG_BENCH_HUNDREDS(7)
LG_BENCH_HUNDREDS(8)
LG_BENCH_HUNDREDS(9)

namespace {

bool parse_kind(const char* word, kind& out) {
    if (std::strcmp(word, "clean") == 0) out = kind::clean;
    else if (std::strcmp(word, "reachable") == 0) out = kind::reachable;
    else if (std::strcmp(word, "lost") == 0) out = kind::lost;
    else return false;
    return true;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2 || !parse_kind(argv[1], g_kind)) {
        std::fprintf(stderr, "usage: %s clean|reachable|lost [doctest options...]\n", argv[0]);
        return 2;
    }
    // doctest sees the program's name and the options after the kind.
    argv[1] = argv[0];
    doctest::Context context(argc - 1, argv + 1);
    int const status = context.run();
    while (g_kept) { // the reachable tests' list, freed before the exit report
        kept* next = g_kept->next;
        delete g_kept;
        g_kept = next;
    }
    return status;
}
