// Still reachable through an interior pointer, by valgrind's "multipleinheritance" heuristic: a
// `both` object (derived from two polymorphic bases) held only as a pointer to its second base,
// which lies 16 bytes into the block; both the block's first word and the word the pointer points
// at are vtable pointers. 1 block of 40 bytes, still reachable; exit status 0.
// Built twice: tracked (LEAKGUARD_CASE_TRACKED) and plain, for the valgrind cross-check.
#ifdef LEAKGUARD_CASE_TRACKED
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp)
#include <leakguard/leakguard.hpp>
#endif

#include "reach_common.hpp"

// Namespace scope, external linkage: the vtables are global symbols (_ZTV...), as in a library.
struct first_base {
    virtual ~first_base() {}
    long first = 1;
};
struct second_base {
    virtual ~second_base() {}
    long second = 2;
};
struct both : first_base, second_base {
    long own = 3;
};

second_base* volatile g_second; // the second base subobject, not the block's start

__attribute__((noinline)) static void build() {
    both* object = new both;
    g_second = object;
    reach::escape(object);
}

int main() {
    build();
    reach::scrub_stack();
    reach::say("reach_multiple_inheritance: done\n");
    return 0;
}
