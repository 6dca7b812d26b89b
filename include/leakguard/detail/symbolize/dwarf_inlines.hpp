// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// symbolize/dwarf_inlines.hpp: the inlined calls an address lies in, from the DW_TAG_inlined_subroutine
// entries of a module's .debug_info (DWARF 2 to 5), so that a report can show inlined frames as
// frames of their own (as addr2line -i does) and attribute a leak to the user's code that called
// inlined library code.
//
// Why: at -O2 std::vector::push_back and std::make_shared are inlined into the function that
// uses them. The return address operator new sees is then in that function, but the line table
// maps it to a line of <bits/stl_vector.h>: the line of the innermost inlined body. Only the
// inlined-subroutine entries say which call of the user's function that code came from
// (DW_AT_call_file, DW_AT_call_line) and which function was inlined (DW_AT_abstract_origin).
//
// Built once per module, when a report first names an address in it (never while tracking), into
// two tables in raw memory (the C library's malloc, never operator new): one record per inlined
// call (its origin, call file:line, enclosing call) and one per address range of a call, sorted
// by address, each linked to the innermost range containing it. A lookup is a binary search and a
// walk up those links. Function names are read from .debug_info only for the frames a report
// prints. At most max_inline_calls calls are kept (about 50 bytes each); a module with more loses
// inlined frames beyond them, never file:line. Anything not understood (compressed sections, split
// DWARF, unknown forms) means "no inlined frames", never a crash.
#ifndef LEAKGUARD_DETAIL_SYMBOLIZE_DWARF_INLINES_HPP_INCLUDED
#define LEAKGUARD_DETAIL_SYMBOLIZE_DWARF_INLINES_HPP_INCLUDED

#include <algorithm> // std::sort, std::upper_bound
#include <cstdint>   // std::uint64_t
#include <cstdio>    // std::snprintf
#include <cstdlib>   // std::realloc, std::free
#include <cstring>   // std::memset

#include "dwarf_lines.hpp"
#include "elf_symbols.hpp"

namespace leakguard {
namespace detail {

constexpr std::uint32_t no_inline = 0xffffffffu;
constexpr std::size_t max_inline_calls = std::size_t(1) << 22; // ~200 MiB of records at most
constexpr unsigned max_die_nesting = 512;

// One inlined call (a DW_TAG_inlined_subroutine entry).
struct inline_call {
    std::uint64_t origin;    // .debug_info offset of the inlined function's entry
    std::uint32_t unit;      // index into inline_table::units
    std::uint32_t call_file; // file index in the unit's line table
    std::uint32_t call_line;
    std::uint32_t parent; // the inlined call this one is inside, or no_inline
    std::uint32_t depth;  // how many inlined calls it is inside
};

// One address range of an inlined call, [lo, hi) in the file's address space.
struct inline_range {
    std::uint64_t lo;
    std::uint64_t hi;
    std::uint32_t call;
    std::uint32_t parent; // the innermost range (index) that contains this one, or no_inline
};

// What reading an entry of a unit needs.
struct dwarf_unit {
    std::uint64_t offset; // of the unit header in .debug_info
    std::uint64_t dies;   // offset of its first entry
    std::uint64_t end;    // offset just past it
    std::uint64_t abbrev; // offset of its abbreviations in .debug_abbrev
    std::uint64_t str_offsets_base;
    std::uint64_t addr_base;
    std::uint64_t rnglists_base;
    std::uint64_t low_pc;    // base address for range lists
    std::uint64_t stmt_list; // offset of its line-table unit, ~0 when none
    unsigned version;
    unsigned address_size;
    unsigned offset_size;
};

// A namespace, class, struct or union entry: [offset, end) of .debug_info holds its children.
// Names of functions without a linkage name (gcc gives none to functions with internal linkage,
// e.g. templates instantiated for a type of an anonymous namespace) are qualified with these.
struct dwarf_scope {
    std::uint64_t offset;
    std::uint64_t end;
    const char* name;     // null for an anonymous namespace
    std::uint32_t parent; // the enclosing scope, or no_inline
    std::uint32_t unused;
};

struct dwarf_section {
    const unsigned char* data;
    std::size_t size;
};

struct inline_table {
    inline_call* calls;
    std::size_t call_count;
    inline_range* ranges;
    std::size_t range_count;
    dwarf_unit* units;
    std::size_t unit_count;
    dwarf_scope* scopes; // in .debug_info order
    std::size_t scope_count;
    dwarf_section info, abbrev, str, line_str, str_offsets, addr, ranges_v4, rnglists;
    // The abbreviations of one unit, by code (for name lookups; rebuilt when the unit changes).
    const unsigned char** abbrev_by_code;
    std::size_t abbrev_codes;
    std::uint64_t abbrev_for; // the .debug_abbrev offset they were read from, ~0 when none
    char qualified[1024];     // the last name dwarf_function_name composed
};

// Grows a raw array by doubling; false when out of memory.
template <class T>
inline bool grow_raw(T*& items, std::size_t count, std::size_t& capacity) noexcept {
    if (count < capacity) return true;
    std::size_t const grown = capacity ? capacity * 2 : 1024;
    void* mem = raw_realloc(items, grown * sizeof(T));
    if (!mem) return false;
    items = static_cast<T*>(mem);
    capacity = grown;
    return true;
}

// Reads the abbreviation table at `offset` into t.abbrev_by_code: for each code, a pointer to
// its tag (ULEB), then the children byte and the attribute specifications.
inline bool load_abbrevs(inline_table& t, std::uint64_t offset) noexcept {
    if (t.abbrev_for == offset) return true;
    t.abbrev_for = ~std::uint64_t(0);
    if (offset >= t.abbrev.size) return false;
    dwarf_cursor c = {t.abbrev.data + offset, t.abbrev.data + t.abbrev.size, true};
    std::size_t capacity = t.abbrev_codes;
    if (t.abbrev_by_code) std::memset(t.abbrev_by_code, 0, capacity * sizeof(*t.abbrev_by_code));
    for (;;) {
        std::uint64_t const code = c.uleb();
        if (!c.ok) return false;
        if (code == 0) break;
        if (code >= 65536) return false;
        while (code >= capacity) {
            std::size_t const old = capacity;
            if (!grow_raw(t.abbrev_by_code, capacity, capacity)) return false;
            std::memset(t.abbrev_by_code + old, 0, (capacity - old) * sizeof(*t.abbrev_by_code));
        }
        t.abbrev_by_code[code] = c.p;
        c.uleb();   // tag
        c.fixed(1); // children
        for (;;) {
            std::uint64_t const name = c.uleb();
            std::uint64_t const form = c.uleb();
            if (form == 0x21) c.sleb(); // DW_FORM_implicit_const
            if (!c.ok) return false;
            if (name == 0 && form == 0) break;
        }
    }
    t.abbrev_codes = capacity;
    t.abbrev_for = offset;
    return true;
}

// The value of one attribute. Strings are resolved; addrx and strx need the unit's bases.
struct dwarf_value {
    std::uint64_t u;  // constants, offsets, addresses, references (unit-relative ones made absolute)
    const char* str;  // strings
    bool is_address;  // DW_FORM_addr / addrx: u is an address
    bool is_offset;   // DW_FORM_sec_offset (or a DWARF < 4 data4/data8 used as one)
    bool is_rnglistx; // DW_FORM_rnglistx: u is an index
};

inline const char* dwarf_string_at(const dwarf_section& s, std::uint64_t off) noexcept {
    return s.data && off < s.size ? reinterpret_cast<const char*>(s.data) + off : nullptr;
}

inline std::uint64_t dwarf_addrx(const inline_table& t, const dwarf_unit& u, std::uint64_t index) noexcept {
    std::uint64_t const at = u.addr_base + index * u.address_size;
    if (!t.addr.data || at + u.address_size > t.addr.size) return 0;
    dwarf_cursor c = {t.addr.data + at, t.addr.data + t.addr.size, true};
    return c.fixed(u.address_size);
}

inline const char* dwarf_strx(const inline_table& t, const dwarf_unit& u, std::uint64_t index) noexcept {
    std::uint64_t const at = u.str_offsets_base + index * u.offset_size;
    if (!t.str_offsets.data || at + u.offset_size > t.str_offsets.size) return nullptr;
    dwarf_cursor c = {t.str_offsets.data + at, t.str_offsets.data + t.str_offsets.size, true};
    return dwarf_string_at(t.str, c.fixed(u.offset_size));
}

// Reads (or skips) one attribute of form `form`; false on a form it does not know.
inline bool read_attribute(dwarf_cursor& c, std::uint64_t form, std::int64_t implicit, const inline_table& t,
                           const dwarf_unit& u, dwarf_value& v) noexcept {
    v = dwarf_value{0, nullptr, false, false, false};
    switch (form) {
    case 0x01:
        v.u = c.fixed(u.address_size);
        v.is_address = true;
        break;                            // addr
    case 0x03: c.skip(c.fixed(2)); break; // block2
    case 0x04: c.skip(c.fixed(4)); break; // block4
    case 0x05: v.u = c.fixed(2); break;   // data2
    case 0x06:
        v.u = c.fixed(4);
        v.is_offset = u.version < 4;
        break; // data4
    case 0x07:
        v.u = c.fixed(8);
        v.is_offset = u.version < 4;
        break;                          // data8
    case 0x08: v.str = c.cstr(); break; // string
    case 0x09:
    case 0x18: c.skip(c.uleb()); break;   // block, exprloc
    case 0x0a: c.skip(c.fixed(1)); break; // block1
    case 0x0b:
    case 0x0c:
    case 0x11:
        v.u = c.fixed(1);
        if (form == 0x11) v.u += u.offset;
        break;                                                                        // data1, flag, ref1
    case 0x0d: v.u = static_cast<std::uint64_t>(c.sleb()); break;                     // sdata
    case 0x0e: v.str = dwarf_string_at(t.str, c.fixed(u.offset_size)); break;         // strp
    case 0x1f: v.str = dwarf_string_at(t.line_str, c.fixed(u.offset_size)); break;    // line_strp
    case 0x0f: v.u = c.uleb(); break;                                                 // udata
    case 0x10: v.u = c.fixed(u.version <= 2 ? u.address_size : u.offset_size); break; // ref_addr
    case 0x12: v.u = c.fixed(2) + u.offset; break;                                    // ref2
    case 0x13: v.u = c.fixed(4) + u.offset; break;                                    // ref4
    case 0x14: v.u = c.fixed(8) + u.offset; break;                                    // ref8
    case 0x15: v.u = c.uleb() + u.offset; break;                                      // ref_udata
    case 0x16: {                                                                      // indirect
        std::uint64_t const real = c.uleb();
        if (real == 0x16 || real == 0x21) return false;
        return read_attribute(c, real, 0, t, u, v);
    }
    case 0x17:
        v.u = c.fixed(u.offset_size);
        v.is_offset = true;
        break;                 // sec_offset
    case 0x19: v.u = 1; break; // flag_present
    case 0x1a:
    case 0x1f02: v.str = dwarf_strx(t, u, c.uleb()); break; // strx, GNU_str_index
    case 0x25: v.str = dwarf_strx(t, u, c.fixed(1)); break; // strx1
    case 0x26: v.str = dwarf_strx(t, u, c.fixed(2)); break; // strx2
    case 0x27: v.str = dwarf_strx(t, u, c.fixed(3)); break; // strx3
    case 0x28: v.str = dwarf_strx(t, u, c.fixed(4)); break; // strx4
    case 0x1b:
    case 0x1f01:
        v.u = dwarf_addrx(t, u, c.uleb());
        v.is_address = true;
        break; // addrx
    case 0x29:
        v.u = dwarf_addrx(t, u, c.fixed(1));
        v.is_address = true;
        break; // addrx1
    case 0x2a:
        v.u = dwarf_addrx(t, u, c.fixed(2));
        v.is_address = true;
        break; // addrx2
    case 0x2b:
        v.u = dwarf_addrx(t, u, c.fixed(3));
        v.is_address = true;
        break; // addrx3
    case 0x2c:
        v.u = dwarf_addrx(t, u, c.fixed(4));
        v.is_address = true;
        break;                   // addrx4
    case 0x1c: c.skip(4); break; // ref_sup4
    case 0x1d:
    case 0x1f20:
    case 0x1f21: c.skip(u.offset_size); break; // strp_sup, GNU_ref_alt, GNU_strp_alt
    case 0x1e: c.skip(16); break;              // data16
    case 0x20:
    case 0x24: c.skip(8); break;                                  // ref_sig8, ref_sup8
    case 0x21: v.u = static_cast<std::uint64_t>(implicit); break; // implicit_const
    case 0x22: c.uleb(); break;                                   // loclistx
    case 0x23:
        v.u = c.uleb();
        v.is_rnglistx = true;
        break; // rnglistx
    default: return false;
    }
    return c.ok;
}

// Calls add(lo, hi) for each range of a DW_AT_ranges value; false when unreadable.
template <class Add>
inline bool for_each_range(const inline_table& t, const dwarf_unit& u, const dwarf_value& v, Add&& add) noexcept {
    std::uint64_t base = u.low_pc;
    if (u.version < 5) {
        if (!t.ranges_v4.data || v.u >= t.ranges_v4.size) return false;
        dwarf_cursor c = {t.ranges_v4.data + v.u, t.ranges_v4.data + t.ranges_v4.size, true};
        std::uint64_t const all_ones = u.address_size == 8 ? ~std::uint64_t(0) : 0xffffffffu;
        for (;;) {
            std::uint64_t const a = c.fixed(u.address_size);
            std::uint64_t const b = c.fixed(u.address_size);
            if (!c.ok) return false;
            if (a == 0 && b == 0) return true;
            if (a == all_ones) base = b;
            else if (!add(base + a, base + b)) return false;
        }
    }
    std::uint64_t offset = v.u;
    if (v.is_rnglistx) {
        std::uint64_t const at = u.rnglists_base + v.u * u.offset_size;
        if (!t.rnglists.data || at + u.offset_size > t.rnglists.size) return false;
        dwarf_cursor c = {t.rnglists.data + at, t.rnglists.data + t.rnglists.size, true};
        offset = u.rnglists_base + c.fixed(u.offset_size);
    }
    if (!t.rnglists.data || offset >= t.rnglists.size) return false;
    dwarf_cursor c = {t.rnglists.data + offset, t.rnglists.data + t.rnglists.size, true};
    for (;;) {
        unsigned const kind = static_cast<unsigned>(c.fixed(1));
        if (!c.ok) return false;
        std::uint64_t lo = 0, hi = 0;
        switch (kind) {
        case 0: return true;                                  // end_of_list
        case 1: base = dwarf_addrx(t, u, c.uleb()); continue; // base_addressx
        case 2:
            lo = dwarf_addrx(t, u, c.uleb());
            hi = dwarf_addrx(t, u, c.uleb());
            break; // startx_endx
        case 3:
            lo = dwarf_addrx(t, u, c.uleb());
            hi = lo + c.uleb();
            break; // startx_length
        case 4:
            lo = base + c.uleb();
            hi = base + c.uleb();
            break;                                        // offset_pair
        case 5: base = c.fixed(u.address_size); continue; // base_address
        case 6:
            lo = c.fixed(u.address_size);
            hi = c.fixed(u.address_size);
            break; // start_end
        case 7:
            lo = c.fixed(u.address_size);
            hi = lo + c.uleb();
            break; // start_length
        default: return false;
        }
        if (!c.ok) return false;
        if (!add(lo, hi)) return false;
    }
}

// Reads a unit header at `offset`; false when it is not one to read (type units, split units).
inline bool read_unit_header(const inline_table& t, std::uint64_t offset, dwarf_unit& u, bool& usable) noexcept {
    dwarf_cursor c = {t.info.data + offset, t.info.data + t.info.size, true};
    u = dwarf_unit{};
    u.offset = offset;
    u.stmt_list = ~std::uint64_t(0);
    std::uint64_t length = c.fixed(4);
    u.offset_size = 4;
    if (length == 0xffffffffu) {
        length = c.fixed(8);
        u.offset_size = 8;
    }
    if (!c.need(static_cast<std::size_t>(length)) || length < 2) return false;
    u.end = static_cast<std::uint64_t>(c.p - t.info.data) + length;
    u.version = static_cast<unsigned>(c.fixed(2));
    unsigned type = 1; // DW_UT_compile
    if (u.version >= 5) {
        type = static_cast<unsigned>(c.fixed(1));
        u.address_size = static_cast<unsigned>(c.fixed(1));
        u.abbrev = c.fixed(u.offset_size);
    } else {
        u.abbrev = c.fixed(u.offset_size);
        u.address_size = static_cast<unsigned>(c.fixed(1));
    }
    usable = c.ok && u.version >= 2 && u.version <= 5 && (type == 1 || type == 3) &&
             (u.address_size == 4 || u.address_size == 8);
    u.dies = static_cast<std::uint64_t>(c.p - t.info.data);
    return c.ok;
}

// The attributes of one entry that the tables need.
struct die_attributes {
    std::uint64_t low_pc, high_pc, origin, call_file, call_line, stmt_list;
    std::uint64_t str_offsets_base, addr_base, rnglists_base;
    dwarf_value ranges;
    const char* name;
    bool has_low, has_high, high_is_offset, has_ranges, has_origin, has_stmt_list;
    bool has_str_offsets_base, has_addr_base, has_rnglists_base;
};

// Reads the attributes of the entry whose abbreviation starts at `abbrev` (at its tag).
inline bool read_die(dwarf_cursor& c, const unsigned char* abbrev, const inline_table& t, const dwarf_unit& u,
                     std::uint64_t& tag, bool& children, die_attributes& a) noexcept {
    a = die_attributes{};
    dwarf_cursor spec = {abbrev, t.abbrev.data + t.abbrev.size, true};
    tag = spec.uleb();
    children = spec.fixed(1) != 0;
    for (;;) {
        std::uint64_t const name = spec.uleb();
        std::uint64_t const form = spec.uleb();
        std::int64_t const implicit = form == 0x21 ? spec.sleb() : 0;
        if (!spec.ok) return false;
        if (name == 0 && form == 0) return true;
        dwarf_value v;
        if (!read_attribute(c, form, implicit, t, u, v)) return false;
        switch (name) {
        case 0x11:
            a.low_pc = v.u;
            a.has_low = true;
            break; // low_pc
        case 0x12:
            a.high_pc = v.u;
            a.has_high = true;
            a.high_is_offset = !v.is_address;
            break; // high_pc
        case 0x55:
            a.ranges = v;
            a.has_ranges = true;
            break; // ranges
        case 0x31:
            a.origin = v.u;
            a.has_origin = true;
            break;                           // abstract_origin
        case 0x58: a.call_file = v.u; break; // call_file
        case 0x59: a.call_line = v.u; break; // call_line
        case 0x10:
            a.stmt_list = v.u;
            a.has_stmt_list = true;
            break; // stmt_list
        case 0x72:
            a.str_offsets_base = v.u;
            a.has_str_offsets_base = true;
            break; // str_offsets_base
        case 0x73:
            a.addr_base = v.u;
            a.has_addr_base = true;
            break; // addr_base
        case 0x74:
            a.rnglists_base = v.u;
            a.has_rnglists_base = true;
            break;                        // rnglists_base
        case 0x03: a.name = v.str; break; // name
        default: break;
        }
    }
}

// Reads one unit's entries, appending its inlined calls and their ranges.
inline void read_unit_inlines(inline_table& t, std::size_t unit_index, std::size_t& call_cap, std::size_t& range_cap,
                              std::size_t& scope_cap) noexcept {
    dwarf_unit& u = t.units[unit_index];
    if (!load_abbrevs(t, u.abbrev)) return;
    dwarf_cursor c = {t.info.data + u.dies, t.info.data + u.end, true};
    // The unit's own entry first, twice: its bases (str_offsets_base ...) may follow attributes
    // that need them.
    std::uint64_t code = c.uleb();
    if (!c.ok || code == 0 || code >= t.abbrev_codes || !t.abbrev_by_code[code]) return;
    std::uint64_t tag = 0;
    bool children = false;
    die_attributes a;
    dwarf_cursor first = c;
    if (!read_die(first, t.abbrev_by_code[code], t, u, tag, children, a)) return;
    if (a.has_str_offsets_base) u.str_offsets_base = a.str_offsets_base;
    if (a.has_addr_base) u.addr_base = a.addr_base;
    if (a.has_rnglists_base) u.rnglists_base = a.rnglists_base;
    if (!read_die(c, t.abbrev_by_code[code], t, u, tag, children, a)) return;
    if (a.has_low) u.low_pc = a.low_pc;
    if (a.has_stmt_list) u.stmt_list = a.stmt_list;
    if (!children) return;

    std::uint32_t enclosing[max_die_nesting]; // the inlined call each open level is inside
    std::uint32_t depth_of[max_die_nesting];  // how many inlined calls that is
    std::uint32_t scope_of[max_die_nesting];  // the scope each open level is inside
    bool opened_scope[max_die_nesting];       // whether the entry that opened the level is a scope
    unsigned level = 1;
    enclosing[1] = no_inline;
    depth_of[1] = 0;
    scope_of[1] = no_inline;
    opened_scope[1] = false;
    while (c.ok && c.p < c.end && level > 0) {
        std::uint64_t const die_offset = static_cast<std::uint64_t>(c.p - t.info.data);
        code = c.uleb();
        if (code == 0) {
            if (opened_scope[level]) t.scopes[scope_of[level]].end = die_offset;
            --level;
            continue;
        }
        if (code >= t.abbrev_codes || !t.abbrev_by_code[code]) return;
        if (!read_die(c, t.abbrev_by_code[code], t, u, tag, children, a)) return;
        std::uint32_t inner = enclosing[level];
        std::uint32_t inner_depth = depth_of[level];
        if (tag == 0x1d && a.has_origin && t.call_count < max_inline_calls) { // DW_TAG_inlined_subroutine
            if (!grow_raw(t.calls, t.call_count, call_cap)) return;
            std::uint32_t const id = static_cast<std::uint32_t>(t.call_count);
            t.calls[t.call_count++] = inline_call{a.origin,
                                                  static_cast<std::uint32_t>(unit_index),
                                                  static_cast<std::uint32_t>(a.call_file),
                                                  static_cast<std::uint32_t>(a.call_line),
                                                  inner,
                                                  inner_depth};
            auto add = [&](std::uint64_t lo, std::uint64_t hi) noexcept -> bool {
                if (hi <= lo || lo == 0) return true; // empty, or code the linker dropped
                if (!grow_raw(t.ranges, t.range_count, range_cap)) return false;
                t.ranges[t.range_count++] = inline_range{lo, hi, id, no_inline};
                return true;
            };
            if (a.has_low && a.has_high) add(a.low_pc, a.high_is_offset ? a.low_pc + a.high_pc : a.high_pc);
            else if (a.has_ranges) for_each_range(t, u, a.ranges, add);
            inner = id;
            inner_depth += 1;
        }
        std::uint32_t scope = scope_of[level];
        bool const is_scope = children && (tag == 0x39 || tag == 0x02 || tag == 0x13 || tag == 0x17) &&
                              t.scope_count < max_inline_calls; // namespace, class, struct, union
        if (is_scope) {
            if (!grow_raw(t.scopes, t.scope_count, scope_cap)) return;
            t.scopes[t.scope_count] = dwarf_scope{die_offset, u.end, a.name, scope, 0};
            scope = static_cast<std::uint32_t>(t.scope_count++);
        }
        if (children) {
            if (level + 1 >= max_die_nesting) return;
            ++level;
            enclosing[level] = inner;
            depth_of[level] = inner_depth;
            scope_of[level] = scope;
            opened_scope[level] = is_scope;
        }
    }
}

inline dwarf_section section_of(const elf_image& image, const char* name) noexcept {
    const ElfW(Shdr)* s = find_section(image, name);
    return s ? dwarf_section{image.data + s->sh_offset, static_cast<std::size_t>(s->sh_size)}
             : dwarf_section{nullptr, 0};
}

// Builds the tables for a module; false when it has no inlined calls to show.
inline bool build_inline_table(const elf_image& image, inline_table& t) noexcept {
    t = inline_table{};
    t.abbrev_for = ~std::uint64_t(0);
    t.info = section_of(image, ".debug_info");
    t.abbrev = section_of(image, ".debug_abbrev");
    if (!t.info.data || !t.abbrev.data) return false;
    t.str = section_of(image, ".debug_str");
    t.line_str = section_of(image, ".debug_line_str");
    t.str_offsets = section_of(image, ".debug_str_offsets");
    t.addr = section_of(image, ".debug_addr");
    t.ranges_v4 = section_of(image, ".debug_ranges");
    t.rnglists = section_of(image, ".debug_rnglists");

    std::size_t unit_cap = 0, call_cap = 0, range_cap = 0, scope_cap = 0;
    for (std::uint64_t offset = 0; offset < t.info.size;) {
        dwarf_unit u;
        bool usable = false;
        if (!read_unit_header(t, offset, u, usable)) break;
        offset = u.end;
        if (!usable) continue;
        // Defaults for DWARF 5 units without the base attributes (gcc's when nothing uses them):
        // the tables' first entries, just past their headers.
        u.str_offsets_base = u.offset_size == 8 ? 16 : 8;
        u.addr_base = 8;
        u.rnglists_base = u.offset_size == 8 ? 20 : 12;
        if (!grow_raw(t.units, t.unit_count, unit_cap)) break;
        t.units[t.unit_count] = u;
        read_unit_inlines(t, t.unit_count, call_cap, range_cap, scope_cap);
        ++t.unit_count;
    }
    // By start; the longer range first; of equal ranges the outer call first. Then each range's
    // parent: the innermost earlier range still open when it starts.
    std::sort(t.ranges, t.ranges + t.range_count, [&t](const inline_range& a, const inline_range& b) {
        if (a.lo != b.lo) return a.lo < b.lo;
        if (a.hi != b.hi) return a.hi > b.hi;
        return t.calls[a.call].depth < t.calls[b.call].depth;
    });
    std::uint32_t open[max_die_nesting];
    unsigned open_count = 0;
    for (std::size_t i = 0; i < t.range_count; ++i) {
        inline_range& r = t.ranges[i];
        while (open_count > 0 && t.ranges[open[open_count - 1]].hi <= r.lo) --open_count;
        r.parent = open_count ? open[open_count - 1] : no_inline;
        if (open_count < max_die_nesting) open[open_count++] = static_cast<std::uint32_t>(i);
    }
    return t.range_count > 0;
}

// The inlined calls `vaddr` lies in, innermost first, into out[0..max); returns how many.
inline std::size_t inline_chain(const inline_table& t, std::uint64_t vaddr, const inline_call** out,
                                std::size_t max) noexcept {
    if (!t.range_count || max == 0) return 0;
    const inline_range* it = std::upper_bound(t.ranges, t.ranges + t.range_count, vaddr,
                                              [](std::uint64_t a, const inline_range& r) { return a < r.lo; });
    if (it == t.ranges) return 0;
    std::uint32_t r = static_cast<std::uint32_t>(it - 1 - t.ranges);
    for (unsigned steps = 0; r != no_inline && steps < max_die_nesting; ++steps) {
        if (vaddr < t.ranges[r].hi) break;
        r = t.ranges[r].parent;
    }
    if (r == no_inline || vaddr >= t.ranges[r].hi) return 0;
    std::size_t n = 0;
    for (std::uint32_t call = t.ranges[r].call; call != no_inline && n < max; call = t.calls[call].parent)
        out[n++] = &t.calls[call];
    return n;
}

// Writes "outer::inner::" for the scopes that hold the entry at `offset` into t.qualified, and
// returns the length written.
inline std::size_t write_scopes(inline_table& t, std::uint64_t offset) noexcept {
    if (!t.scope_count) return 0;
    const dwarf_scope* it = std::upper_bound(t.scopes, t.scopes + t.scope_count, offset,
                                             [](std::uint64_t o, const dwarf_scope& x) { return o < x.offset; });
    if (it == t.scopes) return 0;
    std::uint32_t chain[64];
    std::size_t n = 0;
    std::uint32_t sc = static_cast<std::uint32_t>(it - 1 - t.scopes);
    while (sc != no_inline && offset >= t.scopes[sc].end) sc = t.scopes[sc].parent; // not inside it
    for (; sc != no_inline && n < 64; sc = t.scopes[sc].parent) chain[n++] = sc;
    std::size_t len = 0;
    for (std::size_t i = n; i-- > 0;) {
        const char* name = t.scopes[chain[i]].name ? t.scopes[chain[i]].name : "(anonymous namespace)";
        int const w = std::snprintf(t.qualified + len, sizeof t.qualified - len, "%s::", name);
        if (w < 0 || static_cast<std::size_t>(w) >= sizeof t.qualified - len) return len;
        len += static_cast<std::size_t>(w);
    }
    return len;
}

// The name of the function whose entry is at `offset` in .debug_info: its linkage (mangled) name
// when it or the declaration it completes has one, else its plain name qualified with the
// namespaces and classes around the entry that has it; null when unknown. The result lives until
// the next call. `bare`, when given, gets the first plain name (DW_AT_name) met on the way, as the
// module holds it (unqualified: what valgrind names an inlined call by), or null.
inline const char* dwarf_function_name(inline_table& t, std::uint64_t offset, const char** bare = nullptr) noexcept {
    const char* plain = nullptr;
    std::uint64_t plain_at = 0;
    const char* linkage = nullptr;
    if (bare) *bare = nullptr;
    for (unsigned hop = 0; hop < 8; ++hop) {
        // The unit holding the entry.
        const dwarf_unit* u = std::upper_bound(t.units, t.units + t.unit_count, offset,
                                               [](std::uint64_t o, const dwarf_unit& x) { return o < x.offset; });
        if (u == t.units) break;
        --u;
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
    std::size_t const len = write_scopes(t, plain_at);
    std::snprintf(t.qualified + len, sizeof t.qualified - len, "%s", plain);
    return t.qualified;
}

} // namespace detail
} // namespace leakguard

#endif
