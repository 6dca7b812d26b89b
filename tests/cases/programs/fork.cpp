// fork() while other threads allocate: leakguard's atfork handlers must leave the child with free
// locks and consistent lists whatever the other threads held at that instant. Two threads churn
// allocations in a tight loop while the main thread forks 50 times; each child allocates, frees,
// checks a scope and _exit(0)s. A child that does not finish within 5 s is a deadlock: gdb (when
// installed) prints its threads' stacks on stderr, it is killed and the exit status becomes 1. No
// leaks at exit. Under valgrind (whose serialised threads and JIT make each child take seconds on a
// loaded machine) it forks 10 times with a 120 s limit.
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp)
#include <leakguard/leakguard.hpp>

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <cstdio>
#include <ctime>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

std::atomic<bool> g_stop{false};

void churn(int id) {
    std::vector<std::string*> held;
    while (!g_stop.load(std::memory_order_relaxed)) {
        held.push_back(new std::string(static_cast<std::size_t>(30 + id), 'c'));
        if (held.size() > 32) {
            for (std::string* s : held) delete s;
            held.clear();
        }
    }
    for (std::string* s : held) delete s;
}

// What a child does: allocate and free through the tracker, and check a scope (which walks every
// shard, including those of the threads that do not exist in the child). Status 0 when all is well.
int child_work() {
    leakguard::scope scope(__FILE__, __LINE__, "child");
    {
        for (int i = 0; i < 10; ++i) {
            int* p = new int[16];
            delete[] p;
        }
        std::vector<std::string> v(20, std::string(40, 'k'));
        if (v.size() != 20) return 2;
    }
    return scope.check() ? 0 : 3;
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
            // Where it is stuck, for whoever reads the failure (when gdb is installed).
            char command[160];
            std::snprintf(command, sizeof command,
                          "command -v gdb >/dev/null && gdb -batch -p %d -ex 'thread apply all bt' 1>&2",
                          static_cast<int>(pid));
            if (std::system(command) != 0) std::fputs("(no gdb backtrace)\n", stderr);
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
    int const forks = slow ? 10 : 50;
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
    std::printf("fork: %s (%d children)\n", bad ? "FAILED" : "ok", forks);
    return bad;
}
