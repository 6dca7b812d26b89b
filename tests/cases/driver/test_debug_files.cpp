// Debug information read only for what a report prints, and read from separate debug files.
// programs/debug_file.cpp leaks inside libcase_debug_file.so, stripped after its link, whose debug
// file split_debug_file.cmake placed under LEAKGUARD_CASES_DEBUG_FILES twice: as
// by_build_id/.build-id/xx/yyyy.debug and as by_link/<the library's directory>/<debuglink name>.
// programs/debug_reads.cpp prints, after the exit report, how many bytes of .debug_* sections and
// how many compilation units leakguard read.
#include <doctest/doctest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "case_run.hpp"

using cases::base_name;
using cases::run_case;

// A namespace of its own: the driver is a unity build.
namespace debug_files {

const std::string kDebugFiles = LEAKGUARD_CASES_DEBUG_FILES;
constexpr int kLeakLine = 14;      // programs/debug_file_lib.cpp: the new int[4] in stash()
constexpr int kStashCallLine = 20; // its call in debug_file_leak()

std::string text(const nlohmann::json& v) { return v.is_string() ? v.get<std::string>() : std::string(); }

// The one leak of the run (REQUIREd).
nlohmann::json the_leak(const cases::case_result& r) {
    REQUIRE(r.has_report);
    REQUIRE(r.report["leaks"].size() == 1);
    return r.report["leaks"][0];
}

// The frames of `stack` in the library.
std::vector<nlohmann::json> library_frames(const nlohmann::json& stack) {
    std::vector<nlohmann::json> out;
    for (const auto& f : stack)
        if (base_name(text(f["module"])) == "libcase_debug_file.so") out.push_back(f);
    return out;
}

// The note lines of stderr about the library.
std::vector<std::string> notes(const cases::case_result& r) {
    std::vector<std::string> out;
    for (const auto& line : r.leakguard_lines())
        if (line.find("leakguard: note: ") != std::string::npos &&
            line.find("libcase_debug_file.so") != std::string::npos)
            out.push_back(line);
    return out;
}

// A run whose debug file was found: the site is stash() at its line, the caller at the call's.
void check_named(const cases::case_result& r) {
    INFO(r.describe());
    CHECK(r.status() == cases::kLeakExit);
    auto const leak = the_leak(r);
    INFO(leak.dump(1));
    CHECK(text(leak["function"]).find("stash") != std::string::npos);
    CHECK(base_name(text(leak["file"])) == "debug_file_lib.cpp");
    CHECK(leak["line"] == kLeakLine);
    auto const frames = library_frames(leak["stack"]);
    REQUIRE(frames.size() >= 2);
    CHECK(text(frames[0]["function"]).find("stash") != std::string::npos);
    CHECK(frames[0]["line"] == kLeakLine);
    CHECK(text(frames[1]["function"]) == "debug_file_leak");
    CHECK(base_name(text(frames[1]["file"])) == "debug_file_lib.cpp");
    CHECK(frames[1]["line"] == kStashCallLine);
    CHECK(notes(r).empty());
    // The text report's site line says the same.
    CHECK(r.proc.err.find("debug_file_lib.cpp:" + std::to_string(kLeakLine) + " (libcase_debug_file.so+") !=
          std::string::npos);
}

// "debug_reads: bytes=N units=M" from stderr; false when missing.
bool debug_reads(const cases::case_result& r, unsigned long long& bytes, unsigned long long& units) {
    auto const at = r.proc.err.find("debug_reads: bytes=");
    if (at == std::string::npos) return false;
    return std::sscanf(r.proc.err.c_str() + at, "debug_reads: bytes=%llu units=%llu", &bytes, &units) == 2;
}

} // namespace debug_files

TEST_CASE("debug files: a stripped library is named with file and line from its debug file, found by build ID") {
    debug_files::check_named(
        run_case("debug_file", "debug_file_directory=" + debug_files::kDebugFiles + "/by_build_id"));
}

TEST_CASE("debug files: ... or by its .gnu_debuglink name under a debug directory") {
    debug_files::check_named(run_case("debug_file", "debug_file_directory=/nonexistent:debug_file_directory=" +
                                                        debug_files::kDebugFiles + "/by_link"));
}

TEST_CASE("debug files: without its debug file, one note, and the exported function named from .dynsym") {
    for (const char* options : {"", "debug_file_directory=/nonexistent"}) {
        auto const r = run_case("debug_file", options);
        INFO(r.describe());
        CHECK(r.status() == cases::kLeakExit);
        auto const leak = debug_files::the_leak(r);
        INFO(leak.dump(1));
        auto const frames = debug_files::library_frames(leak["stack"]);
        REQUIRE(frames.size() >= 2);
        for (const auto& f : frames) CHECK(f["file"].is_null());
        CHECK(debug_files::text(frames[1]["function"]) == "debug_file_leak");
        auto const notes = debug_files::notes(r);
        REQUIRE(notes.size() == 1);
        CHECK(notes[0].find("leakguard: note: no debug information for ") == 0);
        CHECK(notes[0].find("/libcase_debug_file.so (install its -dbgsym package or build with -g)") !=
              std::string::npos);
    }
}

TEST_CASE("debug reads: no leak, or report=off, reads no debug information, and a leak reads its units only") {
    unsigned long long bytes = 1, units = 1;
    {
        auto const r = run_case("debug_reads");
        INFO(r.describe());
        CHECK(r.status() == 0);
        CHECK(r.proc.err.find("leakguard: no leaks at exit") != std::string::npos);
        REQUIRE(debug_files::debug_reads(r, bytes, units));
        CHECK(bytes == 0);
        CHECK(units == 0);
    }
    {
        // No JSON either (run_case sets json_path first; an empty one after it takes it back).
        auto const r = run_case("debug_reads", "json_path=:report=off:exitcode=0", {"leak"});
        INFO(r.describe());
        CHECK(r.status() == 0);
        CHECK(r.leakguard_lines().empty());
        REQUIRE(debug_files::debug_reads(r, bytes, units));
        CHECK(bytes == 0);
        CHECK(units == 0);
    }
    {
        // The same leak reported: the units of its frames (the leak's, main's), never the third.
        auto const r = run_case("debug_reads", "exitcode=0", {"leak"});
        INFO(r.describe());
        CHECK(r.status() == 0);
        CHECK(r.proc.err.find("debug_reads_leak.cpp:") != std::string::npos);
        REQUIRE(debug_files::debug_reads(r, bytes, units));
        CHECK(bytes > 0);
        CHECK(units >= 1);
        CHECK(units <= 2);
    }
}
