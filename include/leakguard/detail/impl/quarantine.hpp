// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// impl/quarantine.hpp: released blocks held back before they go to the C library, so that writes
// into them after the free (use_after_free) show and a second free can name the first.
//
// A released block is filled with 0xDD, keeps its header (cookie = freed cookie, free site in
// `prev`) and joins the FIFO of the releasing thread's shard, under that shard's lock (uncontended:
// only check_heap and double-free lookups take another thread's). While the FIFO holds more than
// quarantine_bytes (header and guard included), its oldest blocks leave: outside the lock each is
// checked (every byte still 0xDD, guards intact) and then really freed. Quarantined blocks are out
// of the live lists: they are neither live nor leaked.
#ifndef LEAKGUARD_DETAIL_IMPL_QUARANTINE_HPP_INCLUDED
#define LEAKGUARD_DETAIL_IMPL_QUARANTINE_HPP_INCLUDED

#include <cstdint> // std::uint64_t
#include <cstring> // std::memset

#include "block.hpp"
#include "block_errors.hpp"
#include "errors.hpp"
#include "guards.hpp"
#include "platform.hpp"
#include "registry.hpp"

namespace leakguard {
namespace detail {

inline std::uint64_t quarantine_cost(const block_header* h) noexcept {
    return header_size + size_of(h) + guard_bytes_of(h);
}

// What is wrong with a quarantined block, as a use_after_free naming both sites; false when it is
// as it was left. `cookie_ok` says whether the header can still be trusted to free it.
inline bool quarantined_damage(const block_header* h, error_record& e, bool& cookie_ok) noexcept {
    cookie_ok = h->cookie == freed_cookie_for(h);
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
    e = block_error("use_after_free", h);
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
    if (cookie_ok) raw_free(raw_of(h));
}

// Fills `h` (released, out of its shard list) and puts it into shard `s`'s quarantine (`s` is
// the calling thread's home); returns the
// blocks pushed out (linked through `next`), for the caller to pass to leave_quarantine outside
// the lock.
inline block_header* enter_quarantine(shard* s, block_header* h, std::uint64_t limit) noexcept {
    unpoison_block_bytes(user_of(h), size_of(h));
    std::memset(user_of(h), freed_fill, size_of(h));
    h->next = nullptr;
    block_header* out = nullptr;
    block_header** out_tail = &out;
    bool const locked = owner_enter(s); // `s` is the calling thread's home
    if (s->quarantine_newest) s->quarantine_newest->next = h;
    else s->quarantine_oldest = h;
    s->quarantine_newest = h;
    s->quarantine_bytes += quarantine_cost(h);
    while (s->quarantine_bytes > limit && s->quarantine_oldest) {
        block_header* old = s->quarantine_oldest;
        s->quarantine_oldest = old->next;
        if (!s->quarantine_oldest) s->quarantine_newest = nullptr;
        s->quarantine_bytes -= quarantine_cost(old);
        old->next = nullptr;
        *out_tail = old;
        out_tail = &old->next;
    }
    owner_exit(s, locked);
    return out;
}

inline void leave_quarantine_all(block_header* chain) noexcept {
    while (chain) {
        block_header* next = chain->next;
        leave_quarantine(chain);
        chain = next;
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
        for (const block_header* q = s->quarantine_oldest; q; q = q->next) {
            if (q != h) continue;
            error_record const b = block_error(e.type, h);
            e.block_known = true;
            e.size = b.size;
            e.kind = b.kind;
            e.seq = b.seq;
            e.alloc_caller = b.alloc_caller;
            e.alloc_location = b.alloc_location;
            e.has_first_free = true;
            free_site_of(h, e.first_free_caller, e.first_free_location);
            unlock_shard(s);
            return true;
        }
        unlock_shard(s);
    }
    return false;
}

} // namespace detail
} // namespace leakguard

#endif
