// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// symbolize/dwarf_lines.hpp: file:line for an address, from the DWARF line table (.debug_line, versions
// 2 to 5) of a module's file. Only the line-table unit of the compilation unit covering an address
// is read (symbolize/dwarf_units.hpp finds it), and of it only an index: one entry per sequence
// (the rows of one contiguous piece of code, a function under -ffunction-sections) with its
// address range and where its opcodes start, in raw memory. A lookup runs the one sequence that
// holds the address; no row is stored. Anything it does not understand (compressed sections,
// unknown forms) means "no file:line", never a crash.
#ifndef LEAKGUARD_DETAIL_SYMBOLIZE_DWARF_LINES_HPP_INCLUDED
#define LEAKGUARD_DETAIL_SYMBOLIZE_DWARF_LINES_HPP_INCLUDED

#include <algorithm> // std::sort, std::upper_bound
#include <cstdint>   // std::uint64_t
#include <cstdio>    // std::snprintf
#include <cstdlib>   // std::realloc
#include <cstring>   // std::strcmp

#include "elf_symbols.hpp"
#include "../core/platform.hpp"

namespace leakguard {
namespace detail {

// The sections a line-table unit reads: its own program and header, and the strings of DWARF 5's
// file tables.
struct line_sections {
    const unsigned char* line_data; // .debug_line
    std::size_t line_size;
    const char* line_str; // .debug_line_str (DWARF 5)
    std::size_t line_str_size;
    const char* str; // .debug_str
    std::size_t str_size;
};

// One sequence of a line-table unit: rows for [lo, hi), whose opcodes start at `start` (an offset
// into .debug_line).
struct line_sequence {
    std::uint64_t lo;
    std::uint64_t hi;
    std::uint64_t start;
};

// The sequences of one line-table unit (that at `unit`, an offset into .debug_line), sorted by
// address (raw memory).
struct line_table {
    line_sequence* items;
    std::size_t count;
    std::uint64_t unit;
};

// A bounds-checked reader over one section.
struct dwarf_cursor {
    const unsigned char* p;
    const unsigned char* end;
    bool ok;

    bool need(std::size_t n) noexcept {
        if (!ok || static_cast<std::size_t>(end - p) < n) ok = false;
        return ok;
    }
    std::uint64_t fixed(unsigned n) noexcept {
        if (!need(n)) return 0;
        std::uint64_t v = 0;
        for (unsigned i = 0; i < n; ++i) v |= std::uint64_t(p[i]) << (8 * i); // little-endian targets
        p += n;
        return v;
    }
    std::uint64_t uleb() noexcept {
        std::uint64_t v = 0;
        for (unsigned shift = 0; need(1); shift += 7) {
            unsigned char const b = *p++;
            if (shift < 64) v |= std::uint64_t(b & 0x7f) << shift;
            if (!(b & 0x80)) break;
        }
        return v;
    }
    std::int64_t sleb() noexcept {
        std::int64_t v = 0;
        unsigned shift = 0;
        unsigned char b = 0;
        do {
            if (!need(1)) return 0;
            b = *p++;
            if (shift < 64) v |= static_cast<std::int64_t>(std::uint64_t(b & 0x7f) << shift);
            shift += 7;
        } while (b & 0x80);
        if (shift < 64 && (b & 0x40)) v |= -(std::int64_t(1) << shift);
        return v;
    }
    const char* cstr() noexcept {
        const char* s = reinterpret_cast<const char*>(p);
        while (need(1) && *p) ++p;
        if (need(1)) ++p;
        return ok ? s : nullptr;
    }
    void skip(std::uint64_t n) noexcept {
        if (need(static_cast<std::size_t>(n))) p += n;
    }
};

inline const ElfW(Shdr) * find_section(const elf_image& image, const char* name) noexcept {
    const ElfW(Ehdr)* eh = reinterpret_cast<const ElfW(Ehdr)*>(image.data);
    const ElfW(Shdr)* sections = reinterpret_cast<const ElfW(Shdr)*>(image.data + eh->e_shoff);
    if (eh->e_shstrndx >= eh->e_shnum) return nullptr;
    const ElfW(Shdr)& names = sections[eh->e_shstrndx];
    if (names.sh_offset + names.sh_size > image.size) return nullptr;
    for (unsigned i = 0; i < eh->e_shnum; ++i) {
        const ElfW(Shdr)& s = sections[i];
        if (s.sh_name >= names.sh_size || s.sh_type == SHT_NOBITS || (s.sh_flags & SHF_COMPRESSED)) continue;
        if (s.sh_offset + s.sh_size > image.size) continue;
        if (std::strcmp(reinterpret_cast<const char*>(image.data + names.sh_offset + s.sh_name), name) == 0) return &s;
    }
    return nullptr;
}

// The header of one line-table unit: what decoding its program and naming its files needs.
struct line_header {
    unsigned version;
    unsigned offset_size; // 4 or 8 (64-bit DWARF)
    unsigned address_size;
    unsigned min_inst;
    int line_base;
    unsigned line_range;
    unsigned opcode_base;
    const unsigned char* opcode_lengths;
    const unsigned char* tables;  // directory and file tables start here
    const unsigned char* program; // line-number program
    const unsigned char* end;     // end of the unit
};

inline bool read_line_header(const unsigned char* unit, const unsigned char* section_end, line_header& h) noexcept {
    dwarf_cursor c = {unit, section_end, true};
    std::uint64_t length = c.fixed(4);
    h.offset_size = 4;
    if (length == 0xffffffffu) {
        length = c.fixed(8);
        h.offset_size = 8;
    }
    if (!c.need(static_cast<std::size_t>(length))) return false;
    h.end = c.p + length;
    c.end = h.end;
    h.version = static_cast<unsigned>(c.fixed(2));
    if (h.version < 2 || h.version > 5) return false;
    h.address_size = 8;
    if (h.version >= 5) {
        h.address_size = static_cast<unsigned>(c.fixed(1));
        c.fixed(1); // segment selector size
    }
    std::uint64_t const header_length = c.fixed(h.offset_size);
    if (!c.need(static_cast<std::size_t>(header_length))) return false;
    h.program = c.p + header_length;
    h.min_inst = static_cast<unsigned>(c.fixed(1));
    if (h.version >= 4) c.fixed(1);                     // maximum operations per instruction (VLIW only)
    c.fixed(1);                                         // default is_stmt
    int const line_base = static_cast<int>(c.fixed(1)); // a signed byte
    h.line_base = line_base >= 128 ? line_base - 256 : line_base;
    h.line_range = static_cast<unsigned>(c.fixed(1));
    h.opcode_base = static_cast<unsigned>(c.fixed(1));
    h.opcode_lengths = c.p;
    c.skip(h.opcode_base ? h.opcode_base - 1 : 0);
    h.tables = c.p;
    return c.ok && h.line_range != 0 && h.program <= h.end && (h.address_size == 4 || h.address_size == 8);
}

// Reads one attribute of a DWARF 5 directory or file entry; strings come back in `text`.
inline bool read_form(dwarf_cursor& c, std::uint64_t form, const line_sections& t, unsigned offset_size,
                      const char*& text, std::uint64_t& number) noexcept {
    text = nullptr;
    number = 0;
    switch (form) {
    case 0x08: text = c.cstr(); break; // DW_FORM_string
    case 0x1f: {                       // DW_FORM_line_strp
        std::uint64_t const off = c.fixed(offset_size);
        if (t.line_str && off < t.line_str_size) text = t.line_str + off;
        break;
    }
    case 0x0e: { // DW_FORM_strp
        std::uint64_t const off = c.fixed(offset_size);
        if (t.str && off < t.str_size) text = t.str + off;
        break;
    }
    case 0x0b: number = c.fixed(1); break; // DW_FORM_data1
    case 0x05: number = c.fixed(2); break; // DW_FORM_data2
    case 0x06: number = c.fixed(4); break; // DW_FORM_data4
    case 0x07: number = c.fixed(8); break; // DW_FORM_data8
    case 0x1e: c.skip(16); break;          // DW_FORM_data16 (MD5)
    case 0x0f: number = c.uleb(); break;   // DW_FORM_udata
    case 0x09: c.skip(c.uleb()); break;    // DW_FORM_block
    default: return false;
    }
    return c.ok;
}

// Finds directory `dir_index` or file `file_index` (pass the other as ~0u) in a unit's tables.
// Returns the path and, for a file, its directory index.
inline const char* unit_entry(const line_sections& t, const line_header& h, unsigned want_dir, unsigned want_file,
                              std::uint64_t& dir_of_file) noexcept {
    dwarf_cursor c = {h.tables, h.program, true};
    dir_of_file = 0;
    if (h.version < 5) {
        // Directories: strings ending with an empty one (index 1 upwards; 0 is the unit's own).
        for (unsigned i = 1;; ++i) {
            const char* d = c.cstr();
            if (!d || !*d) break;
            if (i == want_dir) return d;
        }
        for (unsigned i = 1;; ++i) {
            const char* f = c.cstr();
            if (!f || !*f) break;
            std::uint64_t const dir = c.uleb();
            c.uleb(); // modification time
            c.uleb(); // length
            if (i == want_file) {
                dir_of_file = dir;
                return f;
            }
        }
        return nullptr;
    }
    for (unsigned table = 0; table < 2; ++table) {
        unsigned const format_count = static_cast<unsigned>(c.fixed(1));
        std::uint64_t formats[16][2];
        if (format_count > 16) return nullptr;
        for (unsigned i = 0; i < format_count; ++i) {
            formats[i][0] = c.uleb();
            formats[i][1] = c.uleb();
        }
        std::uint64_t const count = c.uleb();
        unsigned const want = table == 0 ? want_dir : want_file;
        for (std::uint64_t i = 0; i < count && c.ok; ++i) {
            const char* path = nullptr;
            std::uint64_t dir = 0;
            for (unsigned k = 0; k < format_count; ++k) {
                const char* text = nullptr;
                std::uint64_t number = 0;
                if (!read_form(c, formats[k][1], t, h.offset_size, text, number)) return nullptr;
                if (formats[k][0] == 1) path = text;  // DW_LNCT_path
                if (formats[k][0] == 2) dir = number; // DW_LNCT_directory_index
            }
            if (i == want) {
                dir_of_file = dir;
                return path;
            }
        }
    }
    return nullptr;
}

// Runs a line-number program from `p` (the unit's program, or a sequence's first opcode), calling
// row(address, file, line, end, next) for each row it emits (`next`: where the opcodes after it
// start; after an end row, the next sequence's), until row returns false or the unit ends.
template <class Row>
inline void run_line_program(const line_header& h, const unsigned char* p, Row&& row) noexcept {
    dwarf_cursor c = {p, h.end, true};
    std::uint64_t address = 0;
    std::int64_t line = 1;
    std::uint64_t file = 1;
    while (c.ok && c.p < c.end) {
        unsigned const op = *c.p++;
        if (op >= h.opcode_base) { // special opcode: advance address and line, emit a row
            unsigned const adjusted = op - h.opcode_base;
            address += std::uint64_t(adjusted / h.line_range) * h.min_inst;
            line += h.line_base + static_cast<int>(adjusted % h.line_range);
            if (!row(address, file, line, false, c.p)) return;
            continue;
        }
        switch (op) {
        case 0: { // extended opcode
            std::uint64_t const len = c.uleb();
            if (len == 0 || !c.need(static_cast<std::size_t>(len))) return;
            const unsigned char* next = c.p + len;
            unsigned const sub = *c.p++;
            c.p = next;
            if (sub == 1) { // end_sequence
                if (!row(address, file, line, true, c.p)) return;
                address = 0;
                line = 1;
                file = 1;
            } else if (sub == 2) { // set_address
                dwarf_cursor a = {next - (len - 1), next, true};
                address = a.fixed(static_cast<unsigned>(len - 1 <= 8 ? len - 1 : 8));
            }
            break;
        }
        case 1: // copy
            if (!row(address, file, line, false, c.p)) return;
            break;
        case 2: address += c.uleb() * h.min_inst; break;                                            // advance_pc
        case 3: line += c.sleb(); break;                                                            // advance_line
        case 4: file = c.uleb(); break;                                                             // set_file
        case 8: address += std::uint64_t((255 - h.opcode_base) / h.line_range) * h.min_inst; break; // const_add_pc
        case 9: address += c.fixed(2); break;                                                       // fixed_advance_pc
        default: // other standard opcodes: skip their ULEB operands
            for (unsigned i = 0; i < h.opcode_lengths[op - 1]; ++i) c.uleb();
            break;
        }
    }
}

inline bool grow_sequences(line_table& t, std::size_t& capacity) noexcept {
    if (t.count < capacity) return true;
    std::size_t const grown = capacity ? capacity * 2 : 64;
    void* mem = raw_realloc(t.items, grown * sizeof(line_sequence));
    if (!mem) return false;
    t.items = static_cast<line_sequence*>(mem);
    capacity = grown;
    return true;
}

// Indexes the sequences of the line-table unit at `unit` (an offset into .debug_line: a
// compilation unit's DW_AT_stmt_list) into `t`; false when it has none. A sequence that starts at
// address 0 (or at the all-ones tombstone) is code the linker dropped - a template instantiation
// another unit kept, an unused function under --gc-sections - and is left out. Returns in `bytes`
// how much of .debug_line it read.
inline bool build_line_table(const line_sections& s, std::uint64_t unit, line_table& t, std::size_t& bytes) noexcept {
    t = line_table{nullptr, 0, unit};
    bytes = 0;
    if (!s.line_data || unit >= s.line_size) return false;
    line_header h;
    if (!read_line_header(s.line_data + unit, s.line_data + s.line_size, h)) return false;
    bytes = static_cast<std::size_t>(h.end - (s.line_data + unit));
    std::uint64_t const tombstone = h.address_size == 4 ? 0xffffffffu : ~std::uint64_t(0);
    std::size_t capacity = 0;
    const unsigned char* start = h.program; // the open sequence's first opcode
    bool open = false;
    std::uint64_t lo = 0;
    run_line_program(
        h, h.program,
        [&](std::uint64_t address, std::uint64_t, std::int64_t, bool end, const unsigned char* next) noexcept {
            if (!end) {
                if (!open) lo = address;
                open = true;
                return true;
            }
            if (open && lo != 0 && lo != tombstone && address > lo) {
                if (!grow_sequences(t, capacity)) return false;
                t.items[t.count++] = line_sequence{lo, address, static_cast<std::uint64_t>(start - s.line_data)};
            }
            open = false;
            start = next;
            return true;
        });
    std::sort(t.items, t.items + t.count, [](const line_sequence& a, const line_sequence& b) { return a.lo < b.lo; });
    if (t.count == 0) {
        raw_free(t.items);
        t.items = nullptr;
    }
    return t.count > 0;
}

// Writes "dir/file" for file `file_index` of the line-table unit at `unit` (an offset into
// .debug_line; DW_AT_stmt_list of a compilation unit); false when unknown.
inline bool unit_file_name(const line_sections& t, std::uint64_t unit, unsigned file_index, char* file,
                           std::size_t file_size) noexcept {
    if (!t.line_data || unit >= t.line_size) return false;
    line_header h;
    if (!read_line_header(t.line_data + unit, t.line_data + t.line_size, h)) return false;
    std::uint64_t dir = 0;
    const char* name = unit_entry(t, h, ~0u, file_index, dir);
    if (!name) return false;
    std::uint64_t unused = 0;
    const char* dir_name = name[0] == '/' ? nullptr : unit_entry(t, h, static_cast<unsigned>(dir), ~0u, unused);
    if (dir_name && dir_name[0]) std::snprintf(file, file_size, "%s/%s", dir_name, name);
    else std::snprintf(file, file_size, "%s", name);
    return true;
}

// Writes "dir/file" and the line for `vaddr` (in the file's address space); false when unknown.
// Runs the sequence that holds it: the last row at or before it holds (of several rows at one
// address, the last emitted, as for addr2line).
inline bool lookup_line(const line_sections& s, const line_table& t, std::uint64_t vaddr, char* file,
                        std::size_t file_size, unsigned& line) noexcept {
    if (!t.count) return false;
    const line_sequence* it = std::upper_bound(t.items, t.items + t.count, vaddr,
                                               [](std::uint64_t a, const line_sequence& q) { return a < q.lo; });
    if (it == t.items || vaddr >= (it - 1)->hi) return false;
    const line_sequence& q = *(it - 1);
    line_header h;
    if (!read_line_header(s.line_data + t.unit, s.line_data + s.line_size, h)) return false;
    const unsigned char* const start = s.line_data + q.start;
    if (start < h.program || start >= h.end) return false;
    bool found = false;
    std::uint64_t found_file = 0;
    std::int64_t found_line = 0;
    run_line_program(
        h, start, [&](std::uint64_t address, std::uint64_t f, std::int64_t l, bool end, const unsigned char*) noexcept {
            if (end || address > vaddr) return false;
            found = true;
            found_file = f;
            found_line = l;
            return true;
        });
    if (!found || found_line <= 0 || found_line > 0xffffffff) return false;
    if (!unit_file_name(s, t.unit, static_cast<unsigned>(found_file), file, file_size)) return false;
    line = static_cast<unsigned>(found_line);
    return true;
}

} // namespace detail
} // namespace leakguard

#endif
