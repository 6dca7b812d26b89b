// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// report/check_heap.hpp: leakguard::check_heap() - every live block's guards and every quarantined
// block's bytes, checked now (also at exit, before the leak report).
//
// Each shard is checked under its lock, which forbids printing there: what is found is copied
// into a small array on the stack (the records point only to immortal site records), the damage is
// repaired so that it is reported once, and the reports follow once the lock is released. A shard
// with more damaged blocks than the array holds keeps the rest for the next check.
#ifndef LEAKGUARD_DETAIL_REPORT_CHECK_HEAP_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REPORT_CHECK_HEAP_HPP_INCLUDED

#include <cstring> // std::memset

#include "../heap/errors.hpp"
#include "../heap/guards.hpp"
#include "../heap/quarantine.hpp"
#include "../heap/registry.hpp"
#include "../reach/list_walk.hpp"

namespace leakguard {
namespace detail {

constexpr std::size_t max_findings_per_shard = 32;

struct heap_findings {
    error_record records[max_findings_per_shard];
    std::size_t count;
};

// The blocks whose damaged tail guard was reported and left as it was (guard_end_intact), by
// address and sequence number: a later check does not report them again.
reported_once g_unrepaired{};

// A live block: its front (cookie and thread/front pair) and its tail guard.
inline void check_live(block_header* h, heap_findings& f) noexcept {
    std::uint32_t const cookie = load_cookie(h);
    if (cookie == freed_cookie_for(h)) return; // just freed by another thread (push_remote): not live
    if (!guard_bytes_of(h) && cookie == cookie_for(h)) return;
    long const front = front_damage(h, cookie_for(h), cookie);
    long const tail = front ? -1 : tail_damage(h);
    if (!front && tail < 0) return;
    // A tail guard that cannot be repaired is reported once all the same.
    bool const repair = cookie == cookie_for(h) && (front || guard_end_intact(h));
    if (!front && !repair && !g_unrepaired.first(h, seq_of(h))) return;
    error_record& e = f.records[f.count++];
    e = block_error(front ? error_type::heap_underflow : error_type::heap_overflow, h);
    e.has_offset = true;
    e.offset = front ? front : tail;
    // The cookie is left as it is: the release will then not trust this header either.
    if (repair) repair_guards(h);
}

inline void check_quarantined(block_header* h, heap_findings& f) noexcept {
    bool cookie_ok = true;
    if (!quarantined_damage(h, f.records[f.count], cookie_ok)) return;
    ++f.count;
    if (!cookie_ok) return;
    set_all_bytes(user_of(h), freed_fill_bytes(h), freed_fill);
    repair_guards(h);
}

// Returns the number of errors found (and reported).
inline std::size_t check_heap_now() noexcept {
    std::size_t total = 0;
    std::uint32_t const n = g_registry.shard_count.load(std::memory_order_acquire);
    readable_memory mem;
    for (std::uint32_t i = 0; i < n; ++i) {
        shard* s = g_registry.shards[i];
        heap_findings found;
        found.count = 0;
        walk_damage damage;
        lock_shard(s);
        walk_shard(s, mem, damage, 0, [&](block_header* h) {
            if (found.count < max_findings_per_shard) check_live(h, found);
        });
        for (std::uint32_t k = 0; k < s->quarantine_count && found.count < max_findings_per_shard; ++k)
            check_quarantined(quarantined_at(s, k), found);
        unlock_shard(s);
        for (std::size_t k = 0; k < found.count; ++k) report_error(found.records[k]);
        total += found.count + report_walk_damage(damage);
    }
    return total;
}

} // namespace detail
} // namespace leakguard

#endif
