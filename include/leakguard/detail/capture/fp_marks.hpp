// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// capture/fp_marks.hpp: which return addresses of the module built with frame pointers are in
// code that keeps them.
//
// The start-up probe proves that leakguard's own unit keeps frame pointers, and the stack walk
// steps through that module's code by the frame record {saved fp, return address} - two loads.
// But a module is linked from more than one unit: a static library built without frame pointers
// (Debian's libgtest.a and libgmock.a are) uses rbp as a general register, and a record read
// through it is junk - a caller skipped, or a walk through words of the stack no frame wrote.
//
// So the first time the walk meets a return address in that module, the address's step rule is
// read from the tables as elsewhere (cfi_unwind.hpp) and the verdict kept in one byte per 16
// bytes of code: "the record is right" (the rule is CFA = fp + 16 with the caller's fp saved at
// CFA - 16, or the module has no tables), or "use the rule" (then kept in the step cache). Two
// functions sharing 16 bytes of code that disagree leave both bits set: "use the rule", right for
// both. A step through code that keeps frame pointers then costs one more load, from a table of
// a sixteenth of the code's size (mapped at start-up, committed only where touched).
#ifndef LEAKGUARD_DETAIL_CAPTURE_FP_MARKS_HPP_INCLUDED
#define LEAKGUARD_DETAIL_CAPTURE_FP_MARKS_HPP_INCLUDED

#include <atomic>  // std::atomic
#include <cstddef> // std::size_t
#include <cstdint> // std::uint64_t, std::uintptr_t

#include "step_cache.hpp"
#include "../config.hpp"
#include "../core/pages.hpp"

namespace leakguard {
namespace detail {

// A byte's bits (0: not looked at yet).
constexpr unsigned char fp_mark_record = 1; // the frame record is right here
constexpr unsigned char fp_mark_rule = 2;   // step by the rule from the tables
constexpr unsigned fp_mark_granule_log2 = 4;

// The table for code [lo, hi): zero bytes, or null when mmap fails (the walk then trusts the
// records, as it did before the table existed).
inline std::atomic<unsigned char>* map_fp_marks(std::uintptr_t lo, std::uintptr_t hi) noexcept {
    if (hi <= lo) return nullptr;
    void* mem = map_pages(static_cast<std::size_t>(((hi - lo) >> fp_mark_granule_log2) + 1), true);
    return static_cast<std::atomic<unsigned char>*>(mem);
}

// Whether step rule `rule` takes the same step as the frame record: what a function that keeps
// frame pointers has after its prologue (a return address is never inside a prologue).
inline bool rule_is_frame_record(std::uint64_t rule) noexcept {
    switch (step_rule::kind(rule)) {
    case step_rule::frame_pointer:
    case step_rule::none: return true;
    case step_rule::cfa:
        return step_rule::cfa_from_fp(rule) && step_rule::cfa_offset(rule) == 2 * sizeof(void*) &&
               step_rule::fp_rule(rule) == step_rule::fp_saved && step_rule::fp_distance(rule) == 2 * sizeof(void*);
    default: return false;
    }
}

// Records the verdict on `rule` in `mark` (the byte of its granule).
inline void note_fp_mark(std::atomic<unsigned char>& mark, std::uint64_t rule) noexcept {
    mark.fetch_or(rule_is_frame_record(rule) ? fp_mark_record : fp_mark_rule, std::memory_order_relaxed);
}

} // namespace detail
} // namespace leakguard

#endif
