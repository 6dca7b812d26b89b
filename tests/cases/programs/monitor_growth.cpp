// The monitor (docs/monitor.md): a program that runs for a while with a steady workload at two
// sites and one site that leaks a little all the time, under monitor_interval. test_monitor.cpp
// reads the monitor's file: the leaking site grows, the steady ones stay flat.
// argv[1] says what to do:
//   growth SECONDS      the workload for SECONDS (the monitor runs from LEAKGUARD_OPTIONS)
//   profile PATH        write_profile(PATH) twice, around three more leaked blocks
//   signal PATH         raise SIGUSR2 (dump_signal=SIGUSR2) and wait for PATH to gain a line
//   fork                the workload, a child that runs silently, a child that restarts the monitor
//   threads PATH        per-site counts across threads: blocks freed by their own thread and by
//                       another, threads that exit before the report, reports written meanwhile
//   mixed PATH          per-site counts of one thread's frees: 100 sites (more than a shard's table
//                       has slots), each with blocks from before counting began and after, freed
//                       interleaved
//   options             nothing but a short workload (the options are the test)
//   (none)              all of it briefly, the options set by the program itself, the reports to
//                       /dev/null: what the valgrind stage runs (tests/toolchain)
// Every leaked block is kept in a global list and freed at the end: the program has no leak at
// exit; what grows is "memory in use", as in a server whose cache never forgets.
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp)
#include <leakguard/leakguard.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <utility>
#include <vector>

namespace {

struct leaked {
    leaked* next;
    char payload[56];
};
leaked* g_kept = nullptr;

// One block more every call, kept (the "leak").
__attribute__((noinline)) void grow_cache() {
    leaked* l = new leaked;
    l->next = g_kept;
    g_kept = l;
}

// A block made and freed at once: live 0 or 1.
__attribute__((noinline)) void steady_pair() {
    char* volatile p = new char[32];
    delete[] p;
}

// A ring of 50 blocks, one replaced per call: live 50 or 51.
struct ring_entry {
    char bytes[100];
};
ring_entry* g_ring[50];
unsigned g_ring_next = 0;
__attribute__((noinline)) ring_entry* make_ring_entry() { return new ring_entry; }
__attribute__((noinline)) void steady_ring() {
    ring_entry* fresh = make_ring_entry();
    unsigned const i = g_ring_next++ % 50;
    delete g_ring[i];
    g_ring[i] = fresh;
}

void free_everything() {
    while (g_kept) {
        leaked* next = g_kept->next;
        delete g_kept;
        g_kept = next;
    }
    for (ring_entry*& e : g_ring) {
        delete e;
        e = nullptr;
    }
}

// The workload for `seconds`: steady work every millisecond, one leaked block every 40 ms.
void workload(double seconds) {
    for (ring_entry*& e : g_ring)
        if (!e) e = make_ring_entry();
    auto const start = std::chrono::steady_clock::now();
    auto next_leak = start;
    for (;;) {
        auto const now = std::chrono::steady_clock::now();
        if (std::chrono::duration<double>(now - start).count() >= seconds) break;
        steady_pair();
        steady_ring();
        if (now >= next_leak) {
            grow_cache();
            next_leak += std::chrono::milliseconds(40);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

// The threads mode's site: 48-byte blocks from one call path.
__attribute__((noinline)) char* counted_block() { return new char[48]; }

// Each of 4 workers makes `per_thread` blocks of counted_block(): frees the even ones itself and
// hands the odd ones to the next worker, which frees them (a free of another thread's block);
// every worker has exited before the last report. A reporter thread writes reports all the while.
// Printed: how many blocks were made, and by the main thread before counting began (one, freed by
// a worker: a free of a block older than counting).
void threads_mode(const char* path) {
    constexpr int workers = 4, per_thread = 2000;
    char* before = counted_block(); // allocated before counting began (no option set it on)
    leakguard::write_profile(path); // counting begins
    std::vector<std::vector<char*>> handed(workers);
    std::vector<std::thread> pool;
    std::vector<bool> made(workers, false);
    std::atomic<int> ready{0};
    std::atomic<bool> done{false};
    std::thread reporter([&] {
        while (!done.load()) {
            leakguard::write_profile(path);
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
    });
    for (int w = 0; w < workers; ++w)
        pool.emplace_back([&, w] {
            std::vector<char*> mine;
            for (int i = 0; i < per_thread; ++i) {
                char* p = counted_block();
                if (i % 2) mine.push_back(p);
                else delete[] p;
                if (i % 250 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1)); // reports meanwhile
            }
            handed[w] = std::move(mine);
            ready.fetch_add(1);
            while (ready.load() < workers) std::this_thread::yield();
            for (char* p : handed[(w + 1) % workers]) delete[] p; // another worker's blocks
            if (w == 0) delete[] before;
        });
    for (std::thread& t : pool) t.join();
    done.store(true);
    reporter.join();
    leakguard::write_profile(path);
    std::printf("threads: %d blocks, 1 before\n", workers * per_thread);
}

// The mixed mode's sites: one function each, 24-byte blocks.
template <int N>
__attribute__((noinline)) char* site_block() {
    return new char[24];
}
constexpr int mixed_sites = 100;
using site_fn = char* (*)();
template <int... N>
constexpr std::array<site_fn, sizeof...(N)> site_table(std::integer_sequence<int, N...>) {
    return {{&site_block<N>...}};
}

// Per site: 3 blocks allocated before counting began, 5 after, all 8 freed - an old one and a new
// one in turn, site after site, so that the sites take each other's slots in the shard's table all
// the while - and 2 more after that, alive at the last report. Each site's row should say
// allocations 7 (5 + 2), frees 8, live 2. Every block of a site comes from one line (a site is a
// whole call path): the phases are one loop.
void mixed_mode(const char* path) {
    constexpr auto sites = site_table(std::make_integer_sequence<int, mixed_sites>());
    constexpr int counts[3] = {3, 5, 2}; // before counting, since, alive at the end
    std::vector<char*> blocks[3][mixed_sites];
    for (auto& phase : blocks)
        for (std::vector<char*>& v : phase) v.reserve(5); // no vector's block among the frees counted
    for (int phase = 0; phase < 3; ++phase) {
        if (phase == 1) {
            leakguard::set_option("monitor_top", "0");
            leakguard::write_profile(path); // counting begins
        }
        for (int i = 0; i < mixed_sites; ++i)
            for (int k = 0; k < counts[phase]; ++k) blocks[phase][i].push_back(sites[i]());
        if (phase == 1)
            for (int k = 0; k < 5; ++k)
                for (int i = 0; i < mixed_sites; ++i) {
                    if (k < 3) delete[] blocks[0][i][k];
                    delete[] blocks[1][i][k];
                }
    }
    leakguard::write_profile(path);
    for (std::vector<char*>& v : blocks[2])
        for (char* p : v) delete[] p;
    std::printf("mixed: %d sites\n", mixed_sites);
}

std::size_t lines_in(const char* path) {
    std::ifstream in(path);
    std::size_t n = 0;
    std::string line;
    while (std::getline(in, line)) ++n;
    return n;
}

} // namespace

int main(int argc, char** argv) {
    std::string const mode = argc > 1 ? argv[1] : "";
    if (mode.empty()) {
        leakguard::set_options("monitor_interval=0.1:monitor_path=/dev/null:monitor_text=1:dump_signal=SIGUSR2");
        workload(0.5);
        std::raise(SIGUSR2);
        workload(0.3);
        bool const ok = leakguard::write_profile("/dev/null");
        std::printf("write_profile: %d\n", ok ? 1 : 0);
    } else if (mode == "growth") {
        workload(argc > 2 ? std::atof(argv[2]) : 3.0);
    } else if (mode == "profile" && argc > 2) {
        grow_cache();
        bool const first = leakguard::write_profile(argv[2]);
        for (int i = 0; i < 3; ++i) grow_cache();
        steady_pair();
        bool const second = leakguard::write_profile(argv[2]);
        std::printf("profile: %d %d\n", first ? 1 : 0, second ? 1 : 0);
    } else if (mode == "signal" && argc > 2) {
        grow_cache();
        std::size_t const before = lines_in(argv[2]);
        std::raise(SIGUSR2);
        bool grew = false;
        for (int i = 0; i < 1000 && !grew; ++i) { // up to 10 s (valgrind is slow)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
            grew = lines_in(argv[2]) > before;
        }
        std::printf("signal: %zu -> %zu\n", before, lines_in(argv[2]));
    } else if (mode == "threads" && argc > 2) {
        threads_mode(argv[2]);
    } else if (mode == "mixed" && argc > 2) {
        mixed_mode(argv[2]);
    } else if (mode == "fork") {
        workload(0.5);
        pid_t silent = ::fork();
        if (silent == 0) { // the child: no monitor unless asked for again
            workload(0.8);
            free_everything();
            std::printf("silent child %ld\n", static_cast<long>(::getpid()));
            std::fflush(stdout);
            ::_exit(0);
        }
        pid_t restarted = ::fork();
        if (restarted == 0) {
            leakguard::set_option("monitor_interval", "0.1");
            workload(0.8);
            free_everything();
            std::printf("restarted child %ld\n", static_cast<long>(::getpid()));
            std::fflush(stdout);
            ::_exit(0);
        }
        workload(0.5);
        int status = 0;
        ::waitpid(silent, &status, 0);
        int const silent_status = status;
        ::waitpid(restarted, &status, 0);
        std::printf("parent %ld children %ld %ld status %d %d\n", static_cast<long>(::getpid()),
                    static_cast<long>(silent), static_cast<long>(restarted), silent_status, status);
    } else {
        workload(0.3);
    }
    free_everything();
    return 0;
}
