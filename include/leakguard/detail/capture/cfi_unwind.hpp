// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// capture/cfi_unwind.hpp: the stack walk through code with and without frame pointers (x86-64).
//
// The walk keeps three registers of each frame - the return address (pc), the stack pointer (sp,
// the callee's CFA) and the frame pointer (fp) - and steps from a frame to its caller by:
//   - the frame-pointer record {saved fp, return address} at fp, in code known to keep frame
//     pointers (the module the start-up probe found built with them, less the functions its
//     tables say do not: fp_marks.hpp): two loads;
//   - otherwise the frame's step rule (step_cache.hpp), read once per return address from the
//     module's .eh_frame (eh_frame_index.hpp, cfi_parse.hpp): CFA = sp or fp + offset, the return
//     address at CFA - 8, the caller's fp unchanged or saved below the CFA;
//   - a rule that cannot be put that way (a CFA computed by a DWARF expression, as in functions
//     that realign the stack; a module without tables) falls back to the frame-pointer record;
//     a signal frame, or a return address the tables call undefined (_start, a thread's clone),
//     ends the stack, as does a pc in no module at all.
// Every stack slot read is checked first to lie between the current sp and the top of the
// thread's stack, and each step must move sp up: a junk value can end the walk or add a junk
// frame, never make it read outside the stack or loop. Reads of the tables are bounded by their
// module's segment. Nothing allocates; the step cache and _dl_find_object take no lock.
//
// The walk starts from the frame record of the operator that was called (its
// __builtin_frame_address(0), which makes the compiler give it one): on x86-64 that record sits
// at CFA - 16, so the caller's sp is the record + 16 and its fp the saved word. Without it, the
// walk starts from its own record and steps until it meets `first`.
#ifndef LEAKGUARD_DETAIL_CAPTURE_CFI_UNWIND_HPP_INCLUDED
#define LEAKGUARD_DETAIL_CAPTURE_CFI_UNWIND_HPP_INCLUDED

#include <cstddef> // std::size_t
#include <cstdint> // std::uintptr_t, std::uint64_t

#include "cfi_parse.hpp"
#include "eh_frame_index.hpp"
#include "fp_marks.hpp"
#include "step_cache.hpp"
#include "../config.hpp"

#define LEAKGUARD_DETAIL_HAVE_CFI_WALK LEAKGUARD_DETAIL_HAVE_EH_FRAME_INDEX

namespace leakguard {
namespace detail {

// A row as a step rule (see step_cache.hpp), or how the walk copes without one.
inline std::uint64_t step_rule_of(const cfi_row& row, bool signal_frame) noexcept {
    if (signal_frame) return step_rule::end; // the interrupted context's registers: not followed
    if (row.ra.how == cfi_reg_rule::undefined) return step_rule::end;
    if (row.cfa_expression || (row.cfa_reg != cfi_reg_sp && row.cfa_reg != cfi_reg_fp)) return step_rule::frame_pointer;
    if (row.ra.how != cfi_reg_rule::offset || row.ra.off != -static_cast<std::int64_t>(sizeof(void*)))
        return step_rule::frame_pointer;
    std::uint64_t fp = step_rule::fp_same;
    if (row.fp.how == cfi_reg_rule::offset) fp = step_rule::fp_saved;
    else if (row.fp.how != cfi_reg_rule::same) fp = step_rule::fp_unknown;
    return step_rule::make_cfa(row.cfa_reg == cfi_reg_fp, row.cfa_off, fp, row.fp.off);
}

// The step rule of `pc` (a return address) worked out from its module's tables, without its
// generation: step_rule::none when no module holds pc.
inline std::uint64_t compute_step_rule(std::uintptr_t pc) noexcept {
#if LEAKGUARD_DETAIL_HAVE_EH_FRAME_INDEX
    eh_frame_tables t = {nullptr, nullptr, nullptr};
    int const found = find_eh_frame_tables(pc, t);
    if (found == 0) return step_rule::none;
    if (found == 2) return step_rule::frame_pointer;
    cfi_row row;
    bool signal_frame = false;
    // The call is the instruction before the return address: its row is the one in effect
    // during the call (the return address may already be the next function's first byte when
    // the call does not return).
    if (!cfi_row_for(t, pc - 1, row, signal_frame)) return step_rule::frame_pointer;
    return step_rule_of(row, signal_frame);
#else
    (void)pc;
    return step_rule::none;
#endif
}

struct unwind_regs {
    std::uintptr_t pc;
    std::uintptr_t sp;
    std::uintptr_t fp;
};

// What the walk needs besides the registers: the stack's top, the code that keeps frame pointers,
// the step cache and its generation.
struct cfi_walk_context {
    std::uintptr_t hi;
    std::uintptr_t fp_code_lo;
    std::uintptr_t fp_code_hi;
    std::atomic<unsigned char>* fp_marks; // null: every record in [fp_code_lo, fp_code_hi) trusted
    step_slot* slots;                     // null: no cache (every rule computed)
    std::uint32_t generation;
};

// One step by the frame-pointer record at r.fp. False when fp cannot be a record of this frame.
LEAKGUARD_DETAIL_NO_SANITIZE_MEMORY LEAKGUARD_DETAIL_ALWAYS_INLINE bool
step_by_frame_pointer(unwind_regs& r, std::uintptr_t hi) noexcept {
    std::uintptr_t const fp = r.fp;
    if ((fp & 7u) != 0 || fp < r.sp || fp > hi - 2 * sizeof(void*)) return false;
    const std::uintptr_t* const record = reinterpret_cast<const std::uintptr_t*>(fp);
    r.pc = record[1];
    r.fp = record[0];
    r.sp = fp + 2 * sizeof(void*);
    return true;
}

// The rule for r.pc: from the cache, or computed and cached.
LEAKGUARD_DETAIL_NOINLINE inline std::uint64_t step_rule_slow(std::uintptr_t pc, cfi_walk_context& c) noexcept {
    g_step_cache.misses.fetch_add(1, std::memory_order_relaxed);
    std::uint64_t const rule = compute_step_rule(pc);
    if (rule == step_rule::none) return rule; // not code: not worth a slot
    std::uint64_t const stamped = step_rule::with_generation(rule, c.generation);
    if (c.slots) step_cache_store(c.slots, pc, stamped);
    return stamped;
}

// One step from r to its caller. False at the end of the stack, or when nothing safe is left.
LEAKGUARD_DETAIL_NO_SANITIZE_MEMORY LEAKGUARD_DETAIL_ALWAYS_INLINE bool step_frame(unwind_regs& r,
                                                                                   cfi_walk_context& c) noexcept {
    std::atomic<unsigned char>* mark = nullptr;
    if (r.pc >= c.fp_code_lo && r.pc < c.fp_code_hi) {
        if (!c.fp_marks) return step_by_frame_pointer(r, c.hi);
        mark = &c.fp_marks[(r.pc - c.fp_code_lo) >> fp_mark_granule_log2];
        unsigned char const m = mark->load(std::memory_order_relaxed);
        if (LEAKGUARD_DETAIL_LIKELY(m == fp_mark_record)) return step_by_frame_pointer(r, c.hi);
        if (m != 0) mark = nullptr; // judged: by the rule
    }
    std::uint64_t rule = c.slots ? step_cache_find(c.slots, r.pc, c.generation) : step_rule::none;
    if (LEAKGUARD_DETAIL_UNLIKELY(rule == step_rule::none)) rule = step_rule_slow(r.pc, c);
    if (LEAKGUARD_DETAIL_UNLIKELY(mark != nullptr)) note_fp_mark(*mark, rule);
    switch (step_rule::kind(rule)) {
    case step_rule::cfa: break;
    case step_rule::frame_pointer: return step_by_frame_pointer(r, c.hi);
    default: return false; // end of stack, or not code
    }
    std::uintptr_t const cfa = (step_rule::cfa_from_fp(rule) ? r.fp : r.sp) + step_rule::cfa_offset(rule);
    // The return address at CFA - 8 must lie in this frame: above sp, below the top.
    if ((cfa & 7u) != 0 || cfa <= r.sp || cfa < r.sp + sizeof(void*) || cfa > c.hi) return false;
    const std::uintptr_t* const slot = reinterpret_cast<const std::uintptr_t*>(cfa);
    std::uintptr_t const pc = slot[-1];
    std::uintptr_t fp = r.fp;
    switch (step_rule::fp_rule(rule)) {
    case step_rule::fp_saved: {
        std::uintptr_t const d = step_rule::fp_distance(rule);
        if (d > cfa - r.sp) return false;
        fp = *reinterpret_cast<const std::uintptr_t*>(cfa - d);
        break;
    }
    case step_rule::fp_unknown: fp = 0; break;
    default: break;
    }
    r.pc = pc;
    r.sp = cfa;
    r.fp = fp;
    return true;
}

#if LEAKGUARD_DETAIL_HAVE_CFI_WALK

// Writes up to `max` return addresses from `first` outwards (see capture_stack); the stack is
// [lo, hi) (the current thread's), code in [fp_lo, fp_hi) is walked by frame pointers.
LEAKGUARD_DETAIL_NO_SANITIZE_MEMORY LEAKGUARD_DETAIL_NOINLINE inline std::size_t
walk_cfi(const void* first, const void* frame, void** out, std::size_t max, std::uintptr_t lo, std::uintptr_t hi,
         std::uintptr_t fp_lo, std::uintptr_t fp_hi, std::atomic<unsigned char>* fp_marks) noexcept {
    out[0] = const_cast<void*>(first);
    if (max < 2) return 1;
    std::uintptr_t const here = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
    // Not on the thread's own stack (a sigaltstack handler, a coroutine or fiber stack): the
    // bounds say nothing about what is mapped around here, so read nothing.
    if (here < lo || here >= hi || hi - lo < 4 * sizeof(void*)) return 1;
    cfi_walk_context c = {hi, fp_lo, fp_hi, fp_marks, step_cache_table(), step_cache_generation()};
    std::uintptr_t const want = reinterpret_cast<std::uintptr_t>(first);

    unwind_regs r;
    std::uintptr_t const f = reinterpret_cast<std::uintptr_t>(frame);
    if (frame && (f & 7u) == 0 && f > here && f <= hi - 2 * sizeof(void*) &&
        reinterpret_cast<const std::uintptr_t*>(f)[1] == want) {
        // The operator's record: the caller's registers at the call.
        r.pc = want;
        r.fp = reinterpret_cast<const std::uintptr_t*>(f)[0];
        r.sp = f + 2 * sizeof(void*);
    } else {
        // From this function's own record, step until `first` comes up (leakguard's frames are
        // a few).
        r.pc = reinterpret_cast<std::uintptr_t>(__builtin_return_address(0));
        r.fp = reinterpret_cast<const std::uintptr_t*>(here)[0];
        r.sp = here + 2 * sizeof(void*);
        int steps = 0;
        while (r.pc != want) {
            if (++steps > 16 || !step_frame(r, c)) return 1;
        }
    }
    std::size_t n = 1;
    while (n < max && step_frame(r, c)) {
        // Below the first page no code lives: the outermost frame's null, or junk.
        if (r.pc < 4096) break;
        out[n++] = reinterpret_cast<void*>(r.pc);
    }
    return n;
}

#endif

} // namespace detail
} // namespace leakguard

#endif
