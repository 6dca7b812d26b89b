// Two leak sites for the suppression cases (test_suppressions): store::keep_entry (3 blocks of
// 16 bytes, new[], through make_entry inlined into it), which the suppressions files the driver
// writes name, and parse_header (1 block of 40 bytes, malloc), which they never name. Every
// block is definitely lost, and the tracked build prints what check_leaks() finds before exit.
// With the argument "scopes" each site leaks inside scopes instead.
// Built twice: tracked (LEAKGUARD_CASE_TRACKED) and plain, for valgrind --gen-suppressions=all.
#ifdef LEAKGUARD_CASE_TRACKED
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp)
#include <leakguard/leakguard.hpp>
#endif

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "reach_common.hpp"

namespace {
// Always inlined: valgrind and leakguard both show it as a frame of its own (an inlined call).
__attribute__((always_inline)) inline char* make_entry(int i) {
    char* p = new char[16];
    p[0] = static_cast<char>(i);
    return p;
}
} // namespace

namespace store {
// noinline, and not ending in the allocation (no tail call: the frame is there in both builds).
__attribute__((noinline)) void keep_entry(int i) { reach::escape(make_entry(i)); }
} // namespace store

__attribute__((noinline)) void parse_header() {
    void* p = std::malloc(40);
    if (p) std::memset(p, 0, 40); // written: GCC's -Wmaybe-uninitialized at -O0 otherwise
    reach::escape(p);
}

int main(int argc, char** argv) {
    if (argc > 1 && std::strcmp(argv[1], "scopes") == 0) {
#ifdef LEAKGUARD_CASE_TRACKED
        // Each scrubs the stack before it ends: at -O0 its destructor's frame lies where the
        // allocating frames were, and must not find their copies of the pointer there.
        { LEAKGUARD_SCOPE("suppressed site"); store::keep_entry(0); reach::scrub_stack(); }
        { LEAKGUARD_LOSS_SCOPE("suppressed site, lost rule"); store::keep_entry(1); reach::scrub_stack(); }
        // A lost-rule scope: a strict one leaves out malloc blocks made without the mapping.
        { LEAKGUARD_LOSS_SCOPE("other site"); parse_header(); reach::scrub_stack(); }
#endif
    } else {
        for (int i = 0; i < 3; ++i) store::keep_entry(i);
        parse_header();
    }
    reach::scrub_stack();
#ifdef LEAKGUARD_CASE_TRACKED
    leakguard::leak_check_result const r = leakguard::check_leaks();
    char line[160];
    std::snprintf(line, sizeof line, "check_leaks: definite %zu/%zu, suppressed %zu/%zu\n", r.definite.blocks,
                  r.definite.bytes, r.suppressed.blocks, r.suppressed.bytes);
    reach::say(line);
#endif
    reach::say("suppressions: done\n");
    return 0;
}
