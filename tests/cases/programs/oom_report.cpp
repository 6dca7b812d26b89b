// The report when memory runs out (docs/limits.md): the program leaks (`exit` mode) or keeps alive
// inside a lost-only scope (`scope` mode) 200,000 blocks, then lowers its own address-space limit
// to just above what it uses, so that the leak check cannot get the memory it needs. The report
// must say it is incomplete and still fail the run; the scope must fail rather than pass.
#include <sys/resource.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include <leakguard/leakguard.hpp>

namespace {
constexpr int count = 200000;
char* volatile g_sink;
std::vector<char*>* g_kept; // reachable: the scope keeps its blocks alive through it

// Limits the address space to what the process maps now plus `margin` bytes.
void squeeze(std::size_t margin) {
    std::ifstream statm("/proc/self/statm");
    unsigned long pages = 0;
    statm >> pages;
    rlimit r;
    r.rlim_cur = r.rlim_max = pages * 4096ul + margin;
    if (setrlimit(RLIMIT_AS, &r) != 0) std::perror("setrlimit");
}
} // namespace

int main(int argc, char** argv) {
    bool const scope = argc > 1 && std::strcmp(argv[1], "scope") == 0;
    g_kept = new std::vector<char*>();
    g_kept->reserve(count);
    if (scope) {
        LEAKGUARD_LOSS_SCOPE("kept while memory runs out");
        for (int i = 0; i < count; ++i) g_kept->push_back(new char[16]);
        squeeze(std::size_t(1) << 20);
    } else {
        for (int i = 0; i < count; ++i) g_sink = new char[16];
        squeeze(std::size_t(1) << 20);
    }
    std::puts("oom_report: done");
    return 0;
}
