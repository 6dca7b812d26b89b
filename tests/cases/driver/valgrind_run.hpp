// valgrind memcheck on a case's plain build, and leakguard's JSON report of its tracked build,
// both read as valgrind's four leak kinds: the amounts per kind over the whole process, and the
// amounts of the blocks a given source file allocated itself.
#ifndef LEAKGUARD_CASES_VALGRIND_RUN_HPP
#define LEAKGUARD_CASES_VALGRIND_RUN_HPP

#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "process.hpp"

namespace cases {

// valgrind as found on PATH when the tests run (empty when it is not there): a machine without it
// skips the cross-checks, whatever the machine that configured the build had.
std::string valgrind_on_path();

// A count as valgrind prints it: "72,704" -> 72704.
long long parse_count(const std::string& digits);

struct amount {
    long long blocks = 0;
    long long bytes = 0;
};
inline bool operator==(amount a, amount b) { return a.blocks == b.blocks && a.bytes == b.bytes; }
inline bool operator!=(amount a, amount b) { return !(a == b); }
inline std::ostream& operator<<(std::ostream& out, amount a) {
    return out << a.bytes << " bytes in " << a.blocks << " blocks";
}

// valgrind's kinds, in its order. Kind names as in leakguard's JSON "loss".
struct by_kind {
    amount definite, indirect, possible, reachable;
    amount& of(const std::string& loss); // "definite", "indirect", "possible", "reachable"
    amount lost() const;                 // definite + indirect + possible
};
bool operator==(const by_kind& a, const by_kind& b);
std::ostream& operator<<(std::ostream& out, const by_kind& k);

// One loss record of valgrind's report: "N bytes in M blocks are <kind> in loss record ...".
struct loss_record {
    std::string loss; // as in by_kind::of
    amount total;
    std::vector<std::string> frames; // "at ..." then "by ..." lines, trimmed
};

struct valgrind_run {
    process_result proc;
    bool finished = false; // valgrind printed its ERROR SUMMARY
    long long errors = -1; // from the ERROR SUMMARY
    by_kind totals;        // the LEAK SUMMARY (all zero when "All heap blocks were freed")
    std::vector<loss_record> records;

    // The records whose allocation site - the frame that called the allocator, the first "by"
    // line - is in `source` (a file name without directories), summed per kind.
    by_kind allocated_in(const std::string& source) const;
    // The records of the kinds that count as errors (definite, possible): with
    // --errors-for-leak-kinds=definite,possible each is one error.
    long long error_records() const;
    // The LEAK SUMMARY without the records of a running thread's DTV (a frame of the stack is
    // _dl_allocate_tls), the dynamic loader's block that leakguard counts as still reachable where
    // valgrind says possibly lost (cross_check.hpp): the totals to compare leakguard's with.
    by_kind totals_without_dtv() const;
};

// Runs `program` under valgrind --leak-check=full --show-leak-kinds=all
// --errors-for-leak-kinds=definite,possible, its output captured in `capture_dir`.
valgrind_run run_valgrind(const std::string& valgrind, const std::string& program, const std::vector<std::string>& args,
                          const std::string& capture_dir);

// leakguard's side: summary per kind from the JSON report ("definitely_lost_blocks", ...).
by_kind leakguard_totals(const nlohmann::json& report);
// The report's leaks (each with its "loss") whose allocation site - the first frame of its stack,
// or its file when it has no stack - is in `source`, summed per kind.
by_kind leakguard_allocated_in(const nlohmann::json& report, const std::string& source);
// The report's leaks summed per kind, whatever their site.
by_kind leakguard_listed(const nlohmann::json& report);

} // namespace cases

#endif
