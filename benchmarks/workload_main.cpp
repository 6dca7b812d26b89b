// main() of the whole-program workloads, in every build but CppUTest's (workload_cpputest.cpp):
//
//   workloads_<build> NAME [N] [--after_thread]    run workload NAME (N: its size, see workloads.cpp)
//   workloads_<build> --list                       the workloads' names, one a line
//
// Prints one line: the workload, its size, its checksum, and the process's user/system CPU time
// (getrusage, at the end of main, everything freed) and wall time of the workload. With
// --after_thread a thread allocates one block and exits first: leakguard then batches its
// live-byte counts per thread instead of one atomic add per allocation and per free.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "workloads.hpp"

namespace {
double seconds(const timeval& tv) { return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) * 1e-6; }
} // namespace

int main(int argc, char** argv) {
    bool after_thread = false;
    if (argc > 1 && std::strcmp(argv[argc - 1], "--after_thread") == 0) {
        after_thread = true;
        --argc;
    }
    if (argc > 1 && std::strcmp(argv[1], "--list") == 0) {
        std::size_t count = 0;
        const workloads::workload* all = workloads::all(count);
        for (std::size_t i = 0; i < count; ++i) std::printf("%s\n", all[i].name);
        return 0;
    }
    const workloads::workload* w = argc > 1 ? workloads::find(argv[1]) : nullptr;
    if (!w) {
        std::fprintf(stderr, "usage: %s NAME [N] [--after_thread] | --list\n", argv[0]);
        return 2;
    }
    std::uint64_t const n = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : w->default_n;
    if (after_thread) {
        std::thread([] {
            int* volatile p = new int(1);
            delete p;
        }).join();
    }
    auto const start = std::chrono::steady_clock::now();
    std::uint64_t const sum = w->run(n);
    double const wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    std::printf("workload=%s n=%llu%s user_s=%.6f sys_s=%.6f wall_s=%.6f checksum=%llu\n", w->name,
                static_cast<unsigned long long>(n), after_thread ? " after_thread=1" : "", seconds(ru.ru_utime),
                seconds(ru.ru_stime), wall, static_cast<unsigned long long>(sum));
    return 0;
}
