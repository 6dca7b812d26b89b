// The suite executable with a main() of its own that still links the test-main library (for its
// registry) and links leakguard::main itself. It must link (one main(), one leakguard) and show
// that the tracker is running: a scope sees the block allocated inside it.
#include <leakguard/leakguard.hpp>

#include <cstdio>

#include "suite.hpp"

namespace {

bool tracker_sees_a_block() {
    leakguard::scope s("tracker_sees_a_block");
    int* value = new int(3);
    bool const seen = s.leaked_blocks() == 1;
    delete value;
    return seen && s.check();
}

} // namespace

int main() {
    suite::add("tracker_sees_a_block", &tracker_sees_a_block);
    int const failed = suite::run_all();
    std::printf("own main: %d failed\n", failed);
    return failed == 0 ? 0 : 1;
}
