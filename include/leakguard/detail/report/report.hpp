// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// report/report.hpp: the leak report - live blocks grouped by allocation site, largest first - as
// text for people and as JSON for tools. Runs with tracking suspended and allocates only raw memory.
#ifndef LEAKGUARD_DETAIL_REPORT_REPORT_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REPORT_REPORT_HPP_INCLUDED

#include <algorithm> // std::sort
#include <cstdio>    // std::snprintf
#include <cstring>   // std::strcmp

#include "../upward_calls.hpp"
#include "collect.hpp"
#include "../heap/errors.hpp"
#include "failures.hpp"
#include "../core/options.hpp"
#include "stats.hpp"
#include "../symbolize/site_rules.hpp"
#include "../symbolize/symbolize.hpp"

namespace leakguard {
namespace detail {

// Blocks from the same site and of the same kind form one group.
struct leak_group {
    std::size_t first; // index into the sorted block list
    std::size_t count;
    std::size_t bytes;
    std::size_t min_size;
    std::size_t max_size;
};

// Blocks with the same key were allocated at the same place: the same macro call site, or the same
// return address (in a report's own copies, after resolve_sites: the same site frame).
inline const void* site_key(const block_info& b) noexcept {
    return b.location ? static_cast<const void*>(b.location) : b.caller;
}

// Names the site of a block: for a block with a call stack, its first frame outside leakguard and
// the standard library (what the user's code called); otherwise its return address. Returns the
// index of that frame in b.stack (0 without a stack).
inline std::size_t symbolize_site(const block_info& b, symbol_info& sym) noexcept {
    if (b.stack && b.stack_depth > 0) return find_site(b.stack, b.stack_depth, sym);
    symbolize(b.caller, sym);
    return 0;
}

// In a report's copies of the blocks, sets each block's `caller` to its site frame (the first
// frame outside leakguard and the standard library), naming each distinct stack once. Blocks then
// group by site, as the report promises: twenty leaks from one helper are one group even when the
// compiler unrolled the loop that calls it into twenty call sites.
inline void resolve_sites(block_list& list) noexcept {
    std::sort(list.items, list.items + list.count,
              [](const block_info& a, const block_info& b) { return a.stack < b.stack; });
    for (std::size_t i = 0; i < list.count;) {
        std::size_t j = i;
        while (j < list.count && list.items[j].stack == list.items[i].stack) ++j;
        if (list.items[i].stack && list.items[i].stack_depth > 0) {
            symbol_info sym;
            const void* const site =
                list.items[i].stack[find_site(list.items[i].stack, list.items[i].stack_depth, sym)];
            for (std::size_t k = i; k < j; ++k) list.items[k].caller = site;
        }
        i = j;
    }
}

// Sorts `list` by site, kind and sequence, and returns its groups, largest first (raw memory).
inline leak_group* group_by_site(block_list& list, std::size_t& group_count) noexcept {
    group_count = 0;
    resolve_sites(list);
    std::sort(list.items, list.items + list.count, [](const block_info& a, const block_info& b) {
        if (site_key(a) != site_key(b)) return site_key(a) < site_key(b);
        if (a.kind != b.kind) return a.kind < b.kind;
        return a.seq < b.seq;
    });
    leak_group* groups = static_cast<leak_group*>(raw_alloc((list.count + 1) * sizeof(leak_group)));
    if (!groups) return nullptr;
    for (std::size_t i = 0; i < list.count; ++i) {
        const block_info& b = list.items[i];
        bool const same = group_count > 0 && site_key(list.items[groups[group_count - 1].first]) == site_key(b) &&
                          list.items[groups[group_count - 1].first].kind == b.kind;
        if (!same) groups[group_count++] = leak_group{i, 0, 0, b.size, b.size};
        leak_group& g = groups[group_count - 1];
        ++g.count;
        g.bytes += b.size;
        if (b.size < g.min_size) g.min_size = b.size;
        if (b.size > g.max_size) g.max_size = b.size;
    }
    std::sort(groups, groups + group_count, [&list](const leak_group& a, const leak_group& b) {
        if (a.bytes != b.bytes) return a.bytes > b.bytes;
        if (a.count != b.count) return a.count > b.count;
        return list.items[a.first].seq < list.items[b.first].seq;
    });
    return groups;
}

// "function file:line (module+offset)", with what is known of a symbolized return address.
inline void describe_symbol(const symbol_info& sym, const void* address, char* out, std::size_t size) noexcept {
    char where[600] = "";
    if (sym.file[0]) std::snprintf(where, sizeof where, " %s:%u", sym.file, sym.line);
    if (sym.module[0] && sym.function[0])
        std::snprintf(out, size, "%s%s (%s+0x%lx)", sym.function, where, base_name(sym.module),
                      static_cast<unsigned long>(sym.offset));
    else if (sym.module[0] && sym.file[0])
        std::snprintf(out, size, "%s (%s+0x%lx)", where + 1, base_name(sym.module),
                      static_cast<unsigned long>(sym.offset));
    else if (sym.module[0])
        std::snprintf(out, size, "%s+0x%lx", base_name(sym.module), static_cast<unsigned long>(sym.offset));
    else std::snprintf(out, size, "%p", address);
}

// One line naming where a block was allocated: file:line when a macro said so (and the function
// its return address lies in), otherwise the function, file:line and module+offset of the return
// address.
inline void describe_site(const block_info& b, char* out, std::size_t size) noexcept {
    symbol_info sym;
    symbolize_site(b, sym);
    if (b.location) {
        const char* function = b.location->function && b.location->function[0] ? b.location->function : sym.function;
        if (function[0]) std::snprintf(out, size, "%s:%d in %s", b.location->file, b.location->line, function);
        else std::snprintf(out, size, "%s:%d", b.location->file, b.location->line);
        return;
    }
    describe_symbol(sym, b.caller, out, size);
}

inline const char* plural(std::size_t n, const char* one, const char* many) noexcept { return n == 1 ? one : many; }

// The call stack of a block, one frame a line, valgrind-style ("at" the innermost, "by" the rest),
// down to main.
inline void print_stack(fd_writer& out, const block_info& b, const char* indent) noexcept {
    if (!b.stack || b.stack_depth < 2) return;
    symbol_info* named = static_cast<symbol_info*>(raw_alloc(max_inline_frames * sizeof(symbol_info)));
    if (!named) return;
    // One frame a line, calls inlined at a return address included.
    bool first = true;
    for (std::size_t i = 0; i < b.stack_depth; ++i) {
        std::size_t const n = symbolize_frames(b.stack[i], named, max_inline_frames);
        bool at_main = false;
        for (std::size_t j = 0; j < n; ++j) {
            char frame[1200];
            describe_symbol(named[j], b.stack[i], frame, sizeof frame);
            out.printf("leakguard: %s    %s %s\n", indent, first ? "at" : "by", frame);
            first = false;
            at_main = at_main || std::strcmp(named[j].function, "main") == 0;
        }
        if (at_main) break; // what starts main is noise (JSON has it)
    }
    raw_free(named);
}

// Prints the groups of `list` (already grouped) to `out`, each as one line with up to 5 sequence numbers.
inline void print_groups(fd_writer& out, const block_list& list, const leak_group* groups, std::size_t group_count,
                         const char* indent) noexcept {
    for (std::size_t g = 0; g < group_count; ++g) {
        const leak_group& grp = groups[g];
        const block_info& first = list.items[grp.first];
        char site[1200];
        describe_site(first, site, sizeof site);
        char sizes[64];
        if (grp.min_size == grp.max_size) std::snprintf(sizes, sizeof sizes, "%zu bytes each", grp.min_size);
        else std::snprintf(sizes, sizeof sizes, "%zu to %zu bytes", grp.min_size, grp.max_size);
        out.printf("leakguard: %s%zu %s in %zu %s (%s%s%s) allocated at %s, thread %u, #", indent, grp.bytes,
                   plural(grp.bytes, "byte", "bytes"), grp.count, plural(grp.count, "block", "blocks"),
                   kind_name(first.kind), grp.count == 1 ? "" : ", ", grp.count == 1 ? "" : sizes, site, first.thread);
        std::size_t const shown = grp.count < 5 ? grp.count : 5;
        for (std::size_t i = 0; i < shown; ++i)
            out.printf("%s%llu", i ? " #" : "", static_cast<unsigned long long>(list.items[grp.first + i].seq));
        if (grp.count > shown) out.printf(" and %zu more", grp.count - shown);
        out.put("\n");
        print_stack(out, first, indent);
    }
}

// JSON helpers.
inline void json_string(fd_writer& out, const char* s) noexcept {
    if (!s) {
        out.put("null");
        return;
    }
    out.put("\"");
    for (; *s; ++s) {
        unsigned char const c = static_cast<unsigned char>(*s);
        if (c == '"' || c == '\\') {
            char esc[2] = {'\\', static_cast<char>(c)};
            out.put(esc, 2);
        } else if (c < 0x20) {
            out.printf("\\u%04x", c);
        } else {
            out.put(s, 1);
        }
    }
    out.put("\"");
}

inline void json_address(fd_writer& out, const void* p) noexcept {
    out.printf("\"0x%lx\"", static_cast<unsigned long>(reinterpret_cast<std::uintptr_t>(p)));
}

// One frame of a "stack" array: {"function", "file", "line", "module", "offset", "address"}.
inline void json_frame(fd_writer& out, const symbol_info& sym, const void* address, bool first) noexcept {
    out.put(first ? "{\"function\":" : ",{\"function\":");
    json_string(out, sym.function[0] ? sym.function : nullptr);
    out.put(",\"file\":");
    json_string(out, sym.file[0] ? sym.file : nullptr);
    if (sym.file[0]) out.printf(",\"line\":%u", sym.line);
    else out.put(",\"line\":null");
    out.put(",\"module\":");
    json_string(out, sym.module[0] ? sym.module : nullptr);
    out.put(",\"offset\":");
    if (sym.module[0]) out.printf("\"0x%lx\"", static_cast<unsigned long>(sym.offset));
    else out.put("null");
    out.put(",\"address\":");
    json_address(out, address);
    out.put(sym.inlined ? ",\"inlined\":true}" : ",\"inlined\":false}");
}

inline void write_json(fd_writer& out, const block_list& list, const leak_group* groups, std::size_t group_count,
                       const statistics& st) noexcept {
    out.printf("{\"version\":1,\"tool\":\"leakguard\",\"tool_version\":\"%s\",\n", LEAKGUARD_VERSION_STRING);
    out.printf("\"summary\":{\"leaked_blocks\":%zu,\"leaked_bytes\":%zu,\"allocations\":%llu,\"frees\":%llu,"
               "\"peak_bytes\":%llu,\"live_blocks\":%llu,\"live_bytes\":%llu},\n",
               list.count, list.bytes, static_cast<unsigned long long>(st.allocations),
               static_cast<unsigned long long>(st.frees), static_cast<unsigned long long>(st.peak_bytes),
               static_cast<unsigned long long>(st.live_blocks), static_cast<unsigned long long>(st.live_bytes));
    out.put("\"leaks\":[");
    bool first_leak = true;
    // Room for every return address and some calls inlined at each (1.5 KiB a frame).
    std::size_t const frame_room = std::size_t(4) * max_stack_depth;
    symbol_info* frames = static_cast<symbol_info*>(raw_alloc(frame_room * sizeof(symbol_info)));
    std::size_t named_count = 0;
    for (std::size_t g = 0; g < group_count; ++g) {
        const leak_group& grp = groups[g];
        const block_info& lead = list.items[grp.first];
        symbol_info sym;
        symbolize_site(lead, sym);
        // Stacks, each named once: the blocks of a group share a site, and mostly a stack.
        void* const* named = nullptr;
        for (std::size_t i = grp.first; i < grp.first + grp.count; ++i) {
            const block_info& b = list.items[i];
            if (frames && b.stack && b.stack != named) {
                named_count = symbolize_stack_inlined(b.stack, b.stack_depth, frames, frame_room);
                named = b.stack;
            }
            out.put(first_leak ? "\n" : ",\n");
            first_leak = false;
            out.put("{\"address\":");
            json_address(out, b.address);
            out.printf(",\"size\":%zu,\"kind\":\"%s\",\"seq\":%llu,\"thread\":%u,\"file\":", b.size, kind_name(b.kind),
                       static_cast<unsigned long long>(b.seq), b.thread);
            json_string(out, b.location ? b.location->file : (sym.file[0] ? sym.file : nullptr));
            if (b.location) out.printf(",\"line\":%d", b.location->line);
            else if (sym.file[0]) out.printf(",\"line\":%u", sym.line);
            else out.put(",\"line\":null");
            out.put(",\"function\":");
            if (b.location && b.location->function && b.location->function[0]) json_string(out, b.location->function);
            else json_string(out, sym.function[0] ? sym.function : nullptr);
            out.put(",\"caller\":");
            if (b.stack && b.stack_depth > 0) json_address(out, b.stack[0]);
            else if (b.caller) json_address(out, b.caller);
            else out.put("null");
            out.put(",\"module\":");
            json_string(out, sym.module[0] ? sym.module : nullptr);
            out.put(",\"offset\":");
            if (sym.module[0]) out.printf("\"0x%lx\"", static_cast<unsigned long>(sym.offset));
            else out.put("null");
            if (frames && b.stack && b.stack_depth > 1) {
                out.put(",\"stack\":[");
                for (std::size_t f = 0; f < named_count; ++f) json_frame(out, frames[f], frames[f].address, f == 0);
                out.put("]");
            }
            out.put("}");
        }
    }
    raw_free(frames);
    out.put("],\n\"scope_failures\":[");
    {
        lock_guard hold(g_failures.lock);
        for (std::size_t i = 0; i < g_failures.count; ++i) {
            const failure_record& r = g_failures.records[i];
            out.put(i ? ",\n{\"name\":" : "\n{\"name\":");
            json_string(out, r.name);
            out.put(",\"file\":");
            json_string(out, r.file);
            out.printf(",\"line\":%d,\"leaked_blocks\":%zu,\"leaked_bytes\":%zu}", r.line, r.leaked_blocks,
                       r.leaked_bytes);
        }
    }
    out.put("],\n\"errors\":[");
    write_json_errors(out);
    out.put("]}\n");
}

// What a report found; decides the exit status.
struct report_outcome {
    std::size_t leaked_blocks;
    std::size_t failed_scopes;
    std::uint64_t errors;
};

// The whole report: text to the report stream (as `report` says) and JSON to json_path.
// `when` is "at exit" or "now".
inline report_outcome write_report(const char* when) noexcept {
    block_filter const all = {0, 0, false};
    block_list list = collect_live(all);
    std::size_t group_count = 0;
    leak_group* groups = list.items ? group_by_site(list, group_count) : nullptr;
    statistics const st = current_stats();
    report_outcome outcome = {list.count, failure_count(), g_errors.count.load(std::memory_order_relaxed)};

    if (g_options.report != report_mode::off) {
        fd_writer out(report_fd());
        if (list.count == 0)
            out.printf("leakguard: no leaks %s (%llu allocations, %llu frees, peak %llu bytes)\n", when,
                       static_cast<unsigned long long>(st.allocations), static_cast<unsigned long long>(st.frees),
                       static_cast<unsigned long long>(st.peak_bytes));
        else
            out.printf("leakguard: %zu %s in %zu %s still alive %s, from %zu allocation %s "
                       "(%llu allocations, %llu frees, peak %llu bytes)\n",
                       list.bytes, plural(list.bytes, "byte", "bytes"), list.count,
                       plural(list.count, "block", "blocks"), when, group_count, plural(group_count, "site", "sites"),
                       static_cast<unsigned long long>(st.allocations), static_cast<unsigned long long>(st.frees),
                       static_cast<unsigned long long>(st.peak_bytes));
        if (g_options.report == report_mode::full && groups) print_groups(out, list, groups, group_count, "  ");
        if (outcome.failed_scopes)
            out.printf("leakguard: %zu %s failed (see above)\n", outcome.failed_scopes,
                       plural(outcome.failed_scopes, "scope", "scopes"));
        if (outcome.errors)
            out.printf("leakguard: %llu heap %s (see above)\n", static_cast<unsigned long long>(outcome.errors),
                       plural(static_cast<std::size_t>(outcome.errors), "error", "errors"));
    }
    if (g_options.json_path[0]) {
        int const fd = open_for_writing(g_options.json_path);
        if (fd < 0) {
            fd_writer err(report_fd());
            err.printf("leakguard: warning: cannot write json_path '%s'\n", g_options.json_path);
        } else {
            {
                fd_writer out(fd);
                write_json(out, list, groups, group_count, st);
            }
            ::close(fd);
        }
    }
    raw_free(groups);
    raw_free(list.items);
    return outcome;
}

} // namespace detail
} // namespace leakguard

#endif
