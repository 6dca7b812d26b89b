// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// report/collect.hpp: walking the shards for live blocks (for scopes, reports and queries), and
// copying what is found into raw memory, never through the tracked allocator.
#ifndef LEAKGUARD_DETAIL_REPORT_COLLECT_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REPORT_COLLECT_HPP_INCLUDED

#include <algorithm> // std::sort (in place: it does not allocate)
#include <cstdint>   // std::uint64_t

#include "../heap/block.hpp"
#include "../capture/locations.hpp"
#include "../heap/registry.hpp"
#include "../capture/stack_table.hpp"
#include "../core/options.hpp"
#include "../core/pages.hpp"
#include "../core/suppression_files.hpp"
#include "../reach/leak_check.hpp"

namespace leakguard {
namespace detail {

// Which live blocks to look at.
struct block_filter {
    std::uint64_t min_seq; // only blocks with seq >= min_seq (0: all)
    std::uint32_t thread;  // only this thread's blocks (0: any thread)
    bool include_ignored;
    bool program_only; // not the C library's own: C blocks allocated without a mapping macro
};

// A block the C library (or any code) got from the interposed malloc family without a mapping
// macro: stdio's buffers, locale data, a strdup inside a library. Strict scopes leave these out -
// they saw only new and mapped C blocks before every C allocation was tracked, and a buffer the C
// library makes on first use is no leak of the scope that first printed - while the leak check
// judges them like any block.
inline bool unmapped_c_block(const block_header* h) noexcept {
    return static_cast<unsigned>(kind_of(h)) >= static_cast<unsigned>(block_kind::malloc) &&
           !(flags_of(h) & flag_has_location);
}

inline block_info info_of(const block_header* h) noexcept {
    block_info b;
    b.address = reinterpret_cast<const char*>(h) + header_size;
    b.size = size_of(h);
    b.kind = kind_of(h);
    b.seq = seq_of(h);
    b.thread = h->thread;
    // A located block's site is its call site's location_record, which keeps a return address
    // into that call site too (for the function's name).
    unsigned const flags = flags_of(h);
    const location_record* record =
        (flags & flag_has_location) ? static_cast<const location_record*>(h->site) : nullptr;
    // A location given to a block that had a stack replaces it (libc/mapped_calls.hpp): the flag stays.
    const stack_record* stack =
        !record && (flags & flag_has_stack) ? static_cast<const stack_record*>(h->site) : nullptr;
    b.caller = record ? record->caller : stack ? stack->frames()[0] : h->site;
    b.location = record ? &record->where : nullptr;
    b.stack = stack ? stack->frames() : nullptr;
    b.stack_depth = stack ? stack->depth : 0;
    b.loss = leak_kind::unchecked;
    b.indirect_bytes = 0;
    return b;
}

// Calls visit(const block_header&) for each matching block, newest first within each shard, under
// that shard's lock: `visit` must not allocate, print or call user code. Each shard is walked back
// from its newest block and left at the first block older than min_seq, so the cost is that of
// the blocks allocated since min_seq (plus one step per shard).
// A damaged list (reach/list_walk.hpp) is walked from both ends and reported once unlocked.
// `held(shard&)` runs first for each shard walked, under the same hold (the monitor adds up the
// shard's counted frees there: report/site_profile.hpp).
template <class Held, class Visit>
void for_each_live(const block_filter& filter, Held held, Visit visit) noexcept {
    shard* own = t_state.home;
    std::uint32_t const n = g_registry.shard_count.load(std::memory_order_acquire);
    readable_memory mem;
    for (std::uint32_t i = 0; i < n; ++i) {
        shard* s = g_registry.shards[i];
        // Blocks of one thread live in the shard it held when it allocated them: its current home.
        if (filter.thread && s != own) continue;
        walk_damage damage;
        lock_shard(s);
        held(*s);
        walk_shard(s, mem, damage, filter.min_seq, [&](block_header* h) {
            if (filter.thread && h->thread != static_cast<std::uint16_t>(filter.thread)) return; // kept modulo 65536
            if (!filter.include_ignored && (flags_of(h) & flag_ignored)) return;
            if (filter.program_only && unmapped_c_block(h)) return;
            if (load_cookie(h) != cookie_for(h)) return; // freed by another thread just now (push_remote)
            visit(*h);
        });
        unlock_shard(s);
        report_walk_damage(damage);
    }
}
template <class Visit>
void for_each_live(const block_filter& filter, Visit visit) noexcept {
    for_each_live(
        filter, [](shard&) {}, visit);
}

struct block_totals {
    std::size_t blocks;
    std::size_t bytes;
};

inline block_totals count_live(const block_filter& filter) noexcept {
    block_totals t = {0, 0};
    for_each_live(filter, [&t](const block_header& h) {
        ++t.blocks;
        t.bytes += size_of(&h);
    });
    return t;
}

// Copies the `max` oldest matching blocks into `out`, sorted oldest first; returns how many match.
// The shards are walked newest first, so `out` is kept as a max-heap on sequence numbers: a block
// older than the newest kept one replaces it (in place: std heap functions do not allocate).
inline std::size_t copy_live(const block_filter& filter, block_info* out, std::size_t max) noexcept {
    auto newer = [](const block_info& a, const block_info& b) { return a.seq < b.seq; };
    std::size_t found = 0;
    for_each_live(filter, [&](const block_header& h) {
        ++found;
        if (max == 0) return;
        if (found <= max) {
            out[found - 1] = info_of(&h);
            std::push_heap(out, out + found, newer);
        } else if (seq_of(&h) < out[0].seq) {
            std::pop_heap(out, out + max, newer);
            out[max - 1] = info_of(&h);
            std::push_heap(out, out + max, newer);
        }
    });
    std::size_t const kept = found < max ? found : max;
    std::sort_heap(out, out + kept, newer);
    return found;
}

// A raw-memory array of every matching block (oldest first). Free with raw_free.
// Blocks copied out of the lists (raw memory). items null with count > 0: counted, not listed
// (memory ran out for the copy) - a check must still fail on them.
struct block_list {
    block_info* items;
    std::size_t count;
    std::size_t bytes;
};

inline block_list collect_live(const block_filter& filter) noexcept {
    block_list list = {nullptr, 0, 0};
    // Each walk costs a heavy barrier per shard (lock_shard): a check that finds nothing - a scope
    // without leaks, the common case - ends after the first walk.
    block_totals const counted = count_live(filter);
    if (counted.blocks == 0) return list;
    std::size_t capacity = counted.blocks + 64;
    for (;;) {
        list.items = static_cast<block_info*>(raw_alloc(capacity * sizeof(block_info)));
        if (!list.items) { // out of memory: counted, not listed
            list.count = counted.blocks;
            list.bytes = counted.bytes;
            return list;
        }
        std::size_t const found = copy_live(filter, list.items, capacity);
        if (found <= capacity) {
            list.count = found;
            for (std::size_t i = 0; i < found; ++i) list.bytes += list.items[i].size;
            return list;
        }
        raw_free(list.items); // other threads allocated meanwhile: try with room for them
        capacity = found + found / 4 + 64;
    }
}

// The bit of a kind in the leak_kinds option.
inline unsigned leak_kind_bit(leak_kind k) noexcept {
    return k == leak_kind::unchecked ? 0u : 1u << (static_cast<unsigned>(k) - 1);
}

// Blocks and bytes of the kinds that fail a run (the leak_kinds option).
// Blocks a check that ran out of memory could not judge fail too: a check that cannot finish
// must not pass.
inline block_totals failing_totals(const reach_totals& t) noexcept {
    block_totals out = {t.blocks[0], t.bytes[0]};
    unsigned const kinds = option_leak_kinds();
    for (unsigned k = 1; k <= 4; ++k) {
        if (!(kinds & leak_kind_bit(static_cast<leak_kind>(k)))) continue;
        out.blocks += t.blocks[k];
        out.bytes += t.bytes[k];
    }
    return out;
}

// Whether blocks of kind `k` fail the run: the kinds leak_kinds names, and those a check that ran
// out of memory could not judge (failing_totals).
inline bool failing_kind(leak_kind k) noexcept {
    return k == leak_kind::unchecked || (option_leak_kinds() & leak_kind_bit(k));
}

// Whether the report lists blocks of kind `k`: the failing kinds, and reachable ones on request.
inline bool listed_kind(leak_kind k) noexcept {
    return failing_kind(k) || (k == leak_kind::reachable && option_show_reachable());
}

// A leak check, and a raw-memory array of the blocks of the kinds the report lists, in address
// order (oldest first is the report's business). `self`: see run_leak_check.
// With suppressions loaded, lost blocks of kinds the report does not list are collected too:
// a suppressed one leaves its kind's count (report/suppressions.hpp: suppress_checked).
inline block_list collect_checked(const caller_context& self, reach_totals& totals) noexcept {
    page_array<block_info> found = {nullptr, 0, 0};
    bool const match_lost = suppressions_loaded();
    totals = run_leak_check(self, [&](const block_header& h, leak_kind k, std::size_t indirect) {
        if (!listed_kind(k) && !(match_lost && k != leak_kind::reachable)) return;
        block_info b = info_of(&h);
        b.loss = k;
        b.indirect_bytes = indirect;
        found.push(b); // out of pages: the list is shorter; the totals stay right
    });
    block_list list = {nullptr, 0, 0};
    if (found.count) {
        list.items = static_cast<block_info*>(raw_alloc(found.count * sizeof(block_info)));
        if (list.items) {
            for (std::size_t i = 0; i < found.count; ++i) {
                list.items[i] = found.items[i];
                list.bytes += found.items[i].size;
            }
            list.count = found.count;
        }
    }
    found.release();
    return list;
}

// Whether a block passes `filter` (for_each_live's test, for a block a leak check hands over).
inline bool in_filter(const block_filter& filter, const block_header& h) noexcept {
    if (seq_of(&h) < filter.min_seq) return false;
    if (filter.thread && h.thread != static_cast<std::uint16_t>(filter.thread)) return false;
    if (!filter.include_ignored && (flags_of(&h) & flag_ignored)) return false;
    return !(filter.program_only && unmapped_c_block(&h));
}

// The blocks of `filter` a leak check finds lost - of the kinds the leak_kinds option lists as
// failing - oldest first, each with its kind; raw memory (free with raw_free). No check runs when
// no block of `filter` is alive: then nothing can be lost, and the cost is one walk of the blocks
// allocated since filter.min_seq. `self`: see run_leak_check. `complete` false: the check ran out
// of memory and judged nothing (the list is empty; the caller decides).
inline block_list collect_lost(const block_filter& filter, const caller_context& self, bool& complete) noexcept {
    block_list list = {nullptr, 0, 0};
    complete = true;
    if (count_live(filter).blocks == 0) return list;
    unsigned const failing = option_leak_kinds() & ~leak_kind_bit(leak_kind::reachable);
    page_array<block_info> found = {nullptr, 0, 0};
    bool dropped = false;
    auto const keep = [&](const block_header& h, leak_kind k, std::size_t indirect) {
        if (!(failing & leak_kind_bit(k)) || !in_filter(filter, h)) return;
        block_info b = info_of(&h);
        b.loss = k;
        b.indirect_bytes = indirect;
        if (!found.push(b)) dropped = true;
    };
    complete = run_leak_check(self, keep).complete && !dropped;
    if (!complete) {
        found.release();
        return list;
    }
    if (found.count) {
        list.items = static_cast<block_info*>(raw_alloc(found.count * sizeof(block_info)));
        if (list.items) {
            for (std::size_t i = 0; i < found.count; ++i) {
                list.items[i] = found.items[i];
                list.bytes += found.items[i].size;
            }
            list.count = found.count;
            std::sort(list.items, list.items + list.count,
                      [](const block_info& a, const block_info& b) { return a.seq < b.seq; });
        }
    }
    found.release();
    return list;
}

} // namespace detail
} // namespace leakguard

#endif
