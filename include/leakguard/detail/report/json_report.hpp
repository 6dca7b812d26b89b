// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// report/json_report.hpp: the report for tools - every leaked block (with its call stack, each
// frame named), the failed scopes and the heap errors - as one JSON document (docs/report-format.md: "JSON
// report"). Runs with tracking suspended and allocates only raw memory.
#ifndef LEAKGUARD_DETAIL_REPORT_JSON_REPORT_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REPORT_JSON_REPORT_HPP_INCLUDED

#include <cstddef> // std::size_t
#include <cstdio>  // std::snprintf

#include "../../api.hpp"
#include "../core/options.hpp"
#include "../core/platform.hpp"
#include "../symbolize/site_rules.hpp"
#include "../symbolize/symbolize.hpp"
#include "../version.hpp"
#include "baseline.hpp"
#include "error_report.hpp"
#include "failures.hpp"
#include "json_writer.hpp"
#include "collect.hpp"
#include "leak_groups.hpp"
#include "loss_records.hpp"
#include "site_text.hpp"

namespace leakguard {
namespace detail {

// One frame of a "stack" array: {"function", "file", "line", "module", "offset", "address", "inlined"}.
inline void json_frame(json_writer& json, const symbol_info& sym) noexcept {
    json.begin_object();
    json.key("function").string(sym.function[0] ? sym.function : nullptr);
    json.key("file").string(sym.file[0] ? sym.file : nullptr);
    json.key("line");
    if (sym.file[0]) json.number(sym.line);
    else json.null();
    json.key("module").string(sym.module[0] ? sym.module : nullptr);
    json.key("offset");
    if (sym.module[0]) json.hex(sym.offset);
    else json.null();
    json.key("address").address(sym.address);
    json.key("inlined").boolean(sym.inlined);
    json.end_object();
}

// One leaked block; `sym` names its group's site, `frames` its stack (`frame_count` of them).
inline void json_leak(json_writer& json, const block_info& b, const symbol_info& sym, const symbol_info* frames,
                      std::size_t frame_count) noexcept {
    json.new_line();
    json.begin_object();
    json.key("address").address(b.address);
    json.key("size").number(b.size);
    json.key("kind").string(kind_name(b.kind));
    json.key("loss").string(leak_kind_name(b.loss));
    if (b.indirect_bytes) json.key("indirect_bytes").number(b.indirect_bytes);
    json.key("seq").number(b.seq);
    json.key("thread").number(b.thread);
    json.key("file").string(b.location ? b.location->file : (sym.file[0] ? sym.file : nullptr));
    json.key("line");
    if (b.location) json.number(b.location->line);
    else if (sym.file[0]) json.number(sym.line);
    else json.null();
    json.key("function");
    if (b.location && b.location->function && b.location->function[0]) json.string(b.location->function);
    else json.string(sym.function[0] ? sym.function : nullptr);
    json.key("caller");
    if (b.stack && b.stack_depth > 0) json.address(b.stack[0]);
    else if (b.caller) json.address(b.caller);
    else json.null();
    json.key("module").string(sym.module[0] ? sym.module : nullptr);
    json.key("offset");
    if (sym.module[0]) json.hex(sym.offset);
    else json.null();
    if (frames && b.stack && b.stack_depth > 1) {
        json.key("stack");
        json.begin_array();
        for (std::size_t f = 0; f < frame_count; ++f) json_frame(json, frames[f]);
        json.end_array();
    }
    json.end_object();
}

// The "records" array: each loss record with its site, totals, fingerprint and paths (each with
// its frames, counts, and its blocks' sequence numbers and addresses, oldest first).
inline void write_json_records(json_writer& json, const grouped_leaks& leaks, const loss_records& records) noexcept {
    std::size_t const frame_room = std::size_t(4) * max_stack_depth;
    symbol_info* frames = static_cast<symbol_info*>(raw_alloc(frame_room * sizeof(symbol_info)));
    for (std::size_t r = 0; records.ok() && r < records.count(); ++r) {
        const leak_group& grp = leaks.groups()[r];
        const block_info& lead = leaks.lead(grp);
        symbol_info site;
        code_place const place = site_place(lead, site);
        char fp[17];
        format_fingerprint(records.fingerprint(r), fp);
        json.new_line();
        json.begin_object();
        json.key("number").number(records.number(r));
        json.key("fingerprint").string(fp);
        json.key("known").boolean(records.known(r));
        json.key("loss").string(leak_kind_name(lead.loss));
        json.key("kind").string(kind_name(lead.kind));
        json.key("function").string(place.function);
        json.key("file").string(place.file);
        json.key("line");
        if (place.line) json.number(place.line);
        else json.null();
        json.key("blocks").number(grp.count);
        json.key("bytes").number(grp.bytes);
        json.key("indirect_bytes").number(grp.indirect_bytes);
        json.key("paths");
        json.begin_array();
        for (std::size_t p = 0; p < records.path_count(r); ++p) {
            const record_path& path = records.path(r, p);
            json.begin_object();
            json.key("blocks").number(path.count);
            json.key("bytes").number(path.bytes);
            json.key("seqs");
            json.begin_array();
            for (std::size_t i = 0; i < path.count; ++i) json.number(records.block(path, i).seq);
            json.end_array();
            json.key("addresses");
            json.begin_array();
            for (std::size_t i = 0; i < path.count; ++i) json.address(records.block(path, i).address);
            json.end_array();
            json.key("stack");
            json.begin_array();
            const block_info& first = records.block(path, 0);
            if (frames && first.stack && first.stack_depth > 0) {
                std::size_t const n = symbolize_stack_inlined(first.stack, first.stack_depth, frames, frame_room);
                for (std::size_t f = 0; f < n; ++f) json_frame(json, frames[f]);
            }
            json.end_array();
            json.end_object();
        }
        json.end_array();
        json.end_object();
    }
    raw_free(frames);
}

// The "leaks" array's items: every block of `leaks`, group by group, each stack named once.
inline void write_json_leaks(json_writer& json, const grouped_leaks& leaks) noexcept {
    // Room for every return address and some calls inlined at each (1.5 KiB a frame).
    std::size_t const frame_room = std::size_t(4) * max_stack_depth;
    symbol_info* frames = static_cast<symbol_info*>(raw_alloc(frame_room * sizeof(symbol_info)));
    std::size_t named_count = 0;
    for (std::size_t g = 0; g < leaks.group_count(); ++g) {
        const leak_group& grp = leaks.groups()[g];
        symbol_info sym;
        symbolize_site(leaks.lead(grp), sym);
        // Stacks, each named once: the blocks of a group share a site, and mostly a stack.
        void* const* named = nullptr;
        for (std::size_t i = grp.first; i < grp.first + grp.count; ++i) {
            const block_info& b = leaks.block(i);
            if (frames && b.stack && b.stack != named) {
                named_count = symbolize_stack_inlined(b.stack, b.stack_depth, frames, frame_room);
                named = b.stack;
            }
            json_leak(json, b, sym, frames, named_count);
        }
    }
    raw_free(frames);
}

// Opens a JSON document of leakguard's (the report, a snapshot listing): its format version and
// the tool's name and version.
inline void begin_json_document(json_writer& json) noexcept {
    json.begin_object();
    json.key("version").number(1);
    json.key("tool").string("leakguard");
    json.key("tool_version").string(LEAKGUARD_VERSION_STRING);
}

// The "summary" object. `reason`: why the check is incomplete, if it is ("out_of_memory",
// "interrupted": report/interrupted_report.hpp).
inline void write_json_summary(json_writer& json, const statistics& st, const reach_totals& totals,
                               const block_totals& failing, const baseline_totals& known, const char* reason) noexcept {
    json.new_line();
    json.key("summary");
    json.begin_object();
    json.key("leaked_blocks").number(failing.blocks);
    json.key("leaked_bytes").number(failing.bytes);
    static const char* const kinds[] = {"", "definitely_lost", "indirectly_lost", "possibly_lost", "reachable"};
    for (unsigned k = 1; k <= 4; ++k) {
        char name[40];
        std::snprintf(name, sizeof name, "%s_blocks", kinds[k]);
        json.key(name).number(totals.blocks[k]);
        std::snprintf(name, sizeof name, "%s_bytes", kinds[k]);
        json.key(name).number(totals.bytes[k]);
    }
    json.key("complete").boolean(totals.complete);
    json.key("incomplete_reason").string(reason);
    json.key("unjudged_blocks").number(totals.blocks[0]);
    json.key("unjudged_bytes").number(totals.bytes[0]);
    json.key("unpaused_threads").number(totals.unpaused_threads);
    json.key("allocations").number(st.allocations);
    json.key("frees").number(st.frees);
    json.key("peak_bytes").number(st.peak_bytes);
    json.key("live_blocks").number(st.live_blocks);
    json.key("live_bytes").number(st.live_bytes);
    json.key("suppressed_blocks").number(totals.suppressed_blocks);
    json.key("suppressed_bytes").number(totals.suppressed_bytes);
    json.key("baseline").string(known.file ? known.file->path : nullptr);
    json.key("known_records").number(known.known_records);
    json.key("known_blocks").number(known.known_blocks);
    json.key("known_bytes").number(known.known_bytes);
    json.key("new_records").number(known.new_records);
    json.end_object();
}

// "scope_failures" and "errors", the document's last arrays. `wait`: false on a thread that may hold
// their locks itself or be inside malloc (report/interrupted_report.hpp): the failures are listed
// if their lock is free, the errors (whose sites are named) not at all.
inline void write_json_failures_and_errors(json_writer& json, bool wait) noexcept {
    json.new_line();
    json.key("scope_failures");
    json.begin_array();
    if (wait) g_failures.lock.lock();
    if (wait || g_failures.lock.try_lock()) {
        for (std::size_t i = 0; i < g_failures.count; ++i) {
            const failure_record& r = g_failures.records[i];
            json.new_line();
            json.begin_object();
            json.key("name").string(r.name);
            json.key("file").string(r.file);
            json.key("line").number(r.line);
            json.key("leaked_blocks").number(r.leaked_blocks);
            json.key("leaked_bytes").number(r.leaked_bytes);
            json.key("rule").string(r.rule == scope_rule::lost ? "lost" : "strict");
            json.end_object();
        }
        g_failures.lock.unlock();
    }
    json.end_array();

    json.new_line();
    json.key("errors");
    json.begin_array();
    if (wait) write_json_errors(json); // naming their sites may need malloc
    json.end_array();
    json.end_object();
}

inline void write_json(fd_writer& out, const grouped_leaks& leaks, const loss_records& records, const statistics& st,
                       const reach_totals& totals, const block_totals& failing, const baseline_totals& known) noexcept {
    json_writer json(out);
    begin_json_document(json);
    write_json_summary(json, st, totals, failing, known, totals.complete ? nullptr : "out_of_memory");

    json.new_line();
    json.key("leaks");
    json.begin_array();
    write_json_leaks(json, leaks);
    json.end_array();

    json.new_line();
    json.key("records");
    json.begin_array();
    write_json_records(json, leaks, records);
    json.end_array();

    write_json_failures_and_errors(json, true);
}

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_REPORT_JSON_REPORT_HPP_INCLUDED
