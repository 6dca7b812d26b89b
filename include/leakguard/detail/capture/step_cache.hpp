// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// capture/step_cache.hpp: the step rule of each return address the stack walk has met, so that
// the call frame information (cfi_parse.hpp, eh_frame_index.hpp) is read once per address, not
// once per allocation. A hit is a hash, two loads of one cache line and a compare: close to what a
// frame-pointer step costs.
//
// A rule fits one word (step_rule below): the CFA is the stack or the frame pointer plus an
// offset, the return address is just below the CFA (x86-64's call pushes it there), and the
// caller's frame pointer is unchanged, saved at a distance below the CFA, or unknown. What does
// not fit (a CFA from a DWARF expression or another register, a signal frame) is cached as
// "step by frame pointer" or "end of stack", so it is not looked up again either.
//
// The table: open addressing over 2^16 slots of {address, rule} in pages from mmap (1 MiB of
// address space, committed only where touched), filled with compare-and-swap on the key and
// never locked, so a capture from inside malloc, a signal handler or a fork child can use it. A
// full neighbourhood means the rule is computed again next time: slower, never wrong.
//
// Entries must not outlive their module: a library unloaded by dlclose and another mapped at its
// addresses would get its rules. Every rule carries the generation it was computed in; dlclose
// (interposed by libc/interpose.hpp) bumps the generation before and after the C library's own,
// and drops the table's pages (MADV_DONTNEED: the slots read as empty again), so a rule read from
// a module that went away is never used. A reader checks the key again after reading the rule:
// a slot emptied and refilled for another address in between is not taken for its own.
#ifndef LEAKGUARD_DETAIL_CAPTURE_STEP_CACHE_HPP_INCLUDED
#define LEAKGUARD_DETAIL_CAPTURE_STEP_CACHE_HPP_INCLUDED

#include <atomic>     // std::atomic
#include <cstddef>    // std::size_t
#include <cstdint>    // std::uint64_t, std::uintptr_t
#include <sys/mman.h> // mmap, madvise

#include "../config.hpp"

namespace leakguard {
namespace detail {

// One step rule, packed:
//   bits 0-1   kind: 0 none (not computed), 1 cfa (the rule below), 2 end of stack, 3 frame pointer
//   bit  2     CFA base: 0 stack pointer, 1 frame pointer
//   bits 3-4   caller's frame pointer: 0 unchanged, 1 saved at CFA - 8 * fp_slot, 2 unknown
//   bits 8-31  CFA offset in bytes (0 to 16 MiB - 1)
//   bits 32-47 fp_slot
//   bits 52-63 generation (its low 12 bits)
namespace step_rule {
constexpr std::uint64_t none = 0, cfa = 1, end = 2, frame_pointer = 3;
constexpr std::uint64_t base_fp = 4;
constexpr std::uint64_t fp_same = 0, fp_saved = 1, fp_unknown = 2;
constexpr unsigned generation_shift = 52;
constexpr std::uint64_t generation_mask = 0xfff;

inline std::uint64_t kind(std::uint64_t r) noexcept { return r & 3u; }
inline bool cfa_from_fp(std::uint64_t r) noexcept { return (r & base_fp) != 0; }
inline std::uint64_t fp_rule(std::uint64_t r) noexcept { return (r >> 3) & 3u; }
inline std::uintptr_t cfa_offset(std::uint64_t r) noexcept { return static_cast<std::uintptr_t>((r >> 8) & 0xffffffu); }
inline std::uintptr_t fp_distance(std::uint64_t r) noexcept {
    return static_cast<std::uintptr_t>((r >> 32) & 0xffffu) * 8;
}
inline std::uint64_t generation_bits(std::uint32_t generation) noexcept {
    return (std::uint64_t(generation) & generation_mask) << generation_shift;
}
inline std::uint64_t with_generation(std::uint64_t r, std::uint32_t generation) noexcept {
    return (r & ~(generation_mask << generation_shift)) | generation_bits(generation);
}
// A CFA rule; kind frame_pointer when the numbers do not fit.
inline std::uint64_t make_cfa(bool from_fp, std::int64_t offset, std::uint64_t fp, std::int64_t fp_offset) noexcept {
    if (offset <= 0 || offset > 0xffffff) return frame_pointer;
    std::uint64_t slot = 0;
    if (fp == fp_saved) {
        // Saved below the CFA, word-aligned (it always is: pushed or stored by the prologue).
        if (fp_offset >= 0 || (-fp_offset) % 8 != 0 || -fp_offset / 8 > 0xffff) return frame_pointer;
        slot = static_cast<std::uint64_t>(-fp_offset / 8);
    }
    return cfa | (from_fp ? base_fp : 0) | (fp << 3) | (static_cast<std::uint64_t>(offset) << 8) | (slot << 32);
}
} // namespace step_rule

struct step_slot {
    std::atomic<std::uintptr_t> key; // the return address; 0 empty
    std::atomic<std::uint64_t> rule; // step_rule with its generation; 0 not written yet
};

constexpr unsigned step_cache_log2 = 16;
constexpr std::size_t step_cache_slots = std::size_t(1) << step_cache_log2;
constexpr std::size_t step_cache_bytes = step_cache_slots * sizeof(step_slot);
constexpr unsigned step_cache_probes = 8;

struct step_cache_state {
    std::atomic<step_slot*> slots;
    std::atomic<std::uint32_t> generation;
    std::atomic<std::uint64_t> misses; // rules computed (for tests and measurements)
};

// Plain data, constant-initialised: usable from the first static constructor.
step_cache_state g_step_cache{};

inline std::size_t step_slot_of(std::uintptr_t pc) noexcept {
    return static_cast<std::size_t>((static_cast<std::uint64_t>(pc) * 0x9E3779B97F4A7C15ull) >> (64 - step_cache_log2));
}

// The table, mapped on first use (two threads may race: the loser unmaps its own). Null when mmap
// fails: then every rule is computed each time.
inline step_slot* step_cache_table() noexcept {
    step_slot* s = g_step_cache.slots.load(std::memory_order_acquire);
    if (LEAKGUARD_DETAIL_LIKELY(s != nullptr)) return s;
    void* mem =
        ::mmap(nullptr, step_cache_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (mem == MAP_FAILED) return nullptr;
    step_slot* fresh = static_cast<step_slot*>(mem); // zero pages: empty keys and rules
    if (g_step_cache.slots.compare_exchange_strong(s, fresh, std::memory_order_acq_rel)) return fresh;
    ::munmap(mem, step_cache_bytes);
    return s;
}

// The cached rule of `pc` in generation `generation`, or step_rule::none.
LEAKGUARD_DETAIL_ALWAYS_INLINE std::uint64_t step_cache_find(const step_slot* slots, std::uintptr_t pc,
                                                             std::uint32_t generation) noexcept {
    std::size_t i = step_slot_of(pc);
    for (unsigned probe = 0; probe < step_cache_probes; ++probe, i = (i + 1) & (step_cache_slots - 1)) {
        std::uintptr_t const k = slots[i].key.load(std::memory_order_acquire);
        if (k == pc) {
            std::uint64_t const r = slots[i].rule.load(std::memory_order_acquire);
            if (slots[i].key.load(std::memory_order_relaxed) != pc) return step_rule::none;
            if ((r >> step_rule::generation_shift) != (generation & step_rule::generation_mask)) return step_rule::none;
            return r;
        }
        if (k == 0) return step_rule::none;
    }
    return step_rule::none;
}

// Records `rule` (with its generation) for `pc`; drops it when the neighbourhood is full.
inline void step_cache_store(step_slot* slots, std::uintptr_t pc, std::uint64_t rule) noexcept {
    std::size_t i = step_slot_of(pc);
    for (unsigned probe = 0; probe < step_cache_probes; ++probe, i = (i + 1) & (step_cache_slots - 1)) {
        std::uintptr_t k = slots[i].key.load(std::memory_order_acquire);
        if (k == 0) {
            if (slots[i].key.compare_exchange_strong(k, pc, std::memory_order_acq_rel)) k = pc;
        }
        if (k == pc) {
            slots[i].rule.store(rule, std::memory_order_release);
            return;
        }
    }
}

inline std::uint32_t step_cache_generation() noexcept {
    return g_step_cache.generation.load(std::memory_order_acquire);
}

// Forgets every rule: for a module about to be unloaded (before dlclose) and one just unloaded
// (after). A rule computed in between carries the middle generation, which the second call ends.
inline void forget_step_rules() noexcept {
    g_step_cache.generation.fetch_add(1, std::memory_order_acq_rel);
    if (step_slot* s = g_step_cache.slots.load(std::memory_order_acquire))
        ::madvise(static_cast<void*>(s), step_cache_bytes, MADV_DONTNEED);
}

} // namespace detail
} // namespace leakguard

#endif
