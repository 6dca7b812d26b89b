// The suite executable that takes main() from the test-main library (and leakguard's unit from
// it, a member linked for operator new and the link check). One test drops a block: leakguard must
// report it at exit, at this file's line, and make the process exit with status 23.
#include <leakguard/leakguard.hpp>

#include "suite.hpp"

namespace {

bool counts_blocks() {
    LEAKGUARD_SCOPE("counts_blocks");
    int* value = new int(7);
    bool const ok = *value == 7;
    delete value;
    return ok;
}

// Forgets its block on purpose. noinline: the site names this function.
__attribute__((noinline)) bool forgets_a_block() {
    int* volatile lost = new int[5]; // leak-line
    return lost != nullptr;
}

bool const registered = suite::add("counts_blocks", &counts_blocks) && suite::add("forgets_a_block", &forgets_a_block);

} // namespace
