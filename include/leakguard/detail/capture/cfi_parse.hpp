// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// capture/cfi_parse.hpp: how to step out of one frame, read from the call frame information every
// x86-64 object carries for exceptions (.eh_frame, DWARF's CFI in GNU's encoding).
//
// A frame's CIE and FDE hold a little program (DW_CFA_*) that says, for each address of a
// function, where its caller's registers are: the CFA (the stack pointer the caller had before
// the call) as a register plus an offset, and each saved register at an offset from the CFA. The
// stack walk needs three of them: the CFA, the return address and the frame pointer (which the
// caller may use as its own CFA base, and which the next frame with frame pointers continues
// from). This file decodes the CIE and FDE and runs the program up to an address, keeping only
// those three rules; everything else the program says is read past. A rule the walk could not
// apply from three words (a CFA computed by a DWARF expression, a CFA based on another register,
// a return address kept anywhere but just below the CFA) makes the step "not expressible", and
// the walk does what it can without it (cfi_unwind.hpp).
//
// Every read goes through cfi_reader, bounded by the memory the caller proved mapped (the module's
// segment that holds the tables): a corrupt or hostile table makes a lookup fail, never read
// outside those bounds, and every loop is bounded by the bytes it reads. Nothing here allocates.
#ifndef LEAKGUARD_DETAIL_CAPTURE_CFI_PARSE_HPP_INCLUDED
#define LEAKGUARD_DETAIL_CAPTURE_CFI_PARSE_HPP_INCLUDED

#include <cstddef> // std::size_t
#include <cstdint> // std::uint8_t, std::int64_t, std::uintptr_t
#include <cstring> // std::memcpy

#include "../config.hpp"

namespace leakguard {
namespace detail {

// DWARF register numbers of the registers the walk follows.
#if defined(__aarch64__)
constexpr unsigned cfi_reg_fp = 29, cfi_reg_sp = 31, cfi_reg_ra = 30;
#else // x86-64
constexpr unsigned cfi_reg_fp = 6, cfi_reg_sp = 7, cfi_reg_ra = 16;
#endif

// Reads little-endian fields, LEB128 numbers and pointers in GNU's encodings (DW_EH_PE_*) from
// [p, end). Once a read would pass `end`, ok is false and every later read yields 0.
struct cfi_reader {
    const unsigned char* p;
    const unsigned char* end;
    bool ok;

    cfi_reader(const unsigned char* from, const unsigned char* to) noexcept : p(from), end(to), ok(from <= to) {}

    bool has(std::size_t n) noexcept {
        if (ok && static_cast<std::size_t>(end - p) >= n) return true;
        ok = false;
        return false;
    }
    template <class T>
    T fixed() noexcept {
        T v = 0;
        if (!has(sizeof(T))) return 0;
        std::memcpy(&v, p, sizeof(T)); // little-endian, as every target this builds for
        p += sizeof(T);
        return v;
    }
    std::uint8_t u8() noexcept { return fixed<std::uint8_t>(); }
    std::uint64_t uleb() noexcept {
        std::uint64_t v = 0;
        for (unsigned shift = 0;; shift += 7) {
            if (!has(1)) return 0;
            unsigned char const b = *p++;
            if (shift < 64) v |= std::uint64_t(b & 0x7f) << shift;
            if (!(b & 0x80)) return v;
            if (shift > 63) { // longer than any number a table holds: corrupt
                ok = false;
                return 0;
            }
        }
    }
    std::int64_t sleb() noexcept {
        std::uint64_t v = 0;
        unsigned shift = 0;
        for (;; shift += 7) {
            if (!has(1)) return 0;
            unsigned char const b = *p++;
            if (shift < 64) v |= std::uint64_t(b & 0x7f) << shift;
            if (!(b & 0x80)) {
                if (shift + 7 < 64 && (b & 0x40)) v |= ~std::uint64_t(0) << (shift + 7);
                return static_cast<std::int64_t>(v);
            }
            if (shift > 63) {
                ok = false;
                return 0;
            }
        }
    }
    void skip(std::uint64_t n) noexcept {
        if (has(static_cast<std::size_t>(n)) && n <= static_cast<std::uint64_t>(end - p)) p += n;
        else ok = false;
    }
    // A pointer in encoding `enc`: the value format in the low nibble, what it is relative to in
    // the next three bits (pc-relative: to the field's own address; data-relative: to `data_base`,
    // the .eh_frame_hdr section). Indirect pointers are not followed (the walk needs none).
    std::uintptr_t pointer(std::uint8_t enc, std::uintptr_t data_base = 0) noexcept {
        if (enc == 0xff) return 0; // DW_EH_PE_omit
        std::uintptr_t const field = reinterpret_cast<std::uintptr_t>(p);
        std::uint64_t v = 0;
        switch (enc & 0x0f) {
        case 0x00: v = fixed<std::uint64_t>(); break; // absptr (8 bytes on the 64-bit targets)
        case 0x01: v = uleb(); break;
        case 0x02: v = fixed<std::uint16_t>(); break;
        case 0x03: v = fixed<std::uint32_t>(); break;
        case 0x04: v = fixed<std::uint64_t>(); break;
        case 0x09: v = static_cast<std::uint64_t>(sleb()); break;
        case 0x0a: v = static_cast<std::uint64_t>(static_cast<std::int64_t>(fixed<std::int16_t>())); break;
        case 0x0b: v = static_cast<std::uint64_t>(static_cast<std::int64_t>(fixed<std::int32_t>())); break;
        case 0x0c: v = fixed<std::uint64_t>(); break;
        default: ok = false; return 0;
        }
        switch (enc & 0x70) {
        case 0x00: break;
        case 0x10: v += field; break;
        case 0x30: v += data_base; break;
        default: ok = false; return 0; // textrel, funcrel, aligned: not in .eh_frame on Linux
        }
        return static_cast<std::uintptr_t>(v);
    }
};

// One register's rule, as far as the walk cares.
struct cfi_reg_rule {
    enum : unsigned char {
        same,      // unchanged by the function (or never mentioned)
        offset,    // saved at CFA + off
        undefined, // not recoverable: for the return address, the outermost frame
        other,     // anything else (in a register, an expression, CFA + off as a value)
    };
    unsigned char how;
    std::int64_t off;
};

// The rules at one address: what the walk needs to step to the caller.
struct cfi_row {
    unsigned cfa_reg; // DWARF register number
    std::int64_t cfa_off;
    bool cfa_expression; // DW_CFA_def_cfa_expression: not expressible
    cfi_reg_rule fp;
    cfi_reg_rule ra;
};

// What a CIE says that its FDEs need.
struct cfi_cie {
    std::uint64_t code_align;
    std::int64_t data_align;
    unsigned ra_reg;
    std::uint8_t fde_enc; // 'R': how the FDE's addresses are encoded
    bool has_aug_data;    // 'z': FDEs carry an augmentation length
    bool signal_frame;    // 'S': the frame of a signal handler's trampoline
    const unsigned char* insns;
    const unsigned char* insns_end;
};

// Reads the length of a CIE or FDE at `r.p` (4 bytes, or 12 for the 64-bit form) and sets `end`
// to the end of the entry. False on a zero length (the terminator) or one past the bounds.
inline bool cfi_entry_bounds(cfi_reader& r, const unsigned char*& end) noexcept {
    std::uint64_t len = r.fixed<std::uint32_t>();
    if (len == 0xffffffffu) len = r.fixed<std::uint64_t>();
    if (!r.ok || len == 0 || len > static_cast<std::uint64_t>(r.end - r.p)) return false;
    end = r.p + len;
    return true;
}

// Parses the CIE at `at`, inside [at, limit). False when it is not a CIE this code understands.
inline bool parse_cie(const unsigned char* at, const unsigned char* limit, cfi_cie& cie) noexcept {
    cfi_reader r(at, limit);
    const unsigned char* end = nullptr;
    if (!cfi_entry_bounds(r, end)) return false;
    r.end = end;
    if (r.fixed<std::uint32_t>() != 0) return false; // the CIE id of .eh_frame
    std::uint8_t const version = r.u8();
    if (version != 1 && version != 3) return false;
    const unsigned char* const aug = r.p;
    std::size_t aug_len = 0;
    for (;; ++aug_len) {
        if (!r.has(aug_len + 1)) return false;
        if (r.p[aug_len] == 0) break;
    }
    r.skip(aug_len + 1);
    cie.code_align = r.uleb();
    cie.data_align = r.sleb();
    cie.ra_reg = version == 1 ? r.u8() : static_cast<unsigned>(r.uleb());
    cie.fde_enc = 0x00; // absptr unless 'R' says otherwise
    cie.has_aug_data = false;
    cie.signal_frame = false;
    if (aug_len > 0) {
        if (aug[0] != 'z') return false; // "eh" and other old forms: not produced for 64-bit code
        cie.has_aug_data = true;
        std::uint64_t const data_len = r.uleb();
        if (!r.has(static_cast<std::size_t>(data_len))) return false;
        const unsigned char* const data_end = r.p + data_len;
        for (std::size_t i = 1; i < aug_len && r.ok; ++i) {
            switch (aug[i]) {
            case 'R': cie.fde_enc = r.u8(); break;
            case 'L': (void)r.u8(); break; // the LSDA's encoding: only exception handling needs it
            case 'P': {                    // the personality routine: read past it
                std::uint8_t const enc = r.u8();
                (void)r.pointer(static_cast<std::uint8_t>(enc & 0x7f));
                break;
            }
            case 'S': cie.signal_frame = true; break;
            case 'B':              // AArch64 pointer authentication with the B key
            case 'G': break;       // AArch64 memory tagging
            default: return false; // unknown: what follows it (an 'R' among them) cannot be read
            }
        }
        if (!r.ok || r.p > data_end) return false;
        r.p = data_end;
    }
    if (!r.ok || cie.code_align == 0) return false;
    cie.insns = r.p;
    cie.insns_end = end;
    return true;
}

// The FDE at `fde` (inside [lo, hi), the memory proved readable): the CIE it points to, the range
// of addresses it covers and its instructions.
struct cfi_fde {
    cfi_cie cie;
    std::uintptr_t pc_begin;
    std::uintptr_t pc_end;
    const unsigned char* insns;
    const unsigned char* insns_end;
};

inline bool parse_fde(const unsigned char* fde, const unsigned char* lo, const unsigned char* hi,
                      cfi_fde& out) noexcept {
    if (fde < lo || fde >= hi) return false;
    cfi_reader r(fde, hi);
    const unsigned char* end = nullptr;
    if (!cfi_entry_bounds(r, end)) return false;
    r.end = end;
    const unsigned char* const id_field = r.p;
    std::uint32_t const cie_offset = r.fixed<std::uint32_t>();
    if (!r.ok || cie_offset == 0) return false; // a CIE, not an FDE
    // The CIE lies cie_offset bytes before the field; it must stay inside the bounds.
    if (cie_offset > static_cast<std::uintptr_t>(id_field - lo)) return false;
    if (!parse_cie(id_field - cie_offset, hi, out.cie)) return false;
    out.pc_begin = r.pointer(out.cie.fde_enc);
    std::uintptr_t const range = r.pointer(static_cast<std::uint8_t>(out.cie.fde_enc & 0x0f)); // a length
    out.pc_end = out.pc_begin + range;
    if (out.cie.has_aug_data) r.skip(r.uleb());
    if (!r.ok || out.pc_end < out.pc_begin) return false;
    out.insns = r.p;
    out.insns_end = end;
    return true;
}

// The CFA program's interpreter, for the three rules. `initial` is the row after the CIE's
// instructions (what DW_CFA_restore goes back to).
class cfi_machine {
public:
    static constexpr int max_remembered = 8; // DW_CFA_remember_state nesting kept

    // Runs [p, end) from address `loc` while the location stays at or below `target`. `row` is
    // updated in place. False on an instruction it cannot read past or a state stack overflow.
    static bool run(const unsigned char* p, const unsigned char* end, const cfi_cie& cie, std::uintptr_t loc,
                    std::uintptr_t target, cfi_row& row, const cfi_row& initial) noexcept {
        cfi_reader r(p, end);
        cfi_row saved[max_remembered];
        int depth = 0;
        while (r.ok && r.p < r.end) {
            std::uint8_t const op = r.u8();
            std::uint64_t advance = 0;
            switch (op >> 6) {
            case 1: advance = op & 0x3f; break; // DW_CFA_advance_loc
            case 2:                             // DW_CFA_offset
                set_offset(row, op & 0x3f, static_cast<std::int64_t>(r.uleb()) * cie.data_align);
                continue;
            case 3: restore(row, initial, op & 0x3f); continue; // DW_CFA_restore
            default: break;
            }
            if (op >> 6 == 0) {
                switch (op) {
                case 0x00: break; // nop
                case 0x01: {      // set_loc
                    std::uintptr_t const to = r.pointer(cie.fde_enc);
                    if (to > target) return r.ok;
                    loc = to;
                    break;
                }
                case 0x02: advance = r.u8(); break;
                case 0x03: advance = r.fixed<std::uint16_t>(); break;
                case 0x04: advance = r.fixed<std::uint32_t>(); break;
                case 0x05: { // offset_extended
                    std::uint64_t const reg = r.uleb();
                    set_offset(row, reg, static_cast<std::int64_t>(r.uleb()) * cie.data_align);
                    break;
                }
                case 0x06: restore(row, initial, r.uleb()); break;                  // restore_extended
                case 0x07: set_rule(row, r.uleb(), cfi_reg_rule::undefined); break; // undefined
                case 0x08: set_rule(row, r.uleb(), cfi_reg_rule::same); break;      // same_value
                case 0x09:                                                          // register
                    set_rule(row, r.uleb(), cfi_reg_rule::other);
                    (void)r.uleb();
                    break;
                case 0x0a: // remember_state
                    if (depth == max_remembered) return false;
                    saved[depth++] = row;
                    break;
                case 0x0b: // restore_state
                    if (depth == 0) return false;
                    row = saved[--depth];
                    break;
                case 0x0c: // def_cfa
                    row.cfa_reg = static_cast<unsigned>(r.uleb());
                    row.cfa_off = static_cast<std::int64_t>(r.uleb());
                    row.cfa_expression = false;
                    break;
                case 0x0d: // def_cfa_register
                    row.cfa_reg = static_cast<unsigned>(r.uleb());
                    row.cfa_expression = false;
                    break;
                case 0x0e: row.cfa_off = static_cast<std::int64_t>(r.uleb()); break; // def_cfa_offset
                case 0x0f:                                                           // def_cfa_expression
                    row.cfa_expression = true;
                    r.skip(r.uleb());
                    break;
                case 0x10: // expression
                case 0x16: // val_expression
                    set_rule(row, r.uleb(), cfi_reg_rule::other);
                    r.skip(r.uleb());
                    break;
                case 0x11: { // offset_extended_sf
                    std::uint64_t const reg = r.uleb();
                    set_offset(row, reg, r.sleb() * cie.data_align);
                    break;
                }
                case 0x12: // def_cfa_sf
                    row.cfa_reg = static_cast<unsigned>(r.uleb());
                    row.cfa_off = r.sleb() * cie.data_align;
                    row.cfa_expression = false;
                    break;
                case 0x13: row.cfa_off = r.sleb() * cie.data_align; break; // def_cfa_offset_sf
                case 0x14:                                                 // val_offset
                    set_rule(row, r.uleb(), cfi_reg_rule::other);
                    (void)r.uleb();
                    break;
                case 0x15: // val_offset_sf
                    set_rule(row, r.uleb(), cfi_reg_rule::other);
                    (void)r.sleb();
                    break;
                case 0x2e: (void)r.uleb(); break; // GNU_args_size: for landing pads only
                case 0x2f: {                      // GNU_negative_offset_extended
                    std::uint64_t const reg = r.uleb();
                    set_offset(row, reg, -static_cast<std::int64_t>(r.uleb()) * cie.data_align);
                    break;
                }
                default: return false; // vendor extensions (AArch64's negate_ra_state among them)
                }
            }
            if (advance) {
                std::uint64_t const step = advance * cie.code_align;
                if (step > target - loc) return r.ok; // the next row starts past the target
                loc += static_cast<std::uintptr_t>(step);
            }
        }
        return r.ok;
    }

private:
    static void set_rule(cfi_row& row, std::uint64_t reg, unsigned char how) noexcept {
        if (reg == cfi_reg_fp) row.fp.how = how;
        else if (reg == cfi_reg_ra) row.ra.how = how;
    }
    static void set_offset(cfi_row& row, std::uint64_t reg, std::int64_t off) noexcept {
        cfi_reg_rule* rule = reg == cfi_reg_fp ? &row.fp : reg == cfi_reg_ra ? &row.ra : nullptr;
        if (!rule) return;
        rule->how = cfi_reg_rule::offset;
        rule->off = off;
    }
    static void restore(cfi_row& row, const cfi_row& initial, std::uint64_t reg) noexcept {
        if (reg == cfi_reg_fp) row.fp = initial.fp;
        else if (reg == cfi_reg_ra) row.ra = initial.ra;
    }
};

// The rules in effect at `pc` (an address inside the FDE's range; for a return address, pass the
// address before it, the call's last byte). False when the CIE's or FDE's program cannot be read.
inline bool cfi_row_at(const cfi_fde& fde, std::uintptr_t pc, cfi_row& row) noexcept {
    if (pc < fde.pc_begin || pc >= fde.pc_end) return false;
    cfi_row initial;
    initial.cfa_reg = cfi_reg_sp;
    initial.cfa_off = 0;
    initial.cfa_expression = false;
    initial.fp.how = cfi_reg_rule::same;
    initial.fp.off = 0;
    initial.ra.how = cfi_reg_rule::same;
    initial.ra.off = 0;
    // The CIE's instructions set up the row every FDE starts from: run them all.
    if (!cfi_machine::run(fde.cie.insns, fde.cie.insns_end, fde.cie, 0, ~std::uintptr_t(0), initial, initial))
        return false;
    row = initial;
    return cfi_machine::run(fde.insns, fde.insns_end, fde.cie, fde.pc_begin, pc, row, initial);
}

} // namespace detail
} // namespace leakguard

#endif
