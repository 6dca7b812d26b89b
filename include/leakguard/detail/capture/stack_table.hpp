// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// capture/stack_table.hpp: interned call stacks. Every block allocated from the same call stack
// shares one stack_record, so a block carries one pointer however deep its stack is, and a
// report groups blocks by comparing pointers.
//
// Design:
// - A chained hash table. A bucket head is an atomic pointer; records are only ever pushed on
//   a head (compare-and-swap) and never changed or freed after that, so a lookup is a few plain
//   loads with no lock and no write: the hit path, which is nearly every allocation of a
//   program that allocates from a settled set of places.
// - Records and the bucket array live in memory from mmap, never from operator new (which is
//   what is being tracked) nor from malloc (whose own accounting would then show leakguard's
//   tables as the program's; valgrind also ignores mmap for its leak report).
// - Lock-free throughout, so fork() needs nothing: a child sees each bucket before or after a
//   push, never in between, and cannot inherit a held lock. A record a parent thread was still
//   filling is unreachable in the child (its memory is wasted, nothing else).
// - Bounded: records come from 1 MiB chunks up to a budget (64 MiB unless set). When it is
//   spent intern_stack returns null for new stacks (known stacks are still found) and the
//   caller keeps the single return address it already has.
#ifndef LEAKGUARD_DETAIL_CAPTURE_STACK_TABLE_HPP_INCLUDED
#define LEAKGUARD_DETAIL_CAPTURE_STACK_TABLE_HPP_INCLUDED

#include <atomic>     // std::atomic
#include <cstddef>    // std::size_t
#include <cstdint>    // std::uint64_t, std::uintptr_t
#include <new>        // placement new (not a replaceable operator)
#include <sys/mman.h> // mmap, munmap

#include "../config.hpp"

namespace leakguard {
namespace detail {

// One interned stack. The frames follow the record in memory (see frames()).
struct stack_record {
    const stack_record* next; // older record of the same bucket; immutable once published
    std::uint64_t hash;
    std::uint32_t depth; // number of frames, 1 or more
    std::uint32_t id;    // 1, 2, 3 ... in order of creation (gaps where a race lost)

    void* const* frames() const noexcept { return reinterpret_cast<void* const*>(this + 1); }
};

static_assert(sizeof(stack_record) % sizeof(void*) == 0, "frames must follow the record aligned");

constexpr std::size_t max_interned_depth = 256;         // deeper stacks are cut to this
constexpr std::size_t stack_chunk_bytes = 1u << 20;     // records are carved from chunks this big
constexpr std::size_t default_stack_budget = 64u << 20; // bytes of chunks, bucket array included

struct stack_chunk {
    const stack_chunk* prev;       // the chunk that was current before this one
    std::atomic<std::size_t> used; // bytes handed out, this header included (may overshoot size)
    std::size_t size;
};

// The bucket heads, in one mapping behind this header.
struct stack_buckets {
    std::size_t count; // a power of two
    unsigned shift;    // 64 - log2(count): a hash's top bits pick its bucket
    std::size_t bytes; // of the mapping
    std::atomic<const stack_record*>* heads() noexcept {
        return reinterpret_cast<std::atomic<const stack_record*>*>(this + 1);
    }
};

class stack_table {
public:
    // Plain data: a stack_table at namespace scope is constant-initialised (all zero), so it
    // works from the first static constructor. budget_bytes and log2_buckets may be set before
    // the first intern; 0 means the defaults (64 MiB, 2^16 buckets).
    std::size_t budget_bytes;
    unsigned log2_buckets;

    // The record for this stack, made on first sight; null when depth is 0 or the budget is
    // spent. Deeper stacks than max_interned_depth are cut.
    const stack_record* intern(void* const* frames, std::size_t depth) noexcept {
        if (depth == 0) return nullptr;
        if (depth > max_interned_depth) depth = max_interned_depth;
        stack_buckets* buckets = bucket_array();
        if (LEAKGUARD_DETAIL_UNLIKELY(!buckets)) return nullptr;
        std::uint64_t const h = hash_frames(frames, depth);
        std::atomic<const stack_record*>& bucket = buckets->heads()[h >> buckets->shift];

        const stack_record* head = bucket.load(std::memory_order_acquire);
        if (const stack_record* r = find(head, nullptr, h, frames, depth)) return r;
        if (exhausted_.load(std::memory_order_relaxed)) {
            dropped_.fetch_add(1, std::memory_order_relaxed);
            return nullptr;
        }
        void* mem = take(sizeof(stack_record) + depth * sizeof(void*));
        if (!mem) {
            dropped_.fetch_add(1, std::memory_order_relaxed);
            return nullptr;
        }
        stack_record* rec = static_cast<stack_record*>(mem);
        rec->hash = h;
        rec->depth = static_cast<std::uint32_t>(depth);
        rec->id = next_id_.fetch_add(1, std::memory_order_relaxed) + 1;
        void** dest = reinterpret_cast<void**>(rec + 1);
        for (std::size_t i = 0; i < depth; ++i) dest[i] = frames[i];

        const stack_record* seen = head; // every record from `seen` down has been compared
        for (;;) {
            rec->next = head;
            if (bucket.compare_exchange_weak(head, rec, std::memory_order_release, std::memory_order_acquire)) {
                count_.fetch_add(1, std::memory_order_relaxed);
                return rec;
            }
            // Others pushed meanwhile: only what lies above `seen` is new. If one of them is
            // this stack, ours is left unpublished (its bytes are lost; a race that rare).
            if (const stack_record* r = find(head, seen, h, frames, depth)) return r;
            seen = head;
        }
    }

    // Calls f(const stack_record&) for every record (in no particular order). Safe while other
    // threads intern: it sees at least every record published before it started.
    template <class F>
    void for_each(F&& f) const noexcept {
        stack_buckets* buckets = buckets_.load(std::memory_order_acquire);
        if (!buckets) return;
        std::atomic<const stack_record*>* heads = buckets->heads();
        for (std::size_t i = 0; i < buckets->count; ++i)
            for (const stack_record* r = heads[i].load(std::memory_order_acquire); r; r = r->next) f(*r);
    }

    std::size_t size() const noexcept { return count_.load(std::memory_order_relaxed); }
    // Whether `p` could be one of the table's records: in one of its chunks (past the chunk's
    // header), aligned, with a depth that fits the chunk. A record pointer read from a header
    // that may be damaged is followed only then (reach/list_walk.hpp).
    bool owns(const void* p) const noexcept {
        std::uintptr_t const a = reinterpret_cast<std::uintptr_t>(p);
        if (a % alignof(stack_record) != 0) return false;
        for (const stack_chunk* c = chunk_.load(std::memory_order_acquire); c; c = c->prev) {
            std::uintptr_t const begin = reinterpret_cast<std::uintptr_t>(c), end = begin + c->size;
            if (a < begin + sizeof(stack_chunk) || a + sizeof(stack_record) > end) continue;
            std::uint32_t const depth = static_cast<const stack_record*>(p)->depth;
            return depth >= 1 && depth <= max_interned_depth && a + sizeof(stack_record) + depth * sizeof(void*) <= end;
        }
        return false;
    }
    // Bytes of memory mapped for the table (the bucket array and the chunks).
    std::size_t mapped_bytes() const noexcept { return mapped_.load(std::memory_order_relaxed); }
    // How many times a new stack was refused for lack of budget.
    std::uint64_t dropped() const noexcept { return dropped_.load(std::memory_order_relaxed); }

    // Unmaps everything. Only for tables nobody uses any more (tests); the process-wide table
    // is never released, since blocks point into it until the process ends.
    void release() noexcept {
        const stack_chunk* c = chunk_.exchange(nullptr, std::memory_order_acq_rel);
        while (c) {
            const stack_chunk* prev = c->prev;
            ::munmap(const_cast<stack_chunk*>(c), c->size);
            c = prev;
        }
        stack_buckets* b = buckets_.exchange(nullptr, std::memory_order_acq_rel);
        if (b) ::munmap(static_cast<void*>(b), b->bytes);
        mapped_.store(0, std::memory_order_relaxed);
        count_.store(0, std::memory_order_relaxed);
        exhausted_.store(false, std::memory_order_relaxed);
    }

    // Whether `r` holds exactly these frames (its depth included).
    static bool same_frames(const stack_record* r, void* const* frames, std::size_t depth) noexcept {
        if (r->depth != depth) return false;
        void* const* const mine = r->frames();
        std::uintptr_t diff = 0;
        for (std::size_t i = 0; i < depth; ++i)
            diff |= reinterpret_cast<std::uintptr_t>(mine[i]) ^ reinterpret_cast<std::uintptr_t>(frames[i]);
        return diff == 0;
    }

    // Public only so that the table stays an aggregate (constant-initialised with {}).
    std::atomic<stack_buckets*> buckets_;
    std::atomic<const stack_chunk*> chunk_;
    std::atomic<std::size_t> mapped_;
    std::atomic<std::size_t> count_;
    std::atomic<std::uint32_t> next_id_;
    std::atomic<std::uint64_t> dropped_;
    std::atomic<bool> exhausted_;

private:
    // Each frame is mixed on its own - xor with its position, a multiply, then an xorshift that
    // folds the product's high bits down - and the terms are summed (the products do not wait on
    // each other, unlike a running hash); the sum is mixed once. The xorshift matters: without it
    // the terms are linear in the frames, so stacks made of the same few return addresses in
    // different orders summed to few values (100,000 permutations of two addresses fell into a
    // few hundred buckets, and interning them took 18 s: docs/design.md, "Figures"). The bucket is
    // taken from the top bits, the best mixed by a multiply.
    static std::uint64_t hash_frames(void* const* frames, std::size_t depth) noexcept {
        std::uint64_t sum = depth;
        for (std::size_t i = 0; i < depth; ++i) {
            std::uint64_t const x =
                (reinterpret_cast<std::uintptr_t>(frames[i]) ^ (i * 0xD6E8FEB86659FD93ull)) * 0x9E3779B97F4A7C15ull;
            sum += x ^ (x >> 29);
        }
        sum ^= sum >> 32;
        return sum * 0xD6E8FEB86659FD93ull;
    }
    // A hit (the usual case: most allocations come from a few stacks) compares every frame. A
    // loop of word compares here, not memcmp: the call took 12% of the CPU of `ring` with the
    // defaults, for 12 frames.
    static bool same(const stack_record* r, std::uint64_t h, void* const* frames, std::size_t depth) noexcept {
        return r->hash == h && same_frames(r, frames, depth);
    }
    static const stack_record* find(const stack_record* from, const stack_record* until, std::uint64_t h,
                                    void* const* frames, std::size_t depth) noexcept {
        for (const stack_record* r = from; r != until; r = r->next)
            if (same(r, h, frames, depth)) return r;
        return nullptr;
    }

    std::size_t budget() const noexcept { return budget_bytes ? budget_bytes : default_stack_budget; }

    // The bucket array, mapped on first use. Two threads may map one each; the loser unmaps its
    // own, which nobody else has seen.
    stack_buckets* bucket_array() noexcept {
        stack_buckets* b = buckets_.load(std::memory_order_acquire);
        if (LEAKGUARD_DETAIL_LIKELY(b != nullptr)) return b;
        unsigned const log2 = log2_buckets ? (log2_buckets > 24 ? 24 : log2_buckets) : 16;
        std::size_t const count = std::size_t(1) << log2;
        std::size_t const bytes = sizeof(stack_buckets) + count * sizeof(void*);
        void* mem = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (mem == MAP_FAILED) return nullptr;
        // Zeroed pages are null heads: std::atomic<T*> has the representation of T*.
        stack_buckets* fresh = ::new (mem) stack_buckets;
        fresh->count = count;
        fresh->shift = 64 - log2;
        fresh->bytes = bytes;
        stack_buckets* expected = nullptr;
        if (buckets_.compare_exchange_strong(expected, fresh, std::memory_order_acq_rel)) {
            mapped_.fetch_add(bytes, std::memory_order_relaxed);
            return fresh;
        }
        ::munmap(mem, bytes);
        return expected;
    }

    // `n` bytes (a multiple of 8) from the current chunk, or from a new one.
    void* take(std::size_t n) noexcept {
        for (;;) {
            const stack_chunk* c = chunk_.load(std::memory_order_acquire);
            if (c) {
                std::size_t const at = const_cast<stack_chunk*>(c)->used.fetch_add(n, std::memory_order_relaxed);
                if (at + n <= c->size) return reinterpret_cast<char*>(const_cast<stack_chunk*>(c)) + at;
            }
            // Full (or none yet): map a new chunk if the budget allows, and make it current
            // unless someone else already did.
            std::size_t const before = mapped_.fetch_add(stack_chunk_bytes, std::memory_order_relaxed);
            if (before + stack_chunk_bytes > budget()) {
                mapped_.fetch_sub(stack_chunk_bytes, std::memory_order_relaxed);
                exhausted_.store(true, std::memory_order_relaxed);
                return nullptr;
            }
            void* mem = ::mmap(nullptr, stack_chunk_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (mem == MAP_FAILED) {
                mapped_.fetch_sub(stack_chunk_bytes, std::memory_order_relaxed);
                exhausted_.store(true, std::memory_order_relaxed);
                return nullptr;
            }
            stack_chunk* fresh = ::new (mem) stack_chunk;
            fresh->prev = c;
            fresh->size = stack_chunk_bytes;
            fresh->used.store((sizeof(stack_chunk) + 15) & ~std::size_t(15), std::memory_order_relaxed);
            if (!chunk_.compare_exchange_strong(c, fresh, std::memory_order_acq_rel)) {
                ::munmap(mem, stack_chunk_bytes);
                mapped_.fetch_sub(stack_chunk_bytes, std::memory_order_relaxed);
            }
        }
    }
};

// The process-wide table. Defined (not declared) here: this header is included only by the
// LEAKGUARD_MAIN unit, like every impl header with state; `{}` makes it constant-initialised.
stack_table g_stacks{};

// The records this thread interned last, by their two innermost frames: most allocations come
// from a few call stacks, and a hit here is one compare of the frames against a record this
// thread has just used - no hash of the frames, no load from the shared bucket array (a cold line
// in a program with many stacks). A slot holds any record of the table (records are never freed
// or changed), so a stale or colliding slot only costs the full lookup. Trivially constructible
// and destructible: no TLS initialiser or destructor, usable from any thread at any time.
constexpr unsigned recent_stack_log2 = 4;
struct recent_stacks {
    const stack_record* slot[1u << recent_stack_log2];
};
static thread_local recent_stacks t_recent_stacks;

// Interns a stack in the process-wide table (see stack_table::intern), through this thread's
// recent_stacks.
inline const stack_record* intern_stack(void* const* frames, std::size_t depth) noexcept {
    if (depth == 0) return nullptr;
    if (depth > max_interned_depth) depth = max_interned_depth;
    std::uintptr_t key = reinterpret_cast<std::uintptr_t>(frames[0]);
    if (depth > 1) key ^= reinterpret_cast<std::uintptr_t>(frames[1]) << 1;
    const stack_record*& recent = t_recent_stacks.slot[(key * 0x9E3779B97F4A7C15ull) >> (64 - recent_stack_log2)];
    if (recent && stack_table::same_frames(recent, frames, depth)) return recent;
    const stack_record* r = g_stacks.intern(frames, depth);
    if (r) recent = r;
    return r;
}

} // namespace detail
} // namespace leakguard

#endif
