// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// symbolize/dwarf_lines.hpp: file:line for an address, from the DWARF line table (.debug_line, versions
// 2 to 5) of a module's file, decoded at report time into a sorted table of rows. Built only when
// a report needs it, in raw memory; anything it does not understand (compressed sections, unknown
// forms) means "no file:line", never a crash.
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

// One row of the line table: from `address` up to the next row's, code comes from `line` of file
// `file` of the line-table unit at `unit` (an offset into .debug_line). End rows close a sequence.
// `index` is the row's place in the order the line programs emitted them: several rows can share
// an address (a function's first line, then the line of its first call), and the last one emitted
// is the one that holds for the code there, as for addr2line.
struct line_row {
    std::uint64_t address;
    std::uint32_t unit;
    std::uint32_t file;
    std::uint32_t line;
    std::uint32_t end : 1;
    std::uint32_t index : 31;
};

struct line_table {
    line_row* rows; // raw memory, sorted by address
    std::size_t count;
    const unsigned char* line_data; // .debug_line
    std::size_t line_size;
    const char* line_str; // .debug_line_str (DWARF 5)
    std::size_t line_str_size;
    const char* str; // .debug_str
    std::size_t str_size;
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
inline bool read_form(dwarf_cursor& c, std::uint64_t form, const line_table& t, unsigned offset_size, const char*& text,
                      std::uint64_t& number) noexcept {
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
inline const char* unit_entry(const line_table& t, const line_header& h, unsigned want_dir, unsigned want_file,
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

inline bool push_row(line_table& t, std::size_t& capacity, const line_row& row) noexcept {
    if (t.count >= 0x7FFFFFFFu) return false; // `index` has 31 bits
    if (t.count == capacity) {
        std::size_t const grown = capacity ? capacity * 2 : 4096;
        void* mem = raw_realloc(t.rows, grown * sizeof(line_row));
        if (!mem) return false;
        t.rows = static_cast<line_row*>(mem);
        capacity = grown;
    }
    t.rows[t.count] = row;
    t.rows[t.count].index = static_cast<std::uint32_t>(t.count) & 0x7FFFFFFFu;
    ++t.count;
    return true;
}

// Runs one unit's line-number program, appending its rows.
inline void decode_unit(line_table& t, std::size_t& capacity, const line_header& h, std::uint32_t unit) noexcept {
    dwarf_cursor c = {h.program, h.end, true};
    std::uint64_t address = 0;
    std::int64_t line = 1;
    std::uint64_t file = 1;
    while (c.ok && c.p < c.end) {
        unsigned const op = *c.p++;
        if (op >= h.opcode_base) { // special opcode: advance address and line, emit a row
            unsigned const adjusted = op - h.opcode_base;
            address += std::uint64_t(adjusted / h.line_range) * h.min_inst;
            line += h.line_base + static_cast<int>(adjusted % h.line_range);
            if (!push_row(
                    t, capacity,
                    line_row{address, unit, static_cast<std::uint32_t>(file), static_cast<std::uint32_t>(line), 0, 0}))
                return;
            continue;
        }
        switch (op) {
        case 0: { // extended opcode
            std::uint64_t const len = c.uleb();
            if (len == 0 || !c.need(static_cast<std::size_t>(len))) return;
            const unsigned char* next = c.p + len;
            unsigned const sub = *c.p++;
            if (sub == 1) { // end_sequence
                if (!push_row(t, capacity, line_row{address, unit, 0, 0, 1, 0})) return;
                address = 0;
                line = 1;
                file = 1;
            } else if (sub == 2) { // set_address
                address = c.fixed(static_cast<unsigned>(len - 1 <= 8 ? len - 1 : 8));
            }
            c.p = next;
            break;
        }
        case 1: // copy
            if (!push_row(
                    t, capacity,
                    line_row{address, unit, static_cast<std::uint32_t>(file), static_cast<std::uint32_t>(line), 0, 0}))
                return;
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

// Decodes every unit of the module's .debug_line; false when there is none.
inline bool build_line_table(const elf_image& image, line_table& t) noexcept {
    t = line_table{nullptr, 0, nullptr, 0, nullptr, 0, nullptr, 0};
    const ElfW(Shdr)* lines = find_section(image, ".debug_line");
    if (!lines) return false;
    t.line_data = image.data + lines->sh_offset;
    t.line_size = lines->sh_size;
    if (const ElfW(Shdr)* s = find_section(image, ".debug_line_str")) {
        t.line_str = reinterpret_cast<const char*>(image.data + s->sh_offset);
        t.line_str_size = s->sh_size;
    }
    if (const ElfW(Shdr)* s = find_section(image, ".debug_str")) {
        t.str = reinterpret_cast<const char*>(image.data + s->sh_offset);
        t.str_size = s->sh_size;
    }
    std::size_t capacity = 0;
    const unsigned char* end = t.line_data + t.line_size;
    for (const unsigned char* unit = t.line_data; unit < end;) {
        line_header h;
        if (!read_line_header(unit, end, h)) break;
        decode_unit(t, capacity, h, static_cast<std::uint32_t>(unit - t.line_data));
        unit = h.end;
    }
    // By address; at one address an end row (closing the previous sequence) sorts first, then the
    // rows in the order they were emitted (the lookup takes the last).
    std::sort(t.rows, t.rows + t.count, [](const line_row& a, const line_row& b) {
        if (a.address != b.address) return a.address < b.address;
        if (a.end != b.end) return a.end > b.end;
        return a.index < b.index;
    });
    return t.count > 0;
}

// Writes "dir/file" for file `file_index` of the line-table unit at `unit` (an offset into
// .debug_line; DW_AT_stmt_list of a compilation unit); false when unknown.
inline bool unit_file_name(const line_table& t, std::uint64_t unit, unsigned file_index, char* file,
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
inline bool lookup_line(const line_table& t, std::uint64_t vaddr, char* file, std::size_t file_size,
                        unsigned& line) noexcept {
    if (!t.count) return false;
    const line_row* it = std::upper_bound(t.rows, t.rows + t.count, vaddr,
                                          [](std::uint64_t a, const line_row& r) { return a < r.address; });
    if (it == t.rows) return false;
    const line_row& row = *(it - 1);
    if (row.end || row.line == 0) return false;
    if (!unit_file_name(t, row.unit, row.file, file, file_size)) return false;
    line = row.line;
    return true;
}

} // namespace detail
} // namespace leakguard

#endif
