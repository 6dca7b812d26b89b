// The report stream under change (issue 15): `race DIR` - one thread writes reports while another
// switches log_path between two files and a third writes files of the program's own; no report
// text may land in the program's files (a descriptor closed under a report and reused by the
// program would put it there). `fork DIR` - with log_path=DIR/log-%p.txt the parent writes a
// report, forks, and the child leaks and exits: the child's report goes to its own file.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <thread>

#include <leakguard/leakguard.hpp>

namespace {
char* volatile g_sink;
constexpr int rounds = 200;

// Lost on return (no global keeps them): each process's report names its own.
__attribute__((noinline)) void child_only_leak() {
    char* volatile p = new char[24];
    (void)p;
}
__attribute__((noinline)) void parent_leak() {
    char* volatile p = new char[32];
    (void)p;
}

bool own_files_clean(const std::string& dir) {
    static const char text[] = "the program's own line\n";
    for (int i = 0; i < rounds; ++i) {
        std::string const path = dir + "/own-" + std::to_string(i) + ".txt";
        int const fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0) return false;
        if (::write(fd, text, sizeof text - 1) != static_cast<ssize_t>(sizeof text - 1)) return false;
        ::close(fd);
    }
    char buf[256];
    for (int i = 0; i < rounds; ++i) {
        std::string const path = dir + "/own-" + std::to_string(i) + ".txt";
        int const fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) return false;
        ssize_t const n = ::read(fd, buf, sizeof buf);
        ::close(fd);
        if (n != static_cast<ssize_t>(sizeof text - 1) || std::memcmp(buf, text, sizeof text - 1) != 0) {
            std::printf("own file %d changed\n", i);
            return false;
        }
    }
    return true;
}
} // namespace

int main(int argc, char** argv) {
    if (argc < 3) return 2;
    std::string const dir = argv[2];
    g_sink = new char[16]; // something for every report to list
    if (std::strcmp(argv[1], "race") == 0) {
        bool clean = true;
        std::thread reporter([] {
            for (int i = 0; i < rounds; ++i) leakguard::report_now();
        });
        std::thread switcher([&dir] {
            for (int i = 0; i < rounds; ++i)
                leakguard::set_option("log_path", (dir + (i % 2 ? "/log-a.txt" : "/log-b.txt")).c_str());
        });
        std::thread writer([&] { clean = own_files_clean(dir); });
        reporter.join();
        switcher.join();
        writer.join();
        std::puts(clean ? "own files clean" : "own files changed");
        return 0;
    }
    parent_leak();
    leakguard::report_now(); // the parent's log is open before the fork
    pid_t const child = ::fork();
    if (child == 0) {
        child_only_leak();
        return 0;
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    std::printf("parent %ld child %ld\n", static_cast<long>(::getpid()), static_cast<long>(child));
    return 0;
}
