// What only an ignored block holds is not reported either (LeakSanitizer's rule; valgrind has no
// ignore(), so the driver checks leakguard alone): a 32-byte block passed to leakguard::ignore()
// holds the only pointer to a 48-byte block, and both are dropped - neither may be listed, in any
// kind. Beside them, the same structure not ignored (64 bytes holding 80) is reported as usual:
// 64 bytes definitely lost, 80 indirectly. Exit status 23.
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp)
#include <leakguard/leakguard.hpp>

#include <cstring>
#include <new>

#include "reach_common.hpp"

namespace {

// A block of `size` bytes whose first word points to a new block of `held` bytes.
__attribute__((noinline)) void* make_holder(std::size_t size, std::size_t held) {
    void* block = ::operator new(size);
    std::memset(block, 0, size);
    void* inner = ::operator new(held);
    std::memset(inner, 0, held);
    std::memcpy(block, &inner, sizeof inner);
    return block;
}

__attribute__((noinline)) bool build() {
    void* ignored = make_holder(32, 48);
    bool const accepted = leakguard::ignore(ignored);
    void* reported = make_holder(64, 80);
    reach::escape(ignored);
    reach::escape(reported);
    return accepted; // both dropped
}

} // namespace

int main() {
    bool const accepted = build();
    reach::scrub_stack();
    reach::say(accepted ? "reach_ignored: done\n" : "reach_ignored: ignore() refused\n");
    return accepted ? 0 : 1;
}
