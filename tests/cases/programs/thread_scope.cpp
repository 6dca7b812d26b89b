// LEAKGUARD_THREAD_SCOPE counts only the blocks its own thread allocates. While both kinds of
// scope are open, another thread allocates a block and keeps it: the plain scope ("all") must fail
// with exactly that block, the thread scope ("mine") must pass. The main thread's own allocations
// inside the scopes are freed in time. Two explicit scopes of the same kinds print their counts
// (leaked_blocks() queries) before being dismissed, so a failure shows the numbers.
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp)
#include <leakguard/leakguard.hpp>

#include <cstdio>
#include <string>
#include <thread>

namespace {
long* g_other_threads_block = nullptr;
}

int main() {
    {
        LEAKGUARD_SCOPE("all");
        leakguard::scope query_all(__FILE__, __LINE__, "query_all");
        {
            LEAKGUARD_THREAD_SCOPE("mine");
            leakguard::scope query_mine(__FILE__, __LINE__, "query_mine", leakguard::scope::this_thread);
            std::string local(100, 'm'); // the main thread's own block, alive but freed in time
            std::thread other([] { g_other_threads_block = new long(5); });
            other.join();
            std::printf("while open: mine=%zu all=%zu (local string counted: 1 each)\n",
                        query_mine.leaked_blocks(), query_all.leaked_blocks());
            query_mine.dismiss();
        } // "mine" passes: the long belongs to the other thread
        std::printf("after mine: all=%zu\n", query_all.leaked_blocks());
        query_all.dismiss();
    } // "all" fails: 1 block, sizeof(long) bytes
    std::printf("scope_failures=%zu\n", leakguard::scope_failures());
    delete g_other_threads_block; // nothing at exit: the scope failure alone sets the status
    return 0;
}
