// exit() from a signal handler that may have interrupted leakguard. The report must never wait on
// the interrupted thread (itself): it is the full report when the signal landed outside leakguard,
// a report that says it is incomplete when it landed inside.
//
//   signal_exit churn THREADS   new/delete and malloc/free in a loop on the main thread (and THREADS
//                               more); a timer's handler calls exit(0) some 20-40 ms in
//   signal_exit held_lock       the handler runs while this thread holds one of leakguard's locks
//   signal_exit owner_section   ... while this thread is inside its own shard's list section
// Each mode leaks one block first (definitely lost), so a full report exits 23.
#define LEAKGUARD_MAIN
#include <leakguard/leakguard.hpp>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <pthread.h>
#include <string>
#include <sys/time.h>
#include <unistd.h>
#include <vector>

static void on_signal(int) { std::exit(0); }

static char* volatile g_block;

__attribute__((noinline)) static void leak_one() {
    g_block = new char[10];
    g_block = nullptr;
}

static void* churn(void*) {
    for (;;) {
        std::vector<std::string> v;
        for (int i = 0; i < 64; ++i) v.emplace_back(std::string(40 + i, 'x'));
        void* p = std::malloc(100);
        std::free(p);
    }
    return nullptr;
}

int main(int argc, char** argv) {
    const char* mode = argc > 1 ? argv[1] : "churn";
    leak_one();
    std::signal(SIGALRM, on_signal);
    std::signal(SIGUSR1, on_signal);
    if (std::strcmp(mode, "churn") == 0) {
        int const threads = argc > 2 ? std::atoi(argv[2]) : 0;
        itimerval t{};
        t.it_value.tv_usec = 20000 + (getpid() % 20) * 1000; // a different moment in each run
        setitimer(ITIMER_REAL, &t, nullptr);
        for (int i = 0; i < threads; ++i) {
            pthread_t th;
            pthread_create(&th, nullptr, churn, nullptr);
        }
        churn(nullptr);
    } else if (std::strcmp(mode, "held_lock") == 0) {
        leakguard::detail::g_errors.lock.lock(); // as inside the recording of a heap error
        std::raise(SIGUSR1);
    } else if (std::strcmp(mode, "owner_section") == 0) {
        delete new int(1); // this thread has a home shard now
        leakguard::detail::t_state.home->owner_busy.store(1); // as between the two stores of a list change
        std::raise(SIGUSR1);
    }
    std::puts("not reached");
    return 1;
}
