// Still reachable through an interior pointer, by valgrind's "newarray" heuristic: `new T[3]` of a
// type with a destructor puts the element count (8 bytes) in front of the elements and returns
// the address past it, so the global that holds the array points 8 bytes into the block. 1 block
// of 56 bytes (8 + 3 * 16), kind new[], still reachable; exit status 0.
// Built twice: tracked (LEAKGUARD_CASE_TRACKED) and plain, for the valgrind cross-check.
#ifdef LEAKGUARD_CASE_TRACKED
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp)
#include <leakguard/leakguard.hpp>
#endif

#include "reach_common.hpp"

// A destructor of its own: delete[] must know how many to destroy, hence the count.
struct counted {
    long values[2] = {1, 2};
    ~counted() { reach::escape(values); }
};

counted* volatile g_array;

__attribute__((noinline)) static void build() {
    counted* array = new counted[3];
    g_array = array;
    reach::escape(array);
}

int main() {
    build();
    reach::scrub_stack();
    reach::say("reach_newarray: done\n");
    return 0;
}
