// Call stacks without macros, built twice from this source: bin/stacks_o0 (-O0 -g) and
// bin/stacks_o2 (-O2 -g, where std::vector's growth and std::make_shared are inlined into the
// functions below). Each kind of leak once; the driver (test_stacks.cpp) checks the JSON report:
//   seed    the mtrace example: a loop calling func1 -> func2 -> new[], 20 blocks, one group
//           whose stack shows func2, then func1, then main
//   vector  a std::vector<long> that is never destroyed: its buffer, from push_back, is
//           attributed to grow_vector at the push_back line
//   shared  a std::shared_ptr cycle: the block from std::make_shared is attributed to make_cycle
//           at the make_shared line
//   library a block allocated by a shared library built without leakguard (stacks_lib.cpp):
//           named after the library's function, in the library's module
// The seeds and the shared_ptr cycle are lost (definitely); the vector's buffer and the record
// are kept by globals (still reachable): the driver lists them with show_reachable=1.
// The lines the driver expects are printed on stdout ("NAME=LINE").
#define LEAKGUARD_MAIN
#include <leakguard/leakguard.hpp>

#include <cstdio>
#include <memory>
#include <new>
#include <vector>

#include "stacks_lib.hpp"

namespace {

int g_line_seed = 0;
int g_line_func1 = 0;
int g_line_vector = 0;
int g_line_shared = 0;
char* volatile g_record; // the library's record, kept

// Real calls (noinline), as in the mtrace example; the CMake target keeps sibling calls off.
__attribute__((noinline)) char* func2() {
    g_line_seed = __LINE__ + 1;
    return new char[16];
}
__attribute__((noinline)) char* func1() {
    g_line_func1 = __LINE__ + 1;
    return func2();
}

// Never destroyed: the buffer push_back allocated stays alive (still reachable from the storage).
alignas(std::vector<long>) unsigned char g_vector_storage[sizeof(std::vector<long>)];

__attribute__((noinline)) void grow_vector() {
    std::vector<long>* v = ::new (static_cast<void*>(g_vector_storage)) std::vector<long>;
    g_line_vector = __LINE__ + 1;
    v->push_back(42);
}

struct node {
    std::shared_ptr<node> self;
    int payload[4];
};

__attribute__((noinline)) void make_cycle() {
    g_line_shared = __LINE__ + 1;
    std::shared_ptr<node> p = std::make_shared<node>();
    p->self = p; // a cycle: the count never drops to zero
}

} // namespace

int main() {
    for (int i = 0; i < 20; ++i) func1();
    grow_vector();
    make_cycle();
    g_record = stackslib::make_record(100);
    std::printf("seed=%d func1=%d vector=%d shared=%d library=%d record=%c\n", g_line_seed, g_line_func1,
                g_line_vector, g_line_shared, stackslib::record_line(), g_record[0]);
    return 0;
}
