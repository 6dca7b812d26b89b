// Whole-program workloads: code shaped like real programs, allocating through operator new.
// workloads.cpp defines them; workload_main.cpp (every build but CppUTest's) and
// workload_cpputest.cpp (CppUTest's leak detector around the same function) run one by name.
// None of them leaks: every block is freed before the function returns.
#ifndef LEAKGUARD_BENCH_WORKLOADS_HPP_INCLUDED
#define LEAKGUARD_BENCH_WORKLOADS_HPP_INCLUDED

#include <cstddef>
#include <cstdint>

namespace workloads {

struct workload {
    const char* name;
    std::uint64_t default_n;               // sized for about 1 s of plain CPU on a 2.5 GHz Xeon
    std::uint64_t (*run)(std::uint64_t n); // returns a checksum (the same in every build)
    bool threaded;                         // starts threads
    const char* what;
};

// All workloads, in the order the tables list them; `count` receives their number.
const workload* all(std::size_t& count);
// The workload called `name`, or nullptr.
const workload* find(const char* name);

} // namespace workloads

#endif
