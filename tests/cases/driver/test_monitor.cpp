// The monitor (monitor_growth.cpp, docs/monitor.md): the file it writes has one JSON object a
// line in the documented shape; the site that leaks all the time is "growing" and no other is, the
// steady sites' live counts stay flat; per-site counts stay exact across threads, and with blocks
// from before counting began among more sites than a shard's table holds; write_profile and the
// dump signal add one object each; bad option values are said in one line and the program goes
// on; a fork child runs no monitor unless it sets one again, and the parent's file stays whole.
#include <doctest/doctest.h>

#include <csignal>
#include <cstdio>
#include <dirent.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "case_run.hpp"

using cases::run_case;
using nlohmann::json;

namespace {

// Every line of `path`, each parsed (a line that does not parse fails the test).
std::vector<json> monitor_lines(const std::string& path) {
    std::vector<json> out;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        json j = json::parse(line, nullptr, false);
        CHECK_MESSAGE(!j.is_discarded(), "not one JSON object: " << line);
        if (!j.is_discarded()) out.push_back(j);
    }
    return out;
}

// The files in `dir` whose names start with `prefix`.
std::vector<std::string> files_with(const std::string& dir, const std::string& prefix) {
    std::vector<std::string> found;
    if (DIR* d = ::opendir(dir.c_str())) {
        while (dirent* e = ::readdir(d))
            if (std::string(e->d_name).compare(0, prefix.size(), prefix) == 0) found.push_back(dir + "/" + e->d_name);
        ::closedir(d);
    }
    return found;
}

// The documented shape of one object (docs/monitor.md).
void check_shape(const json& o) {
    CHECK(o["leakguard_monitor"] == 1);
    CHECK(o["pid"].is_number_integer());
    CHECK(o["report"].is_number_integer());
    CHECK(o["time"].is_number());
    CHECK(o["elapsed"].is_number());
    for (const char* k : {"live_blocks", "live_bytes", "peak_bytes", "allocations", "frees"})
        CHECK_MESSAGE(o["total"][k].is_number_integer(), k);
    CHECK(o["sites_total"].is_number_integer());
    REQUIRE(o["sites"].is_array());
    for (const json& s : o["sites"]) {
        CHECK(s["id"].is_string());
        CHECK(s["id"].get<std::string>().size() == 16);
        CHECK(s["site"].is_string());
        for (const char* k : {"allocations", "frees", "live_blocks", "live_bytes", "delta_blocks", "delta_bytes"})
            CHECK_MESSAGE(s[k].is_number_integer(), k);
        // The range of the blocks a report saw alive: both numbers, or both null (none seen).
        CHECK(s["size_min"].is_null() == s["size_max"].is_null());
        if (!s["size_min"].is_null()) {
            CHECK(s["size_min"].is_number_integer());
            CHECK(s["size_max"].is_number_integer());
            CHECK(s["size_min"] <= s["size_max"]);
        }
        if (s["live_blocks"] != 0) CHECK(s["size_min"].is_number_integer());
        CHECK(s["growing"].is_boolean());
        if (s["growing"] == true) {
            CHECK(s["growing_since"].is_number_integer());
            CHECK(s["first_seqs"].is_array());
        } else {
            CHECK(s["growing_since"].is_null());
            CHECK_FALSE(s.contains("first_seqs"));
        }
        REQUIRE(s["stack"].is_array());
        for (const json& f : s["stack"])
            for (const char* k : {"address", "function", "file", "line", "module"}) CHECK_MESSAGE(f.contains(k), k);
    }
}

bool site_is(const json& s, const char* function) {
    return s["site"].get<std::string>().find(function) != std::string::npos;
}
// Whether the site's stack passes through `function` (the ring's blocks come from one helper at
// two call paths: the first fill and the steady replacement).
bool path_has(const json& s, const char* function) {
    for (const json& f : s["stack"])
        if (f["function"].is_string() && f["function"].get<std::string>().find(function) != std::string::npos)
            return true;
    return false;
}

} // namespace

TEST_CASE("monitor: the leaking site grows and the steady ones stay flat") {
    // 3 s at 0.2 s: about 15 reports. Under ThreadSanitizer the first report's naming of its sites
    // (the program's DWARF read) takes about a second: 10, and 4 on a loaded machine. Growth needs
    // 5 (the baseline and three rises in a row): with fewer than 6 the case runs again, 8 s.
    cases::case_result r;
    std::vector<json> reports;
    for (const char* seconds : {"3", "8"}) {
        cases::temp_dir out;
        r = run_case("monitor_growth", "monitor_interval=0.2:monitor_path=" + out.file("mon.%p.jsonl"),
                     {"growth", seconds});
        INFO(r.describe());
        REQUIRE(r.status() == 0); // everything is freed at the end: no leak at exit
        auto const files = files_with(out.path(), "mon.");
        REQUIRE(files.size() == 1);
        CHECK(files[0] == out.file("mon." + std::to_string(r.proc.pid) + ".jsonl"));
        reports = monitor_lines(files[0]);
        if (reports.size() >= 6) break;
    }
    INFO(r.describe());
    REQUIRE(reports.size() >= 6);
    std::string grow_id;
    std::set<std::string> growing_ids;
    long long last_grow_live = -1, first_grow_live = -1;
    for (std::size_t i = 0; i < reports.size(); ++i) {
        const json& o = reports[i];
        check_shape(o);
        CHECK(o["report"] == i + 1);
        CHECK(o["pid"] == r.proc.pid);
        CHECK(o["trigger"] == "interval");
        for (const json& s : o["sites"]) {
            if (s["growing"] == true) growing_ids.insert(s["id"].get<std::string>());
            if (site_is(s, "grow_cache")) {
                if (grow_id.empty()) grow_id = s["id"];
                CHECK(s["id"] == grow_id); // one call path, one id
                if (first_grow_live < 0) first_grow_live = s["live_blocks"];
                last_grow_live = s["live_blocks"];
                CHECK(s["size_min"] == 64);
                CHECK(s["size_max"] == 64);
                CHECK(s["frees"] == 0);
            }
            // The steady sites: at most one block in flight between a new and its delete; the
            // ring's replacements hold its 50 blocks (51 for a moment) once the first fill's are
            // all replaced (a few reports in).
            if (site_is(s, "steady_pair")) CHECK(s["live_blocks"].get<long long>() <= 1);
            if (site_is(s, "make_ring_entry") && path_has(s, "steady_ring") && i >= 2) {
                long long const live = s["live_blocks"];
                CHECK((live == 50 || live == 51));
            }
        }
        // The ring holds 50 blocks (51 for a moment) whichever path made them.
        long long ring = 0;
        for (const json& s : o["sites"])
            if (site_is(s, "make_ring_entry")) ring += s["live_blocks"].get<long long>();
        CHECK((ring == 50 || ring == 51));
    }
    REQUIRE_FALSE(grow_id.empty());
    CHECK(last_grow_live > first_grow_live + 20);         // a block every 40 ms for 3 s
    CHECK(growing_ids == std::set<std::string>{grow_id}); // that site, and no other, ever
    // In the last report it grows, since an early report, with the first numbers of its blocks.
    const json* last_grow = nullptr;
    for (const json& s : reports.back()["sites"])
        if (site_is(s, "grow_cache")) last_grow = &s;
    REQUIRE(last_grow);
    CHECK((*last_grow)["growing"] == true);
    CHECK((*last_grow)["growing_since"].get<long long>() <= 3);
    auto const seqs = (*last_grow)["first_seqs"];
    REQUIRE(seqs.size() == 8);
    for (std::size_t k = 1; k < seqs.size(); ++k) CHECK(seqs[k - 1] < seqs[k]);
    CHECK((*last_grow)["delta_blocks"].get<long long>() > 0);
}

TEST_CASE("monitor: write_profile appends one numbered object per call") {
    cases::temp_dir out;
    auto r = run_case("monitor_growth", "", {"profile", out.file("profile.%p.jsonl")});
    INFO(r.describe());
    REQUIRE(r.status() == 0);
    CHECK(r.proc.out.find("profile: 1 1") != std::string::npos);
    auto const reports = monitor_lines(out.file("profile." + std::to_string(r.proc.pid) + ".jsonl"));
    REQUIRE(reports.size() == 2);
    // grow_cache is called from two places of main: two call paths, two sites.
    long long live[2] = {0, 0}, allocations[2] = {0, 0}, delta[2] = {0, 0};
    std::set<std::string> ids;
    for (std::size_t i = 0; i < 2; ++i) {
        check_shape(reports[i]);
        CHECK(reports[i]["report"] == i + 1);
        CHECK(reports[i]["trigger"] == "write_profile");
        for (const json& s : reports[i]["sites"])
            if (site_is(s, "grow_cache")) {
                live[i] += s["live_blocks"].get<long long>();
                allocations[i] += s["allocations"].get<long long>();
                delta[i] += s["delta_blocks"].get<long long>();
                ids.insert(s["id"].get<std::string>());
            }
    }
    CHECK(ids.size() == 2);
    CHECK(live[0] == 1);
    CHECK(live[1] == 4);
    // Counted from the first call on: the three allocations between the two.
    CHECK(allocations[0] == 0);
    CHECK(allocations[1] == 3);
    CHECK(delta[1] == 3);
}

TEST_CASE("monitor: per-site counts are exact across threads that free each other's blocks and exit") {
    cases::temp_dir out;
    std::string const path = out.file("threads.jsonl");
    auto r = run_case("monitor_growth", "", {"threads", path});
    INFO(r.describe());
    REQUIRE(r.status() == 0);
    REQUIRE(r.proc.out.find("threads: 8000 blocks, 1 before") != std::string::npos);
    auto const reports = monitor_lines(path);
    REQUIRE(reports.size() >= 2);
    for (const json& o : reports) check_shape(o);
    // Two call paths: the workers' (from their threads' start) and the block made before counting
    // (from main).
    auto const from_main = [](const json& s) {
        for (const json& f : s["stack"])
            if (f["function"] == "main") return true;
        return false;
    };
    int workers_rows = 0, before_rows = 0;
    for (const json& s : reports.back()["sites"]) {
        if (!site_is(s, "counted_block")) continue;
        CHECK(s["live_blocks"] == 0);
        // The range of the blocks a report saw alive; null when every one was freed unseen.
        CHECK((s["size_min"] == 48 || s["size_min"].is_null()));
        CHECK(s["size_max"] == s["size_min"]);
        if (!from_main(s)) {
            ++workers_rows; // every block counted, whichever thread freed it and whether it lives on
            CHECK(s["allocations"] == 8000);
            CHECK(s["frees"] == 8000);
        } else {
            ++before_rows; // allocated before counting began: its free alone is counted
            CHECK(s["allocations"] == 0);
            CHECK(s["frees"] == 1);
        }
    }
    CHECK(workers_rows == 1);
    CHECK(before_rows == 1);
    // The reports written meanwhile: never more frees than allocations, never more live blocks
    // than the workers held (half their blocks, and one each in flight).
    for (const json& o : reports)
        for (const json& s : o["sites"])
            if (site_is(s, "counted_block") && !from_main(s)) {
                CHECK(s["frees"].get<long long>() <= s["allocations"].get<long long>());
                CHECK(s["live_blocks"].get<long long>() <= 4004);
            }
}

TEST_CASE("monitor: frees of blocks from before counting began are kept apart, whatever takes a site's slot") {
    // With guards and quarantine (the defaults) and without (leak tracking only): the two copies
    // of the free's counting short path (heap/release.hpp).
    for (const char* options : {"", "guard_bytes=0:quarantine_bytes=0"}) {
        INFO("LEAKGUARD_OPTIONS: " << options);
        cases::temp_dir out;
        std::string const path = out.file("mixed.jsonl");
        auto r = run_case("monitor_growth", options, {"mixed", path});
        INFO(r.describe());
        REQUIRE(r.status() == 0);
        REQUIRE(r.proc.out.find("mixed: 100 sites") != std::string::npos);
        auto const reports = monitor_lines(path);
        REQUIRE(reports.size() == 2);
        for (const json& o : reports) check_shape(o);
        int rows = 0;
        for (const json& s : reports.back()["sites"]) {
            if (!site_is(s, "site_block<")) continue;
            ++rows;
            INFO(s["site"]);
            CHECK(s["allocations"] == 7); // the 5 freed and the 2 alive of those made since counting began
            CHECK(s["frees"] == 8);       // 3 made before, 5 since
            CHECK(s["live_blocks"] == 2);
        }
        CHECK(rows == 100);
    }
}

TEST_CASE("monitor: dump_signal makes the monitor write one object") {
    cases::temp_dir out;
    std::string const path = out.file("dump.jsonl");
    {
        std::ofstream touch(path); // lines_in() counts from an existing, empty file
    }
    auto r = run_case("monitor_growth", "dump_signal=SIGUSR2:monitor_path=" + path, {"signal", path});
    INFO(r.describe());
    REQUIRE(r.status() == 0);
    CHECK(r.proc.out.find("signal: 0 -> 1") != std::string::npos);
    auto const reports = monitor_lines(path);
    REQUIRE(reports.size() == 1);
    check_shape(reports[0]);
    CHECK(reports[0]["trigger"] == "signal");
    // By number too, and without the monitor_interval: no periodic report.
    auto r2 = run_case("monitor_growth", "dump_signal=" + std::to_string(SIGUSR2) + ":monitor_path=" + path,
                       {"signal", path});
    INFO(r2.describe());
    CHECK(r2.proc.out.find("signal: 1 -> 2") != std::string::npos);
}

TEST_CASE("monitor: bad option values are said in one line each and the program goes on") {
    cases::temp_dir out;
    auto r = run_case("monitor_growth",
                      "monitor_interval=abc:monitor_interval=-1:monitor_interval=0.0000001:monitor_interval=86401:"
                      "dump_signal=SIGKILL:dump_signal=SIGFOO:dump_signal=9:dump_signal=:monitor_top=x:"
                      "monitor_growth=1001:monitor_path=" +
                          out.file("never.jsonl"),
                      {"options"});
    INFO(r.describe());
    CHECK(r.status() == 0);
    for (const char* bad :
         {"'abc' for option 'monitor_interval'", "'-1' for option 'monitor_interval'",
          "'0.0000001' for option 'monitor_interval'", "'86401' for option 'monitor_interval'",
          "'SIGKILL' for option 'dump_signal'", "'SIGFOO' for option 'dump_signal'", "'9' for option 'dump_signal'",
          "'' for option 'dump_signal'", "'x' for option 'monitor_top'", "'1001' for option 'monitor_growth'"})
        CHECK_MESSAGE(r.proc.err.find(std::string("leakguard: warning: bad value ") + bad) != std::string::npos, bad);
    CHECK(files_with(out.path(), "never").empty()); // no monitor was started by any of them
}

TEST_CASE("monitor: a fork child runs no monitor unless it sets one and the parent's file stays whole") {
    if (LEAKGUARD_CASES_ASAN) { // see tests/cases/CMakeLists.txt: ASan's allocator is not fork-safe
        CASES_SKIP("AddressSanitizer's allocator takes no lock at fork");
        return;
    }
    cases::temp_dir out;
    // ThreadSanitizer refuses a thread made in the child of a process that had threads unless told
    // otherwise: the restarted child makes one (its own monitor).
    auto r = run_case("monitor_growth", "monitor_interval=0.1:monitor_path=" + out.file("mon.%p.jsonl"), {"fork"}, 60,
                      {"TSAN_OPTIONS=halt_on_error=1:allocator_may_return_null=1:die_after_fork=0"});
    INFO(r.describe());
    REQUIRE(r.status() == 0);
    long parent = 0, silent = 0, restarted = 0;
    int silent_status = -1, restarted_status = -1;
    {
        std::istringstream lines(r.proc.out);
        std::string line;
        while (std::getline(lines, line))
            if (line.compare(0, 7, "parent ") == 0)
                std::sscanf(line.c_str(), "parent %ld children %ld %ld status %d %d", &parent, &silent, &restarted,
                            &silent_status, &restarted_status);
    }
    REQUIRE(parent == r.proc.pid);
    CHECK(silent_status == 0);
    CHECK(restarted_status == 0);
    // The parent's file: its own reports only, every line whole, numbered on across the forks.
    auto const mine = monitor_lines(out.file("mon." + std::to_string(parent) + ".jsonl"));
    // About 17 (1.8 s at 0.1 s); under ThreadSanitizer the first report's naming of its sites takes
    // about a second: 7, and 3 on a loaded machine.
    REQUIRE(mine.size() >= 2);
    for (std::size_t i = 0; i < mine.size(); ++i) {
        check_shape(mine[i]);
        CHECK(mine[i]["pid"] == parent);
        CHECK(mine[i]["report"] == i + 1);
    }
    // The silent child wrote nothing; the restarted one its own file, from report 1.
    CHECK(files_with(out.path(), "mon." + std::to_string(silent) + ".").empty());
    auto const child = monitor_lines(out.file("mon." + std::to_string(restarted) + ".jsonl"));
    REQUIRE(child.size() >= 2);
    for (std::size_t i = 0; i < child.size(); ++i) {
        check_shape(child[i]);
        CHECK(child[i]["pid"] == restarted);
        CHECK(child[i]["report"] == i + 1);
    }
}
