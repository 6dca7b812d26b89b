// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// capture/eh_frame_index.hpp: the FDE that covers an address, found through the module's
// .eh_frame_hdr - the sorted table of {function start, FDE} pairs the linker writes for the C++
// runtime's unwinder (--eh-frame-hdr, the default of every Linux linker).
//
// The module that holds an address comes from glibc's _dl_find_object (2.35+): it takes no lock
// and does not allocate, so it can run inside malloc, in a signal handler, or while another
// thread is inside dlopen or dlclose - where dl_iterate_phdr would take the loader's lock. It
// gives the module's mapping and its PT_GNU_EH_FRAME segment (the .eh_frame_hdr); the reads of
// the tables are bounded by the PT_LOAD segment that holds them, taken from the module's program
// headers, which the first page of its mapping holds (the ELF header is mapped with the first
// segment; it is checked before it is believed). Without _dl_find_object (an older C library) the
// index is not available and the walk keeps to frame pointers (cfi_unwind.hpp).
//
// This runs only when the step cache (step_cache.hpp) has no rule for an address: once per
// return address, not once per allocation.
#ifndef LEAKGUARD_DETAIL_CAPTURE_EH_FRAME_INDEX_HPP_INCLUDED
#define LEAKGUARD_DETAIL_CAPTURE_EH_FRAME_INDEX_HPP_INCLUDED

#include <cstddef> // std::size_t
#include <cstdint> // std::uintptr_t, std::int32_t
#include <cstring> // std::memcpy
#include <dlfcn.h> // _dl_find_object, DLFO_EH_SEGMENT_TYPE (glibc 2.35+)
#include <elf.h>   // Elf64_Ehdr, Elf64_Phdr, PT_LOAD, PT_GNU_EH_FRAME
#include <link.h>  // struct link_map

#include "cfi_parse.hpp"
#include "../config.hpp"

#if defined(__x86_64__) && defined(__GLIBC__) && defined(DLFO_EH_SEGMENT_TYPE)
#define LEAKGUARD_DETAIL_HAVE_EH_FRAME_INDEX 1
#else
#define LEAKGUARD_DETAIL_HAVE_EH_FRAME_INDEX 0
#endif

namespace leakguard {
namespace detail {

// A module's unwind tables: its .eh_frame_hdr, and the bounds every read of them must stay in.
struct eh_frame_tables {
    const unsigned char* hdr;
    const unsigned char* lo; // the PT_LOAD segment that holds hdr
    const unsigned char* hi;
};

// Finds the .eh_frame_hdr of the table at `hdr` bounded by [lo, hi) given, and returns the FDE
// that may cover `pc` (the one with the greatest start not above pc), or null. The table must be
// in the encoding every Linux linker writes (4-byte offsets from the header, sorted): anything
// else, or an entry outside the bounds, is no answer.
inline const unsigned char* find_fde(const eh_frame_tables& t, std::uintptr_t pc) noexcept {
    if (!t.hdr || t.hdr < t.lo || t.hdr >= t.hi) return nullptr;
    cfi_reader r(t.hdr, t.hi);
    std::uint8_t const version = r.u8();
    std::uint8_t const eh_frame_ptr_enc = r.u8();
    std::uint8_t const fde_count_enc = r.u8();
    std::uint8_t const table_enc = r.u8();
    if (!r.ok || version != 1 || table_enc != 0x3b) return nullptr; // DW_EH_PE_datarel | sdata4
    std::uintptr_t const base = reinterpret_cast<std::uintptr_t>(t.hdr);
    (void)r.pointer(eh_frame_ptr_enc, base);
    std::uintptr_t const count = r.pointer(fde_count_enc, base);
    if (!r.ok || count == 0) return nullptr;
    const unsigned char* const table = r.p;
    if (count > static_cast<std::size_t>(t.hi - table) / 8) return nullptr;

    auto start_of = [table, base](std::size_t i) noexcept {
        std::int32_t v;
        std::memcpy(&v, table + 8 * i, 4);
        return base + static_cast<std::uintptr_t>(static_cast<std::intptr_t>(v));
    };
    if (pc < start_of(0)) return nullptr;
    std::size_t lo = 0, hi = count; // the answer is in [lo, hi)
    while (hi - lo > 1) {
        std::size_t const mid = lo + (hi - lo) / 2;
        if (start_of(mid) <= pc) lo = mid;
        else hi = mid;
    }
    std::int32_t off;
    std::memcpy(&off, table + 8 * lo + 4, 4);
    std::uintptr_t const fde = base + static_cast<std::uintptr_t>(static_cast<std::intptr_t>(off));
    if (fde < reinterpret_cast<std::uintptr_t>(t.lo) || fde >= reinterpret_cast<std::uintptr_t>(t.hi)) return nullptr;
    return reinterpret_cast<const unsigned char*>(fde);
}

// The rules at `pc` from the tables: false when no FDE covers it or it cannot be read.
inline bool cfi_row_for(const eh_frame_tables& t, std::uintptr_t pc, cfi_row& row, bool& signal_frame) noexcept {
    const unsigned char* const at = find_fde(t, pc);
    if (!at) return false;
    cfi_fde fde;
    if (!parse_fde(at, t.lo, t.hi, fde)) return false;
    signal_frame = fde.cie.signal_frame;
    return cfi_row_at(fde, pc, row);
}

#if LEAKGUARD_DETAIL_HAVE_EH_FRAME_INDEX

// The tables of the module holding `pc`. Returns 0 when no module holds it (not code: the walk
// ends), 1 when found, 2 when the module has no usable tables (the walk may still go on by frame
// pointers).
inline int find_eh_frame_tables(std::uintptr_t pc, eh_frame_tables& out) noexcept {
    struct dl_find_object found;
    if (_dl_find_object(reinterpret_cast<void*>(pc), &found) != 0) return 0;
    const unsigned char* const hdr = static_cast<const unsigned char*>(found.dlfo_eh_frame);
    if (!hdr || !found.dlfo_link_map) return 2;
    // The program headers, from the ELF header at the start of the mapping: both inside its first
    // page (a mapping starts on a page, so that page is mapped).
    const unsigned char* const image = static_cast<const unsigned char*>(found.dlfo_map_start);
    Elf64_Ehdr eh;
    std::memcpy(&eh, image, sizeof eh);
    if (std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
        eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phoff > 4096 ||
        eh.e_phoff + std::uint64_t(eh.e_phnum) * sizeof(Elf64_Phdr) > 4096)
        return 2;
    std::uintptr_t const bias = found.dlfo_link_map->l_addr;
    std::uintptr_t const h = reinterpret_cast<std::uintptr_t>(hdr);
    bool header_mapped = false;
    out.hdr = nullptr;
    for (unsigned i = 0; i < eh.e_phnum; ++i) {
        Elf64_Phdr ph;
        std::memcpy(&ph, image + eh.e_phoff + i * sizeof(Elf64_Phdr), sizeof ph);
        if (ph.p_type != PT_LOAD || !(ph.p_flags & PF_R)) continue;
        std::uintptr_t const lo = bias + ph.p_vaddr;
        // The segment that maps the file's start is the one the headers were read from.
        if (ph.p_offset == 0 && lo == reinterpret_cast<std::uintptr_t>(image)) header_mapped = true;
        if (h >= lo && h < lo + ph.p_filesz) {
            out.hdr = hdr;
            out.lo = reinterpret_cast<const unsigned char*>(lo);
            out.hi = reinterpret_cast<const unsigned char*>(lo + ph.p_filesz);
        }
    }
    return header_mapped && out.hdr ? 1 : 2;
}

#endif

} // namespace detail
} // namespace leakguard

#endif
