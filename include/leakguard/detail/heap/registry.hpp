// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// heap/registry.hpp: where live blocks are kept - one shard per thread, each an intrusive doubly
// linked list in allocation order under its own lock, plus the counters - and the operations on
// those lists (append, unlink, the stack of blocks other threads freed).
//
// Why per-thread shards: a thread allocates into its own shard, so allocation never contends;
// a free from another thread locks only the owner's shard. Why the list is in sequence order: the
// owning thread is the only one that appends, and it takes sequence numbers in increasing order,
// so a scope can walk each shard back from its newest block and stop at the first block older than
// the scope. Shards outlive their threads (their blocks may still be alive) and are handed to new
// threads when their owner exits.
#ifndef LEAKGUARD_DETAIL_HEAP_REGISTRY_HPP_INCLUDED
#define LEAKGUARD_DETAIL_HEAP_REGISTRY_HPP_INCLUDED

#include <atomic>    // std::atomic
#include <cstdint>   // std::uint64_t
#include <cstring>   // std::memset
#include <pthread.h> // pthread_key_create, pthread_setspecific
#if defined(__linux__)
#include <linux/membarrier.h> // MEMBARRIER_CMD_PRIVATE_EXPEDITED
#include <sys/syscall.h>      // SYS_membarrier
#include <unistd.h>           // syscall
#endif

#include "../upward_calls.hpp"
#include "block.hpp"
#include "../core/pages.hpp"
#include "block_memory.hpp"
#include "../capture/site_counts.hpp"
#include "../core/options.hpp"
#include "../core/platform.hpp"

namespace leakguard {
namespace detail {

struct quarantine_slot; // heap/quarantine.hpp

// Who may touch a shard's list (and its quarantine), and how (see "Lock elision" below):
//  - its owner, the thread whose home it is, on every allocation and every free of its own
//    blocks: owner_enter/owner_exit, no atomic read-modify-write while nobody else wants the shard;
//  - anybody else (scopes, reports, statistics, check_heap, fork, errors): lock_shard/unlock_shard,
//    which take `lock` and then wait until the owner is outside its section;
//  - a thread freeing a block of another thread's shard never touches the list: it pushes the
//    block onto `remote` (one compare-and-swap), and the owner (or the next lock_shard) unlinks it.
struct alignas(64) shard {
    spinlock lock;
    std::atomic<int> owner_busy; // 1 while the owner is inside owner_enter/owner_exit
    block_header* oldest;
    block_header* newest;
    std::uint64_t allocations; // counted in the allocating thread's shard
    std::uint64_t frees;       // counted in the owner shard of the freed block
    std::int64_t live_bytes;
    std::int64_t peak_bytes; // the most live_bytes has been (exact peak while one thread allocates)
    std::uint32_t index;
    shard* next_free; // free list of shards whose thread has exited
    // The quarantine of the blocks this shard's thread released (heap/quarantine.hpp): a ring of
    // slots, oldest at `quarantine_head`, made on first use. In the shard so that it needs no
    // lock of its own (fork takes the shard locks) and passes to the next thread with the shard.
    quarantine_slot* quarantine_slots;
    std::uint32_t quarantine_head;
    std::uint32_t quarantine_count;
    std::uint64_t quarantine_bytes;
    // Blocks of this shard freed by other threads, not yet unlinked: a lock-free stack linked
    // through each block's remote_link (heap/block.hpp). On its own cache line, with `owned`,
    // which every push reads: the freeing thread writes this line, the owner writes the first
    // (owner_busy, on every operation). The owner reads `remote` on one operation in
    // remote_check_interval only (remote_waiting), so that a thread freeing a stream of its
    // blocks keeps the line in its own cache instead of pulling it back on every free.
    alignas(64) std::atomic<block_header*> remote;
    std::atomic<bool> owned; // a live thread has this shard as its home (changed under `lock`)
    // The frees of this shard's blocks counted per site while the monitor counts
    // (capture/site_counts.hpp), by whoever unlinks them; a report adds them up under `lock`.
    alignas(64) site_free_cache site_frees;
};

// How often the owner looks at its remote stack: on every 16th allocation and every 16th free
// (by the shard's counts before the operation), so at most 16 of the owner's allocations pass
// before it unlinks what other threads freed. Looking on every operation moved the line between
// the cores on every free from the other thread, which made a producer/consumer pair of threads
// cost far more than the same work in one thread.
constexpr std::uint64_t remote_check_interval = 16;
inline bool remote_waiting(const shard* s, std::uint64_t count) noexcept {
    return (count & (remote_check_interval - 1)) == 0 && s->remote.load(std::memory_order_relaxed) != nullptr;
}

constexpr std::uint32_t max_shards = 1u << 16; // the header's shard field is 16 bits

// Per-thread state. Plain data with constant initialisation: no TLS constructor or guard runs.
struct thread_state {
    shard* home;            // this thread's shard, null until its first tracked allocation
    std::uint32_t thread;   // leakguard's thread number, 0 until assigned
    int ignore_depth;       // > 0: allocations are marked ignored
    int busy;               // > 0: leakguard itself is running here; allocations are not linked
    bool fork_holder;       // this thread holds every shard lock (inside fork)
    std::uint64_t seq_next; // sequence numbers reserved for this thread: [seq_next, seq_end)
    std::uint64_t seq_end;
    std::uint64_t seq_epoch;    // the g_epoch value the reservation was made under
    std::int64_t pending_bytes; // live-byte change not yet added to g_live_bytes
    // Set with `home`, for the short paths (heap/allocate.hpp, heap/release.hpp): the header's last
    // word without its cookie (tail_word_for), and the home shard's index + 1 (0: no home).
    std::uint64_t tail_word;
    std::uint32_t home_tag;
};

// Sequence numbers: a thread reserves them in chunks, so there is no shared counter on the hot
// path. A scope takes its start number and then bumps g_epoch; a thread that sees a new epoch drops
// its reservation and takes a fresh one, so every block allocated after a scope began (in any
// thread that could know it began) gets a number above the scope's start.
constexpr std::uint64_t seq_chunk = 1024;

struct registry_state {
    spinlock shards_lock; // guards creating shards and the free list
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

// ---- The lists ----------------------------------------------------------------------------------
//
// A shard's list is changed only by whoever holds it exclusively (its owner in an owner section,
// or lock_shard, below): these take that for granted.

// Takes `h` out of shard `s`'s list and counts the free.
inline void unlink_held(shard* s, block_header* h, std::int64_t size) noexcept {
    if (h->prev) h->prev->next = h->next;
    else s->oldest = h->next;
    if (h->next) h->next->prev = h->prev;
    else s->newest = h->prev;
    ++s->frees;
    s->live_bytes -= size;
}

// count_free_hit's miss: the site is in neither slot of its set in `s` (capture/site_counts.hpp).
// Sets the shard's new_from first.
LEAKGUARD_DETAIL_NOINLINE inline void count_free_missed(shard* s, const block_header* h) noexcept {
    s->site_frees.new_from = make_order(g_sites.count_from.load(std::memory_order_relaxed), s->index);
    count_free_missed_in(s->site_frees, h->site, site_kind_of(flags_of(h), flag_has_location, flag_has_stack),
                         h->order);
}

// Counts the free of `h` per site (capture/site_counts.hpp) in `s`, which the caller holds, when
// its site is in its set there (a hit in its own slot: a multiplication, a shift, a compare, the
// block's order against the shard's new_from, and an increment - no atomic operation; in the
// other slot, an xor and a compare more). False otherwise: the caller then calls
// count_free_missed.
LEAKGUARD_DETAIL_ALWAYS_INLINE bool count_free_hit(shard* s, const block_header* h) noexcept {
    site_free_cache& c = s->site_frees;
    const void* const site = h->site;
    unsigned i = free_slot_of(site);
    if (LEAKGUARD_DETAIL_UNLIKELY(c.key[i] != site)) {
        i ^= 1u;
        if (c.key[i] != site) return false;
    }
    count_free_at(c, i, h->order);
    return true;
}

// Counts the free of `h` per site in `s`, which the caller holds.
LEAKGUARD_DETAIL_ALWAYS_INLINE void count_free_held(shard* s, const block_header* h) noexcept {
    if (LEAKGUARD_DETAIL_UNLIKELY(!count_free_hit(s, h))) count_free_missed(s, h);
}

// unlink_held, and the free counted per site while the monitor counts: every path that takes a
// freed block out of a list but the short one, which checks the hot word it has read already.
inline void unlink_counted(shard* s, block_header* h, std::int64_t size) noexcept {
    unlink_held(s, h, size);
    if (LEAKGUARD_DETAIL_UNLIKELY(g_hot.load(std::memory_order_relaxed) & hot_sites)) count_free_held(s, h);
}

// Appends `h` as the newest block of `s` and counts it.
inline void append_held(shard* s, block_header* h, std::size_t size) noexcept {
    block_header* const newest = s->newest;
    h->prev = newest;
    if (newest) newest->next = h;
    else s->oldest = h;
    s->newest = h;
    ++s->allocations;
    std::int64_t const live = s->live_bytes + static_cast<std::int64_t>(size);
    s->live_bytes = live;
    if (live > s->peak_bytes) s->peak_bytes = live;
}

// Takes the blocks other threads freed off `s`'s remote stack and unlinks them. Returns them,
// linked through `next`, for the caller to dispose of.
inline block_header* unlink_remote_held(shard* s) noexcept {
    block_header* chain = s->remote.exchange(nullptr, std::memory_order_acquire);
    block_header* out = nullptr;
    while (chain) {
        block_header* const next = *remote_link_of(chain);
        unlink_counted(s, chain, static_cast<std::int64_t>(size_of(chain)));
        chain->next = out;
        out = chain;
        chain = next;
    }
    return out;
}

// The same where the shard is held by anybody but its owner (lock_shard): the blocks go straight
// back to the C library (the freeing thread checked them and marked them released).
inline void drain_remote_locked(shard* s) noexcept {
    block_header* out = unlink_remote_held(s);
    while (out) {
        block_header* const next = out->next;
        free_block_memory(out);
        out = next;
    }
}

// ---- Lock elision ------------------------------------------------------------------------------
//
// The owner of a shard is by far its most frequent user (every allocation, and every free of a
// block the thread allocated itself), and every other user is rare (scopes, reports, statistics,
// check_heap, fork) - except frees from other threads, which go through `remote` instead (below).
// So the owner does not take the lock; it announces itself with a plain store and checks the lock
// with a plain load, and the rare other users pay for a heavy barrier instead. This is the
// asymmetric Dekker protocol (as in liburcu, folly's asymmetricLightBarrier/HeavyBarrier, and the
// Linux membarrier(2) manual):
//
//   owner:   owner_busy = 1 (relaxed); compiler barrier; if lock != 0 (acquire) -> slow path;
//            ... list work ...; owner_busy = 0 (release)
//   other:   lock (atomic exchange, acquire); membarrier(PRIVATE_EXPEDITED);
//            wait until owner_busy == 0 (acquire); ... list work ...; lock = 0 (release)
//
// membarrier returns only after every other running thread of the process has executed a full
// memory barrier (threads not running get one from the context switch), so it stands in for the
// fence the owner would otherwise need between its store to owner_busy and its load of lock. Hence,
// for each owner section and each locked section, either the owner's load of lock sees 1 (the
// owner then backs off: clears owner_busy and takes the lock like everybody else) or the other
// thread's load of owner_busy sees 1 (it waits for the release store that ends the section): they
// never overlap. Ordering: the list writes of an owner section happen before the locker's reads
// (release store of owner_busy = 0, acquire load that sees it); the locker's writes happen before
// the owner's next section (release store of lock = 0, acquire load of lock that sees it) - so
// ThreadSanitizer sees every handover as a happens-before edge, and reports a race if the protocol
// were ever broken. Without membarrier (not Linux, an old kernel, seccomp) g_elide_locks stays false
// and the owner takes the lock like everybody else: the protocol is then the plain spinlock.

std::atomic<bool> g_elide_locks{}; // set once in initialise(), before any shard is used

// The other side of the owner's compiler-only barrier: a memory barrier on every running thread.
inline void heavy_barrier() noexcept {
#if defined(__linux__) && defined(SYS_membarrier)
    ::syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0);
#endif
}

// Whether this process can use the protocol (registers it for expedited barriers).
inline bool enable_lock_elision() noexcept {
#if defined(__linux__) && defined(SYS_membarrier)
    long const cmds = ::syscall(SYS_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);
    if (cmds < 0 || !(cmds & MEMBARRIER_CMD_PRIVATE_EXPEDITED)) return false;
    if (::syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) != 0) return false;
    return ::syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0) == 0;
#else
    return false;
#endif
}

// Exclusive access to a shard for anybody (its owner included, outside owner sections).
inline void lock_shard(shard* s) noexcept {
    if (t_state.fork_holder) return; // holds every shard lock already (runtime/fork.hpp)
    s->lock.lock();
    if (g_elide_locks.load(std::memory_order_relaxed)) {
        heavy_barrier();
        for (int spins = 0; s->owner_busy.load(std::memory_order_acquire) != 0; ++spins) {
            if (spins < 64) cpu_relax();
            else sched_yield();
        }
        if (s->remote.load(std::memory_order_relaxed)) drain_remote_locked(s);
    }
}
inline void unlock_shard(shard* s) noexcept {
    if (!t_state.fork_holder) s->lock.unlock();
}

// The owner's side. Returns whether the section ended up holding the lock (pass it to owner_exit).
LEAKGUARD_DETAIL_NOINLINE inline bool owner_enter_slow(shard* s) noexcept {
    if (t_state.fork_holder) return false; // this thread holds the lock (fork): owner_busy stays 1
    s->owner_busy.store(0, std::memory_order_release);
    s->lock.lock();
    return true;
}
inline bool owner_enter(shard* s) noexcept {
    if (!g_elide_locks.load(std::memory_order_relaxed)) {
        lock_shard(s);
        return true;
    }
    s->owner_busy.store(1, std::memory_order_relaxed);
    std::atomic_signal_fence(std::memory_order_seq_cst); // the light half: see heavy_barrier()
    if (LEAKGUARD_DETAIL_UNLIKELY(s->lock.state.load(std::memory_order_acquire) != 0)) return owner_enter_slow(s);
    return false;
}
inline void owner_exit(shard* s, bool locked) noexcept {
    if (LEAKGUARD_DETAIL_UNLIKELY(locked)) unlock_shard(s);
    else s->owner_busy.store(0, std::memory_order_release);
}

// A free of a block whose shard is another thread's home: the block is marked released and pushed
// onto that shard's remote stack, to be unlinked by the owner at its next allocation or free (or
// by the next lock_shard). If the shard has no owner any more (its thread exited), nobody would:
// then this thread unlinks the stack itself, under the lock. seq_cst against release_home_shard:
// either its drain sees this push or this load sees owned == false.
inline void push_remote(shard* s, block_header* h) noexcept {
    store_cookie(h, freed_cookie_for(h));
    block_header** const link = remote_link_of(h);
    block_header* head = s->remote.load(std::memory_order_relaxed);
    do {
        *link = head;
    } while (!s->remote.compare_exchange_weak(head, h, std::memory_order_seq_cst, std::memory_order_relaxed));
    if (LEAKGUARD_DETAIL_UNLIKELY(!s->owned.load(std::memory_order_seq_cst))) {
        lock_shard(s); // drains the stack (no owner section can run: the shard has no owner)
        unlock_shard(s);
    }
}

// Whether `h` is linked in a shard list: a search of every list, comparing addresses only (nothing
// of a header is read before it is found), for the rare pointer whose own bytes leave its
// ownership in doubt (libc/ownership.hpp).
LEAKGUARD_DETAIL_NOINLINE inline bool listed(const block_header* h) noexcept {
    std::uint32_t const n = g_registry.shard_count.load(std::memory_order_acquire);
    for (std::uint32_t i = 0; i < n; ++i) {
        shard* s = g_registry.shards[i];
        lock_shard(s);
        bool found = false;
        for (const block_header* b = s->newest; b && !found; b = b->prev) found = b == h;
        unlock_shard(s);
        if (found) return true;
    }
    return false;
}

// Runs when a thread that allocated exits: its shard (and the blocks still in it) goes to the free
// list for the next new thread. The blocks keep their thread number.
inline void release_home_shard(void*) noexcept {
    shard* s = t_state.home;
    if (!s) return;
    t_state.home = nullptr;
    t_state.home_tag = 0;
    drop_recycled();                  // from now on this thread's frees go to the C library
    if (t_state.pending_bytes != 0) { // hand over this thread's batched byte count
        g_registry.live_bytes.fetch_add(t_state.pending_bytes, std::memory_order_relaxed);
        t_state.pending_bytes = 0;
    }
    if (g_elide_locks.load(std::memory_order_relaxed)) {
        // From now on nobody drains `remote` as the owner: a thread that pushes onto it after
        // this store sees owned == false and drains it itself (see push_remote); one that pushed
        // before is drained here. seq_cst on both sides: either this drain sees the push or that
        // thread sees the store.
        s->lock.lock();
        s->owned.store(false, std::memory_order_seq_cst);
        if (s->remote.load(std::memory_order_seq_cst)) drain_remote_locked(s);
        s->lock.unlock();
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
                // Pages of its own, not the C library's heap: a program's write past the end of
                // a block must not reach the lists (reach/list_walk.hpp can walk around a damaged
                // link, not a damaged list head). Zeroed, never given back (shards are reused).
                void* mem = map_pages(sizeof(shard));
                if (mem) {
                    s = static_cast<shard*>(mem);
                    s->index = n;
                    g_registry.shards[n] = s;
                    g_registry.shard_count.store(n + 1, std::memory_order_release);
                }
            }
        }
    }
    if (s) {
        s->lock.lock(); // adopt it: owner sections start after this (see lock elision above)
        s->owned.store(true, std::memory_order_seq_cst);
        s->lock.unlock();
        t.home = s;
        t.tail_word = tail_word_for(static_cast<std::uint16_t>(t.thread));
        t.home_tag = s->index + 1;
        // A reused shard holds older blocks; fresh numbers for this thread keep its list ordered.
        t.seq_next = t.seq_end = 0;
        // The C library may allocate here (the second level of its key table, for keys past 32):
        // through leakguard's own malloc, as leakguard's bookkeeping - unlinked, never counted.
        ++t.busy;
        pthread_setspecific(g_registry.exit_key, s);
        --t.busy;
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
// adds its net change to the global count in batches of 1 MiB (flush_batch), so no atomic
// operation runs per allocation; the global peak then lags the true one by at most 1 MiB per
// thread. (Smaller batches made every new/delete pair of a batch's size two atomic
// read-modify-writes, a large part of the pair's time.)
constexpr std::int64_t flush_batch = std::int64_t(1) << 20;
LEAKGUARD_DETAIL_NOINLINE inline void flush_bytes(thread_state& t) noexcept {
    std::int64_t const live =
        g_registry.live_bytes.fetch_add(t.pending_bytes, std::memory_order_relaxed) + t.pending_bytes;
    t.pending_bytes = 0;
    std::int64_t peak = g_registry.peak_bytes.load(std::memory_order_relaxed);
    while (live > peak && !g_registry.peak_bytes.compare_exchange_weak(peak, live, std::memory_order_relaxed)) {}
}
LEAKGUARD_DETAIL_ALWAYS_INLINE void account_bytes(thread_state& t, std::int64_t delta) noexcept {
    std::int64_t const pending = t.pending_bytes + delta;
    t.pending_bytes = pending;
    // |pending| >= flush_batch, in one compare
    if (LEAKGUARD_DETAIL_UNLIKELY(static_cast<std::uint64_t>(pending + (flush_batch - 1)) >
                                  static_cast<std::uint64_t>(2 * (flush_batch - 1))))
        flush_bytes(t);
}

} // namespace detail
} // namespace leakguard

#endif
