// break_on_alloc=N raises SIGTRAP inside allocation number N: the program finds the sequence
// number of one block, asks for a break two allocations later, and records the signal.
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp)
#include <leakguard/leakguard.hpp>

#include <csignal>
#include <cstdio>
#include <string>

namespace {
volatile std::sig_atomic_t g_traps = 0;
extern "C" void on_trap(int) { g_traps = g_traps + 1; }
} // namespace

int main() {
    std::signal(SIGTRAP, on_trap);
    int* first = new int(1);
    leakguard::block_info info[64];
    std::size_t const n = leakguard::live_blocks(info, 64);
    unsigned long long seq = 0;
    for (std::size_t i = 0; i < n && i < 64; ++i)
        if (info[i].address == first) seq = info[i].seq;
    leakguard::set_option("break_on_alloc", std::to_string(seq + 2).c_str());
    int* second = new int(2); // seq + 1: no trap
    int const before = g_traps;
    int* third = new int(3); // seq + 2: the trap
    int const after = g_traps;
    std::printf("break_on_alloc: %llu %d %d\n", seq, before, after);
    delete first;
    delete second;
    delete third;
    return 0;
}
