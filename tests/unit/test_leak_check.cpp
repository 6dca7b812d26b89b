// leakguard::check_leaks() in this process: each test makes one structure, checks, and compares
// the counts per kind with a check made just before (the rest of the process - doctest's own
// blocks - does not change in between). The structures are made by out-of-line helpers that hand
// back only a disguised pointer, so no copy of the real one is left in this frame or a register
// (a conservative scan would count it); every test frees what it made, as the binary must end
// without leaks.
#include <doctest/doctest.h>

#include "support.hpp"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <sys/mman.h>
#include <thread>

namespace {

struct node {
    node* next;
    node* other;
    char pad[16];
};

// A pointer kept where the scan cannot recognise it.
std::uintptr_t disguise(const void* p) { return reinterpret_cast<std::uintptr_t>(p) ^ 0xA5A5A5A5A5A5A5A5ull; }
template <class T>
T* reveal(std::uintptr_t d) {
    return reinterpret_cast<T*>(d ^ 0xA5A5A5A5A5A5A5A5ull);
}

struct counts {
    leakguard::leak_check_result r;
    static counts now() { return counts{leakguard::check_leaks()}; }
};

// The change in one kind between two checks.
long delta_blocks(const leakguard::leak_totals& before, const leakguard::leak_totals& after) {
    return static_cast<long>(after.blocks) - static_cast<long>(before.blocks);
}
long delta_bytes(const leakguard::leak_totals& before, const leakguard::leak_totals& after) {
    return static_cast<long>(after.bytes) - static_cast<long>(before.bytes);
}

// A head with `n` children hanging off it; only the head's disguised address comes back.
__attribute__((noinline)) std::uintptr_t make_tree(int n) {
    node* head = new node();
    node* tail = head;
    for (int i = 0; i < n; ++i) {
        tail->next = new node();
        tail = tail->next;
    }
    return disguise(head);
}
__attribute__((noinline)) void free_chain(std::uintptr_t d, int limit) {
    node* p = reveal<node>(d);
    for (int i = 0; p && i < limit; ++i) {
        node* next = p->next;
        delete p;
        p = next;
    }
}

// A ring of `n` nodes nothing else points to.
__attribute__((noinline)) std::uintptr_t make_ring(int n) {
    node* first = new node();
    node* last = first;
    for (int i = 1; i < n; ++i) {
        last->next = new node();
        last = last->next;
    }
    last->next = first;
    return disguise(first);
}

node* volatile g_held;
char* volatile g_interior;
unsigned char g_misaligned[32];

} // namespace

TEST_CASE("check_leaks: a lost tree is one definitely lost block and the rest indirectly lost") {
    counts const before = counts::now();
    std::uintptr_t const tree = make_tree(4);
    counts const after = counts::now();
    free_chain(tree, 5);
    CHECK(delta_blocks(before.r.definite, after.r.definite) == 1);
    CHECK(delta_bytes(before.r.definite, after.r.definite) == long(sizeof(node)));
    CHECK(delta_blocks(before.r.indirect, after.r.indirect) == 4);
    CHECK(delta_bytes(before.r.indirect, after.r.indirect) == long(4 * sizeof(node)));
    CHECK(delta_blocks(before.r.reachable, after.r.reachable) == 0);
    CHECK(after.r.leaked_blocks - before.r.leaked_blocks == 5); // default leak_kinds: all three lost kinds
}

TEST_CASE("check_leaks: an unreferenced ring is one definite block (the clique leader) and the rest indirect") {
    counts const before = counts::now();
    std::uintptr_t const ring = make_ring(3);
    counts const after = counts::now();
    free_chain(ring, 3);
    CHECK(delta_blocks(before.r.definite, after.r.definite) == 1);
    CHECK(delta_blocks(before.r.indirect, after.r.indirect) == 2);
}

TEST_CASE("check_leaks: what a global points to, and what that holds, is still reachable") {
    counts const before = counts::now();
    g_held = reveal<node>(make_tree(2));
    counts const after = counts::now();
    std::uintptr_t const d = disguise(g_held);
    g_held = nullptr;
    free_chain(d, 3);
    CHECK(delta_blocks(before.r.reachable, after.r.reachable) == 3);
    CHECK(delta_blocks(before.r.definite, after.r.definite) == 0);
    CHECK(delta_blocks(before.r.indirect, after.r.indirect) == 0);
    CHECK(after.r.leaked_blocks == before.r.leaked_blocks);
}

namespace {
// A 64-byte block only a pointer 40 bytes in leads to.
__attribute__((noinline)) void make_interior() {
    char* const block = new char[64];
    std::memset(block, 0, 64);
    g_interior = block + 40;
}
// A node whose only pointer is stored 3 bytes into a global buffer.
__attribute__((noinline)) void make_misaligned() {
    void* const real = new node();
    std::memcpy(g_misaligned + 3, &real, sizeof real);
}
} // namespace

TEST_CASE("check_leaks: a pointer into a block's middle makes it possibly lost") {
    counts const before = counts::now();
    make_interior();
    counts const after = counts::now();
    delete[](g_interior - 40);
    g_interior = nullptr;
    CHECK(delta_blocks(before.r.possible, after.r.possible) == 1);
    CHECK(delta_bytes(before.r.possible, after.r.possible) == 64);
}

namespace {
struct with_destructor {
    int value;
    ~with_destructor() { unit::use(this); }
};
with_destructor* volatile g_array;
} // namespace

TEST_CASE("check_leaks: new T[n] of a type with a destructor is reachable through valgrind's newarray heuristic") {
    counts const before = counts::now();
    g_array = new with_destructor[6]; // the pointer is one word past the block's start (the count)
    counts const after = counts::now();
    delete[] g_array;
    g_array = nullptr;
    CHECK(delta_blocks(before.r.reachable, after.r.reachable) == 1);
    CHECK(delta_blocks(before.r.possible, after.r.possible) == 0);
}

TEST_CASE("check_leaks: a pointer stored at an unaligned address is not seen") {
    counts const before = counts::now();
    make_misaligned();
    counts const after = counts::now();
    node* n = nullptr;
    std::memcpy(&n, g_misaligned + 3, sizeof n);
    std::memset(g_misaligned, 0, sizeof g_misaligned);
    delete n;
    CHECK(delta_blocks(before.r.definite, after.r.definite) == 1);
}

TEST_CASE("check_leaks: register_root_region makes a region of the program's own a root") {
    void* const page = ::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    REQUIRE(page != MAP_FAILED);
    std::uintptr_t const d = make_tree(0);
    *static_cast<void**>(page) = reveal<void>(d);
    counts const unregistered = counts::now();
    CHECK(leakguard::register_root_region(page, 4096));
    counts const registered = counts::now();
    CHECK_FALSE(leakguard::unregister_root_region(page, 100)); // not the registered size
    CHECK(leakguard::unregister_root_region(page, 4096));
    CHECK_FALSE(leakguard::unregister_root_region(page, 4096));
    CHECK_FALSE(leakguard::register_root_region(nullptr, 16));
    CHECK(delta_blocks(unregistered.r.definite, registered.r.definite) == -1);
    CHECK(delta_blocks(unregistered.r.reachable, registered.r.reachable) == 1);
    ::munmap(page, 4096);
    free_chain(d, 1);
}

TEST_CASE("check_leaks: an ignored block is in no kind, and neither is lost what only it holds") {
    counts const before = counts::now();
    std::uintptr_t const d = make_tree(1);
    CHECK(leakguard::ignore(reveal<node>(d)));
    counts const after = counts::now();
    free_chain(d, 2);
    CHECK(delta_blocks(before.r.definite, after.r.definite) == 0);
    CHECK(delta_blocks(before.r.indirect, after.r.indirect) == 0);
    CHECK(delta_blocks(before.r.reachable, after.r.reachable) == 1); // the child, through the ignored head
}

TEST_CASE("check_leaks: another thread's stack is a root while it runs; the thread is paused, then goes on") {
    std::mutex m;
    std::condition_variable cv;
    bool ready = false, done = false;
    std::atomic<int> progress{0};
    counts const before = counts::now();
    std::thread t([&] {
        node* volatile mine = reveal<node>(make_tree(1)); // only on this thread's stack
        {
            std::unique_lock<std::mutex> lock(m);
            ready = true;
            cv.notify_all();
            cv.wait(lock, [&] { return done; });
        }
        progress = 1;
        free_chain(disguise(mine), 2);
    });
    {
        std::unique_lock<std::mutex> lock(m);
        cv.wait(lock, [&] { return ready; });
    }
    counts const during = counts::now();
    {
        std::lock_guard<std::mutex> lock(m);
        done = true;
    }
    cv.notify_all();
    t.join();
    CHECK(progress == 1);
    CHECK(during.r.unpaused_threads == 0);
    CHECK(delta_blocks(before.r.reachable, during.r.reachable) >= 2); // the tree (and the thread's state)
    CHECK(delta_blocks(before.r.definite, during.r.definite) == 0);
    CHECK(delta_blocks(before.r.indirect, during.r.indirect) == 0);
}

TEST_CASE("check_leaks: leak_kinds picks the kinds that count as leaked") {
    std::uintptr_t const d = make_tree(2);
    counts const all = counts::now();
    CHECK(leakguard::set_option("leak_kinds", "definite"));
    counts const definite_only = counts::now();
    CHECK(leakguard::set_option("leak_kinds", "none"));
    counts const none = counts::now();
    CHECK(leakguard::set_options("leak_kinds=indirect,possible:exitcode=23"));
    counts const two = counts::now();
    CHECK_FALSE(leakguard::set_option("leak_kinds", "definite,bogus"));
    CHECK_FALSE(leakguard::set_option("leak_kinds", ""));
    CHECK(leakguard::set_option("leak_kinds", "definite+indirect+possible"));
    free_chain(d, 3);
    CHECK(all.r.leaked_blocks == all.r.definite.blocks + all.r.indirect.blocks + all.r.possible.blocks);
    CHECK(definite_only.r.leaked_blocks == definite_only.r.definite.blocks);
    CHECK(none.r.leaked_blocks == 0);
    CHECK(two.r.leaked_blocks == two.r.indirect.blocks + two.r.possible.blocks);
    CHECK(definite_only.r.definite.blocks >= 1);
}
