// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// report/group_text.hpp: the one writer of leak-group lines - "N bytes in M blocks (kind) allocated
// at SITE, thread T, #a #b ..." - for the exit report, a failed scope's report and a test
// failure's message. It writes to any sink with put(const char*) and printf(format, ...): an
// fd_writer for the report stream, a string for a test framework (adapter_common.hpp).
#ifndef LEAKGUARD_DETAIL_REPORT_GROUP_TEXT_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REPORT_GROUP_TEXT_HPP_INCLUDED

#include <cstddef> // std::size_t
#include <cstdio>  // std::snprintf
#include <cstring> // std::strcmp

#include "../../scope.hpp"
#include "../core/platform.hpp"
#include "../core/text.hpp"
#include "../symbolize/symbolize.hpp"
#include "leak_groups.hpp"
#include "loss_records.hpp"
#include "site_text.hpp"

namespace leakguard {
namespace detail {

// Sequence numbers listed on a group's line; the rest are counted ("and 25 more").
constexpr std::size_t seqs_shown = 5;

// How the lines are laid out where they go.
struct group_layout {
    const char* line_start; // before each line
    const char* line_end;   // after each line
    bool sizes;             // "(new[], 10 to 12 bytes)": a group's block sizes after its kind
    bool stacks;            // the call stack of a group's first block under its line
    std::size_t max_groups; // lines at most, the rest counted as "... and N more allocation sites"
};

// The report stream: each line its own, under a "leakguard: " heading, with sizes and stacks.
constexpr group_layout report_layout = {"leakguard:   ", "\n", true, true, ~std::size_t(0)};
// A test failure's message: indented lines after its summary, at most 20, without stacks.
constexpr group_layout message_layout = {"\n  ", "", false, false, 20};

// After "N bytes in M blocks": valgrind's words for the kind (nothing for blocks no check judged).
inline const char* loss_phrase(leak_kind k) noexcept {
    switch (k) {
    case leak_kind::definite: return " definitely lost";
    case leak_kind::indirect: return " indirectly lost";
    case leak_kind::possible: return " possibly lost";
    case leak_kind::reachable: return " still reachable";
    case leak_kind::unchecked: return "";
    }
    return "";
}

// How a failed scope's summary line ends: "... allocated inside it still alive" or "... lost".
inline const char* scope_verdict(scope_rule rule) noexcept { return rule == scope_rule::lost ? "lost" : "still alive"; }

// A failed scope's (or repeat check's) summary line, without its end: "leakguard: scope "name"
// (file:line) ended with N blocks (B bytes) allocated inside it lost". `always_name`: the quotes
// even for a scope without a name (the report stream's form).
template <class Sink>
void write_failure_summary(Sink& out, const scope_failure& f, bool always_name) noexcept {
    const char* const what = f.repetitions ? "repeat check" : "scope";
    if (always_name || (f.name && f.name[0])) out.printf("leakguard: %s \"%s\" (%s:%d) ", what, f.name, f.file, f.line);
    else out.printf("leakguard: %s (%s:%d) ", what, f.file, f.line);
    if (f.repetitions)
        out.printf("left %zu %s (%zu bytes) alive from sites that kept blocks from every one of its %d repetitions",
                   f.leaked_blocks, plural(f.leaked_blocks, "block", "blocks"), f.leaked_bytes, f.repetitions);
    else
        out.printf("ended with %zu %s (%zu bytes) allocated inside it %s", f.leaked_blocks,
                   plural(f.leaked_blocks, "block", "blocks"), f.leaked_bytes, scope_verdict(f.rule));
}

// The call stack of a block, one frame a line, valgrind-style ("at" the innermost, "by" the rest),
// down to main, calls inlined at a return address included.
template <class Sink>
void write_stack(Sink& out, const block_info& b, const group_layout& layout) noexcept {
    if (!b.stack || b.stack_depth < 2) return;
    symbol_info* named = static_cast<symbol_info*>(raw_alloc(max_inline_frames * sizeof(symbol_info)));
    if (!named) return;
    bool first = true;
    for (std::size_t i = 0; i < b.stack_depth; ++i) {
        std::size_t const n = symbolize_frames(b.stack[i], named, max_inline_frames);
        bool at_main = false;
        for (std::size_t j = 0; j < n; ++j) {
            char frame[site_text_size];
            describe_symbol(named[j], b.stack[i], frame, sizeof frame);
            out.printf("%s    %s %s", layout.line_start, first ? "at" : "by", frame);
            out.put(layout.line_end);
            first = false;
            at_main = at_main || std::strcmp(named[j].function, "main") == 0;
        }
        if (at_main) break; // what starts main is noise (JSON has it)
    }
    raw_free(named);
}

// A repeat check's blocks of one group, counted per repetition: " in repetitions [3, 3, 3]".
template <class Sink>
void write_repetition_counts(Sink& out, const grouped_leaks& leaks, const leak_group& g,
                             const scope_failure& f) noexcept {
    out.put(", per repetition [");
    for (int r = 0; r < f.repetitions; ++r) {
        std::size_t n = 0;
        for (std::size_t i = 0; i < g.count; ++i) {
            std::uint64_t const seq = leaks.block(g.first + i).seq;
            if (seq >= f.repetition_starts[r] && seq < f.repetition_starts[r + 1]) ++n;
        }
        out.printf("%s%zu", r ? ", " : "", n);
    }
    out.put("]");
}

// "#a #b #c and N more": the first sequence numbers of `count` blocks, `seq(i)` the i-th oldest.
template <class Sink, class Seq>
void write_seqs(Sink& out, std::size_t count, Seq seq) noexcept {
    std::size_t const shown = count < seqs_shown ? count : seqs_shown;
    for (std::size_t i = 0; i < shown; ++i)
        out.printf("%s%llu", i ? " #" : "#", static_cast<unsigned long long>(seq(i)));
    if (count > shown) out.printf(" and %zu more", count - shown);
}

// The paths of a loss record that has several, each with its count, sequence numbers and stack;
// the first few in full, the rest counted.
template <class Sink>
void write_paths(Sink& out, const loss_records& records, std::size_t r, const group_layout& layout) noexcept {
    std::size_t const paths = records.path_count(r);
    std::size_t more_blocks = 0, more_bytes = 0;
    for (std::size_t p = 0; p < paths; ++p) {
        const record_path& path = records.path(r, p);
        if (p >= loss_records::paths_shown) {
            more_blocks += path.count;
            more_bytes += path.bytes;
            continue;
        }
        out.printf("%s  %zu %s (%zu %s) by path %zu of %zu, ", layout.line_start, path.count,
                   plural(path.count, "block", "blocks"), path.bytes, plural(path.bytes, "byte", "bytes"), p + 1,
                   paths);
        write_seqs(out, path.count, [&](std::size_t i) { return records.block(path, i).seq; });
        out.put(layout.line_end);
        write_stack(out, records.block(path, 0), layout);
    }
    if (paths > loss_records::paths_shown)
        out.printf("%s  ... and %zu more paths (%zu %s, %zu bytes)%s", layout.line_start,
                   paths - loss_records::paths_shown, more_blocks, plural(more_blocks, "block", "blocks"), more_bytes,
                   layout.line_end);
}

// A group's bytes as its line says them: "B bytes", or valgrind's "T (D direct, I indirect) bytes"
// where the group's blocks hold others.
inline void group_bytes_text(const leak_group& g, char* out, std::size_t size) noexcept {
    if (g.indirect_bytes)
        std::snprintf(out, size, "%zu (%zu direct, %zu indirect) bytes", g.bytes + g.indirect_bytes, g.bytes,
                      g.indirect_bytes);
    else std::snprintf(out, size, "%zu %s", g.bytes, plural(g.bytes, "byte", "bytes"));
}

// One group's line (and its stack, if the layout has stacks). `failure`: the repeat check (or
// scope) the blocks come from, if any. `records`: the exit report's loss records, group g being
// record g (numbered on its line, its paths under it when it has several).
template <class Sink>
void write_group(Sink& out, const grouped_leaks& leaks, const leak_group& g, const group_layout& layout,
                 const scope_failure* failure = nullptr, const loss_records* records = nullptr,
                 std::size_t record = 0) noexcept {
    const block_info& lead = leaks.lead(g);
    char site[site_text_size];
    describe_site(lead, site, sizeof site);
    char sizes[64] = "";
    if (layout.sizes && g.count > 1) {
        if (g.min_size == g.max_size) std::snprintf(sizes, sizeof sizes, ", %zu bytes each", g.min_size);
        else std::snprintf(sizes, sizeof sizes, ", %zu to %zu bytes", g.min_size, g.max_size);
    }
    char bytes[96];
    group_bytes_text(g, bytes, sizeof bytes);
    out.printf("%s%s in %zu %s%s (%s%s) allocated at %s, thread %u, ", layout.line_start, bytes, g.count,
               plural(g.count, "block", "blocks"), loss_phrase(lead.loss), kind_name(lead.kind), sizes, site,
               lead.thread);
    write_seqs(out, g.count, [&](std::size_t i) { return leaks.block(g.first + i).seq; });
    if (failure && failure->repetitions) write_repetition_counts(out, leaks, g, *failure);
    if (records) out.printf(", loss record %zu of %zu", records->number(record), records->count());
    if (records && records->known(record)) out.put(", known (baseline)");
    out.put(layout.line_end);
    if (!layout.stacks) return;
    if (records && records->path_count(record) > 1) write_paths(out, *records, record, layout);
    else write_stack(out, lead, layout);
}

// Every group's line, largest first, up to the layout's limit.
template <class Sink>
void write_groups(Sink& out, const grouped_leaks& leaks, const group_layout& layout,
                  const scope_failure* failure = nullptr, const loss_records* records = nullptr) noexcept {
    std::size_t const count = leaks.group_count();
    for (std::size_t g = 0; g < count && g < layout.max_groups; ++g)
        write_group(out, leaks, leaks.groups()[g], layout, failure, records && records->ok() ? records : nullptr, g);
    if (count > layout.max_groups)
        out.printf("%s... and %zu more allocation sites%s", layout.line_start, count - layout.max_groups,
                   layout.line_end);
}

// A failed scope's leaks, grouped: its groups' lines, then how many blocks were left out of them.
template <class Sink>
void write_failure_groups(Sink& out, const scope_failure& f, const group_layout& layout) noexcept {
    {
        grouped_leaks const leaks(f.leaks, f.leaks_shown);
        write_groups(out, leaks, layout, &f);
    }
    if (f.leaked_blocks > f.leaks_shown)
        out.printf("%s... and %zu more blocks%s", layout.line_start, f.leaked_blocks - f.leaks_shown, layout.line_end);
}

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_REPORT_GROUP_TEXT_HPP_INCLUDED
