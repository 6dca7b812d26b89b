// set_option / set_options: known keys with good values are accepted; unknown keys, bad values and
// pairs without '=' are refused (with a one-line warning on stderr, expected in the test log).
// The keys, ranges and defaults come from the options table (leakguard::option_at), which
// docs/options.md must list as it is. Every test leaves the options at the table's defaults.
#include <doctest/doctest.h>

#include "support.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {
// Puts back the defaults whatever a test changed, even if a CHECK failed halfway.
struct restore_defaults {
    restore_defaults() = default;
    restore_defaults(const restore_defaults&) = delete;
    restore_defaults& operator=(const restore_defaults&) = delete;
    ~restore_defaults() {
        leakguard::option_info info;
        for (std::size_t i = 0; leakguard::option_at(i, info); ++i)
            leakguard::set_option(info.name, info.default_value);
    }
};

std::vector<leakguard::option_info> option_table() {
    std::vector<leakguard::option_info> table;
    leakguard::option_info info;
    for (std::size_t i = 0; leakguard::option_at(i, info); ++i) table.push_back(info);
    return table;
}

// A number option's values are "0-max": max, or 0 when the option takes no numbers.
unsigned long long number_max(const leakguard::option_info& o) {
    if (std::strncmp(o.values, "0-", 2) != 0) return 0;
    return std::strtoull(o.values + 2, nullptr, 10);
}
bool is_number(const leakguard::option_info& o) { return std::strncmp(o.values, "0-", 2) == 0; }
bool is_path(const leakguard::option_info& o) { return std::strcmp(o.values, "path") == 0; }
bool is_signal(const leakguard::option_info& o) { return std::strcmp(o.values, "signal") == 0; }

// A choice option's names ("full|summary|off").
std::vector<std::string> choices(const leakguard::option_info& o) {
    std::vector<std::string> names;
    std::string const all = o.values;
    std::size_t start = 0;
    for (;;) {
        std::size_t const bar = all.find('|', start);
        names.push_back(all.substr(start, bar - start));
        if (bar == std::string::npos) return names;
        start = bar + 1;
    }
}
// Runs f() with file descriptor 2 sent to a temporary file; returns what was written there.
template <class F>
std::string capture_stderr(F f) {
    char path[] = "/tmp/leakguard-unit-stderr-XXXXXX";
    int const fd = ::mkstemp(path);
    if (fd < 0) return "mkstemp failed";
    std::fflush(stderr);
    int const saved = ::dup(2);
    ::dup2(fd, 2);
    f();
    ::dup2(saved, 2);
    ::close(saved);
    ::close(fd);
    std::ifstream in(path);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::remove(path);
    return text;
}
} // namespace

TEST_CASE("the options table has every key once, each with a help line") {
    std::vector<leakguard::option_info> const table = option_table();
    REQUIRE_FALSE(table.empty());
    for (std::size_t i = 0; i < table.size(); ++i) {
        INFO("option " << std::string(table[i].name));
        CHECK(std::strlen(table[i].help) > 0);
        for (std::size_t j = 0; j < i; ++j) CHECK(std::strcmp(table[i].name, table[j].name) != 0);
    }
}

TEST_CASE("set_option accepts every known key with its default and the ends of its range") {
    restore_defaults restore;
    for (leakguard::option_info const& o : option_table()) {
        INFO("option " << std::string(o.name));
        CHECK(leakguard::set_option(o.name, o.default_value));
        if (is_number(o)) {
            CHECK(leakguard::set_option(o.name, "0"));
            CHECK(leakguard::set_option(o.name, std::to_string(number_max(o)).c_str()));
        } else if (is_path(o)) {
            CHECK(leakguard::set_option(o.name, "/dev/null"));
            CHECK(leakguard::set_option(o.name, ""));
        } else if (is_signal(o)) {
            for (const char* name : {"SIGUSR2", "USR1", "12", "none", "0"}) CHECK(leakguard::set_option(o.name, name));
        } else {
            for (std::string const& name : choices(o)) CHECK(leakguard::set_option(o.name, name.c_str()));
        }
        CHECK(leakguard::set_option(o.name, o.default_value));
    }
}

TEST_CASE("monitor_interval takes fractions of a second; dump_signal names and numbers") {
    restore_defaults restore;
    for (const char* good : {"0.25", ".5", "2.", "0.000001", "86400", "86400.0"})
        CHECK_MESSAGE(leakguard::set_option("monitor_interval", good), good);
    leakguard::set_option("monitor_interval", "0");
    for (const char* bad : {"0.0000001", "86400.5", "86401", ".", "1.2.3", "1e3", "-0.5", " 1", "1 "})
        CHECK_FALSE_MESSAGE(leakguard::set_option("monitor_interval", bad), bad);
    for (const char* bad : {"SIGKILL", "SIGSTOP", "SIGSEGV", "9", "65", "SIGFOO", "sigusr2", "signal"})
        CHECK_FALSE_MESSAGE(leakguard::set_option("dump_signal", bad), bad);
}

// For ThreadSanitizer (and the unit binary's own leak check at exit): the monitor thread's reports
// every 5 ms (walks of every shard, their counted frees added up) against threads that allocate
// and free, blocks freed by a thread that did not allocate them, and threads that exit; then
// set_option stops it (the thread joined, counting off).
TEST_CASE("the monitor started and stopped by set_option while threads allocate and free") {
    restore_defaults restore;
    CHECK(leakguard::set_option("monitor_path", "/dev/null"));
    CHECK(leakguard::set_option("monitor_interval", "0.005"));
    std::atomic<bool> stop{false};
    std::vector<std::thread> pool;
    for (int w = 0; w < 4; ++w)
        pool.emplace_back([&stop] {
            for (int round = 0; !stop.load() && round < 2000; ++round) {
                std::vector<int*> mine;
                for (int i = 0; i < 32; ++i) mine.push_back(new int(i));
                for (int i = 0; i < 32; i += 2) delete mine[static_cast<std::size_t>(i)];
                for (int i = 1; i < 32; i += 2) delete mine[static_cast<std::size_t>(i)];
            }
        });
    std::this_thread::sleep_for(std::chrono::milliseconds(60));
    // Blocks made here and freed by short-lived threads: frees of another thread's blocks.
    for (int k = 0; k < 20; ++k) {
        std::vector<int*> blocks;
        for (int i = 0; i < 16; ++i) blocks.push_back(new int(i));
        std::thread([&blocks] {
            for (int* p : blocks) delete p;
        }).join();
    }
    stop.store(true);
    for (std::thread& t : pool) t.join();
    CHECK(leakguard::set_option("monitor_interval", "0"));
}

TEST_CASE("set_option refuses unknown keys and bad values") {
    restore_defaults restore;
    CHECK_FALSE(leakguard::set_option("no_such_option", "1"));
    CHECK_FALSE(leakguard::set_option("exitcode", "256"));
    CHECK_FALSE(leakguard::set_option("exitcode", "-1"));
    CHECK_FALSE(leakguard::set_option("exitcode", "abc"));
    CHECK_FALSE(leakguard::set_option("exitcode", "23x"));
    CHECK_FALSE(leakguard::set_option("exitcode", ""));
    CHECK_FALSE(leakguard::set_option("report", "loud"));
    CHECK_FALSE(leakguard::set_option("report", ""));
    CHECK_FALSE(leakguard::set_option(nullptr, "1"));
    CHECK_FALSE(leakguard::set_option("exitcode", nullptr));
}

TEST_CASE("set_option refuses, for every key, a value outside what the table lists") {
    restore_defaults restore;
    for (leakguard::option_info const& o : option_table()) {
        INFO("option " << std::string(o.name));
        if (is_number(o)) {
            CHECK_FALSE(leakguard::set_option(o.name, std::to_string(number_max(o) + 1).c_str()));
            CHECK_FALSE(leakguard::set_option(o.name, "-1"));
            CHECK_FALSE(leakguard::set_option(o.name, "+1"));
            CHECK_FALSE(leakguard::set_option(o.name, "1x"));
            CHECK_FALSE(leakguard::set_option(o.name, ""));
            CHECK_FALSE(leakguard::set_option(o.name, "99999999999999999999999")); // past 64 bits
        } else if (!is_path(o)) {
            CHECK_FALSE(leakguard::set_option(o.name, ""));
            CHECK_FALSE(leakguard::set_option(o.name, (std::string(o.default_value) + "x").c_str()));
            CHECK_FALSE(leakguard::set_option(o.name, "|"));
        }
    }
}

#if defined(LEAKGUARD_OPTIONS_DOC)
namespace {
// The rows of docs/options.md's table, each as its cells with the code spans' backticks and the
// escaped bars undone: key, default, values, meaning.
std::vector<std::vector<std::string>> documented_rows(const char* path) {
    std::vector<std::vector<std::string>> rows;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        if (line.compare(0, 3, "| `") != 0) continue;
        std::vector<std::string> cells;
        std::string cell;
        for (std::size_t i = 1; i < line.size(); ++i) {
            if (line[i] == '\\' && i + 1 < line.size() && line[i + 1] == '|') {
                cell += '|';
                ++i;
            } else if (line[i] == '|') {
                std::size_t const first = cell.find_first_not_of(" `");
                std::size_t const last = cell.find_last_not_of(" `");
                cells.push_back(first == std::string::npos ? "" : cell.substr(first, last - first + 1));
                cell.clear();
            } else {
                cell += line[i];
            }
        }
        rows.push_back(cells);
    }
    return rows;
}
} // namespace

TEST_CASE("docs/options.md lists the options table: same keys in the same order, defaults and values") {
    std::vector<std::vector<std::string>> const rows = documented_rows(LEAKGUARD_OPTIONS_DOC);
    std::vector<leakguard::option_info> const table = option_table();
    INFO("docs: " << LEAKGUARD_OPTIONS_DOC);
    REQUIRE(rows.size() == table.size());
    for (std::size_t i = 0; i < table.size(); ++i) {
        INFO("row " << i + 1 << ", option " << std::string(table[i].name));
        REQUIRE(rows[i].size() == 4);
        CHECK(rows[i][0] == table[i].name);
        // A path's default is no path, which the page writes as "none".
        CHECK(rows[i][1] == (table[i].default_value[0] ? std::string(table[i].default_value) : "none"));
        CHECK(rows[i][2] == table[i].values);
    }
}
#endif

TEST_CASE("a value too long for leakguard's buffers is refused, with a warning that is a whole line") {
    restore_defaults restore;
    // log_path is kept in a 1024-byte buffer: a longer path is refused rather than cut short.
    std::string const long_value(2000, 'x');
    bool path_ok = true, report_ok = true;
    std::string const text = capture_stderr([&] {
        path_ok = leakguard::set_option("log_path", long_value.c_str());
        report_ok = leakguard::set_option("report", long_value.c_str());
    });
    CHECK_FALSE(path_ok);
    CHECK_FALSE(report_ok);
    // Two warnings, each a line of its own: however long the value, the line must end with '\n',
    // or the next message is glued to it.
    std::size_t const first_end = text.find('\n');
    REQUIRE(first_end != std::string::npos);
    CHECK(text.compare(first_end + 1, 10, "leakguard:") == 0);
    CHECK(std::count(text.begin(), text.end(), '\n') == 2);
    CHECK(text.size() > 0);
    CHECK(text[text.size() - 1] == '\n');
}

TEST_CASE("set_options takes pairs separated by ':' or ','") {
    restore_defaults restore;
    CHECK(leakguard::set_options("exitcode=23:report=full"));
    CHECK(leakguard::set_options("exitcode=23,report=summary"));
    CHECK(leakguard::set_options("report=off,exitcode=23:report=full"));
    CHECK(leakguard::set_options("report=full::exitcode=23,")); // empty entries are skipped
    CHECK(leakguard::set_options(""));
}

TEST_CASE("set_options is false when any pair is refused") {
    restore_defaults restore;
    CHECK_FALSE(leakguard::set_options("exitcode=23:no_such_option=1"));
    CHECK_FALSE(leakguard::set_options("no_such_option=1,report=full"));
    CHECK_FALSE(leakguard::set_options("report=loud"));
    CHECK_FALSE(leakguard::set_options("exitcode")); // no '=value'
    CHECK_FALSE(leakguard::set_options("report=full:exitcode"));
}

TEST_CASE("set_options applies the good pairs of a list that has a bad one") {
    // Observable through log_path: a failed scope's default report goes to the file it names.
    restore_defaults restore;
    unit::failure_reset reset;
    leakguard::scope_failure_handler const previous = leakguard::set_scope_failure_handler(nullptr);
    bool const all_ok = leakguard::set_options("no_such_option=1:log_path=/tmp/leakguard-unit-options-%p.log");
    int* leak = nullptr;
    {
        LEAKGUARD_SCOPE("applied-despite-a-bad-pair");
        leak = new int(1);
    }
    leakguard::set_option("log_path", "");
    leakguard::set_scope_failure_handler(previous);
    delete leak;

    std::string const path = "/tmp/leakguard-unit-options-" + std::to_string(static_cast<long>(::getpid())) + ".log";
    std::string text;
    {
        std::ifstream in(path.c_str());
        std::getline(in, text);
    }
    std::remove(path.c_str());
    CHECK_FALSE(all_ok);
    CHECK(reset.new_failures() == 1);
    CHECK(text.find("applied-despite-a-bad-pair") != std::string::npos);
}
