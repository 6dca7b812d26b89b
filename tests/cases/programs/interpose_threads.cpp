// Threads while every C allocation of the process is leakguard's (LEAKGUARD_DETAIL_INTERPOSE_ALLOC=1
// in the shared implementation unit): four std::threads allocate with the C functions and the C
// library's own allocating calls (strdup, asprintf, realpath, stdio streams, directory streams)
// and hand half of their blocks to the next thread to free; each has a thread_local object whose
// destructor frees and allocates, and a pthread key whose destructor frees the thread's block
// and allocates again after leakguard has let go of the thread's shard (glibc runs the key
// destructors after the thread_local ones, and frees its own per-thread memory after both). The
// main thread uses iostreams and locales meanwhile. Every block of the marked sizes is freed by
// the end. Prints each failed check and "interpose_threads: N failures".
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp, built with the option)
#include <leakguard/leakguard.hpp>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <iomanip>
#include <iostream>
#include <locale>
#include <mutex>
#include <pthread.h>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {
std::atomic<int> g_failures{0};
void check(bool ok, const char* what) {
    if (!ok) {
        ++g_failures;
        std::printf("FAILED: %s\n", what);
    }
}

constexpr int kThreads = 4;
constexpr int kRounds = 1500;
// Sizes no other code of the process allocates: at the end, no live block has one.
constexpr std::size_t kMarked[] = {1237, 2473, 3709, 4943};

// Blocks handed from thread i to thread (i + 1) % kThreads, which frees them.
struct mailbox {
    std::mutex lock;
    std::vector<void*> blocks;
};
mailbox g_mail[kThreads];

struct tls_holder {
    char* text = nullptr;
    ~tls_holder() {
        std::free(text);
        void* again = std::malloc(kMarked[2]); // allocates and frees inside the thread's exit
        std::free(again);
    }
};
thread_local tls_holder t_holder;

pthread_key_t g_key;
std::atomic<int> g_key_destructors{0};
void key_destructor(void* value) {
    std::free(value);
    void* late = std::calloc(1, kMarked[3]); // after leakguard released this thread's shard
    std::free(late);
    ++g_key_destructors;
}

void worker(int id) {
    t_holder.text = strdup("thread-local text");
    pthread_setspecific(g_key, std::malloc(kMarked[1]));
    for (int round = 0; round < kRounds; ++round) {
        void* blocks[6] = {};
        blocks[0] = std::malloc(kMarked[0]);
        blocks[1] = std::calloc(3, 7);
        blocks[2] = strdup("a string from the C library");
        blocks[3] = std::realloc(std::malloc(10), 300);
        if (posix_memalign(&blocks[4], 64, 72) != 0) blocks[4] = nullptr;
        char* text = nullptr;
        if (asprintf(&text, "thread %d round %d", id, round) < 0) text = nullptr;
        blocks[5] = text;
        for (void* b : blocks) check(b != nullptr, "an allocation in a thread");
        check(reinterpret_cast<std::uintptr_t>(blocks[4]) % 64 == 0, "posix_memalign in a thread is aligned");
        // Half to the next thread, half freed here.
        {
            std::lock_guard<std::mutex> hold(g_mail[(id + 1) % kThreads].lock);
            for (int i = 0; i < 3; ++i) g_mail[(id + 1) % kThreads].blocks.push_back(blocks[i]);
        }
        for (int i = 3; i < 6; ++i) std::free(blocks[i]);
        std::vector<void*> incoming;
        {
            std::lock_guard<std::mutex> hold(g_mail[id].lock);
            incoming.swap(g_mail[id].blocks);
        }
        for (void* b : incoming) std::free(b);
        if (round % 100 == 0) {
            char* where = realpath(".", nullptr);
            check(where != nullptr, "realpath in a thread");
            std::free(where);
            FILE* f = std::fopen("/dev/null", "w");
            if (f) {
                std::fprintf(f, "%d\n", round);
                std::fclose(f);
            }
            DIR* d = opendir(".");
            if (d) {
                while (readdir(d)) {}
                closedir(d);
            }
        }
    }
}

// iostreams and locales in the main thread while the workers run.
void use_streams() {
    for (int i = 0; i < 200; ++i) {
        std::ostringstream out;
        out.imbue(std::locale::classic());
        out << std::setw(12) << i << ' ' << std::fixed << std::setprecision(3) << i / 7.0 << std::string(100, 'x');
        check(out.str().size() > 100, "an ostringstream");
        std::istringstream in(out.str());
        int back = -1;
        in >> back;
        check(back == i, "an istringstream");
    }
    std::locale named = std::locale::classic();
    try {
        named = std::locale("C.UTF-8");
    } catch (const std::exception&) { // not every C library has it: the classic one will do
    }
    std::wostringstream wide;
    wide.imbue(named);
    wide << L"wide " << 12345 << L" text";
    check(wide.str() == L"wide 12345 text", "a wide stream with a named locale");
    std::cout << "streams: " << std::use_facet<std::numpunct<char>>(named).decimal_point() << std::endl;
}
} // namespace

int main() {
    pthread_key_create(&g_key, key_destructor);
    // A block of a marked size is listed while it lives (so the check at the end can fail).
    void* probe = std::malloc(kMarked[0]);
    static leakguard::block_info blocks[16384];
    std::size_t n = leakguard::live_blocks(blocks, 16384);
    bool listed = false;
    for (std::size_t i = 0; i < n && i < 16384; ++i)
        listed = listed || (blocks[i].address == probe && blocks[i].size == kMarked[0] &&
                            blocks[i].kind == leakguard::block_kind::malloc);
    check(listed, "a marked block is listed while it lives");
    std::free(probe);
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) threads.emplace_back(worker, i);
    use_streams();
    for (std::thread& t : threads) t.join();
    for (mailbox& m : g_mail) { // what the last rounds sent after their receiver finished
        for (void* b : m.blocks) std::free(b);
        m.blocks.clear();
    }
    check(g_key_destructors == kThreads, "every key destructor ran");

    n = leakguard::live_blocks(blocks, 16384);
    check(n < 16384, "the live blocks fit the array");
    std::size_t marked = 0;
    for (std::size_t i = 0; i < n && i < 16384; ++i)
        for (std::size_t size : kMarked)
            if (blocks[i].size == size) ++marked;
    check(marked == 0, "every marked block was freed");
    check(leakguard::stats().allocations >= std::uint64_t(kThreads) * kRounds * 7,
          "the threads' allocations were counted");
    std::printf("interpose_threads: %d failures\n", g_failures.load());
    return g_failures == 0 ? 0 : 1;
}
