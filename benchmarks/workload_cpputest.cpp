// The same workloads run as one CppUTest test, with CppUTest's leak detector on: linking
// libCppUTest replaces the global operator new/delete with its tracking ones, and
// CommandLineTestRunner installs MemoryLeakWarningPlugin, which checks the test for leaks.
//
//   workloads_cpputest NAME [N]
//
// Threaded workloads switch to CppUTest's thread-safe overloads (a global mutex around its
// tracking); the default ones take no lock and corrupt their lists under concurrent use.
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <CppUTest/CommandLineTestRunner.h>
#include <CppUTest/MemoryLeakWarningPlugin.h>
#include <CppUTest/TestHarness.h>

#include "workloads.hpp"

namespace {
const workloads::workload* g_workload = nullptr;
std::uint64_t g_n = 0;
std::uint64_t g_checksum = 0;
} // namespace

TEST_GROUP(workloads){};

TEST(workloads, run) { g_checksum = g_workload->run(g_n); }

int main(int argc, char** argv) {
    g_workload = argc > 1 ? workloads::find(argv[1]) : nullptr;
    if (!g_workload) {
        std::fprintf(stderr, "usage: %s NAME [N]\n", argv[0]);
        return 2;
    }
    g_n = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : g_workload->default_n;
    if (g_workload->threaded) MemoryLeakWarningPlugin::turnOnThreadSafeNewDeleteOverloads();
    const char* runner_args[] = {argv[0]};
    int const failures = CommandLineTestRunner::RunAllTests(1, runner_args);
    std::printf("workload=%s n=%llu checksum=%llu failures=%d\n", g_workload->name,
                static_cast<unsigned long long>(g_n), static_cast<unsigned long long>(g_checksum), failures);
    return failures ? 1 : 0;
}
