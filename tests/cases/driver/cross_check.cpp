// See cross_check.hpp.
#include "cross_check.hpp"

#include <doctest/doctest.h>

#include <regex>

namespace cases {

const char* const kReachOptions = "show_reachable=1:stack_depth=12";

namespace {

// The amount the text report gives for `kind` ("definitely lost") after "LEAK SUMMARY:", read
// loosely ("1 byte in 1 block" or "24 bytes in 1 blocks"); blocks -1 when not found.
amount summary_text(const std::string& err, const std::string& kind) {
    amount a{-1, -1};
    std::size_t const at = err.find("leakguard: LEAK SUMMARY:");
    if (at == std::string::npos) return a;
    std::regex const pattern(kind + ": ([0-9,]+) bytes? in ([0-9,]+) blocks?");
    std::smatch m;
    std::string const rest = err.substr(at);
    if (std::regex_search(rest, m, pattern)) a = {parse_count(m[2]), parse_count(m[1])};
    return a;
}

} // namespace

void check_report_consistency(const case_result& tracked) {
    REQUIRE(tracked.has_report);
    by_kind const totals = leakguard_totals(tracked.report);
    for (amount a : {totals.definite, totals.indirect, totals.possible, totals.reachable}) {
        CHECK(a.blocks >= 0); // -1: the key is missing
        CHECK(a.bytes >= 0);
    }
    // Default leak_kinds (definite, indirect, possible): those make leaked_*.
    CHECK(summary(tracked.report, "leaked_blocks") == totals.lost().blocks);
    CHECK(summary(tracked.report, "leaked_bytes") == totals.lost().bytes);
    // show_reachable=1: every block of every kind is listed, each with its kind.
    REQUIRE(tracked.report["leaks"].is_array());
    for (const auto& leak : tracked.report["leaks"]) {
        INFO(leak.dump());
        REQUIRE(leak.contains("loss"));
        std::string const loss = leak["loss"].is_string() ? leak["loss"].get<std::string>() : "";
        CHECK((loss == "definite" || loss == "indirect" || loss == "possible" || loss == "reachable"));
    }
    CHECK(leakguard_listed(tracked.report) == totals);

    auto const lines = tracked.leakguard_lines();
    REQUIRE(!lines.empty());
    if (totals.lost().blocks > 0) {
        CHECK(lines[0].find(" lost at exit") != std::string::npos);
        CHECK(summary_text(tracked.proc.err, "definitely lost") == totals.definite);
        CHECK(summary_text(tracked.proc.err, "indirectly lost") == totals.indirect);
        CHECK(summary_text(tracked.proc.err, "possibly lost") == totals.possible);
        CHECK(summary_text(tracked.proc.err, "still reachable") == totals.reachable);
        if (totals.definite.blocks > 0) CHECK(!lines_containing(tracked.proc.err, "definitely lost").empty());
        if (totals.possible.blocks > 0) CHECK(!lines_containing(tracked.proc.err, "possibly lost").empty());
    } else {
        CHECK(lines[0].rfind("leakguard: no leaks at exit", 0) == 0);
    }
    if (totals.reachable.blocks > 0) CHECK(!lines_containing(tracked.proc.err, "still reachable").empty());
}

cross_check_result cross_check_with_valgrind(const std::string& name, const expectation& want,
                                             const std::vector<std::string>& args) {
    cross_check_result result;
    std::string const valgrind = valgrind_on_path();
    if (valgrind.empty()) {
        CASES_SKIP("valgrind is not on PATH (or LEAKGUARD_CASES_NO_VALGRIND is set): no cross-check of " << name);
        return result;
    }
    result.tracked = run_case(name, kReachOptions, args);
    const case_result& tracked = result.tracked;
    INFO("tracked run:\n" << tracked.describe());
    REQUIRE(tracked.has_report);
    check_report_consistency(tracked);
    result.leakguard = leakguard_totals(tracked.report);

    temp_dir dir;
    result.plain = run_valgrind(valgrind, case_path(name + "_plain"), args, dir.path());
    const valgrind_run& plain = result.plain;
    INFO("valgrind: " << plain.proc.status_text() << "\n" << plain.proc.err);
    REQUIRE(plain.finished);
    CHECK(lines_containing(plain.proc.err, "leakguard:").empty()); // really built without it
    // The program is sound: memcheck's only errors are the leaks it was asked to count as errors.
    CHECK(plain.errors == plain.error_records());
    if (!want.out.empty()) {
        CHECK(tracked.proc.out.rfind(want.out, 0) == 0);
        CHECK(plain.proc.out.rfind(want.out, 0) == 0);
    }

    // Without the running threads' DTVs, which leakguard counts as still reachable (cross_check.hpp).
    by_kind const theirs_all = plain.totals_without_dtv();
    MESSAGE(name << ": leakguard " << result.leakguard << "\n    valgrind " << plain.totals
                 << "\n    valgrind without DTVs " << theirs_all);
    if (want.lost_kinds_together) {
        CHECK(result.leakguard.lost() == theirs_all.lost());
    } else {
        CHECK(result.leakguard.definite == theirs_all.definite);
        CHECK(result.leakguard.indirect == theirs_all.indirect);
        CHECK(result.leakguard.possible == theirs_all.possible);
    }
    if (!want.source.empty()) {
        by_kind const mine = leakguard_allocated_in(tracked.report, want.source);
        by_kind const theirs = plain.allocated_in(want.source);
        MESSAGE(name << ", blocks allocated in " << want.source << ": leakguard " << mine << "\n    valgrind "
                     << theirs);
        if (want.lost_kinds_together) {
            CHECK(mine.lost() == theirs.lost());
            CHECK(mine.reachable == theirs.reachable);
        } else {
            CHECK(mine == theirs);
        }
        if (want.has_own) CHECK(theirs == want.own); // the program builds what it says
    }
    if (!want.group.empty()) CHECK(!lines_containing(tracked.proc.err, want.group).empty());

    // The verdict: leakguard fails the run exactly when valgrind finds lost blocks.
    REQUIRE(!plain.proc.timed_out);
    REQUIRE(plain.proc.signal == 0);
    CHECK(tracked.status() == (theirs_all.lost().blocks > 0 ? kLeakExit : plain.proc.exit_code));
    result.ran = true;
    return result;
}

} // namespace cases
