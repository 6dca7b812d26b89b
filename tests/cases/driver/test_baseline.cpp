// Baselines (baseline_leaks.cpp; docs/report-format.md, "Baselines"): write_baseline lists the
// fingerprints of the records that fail the run; with baseline= those records are known and only
// a new one fails the run; a malformed or missing baseline is reported and the run goes on.
#include <doctest/doctest.h>

#include <fstream>
#include <set>
#include <string>

#include "case_run.hpp"

using cases::run_case;

namespace {

// The fingerprints of a report's records whose site function starts with `prefix` ("" = all).
std::set<std::string> fingerprints(const nlohmann::json& report, const std::string& prefix = "") {
    std::set<std::string> out;
    for (const auto& r : report["records"])
        if (r["function"].get<std::string>().find(prefix) == 0) out.insert(r["fingerprint"].get<std::string>());
    return out;
}

// The fingerprint lines of a baseline file (the text before a comment, trimmed).
std::set<std::string> baseline_lines(const std::string& path) {
    std::set<std::string> out;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        out.insert(line.substr(0, line.find_first_of(" \t#")));
    }
    return out;
}

void write_text(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

} // namespace

TEST_CASE("baseline: the records written are known next time, only a new record fails the run") {
    cases::temp_dir dir;
    std::string const file = dir.file("leaks.baseline");

    auto first = run_case("baseline_leaks", "write_baseline=" + file);
    INFO(first.describe());
    CHECK(first.status() == cases::kLeakExit);
    REQUIRE(first.has_report);
    REQUIRE(first.report["records"].size() == 2);
    CHECK(cases::summary(first.report, "new_records") == 2);
    CHECK(cases::summary(first.report, "known_records") == 0);
    // One line per record, each naming its site in its comment.
    CHECK(baseline_lines(file) == fingerprints(first.report));
    std::string const text = cases::read_file(file);
    CHECK(text.find("# definitely lost: old_buffer() baseline_leaks.cpp:9, 80 bytes in 2 blocks") != std::string::npos);
    CHECK(text.find("old_table()") != std::string::npos);

    // The same program against it: everything known, the program's own exit status.
    auto known = run_case("baseline_leaks", "baseline=" + file);
    INFO(known.describe());
    CHECK(known.status() == 0);
    REQUIRE(known.has_report);
    CHECK(cases::summary(known.report, "known_records") == 2);
    CHECK(cases::summary(known.report, "known_blocks") == 3);
    CHECK(cases::summary(known.report, "known_bytes") == 80 + 24);
    CHECK(cases::summary(known.report, "new_records") == 0);
    CHECK(cases::summary(known.report, "leaked_blocks") == 3); // known leaks are still leaks
    for (const auto& r : known.report["records"]) CHECK(r["known"] == true);
    CHECK(known.proc.err.find("leakguard: baseline " + file +
                              ": 2 of 2 loss records known (104 bytes in 3 blocks), 0 new") != std::string::npos);
    CHECK(cases::lines_containing(known.proc.err, ", known (baseline)").size() == 2);

    // A new leak: only its record is new, and the run fails.
    auto more = run_case("baseline_leaks", "baseline=" + file, {"more"});
    INFO(more.describe());
    CHECK(more.status() == cases::kLeakExit);
    REQUIRE(more.has_report);
    CHECK(cases::summary(more.report, "known_records") == 2);
    CHECK(cases::summary(more.report, "new_records") == 1);
    for (const auto& r : more.report["records"])
        CHECK_MESSAGE(r["known"] == (r["function"].get<std::string>().find("new_record") != 0), r["function"]);
    CHECK(more.proc.err.find("2 of 3 loss records known (104 bytes in 3 blocks), 1 new") != std::string::npos);
    CHECK(cases::lines_containing(more.proc.err, ", known (baseline)").size() == 2);
    // The fingerprints of the old records did not change with the new one beside them.
    CHECK(fingerprints(more.report, "old_") == fingerprints(first.report));
}

TEST_CASE("baseline: a malformed line is reported with its file and line and skipped, the rest is used") {
    cases::temp_dir dir;
    auto first = run_case("baseline_leaks", "write_baseline=" + dir.file("all.baseline"));
    REQUIRE(first.has_report);
    std::string const buffer_fp = *fingerprints(first.report, "old_buffer").begin();
    std::string const file = dir.file("edited.baseline");
    write_text(file, "# kept by hand\n\n" + buffer_fp + "  # old_buffer\nnot-a-fingerprint\n0123456789abcdef0\n");

    auto r = run_case("baseline_leaks", "baseline=" + file);
    INFO(r.describe());
    CHECK(r.status() == cases::kLeakExit); // old_table is new to this baseline
    REQUIRE(r.has_report);
    CHECK(cases::summary(r.report, "known_records") == 1);
    CHECK(cases::summary(r.report, "new_records") == 1);
    CHECK(r.proc.err.find("leakguard: baseline file " + file +
                          ":4: expected a fingerprint of 16 hex digits, found 'not-a-fingerprint'; line skipped") !=
          std::string::npos);
    CHECK(r.proc.err.find(file + ":5: expected a fingerprint") != std::string::npos);
    CHECK(cases::lines_containing(r.proc.err, "expected a fingerprint").size() == 2);
}

TEST_CASE("baseline: a file that cannot be read is reported once and every record is new") {
    cases::temp_dir dir;
    std::string const missing = dir.file("no-such.baseline");
    auto r = run_case("baseline_leaks", "baseline=" + missing);
    INFO(r.describe());
    CHECK(r.status() == cases::kLeakExit);
    REQUIRE(r.has_report);
    CHECK(cases::lines_containing(r.proc.err, "leakguard: baseline file " + missing + ": cannot read it").size() == 1);
    CHECK(cases::summary(r.report, "new_records") == 2);
    CHECK(r.report["summary"]["baseline"].is_null());
}
