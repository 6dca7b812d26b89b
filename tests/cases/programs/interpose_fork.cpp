// fork() while other threads allocate through the C functions, with every C allocation of the
// process leakguard's (LEAKGUARD_DETAIL_INTERPOSE_ALLOC=1 in the shared implementation unit): two
// threads churn malloc/calloc/strdup/realloc/posix_memalign/free while the main thread forks 30
// times; each child allocates and frees with the C functions and the C library's own allocating
// calls, checks that its blocks are counted and listed, and _exit()s with the number of failed
// checks. A child that does not finish within 5 s (120 s under valgrind) is a deadlock: it is
// killed. Prints "interpose_fork: ok (N children)" or what went wrong.
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp, built with the option)
#include <leakguard/leakguard.hpp>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace {

std::atomic<bool> g_stop{false};

void churn(int id) {
    void* held[16] = {};
    unsigned n = 0;
    while (!g_stop.load(std::memory_order_relaxed)) {
        void*& slot = held[n++ % 16];
        std::free(slot);
        switch (n % 5) {
        case 0: slot = std::malloc(24 + static_cast<std::size_t>(id)); break;
        case 1: slot = std::calloc(4, 9); break;
        case 2: slot = strdup("churned"); break;
        case 3: slot = std::realloc(std::malloc(8), 200); break;
        default:
            if (posix_memalign(&slot, 128, 40) != 0) slot = nullptr;
        }
    }
    for (void* p : held) std::free(p);
}

// What a child does; returns the number of failed checks.
int child_work() {
    int failures = 0;
    unsigned long long const before = leakguard::stats().allocations;
    void* a = std::malloc(100);
    char* b = strdup("in the child");
    void* c = nullptr;
    if (posix_memalign(&c, 256, 10) != 0) c = nullptr;
    char* d = nullptr;
    if (asprintf(&d, "child %d", static_cast<int>(getpid())) < 0) d = nullptr;
    if (!a || !b || !c || !d) ++failures;
    if (leakguard::stats().allocations - before < 4) ++failures;
    static leakguard::block_info blocks[4096];
    std::size_t const n = leakguard::live_blocks(blocks, 4096);
    bool listed = false;
    for (std::size_t i = 0; i < n && i < 4096; ++i)
        listed = listed || (blocks[i].address == c && blocks[i].kind == leakguard::block_kind::posix_memalign);
    if (!listed) ++failures;
    std::free(a);
    std::free(b);
    std::free(c);
    std::free(d);
    return failures;
}

double now() {
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Waits up to `timeout` seconds; returns the child's exit status, or -1 (killed) on timeout.
int wait_with_timeout(pid_t pid, double timeout) {
    double const deadline = now() + timeout;
    for (;;) {
        int status = 0;
        pid_t const r = waitpid(pid, &status, WNOHANG);
        if (r == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        if (r < 0) return -2;
        if (now() > deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            return -1;
        }
        usleep(1000);
    }
}

// valgrind starts its client with its preload library in LD_PRELOAD.
bool under_valgrind() {
    const char* preload = std::getenv("LD_PRELOAD");
    return preload && std::strstr(preload, "vgpreload");
}

} // namespace

int main() {
    bool const slow = under_valgrind();
    int const forks = slow ? 10 : 30;
    double const timeout = slow ? 120.0 : 5.0;
    std::thread a(churn, 0), b(churn, 1);
    int bad = 0;
    for (int i = 0; i < forks; ++i) {
        pid_t const pid = fork();
        if (pid < 0) {
            std::perror("fork");
            bad = 1;
            break;
        }
        if (pid == 0) _exit(child_work());
        int const status = wait_with_timeout(pid, timeout);
        if (status != 0) {
            std::printf("child %d: %s %d\n", i, status == -1 ? "DEADLOCK (killed after the time limit), status" : "status", status);
            bad = 1;
        }
    }
    g_stop = true;
    a.join();
    b.join();
    std::printf("interpose_fork: %s (%d children)\n", bad ? "FAILED" : "ok", forks);
    return bad;
}
