// Whole-program workloads without Google Benchmark, built as workload_ring_plain and
// workload_ring_tracked. Each run prints the process's user and system CPU time (getrusage,
// taken at the end of main after everything is freed) and its wall time.
//
//   workload_ring ring [N]   N allocations (default 20,000,000) into a ring of 4096 live blocks
//                            of random sizes 16-512: each step frees the oldest block (reading its
//                            first 8 bytes) and allocates a new one (writing its first 8 bytes)
//   workload_ring map [N]    N operations (default 4,000,000) on a std::map<int, std::string> of
//                            up to 65,536 keys: insert a random key with a random string of 0-47
//                            characters (about 2/3 of them allocate), or erase it if present
//   workload_ring pairs [N]  N bare `new`/`delete` pairs of 64 bytes (default 20,000,000)
//
// With --after_thread (last argument) a thread allocates one block and exits before the workload
// starts: leakguard then batches its live-byte counts per thread instead of making one atomic add
// per allocation and per free (which it does while only one thread has ever allocated).
#include <sys/resource.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "bench_common.hpp"

namespace {

double seconds(const timeval& tv) { return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) * 1e-6; }

std::uint64_t run_ring(std::uint64_t n) {
    constexpr std::size_t ring_size = 4096;
    bench::rng rng(42);
    std::vector<char*> ring(ring_size, nullptr);
    std::uint64_t sum = 0;
    std::size_t slot = 0;
    for (std::uint64_t i = 0; i < n; ++i) {
        char*& p = ring[slot];
        if (p) {
            std::uint64_t v;
            std::memcpy(&v, p, sizeof v);
            sum += v;
            delete[] p;
        }
        p = new char[rng.between(bench::min_block, bench::max_block)];
        std::memcpy(p, &i, sizeof i);
        slot = (slot + 1) & (ring_size - 1);
    }
    for (char* p : ring) delete[] p;
    return sum;
}

std::uint64_t run_map(std::uint64_t n) {
    bench::rng rng(7);
    std::map<int, std::string> m;
    std::uint64_t sum = 0;
    for (std::uint64_t i = 0; i < n; ++i) {
        int const key = static_cast<int>(rng.next() & 0xFFFF);
        auto it = m.find(key);
        if (it != m.end()) {
            sum += it->second.size();
            m.erase(it);
        } else {
            std::size_t const len = rng.between(0, 47);
            m.emplace(key, std::string(len, static_cast<char>('a' + len % 26)));
        }
    }
    return sum + m.size();
}

struct block64 {
    unsigned char bytes[64];
};

std::uint64_t run_pairs(std::uint64_t n) {
    std::uint64_t sum = 0;
    for (std::uint64_t i = 0; i < n; ++i) {
        block64* volatile p = new block64; // volatile: the pair must happen, in both builds
        sum += reinterpret_cast<std::uintptr_t>(static_cast<block64*>(p)) & 0xFF;
        delete p;
    }
    return sum;
}

} // namespace

int main(int argc, char** argv) {
    bool after_thread = false;
    if (argc > 1 && std::strcmp(argv[argc - 1], "--after_thread") == 0) {
        after_thread = true;
        --argc;
    }
    const char* const mode = argc > 1 ? argv[1] : "ring";
    std::uint64_t n = 0;
    if (argc > 2) n = std::strtoull(argv[2], nullptr, 10);
    if (after_thread) {
        std::thread([] {
            int* volatile p = new int(1);
            delete p;
        }).join();
    }
    auto const start = std::chrono::steady_clock::now();
    std::uint64_t sum = 0;
    if (std::strcmp(mode, "ring") == 0) {
        sum = run_ring(n ? n : 20000000);
    } else if (std::strcmp(mode, "map") == 0) {
        sum = run_map(n ? n : 4000000);
    } else if (std::strcmp(mode, "pairs") == 0) {
        sum = run_pairs(n ? n : 20000000);
    } else {
        std::fprintf(stderr, "usage: %s ring|map|pairs [N] [--after_thread]\n", argv[0]);
        return 2;
    }
    double const wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    std::printf("mode=%s%s user_s=%.6f sys_s=%.6f wall_s=%.6f checksum=%llu\n", mode,
                after_thread ? " after_thread=1" : "", seconds(ru.ru_utime),
                seconds(ru.ru_stime), wall, static_cast<unsigned long long>(sum));
    return 0;
}
