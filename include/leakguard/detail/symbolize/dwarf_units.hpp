// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// symbolize/dwarf_units.hpp: a module's DWARF read one compilation unit at a time - only the units
// that cover the addresses a report names.
//
// Why: a large program's debug information is tens or hundreds of megabytes, and a report names a
// few dozen addresses. Decoding every unit's line program and inlined calls the first time an
// address is named cost seconds and a hundred megabytes of tables; finding the units that cover
// the named addresses and decoding those alone costs what the report prints. Nothing here runs
// before a report asks for a frame's file:line or inlined calls: a run that prints no frame reads
// none of the module's .debug_* sections (g_debug_reads counts what is read, for the tests).
//
// The unit of an address comes from .debug_aranges (gcc writes it: a few bytes per function,
// read once per module into a sorted table of the ranges that are not code the linker dropped),
// else from each unit's own entry (DW_AT_low_pc/high_pc or DW_AT_ranges; clang writes no
// .debug_aranges by default), read once per module when .debug_aranges is missing or does not
// cover the address. A unit read keeps the index of its line table's sequences (dwarf_lines.hpp)
// and of its functions (dwarf_inlines.hpp) for the rest of the process: tens of bytes per function.
// All in raw memory; anything not understood means "no file:line" or "no inlined frames", never a
// crash. The module's file is read through a private mapping, whose pages count in the process's
// memory once touched: after every few megabytes read, its debug sections' pages are given back
// (relieve_debug_pages), so that a report that reads a hundred units holds a few at a time.
#ifndef LEAKGUARD_DETAIL_SYMBOLIZE_DWARF_UNITS_HPP_INCLUDED
#define LEAKGUARD_DETAIL_SYMBOLIZE_DWARF_UNITS_HPP_INCLUDED

#include <algorithm>  // std::sort, std::upper_bound
#include <atomic>     // std::atomic
#include <cstdint>    // std::uint64_t
#include <cstdio>     // std::snprintf
#include <sys/mman.h> // madvise

#include "dwarf_inlines.hpp"
#include "dwarf_lines.hpp"
#include "elf_symbols.hpp"
#include "../core/pages.hpp"
#include "../core/platform.hpp"

namespace leakguard {
namespace detail {

// What has been read of all modules' .debug_* sections: bytes of the units, line programs and
// tables decoded. Read by the tests (a run that names no frame must leave both at zero).
struct debug_read_counts {
    std::atomic<std::uint64_t> bytes;
    std::atomic<std::uint64_t> units; // compilation units read (their own entry, then what was asked)
};
debug_read_counts g_debug_reads{};

inline void count_debug_read(std::size_t bytes, unsigned units = 0) noexcept {
    g_debug_reads.bytes.fetch_add(bytes, std::memory_order_relaxed);
    if (units) g_debug_reads.units.fetch_add(units, std::memory_order_relaxed);
}

// [lo, hi) of the file's addresses belongs to the unit at .debug_info offset `unit`.
struct unit_span {
    std::uint64_t lo;
    std::uint64_t hi;
    std::uint64_t unit;
};

// One compilation unit: its header and own entry, then what was asked of it. `info` is the
// module's sections with this unit's abbreviations: a report goes from unit to unit, and each
// keeps its table rather than reading it again.
struct compile_unit {
    dwarf_info info;
    dwarf_unit unit;
    line_table lines;
    inline_table inlines;
    bool lines_built;
    bool inlines_built;
};

struct span_table {
    unit_span* items; // sorted by lo (raw memory)
    std::size_t count;
    std::size_t capacity;
    bool built;
};

struct dwarf_module {
    dwarf_info info;
    line_sections lines;
    dwarf_section aranges;
    span_table from_aranges; // .debug_aranges
    span_table from_units;   // the units' own entries, when .debug_aranges falls short
    compile_unit** units;    // the units read so far, by offset
    std::size_t unit_count;
    std::size_t unit_capacity;
    std::size_t read_since_relief; // bytes of its sections read since their pages were given back
    char qualified[1024];          // the last name dwarf_function_name composed
};

// count_debug_read, and the module's own count toward giving its pages back (relieve_debug_pages).
inline void count_module_read(dwarf_module& m, std::size_t bytes, unsigned units = 0) noexcept {
    count_debug_read(bytes, units);
    m.read_since_relief += bytes;
}

// Looks up the sections (their headers only: no byte of them is read); false when the image has
// no .debug_info to read (none, or compressed).
inline bool open_dwarf_module(const elf_image& image, dwarf_module& m) noexcept {
    m = dwarf_module{};
    if (!open_dwarf_info(image, m.info)) return false;
    m.aranges = section_of(image, ".debug_aranges");
    dwarf_section const line = section_of(image, ".debug_line");
    m.lines.line_data = line.data;
    m.lines.line_size = line.size;
    m.lines.line_str = reinterpret_cast<const char*>(m.info.line_str.data);
    m.lines.line_str_size = m.info.line_str.size;
    m.lines.str = reinterpret_cast<const char*>(m.info.str.data);
    m.lines.str_size = m.info.str.size;
    return true;
}

// Gives back the whole pages inside [p, p + n) of a module's file mapping (map_elf: private,
// read-only, never written), so that they stop counting in the process's memory; they stay in
// the page cache, and a later read of them (a name the index points to) faults them in again
// from the file. Only for map_elf's mappings: on memory that is not a file's it would lose data.
inline void drop_mapped_pages(const void* p, std::size_t n) noexcept {
    if (!p || n == 0) return;
    std::uintptr_t const page = page_size();
    std::uintptr_t const lo = (reinterpret_cast<std::uintptr_t>(p) + page - 1) & ~(page - 1);
    std::uintptr_t const hi = (reinterpret_cast<std::uintptr_t>(p) + n) & ~(page - 1);
    if (hi > lo) ::madvise(reinterpret_cast<void*>(lo), hi - lo, MADV_DONTNEED);
}

// Bytes a module's sections may be read for before their pages are given back. A frame reads a
// unit's entries and line program (a few hundred kilobytes in template-heavy code) and, through
// the kernel's fault-around, the pages beside every name it looks at: the budget keeps the
// report's memory near a few units' worth, and the pages read again cost a minor fault each.
constexpr std::size_t debug_relief_bytes = std::size_t(8) << 20;
// What a lookup in a unit already read is counted for: it decodes a line sequence, the unit's
// entries on the way to the inlined calls and names, each page mapped with its neighbours.
constexpr std::size_t debug_lookup_bytes = std::size_t(256) << 10;

// Gives back the pages of every debug section a lookup reads in the module's file (the tables
// made from them are kept; .debug_aranges is read once). What was returned before (names, file
// names: pointers into the mapping) stays valid - a page given back is read again from the file
// when touched.
inline void drop_debug_pages(dwarf_module& m) noexcept {
    const dwarf_section* const sections[] = {&m.info.info,        &m.info.abbrev, &m.info.str,       &m.info.line_str,
                                             &m.info.str_offsets, &m.info.addr,   &m.info.ranges_v4, &m.info.rnglists};
    for (const dwarf_section* s : sections) drop_mapped_pages(s->data, s->size);
    drop_mapped_pages(m.lines.line_data, m.lines.line_size);
    m.read_since_relief = 0;
}

// Gives back the debug sections' pages once the budget is spent. Called before a frame's lookup.
inline void relieve_debug_pages(dwarf_module& m) noexcept {
    m.read_since_relief += debug_lookup_bytes;
    if (m.read_since_relief >= debug_relief_bytes) drop_debug_pages(m);
}

// Bytes of unit headers a walk of them (read_unit_spans, unit_holding) reads before it gives their
// pages back: each header is on a page of its own in a large program, and the kernel maps its
// neighbours with it (fault-around), so that a walk of a few hundred headers would otherwise
// hold most of .debug_info.
constexpr std::size_t header_walk_relief = std::size_t(1) << 20;
constexpr std::size_t header_page_bytes = std::size_t(64) << 10;

// Counts one header read by a walk of them, and gives back the debug sections' pages every
// header_walk_relief bytes of them (a unit's own entry reads its abbreviations and ranges too).
inline void count_header_read(dwarf_module& m, std::size_t& walked) noexcept {
    walked += header_page_bytes;
    if (walked % header_walk_relief == 0) drop_debug_pages(m);
}

inline bool push_span(span_table& t, std::uint64_t lo, std::uint64_t hi, std::uint64_t unit) noexcept {
    if (hi <= lo || lo == 0) return true; // empty, or code the linker dropped
    if (!grow_raw(t.items, t.count, t.capacity)) return false;
    t.items[t.count++] = unit_span{lo, hi, unit};
    return true;
}

// Sorts the spans, and joins spans of one unit that follow each other with at most a function's
// alignment padding between them (a unit's functions mostly lie one after the other): the table
// keeps one entry per run. An address in such a gap is looked up in that unit, which has no row
// there: the same "no file:line".
inline void sort_spans(span_table& t) noexcept {
    std::sort(t.items, t.items + t.count, [](const unit_span& a, const unit_span& b) { return a.lo < b.lo; });
    std::size_t kept = 0;
    for (std::size_t i = 0; i < t.count; ++i) {
        if (kept > 0 && t.items[kept - 1].unit == t.items[i].unit && t.items[i].lo <= t.items[kept - 1].hi + 64) {
            if (t.items[i].hi > t.items[kept - 1].hi) t.items[kept - 1].hi = t.items[i].hi;
            continue;
        }
        t.items[kept++] = t.items[i];
    }
    t.count = kept;
    t.built = true;
}

// The unit whose span holds `vaddr`, ~0 when none.
inline std::uint64_t span_unit(const span_table& t, std::uint64_t vaddr) noexcept {
    const unit_span* it = std::upper_bound(t.items, t.items + t.count, vaddr,
                                           [](std::uint64_t a, const unit_span& s) { return a < s.lo; });
    if (it == t.items || vaddr >= (it - 1)->hi) return ~std::uint64_t(0);
    return (it - 1)->unit;
}

// .debug_aranges: sets of (address, length) tuples, one set per unit.
inline void read_aranges(dwarf_module& m) noexcept {
    span_table& t = m.from_aranges;
    const unsigned char* const begin = m.aranges.data;
    const unsigned char* const end = begin + m.aranges.size;
    for (const unsigned char* set = begin; begin && set < end;) {
        dwarf_cursor c = {set, end, true};
        std::uint64_t length = c.fixed(4);
        unsigned offset_size = 4;
        if (length == 0xffffffffu) {
            length = c.fixed(8);
            offset_size = 8;
        }
        if (!c.need(static_cast<std::size_t>(length)) || length < 2) break;
        const unsigned char* const next = c.p + length;
        c.end = next;
        unsigned const version = static_cast<unsigned>(c.fixed(2));
        std::uint64_t const unit = c.fixed(offset_size);
        unsigned const address_size = static_cast<unsigned>(c.fixed(1));
        unsigned const segment_size = static_cast<unsigned>(c.fixed(1));
        if (c.ok && version == 2 && segment_size == 0 && (address_size == 4 || address_size == 8)) {
            // The tuples start at a multiple of twice the address size from the set's start.
            std::size_t const used = static_cast<std::size_t>(c.p - set), pair = std::size_t(2) * address_size;
            c.skip((pair - used % pair) % pair);
            for (;;) {
                std::uint64_t const lo = c.fixed(address_size);
                std::uint64_t const len = c.fixed(address_size);
                if (!c.ok || (lo == 0 && len == 0)) break;
                if (!push_span(t, lo, lo + len, unit)) break;
            }
        }
        set = next;
    }
    count_module_read(m, m.aranges.size);
    sort_spans(t);
}

// The units' own entries: each unit's header and first entry, once per module.
inline void read_unit_spans(dwarf_module& m) noexcept {
    span_table& t = m.from_units;
    std::size_t bytes = 0, walked = 0;
    for (std::uint64_t offset = 0; offset < m.info.info.size;) {
        dwarf_unit u;
        bool usable = false;
        if (!read_unit_header(m.info, offset, u, usable)) break;
        count_header_read(m, walked);
        offset = u.end;
        if (!usable) continue;
        dwarf_cursor c = {nullptr, nullptr, false};
        bool children = false;
        std::uint64_t const unit = u.offset;
        read_unit_root(m.info, u, c, children,
                       [&](std::uint64_t lo, std::uint64_t hi) noexcept { return push_span(t, lo, hi, unit); });
        const unsigned char* const start = m.info.info.data + u.offset;
        bytes +=
            c.p && c.p > start ? static_cast<std::size_t>(c.p - start) : static_cast<std::size_t>(u.dies - u.offset);
    }
    count_module_read(m, bytes);
    drop_debug_pages(m);
    sort_spans(t);
}

// The unit at .debug_info offset `offset`, its header and own entry read; null when it is not one
// to read.
inline compile_unit* unit_at_offset(dwarf_module& m, std::uint64_t offset) noexcept {
    compile_unit** const first = m.units;
    compile_unit** const last = m.units + m.unit_count;
    compile_unit** it = std::lower_bound(first, last, offset,
                                         [](const compile_unit* u, std::uint64_t o) { return u->unit.offset < o; });
    if (it != last && (*it)->unit.offset == offset) return *it;
    dwarf_unit u;
    bool usable = false;
    if (!read_unit_header(m.info, offset, u, usable) || !usable) return nullptr;
    dwarf_cursor c = {nullptr, nullptr, false};
    bool children = false;
    if (!read_unit_root(m.info, u, c, children, [](std::uint64_t, std::uint64_t) noexcept { return true; }))
        return nullptr;
    std::size_t const at = static_cast<std::size_t>(it - first);
    if (m.unit_count == m.unit_capacity) { // an array of pointers: grow_raw takes arrays of records
        std::size_t const grown = m.unit_capacity ? 2 * m.unit_capacity : 16;
        void* const more = raw_realloc(m.units, grown * sizeof(void*));
        if (!more) return nullptr;
        m.units = static_cast<compile_unit**>(more);
        m.unit_capacity = grown;
    }
    compile_unit* cu = static_cast<compile_unit*>(raw_calloc(sizeof(compile_unit)));
    if (!cu) return nullptr;
    cu->unit = u;
    cu->info = m.info;
    cu->info.abbrev_by_code = nullptr;
    cu->info.abbrev_codes = 0;
    cu->info.abbrev_for = ~std::uint64_t(0);
    for (std::size_t i = m.unit_count; i > at; --i) m.units[i] = m.units[i - 1];
    m.units[at] = cu;
    ++m.unit_count;
    count_module_read(m, static_cast<std::size_t>(c.p - (m.info.info.data + u.offset)), 1);
    return cu;
}

// The unit whose code holds `vaddr` (an address in the file's address space); null when none.
inline compile_unit* unit_for_address(dwarf_module& m, std::uint64_t vaddr) noexcept {
    if (!m.from_aranges.built) read_aranges(m);
    std::uint64_t unit = span_unit(m.from_aranges, vaddr);
    if (unit == ~std::uint64_t(0)) {
        if (!m.from_units.built) read_unit_spans(m);
        unit = span_unit(m.from_units, vaddr);
    }
    return unit == ~std::uint64_t(0) ? nullptr : unit_at_offset(m, unit);
}

// The unit that holds the entry at .debug_info offset `die`: one already read, else found by
// walking the unit headers (a reference into another unit: LTO, or DW_FORM_ref_addr).
inline compile_unit* unit_holding(dwarf_module& m, std::uint64_t die) noexcept {
    compile_unit** const last = m.units + m.unit_count;
    compile_unit** it =
        std::upper_bound(m.units, last, die, [](std::uint64_t o, const compile_unit* u) { return o < u->unit.offset; });
    if (it != m.units && die < (*(it - 1))->unit.end) return *(it - 1);
    std::size_t headers = 0, walked = 0;
    for (std::uint64_t offset = 0; offset < m.info.info.size;) {
        dwarf_unit u;
        bool usable = false;
        if (!read_unit_header(m.info, offset, u, usable)) break;
        headers += 12;
        count_header_read(m, walked);
        if (die >= u.offset && die < u.end) {
            count_debug_read(headers);
            return usable ? unit_at_offset(m, u.offset) : nullptr;
        }
        offset = u.end;
    }
    count_debug_read(headers);
    return nullptr;
}

inline const line_table& unit_lines(dwarf_module& m, compile_unit& cu) noexcept {
    if (!cu.lines_built) {
        cu.lines_built = true;
        std::size_t bytes = 0;
        if (cu.unit.stmt_list != ~std::uint64_t(0)) build_line_table(m.lines, cu.unit.stmt_list, cu.lines, bytes);
        count_module_read(m, bytes);
    }
    return cu.lines;
}

inline const inline_table& unit_inlines(dwarf_module& m, compile_unit& cu) noexcept {
    if (!cu.inlines_built) {
        cu.inlines_built = true;
        build_inline_table(cu.info, cu.unit, cu.inlines);
        count_module_read(m, static_cast<std::size_t>(cu.unit.end - cu.unit.offset));
    }
    return cu.inlines;
}

// Writes "dir/file" and the line for `vaddr` (in the file's address space); false when unknown.
inline bool dwarf_line_at(dwarf_module& m, std::uint64_t vaddr, char* file, std::size_t file_size,
                          unsigned& line) noexcept {
    relieve_debug_pages(m);
    compile_unit* cu = unit_for_address(m, vaddr);
    return cu && lookup_line(m.lines, unit_lines(m, *cu), vaddr, file, file_size, line);
}

// The inlined calls `vaddr` lies in, innermost first (inline_chain), and in `unit` the unit that
// holds them.
inline std::size_t dwarf_inline_chain(dwarf_module& m, std::uint64_t vaddr, inline_call* out, std::size_t max,
                                      compile_unit*& unit) noexcept {
    relieve_debug_pages(m);
    unit = unit_for_address(m, vaddr);
    return unit ? inline_chain(unit->info, unit->unit, unit_inlines(m, *unit), vaddr, out, max) : 0;
}

// Writes "dir/file" of file `file_index` of a unit's line table (an inlined call's call_file).
inline bool dwarf_unit_file(const dwarf_module& m, const compile_unit& unit, unsigned file_index, char* file,
                            std::size_t file_size) noexcept {
    return unit.unit.stmt_list != ~std::uint64_t(0) &&
           unit_file_name(m.lines, unit.unit.stmt_list, file_index, file, file_size);
}

// The name of the function whose entry is at `offset` in .debug_info: its linkage (mangled) name
// when it or the declaration it completes has one, else its plain name qualified with the
// namespaces and classes around the entry that has it; null when unknown. The result lives until
// the next call. `bare`, when given, gets the first plain name (DW_AT_name) met on the way, as the
// module holds it (unqualified: what valgrind names an inlined call by), or null.
inline const char* dwarf_function_name(dwarf_module& m, std::uint64_t offset, const char** bare = nullptr) noexcept {
    const char* plain = nullptr;
    compile_unit* plain_unit = nullptr;
    std::uint64_t plain_at = 0;
    const char* linkage = nullptr;
    if (bare) *bare = nullptr;
    for (unsigned hop = 0; hop < 8; ++hop) {
        compile_unit* cu = unit_holding(m, offset);
        if (!cu) break;
        dwarf_info& t = cu->info;
        const dwarf_unit* u = &cu->unit;
        if (offset < u->dies || offset >= u->end || !load_abbrevs(t, u->abbrev)) break;
        dwarf_cursor c = {t.info.data + offset, t.info.data + u->end, true};
        std::uint64_t const code = c.uleb();
        if (!c.ok || code == 0 || code >= t.abbrev_codes || !t.abbrev_by_code[code]) break;
        dwarf_cursor spec = {t.abbrev_by_code[code], t.abbrev.data + t.abbrev.size, true};
        spec.uleb();
        spec.fixed(1);
        std::uint64_t next = 0;
        bool has_next = false;
        bool bad = false;
        for (;;) {
            std::uint64_t const name = spec.uleb();
            std::uint64_t const form = spec.uleb();
            std::int64_t const implicit = form == 0x21 ? spec.sleb() : 0;
            if (!spec.ok) {
                bad = true;
                break;
            }
            if (name == 0 && form == 0) break;
            dwarf_value v;
            if (!read_attribute(c, form, implicit, t, *u, v)) {
                bad = true;
                break;
            }
            if ((name == 0x6e || name == 0x2007) && v.str) linkage = v.str; // linkage_name, MIPS_linkage_name
            if (name == 0x03 && v.str) {                                    // name: the innermost declaration's
                if (bare && !*bare) *bare = v.str;
                plain = v.str;
                plain_at = offset;
                plain_unit = cu;
            }
            if ((name == 0x31 || name == 0x47) && !has_next) { // abstract_origin, specification
                next = v.u;
                has_next = true;
            }
        }
        if (linkage) return linkage; // the rest of its entry read: its plain name is known too
        if (bad || !has_next) break;
        offset = next;
    }
    if (!plain) return nullptr;
    std::size_t const len =
        plain_unit ? write_scopes(plain_unit->info, plain_unit->unit, plain_at, m.qualified, sizeof m.qualified) : 0;
    std::snprintf(m.qualified + len, sizeof m.qualified - len, "%s", plain);
    return m.qualified;
}

} // namespace detail
} // namespace leakguard

#endif
