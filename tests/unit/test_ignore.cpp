// Intentional leaks: ignore(p) marks one block, begin_ignore()/end_ignore() (and the RAII forms
// ignore_region and LEAKGUARD_IGNORE_REGION) mark everything a thread allocates between them.
// Ignored blocks are reported by nobody: not by scopes, not by live_blocks().
#include <doctest/doctest.h>

#include "support.hpp"

#include <thread>
#include <vector>

namespace {
// True when live_blocks() lists p. The buffer is made in an ignore region so it is not listed.
bool listed_live(const void* p) {
    std::vector<leakguard::block_info> all;
    {
        leakguard::ignore_region quiet;
        all.resize(leakguard::live_blocks(nullptr, 0) + 64);
    }
    std::size_t const n = leakguard::live_blocks(all.data(), all.size());
    for (std::size_t i = 0; i < n && i < all.size(); ++i)
        if (all[i].address == p) return true;
    return false;
}
} // namespace

TEST_CASE("ignore(nullptr) is false") { CHECK_FALSE(leakguard::ignore(nullptr)); }

TEST_CASE("ignore(p) hides a live block from scopes and live_blocks") {
    leakguard::scope s(__FILE__, __LINE__, "ignore-one");
    int* hidden = new int(1);
    int* shown = new int(2);
    bool const listed_before = listed_live(hidden);
    bool const first = leakguard::ignore(hidden);
    bool const again = leakguard::ignore(hidden); // idempotent
    std::vector<leakguard::block_info> const leaks = s.leaks();
    bool const hidden_listed = listed_live(hidden);
    bool const shown_listed = listed_live(shown);
    delete hidden; // ignored blocks can still be freed normally
    delete shown;

    CHECK(listed_before);
    CHECK(first);
    CHECK(again);
    REQUIRE(leaks.size() == 1);
    CHECK(leaks[0].address == shown);
    CHECK_FALSE(hidden_listed);
    CHECK(shown_listed);
    CHECK(s.check());
}

TEST_CASE("ignore(p) works for arrays and for blocks made before the scope or by another thread") {
    char* array = new char[40];
    int* other = nullptr;
    std::thread t([&other] { other = new int(3); });
    t.join();
    bool const array_ok = leakguard::ignore(array);
    bool const other_ok = leakguard::ignore(other);
    bool const array_listed = listed_live(array);
    bool const other_listed = listed_live(other);
    delete[] array;
    delete other;

    CHECK(array_ok);
    CHECK(other_ok);
    CHECK_FALSE(array_listed);
    CHECK_FALSE(other_listed);
}

TEST_CASE("begin_ignore/end_ignore nest: blocks stay ignored until the outermost end") {
    leakguard::scope s(__FILE__, __LINE__, "ignore-nesting");
    leakguard::begin_ignore();
    int* depth1 = new int(1);
    leakguard::begin_ignore();
    int* depth2 = new int(2);
    leakguard::end_ignore();
    int* back_to_depth1 = new int(3); // still inside the outer region
    leakguard::end_ignore();
    int* tracked = new int(4);
    std::vector<leakguard::block_info> const leaks = s.leaks();
    bool const depth1_listed = listed_live(depth1);
    bool const tracked_listed = listed_live(tracked);
    delete depth1;
    delete depth2;
    delete back_to_depth1;
    delete tracked;

    REQUIRE(leaks.size() == 1);
    CHECK(leaks[0].address == tracked);
    CHECK_FALSE(depth1_listed);
    CHECK(tracked_listed);
    CHECK(s.check());
}

TEST_CASE("LEAKGUARD_IGNORE_REGION and ignore_region end with their block") {
    leakguard::scope s(__FILE__, __LINE__, "ignore-raii");
    int* in_macro = nullptr;
    int* in_object = nullptr;
    {
        LEAKGUARD_IGNORE_REGION();
        in_macro = new int(1);
        {
            leakguard::ignore_region nested;
            in_object = new int(2);
        }
    }
    int* after = new int(3);
    std::vector<leakguard::block_info> const leaks = s.leaks();
    delete in_macro;
    delete in_object;
    delete after;

    REQUIRE(leaks.size() == 1);
    CHECK(leaks[0].address == after);
    CHECK(s.check());
}

TEST_CASE("an ignore region covers only the thread that opened it") {
    leakguard::scope s(__FILE__, __LINE__, "ignore-per-thread");
    int* theirs = nullptr;
    int* mine = nullptr;
    {
        LEAKGUARD_IGNORE_REGION();
        mine = new int(1);
        std::thread t([&theirs] { theirs = new int(2); });
        t.join();
    }
    std::vector<leakguard::block_info> const leaks = s.leaks();
    delete mine;
    delete theirs;

    REQUIRE(leaks.size() == 1);
    CHECK(leaks[0].address == theirs);
    CHECK(s.check());
}

TEST_CASE("an unmatched end_ignore() does not leave the next region unbalanced") {
    leakguard::end_ignore(); // one too many: must not push the depth below zero
    leakguard::scope s(__FILE__, __LINE__, "ignore-unbalanced");
    int* p = nullptr;
    {
        LEAKGUARD_IGNORE_REGION();
        p = new int(1);
    }
    std::size_t const blocks = s.leaked_blocks();
    delete p;
    CHECK(blocks == 0);
    CHECK(s.check());
}
