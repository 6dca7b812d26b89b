// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// reach/list_walk.hpp: the shard lists walked without trusting them. A header lives right after
// the program's previous block, so a write past that block's end lands on its links and fields;
// every report, scope check, heap check and leak check walks those links. Here a link is followed
// only to a header that is proven readable (reach/memory_map.hpp) and links back to where it was
// found from, and a block's fields are used only when what they point to is readable: its bytes
// and tail guard, its stack record. A damaged link ends the walk in that direction; the walk then
// starts again from the list's other end and comes up to the damage, so only a damaged block
// itself is missed. What was damaged is reported once, as a heap_corruption error, after the walk
// (the caller holds shard locks, where nothing may be printed).
#ifndef LEAKGUARD_DETAIL_REACH_LIST_WALK_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REACH_LIST_WALK_HPP_INCLUDED

#include <cerrno>        // errno, EFAULT
#include <cstddef>       // std::size_t
#include <cstdint>       // std::uintptr_t, std::uint64_t
#include <sys/syscall.h> // SYS_process_vm_readv
#include <sys/uio.h>     // iovec
#include <unistd.h>      // syscall, getpid

#include "../capture/locations.hpp"
#include "../capture/stack_table.hpp"
#include "../core/options.hpp"
#include "../core/platform.hpp"
#include "../heap/block.hpp"
#include "../heap/errors.hpp"
#include "../heap/registry.hpp"
#include "memory_map.hpp"

namespace leakguard {
namespace detail {

// Whether the bytes [a, a + n) can be read, asked of the kernel: one byte of each page they touch
// copied with process_vm_readv from this very process, which fails on a page that is not mapped
// readable instead of faulting. 1 readable, 0 not, -1 cannot tell (the call refused by a seccomp
// profile or an old kernel, or too many pages).
inline int probe_readable(std::uintptr_t a, std::size_t n) noexcept {
    constexpr std::size_t max_pages = 8;
    std::uintptr_t const page = page_size_assumed; // a smaller step than the real page is only more calls
    std::uintptr_t const first = a & ~(page - 1), last = (a + n - 1) & ~(page - 1);
    std::size_t const pages = static_cast<std::size_t>((last - first) / page) + 1;
    if (pages > max_pages) return -1;
    struct iovec remote[max_pages];
    char sink[max_pages];
    for (std::size_t i = 0; i < pages; ++i) {
        remote[i].iov_base = reinterpret_cast<void*>(i == 0 ? a : first + i * page);
        remote[i].iov_len = 1;
    }
    struct iovec local = {sink, pages};
    int const saved = errno;
    long const got = ::syscall(SYS_process_vm_readv, static_cast<long>(::getpid()), &local, 1L, remote,
                               static_cast<unsigned long>(pages), 0UL);
    int const error = errno;
    errno = saved;
    if (got == static_cast<long>(pages)) return 1;
    if (got >= 0 || error == EFAULT) return 0;
    return -1;
}

// Which addresses can be read. A walk that visits few blocks asks the kernel about each header
// (probe_readable: a system call each); past a few, or where the kernel cannot be asked, the
// process's mappings are read once (a walk over lists that are all sound costs one map read, a
// walk that visits no block nothing), and read again once when an address is not found (a mapping
// made since). The last range found readable is remembered, as consecutive headers are mostly in
// the same one.
class readable_memory {
public:
    readable_memory() noexcept = default;
    // Uses a map the caller has loaded (the leak check's, read while the threads are paused).
    explicit readable_memory(memory_map& loaded) noexcept : map_(&loaded), loaded_(true) {}
    readable_memory(const readable_memory&) = delete;
    readable_memory& operator=(const readable_memory&) = delete;

    bool covers(const void* p, std::size_t n) noexcept {
        std::uintptr_t const a = reinterpret_cast<std::uintptr_t>(p);
        if (a < page_size_assumed || a + n < a) return false;
        if (a >= lo_ && a + n <= hi_) return true;
        if (!loaded_ && probes_ < max_probes) {
            ++probes_;
            int const readable = probe_readable(a, n);
            if (readable == 1) {
                lo_ = a & ~std::uintptr_t(page_size_assumed - 1);
                hi_ = (a + n + page_size_assumed - 1) & ~std::uintptr_t(page_size_assumed - 1);
                return true;
            }
            if (readable == 0) return false;
            probes_ = max_probes; // the kernel cannot tell: the map from now on
        }
        if (!loaded_) {
            loaded_ = true;
            if (!map_->load()) return false;
        }
        if (find(a, n)) return true;
        if (reloads_ >= max_reloads) return false;
        ++reloads_;
        return map_->reload() && find(a, n);
    }

private:
    static constexpr unsigned max_reloads = 4; // a damaged list needs few; a flood of bad links none
    static constexpr unsigned max_probes = 32; // more blocks than this: one map read costs less

    bool find(std::uintptr_t a, std::size_t n) noexcept {
        bool found = false;
        map_->for_each_readable(a, a + n, [&](std::uintptr_t b, std::uintptr_t e) {
            if (b <= a && a + n <= e) {
                found = true;
                lo_ = b;
                hi_ = e;
            }
        });
        return found;
    }

    memory_map own_;
    memory_map* map_ = &own_;
    bool loaded_ = false;
    unsigned reloads_ = 0;
    unsigned probes_ = 0;
    std::uintptr_t lo_ = 0, hi_ = 0;
};

// What a walk found damaged, reported after it (report_walk_damage).
struct walk_damage {
    static constexpr std::size_t max = 8;
    struct entry {
        const void* address; // the damaged header's user pointer, or the bad link's value
        const char* what;
    };
    entry entries[max];
    std::size_t count = 0;

    void add(const void* address, const char* what) noexcept {
        for (std::size_t i = 0; i < count; ++i)
            if (entries[i].address == address) return;
        if (count < max) entries[count++] = entry{address, what};
    }
};

// A header `h`, reached from `from`: aligned as every header is, readable, and linking back to
// `from`. `backward`: reached through a `prev` link (so its `next` must be `from`). From null, `h`
// is a list's end, which the shard holds in leakguard's own memory: a live block, readable
// without proof (so a walk that stops at its first block reads no map).
inline bool sound_link(readable_memory& mem, const block_header* h, const block_header* from, bool backward) noexcept {
    if (reinterpret_cast<std::uintptr_t>(h) % 16 != 0) return false;
    if (from && !mem.covers(h, sizeof(block_header))) return false;
    return (backward ? h->next : h->prev) == from;
}

// Whether what the reports read through `h`'s fields can be read: the block's bytes and tail
// guard (its size and guard length are in one word a write before the block can reach), and its
// stack or location record.
inline bool sound_fields(readable_memory& mem, const block_header* h) noexcept {
    // Lengths and alignments no block was given, and kinds there are not.
    std::uint64_t const shape = h->shape;
    if (!((g_guard_units_used.load(std::memory_order_relaxed) >> shape_guard_units(shape)) & 1u)) return false;
    if (!((g_align_shifts_used.load(std::memory_order_relaxed) >> shape_align(shape)) & 1u)) return false;
    unsigned const kind = static_cast<unsigned>(kind_of(h));
    if (kind < static_cast<unsigned>(block_kind::new_scalar) || kind > static_cast<unsigned>(block_kind::pvalloc))
        return false;
    std::size_t const extent = size_of(h) + guard_bytes_of(h);
    if (extent && !mem.covers(reinterpret_cast<const char*>(h) + header_size, extent)) return false;

    unsigned const flags = flags_of(h);
    // As site_of (heap/errors.hpp) reads it: a location record first (which may carry a stack).
    if (flags & flag_has_location) return mem.covers(h->site, sizeof(location_record));
    if (flags & flag_has_stack) return g_stacks.owns(h->site);
    return true;
}

inline const void* user_address(const block_header* h) noexcept {
    return reinterpret_cast<const char*>(h) + header_size;
}

// Calls visit(block_header*) for every block of shard `s` (whose lock the caller holds) with a
// sequence number of at least `min_seq`, newest first, and then - if a link was damaged - the
// older ones that the walk from the oldest block reaches. Stops at the first block older than
// min_seq going back (lists are in allocation order), as the scope checks need.
template <class Visit>
void walk_shard(shard* s, readable_memory& mem, walk_damage& damage, std::uint64_t min_seq, Visit visit) noexcept {
    const block_header* from = nullptr;
    block_header* h = s->newest;
    bool broken = false;
    while (h) {
        if (!sound_link(mem, h, from, true)) {
            damage.add(from ? user_address(from) : static_cast<const void*>(h),
                       from ? "the link to the block before it in leakguard's list is damaged"
                            : "the newest block of a list is not a block");
            broken = true;
            break;
        }
        if (seq_of(h) < min_seq) return;
        if (sound_fields(mem, h)) visit(h);
        else damage.add(user_address(h), "its header is damaged (size, tail guard length or site)");
        from = h;
        h = h->prev;
    }
    if (!broken) return;
    // From the other end, up to the last block the first walk visited.
    const block_header* back = nullptr;
    for (h = s->oldest; h && h != from; h = h->next) {
        if (!sound_link(mem, h, back, false)) {
            damage.add(back ? user_address(back) : static_cast<const void*>(h),
                       back ? "the link to the block after it in leakguard's list is damaged"
                            : "the oldest block of a list is not a block");
            return;
        }
        if (seq_of(h) >= min_seq) {
            if (sound_fields(mem, h)) visit(h);
            else damage.add(user_address(h), "its header is damaged (size, tail guard length or site)");
        }
        back = h;
    }
}

// What was reported once in the run, by address and a tag (a sequence number, or 0): a later
// walk or check that finds the same does not report it again. A full table reports again rather
// than forget an error.
struct reported_once {
    spinlock lock;
    const void* address[256];
    std::uint64_t tag[256];
    std::size_t count;

    // True the first time (address, tag) is seen.
    bool first(const void* a, std::uint64_t t) noexcept {
        lock_guard hold(lock);
        for (std::size_t i = 0; i < count; ++i)
            if (address[i] == a && tag[i] == t) return false;
        if (count < 256) {
            address[count] = a;
            tag[count++] = t;
        }
        return true;
    }
};
reported_once g_reported_damage{}; // damaged records (report_walk_damage)

// Reports what a walk found (the caller holds no shard lock); returns how many were new.
inline std::size_t report_walk_damage(const walk_damage& damage) noexcept {
    std::size_t reported = 0;
    for (std::size_t i = 0; i < damage.count; ++i) {
        if (!g_reported_damage.first(damage.entries[i].address, 0)) continue;
        error_record e = error_record();
        e.type = error_type::heap_corruption;
        e.address = damage.entries[i].address;
        e.what = damage.entries[i].what;
        report_error(e);
        ++reported;
    }
    return reported;
}

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_REACH_LIST_WALK_HPP_INCLUDED
