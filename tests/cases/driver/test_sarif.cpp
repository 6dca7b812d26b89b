// The SARIF log (sarif.cpp; docs/report-format.md, "SARIF"): one result per loss record, with the
// JSON report's fingerprint and every path as a code flow, and one per heap error with its frees
// as related locations; locations relative to srcroot for files under it; a log the OASIS SARIF
// 2.1.0 schema accepts (skipped where the schema file or python3's jsonschema is missing).
#include <doctest/doctest.h>

#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <unistd.h>
#include <vector>

#include "case_run.hpp"

#ifndef LEAKGUARD_CASES_SOURCE_ROOT
#error "LEAKGUARD_CASES_SOURCE_ROOT (the repository root) must be defined by the build"
#endif
#ifndef LEAKGUARD_CASES_BUILD_ROOT
#error "LEAKGUARD_CASES_BUILD_ROOT (the directory of sarif_moved's source) must be defined by the build"
#endif

using cases::run_case;

namespace {

const std::string kSourceRoot = LEAKGUARD_CASES_SOURCE_ROOT;

// "%20" -> ' ' and the like.
std::string decode_uri(const std::string& uri) {
    std::string out;
    for (std::size_t i = 0; i < uri.size(); ++i) {
        if (uri[i] == '%' && i + 2 < uri.size()) {
            out += static_cast<char>(std::stoi(uri.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            out += uri[i];
        }
    }
    return out;
}

std::string normal(const std::string& path) { return std::filesystem::path(path).lexically_normal().string(); }

// A case run with sarif_path (in its own directory) and `options`; the log, parsed (null when absent).
struct sarif_run {
    cases::temp_dir dir;
    std::string path = dir.file("leakguard.sarif");
    cases::case_result run;
    nlohmann::json log;

    sarif_run(const std::string& name, const std::string& options) {
        run = run_case(name, "sarif_path=" + path + (options.empty() ? "" : ":" + options));
        log = cases::load_json(path);
        if (log.is_discarded()) log = nullptr;
    }
    const nlohmann::json& result_list() const { return log["runs"][0]["results"]; }
    // The results of one rule.
    std::vector<nlohmann::json> results(const std::string& rule) const {
        std::vector<nlohmann::json> out;
        for (const auto& r : result_list())
            if (r["ruleId"] == rule) out.push_back(r);
        return out;
    }
    // The file a location names, as an absolute path: its uri resolved against its base.
    std::string file_of(const nlohmann::json& location) const {
        const auto& artifact = location["physicalLocation"]["artifactLocation"];
        std::string const uri = artifact["uri"].get<std::string>();
        if (artifact.contains("uriBaseId")) {
            std::string const base =
                log["runs"][0]["originalUriBaseIds"][artifact["uriBaseId"].get<std::string>()]["uri"];
            return normal(decode_uri(base.substr(7)) + decode_uri(uri)); // "file://"
        }
        REQUIRE(uri.compare(0, 8, "file:///") == 0);
        return normal(decode_uri(uri.substr(7)));
    }
};

// Every location object of the log, wherever it is nested.
void each_location(const nlohmann::json& node, const std::function<void(const nlohmann::json&)>& visit) {
    if (node.is_object()) {
        if (node.contains("physicalLocation")) visit(node);
        for (const auto& item : node.items()) each_location(item.value(), visit);
    } else if (node.is_array()) {
        for (const auto& item : node) each_location(item, visit);
    }
}

// Checks every location of the log: relative to the run's SRCROOT (uriBaseId, no leading '/')
// for a file under `root`, an absolute file:// URI for the others. Returns how many were relative.
int check_locations(const sarif_run& s, const std::string& root) {
    int relative = 0;
    each_location(s.log, [&](const nlohmann::json& location) {
        const auto& artifact = location["physicalLocation"]["artifactLocation"];
        INFO(location.dump());
        REQUIRE(artifact["uri"].is_string());
        std::string const uri = artifact["uri"];
        std::string const file = s.file_of(location);
        bool const under = file.compare(0, root.size() + 1, root + "/") == 0;
        CHECK(under == artifact.contains("uriBaseId"));
        if (under) {
            CHECK(artifact["uriBaseId"] == "SRCROOT");
            CHECK(uri[0] != '/');
            CHECK(uri.find("file:") != 0);
            ++relative;
        }
    });
    return relative;
}

// The JSON report's frames of a path down to main, as the code flows list them.
std::vector<std::string> path_functions(const nlohmann::json& path) {
    std::vector<std::string> out;
    for (const auto& frame : path["stack"]) {
        // A frame without a name (code of the C++ runtime's start-up, reached through its unwind
        // tables) is its module and offset, as the log's step says.
        if (frame["function"].is_string()) out.push_back(frame["function"].get<std::string>());
        else if (frame["file"].is_string())
            out.push_back(frame["file"].get<std::string>() + ":" + frame["line"].dump());
        else
            out.push_back(cases::base_name(frame["module"].get<std::string>()) + "+" +
                          frame["offset"].get<std::string>());
        if (out.back() == "main") break;
    }
    return out;
}

} // namespace

TEST_CASE("sarif: one result per loss record and per heap error, at locations relative to srcroot") {
    // srcroot given with a '/' at the end and a detour: it is normalised.
    sarif_run s("sarif", "show_reachable=1:srcroot=" + kSourceRoot + "/tests/../");
    INFO(s.run.describe());
    CHECK(s.run.status() == cases::kLeakExit);
    REQUIRE(s.run.has_report);
    REQUIRE(s.log.is_object());
    INFO(s.log.dump(1));
    CHECK(s.log["version"] == "2.1.0");
    REQUIRE(s.log["runs"].size() == 1);
    const auto& run = s.log["runs"][0];
    CHECK(run["tool"]["driver"]["name"] == "leakguard");
    CHECK(run["tool"]["driver"]["version"].is_string());
    CHECK(decode_uri(run["originalUriBaseIds"]["SRCROOT"]["uri"].get<std::string>()) ==
          "file://" + normal(kSourceRoot) + "/");

    // The rules: each id once, and each result's ruleIndex names its ruleId.
    const auto& rules = run["tool"]["driver"]["rules"];
    std::set<std::string> ids;
    for (const auto& rule : rules) ids.insert(rule["id"].get<std::string>());
    CHECK(ids.size() == rules.size());
    for (const char* id : {"leakguard.definitely-lost", "leakguard.indirectly-lost", "leakguard.possibly-lost",
                           "leakguard.still-reachable", "leakguard.double-free", "leakguard.invalid-free",
                           "leakguard.alloc-dealloc-mismatch", "leakguard.heap-overflow", "leakguard.heap-underflow",
                           "leakguard.use-after-free"})
        CHECK_MESSAGE(ids.count(id) == 1, id);
    for (const auto& result : s.result_list())
        CHECK(rules[result["ruleIndex"].get<std::size_t>()]["id"] == result["ruleId"]);

    // One result per loss record, in the records' order, then one per heap error. (The records
    // still reachable depend on the build: the C library's own blocks are tracked where leakguard
    // defines malloc, not under a sanitizer.)
    const auto& records = s.run.report["records"];
    const auto& errors = s.run.report["errors"];
    REQUIRE(records.size() >= 2); // alloc_buffer (definitely lost), g_kept (still reachable), ...
    REQUIRE(errors.size() == 2);
    REQUIRE(s.result_list().size() == records.size() + errors.size());
    const std::map<std::string, std::string> rule_of = {{"definite", "leakguard.definitely-lost"},
                                                        {"indirect", "leakguard.indirectly-lost"},
                                                        {"possible", "leakguard.possibly-lost"},
                                                        {"reachable", "leakguard.still-reachable"}};
    const std::map<std::string, std::string> words_of = {{"definite", " definitely lost ("},
                                                         {"indirect", " indirectly lost ("},
                                                         {"possible", " possibly lost ("},
                                                         {"reachable", " still reachable ("}};
    for (std::size_t i = 0; i < records.size(); ++i) {
        const auto& record = records[i];
        const auto& result = s.result_list()[i];
        INFO("record " << i << ": " << record.dump());
        std::string const loss = record["loss"];
        CHECK(result["ruleId"] == rule_of.at(loss));
        CHECK(result["level"] == (loss == "reachable" ? "note" : "error")); // leak_kinds: the three lost kinds
        CHECK(result["partialFingerprints"]["leakguard/v1"] == record["fingerprint"]);
        std::string const message = result["message"]["text"];
        CHECK(message.find(std::to_string(record["bytes"].get<long long>()) + " bytes in " +
                           std::to_string(record["blocks"].get<long long>()) + " block") == 0);
        CHECK(message.find(words_of.at(loss) + record["kind"].get<std::string>() + ") allocated at ") !=
              std::string::npos);
        // At the site: the JSON record's file and line.
        REQUIRE(result["locations"].size() == 1);
        const auto& at = result["locations"][0];
        if (record["file"].is_string()) {
            CHECK(s.file_of(at) == normal(record["file"].get<std::string>()));
            CHECK(at["physicalLocation"]["region"]["startLine"] == record["line"]);
        }
        // Each path a code flow: from main down to the site, as the JSON path's frames.
        REQUIRE(result["codeFlows"].size() == record["paths"].size());
        for (std::size_t p = 0; p < record["paths"].size(); ++p) {
            const auto& flow = result["codeFlows"][p];
            CHECK(flow["message"]["text"].get<std::string>().find(" by path " + std::to_string(p + 1) + " of ") !=
                  std::string::npos);
            if (record["paths"][p]["stack"].empty()) continue; // no stack: the site alone
            std::vector<std::string> steps;
            for (const auto& step : flow["threadFlows"][0]["locations"])
                steps.insert(steps.begin(), step["location"]["message"]["text"].get<std::string>());
            CHECK(steps == path_functions(record["paths"][p]));
        }
    }
    // g_kept's block: a note, at its line in main.
    int kept = 0;
    for (const auto& result : s.results("leakguard.still-reachable")) {
        if (result["message"]["text"] != "16 bytes in 1 block still reachable (new[]) allocated at main") continue;
        ++kept;
        CHECK(result["level"] == "note");
        CHECK(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] ==
              "tests/cases/programs/sarif.cpp");
    }
    CHECK(kept == 1);
    const auto buffer = s.results("leakguard.definitely-lost");
    REQUIRE(buffer.size() == 1);
    CHECK(buffer[0]["message"]["text"] ==
          "256 bytes in 5 blocks definitely lost (new[]) allocated at alloc_buffer(unsigned int)");
    CHECK(buffer[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "tests/cases/programs/sarif.cpp");
    REQUIRE(buffer[0]["codeFlows"].size() == 2);
    // Largest path first: from_http (3 blocks), then from_disk (2); each flow main -> caller -> site.
    const auto& http = buffer[0]["codeFlows"][0]["threadFlows"][0]["locations"];
    REQUIRE(http.size() >= 3);
    CHECK(http[0]["location"]["message"]["text"] == "main");
    CHECK(http[http.size() - 2]["location"]["message"]["text"] == "from_http()");
    CHECK(buffer[0]["codeFlows"][1]["message"]["text"] == "2 blocks (64 bytes) by path 2 of 2");

    // The heap errors: at the allocation in main, the frees as related locations.
    const auto twice = s.results("leakguard.double-free");
    REQUIRE(twice.size() == 1);
    CHECK(twice[0]["level"] == "error");
    REQUIRE(twice[0]["locations"].size() == 1);
    CHECK(twice[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "tests/cases/programs/sarif.cpp");
    CHECK(twice[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == errors[0]["alloc_line"]);
    CHECK(twice[0]["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "main");
    const auto& frees = twice[0]["relatedLocations"];
    REQUIRE(frees.size() == 2);
    CHECK(frees[0]["message"]["text"] == "freed again here (delete)");
    CHECK(frees[1]["message"]["text"] == "first freed here");
    for (const auto& f : frees) {
        CHECK(f["logicalLocations"][0]["fullyQualifiedName"].get<std::string>().find("drop(int*)") !=
              std::string::npos);
        CHECK(f["physicalLocation"]["artifactLocation"]["uri"] == "tests/cases/programs/sarif.cpp");
    }
    CHECK(frees[0]["physicalLocation"]["region"]["startLine"] == errors[0]["free_line"]);

    const auto mismatch = s.results("leakguard.alloc-dealloc-mismatch");
    REQUIRE(mismatch.size() == 1);
    CHECK(mismatch[0]["message"]["text"].get<std::string>().find(
              "alloc_dealloc_mismatch: 16 bytes (new[]) allocated at main, given back by delete at main") == 0);
    REQUIRE(mismatch[0]["relatedLocations"].size() == 1);
    CHECK(mismatch[0]["relatedLocations"][0]["message"]["text"] == "given back here by delete");
    CHECK(mismatch[0]["relatedLocations"][0]["physicalLocation"]["region"]["startLine"] == errors[1]["free_line"]);

    // Every location: relative for the files of the source tree, absolute for the others.
    CHECK(check_locations(s, normal(kSourceRoot)) >= 10);

    // The errors' fingerprints: 16 hex digits, distinct, the same for a build from another directory.
    std::string const fp_twice = twice[0]["partialFingerprints"]["leakguard/v1"];
    std::string const fp_mismatch = mismatch[0]["partialFingerprints"]["leakguard/v1"];
    CHECK(fp_twice.size() == 16);
    CHECK(fp_twice.find_first_not_of("0123456789abcdef") == std::string::npos);
    CHECK(fp_twice != fp_mismatch);
    sarif_run moved("sarif_moved", "show_reachable=1");
    REQUIRE(moved.log.is_object());
    std::vector<std::string> here, there;
    for (const auto& r : s.result_list()) here.push_back(r["partialFingerprints"]["leakguard/v1"]);
    for (const auto& r : moved.result_list()) there.push_back(r["partialFingerprints"]["leakguard/v1"]);
    CHECK(here == there);
}

TEST_CASE("sarif: srcroot defaults to the start-up directory, and uris are percent-encoded") {
    // sarif_moved is built from "<build>/sarif src/sarif.cpp": its locations under srcroot read
    // "sarif%20src/sarif.cpp".
    sarif_run moved("sarif_moved", "srcroot=" LEAKGUARD_CASES_BUILD_ROOT);
    INFO(moved.run.describe());
    REQUIRE(moved.log.is_object());
    INFO(moved.log.dump(1));
    const auto buffer = moved.results("leakguard.definitely-lost");
    REQUIRE(buffer.size() == 1);
    CHECK(buffer[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "sarif%20src/sarif.cpp");
    CHECK(check_locations(moved, normal(LEAKGUARD_CASES_BUILD_ROOT)) >= 5);

    // No srcroot: the directory the program started in (the driver's, which it inherits).
    char cwd[4096];
    REQUIRE(::getcwd(cwd, sizeof cwd) != nullptr);
    sarif_run plain("sarif", "");
    REQUIRE(plain.log.is_object());
    INFO(plain.log.dump(1));
    CHECK(decode_uri(plain.log["runs"][0]["originalUriBaseIds"]["SRCROOT"]["uri"].get<std::string>()) ==
          "file://" + normal(cwd) + (normal(cwd) == "/" ? "" : "/"));
    check_locations(plain, normal(cwd));
    // Without show_reachable the reachable block is no result: the record and the two errors.
    CHECK(plain.result_list().size() == 3);

    // A log that cannot be written: one warning, and the rest of the report as usual.
    auto unwritable = run_case("sarif", "sarif_path=/nonexistent-leakguard-dir/log.sarif");
    INFO(unwritable.describe());
    CHECK(cases::lines_containing(unwritable.proc.err, "warning: cannot write sarif_path "
                                                       "'/nonexistent-leakguard-dir/log.sarif'")
              .size() == 1);
    CHECK(unwritable.status() == cases::kLeakExit);
    CHECK(unwritable.has_report);
}

TEST_CASE("sarif: the log validates against the SARIF 2.1.0 schema") {
    std::string const schema = LEAKGUARD_SARIF_SCHEMA;
    if (!cases::file_exists(schema)) {
        CASES_SKIP("the SARIF schema is not at " << schema << " (../shared/schemas beside the repository)");
        return;
    }
    sarif_run s("sarif", "show_reachable=1:srcroot=" + kSourceRoot);
    sarif_run moved("sarif_moved", "srcroot=" LEAKGUARD_CASES_BUILD_ROOT);
    INFO(s.run.describe());
    REQUIRE(cases::file_exists(s.path));
    REQUIRE(cases::file_exists(moved.path));
    // python3 on PATH, else Debian's (which tools/install-test-deps.sh gives jsonschema).
    std::vector<std::string> pythons;
    for (const std::string& p : {cases::program_on_path("python3"), std::string("/usr/bin/python3")})
        if (!p.empty() && cases::file_exists(p) && (pythons.empty() || pythons[0] != p)) pythons.push_back(p);
    for (const std::string& python : pythons) {
        auto const v = cases::run_process({python, LEAKGUARD_CASES_VALIDATE_SARIF, schema, s.path, moved.path}, {},
                                          s.dir.path(), 60);
        INFO(python << ": " << v.status_text() << "\n" << v.out << v.err);
        if (v.exit_code == 77) continue; // no jsonschema for this python3
        CHECK(v.exit_code == 0);
        CHECK(v.out.find("2 logs valid") != std::string::npos);
        return;
    }
    CASES_SKIP("no python3 with the jsonschema module (Debian's python3-jsonschema)");
}
