// leakguard::check_leaks() and report_now() classify in the middle of a run and change nothing:
// a tree of 3 nodes whose root pointer is kept only disguised (XOR'ed with a mask, so no word in
// memory points to it) is 1 block / 24 bytes definitely lost and 2 / 48 indirectly lost when
// checked; report_now() returns the 3 blocks of the failing kinds; then the pointer is recovered,
// the tree freed, and the next check and the exit report find nothing lost: exit status 0.
// Prints "check: definite B b indirect B b possible B b leaked B b report_now N" and
// "after: definite B b indirect B b possible B b leaked B b" (B blocks, b bytes).
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp)
#include <leakguard/leakguard.hpp>

#include <cstdint>
#include <cstdio>

#include "reach_common.hpp"

using reach::node;

namespace {

constexpr std::uintptr_t kMask = static_cast<std::uintptr_t>(0x5a5a5a5a5a5a5a5aULL);
std::uintptr_t g_hidden;

__attribute__((noinline)) void build() {
    node* root = new node{};
    root->link[0] = new node{};
    root->link[1] = new node{};
    g_hidden = reinterpret_cast<std::uintptr_t>(root) ^ kMask;
    reach::escape(root);
}

__attribute__((noinline)) void release() {
    node* root = reinterpret_cast<node*>(g_hidden ^ kMask);
    delete root->link[0];
    delete root->link[1];
    delete root;
    g_hidden = 0;
}

template <class Counts> void print(const char* label, const Counts& c, long long extra) {
    char line[256];
    int const n = std::snprintf(
        line, sizeof line, "%s: definite %llu %llu indirect %llu %llu possible %llu %llu leaked %llu %llu", label,
        static_cast<unsigned long long>(c.definite.blocks), static_cast<unsigned long long>(c.definite.bytes),
        static_cast<unsigned long long>(c.indirect.blocks), static_cast<unsigned long long>(c.indirect.bytes),
        static_cast<unsigned long long>(c.possible.blocks), static_cast<unsigned long long>(c.possible.bytes),
        static_cast<unsigned long long>(c.leaked_blocks), static_cast<unsigned long long>(c.leaked_bytes));
    if (n <= 0) return;
    reach::say(line);
    if (extra >= 0) {
        std::snprintf(line, sizeof line, " report_now %lld", extra);
        reach::say(line);
    }
    reach::say("\n");
}

} // namespace

int main() {
    build();
    reach::scrub_stack();
    auto const during = leakguard::check_leaks();
    long long const reported = static_cast<long long>(leakguard::report_now());
    print("check", during, reported);
    release();
    reach::scrub_stack();
    print("after", leakguard::check_leaks(), -1);
    return 0;
}
