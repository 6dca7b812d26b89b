// Snapshots (snapshot.cpp): report_since lists exactly the blocks allocated after the snapshot and
// still alive, by sequence number - in its text, its count and write_since_json's JSON - and
// diff/report_diff count the survivors of a range between two snapshots.
#include <doctest/doctest.h>

#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "case_run.hpp"

using cases::run_case;

namespace {

using seq_set = std::set<unsigned long long>;

// The numbers after "name:" on the program's line that starts with it.
std::vector<unsigned long long> numbers_of(const std::string& out, const std::string& name) {
    std::istringstream lines(out);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.compare(0, name.size() + 1, name + ":") != 0) continue;
        std::vector<unsigned long long> found;
        std::istringstream words(line.substr(name.size() + 1));
        std::string w;
        while (words >> w)
            if (!w.empty() && w.find_first_not_of("0123456789") == std::string::npos) found.push_back(std::stoull(w));
        return found;
    }
    FAIL("no line " << name << ": in the output");
    return {};
}

// A print_diff line's fields: "d12: blocks 5 bytes 40 sites 3 ..." -> {blocks: 5, ...}.
std::map<std::string, long long> diff_of(const std::string& out, const std::string& name) {
    std::istringstream lines(out);
    std::string line;
    std::map<std::string, long long> fields;
    while (std::getline(lines, line)) {
        if (line.compare(0, name.size() + 2, name + ": ") != 0) continue;
        std::istringstream words(line.substr(name.size() + 2));
        std::string key;
        long long value = 0;
        while (words >> key >> value) fields[key] = value;
    }
    REQUIRE_MESSAGE(!fields.empty(), "no line " << name << ": in the output");
    return fields;
}

// The sequence numbers on the group lines of the report that starts with the line containing
// `heading` (up to the next summary line).
seq_set listed_seqs(const std::vector<std::string>& lines, const std::string& heading) {
    seq_set seqs;
    bool inside = false;
    std::regex const number("#([0-9]+)");
    for (const std::string& line : lines) {
        if (line.find(heading) != std::string::npos) {
            inside = true;
            continue;
        }
        if (!inside) continue;
        if (line.find(" allocated at ") == std::string::npos) {
            if (line.find("leakguard:    ") == 0) continue; // a stack frame
            break;
        }
        std::string const sites = line.substr(line.find(", thread "));
        for (std::sregex_iterator m(sites.begin(), sites.end(), number), end; m != end; ++m)
            seqs.insert(std::stoull((*m)[1]));
    }
    return seqs;
}

} // namespace

TEST_CASE("snapshot: report_since lists exactly the newer survivors, by sequence number") {
    cases::temp_dir out;
    auto r = run_case("snapshot", "", {out.file("since.json")});
    INFO(r.describe());
    REQUIRE(r.status() == 0); // a report_since is no leak report: the exit status stays
    auto const snap = numbers_of(r.proc.out, "snapshot");
    REQUIRE(snap.size() == 3);
    auto const old = numbers_of(r.proc.out, "old");
    auto const freed = numbers_of(r.proc.out, "freed_new");
    auto const kept_list = numbers_of(r.proc.out, "kept_new");
    auto const late = numbers_of(r.proc.out, "late");
    REQUIRE(old.size() == 5);
    REQUIRE(freed.size() == 1);
    REQUIRE(kept_list.size() == 6);
    REQUIRE(late.size() == 1);
    seq_set const kept(kept_list.begin(), kept_list.end());
    REQUIRE(kept.size() == 6);
    // The numbers themselves: old ones below the snapshot's, new ones (the thread's too) at or above.
    for (auto s : old) CHECK(s < snap[0]);
    for (auto s : kept) CHECK((s >= snap[0] && s < snap[1]));
    CHECK(freed[0] >= snap[0]);
    CHECK((late[0] >= snap[1] && late[0] < snap[2]));

    // The text: the summary line, then exactly the kept blocks' numbers on the group lines.
    auto const lines = r.leakguard_lines();
    std::string const since = "since the snapshot at #" + std::to_string(snap[0]);
    CHECK(r.proc.err.find("leakguard: " + since) != std::string::npos);
    CHECK(r.proc.err.find("in 6 blocks allocated then still alive, from 3 allocation sites") != std::string::npos);
    CHECK(listed_seqs(lines, since) == kept);
    CHECK(r.proc.err.find("make_new") != std::string::npos);
    CHECK(r.proc.err.find("make_thread_block") != std::string::npos);
    CHECK(r.proc.err.find("make_other") != std::string::npos);
    CHECK(numbers_of(r.proc.out, "report_since") == std::vector<unsigned long long>{6});

    // diff: the survivors of [s1, s2), either order; the counters' differences as they are (two
    // old frees and a new one against seven allocations: +4 live blocks, yet six new survivors).
    auto const d12 = diff_of(r.proc.out, "d12");
    CHECK(d12.at("blocks") == 6);
    CHECK(d12.at("sites") == 3);
    CHECK(d12.at("bytes") == 3 * long(sizeof(long)) + 2 * 24 + long(sizeof(short)));
    CHECK(d12 == diff_of(r.proc.out, "d21"));
    auto const d23 = diff_of(r.proc.out, "d23");
    CHECK(d23.at("blocks") == 1);
    CHECK(d23.at("sites") == 1);
    CHECK(d23.at("bytes") == long(sizeof(double)));
    CHECK(d23.at("allocations") >= 1);
    auto const d1now = diff_of(r.proc.out, "d1now");
    CHECK(d1now.at("blocks") == 7);
    CHECK(d1now.at("sites") == 4);
    CHECK(diff_of(r.proc.out, "d0").at("blocks") >= 3); // from the start: old 2, 3 and the thread's first

    // report_diff's text: the one block of [s2, s3).
    std::string const between =
        "between the snapshots at #" + std::to_string(snap[1]) + " and #" + std::to_string(snap[2]);
    CHECK(listed_seqs(lines, between) == seq_set{late[0]});
    CHECK(r.proc.err.find("make_late") != std::string::npos);

    // write_since_json: the kept blocks and the late one, each with its stack.
    CHECK(numbers_of(r.proc.out, "json") == std::vector<unsigned long long>{1});
    auto const json = cases::load_json(out.file("since.json"));
    REQUIRE(json.is_object());
    CHECK(json["snapshot"]["seq"] == snap[0]);
    CHECK(json["summary"]["blocks"] == 7);
    CHECK(json["summary"]["sites"] == 4);
    seq_set in_json;
    for (const auto& leak : json["leaks"]) {
        in_json.insert(leak["seq"].get<unsigned long long>());
        CHECK(leak["loss"] == "unchecked");
        CHECK(leak["stack"].is_array());
    }
    seq_set expected = kept;
    expected.insert(late[0]);
    CHECK(in_json == expected);
}

TEST_CASE("snapshot: report=off writes nothing, and the count stays") {
    cases::temp_dir out;
    auto r = run_case("snapshot", "report=off", {out.file("since.json")});
    INFO(r.describe());
    REQUIRE(r.status() == 0);
    CHECK(r.proc.err.find("since the snapshot") == std::string::npos);
    CHECK(numbers_of(r.proc.out, "report_since") == std::vector<unsigned long long>{6});
}
