// pthread_cancel of a thread while it is inside leakguard (issue 15): one thread calls
// report_now() in a loop (the report reads /proc and writes files: cancellation points), another
// ends failing scopes in a loop (each failure is printed). Both are cancelled and joined: neither
// may end the process through std::terminate, and the exit report still runs.
#include <pthread.h>
#include <unistd.h>

#include <cstdio>

#include <leakguard/leakguard.hpp>

namespace {
char* volatile g_sink;

// leakguard holds a cancellation off while it runs; it acts at the thread's next cancellation
// point, pthread_testcancel here.
void* reporter(void*) {
    for (;;) {
        leakguard::report_now();
        pthread_testcancel();
    }
}

void* scoper(void*) {
    for (;;) {
        LEAKGUARD_SCOPE("cancelled");
        g_sink = new char[8]; // the scope's leak
        pthread_testcancel();
    }
}

bool cancel_after(void* (*body)(void*), useconds_t delay) {
    pthread_t t;
    if (pthread_create(&t, nullptr, body, nullptr) != 0) return false;
    usleep(delay);
    pthread_cancel(t);
    void* result = nullptr;
    pthread_join(t, &result);
    return result == PTHREAD_CANCELED;
}
} // namespace

int main() {
    g_sink = new char[16]; // a leak of main's, for the exit report
    bool const a = cancel_after(reporter, 100000);
    bool const b = cancel_after(scoper, 100000);
    std::printf("cancelled: reporter %s, scoper %s\n", a ? "yes" : "no", b ? "yes" : "no");
    return 0;
}
