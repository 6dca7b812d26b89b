// Static objects in two translation units (this one defines LEAKGUARD_MAIN, statics_other.cpp
// only includes leakguard) that allocate in their constructors - before main, in an order the
// program does not control - and free in their destructors, after main. The exit report runs
// after every static destructor, so nothing may be reported.
// Built with CASE_STATIC_LEAK, statics_other.cpp adds a global that leaks exactly one block (its
// destructor drops the pointer: definitely lost once static destruction is over).
#ifdef LEAKGUARD_CASE_TRACKED
#define LEAKGUARD_MAIN
#include <leakguard/leakguard.hpp>
#endif

#include <cstdio>
#include <string>
#include <vector>

#include "statics_other.hpp"

namespace {

struct node {
    std::string label;
    node* next;
};

// Allocates in three ways: a long (heap) std::string, a std::vector, and plain new.
struct config {
    std::string name;
    std::vector<int> values;
    node* chain;
    config()
        : name("a configuration name far too long for the small string buffer"),
          values(64, 3),
          chain(new node{"first node label, also too long for the small buffer", new node{"second", nullptr}}) {}
    ~config() {
        while (chain) {
            node* next = chain->next;
            delete chain;
            chain = next;
        }
    }
};

config g_config;

} // namespace

int main() {
    std::printf("statics: %zu + %zu\n", g_config.name.size() + g_config.values.size(), other_summary());
    return 0;
}
