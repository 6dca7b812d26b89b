// Loss records (records_paths.cpp): one record per site and loss kind, each distinct call path in
// it counted, named in the text report and in the JSON "records"; the fingerprints stable.
#include <doctest/doctest.h>

#include <map>
#include <set>
#include <string>

#include "case_run.hpp"

using cases::run_case;

namespace {

// The record whose site function is `function` (exactly one).
const nlohmann::json& record_of(const nlohmann::json& report, const std::string& function) {
    const nlohmann::json* found = nullptr;
    int count = 0;
    for (const auto& r : report["records"])
        if (r["function"].is_string() && r["function"].get<std::string>().find(function) == 0) {
            found = &r;
            ++count;
        }
    REQUIRE_MESSAGE(count == 1, function);
    return *found;
}

// For each path of a record: the function of the frame right under the site (who called it),
// with the path's block count.
std::map<std::string, long long> callers(const nlohmann::json& record, std::size_t depth = 1) {
    std::map<std::string, long long> out;
    for (const auto& p : record["paths"]) {
        REQUIRE(p["stack"].size() > depth);
        out[p["stack"][depth]["function"].get<std::string>()] += p["blocks"].get<long long>();
        CHECK(p["seqs"].size() == p["blocks"].get<std::size_t>());
        CHECK(p["addresses"].size() == p["blocks"].get<std::size_t>());
    }
    return out;
}

} // namespace

TEST_CASE("records_paths: every caller is a path of its record, in the JSON and the text") {
    auto r = run_case("records_paths");
    INFO(r.describe());
    CHECK(r.status() == cases::kLeakExit);
    REQUIRE(r.has_report);
    REQUIRE(r.report["records"].is_array());
    CHECK(r.report["records"].size() == 4);

    const auto& buffer = record_of(r.report, "alloc_buffer");
    CHECK(buffer["blocks"] == 5);
    CHECK(buffer["paths"].size() == 2);
    CHECK(callers(buffer) == std::map<std::string, long long>{{"from_http()", 3}, {"from_disk()", 2}});
    CHECK(buffer["paths"][0]["blocks"] == 3); // largest first

    const auto& node = record_of(r.report, "make_node");
    CHECK(node["blocks"] == 3);
    CHECK(node["paths"].size() == 3);
    CHECK(callers(node) == std::map<std::string, long long>{
                               {"depth_one()", 1}, {"depth_two_inner()", 1}, {"depth_three_innermost()", 1}});

    const auto& entry = record_of(r.report, "make_entry");
    CHECK(entry["blocks"] == 6);
    CHECK(callers(entry) == std::map<std::string, long long>{{"via_queue()", 3}, {"via_timer()", 3}});

    const auto& cell = record_of(r.report, "make_cell");
    CHECK(cell["blocks"] == 20);
    CHECK(cell["paths"].size() == 1); // one source line, however many call sites

    // The text: every caller named under its record, which is numbered.
    std::string const& err = r.proc.err;
    for (const char* caller : {"from_http()", "from_disk()", "depth_one()", "depth_two_inner()",
                               "depth_three_innermost()", "via_queue()", "via_timer()", "unrolled()"})
        CHECK_MESSAGE(err.find(std::string("by ") + caller) != std::string::npos, caller);
    CHECK(err.find("3 blocks (192 bytes) by path 1 of 2, #") != std::string::npos);
    CHECK(err.find("2 blocks (128 bytes) by path 2 of 2, #") != std::string::npos);
    // Numbered as valgrind numbers loss records, from the smallest total: make_node's 96 bytes,
    // make_cell's 120, make_entry's 192, alloc_buffer's 320 (printed first, numbered last).
    CHECK(node["number"] == 1);
    CHECK(cell["number"] == 2);
    CHECK(entry["number"] == 3);
    CHECK(buffer["number"] == 4);
    auto const buffer_line = cases::lines_containing(err, "allocated at alloc_buffer(");
    REQUIRE(buffer_line.size() == 1);
    CHECK(buffer_line[0].find(", loss record 4 of 4") != std::string::npos);
    CHECK(err.find(", loss record 1 of 4") != std::string::npos);
    CHECK(cases::lines_containing(err, "by path").size() == 2 + 3 + 2);

    // Fingerprints: 16 hex digits, one per record, the same in a second run.
    std::set<std::string> first;
    for (const auto& rec : r.report["records"]) {
        std::string const fp = rec["fingerprint"].get<std::string>();
        CHECK(fp.size() == 16);
        first.insert(fp);
    }
    CHECK(first.size() == 4);
    for (const char* name : {"records_paths", "records_paths_moved"}) { // again; built from another directory
        auto again = run_case(name);
        REQUIRE(again.has_report);
        std::set<std::string> second;
        for (const auto& rec : again.report["records"]) second.insert(rec["fingerprint"].get<std::string>());
        CHECK_MESSAGE(first == second, name);
    }
}
