// scope_rule::lost (LEAKGUARD_LOSS_SCOPE, whole-suite mode's per-test checks): a scope fails only
// on the blocks allocated inside it that a leak check finds lost. Each lost structure is made by an
// out-of-line helper that hands back only a disguised pointer, so no copy of the real one stays in
// this frame or a register; a strict scope over the same code is the control that fails.
#include <doctest/doctest.h>

#include "support.hpp"

#include <cstdint>
#include <string>

namespace {

struct node {
    node* next;
    char pad[24];
};

std::uintptr_t disguise(const void* p) { return reinterpret_cast<std::uintptr_t>(p) ^ 0x5A5A5A5A5A5A5A5Aull; }
node* reveal(std::uintptr_t d) { return reinterpret_cast<node*>(d ^ 0x5A5A5A5A5A5A5A5Aull); }

// A chain of `n` nodes; only the head's disguised address comes back.
__attribute__((noinline)) std::uintptr_t make_chain(int n) {
    node* head = new node();
    node* tail = head;
    for (int i = 1; i < n; ++i) {
        tail->next = new node();
        tail = tail->next;
    }
    return disguise(head);
}
__attribute__((noinline)) void free_chain(std::uintptr_t d) {
    for (node* p = reveal(d); p;) {
        node* next = p->next;
        delete p;
        p = next;
    }
}

node* volatile g_kept;

// A function-local static cache, as a program's lookup tables are: made on first use, never freed
// by the program (a test frees it at the end, so the binary ends clean).
__attribute__((noinline)) node*& cached_table() {
    static node* table = new node();
    return table;
}

leakguard::scope_rule const lost = leakguard::scope_rule::lost;
leakguard::scope::threads const all = leakguard::scope::all_threads;

} // namespace

TEST_CASE("a lost scope passes when a global or a function-local static keeps what it made") {
    unit::failure_recorder recorder;
    bool lost_result = false;
    {
        leakguard::scope s(__FILE__, __LINE__, "kept", all, lost);
        g_kept = new node();
        unit::use(cached_table());
        lost_result = s.check();
    }
    CHECK(lost_result);
    CHECK(recorder.calls() == 0);
    CHECK(recorder.new_failures() == 0);

    // The control: a strict scope over blocks a global keeps fails.
    bool strict_result = true;
    {
        leakguard::scope s(__FILE__, __LINE__, "kept-strict");
        node* const before = g_kept;
        g_kept = new node();
        delete before;
        strict_result = s.check();
    }
    CHECK_FALSE(strict_result);
    CHECK(recorder.last().rule == leakguard::scope_rule::strict);
    CHECK(recorder.last().leaked_blocks == 1);
    CHECK(recorder.last().first_loss == leakguard::leak_kind::unchecked);
    delete g_kept;
    g_kept = nullptr;
    delete cached_table();
    cached_table() = nullptr;
}

TEST_CASE("a lost scope fails on a lost structure, each block with its kind") {
    unit::failure_recorder recorder;
    std::uintptr_t chain = 0;
    int line = 0;
    {
        line = __LINE__ + 1;
        LEAKGUARD_LOSS_SCOPE("lost-chain");
        chain = make_chain(3);
        g_kept = new node(); // kept: not a failure
    }
    unit::recorded_failure const got = recorder.last();
    free_chain(chain);
    delete g_kept;
    g_kept = nullptr;

    CHECK(got.calls == 1);
    CHECK(std::string(got.name) == "lost-chain");
    CHECK(got.line == line);
    CHECK(got.rule == leakguard::scope_rule::lost);
    CHECK(got.leaked_blocks == 3); // the head definitely lost, the two after it indirectly
    CHECK(got.leaked_bytes == 3 * sizeof(node));
    CHECK(got.first_loss == leakguard::leak_kind::definite);
    CHECK(recorder.new_failures() == 1);
}

TEST_CASE("a lost scope's queries count only lost blocks") {
    unit::failure_recorder recorder;
    std::uintptr_t chain = 0;
    std::size_t blocks = 0, bytes = 0, copied = 0;
    leakguard::block_info info[4] = {};
    {
        leakguard::scope s("queries", lost);
        chain = make_chain(2);
        g_kept = new node();
        blocks = s.leaked_blocks();
        bytes = s.leaked_bytes();
        copied = s.leaks(info, 4);
        s.dismiss();
    }
    free_chain(chain);
    delete g_kept;
    g_kept = nullptr;

    CHECK(blocks == 2);
    CHECK(bytes == 2 * sizeof(node));
    CHECK(copied == 2);
    CHECK(info[0].address == reveal(chain)); // oldest first
    CHECK(info[0].loss == leakguard::leak_kind::definite);
    CHECK(info[1].loss == leakguard::leak_kind::indirect);
    CHECK(recorder.calls() == 0);
}

TEST_CASE("the leak_kinds option decides which lost blocks fail a lost scope") {
    unit::failure_recorder recorder;
    REQUIRE(leakguard::set_option("leak_kinds", "indirect"));
    std::uintptr_t chain = 0;
    bool result = true;
    {
        leakguard::scope s("only-indirect", lost);
        chain = make_chain(3);
        result = s.check();
    }
    unit::recorded_failure const got = recorder.last();
    CHECK(unit::restore_option_default("leak_kinds"));
    free_chain(chain);

    CHECK_FALSE(result);
    CHECK(got.leaked_blocks == 2);
    CHECK(got.first_loss == leakguard::leak_kind::indirect);
}

TEST_CASE("whole_test_rule follows the test_checks option") {
    CHECK(leakguard::whole_test_rule() == leakguard::scope_rule::lost);
    REQUIRE(leakguard::set_option("test_checks", "strict"));
    CHECK(leakguard::whole_test_rule() == leakguard::scope_rule::strict);
    CHECK(unit::restore_option_default("test_checks"));
    CHECK(leakguard::whole_test_rule() == leakguard::scope_rule::lost);
}
