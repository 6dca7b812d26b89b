// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// impl/registry.hpp: where live blocks are kept - one shard per thread, each an intrusive doubly
// linked list in allocation order under its own lock, plus the counters.
//
// Why per-thread shards: a thread allocates into its own shard, so allocation never contends;
// a free from another thread locks only the owner's shard. Why the list is in sequence order: the
// owning thread is the only one that appends, and it takes sequence numbers in increasing order,
// so a scope can walk each shard back from its newest block and stop at the first block older than
// the scope. Shards outlive their threads (their blocks may still be alive) and are handed to new
// threads when their owner exits.
#ifndef LEAKGUARD_DETAIL_IMPL_REGISTRY_HPP_INCLUDED
#define LEAKGUARD_DETAIL_IMPL_REGISTRY_HPP_INCLUDED

#include <atomic>     // std::atomic
#include <cstdint>    // std::uint64_t
#include <cstring>    // std::memset
#include <pthread.h>  // pthread_key_create, pthread_setspecific

#include "block.hpp"
#include "platform.hpp"

namespace leakguard {
namespace detail {

struct alignas(64) shard {
    spinlock lock;
    block_header* oldest;
    block_header* newest;
    std::uint64_t allocations; // counted in the allocating thread's shard
    std::uint64_t frees;       // counted in the owner shard of the freed block
    std::int64_t live_blocks;
    std::int64_t live_bytes;
    std::int64_t peak_bytes;   // the most live_bytes has been (exact peak while one thread allocates)
    std::uint32_t index;
    shard* next_free;          // free list of shards whose thread has exited
    // The quarantine of the blocks this shard's thread released (impl/quarantine.hpp): oldest
    // first, linked through `next`. In the shard so that it needs no lock of its own (fork takes
    // the shard locks) and passes to the next thread with the shard.
    block_header* quarantine_oldest;
    block_header* quarantine_newest;
    std::uint64_t quarantine_bytes;
};

constexpr std::uint32_t max_shards = 1u << 16; // the header's shard field is 16 bits

// Per-thread state. Plain data with constant initialisation: no TLS constructor or guard runs.
struct thread_state {
    shard* home;                 // this thread's shard, null until its first tracked allocation
    std::uint32_t thread;        // leakguard's thread number, 0 until assigned
    int ignore_depth;            // > 0: allocations are marked ignored
    int busy;                    // > 0: leakguard itself is running here; allocations are not linked
    bool fork_holder;            // this thread holds every shard lock (inside fork)
    std::uint64_t seq_next;      // sequence numbers reserved for this thread: [seq_next, seq_end)
    std::uint64_t seq_end;
    std::uint64_t seq_epoch;     // the g_epoch value the reservation was made under
    std::int64_t pending_bytes;  // live-byte change not yet added to g_live_bytes
    const void* recent_new[8];   // the last blocks operator new returned (only while new is mapped)
    unsigned recent_next;        // where the next one goes in recent_new (a ring)
};

// Sequence numbers: a thread reserves them in chunks, so there is no shared counter on the hot
// path. A scope takes its start number and then bumps g_epoch; a thread that sees a new epoch drops
// its reservation and takes a fresh one, so every block allocated after a scope began (in any
// thread that could know it began) gets a number above the scope's start.
constexpr std::uint64_t seq_chunk = 1024;

struct registry_state {
    spinlock shards_lock;               // guards creating shards and the free list
    std::atomic<std::uint32_t> shard_count;
    shard* shards[max_shards];
    shard* free_shards;
    std::atomic<std::uint64_t> next_seq;
    std::atomic<std::uint64_t> epoch;
    std::atomic<std::uint32_t> next_thread;
    std::atomic<std::int64_t> live_bytes; // batched per thread (see account_bytes)
    std::atomic<std::int64_t> peak_bytes;
    pthread_key_t exit_key;
};

// The tracker's state: zero-initialised at load time, never constructed or destroyed, so it is
// usable from the first static constructor to the last static destructor of any unit. Every
// global of the implementation is defined with `{}`: from C++20 std::atomic has a constexpr
// constructor, and an object that mixes it with members left uninitialised would otherwise get
// a dynamic initialiser - one that zeroes the state again after earlier static constructors
// allocated.
registry_state g_registry{};
static thread_local thread_state t_state;

inline void lock_shard(shard* s) noexcept {
    if (!t_state.fork_holder) s->lock.lock();
}
inline void unlock_shard(shard* s) noexcept {
    if (!t_state.fork_holder) s->lock.unlock();
}

// Runs when a thread that allocated exits: its shard (and the blocks still in it) goes to the free
// list for the next new thread. The blocks keep their thread number.
inline void release_home_shard(void*) noexcept {
    shard* s = t_state.home;
    if (!s) return;
    t_state.home = nullptr;
    if (t_state.pending_bytes != 0) { // hand over this thread's batched byte count
        g_registry.live_bytes.fetch_add(t_state.pending_bytes, std::memory_order_relaxed);
        t_state.pending_bytes = 0;
    }
    lock_guard hold(g_registry.shards_lock);
    s->next_free = g_registry.free_shards;
    g_registry.free_shards = s;
}

// Gives the calling thread a shard: a free one, or a new one from raw memory. Returns null only
// when raw memory runs out or 65,536 shards exist; the caller then leaves the block unlinked.
inline shard* acquire_home_shard() noexcept {
    thread_state& t = t_state;
    if (t.thread == 0) {
        t.thread = g_registry.next_thread.fetch_add(1, std::memory_order_relaxed) + 1;
    }
    shard* s = nullptr;
    {
        lock_guard hold(g_registry.shards_lock);
        if (g_registry.free_shards) {
            s = g_registry.free_shards;
            g_registry.free_shards = s->next_free;
        } else {
            std::uint32_t const n = g_registry.shard_count.load(std::memory_order_relaxed);
            if (n < max_shards) {
                void* mem = raw_alloc_aligned(sizeof(shard), alignof(shard));
                if (mem) {
                    std::memset(mem, 0, sizeof(shard));
                    s = static_cast<shard*>(mem);
                    s->index = n;
                    g_registry.shards[n] = s;
                    g_registry.shard_count.store(n + 1, std::memory_order_release);
                }
            }
        }
    }
    if (s) {
        t.home = s;
        // A reused shard holds older blocks; fresh numbers for this thread keep its list ordered.
        t.seq_next = t.seq_end = 0;
        pthread_setspecific(g_registry.exit_key, s);
    }
    return s;
}

// The next sequence number for this thread (see seq_chunk).
inline std::uint64_t take_seq(thread_state& t) noexcept {
    std::uint64_t const epoch = g_registry.epoch.load(std::memory_order_acquire);
    if (LEAKGUARD_DETAIL_UNLIKELY(t.seq_next == t.seq_end || epoch != t.seq_epoch)) {
        t.seq_epoch = epoch;
        t.seq_next = g_registry.next_seq.fetch_add(seq_chunk, std::memory_order_acq_rel) + 1;
        t.seq_end = t.seq_next + seq_chunk;
    }
    return t.seq_next++;
}

// A scope's start: every block allocated after this call (as far as the caller's thread can tell)
// has a larger sequence number.
inline std::uint64_t begin_epoch() noexcept {
    std::uint64_t const start = g_registry.next_seq.fetch_add(1, std::memory_order_acq_rel) + 1;
    g_registry.epoch.fetch_add(1, std::memory_order_acq_rel);
    return start;
}

// Byte accounting for peak_bytes across threads. Each shard knows its own peak exactly (kept under
// its lock), which is the process's peak while one thread allocates. Across threads, each thread
// adds its net change to the global count in batches of 64 KiB, so no atomic operation runs per
// allocation; the global peak then lags the true one by at most 64 KiB per thread.
inline void account_bytes(thread_state& t, std::int64_t delta) noexcept {
    t.pending_bytes += delta;
    if (t.pending_bytes < 65536 && t.pending_bytes > -65536) return;
    std::int64_t const live =
        g_registry.live_bytes.fetch_add(t.pending_bytes, std::memory_order_relaxed) + t.pending_bytes;
    t.pending_bytes = 0;
    std::int64_t peak = g_registry.peak_bytes.load(std::memory_order_relaxed);
    while (live > peak &&
           !g_registry.peak_bytes.compare_exchange_weak(peak, live, std::memory_order_relaxed)) {
    }
}

} // namespace detail
} // namespace leakguard

#endif
