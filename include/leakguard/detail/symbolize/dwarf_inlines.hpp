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
// Read per compilation unit, when a report first names an address the unit covers (never while
// tracking; symbolize/dwarf_units.hpp finds the unit): one walk of the unit's entries keeps only
// the address ranges of its functions (DW_TAG_subprogram with code), sorted, in raw memory (the C
// library's malloc, never operator new) - the entries inside a function are passed over by their
// DW_AT_sibling link where the compiler gave one (gcc does). A lookup finds the function that holds
// the address and reads that one function's entries for the inlined calls whose ranges hold it.
// Function names, and the namespaces and classes around them, are read from .debug_info only for
// the frames a report prints. Anything not understood (compressed sections, split DWARF, unknown
// forms) means "no inlined frames", never a crash.
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
constexpr std::size_t max_inline_depth = 64; // inlined calls one address lies in, at most
constexpr unsigned max_die_nesting = 512;

// One inlined call (a DW_TAG_inlined_subroutine entry).
struct inline_call {
    std::uint64_t origin;    // .debug_info offset of the inlined function's entry
    std::uint32_t call_file; // file index in the unit's line table
    std::uint32_t call_line;
};

// The code of one function, [lo, hi) in the file's address space, and its entry's offset.
struct function_span {
    std::uint64_t lo;
    std::uint64_t hi;
    std::uint64_t entry;
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

struct dwarf_section {
    const unsigned char* data;
    std::size_t size;
};

// A module's .debug_info and the sections its entries refer to, with the abbreviations of the
// unit read last.
struct dwarf_info {
    dwarf_section info, abbrev, str, line_str, str_offsets, addr, ranges_v4, rnglists;
    // The abbreviations of one unit, by code (rebuilt when the unit changes).
    const unsigned char** abbrev_by_code;
    std::size_t abbrev_codes;
    std::uint64_t abbrev_for; // the .debug_abbrev offset they were read from, ~0 when none
};

// One compilation unit's functions, sorted by address (raw memory).
struct inline_table {
    function_span* functions;
    std::size_t count;
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
inline bool load_abbrevs(dwarf_info& t, std::uint64_t offset) noexcept {
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

inline std::uint64_t dwarf_addrx(const dwarf_info& t, const dwarf_unit& u, std::uint64_t index) noexcept {
    std::uint64_t const at = u.addr_base + index * u.address_size;
    if (!t.addr.data || at + u.address_size > t.addr.size) return 0;
    dwarf_cursor c = {t.addr.data + at, t.addr.data + t.addr.size, true};
    return c.fixed(u.address_size);
}

inline const char* dwarf_strx(const dwarf_info& t, const dwarf_unit& u, std::uint64_t index) noexcept {
    std::uint64_t const at = u.str_offsets_base + index * u.offset_size;
    if (!t.str_offsets.data || at + u.offset_size > t.str_offsets.size) return nullptr;
    dwarf_cursor c = {t.str_offsets.data + at, t.str_offsets.data + t.str_offsets.size, true};
    return dwarf_string_at(t.str, c.fixed(u.offset_size));
}

// Reads (or skips) one attribute of form `form`; false on a form it does not know.
inline bool read_attribute(dwarf_cursor& c, std::uint64_t form, std::int64_t implicit, const dwarf_info& t,
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
inline bool for_each_range(const dwarf_info& t, const dwarf_unit& u, const dwarf_value& v, Add&& add) noexcept {
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
inline bool read_unit_header(const dwarf_info& t, std::uint64_t offset, dwarf_unit& u, bool& usable) noexcept {
    usable = false;
    if (!t.info.data || offset >= t.info.size) return false;
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
    // Defaults for DWARF 5 units without the base attributes (gcc's when nothing uses them): the
    // tables' first entries, just past their headers. read_unit_root reads the unit's own.
    u.str_offsets_base = u.offset_size == 8 ? 16 : 8;
    u.addr_base = 8;
    u.rnglists_base = u.offset_size == 8 ? 20 : 12;
    return c.ok;
}

// The attributes of one entry that the tables need.
struct die_attributes {
    std::uint64_t low_pc, high_pc, origin, call_file, call_line, stmt_list, sibling;
    std::uint64_t str_offsets_base, addr_base, rnglists_base;
    dwarf_value ranges;
    const char* name;
    bool has_low, has_high, high_is_offset, has_ranges, has_origin, has_stmt_list, has_sibling;
    bool has_str_offsets_base, has_addr_base, has_rnglists_base;
};

// Reads the attributes of the entry whose abbreviation starts at `abbrev` (at its tag).
inline bool read_die(dwarf_cursor& c, const unsigned char* abbrev, const dwarf_info& t, const dwarf_unit& u,
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
        case 0x01:
            a.sibling = v.u;
            a.has_sibling = true;
            break; // sibling
        default: break;
        }
    }
}

// Reads a unit's own entry (its first): its bases, base address and line table into `u`, and its
// address ranges through add(lo, hi). Leaves `c` at its first child; `children` says whether it
// has any. False when unreadable.
template <class Add>
inline bool read_unit_root(dwarf_info& t, dwarf_unit& u, dwarf_cursor& c, bool& children, Add&& add) noexcept {
    children = false;
    if (!load_abbrevs(t, u.abbrev)) return false;
    c = dwarf_cursor{t.info.data + u.dies, t.info.data + u.end, true};
    std::uint64_t const code = c.uleb();
    if (!c.ok || code == 0 || code >= t.abbrev_codes || !t.abbrev_by_code[code]) return false;
    std::uint64_t tag = 0;
    die_attributes a;
    // Twice: its bases (str_offsets_base ...) may follow attributes that need them.
    dwarf_cursor first = c;
    if (!read_die(first, t.abbrev_by_code[code], t, u, tag, children, a)) return false;
    if (a.has_str_offsets_base) u.str_offsets_base = a.str_offsets_base;
    if (a.has_addr_base) u.addr_base = a.addr_base;
    if (a.has_rnglists_base) u.rnglists_base = a.rnglists_base;
    if (!read_die(c, t.abbrev_by_code[code], t, u, tag, children, a)) return false;
    if (a.has_low) u.low_pc = a.low_pc;
    if (a.has_stmt_list) u.stmt_list = a.stmt_list;
    if (a.has_low && a.has_high) add(a.low_pc, a.high_is_offset ? a.low_pc + a.high_pc : a.high_pc);
    else if (a.has_ranges) for_each_range(t, u, a.ranges, add);
    return true;
}

// Whether [lo, hi) (or the ranges of `a`) hold `vaddr`.
inline bool entry_holds(const dwarf_info& t, const dwarf_unit& u, const die_attributes& a,
                        std::uint64_t vaddr) noexcept {
    if (a.has_low && a.has_high) {
        std::uint64_t const hi = a.high_is_offset ? a.low_pc + a.high_pc : a.high_pc;
        return a.low_pc != 0 && vaddr >= a.low_pc && vaddr < hi;
    }
    if (!a.has_ranges) return false;
    bool in = false;
    for_each_range(t, u, a.ranges, [&](std::uint64_t lo, std::uint64_t hi) noexcept {
        in = in || (lo != 0 && vaddr >= lo && vaddr < hi);
        return !in;
    });
    return in;
}

// Moves `c` past the children of the entry just read (`a`): by its DW_AT_sibling link when it has
// one, else by reading them. False when unreadable.
inline bool skip_children(dwarf_info& t, const dwarf_unit& u, dwarf_cursor& c, const die_attributes& a) noexcept {
    if (a.has_sibling && a.sibling > static_cast<std::uint64_t>(c.p - t.info.data) && a.sibling <= u.end) {
        c.p = t.info.data + a.sibling;
        return true;
    }
    die_attributes inner;
    std::uint64_t tag = 0;
    bool children = false;
    for (unsigned level = 1; level > 0 && c.ok && c.p < c.end;) {
        std::uint64_t const code = c.uleb();
        if (code == 0) {
            --level;
            continue;
        }
        if (code >= t.abbrev_codes || !t.abbrev_by_code[code]) return false;
        if (!read_die(c, t.abbrev_by_code[code], t, u, tag, children, inner)) return false;
        if (children) {
            if (inner.has_sibling && inner.sibling > static_cast<std::uint64_t>(c.p - t.info.data) &&
                inner.sibling <= u.end)
                c.p = t.info.data + inner.sibling;
            else if (++level >= max_die_nesting) return false;
        }
    }
    return c.ok;
}
inline dwarf_section section_of(const elf_image& image, const char* name) noexcept {
    const ElfW(Shdr)* s = find_section(image, name);
    return s ? dwarf_section{image.data + s->sh_offset, static_cast<std::size_t>(s->sh_size)}
             : dwarf_section{nullptr, 0};
}

// The sections of a module's .debug_info (none of their bytes read); false when it has none.
inline bool open_dwarf_info(const elf_image& image, dwarf_info& t) noexcept {
    t = dwarf_info{};
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
    return true;
}

// Indexes the functions of one unit (its header read; its own entry is read again here).
inline void build_inline_table(dwarf_info& t, dwarf_unit& u, inline_table& out) noexcept {
    out = inline_table{nullptr, 0};
    dwarf_cursor c = {nullptr, nullptr, false};
    bool children = false;
    if (!read_unit_root(t, u, c, children, [](std::uint64_t, std::uint64_t) noexcept { return true; }) || !children)
        return;
    std::size_t capacity = 0;
    std::uint64_t tag = 0;
    die_attributes a;
    for (unsigned level = 1; level > 0 && c.ok && c.p < c.end;) {
        std::uint64_t const entry = static_cast<std::uint64_t>(c.p - t.info.data);
        std::uint64_t const code = c.uleb();
        if (code == 0) {
            --level;
            continue;
        }
        if (code >= t.abbrev_codes || !t.abbrev_by_code[code]) break;
        if (!read_die(c, t.abbrev_by_code[code], t, u, tag, children, a)) break;
        if (tag == 0x2e) { // DW_TAG_subprogram: its code, then past its body
            auto add = [&](std::uint64_t lo, std::uint64_t hi) noexcept -> bool {
                if (hi <= lo || lo == 0) return true; // empty, or code the linker dropped
                if (!grow_raw(out.functions, out.count, capacity)) return false;
                out.functions[out.count++] = function_span{lo, hi, entry};
                return true;
            };
            if (a.has_low && a.has_high) add(a.low_pc, a.high_is_offset ? a.low_pc + a.high_pc : a.high_pc);
            else if (a.has_ranges) for_each_range(t, u, a.ranges, add);
            if (children && !skip_children(t, u, c, a)) break;
            continue;
        }
        // Functions with code are entries of the unit or of a namespace (a class's member
        // functions are declared in it and defined outside it, DW_AT_specification): nothing else
        // is entered - the types, the bulk of a template-heavy unit, are passed over.
        if (!children) continue;
        if (tag != 0x39) { // DW_TAG_namespace
            if (!skip_children(t, u, c, a)) break;
            continue;
        }
        if (++level >= max_die_nesting) break;
    }
    std::sort(out.functions, out.functions + out.count,
              [](const function_span& x, const function_span& y) { return x.lo < y.lo; });
}

inline void free_inline_table(inline_table& t) noexcept {
    raw_free(t.functions);
    t = inline_table{nullptr, 0};
}

// The inlined calls `vaddr` lies in, innermost first, into out[0..max); returns how many. Reads
// the entries of the one function that holds it: the deepest inlined call whose ranges hold the
// address, and the inlined calls it is nested in.
inline std::size_t inline_chain(dwarf_info& t, const dwarf_unit& u, const inline_table& functions, std::uint64_t vaddr,
                                inline_call* out, std::size_t max) noexcept {
    if (!functions.count || max == 0 || !load_abbrevs(t, u.abbrev)) return 0;
    const function_span* it = std::upper_bound(functions.functions, functions.functions + functions.count, vaddr,
                                               [](std::uint64_t v, const function_span& f) { return v < f.lo; });
    if (it == functions.functions || vaddr >= (it - 1)->hi) return 0;
    dwarf_cursor c = {t.info.data + (it - 1)->entry, t.info.data + u.end, true};
    std::uint64_t tag = 0;
    bool children = false;
    die_attributes a;
    std::uint64_t code = c.uleb();
    if (!c.ok || code == 0 || code >= t.abbrev_codes || !t.abbrev_by_code[code]) return 0;
    if (!read_die(c, t.abbrev_by_code[code], t, u, tag, children, a) || !children) return 0;
    // open[l]: the inlined call the entry that opened level l is, when it holds vaddr (else a gap).
    inline_call open[max_die_nesting];
    bool opened[max_die_nesting];
    inline_call best[max_inline_depth];
    std::size_t best_count = 0;
    opened[1] = false;
    for (unsigned level = 1; level > 0 && c.ok && c.p < c.end;) {
        code = c.uleb();
        if (code == 0) {
            --level;
            continue;
        }
        if (code >= t.abbrev_codes || !t.abbrev_by_code[code]) break;
        if (!read_die(c, t.abbrev_by_code[code], t, u, tag, children, a)) break;
        bool const is_call = tag == 0x1d && a.has_origin;                           // DW_TAG_inlined_subroutine
        bool const holds = (is_call || tag == 0x0b) && entry_holds(t, u, a, vaddr); // or a lexical block
        if (is_call && holds) {
            // The calls it is nested in (innermost last), then itself: deeper than the best so far?
            inline_call chain[max_inline_depth];
            std::size_t n = 0;
            for (unsigned l = 1; l <= level && n + 1 < max_inline_depth; ++l)
                if (opened[l]) chain[n++] = open[l];
            chain[n++] =
                inline_call{a.origin, static_cast<std::uint32_t>(a.call_file), static_cast<std::uint32_t>(a.call_line)};
            if (n > best_count) {
                for (std::size_t k = 0; k < n; ++k) best[k] = chain[k];
                best_count = n;
            }
        }
        if (!children) continue;
        if (!holds && !(tag == 0x0b && !a.has_low && !a.has_ranges)) { // nothing inside can hold it
            if (!skip_children(t, u, c, a)) break;
            continue;
        }
        if (level + 1 >= max_die_nesting) break;
        ++level;
        opened[level] = is_call;
        if (is_call)
            open[level] =
                inline_call{a.origin, static_cast<std::uint32_t>(a.call_file), static_cast<std::uint32_t>(a.call_line)};
    }
    std::size_t const n = best_count < max ? best_count : max;
    for (std::size_t k = 0; k < n; ++k) out[k] = best[best_count - 1 - k]; // innermost first
    return n;
}

// Writes "outer::inner::" for the namespaces, classes, structs and unions of a unit that hold the
// entry at `target` into out[0..size), and returns the length written: a walk down from the unit's
// own entry that enters only the entries holding `target` (by DW_AT_sibling where given).
inline std::size_t write_scopes(dwarf_info& t, const dwarf_unit& u, std::uint64_t target, char* out,
                                std::size_t size) noexcept {
    if (size == 0) return 0;
    out[0] = '\0';
    dwarf_cursor c = {nullptr, nullptr, false};
    bool children = false;
    dwarf_unit root = u;
    if (target < u.dies || target >= u.end ||
        !read_unit_root(t, root, c, children, [](std::uint64_t, std::uint64_t) noexcept { return true; }) || !children)
        return 0;
    const char* names[64];
    bool named[64];
    std::size_t depth = 0;
    std::uint64_t tag = 0;
    die_attributes a;
    while (c.ok && c.p < c.end) {
        std::uint64_t const entry = static_cast<std::uint64_t>(c.p - t.info.data);
        if (entry >= target) break; // reached it (or passed it: malformed)
        std::uint64_t const code = c.uleb();
        if (code == 0) break; // the end of a level that held it: not found
        if (code >= t.abbrev_codes || !t.abbrev_by_code[code]) return 0;
        if (!read_die(c, t.abbrev_by_code[code], t, u, tag, children, a)) return 0;
        if (!children) continue;
        bool const has_end = a.has_sibling && a.sibling > entry && a.sibling <= u.end;
        if (has_end && target >= a.sibling) {
            c.p = t.info.data + a.sibling; // not in there
            continue;
        }
        if (!has_end) {
            // Without a sibling link, whether the entry holds the target is known only by reading
            // its children: skip them, and enter it if the target was among them.
            dwarf_cursor probe = c;
            if (!skip_children(t, u, probe, a)) return 0;
            if (target >= static_cast<std::uint64_t>(probe.p - t.info.data)) {
                c = probe;
                continue;
            }
        }
        bool const scope = tag == 0x39 || tag == 0x02 || tag == 0x13 || tag == 0x17; // namespace, class, struct, union
        if (depth < 64) {
            names[depth] = a.name;
            named[depth] = scope;
            ++depth;
        }
    }
    std::size_t len = 0;
    for (std::size_t i = 0; i < depth; ++i) {
        if (!named[i]) continue;
        const char* name = names[i] ? names[i] : "(anonymous namespace)";
        int const w = std::snprintf(out + len, size - len, "%s::", name);
        if (w < 0 || static_cast<std::size_t>(w) >= size - len) return len;
        len += static_cast<std::size_t>(w);
    }
    return len;
}

} // namespace detail
} // namespace leakguard

#endif
