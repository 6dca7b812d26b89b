// Four threads churn allocations and hand blocks to each other through a shared queue, so most
// blocks are freed by a thread other than the one that allocated them (cross-shard frees).
// Thread 0 also leaks kLeaks blocks of kLeakSize bytes: exactly those must be reported, and
// allocations - frees must equal kLeaks (no lost or doubled count in cross-thread frees).
#ifdef LEAKGUARD_CASE_TRACKED
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp)
#include <leakguard/leakguard.hpp>
#endif

#include <cstdio>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

namespace {

constexpr int kThreads = 4;
constexpr int kRounds = 2000; // small: the plain build runs under valgrind too
constexpr int kLeaks = 7;     // keep in sync with the driver
constexpr int kLeakSize = 24; // keep in sync with the driver

std::mutex g_lock;
std::deque<char*> g_queue;

void worker(int id) {
    for (int i = 0; i < kRounds; ++i) {
        char* mine = new char[16 + static_cast<unsigned>((i * 7 + id) % 100)];
        mine[0] = static_cast<char>(id);
        char* theirs = nullptr;
        {
            std::lock_guard<std::mutex> hold(g_lock);
            g_queue.push_back(mine);
            // Take the oldest block: usually another thread's.
            if (g_queue.size() > 8) {
                theirs = g_queue.front();
                g_queue.pop_front();
            }
        }
        delete[] theirs;
        // The deliberate leaks, spread through the churn and dropped at once.
        if (id == 0 && i % 100 == 0 && i / 100 < kLeaks) new char[kLeakSize];
    }
}

} // namespace

int main() {
    std::vector<std::thread> threads;
    for (int id = 0; id < kThreads; ++id) threads.emplace_back(worker, id);
    for (auto& t : threads) t.join();
    for (char* p : g_queue) delete[] p;
    g_queue.clear();
    std::printf("threads: done\n");
    return 0;
}
