// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// heap/quarantine.hpp: released blocks held back before they go to the C library, so that writes
// into them after the free (use_after_free) show and a second free can name the first.
//
// A released block gets 0xDD over its first bytes (freed_fill_bytes: 64), keeps its header
// (cookie = freed cookie, free site in `prev`) and joins the FIFO of the releasing thread's shard
// (a ring of slots, in an owner section: only check_heap and double-free lookups take another
// thread's). While the FIFO holds more than quarantine_bytes (header and guard included), its
// oldest blocks leave: outside the section each is checked (the fill and the guards intact) and
// then really freed. Quarantined blocks are out of the live lists: neither live nor leaked.
//
// Why only the first bytes: filling and checking whole blocks made the quarantine cost in
// proportion to the bytes freed, about twice the cost of the first bytes alone on blocks of a few
// hundred bytes. A write through a dangling pointer to an object mostly lands in its first
// members; writes further into a freed buffer are left to the guards' neighbours and to tools with
// shadow memory.
//
// Also here: where every released block goes (dispose: this quarantine, or back to the C library
// through the recycler), and where a quarantined block keeps its free site.
#ifndef LEAKGUARD_DETAIL_HEAP_QUARANTINE_HPP_INCLUDED
#define LEAKGUARD_DETAIL_HEAP_QUARANTINE_HPP_INCLUDED

#include <cstdint> // std::uint64_t, std::uintptr_t
#include <cstring> // std::memset

#include "block.hpp"
#include "errors.hpp"
#include "guards.hpp"
#include "../capture/locations.hpp"
#include "../core/options.hpp"
#include "../core/pages.hpp"
#include "../core/platform.hpp"
#include "recycler.hpp"
#include "registry.hpp"

namespace leakguard {
namespace detail {

// One block in a quarantine, with what it counts against quarantine_bytes (kept here so that
// pushing a block out never reads its cold header to learn its size).
struct quarantine_slot {
    block_header* block;
    std::uint64_t cost;
};
constexpr std::uint32_t quarantine_slot_count = 8192; // a power of two: 128 KiB per thread that frees

// A quarantined block keeps where it was freed in `prev` (it is out of its shard list): a
// location_record tagged with the top bit (never set in a user-space address), or the return
// address into the code that freed it.
constexpr std::uintptr_t located_free_tag = std::uintptr_t(1) << 63;

inline void set_free_site(block_header* h, const void* caller, const location_record* where) noexcept {
    std::uintptr_t const v =
        where ? reinterpret_cast<std::uintptr_t>(where) | located_free_tag : reinterpret_cast<std::uintptr_t>(caller);
    h->prev = reinterpret_cast<block_header*>(v);
}

inline void free_site_of(const block_header* h, const void*& caller, const source_location*& location) noexcept {
    std::uintptr_t const v = reinterpret_cast<std::uintptr_t>(h->prev);
    if (v & located_free_tag) {
        const location_record* r = reinterpret_cast<const location_record*>(v & ~located_free_tag);
        caller = r->caller;
        location = &r->where;
    } else {
        caller = reinterpret_cast<const void*>(v);
        location = nullptr;
    }
}

inline std::uint64_t quarantine_cost(const block_header* h) noexcept {
    return header_size + size_of(h) + guard_bytes_of(h);
}

// What is wrong with a quarantined block, as a use_after_free naming both sites; false when it is
// as it was left. `cookie_ok` says whether the header can still be trusted to free it.
inline bool quarantined_damage(const block_header* h, error_record& e, bool& cookie_ok) noexcept {
    cookie_ok = h->cookie == freed_cookie_for(h);
    // The usual answer, quickly: nothing touched (the guards and the fill).
    if (LEAKGUARD_DETAIL_LIKELY(
            cookie_ok && guards_intact(h, size_of(h), guard_bytes_of(h)) &&
            all_bytes_are(reinterpret_cast<const unsigned char*>(h) + header_size, freed_fill_bytes(h), freed_fill)))
        return false;
    long offset = 0;
    bool bad = false;
    long const front = guard_bytes_of(h) || !cookie_ok ? front_damage(h, freed_cookie_for(h), load_cookie(h)) : 0;
    if (front != 0) {
        offset = front;
        bad = true;
    } else {
        long const fill = fill_damage(h);
        long const tail = fill < 0 ? tail_damage(h) : -1;
        if (fill >= 0 || tail >= 0) {
            offset = fill >= 0 ? fill : static_cast<long>(size_of(h)) + tail;
            bad = true;
        }
    }
    if (!bad) return false;
    e = block_error(error_type::use_after_free, h);
    free_site_of(h, e.free_caller, e.free_location);
    e.has_free = true;
    e.has_offset = true;
    e.offset = offset;
    return true;
}

// Checks a block that leaves the quarantine, reports a write into it, and frees it - unless its
// cookie was overwritten too: then its header cannot be trusted and it is left alone.
inline void leave_quarantine(block_header* h) noexcept {
    error_record e;
    bool cookie_ok = true;
    if (quarantined_damage(h, e, cookie_ok)) report_error(e);
    if (cookie_ok) give_back(h);
}

// The k-th oldest block of shard `s`'s quarantine (k < quarantine_count); `s` held.
inline block_header* quarantined_at(const shard* s, std::uint32_t k) noexcept {
    return s->quarantine_slots[(s->quarantine_head + k) & (quarantine_slot_count - 1)].block;
}

// Fills `h` (released, out of its shard list) and puts it into shard `s`'s quarantine (`s` is the
// calling thread's home); the blocks it pushes out (beyond `limit` bytes, or when every slot is
// taken) are checked and freed outside the owner section, a few at a time. Returns false when
// there is no quarantine to put it in (its slots could not be made): the caller frees it.
inline bool enter_quarantine(shard* s, block_header* h, std::uint64_t limit) noexcept {
    if (LEAKGUARD_DETAIL_UNLIKELY(!s->quarantine_slots)) {
        // Pages of their own, as the shard's (heap/registry.hpp): out of reach of a stray write
        // past a program's block.
        void* mem = map_pages(sizeof(quarantine_slot) * quarantine_slot_count);
        if (!mem) return false;
        bool const locked = owner_enter(s); // lockers (check_heap) read the slots
        s->quarantine_slots = static_cast<quarantine_slot*>(mem);
        owner_exit(s, locked);
    }
    unpoison_block_bytes(user_of(h), size_of(h));
    set_all_bytes(user_of(h), freed_fill_bytes(h), freed_fill);
    std::uint64_t const cost = quarantine_cost(h);
    constexpr std::uint32_t mask = quarantine_slot_count - 1;
    constexpr int batch = 8;
    constexpr std::uint32_t prefetch_distance = 4; // frees ahead: ~0.5 us, more than a miss takes
    block_header* out[batch];
    for (bool first = true;; first = false) {
        int n = 0;
        bool const locked = owner_enter(s);
        quarantine_slot* const slots = s->quarantine_slots;
        if (first) {
            slots[(s->quarantine_head + s->quarantine_count) & mask] = quarantine_slot{h, cost};
            ++s->quarantine_count;
            s->quarantine_bytes += cost;
        }
        while (n < batch && s->quarantine_count &&
               (s->quarantine_bytes > limit || s->quarantine_count == quarantine_slot_count)) {
            quarantine_slot const old = slots[s->quarantine_head];
            s->quarantine_head = (s->quarantine_head + 1) & mask;
            --s->quarantine_count;
            s->quarantine_bytes -= old.cost;
            out[n++] = old.block;
        }
        bool const more = s->quarantine_count && s->quarantine_bytes > limit;
        // The blocks that leave next were freed long ago and are cold by now: start loading their
        // headers and first bytes, so that the check when they leave does not wait for them.
        // The slot's cost (header + size + guard) says where the block ends: its tail guard's
        // last bytes too (a cold line of their own in blocks of more than a few dozen bytes).
        if (s->quarantine_count > prefetch_distance) {
            quarantine_slot const ahead = slots[(s->quarantine_head + prefetch_distance) & mask];
            const char* const next = reinterpret_cast<const char*>(ahead.block);
            __builtin_prefetch(next);
            __builtin_prefetch(next + 64);
            __builtin_prefetch(next + ahead.cost - 1);
        }
        owner_exit(s, locked);
        for (int i = 0; i < n; ++i) leave_quarantine(out[i]);
        if (!more) return true;
    }
}

// Whether `h` (whose cookie says leakguard released it) is in a quarantine; if so, completes `e`
// (a double free being reported) with the block and where it was first freed. Reads the header
// only once the block is found in a quarantine list, so only memory that is still leakguard's.
inline bool describe_quarantined(const block_header* h, error_record& e) noexcept {
    std::uint32_t const n = g_registry.shard_count.load(std::memory_order_acquire);
    for (std::uint32_t i = 0; i < n; ++i) {
        shard* s = g_registry.shards[i];
        lock_shard(s);
        for (std::uint32_t k = 0; k < s->quarantine_count; ++k) {
            if (quarantined_at(s, k) != h) continue;
            describe_block(e, h);
            e.has_first_free = true;
            free_site_of(h, e.first_free_caller, e.first_free_location);
            unlock_shard(s);
            return true;
        }
        unlock_shard(s);
    }
    return false;
}

// A released block, out of every list: into the calling thread's quarantine, or back to the C
// library. `where` is the free's file:line (a mapping macro's) or null.
inline void dispose(block_header* h, const void* caller, const location_record* where) noexcept {
    thread_state& t = t_state;
    std::uint64_t const limit = option_quarantine_bytes();
    if (limit && t.home && !t.busy && quarantine_cost(h) <= limit) {
        set_free_site(h, caller, where);
        if (enter_quarantine(t.home, h, limit)) return;
    }
    give_back(h);
}

// Blocks other threads freed, just unlinked by their owner: they go where the owner's own frees go
// (its quarantine keeps them; where they were freed is not known any more). The stack's link may
// have covered the tail guard of a tiny block: put back before the quarantine checks it.
LEAKGUARD_DETAIL_NOINLINE inline void dispose_remote(block_header* chain) noexcept {
    while (chain) {
        block_header* const next = chain->next;
        write_tail_guard(chain);
        dispose(chain, nullptr, nullptr);
        chain = next;
    }
}

} // namespace detail
} // namespace leakguard

#endif
