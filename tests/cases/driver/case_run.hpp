// Running one case program from programs/ with LEAKGUARD_OPTIONS, and reading its JSON report.
#ifndef LEAKGUARD_CASES_CASE_RUN_HPP
#define LEAKGUARD_CASES_CASE_RUN_HPP

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "process.hpp"

namespace cases {

constexpr int kLeakExit = 23; // leakguard's default exit status for leaks, failed scopes, errors

// The path of a case binary (bin/NAME, or bin/NAME_plain for the untracked build).
std::string case_path(const std::string& name);

// The last component of a path ("a/b/leak_one.cpp" -> "leak_one.cpp").
std::string base_name(const std::string& path);

struct case_result {
    process_result proc;
    std::shared_ptr<temp_dir> dir; // holds stdout, stderr, the JSON report, log files
    bool has_report = false;       // the JSON report was written and parsed
    nlohmann::json report;         // the JSON report (null when there is none)

    int status() const { return proc.timed_out || proc.signal ? -1 : proc.exit_code; }
    // The leakguard lines of stderr ("leakguard: ...").
    std::vector<std::string> leakguard_lines() const { return lines_containing(proc.err, "leakguard:"); }
    // Everything a failed check should show: status, stdout, stderr.
    std::string describe() const;
};

// Runs bin/NAME with LEAKGUARD_OPTIONS = "json_path=<temp>/report.json" followed by `options`
// (later keys win, so `options` may redirect json_path), and `env` ("NAME=value") besides.
// Parses the report when it exists.
case_result run_case(const std::string& name, const std::string& options = "",
                     const std::vector<std::string>& args = {}, double timeout_s = 60,
                     const std::vector<std::string>& env = {});

// A case that cannot judge leakguard in this build or on this machine (valgrind missing, a
// sanitizer's runtime in charge) says so with CASES_SKIP(why) and returns. The marker is defined
// by the build, which also gives every ctest entry SKIP_REGULAR_EXPRESSION on it
// (tests/cases/CMakeLists.txt): ctest then lists the case as skipped, never as passed.
#ifndef LEAKGUARD_CASES_SKIP_MARKER
#error "LEAKGUARD_CASES_SKIP_MARKER (the text that marks a skipped case) must be defined by the build"
#endif
#define CASES_SKIP(why) MESSAGE(LEAKGUARD_CASES_SKIP_MARKER ": " << why)

// Parses a JSON report file; null when absent or malformed.
nlohmann::json load_json(const std::string& path);

// report["summary"][key] as a number; -1 when the report or the key is missing.
long long summary(const nlohmann::json& report, const char* key);

} // namespace cases

#endif
