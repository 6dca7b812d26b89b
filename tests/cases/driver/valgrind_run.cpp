// See valgrind_run.hpp.
#include "valgrind_run.hpp"

#include <cstdlib>
#include <regex>
#include <sstream>

#include "case_run.hpp"

namespace cases {

// LEAKGUARD_CASES_NO_VALGRIND (for a run that leaves the cross-checks to another): the cross-checks ran in the
// gcc stage on the same sources, and agreement with valgrind does not depend on the compiler that
// built leakguard; they are then reported as skipped.
std::string valgrind_on_path() {
    const char* off = std::getenv("LEAKGUARD_CASES_NO_VALGRIND");
    if (off && off[0]) return "";
    return program_on_path("valgrind");
}

amount& by_kind::of(const std::string& loss) {
    if (loss == "definite") return definite;
    if (loss == "indirect") return indirect;
    if (loss == "possible") return possible;
    if (loss == "reachable") return reachable;
    throw std::invalid_argument("no leak kind \"" + loss + "\"");
}

amount by_kind::lost() const {
    return {definite.blocks + indirect.blocks + possible.blocks, definite.bytes + indirect.bytes + possible.bytes};
}

bool operator==(const by_kind& a, const by_kind& b) {
    return a.definite == b.definite && a.indirect == b.indirect && a.possible == b.possible &&
           a.reachable == b.reachable;
}

std::ostream& operator<<(std::ostream& out, const by_kind& k) {
    return out << "{definite " << k.definite << ", indirect " << k.indirect << ", possible " << k.possible
               << ", reachable " << k.reachable << "}";
}

long long parse_count(const std::string& digits) {
    std::string plain;
    for (char c : digits)
        if (c != ',') plain += c;
    return std::stoll(plain);
}

namespace {

// valgrind's words for a kind -> leakguard's.
std::string loss_of(const std::string& words) {
    if (words == "definitely lost") return "definite";
    if (words == "indirectly lost") return "indirect";
    if (words == "possibly lost") return "possible";
    return "reachable"; // "still reachable"
}

// "==123==    by 0x4010CB2: calloc (rtld-malloc.h:44)" -> "by 0x4010CB2: calloc (rtld-malloc.h:44)"
std::string strip_prefix(const std::string& line) {
    static const std::regex prefix("^==[0-9]+==\\s*");
    return std::regex_replace(line, prefix, "", std::regex_constants::format_first_only);
}

bool frame_in(const std::string& frame, const std::string& source) {
    // "(file.cpp:12)", or with directories "(dir/file.cpp:12)"
    return frame.find("(" + source + ":") != std::string::npos || frame.find("/" + source + ":") != std::string::npos;
}

} // namespace

by_kind valgrind_run::allocated_in(const std::string& source) const {
    by_kind sums;
    for (const auto& record : records) {
        if (record.frames.size() < 2 || !frame_in(record.frames[1], source)) continue;
        amount& a = sums.of(record.loss);
        a.blocks += record.total.blocks;
        a.bytes += record.total.bytes;
    }
    return sums;
}

long long valgrind_run::error_records() const {
    long long n = 0;
    for (const auto& record : records)
        if (record.loss == "definite" || record.loss == "possible") ++n;
    return n;
}

namespace {

// "by 0x401171D: _dl_allocate_tls (dl-tls.c:670)": the function, not _dl_allocate_tls_init.
bool allocated_for_thread_tls(const loss_record& record) {
    static const std::regex frame(": _dl_allocate_tls( |$)");
    for (const auto& f : record.frames)
        if (std::regex_search(f, frame)) return true;
    return false;
}

} // namespace

by_kind valgrind_run::totals_without_dtv() const {
    by_kind left = totals;
    for (const auto& record : records) {
        if (!allocated_for_thread_tls(record)) continue;
        amount& a = left.of(record.loss);
        a.blocks -= record.total.blocks;
        a.bytes -= record.total.bytes;
    }
    return left;
}

valgrind_run run_valgrind(const std::string& valgrind, const std::string& program, const std::vector<std::string>& args,
                          const std::string& capture_dir) {
    valgrind_run run;
    std::vector<std::string> argv = {valgrind, "--leak-check=full", "--show-leak-kinds=all",
                                     "--errors-for-leak-kinds=definite,possible", program};
    argv.insert(argv.end(), args.begin(), args.end());
    run.proc = run_process(argv, {}, capture_dir, 100);

    static const std::regex summary_line(
        "(definitely lost|indirectly lost|possibly lost|still reachable): ([0-9,]+) bytes in ([0-9,]+) blocks");
    // "168 (24 direct, 144 indirect) bytes in 1 blocks are definitely lost in loss record 7 of 7": the
    // block itself is the direct part, the rest is counted in the records of the indirect blocks.
    static const std::regex record_line("^([0-9,]+) (?:\\(([0-9,]+) direct, [0-9,]+ indirect\\) )?bytes in ([0-9,]+) "
                                        "blocks are (definitely lost|indirectly lost|possibly lost|still "
                                        "reachable) in loss record");
    static const std::regex errors_line("ERROR SUMMARY: ([0-9,]+) errors");
    std::istringstream in(run.proc.err);
    loss_record* open = nullptr; // the record whose frames follow
    for (std::string raw; std::getline(in, raw);) {
        std::string const line = strip_prefix(raw);
        std::smatch m;
        if (std::regex_search(line, m, record_line)) {
            long long const bytes = parse_count(m[2].matched ? m[2] : m[1]);
            run.records.push_back({loss_of(m[4]), {parse_count(m[3]), bytes}, {}});
            open = &run.records.back();
        } else if (open && (line.rfind("at 0x", 0) == 0 || line.rfind("by 0x", 0) == 0)) {
            open->frames.push_back(line);
        } else {
            open = nullptr;
            if (std::regex_search(line, m, summary_line) && line.find("of which") == std::string::npos) {
                run.totals.of(loss_of(m[1])) = {parse_count(m[3]), parse_count(m[2])};
            } else if (std::regex_search(line, m, errors_line)) {
                run.finished = true;
                run.errors = parse_count(m[1]);
            }
        }
    }
    return run;
}

by_kind leakguard_totals(const nlohmann::json& report) {
    by_kind k;
    k.definite = {summary(report, "definitely_lost_blocks"), summary(report, "definitely_lost_bytes")};
    k.indirect = {summary(report, "indirectly_lost_blocks"), summary(report, "indirectly_lost_bytes")};
    k.possible = {summary(report, "possibly_lost_blocks"), summary(report, "possibly_lost_bytes")};
    k.reachable = {summary(report, "reachable_blocks"), summary(report, "reachable_bytes")};
    return k;
}

namespace {

std::string site_file(const nlohmann::json& leak) {
    const nlohmann::json* file = nullptr;
    if (leak.contains("stack") && leak["stack"].is_array() && !leak["stack"].empty()) file = &leak["stack"][0]["file"];
    else if (leak.contains("file")) file = &leak["file"];
    return file && file->is_string() ? base_name(file->get<std::string>()) : std::string();
}

by_kind sum_leaks(const nlohmann::json& report, const std::string* source) {
    by_kind sums;
    if (!report.is_object() || !report.contains("leaks")) return sums;
    for (const auto& leak : report["leaks"]) {
        if (source && site_file(leak) != *source) continue;
        if (!leak.contains("loss") || !leak["loss"].is_string()) continue;
        amount& a = sums.of(leak["loss"].get<std::string>());
        a.blocks += 1;
        a.bytes += leak.value("size", 0LL);
    }
    return sums;
}

} // namespace

by_kind leakguard_allocated_in(const nlohmann::json& report, const std::string& source) {
    return sum_leaks(report, &source);
}

by_kind leakguard_listed(const nlohmann::json& report) { return sum_leaks(report, nullptr); }

} // namespace cases
