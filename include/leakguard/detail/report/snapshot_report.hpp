// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// report/snapshot_report.hpp: the blocks allocated between two sequence numbers that are alive now
// (snapshot.hpp), grouped by site as the exit report groups them, as text and as JSON. No leak
// check: "new and still here". Runs with tracking suspended and allocates only raw memory.
#ifndef LEAKGUARD_DETAIL_REPORT_SNAPSHOT_REPORT_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REPORT_SNAPSHOT_REPORT_HPP_INCLUDED

#include <unistd.h> // close

#include <cstddef> // std::size_t
#include <cstdint> // std::uint64_t

#include "../../snapshot.hpp"
#include "../core/options.hpp"
#include "../core/platform.hpp"
#include "../core/report_stream.hpp"
#include "../core/text.hpp"
#include "collect.hpp"
#include "group_text.hpp"
#include "json_report.hpp"
#include "json_writer.hpp"
#include "leak_groups.hpp"

namespace leakguard {
namespace detail {

// The live blocks with lo <= seq < hi, oldest first (raw memory: free with raw_free). Ignored
// blocks and the C library's own are left out, as a strict scope leaves them out: the C library's
// buffers are no news of the program's (the CRT's dump skips its _CRT_BLOCKs the same way). The
// shards are walked back only as far as lo (collect.hpp: for_each_live).
inline block_list collect_between(std::uint64_t lo, std::uint64_t hi) noexcept {
    block_filter const filter = {lo, 0, false, LEAKGUARD_DETAIL_INTERPOSE_ALLOC != 0};
    block_list list = collect_live(filter);
    std::size_t kept = 0;
    list.bytes = 0;
    for (std::size_t i = 0; i < list.count; ++i) {
        if (list.items[i].seq >= hi) continue;
        list.items[kept++] = list.items[i];
        list.bytes += list.items[i].size;
    }
    list.count = kept;
    return list;
}

// b minus a, as the difference of two counters that only grow (stats()).
inline std::int64_t counter_change(std::uint64_t a, std::uint64_t b) noexcept {
    return static_cast<std::int64_t>(b - a);
}

// A diff of `from` to `to` whose exact part is the grouped blocks `leaks`.
inline snapshot_diff diff_of(const snapshot& from, const snapshot& to, const grouped_leaks& leaks) noexcept {
    snapshot_diff d;
    d.blocks = leaks.blocks().count;
    d.bytes = leaks.blocks().bytes;
    d.sites = leaks.group_count();
    d.allocations = counter_change(from.allocations, to.allocations);
    d.frees = counter_change(from.frees, to.frees);
    d.live_blocks = counter_change(from.live_blocks, to.live_blocks);
    d.live_bytes = counter_change(from.live_bytes, to.live_bytes);
    return d;
}

// Seconds between two snapshots' clocks, for the summary line.
inline double seconds_between(const snapshot& from, const snapshot& to) noexcept {
    return to.time_ns >= from.time_ns ? static_cast<double>(to.time_ns - from.time_ns) / 1e9 : 0.0;
}

// The summary line and (report=full) the groups. `what` names the range: "since the snapshot at
// #S (T s ago)" or "between the snapshots at #S and #E (T s apart)".
inline void write_between_text(const char* what, const snapshot_diff& d, const grouped_leaks& leaks) noexcept {
    report_mode const mode = g_options.report.load(std::memory_order_relaxed);
    if (mode == report_mode::off) return;
    fd_writer out(report_fd());
    out.printf("leakguard: %s: %zu %s in %zu %s allocated then still alive, from %zu allocation %s "
               "(%lld %s, %lld %s; live blocks %+lld, live bytes %+lld)\n",
               what, d.bytes, plural(d.bytes, "byte", "bytes"), d.blocks, plural(d.blocks, "block", "blocks"), d.sites,
               plural(d.sites, "site", "sites"), static_cast<long long>(d.allocations),
               d.allocations == 1 ? "allocation" : "allocations", static_cast<long long>(d.frees),
               d.frees == 1 ? "free" : "frees", static_cast<long long>(d.live_blocks),
               static_cast<long long>(d.live_bytes));
    if (mode == report_mode::full) write_groups(out, leaks, report_layout);
}

// The JSON document of write_since_json: the snapshot, a summary (the diff from the snapshot to
// `now`) and the blocks as the exit report's "leaks" items (their "loss" "unchecked").
inline void write_since_json_doc(fd_writer& out, const snapshot& s, const snapshot& now, const snapshot_diff& d,
                                 const grouped_leaks& leaks) noexcept {
    json_writer json(out);
    begin_json_document(json);
    json.new_line();
    json.key("snapshot");
    json.begin_object();
    json.key("seq").number(s.seq);
    json.key("allocations").number(s.allocations);
    json.key("frees").number(s.frees);
    json.key("live_blocks").number(s.live_blocks);
    json.key("live_bytes").number(s.live_bytes);
    json.key("time_ns").number(s.time_ns);
    json.end_object();
    json.new_line();
    json.key("summary");
    json.begin_object();
    json.key("blocks").number(d.blocks);
    json.key("bytes").number(d.bytes);
    json.key("sites").number(d.sites);
    json.key("allocations").number(static_cast<long long>(d.allocations));
    json.key("frees").number(static_cast<long long>(d.frees));
    json.key("live_blocks_change").number(static_cast<long long>(d.live_blocks));
    json.key("live_bytes_change").number(static_cast<long long>(d.live_bytes));
    json.key("elapsed_ns").number(now.time_ns >= s.time_ns ? now.time_ns - s.time_ns : 0);
    json.end_object();
    json.new_line();
    json.key("leaks");
    json.begin_array();
    write_json_leaks(json, leaks);
    json.end_array();
    json.end_object();
}

// Writes write_since_json's document to `path`; false when it cannot be opened.
inline bool write_since_json_file(const char* path, const snapshot& s, const snapshot& now, const snapshot_diff& d,
                                  const grouped_leaks& leaks) noexcept {
    int const fd = path && path[0] ? open_for_writing(path) : -1;
    if (fd < 0) {
        fd_writer err(report_fd());
        err.printf("leakguard: warning: cannot write the snapshot JSON '%s'\n", path ? path : "");
        return false;
    }
    {
        fd_writer out(fd);
        write_since_json_doc(out, s, now, d, leaks);
    }
    ::close(fd);
    return true;
}

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_REPORT_SNAPSHOT_REPORT_HPP_INCLUDED
