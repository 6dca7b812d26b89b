// See process.hpp. posix_spawn rather than fork+exec: nothing of the driver runs in the child
// between the two. Output goes to files, not pipes, so a chatty child can never block on a full
// pipe while the driver polls for its exit.
#include "process.hpp"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <spawn.h>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace cases {

temp_dir::temp_dir() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base && *base ? base : "/tmp") + "/leakguard-cases-XXXXXX";
    std::vector<char> buf(pattern.begin(), pattern.end());
    buf.push_back('\0');
    if (!::mkdtemp(buf.data())) throw std::runtime_error("mkdtemp failed: " + std::string(std::strerror(errno)));
    path_ = buf.data();
}

temp_dir::~temp_dir() {
    if (std::getenv("LEAKGUARD_CASES_KEEP")) return;
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

std::string process_result::status_text() const {
    if (timed_out) return "timed out (killed)";
    if (signal) return "killed by signal " + std::to_string(signal);
    return "exit " + std::to_string(exit_code);
}

namespace {

std::string env_name(const std::string& entry) { return entry.substr(0, entry.find('=')); }

std::vector<std::string> child_environment(const std::vector<std::string>& overrides) {
    std::vector<std::string> result;
    for (char** e = environ; *e; ++e) {
        std::string const entry = *e;
        std::string const name = env_name(entry);
        bool replaced = name == "LEAKGUARD_OPTIONS";
        for (const std::string& o : overrides) replaced = replaced || env_name(o) == name;
        if (!replaced) result.push_back(entry);
    }
    result.insert(result.end(), overrides.begin(), overrides.end());
    return result;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
    std::vector<char*> result;
    for (std::string& s : strings) result.push_back(&s[0]);
    result.push_back(nullptr);
    return result;
}

} // namespace

process_result run_process(const std::vector<std::string>& argv_in, const std::vector<std::string>& env,
                           const std::string& capture_dir, double timeout_s) {
    std::vector<std::string> argv = argv_in;
    std::vector<std::string> envp = child_environment(env);
    std::vector<char*> argv_c = c_strings(argv);
    std::vector<char*> envp_c = c_strings(envp);
    std::string const out_path = capture_dir + "/stdout.txt";
    std::string const err_path = capture_dir + "/stderr.txt";

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    // Its own process group, so that a timeout also kills any children it forked.
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);

    pid_t pid = 0;
    int const rc = posix_spawn(&pid, argv_c[0], &actions, &attr, argv_c.data(), envp_c.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) throw std::runtime_error("cannot run " + argv[0] + ": " + std::strerror(rc));

    process_result result;
    result.pid = pid;
    auto const deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
    int status = 0;
    for (;;) {
        pid_t const r = ::waitpid(pid, &status, WNOHANG);
        if (r == pid) break;
        if (r < 0 && errno != EINTR) throw std::runtime_error("waitpid failed: " + std::string(std::strerror(errno)));
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(-pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            result.timed_out = true;
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (!result.timed_out) {
        if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
        else if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
    }
    // Children the case forked (and did not wait for) must not outlive the check.
    ::kill(-pid, SIGKILL);
    result.out = read_file(out_path);
    result.err = read_file(err_path);
    return result;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

bool file_exists(const std::string& path) { return ::access(path.c_str(), F_OK) == 0; }

std::string program_on_path(const std::string& name) {
    char const* path = std::getenv("PATH");
    std::istringstream dirs(path ? path : "");
    for (std::string dir; std::getline(dirs, dir, ':');) {
        std::string const candidate = (dir.empty() ? std::string(".") : dir) + "/" + name;
        if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    return "";
}

std::vector<std::string> lines_containing(const std::string& text, const std::string& needle) {
    std::vector<std::string> result;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (line.find(needle) != std::string::npos) result.push_back(line);
    return result;
}

} // namespace cases
