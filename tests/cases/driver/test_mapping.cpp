// The malloc and new mappings (LEAKGUARD_MAP_MALLOC, LEAKGUARD_MAP_NEW): mapped blocks at their
// file:line, the C semantics, and memory crossing between leakguard and the C library both ways.
// Each case program prints the lines it expects in the report; the JSON must name exactly those.
#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

#include "case_run.hpp"

using cases::base_name;
using cases::run_case;
using cases::summary;

namespace {

// The integers printed after `key` on stdout ("lines 12 14 17" -> {12, 14, 17}).
std::vector<int> numbers_after(const std::string& out, const std::string& key) {
    std::vector<int> found;
    std::size_t const at = out.find(key);
    if (at == std::string::npos) return found;
    std::istringstream in(out.substr(at + key.size()));
    int n = 0;
    while (in >> n) found.push_back(n);
    return found;
}

// The leaks of the report whose site is in file `source` (blocks of the C and C++ libraries'
// own, listed with show_reachable=1, are elsewhere).
nlohmann::json leaks_from(const nlohmann::json& report, const std::string& source) {
    nlohmann::json found = nlohmann::json::array();
    for (const auto& leak : report["leaks"])
        if (leak["file"].is_string() && base_name(leak["file"].get<std::string>()) == source) found.push_back(leak);
    return found;
}

// Every leak of `leaks` is at file `source` and its line is one of `lines`; returns how many
// leaks each line has, in the order of `lines`.
std::vector<int> leaks_per_line(const nlohmann::json& leaks, const std::string& source, const std::vector<int>& lines) {
    std::vector<int> counts(lines.size(), 0);
    for (const auto& leak : leaks) {
        INFO(leak.dump());
        REQUIRE(leak["file"].is_string());
        CHECK(base_name(leak["file"].get<std::string>()) == source);
        bool matched = false;
        for (std::size_t i = 0; i < lines.size(); ++i)
            if (leak["line"] == lines[i]) {
                ++counts[i];
                matched = true;
            }
        CHECK(matched);
    }
    return counts;
}

// Whether the case programs define free/realloc (not under ASan/TSan/MSan: see CMakeLists.txt).
bool interposed() {
    if (LEAKGUARD_CASES_INTERPOSE) return true;
    CASES_SKIP("built under a sanitizer: leakguard leaves free/realloc to its runtime");
    return false;
}

} // namespace

TEST_CASE("map_malloc_twenty_blocks_at_one_line") {
    auto r = run_case("malloc_twenty");
    INFO(r.describe());
    CHECK(r.status() == cases::kLeakExit);
    std::vector<int> const line = numbers_after(r.proc.out, "line");
    REQUIRE(line.size() == 1);
    REQUIRE(r.has_report);
    CHECK(summary(r.report, "leaked_blocks") == 20);
    CHECK(summary(r.report, "leaked_bytes") == 20 * (1 << 20));
    CHECK(leaks_per_line(r.report["leaks"], "malloc_twenty.cpp", line) == std::vector<int>{20});
    for (const auto& leak : r.report["leaks"]) {
        CHECK(leak["kind"] == "malloc");
        CHECK(leak["loss"] == "definite");
        CHECK(leak["size"] == 1 << 20);
        CHECK(leak["function"] == "main"); // from the return address, next to the macro's file:line
    }
    // The text report shows one group at that line.
    auto const groups =
        cases::lines_containing(r.proc.err, "in 20 blocks definitely lost (malloc, 1048576 bytes each) allocated at ");
    REQUIRE(groups.size() == 1);
    CHECK(groups[0].find("malloc_twenty.cpp:" + std::to_string(line[0]) + " in main") != std::string::npos);
}

TEST_CASE("map_malloc_memwatch_sample") {
    // The 100-byte block is lost; the two 50-byte ones are kept by globals (still reachable,
    // listed with show_reachable=1).
    auto r = run_case("memwatch_sample", "show_reachable=1");
    INFO(r.describe());
    CHECK(r.status() == cases::kLeakExit);
    std::vector<int> const lines = numbers_after(r.proc.out, "lines");
    REQUIRE(lines.size() == 3);
    REQUIRE(r.has_report);
    CHECK(summary(r.report, "leaked_blocks") == 1);
    CHECK(summary(r.report, "leaked_bytes") == 100);
    auto const mine = leaks_from(r.report, "memwatch_sample.cpp");
    CHECK(leaks_per_line(mine, "memwatch_sample.cpp", lines) == std::vector<int>{1, 1, 1});
    for (const auto& leak : mine) {
        bool const first = leak["line"] == lines[0];
        CHECK(leak["size"] == (first ? 100 : 50));
        CHECK(leak["loss"] == (first ? "definite" : "reachable"));
    }
}

TEST_CASE("map_malloc_c_semantics") {
    auto r = run_case("c_semantics", "show_reachable=1");
    INFO(r.describe());
    CHECK(r.proc.out.find("c_semantics: 0 failures") == 0);
    CHECK(r.status() == 0); // the realloc'd block kept on purpose is still reachable: no failure
    std::vector<int> const line = numbers_after(r.proc.out, "realloc line");
    REQUIRE(line.size() == 1);
    REQUIRE(r.has_report);
    CHECK(r.report["errors"].empty());
    CHECK(summary(r.report, "leaked_blocks") == 0);
    auto const mine = leaks_from(r.report, "c_semantics.cpp");
    REQUIRE(mine.size() == 1);
    const auto& leak = mine[0];
    CHECK(leak["loss"] == "reachable");
    CHECK(leak["kind"] == "realloc");
    CHECK(leak["size"] == 1000);
    CHECK(leak["line"] == line[0]);
}

TEST_CASE("map_malloc_getline_grows_a_mapped_buffer") {
    if (!interposed()) return;
    // The grown buffer is kept by a global: still reachable, listed with show_reachable=1.
    auto r = run_case("getline_mapped", "show_reachable=1");
    INFO(r.describe());
    CHECK(r.status() == 0);
    std::vector<int> const capacity = numbers_after(r.proc.out, "capacity");
    REQUIRE(capacity.size() == 1);
    CHECK(r.proc.out.find("getline_mapped: ok") == 0);
    REQUIRE(r.has_report);
    CHECK(r.report["errors"].empty());
    CHECK(summary(r.report, "leaked_blocks") == 0);
    // Reallocated by the C library's getline, through leakguard's realloc: the site is getline's.
    std::vector<nlohmann::json> grown;
    for (const auto& leak : r.report["leaks"])
        if (leak["kind"] == "realloc" && leak["size"] == capacity[0]) grown.push_back(leak);
    REQUIRE(grown.size() == 1);
    const auto& leak = grown[0];
    CHECK(leak["loss"] == "reachable");
    CHECK(summary(r.report, "allocations") >= 2); // the malloc and at least one realloc
}

TEST_CASE("map_malloc_libc_owned_memory_goes_back_to_libc") {
    if (!interposed()) return;
    auto r = run_case("libc_owned");
    INFO(r.describe());
    CHECK(r.proc.signal == 0);
    CHECK(r.status() == 0);
    CHECK(r.proc.out.rfind("libc_owned: ok\n", 0) == 0);
    CHECK(cases::lines_containing(r.proc.err, "error").empty());
    // What stats() counted from inside, over main's calls (the exit JSON also counts the C and C++
    // runtime's own blocks): every block freed, the five the program frees itself at least.
    std::vector<int> const allocations = numbers_after(r.proc.out, "tracked: allocations");
    REQUIRE(allocations.size() == 1);
    std::vector<int> const frees = numbers_after(r.proc.out, "frees");
    REQUIRE(frees.size() == 1);
    CHECK(allocations[0] >= 5);
    CHECK(frees[0] == allocations[0]);
    REQUIRE(r.has_report);
    CHECK(r.report["errors"].empty());
    CHECK(summary(r.report, "leaked_blocks") == 0);
}

TEST_CASE("map_malloc_blocks_freed_inside_a_shared_library") {
    if (!interposed()) return;
    auto r = run_case("shared_free");
    INFO(r.describe());
    CHECK(r.proc.signal == 0);
    CHECK(r.status() == 0);
    CHECK(r.proc.out == "shared_free: ok, live while grown 1\n");
    REQUIRE(r.has_report);
    CHECK(r.report["errors"].empty());
    CHECK(summary(r.report, "leaked_blocks") == 0);
}

TEST_CASE("map_new_keeps_every_form_of_new_working") {
    // The five blocks are kept by globals: still reachable (the new[] one through the newarray
    // heuristic), listed with show_reachable=1, and the run keeps the program's status.
    auto r = run_case("map_new", "show_reachable=1");
    INFO(r.describe());
    CHECK(r.proc.out.find("map_new: 0 failures") == 0);
    CHECK(r.status() == 0);
    std::vector<int> const lines = numbers_after(r.proc.out, "lines");
    REQUIRE(lines.size() == 5);
    REQUIRE(r.has_report);
    CHECK(r.report["errors"].empty());
    CHECK(summary(r.report, "leaked_blocks") == 0);
    auto const mine = leaks_from(r.report, "map_new.cpp");
    CHECK(leaks_per_line(mine, "map_new.cpp", lines) == std::vector<int>{1, 1, 1, 1, 1});
    for (const auto& leak : mine) CHECK(leak["loss"] == "reachable");
}
