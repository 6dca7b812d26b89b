// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// report/sarif_report.hpp: the report for code-scanning tools - one SARIF 2.1.0 log
// (docs/report-format.md: "SARIF") to sarif_path, written where the JSON report is: one result per
// loss record (at its site's file:line relative to srcroot, each of its call paths a code flow,
// its fingerprint a partial fingerprint) and one per heap error (at the allocation, with the
// frees as related locations). Written by the one JSON writer; runs with tracking suspended and
// allocates only raw memory.
#ifndef LEAKGUARD_DETAIL_REPORT_SARIF_REPORT_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REPORT_SARIF_REPORT_HPP_INCLUDED

#include <cstdarg>  // va_list
#include <cstddef>  // std::size_t
#include <cstdint>  // std::uint64_t
#include <cstdio>   // std::snprintf, std::vsnprintf
#include <cstring>  // std::strcmp
#include <unistd.h> // close, getcwd

#include "../../block_info.hpp"
#include "../core/options.hpp"
#include "../core/platform.hpp"
#include "../core/report_stream.hpp"
#include "../core/sarif_paths.hpp"
#include "../core/text.hpp"
#include "../core/uri.hpp"
#include "../heap/errors.hpp"
#include "../symbolize/symbolize.hpp"
#include "../version.hpp"
#include "collect.hpp"
#include "error_report.hpp"
#include "group_text.hpp"
#include "json_report.hpp"
#include "json_writer.hpp"
#include "leak_groups.hpp"
#include "loss_records.hpp"
#include "site_text.hpp"

namespace leakguard {
namespace detail {

// The rules, in ruleIndex order: the loss kinds (leak_kind 1-4 at 0-3), then the heap errors
// (error_type's order, from 4 on). A loss kind's level follows the leak_kinds option.
struct sarif_rule {
    const char* id;
    const char* name;
    const char* description;
};
constexpr sarif_rule sarif_rules[] = {
    {"leakguard.definitely-lost", "DefinitelyLost", "Memory definitely lost: nothing points to the block any more."},
    {"leakguard.indirectly-lost", "IndirectlyLost",
     "Memory indirectly lost: only lost blocks point to the block (it is part of a lost structure)."},
    {"leakguard.possibly-lost", "PossiblyLost",
     "Memory possibly lost: only pointers into the block's middle lead to it."},
    {"leakguard.still-reachable", "StillReachable",
     "Memory still reachable at exit: never freed, but a chain of pointers from a root still leads to it."},
    {"leakguard.double-free", "DoubleFree", "A block was freed twice."},
    {"leakguard.invalid-free", "InvalidFree", "A pointer that is not the start of a live block was freed."},
    {"leakguard.alloc-dealloc-mismatch", "AllocDeallocMismatch",
     "A block was given back by a form that does not pair with its allocation (new[] by delete, new by free, ...)."},
    {"leakguard.heap-overflow", "HeapOverflow", "Bytes after the end of a block were overwritten."},
    {"leakguard.heap-underflow", "HeapUnderflow", "Bytes before the start of a block were overwritten."},
    {"leakguard.use-after-free", "UseAfterFree", "A block was written to after it was freed."},
    {"leakguard.heap-corruption", "HeapCorruption",
     "leakguard's own record of a block (a list link, its size or its site) was overwritten."},
};
constexpr std::size_t sarif_loss_rules = 4;
static_assert(sizeof sarif_rules / sizeof sarif_rules[0] ==
                  sarif_loss_rules + static_cast<std::size_t>(error_type::heap_corruption) + 1,
              "one SARIF rule per loss kind and per heap error type");

// The rule of a loss kind. Every block of a report was judged; an unjudged one would count as
// still reachable, as the report counts all blocks when the check runs out of memory.
inline std::size_t sarif_loss_rule(leak_kind k) noexcept {
    return k == leak_kind::unchecked ? 3 : static_cast<std::size_t>(k) - 1;
}
inline std::size_t sarif_error_rule(error_type t) noexcept { return sarif_loss_rules + static_cast<std::size_t>(t); }

// "error" for the loss kinds that fail the run (leak_kinds), "note" for the others.
inline const char* sarif_loss_level(leak_kind k) noexcept {
    return option_leak_kinds() & leak_kind_bit(k) ? "error" : "note";
}

// The base id of every relative location; the run's originalUriBaseIds says where it is.
constexpr const char* sarif_root_id = "SRCROOT";
// Room for a path's URI: every byte of the longest path percent-encoded, and the scheme.
constexpr std::size_t sarif_uri_size = 3 * (max_path_length + 1) + 16;

// srcroot as the locations use it (normalised, absolute): the option's value, else the directory
// the program started in, else the current one; empty when none is known (every location is then
// absolute).
inline void sarif_source_root(char* out, std::size_t size) noexcept {
    char cwd[max_path_length + 1];
    const char* root = g_srcroot[0] ? g_srcroot : g_start_directory;
    if (!root[0]) root = ::getcwd(cwd, sizeof cwd) ? cwd : "";
    if (root[0] != '/' || !normalise_path(root, out, size)) out[0] = '\0';
}

// Text built in a fixed buffer, cut where it runs out, for a message.
class text_buffer {
public:
    text_buffer() noexcept : used_(0) { text_[0] = '\0'; }
    __attribute__((format(printf, 2, 3))) void printf(const char* fmt, ...) noexcept {
        va_list args;
        va_start(args, fmt);
        int const n = std::vsnprintf(text_ + used_, sizeof text_ - used_, fmt, args);
        va_end(args);
        if (n > 0)
            used_ += static_cast<std::size_t>(n) < sizeof text_ - used_ ? static_cast<std::size_t>(n)
                                                                        : sizeof text_ - 1 - used_;
    }
    const char* c_str() const noexcept { return text_; }

private:
    char text_[site_text_size * 3];
    std::size_t used_;
};

// A place in a message: its function, else file:line, else module+offset.
inline void place_name(const code_place& place, const symbol_info& sym, const void* address, char* out,
                       std::size_t size) noexcept {
    if (place.function) std::snprintf(out, size, "%s", place.function);
    else if (place.file) std::snprintf(out, size, "%s:%u", place.file, place.line);
    else describe_symbol(sym, address, out, size);
}

// {"text": ...}
inline void sarif_message(json_writer& json, const char* text) noexcept {
    json.key("message");
    json.begin_object();
    json.key("text").string(text);
    json.end_object();
}

// One location object: the place's file and line as a physical location (relative to `root`
// with its uriBaseId when inside it; a place without a file: its module, no line), its function
// as a logical location, and `message` (null: none).
inline void sarif_location(json_writer& json, const char* root, const code_place& place, const char* message,
                           int id = -1) noexcept {
    json.begin_object();
    if (id >= 0) json.key("id").number(id);
    const char* const file = place.file ? place.file : place.module;
    char uri[sarif_uri_size];
    bool relative = false;
    if (file && artifact_uri(root, file, uri, sizeof uri, relative)) {
        json.key("physicalLocation");
        json.begin_object();
        json.key("artifactLocation");
        json.begin_object();
        json.key("uri").string(uri);
        if (relative) json.key("uriBaseId").string(sarif_root_id);
        json.end_object();
        if (place.file && place.line > 0) {
            json.key("region");
            json.begin_object();
            json.key("startLine").number(place.line);
            json.end_object();
        }
        json.end_object();
    }
    if (place.function) {
        json.key("logicalLocations");
        json.begin_array();
        json.begin_object();
        json.key("fullyQualifiedName").string(place.function);
        json.key("kind").string("function");
        json.end_object();
        json.end_array();
    }
    if (message) sarif_message(json, message);
    json.end_object();
}

// tool.driver: leakguard, its version, the rules.
inline void sarif_driver(json_writer& json) noexcept {
    json.key("tool");
    json.begin_object();
    json.key("driver");
    json.begin_object();
    json.key("name").string("leakguard");
    json.key("version").string(LEAKGUARD_VERSION_STRING);
    json.key("rules");
    json.begin_array();
    for (std::size_t i = 0; i < sizeof sarif_rules / sizeof sarif_rules[0]; ++i) {
        const sarif_rule& rule = sarif_rules[i];
        bool const loss = i < sarif_loss_rules;
        json.new_line();
        json.begin_object();
        json.key("id").string(rule.id);
        json.key("name").string(rule.name);
        json.key("shortDescription");
        json.begin_object();
        json.key("text").string(rule.description);
        json.end_object();
        json.key("defaultConfiguration");
        json.begin_object();
        json.key("level").string(loss ? sarif_loss_level(static_cast<leak_kind>(i + 1)) : "error");
        json.end_object();
        json.key("properties");
        json.begin_object();
        json.key("tags");
        json.begin_array();
        json.string("memory");
        json.string(loss ? "leak" : "heap-error");
        json.end_array();
        json.end_object();
        json.end_object();
    }
    json.end_array();
    json.end_object();
    json.end_object();
}

// One path of record `r` as a code flow: its frames from main (or the outermost) down to the
// allocation, as a debugger lists them from the bottom up, what starts main left out as the
// text report leaves it out. `frames`: room for `room` (> 0) named frames.
inline void sarif_code_flow(json_writer& json, const char* root, const loss_records& records, std::size_t r,
                            std::size_t p, symbol_info* frames, std::size_t room) noexcept {
    const record_path& path = records.path(r, p);
    const block_info& first = records.block(path, 0);
    std::size_t n = 0;
    if (first.stack && first.stack_depth > 0) {
        n = symbolize_stack_inlined(first.stack, first.stack_depth, frames, room);
        for (std::size_t f = 0; f < n; ++f)
            if (std::strcmp(frames[f].function, "main") == 0) n = f + 1;
    }
    if (n == 0) { // no stack: the site alone
        frames[0] = symbol_info();
        symbolize_site(first, frames[0]);
        n = 1;
    }
    text_buffer what;
    what.printf("%zu %s (%zu %s) by path %zu of %zu", path.count, plural(path.count, "block", "blocks"), path.bytes,
                plural(path.bytes, "byte", "bytes"), p + 1, records.path_count(r));
    json.new_line();
    json.begin_object();
    sarif_message(json, what.c_str());
    json.key("threadFlows");
    json.begin_array();
    json.begin_object();
    json.key("locations");
    json.begin_array();
    for (std::size_t k = 0; k < n; ++k) {
        const symbol_info& sym = frames[n - 1 - k];
        code_place const place = place_of(sym);
        char name[site_text_size];
        place_name(place, sym, sym.address, name, sizeof name);
        json.begin_object();
        json.key("location");
        sarif_location(json, root, place, name);
        json.key("nestingLevel").number(k);
        json.end_object();
    }
    json.end_array();
    json.end_object();
    json.end_array();
    json.end_object();
}

// The results of the loss records, largest first as the text report lists them.
inline void sarif_record_results(json_writer& json, const char* root, const grouped_leaks& leaks,
                                 const loss_records& records) noexcept {
    std::size_t const room = std::size_t(4) * max_stack_depth;
    symbol_info* frames = static_cast<symbol_info*>(raw_alloc(room * sizeof(symbol_info)));
    for (std::size_t r = 0; r < leaks.group_count(); ++r) {
        const leak_group& grp = leaks.groups()[r];
        const block_info& lead = leaks.lead(grp);
        symbol_info site;
        code_place const place = site_place(lead, site);
        char site_name[site_text_size];
        place_name(place, site, lead.caller, site_name, sizeof site_name);
        char bytes[96];
        group_bytes_text(grp, bytes, sizeof bytes);
        text_buffer message; // the text report's group line, without what changes from run to run
        message.printf("%s in %zu %s%s (%s) allocated at %s", bytes, grp.count, plural(grp.count, "block", "blocks"),
                       loss_phrase(lead.loss), kind_name(lead.kind), site_name);
        json.new_line();
        json.begin_object();
        std::size_t const rule = sarif_loss_rule(lead.loss);
        json.key("ruleId").string(sarif_rules[rule].id);
        json.key("ruleIndex").number(rule);
        json.key("level").string(sarif_loss_level(lead.loss));
        sarif_message(json, message.c_str());
        json.key("locations");
        json.begin_array();
        sarif_location(json, root, place, nullptr);
        json.end_array();
        if (records.ok() && frames) {
            json.key("codeFlows");
            json.begin_array();
            for (std::size_t p = 0; p < records.path_count(r); ++p)
                sarif_code_flow(json, root, records, r, p, frames, room);
            json.end_array();
        }
        if (records.ok()) {
            char fp[17];
            format_fingerprint(records.fingerprint(r), fp);
            json.key("partialFingerprints");
            json.begin_object();
            json.key("leakguard/v1").string(fp);
            json.end_object();
        }
        json.key("properties");
        json.begin_object();
        json.key("blocks").number(grp.count);
        json.key("bytes").number(grp.bytes);
        json.key("indirectBytes").number(grp.indirect_bytes);
        json.key("kind").string(kind_name(lead.kind));
        json.key("loss").string(leak_kind_name(lead.loss));
        json.end_object();
        json.end_object();
    }
    raw_free(frames);
}

// The sites an error names, each symbolized once: the allocation, the free that found it, and the
// first free of a block freed twice.
struct error_places {
    symbol_info alloc_sym, free_sym, first_sym;
    code_place alloc_at, free_at, first_at;
    explicit error_places(const error_record& e) noexcept
        : alloc_sym(), free_sym(), first_sym(), alloc_at(), free_at(), first_at() {
        if (e.block_known) alloc_at = code_place_of(e.alloc_caller, e.alloc_location, alloc_sym);
        if (e.has_free) free_at = code_place_of(e.free_caller, e.free_location, free_sym);
        if (e.has_first_free) first_at = code_place_of(e.first_free_caller, e.first_free_location, first_sym);
    }
};

// An error's fingerprint: its type, the block's kind and its sites, named as a loss record's
// (function, file name, line): the same from run to run and machine to machine.
inline std::uint64_t error_fingerprint(const error_record& e, const error_places& at) noexcept {
    fingerprint_hash h;
    h.add(error_type_name(e.type));
    h.add(e.block_known ? kind_name(e.kind) : "");
    if (e.has_form) h.add(dealloc_name(e.form));
    const code_place* const sites[] = {e.block_known ? &at.alloc_at : nullptr, e.has_free ? &at.free_at : nullptr,
                                       e.has_first_free ? &at.first_at : nullptr};
    for (const code_place* s : sites) {
        if (s) hash_frame(h, s->function, s->file, s->line);
        else h.add("");
    }
    return h.value();
}

// One heap error's result: at the allocation (the free, for a pointer leakguard does not know),
// the frees as related locations.
inline void sarif_error_result(json_writer& json, const char* root, const error_record& e) noexcept {
    error_places const at(e);
    char alloc_name[site_text_size] = "", free_name[site_text_size] = "", first_name[site_text_size] = "";
    if (e.block_known) place_name(at.alloc_at, at.alloc_sym, e.alloc_caller, alloc_name, sizeof alloc_name);
    if (e.has_free) place_name(at.free_at, at.free_sym, e.free_caller, free_name, sizeof free_name);
    if (e.has_first_free) place_name(at.first_at, at.first_sym, e.first_free_caller, first_name, sizeof first_name);
    char offset[64];
    error_offset_text(e, offset, sizeof offset);
    // The text report's error line (print_error), functions for sites and no addresses.
    text_buffer message;
    message.printf("%s: ", error_type_name(e.type));
    if (e.block_known) message.printf("%zu bytes (%s) allocated at %s", e.size, kind_name(e.kind), alloc_name);
    else if (e.type == error_type::heap_corruption) message.printf("the block at %p: %s", e.address, e.what);
    else message.printf("a pointer to no block of leakguard's");
    message.printf("%s", offset);
    if (e.has_first_free) message.printf(", first freed at %s", first_name);
    if (e.has_form) message.printf(", given back by %s at %s", dealloc_name(e.form), free_name);
    else if (e.has_free) message.printf(", after it was freed at %s", free_name);
    else message.printf(", found by a heap check");

    json.new_line();
    json.begin_object();
    std::size_t const rule = sarif_error_rule(e.type);
    json.key("ruleId").string(sarif_rules[rule].id);
    json.key("ruleIndex").number(rule);
    json.key("level").string("error");
    sarif_message(json, message.c_str());
    json.key("locations");
    json.begin_array();
    if (e.block_known) sarif_location(json, root, at.alloc_at, nullptr);
    else if (e.has_free) sarif_location(json, root, at.free_at, nullptr);
    json.end_array();
    json.key("relatedLocations");
    json.begin_array();
    int id = 0;
    if (e.has_free && e.block_known) {
        text_buffer what;
        if (e.type == error_type::double_free && e.has_form) what.printf("freed again here (%s)", dealloc_name(e.form));
        else if (e.has_form) what.printf("given back here by %s", dealloc_name(e.form));
        else what.printf("freed here");
        sarif_location(json, root, at.free_at, what.c_str(), ++id);
    }
    if (e.has_first_free) sarif_location(json, root, at.first_at, "first freed here", ++id);
    json.end_array();
    char fp[17];
    format_fingerprint(error_fingerprint(e, at), fp);
    json.key("partialFingerprints");
    json.begin_object();
    json.key("leakguard/v1").string(fp);
    json.end_object();
    if (e.block_known) {
        json.key("properties");
        json.begin_object();
        json.key("size").number(e.size);
        json.key("kind").string(kind_name(e.kind));
        json.end_object();
    }
    json.end_object();
}

// The whole log.
inline void write_sarif(fd_writer& out, const grouped_leaks& leaks, const loss_records& records) noexcept {
    char root[max_path_length + 1];
    sarif_source_root(root, sizeof root);
    json_writer json(out);
    json.begin_object();
    json.key("$schema").string(
        "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json");
    json.key("version").string("2.1.0");
    json.key("runs");
    json.begin_array();
    json.begin_object();
    sarif_driver(json);
    if (root[0]) {
        char uri[sarif_uri_size];
        if (file_uri(root, true, uri, sizeof uri)) {
            json.new_line();
            json.key("originalUriBaseIds");
            json.begin_object();
            json.key(sarif_root_id);
            json.begin_object();
            json.key("uri").string(uri);
            json.end_object();
            json.end_object();
        }
    }
    json.new_line();
    json.key("results");
    json.begin_array();
    sarif_record_results(json, root, leaks, records);
    {
        lock_guard hold(g_errors.lock);
        std::uint64_t const total = g_errors.count.load(std::memory_order_relaxed);
        std::size_t const kept = total < max_error_records ? static_cast<std::size_t>(total) : max_error_records;
        for (std::size_t i = 0; i < kept; ++i) sarif_error_result(json, root, g_errors.records[i]);
    }
    json.end_array();
    json.end_object();
    json.end_array();
    json.end_object();
}

// Whether a report writes a SARIF log (it needs the loss records).
inline bool sarif_wanted() noexcept { return g_sarif_path[0] != '\0'; }

// The log to sarif_path, if the option names one.
inline void write_sarif_report(const grouped_leaks& leaks, const loss_records& records) noexcept {
    if (!sarif_wanted()) return;
    int const fd = open_for_writing(g_sarif_path);
    if (fd < 0) {
        fd_writer err(report_fd());
        err.printf("leakguard: warning: cannot write sarif_path '%s'\n", g_sarif_path);
        return;
    }
    {
        fd_writer out(fd);
        write_sarif(out, leaks, records);
    }
    ::close(fd);
}

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_REPORT_SARIF_REPORT_HPP_INCLUDED
