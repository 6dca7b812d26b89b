// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// reach/leak_check.hpp: one leak check, start to end - plan the roots, hold every shard, pause the
// other threads, read the memory map, index the live blocks, mark from the roots, resume, gather
// the cliques - then hand each block with its kind to the caller while the shards are still held
// (so the records it copies cannot change), and let go.
//
// Order matters for deadlocks: the loader's and the regions' locks are taken (plan_roots) before
// any shard; the shards before the pause (a paused thread may be waiting for one, never holding
// one); between pause and resume nothing but system calls and this code runs.
#ifndef LEAKGUARD_DETAIL_REACH_LEAK_CHECK_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REACH_LEAK_CHECK_HPP_INCLUDED

#include <cstddef> // std::size_t
#include <cstdint> // std::uintptr_t

#include "../../block_info.hpp"
#include "../capture/stack_table.hpp"
#include "../heap/registry.hpp"
#include "block_index.hpp"
#include "marker.hpp"
#include "memory_map.hpp"
#include "roots.hpp"
#include "thread_pause.hpp"

namespace leakguard {
namespace detail {

// Where the calling thread's own roots are: the stack of the program's frame that called into
// leakguard, and the registers that frame may keep pointers in (callee-saved: the only ones
// live across a call). leakguard's own frames are never read: their slots held, moments before,
// the frames of whatever the program called last (a helper that made a block and returned), and
// a slot a frame never writes still holds that - a pointer valgrind would not count (it knows
// the slot was never written), so a scan that cannot tell must not read it.
struct caller_context {
    std::uintptr_t sp;           // the caller's stack pointer at the call
    std::uintptr_t registers[6]; // rbx, rbp, r12-r15 as the caller left them
};

// The first statement of an out-of-line entry point (its own frame pointer is then set up, and
// nothing has touched the callee-saved registers yet).
#if defined(__x86_64__)
#define LEAKGUARD_DETAIL_CAPTURE_CALLER(ctx)                                                                           \
    do {                                                                                                               \
        __asm__ __volatile__("movq %%rbx, 0(%0)\n\tmovq %%r12, 16(%0)\n\tmovq %%r13, 24(%0)\n\t"                       \
                             "movq %%r14, 32(%0)\n\tmovq %%r15, 40(%0)"                                                \
                             :                                                                                         \
                             : "D"((ctx).registers)                                                                    \
                             : "memory");                                                                              \
        std::uintptr_t const* leakguard_frame_ = static_cast<std::uintptr_t const*>(__builtin_frame_address(0));       \
        (ctx).registers[1] = leakguard_frame_[0]; /* the caller's rbp, saved by this frame */                          \
        (ctx).sp = reinterpret_cast<std::uintptr_t>(leakguard_frame_ + 2);                                             \
    } while (0)
#else
#define LEAKGUARD_DETAIL_CAPTURE_CALLER(ctx)                                                                           \
    do {                                                                                                               \
        __builtin_unwind_init();                                                                                       \
        for (std::uintptr_t & r : (ctx).registers) r = 0;                                                              \
        (ctx).sp = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));                                       \
    } while (0)
#endif

// Blocks and bytes of each kind, and what the check could not see.
struct reach_totals {
    std::size_t blocks[5]; // indexed by leak_kind
    std::size_t bytes[5];
    std::size_t unpaused_threads; // threads that never answered: their stacks were not read
    bool complete;                // false: memory ran out; every live block is counted unchecked
                                  // (blocks[0]), and the reports count them as failing
    // Blocks a suppression matched, taken out of their kind by the report (report/suppressions.hpp).
    std::size_t suppressed_blocks;
    std::size_t suppressed_bytes;
};

inline leak_kind kind_for(reach_state s) noexcept {
    switch (s) {
    case reach_state::unreached: return leak_kind::definite;
    case reach_state::indirect: return leak_kind::indirect;
    case reach_state::possible: return leak_kind::possible;
    case reach_state::reachable: return leak_kind::reachable;
    }
    return leak_kind::reachable;
}

// The return address a block was allocated from, for the loader test; null for a block a mapping
// macro placed (program code, never the loader's).
inline const void* allocating_pc(const block_header* h) noexcept {
    unsigned const flags = flags_of(h);
    if (flags & flag_has_location) return nullptr;
    if (flags & flag_has_stack) return static_cast<const stack_record*>(h->site)->frames()[0];
    return h->site;
}

inline void lock_all_shards(std::uint32_t n) noexcept {
    for (std::uint32_t i = 0; i < n; ++i) lock_shard(g_registry.shards[i]);
}
inline void unlock_all_shards(std::uint32_t n) noexcept {
    for (std::uint32_t i = 0; i < n; ++i) unlock_shard(g_registry.shards[i]);
}

// The marking, between pause and resume. Out of line and below the caller's spilled registers.
LEAKGUARD_DETAIL_NOINLINE inline bool mark_everything(block_index& index, memory_map& map, const root_plan& plan,
                                                      const world_pause& world, const caller_context& self,
                                                      std::uint32_t shards, page_array<std::uint64_t>& indirect,
                                                      walk_damage& damage) noexcept {
    auto const root_of = [&plan](const block_header* h) -> unsigned char {
        if (flags_of(h) & flag_ignored) return root_ignored;
        if (plan.loader.count && plan.in_loader(allocating_pc(h))) return root_loader;
        return root_none;
    };
    if (!map.load()) return false;
    readable_memory mem(map);
    if (!index.build(shards, mem, damage, root_of)) return false;
    marker m(index, map);
    if (!m.ok()) return false;
    for (std::size_t i = 0; i < index.size(); ++i)
        if (index[i].root() != root_none) m.root_block(i);
    m.drain();
    scan_roots(m, map, plan, world, self.sp, self.registers, 6);
    m.gather_cliques();
    indirect = m.take_indirect_bytes();
    return true;
}

// Runs a check and calls visit(const block_header&, leak_kind, std::size_t indirect_bytes) for
// every live block that is not ignored, in address order, while every shard is held: `visit`
// must not allocate through the tracked allocator. `self`: the calling thread's own roots.
template <class Visit>
reach_totals run_leak_check(const caller_context& self, Visit visit) noexcept {
    reach_totals totals = {{0, 0, 0, 0, 0}, {0, 0, 0, 0, 0}, 0, true, 0, 0};
    root_plan plan = {};
    bool planned = plan_roots(plan);
    std::uint32_t const shards = g_registry.shard_count.load(std::memory_order_acquire);
    walk_damage damage;
    lock_all_shards(shards);
    {
        block_index index;
        memory_map map;
        page_array<std::uint64_t> indirect = {nullptr, 0, 0};
        bool marked = false;
        {
            world_pause world;
            if (planned && world.pause()) {
                marked = mark_everything(index, map, plan, world, self, shards, indirect, damage);
                totals.unpaused_threads = world.unpaused();
            }
        }              // resumed
        if (!marked) { // out of memory: no block can be judged, and none is called reachable
            totals.complete = false;
            readable_memory mem;
            for (std::uint32_t s = 0; s < shards; ++s)
                walk_shard(g_registry.shards[s], mem, damage, 0, [&](block_header* h) {
                    if (load_cookie(h) == cookie_for(h) && !(flags_of(h) & flag_ignored)) {
                        ++totals.blocks[static_cast<unsigned>(leak_kind::unchecked)];
                        totals.bytes[static_cast<unsigned>(leak_kind::unchecked)] += size_of(h);
                        visit(*h, leak_kind::unchecked, std::size_t(0));
                    }
                });
        } else {
            for (std::size_t i = 0; i < index.size(); ++i) {
                const indexed_block& b = index[i];
                if (b.root() == root_ignored) continue;
                leak_kind const k = kind_for(b.state());
                ++totals.blocks[static_cast<unsigned>(k)];
                totals.bytes[static_cast<unsigned>(k)] += b.size();
                visit(*b.header(), k, static_cast<std::size_t>(indirect.count ? indirect.items[i] : 0));
            }
            indirect.release();
        }
    }
    unlock_all_shards(shards);
    plan.release();
    report_walk_damage(damage);
    return totals;
}

} // namespace detail
} // namespace leakguard

#endif
