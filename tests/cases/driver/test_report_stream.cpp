// The report stream (report_stream_races.cpp; issue 15): log_path changed while reports are
// written never puts report text into the program's own files; a forked child's "%p" log is its
// own; a report that cannot be written says so once on stderr.
#include <doctest/doctest.h>

#include <string>

#include "case_run.hpp"

using cases::run_case;

TEST_CASE("report_stream: log_path switched under running reports never reaches the program's files") {
    cases::temp_dir dir;
    auto r = run_case("report_stream_races", "", {"race", dir.path()});
    INFO(r.describe());
    CHECK(r.proc.signal == 0);
    CHECK(r.proc.out.find("own files clean") != std::string::npos);
    // Both logs got reports, and the exit report went to the last one set.
    CHECK(cases::read_file(dir.file("log-a.txt")).find("leakguard:") != std::string::npos);
}

TEST_CASE("report_stream: a forked child writes its report to its own %p log") {
    cases::temp_dir dir;
    auto r = run_case("report_stream_races", "log_path=" + dir.file("log-%p.txt"), {"fork", dir.path()});
    INFO(r.describe());
    CHECK(r.proc.signal == 0);
    long parent = 0, child = 0;
    REQUIRE(std::sscanf(r.proc.out.c_str(), "parent %ld child %ld", &parent, &child) == 2);
    std::string const parent_log = cases::read_file(dir.file("log-" + std::to_string(parent) + ".txt"));
    std::string const child_log = cases::read_file(dir.file("log-" + std::to_string(child) + ".txt"));
    INFO("parent log:\n" << parent_log << "\nchild log:\n" << child_log);
    CHECK(child_log.find("child_only_leak") != std::string::npos);
    CHECK(parent_log.find("child_only_leak") == std::string::npos);
    CHECK(parent_log.find("lost at exit") != std::string::npos);
}

TEST_CASE("report_stream: a report that cannot be written is said once on stderr") {
    auto r = run_case("leak_one", "log_path=/dev/full");
    INFO(r.describe());
    CHECK(r.status() == cases::kLeakExit);
    CHECK(cases::lines_containing(r.proc.err, "leakguard: warning: cannot write the report").size() == 1);
    auto j = run_case("leak_one", "json_path=/dev/full");
    INFO(j.describe());
    CHECK(j.status() == cases::kLeakExit);
    CHECK(cases::lines_containing(j.proc.err, "leakguard: warning: cannot write the report").size() == 1);
    CHECK(j.proc.err.find("lost at exit") != std::string::npos); // the text report is unharmed
}
