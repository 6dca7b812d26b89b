// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// report/leak_groups.hpp: live blocks grouped by allocation site and kind, largest group first -
// what the exit report, a failed scope's text and a test failure's message all list. Runs with
// tracking suspended (or in an ignore region) and allocates only raw memory.
#ifndef LEAKGUARD_DETAIL_REPORT_LEAK_GROUPS_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REPORT_LEAK_GROUPS_HPP_INCLUDED

#include <algorithm> // std::sort (in place: it does not allocate)
#include <cstddef>   // std::size_t

#include "../../block_info.hpp"
#include "../core/platform.hpp"
#include "../symbolize/site_rules.hpp"
#include "collect.hpp"

namespace leakguard {
namespace detail {

// Blocks from the same site and of the same kind form one group.
struct leak_group {
    std::size_t first; // index into the sorted block list
    std::size_t count;
    std::size_t bytes;
    std::size_t min_size;
    std::size_t max_size;
    std::size_t indirect_bytes; // what the group's blocks alone hold (definitely lost ones)
};

// Blocks with the same key were allocated at the same place: the same macro call site, or the same
// return address (in a report's own copies, after resolve_sites: the same site frame).
inline const void* site_key(const block_info& b) noexcept {
    return b.location ? static_cast<const void*>(b.location) : b.caller;
}

// In a report's copies of the blocks, sets each block's `caller` to its site frame (the first
// frame outside leakguard and the standard library), naming each distinct stack once. Blocks then
// group by site, as the report promises: twenty leaks from one helper are one group even when the
// compiler unrolled the loop that calls it into twenty call sites.
inline void resolve_sites(block_list& list) noexcept {
    std::sort(list.items, list.items + list.count,
              [](const block_info& a, const block_info& b) { return a.stack < b.stack; });
    for (std::size_t i = 0; i < list.count;) {
        std::size_t j = i;
        while (j < list.count && list.items[j].stack == list.items[i].stack) ++j;
        if (list.items[i].stack && list.items[i].stack_depth > 0) {
            symbol_info sym;
            const void* const site =
                list.items[i].stack[find_site(list.items[i].stack, list.items[i].stack_depth, sym)];
            for (std::size_t k = i; k < j; ++k) list.items[k].caller = site;
        }
        i = j;
    }
}

// Sorts `list` by loss, site, kind and sequence, and returns its groups (raw memory): by loss
// (definite, indirect, possible, reachable; blocks no check has judged form one kind), then
// largest first (a group's bytes and what it holds).
inline leak_group* group_by_site(block_list& list, std::size_t& group_count) noexcept {
    group_count = 0;
    resolve_sites(list);
    std::sort(list.items, list.items + list.count, [](const block_info& a, const block_info& b) {
        if (a.loss != b.loss) return a.loss < b.loss;
        if (site_key(a) != site_key(b)) return site_key(a) < site_key(b);
        if (a.kind != b.kind) return a.kind < b.kind;
        return a.seq < b.seq;
    });
    leak_group* groups = static_cast<leak_group*>(raw_alloc((list.count + 1) * sizeof(leak_group)));
    if (!groups) return nullptr;
    for (std::size_t i = 0; i < list.count; ++i) {
        const block_info& b = list.items[i];
        // The open group's first block, by index: a pointer that may be null sent clang's analyzer
        // down a path where the list itself was null.
        bool same = false;
        if (group_count > 0) {
            const block_info& lead = list.items[groups[group_count - 1].first];
            same = site_key(lead) == site_key(b) && lead.kind == b.kind && lead.loss == b.loss;
        }
        if (!same) groups[group_count++] = leak_group{i, 0, 0, b.size, b.size, 0};
        leak_group& g = groups[group_count - 1];
        ++g.count;
        g.bytes += b.size;
        g.indirect_bytes += b.indirect_bytes;
        if (b.size < g.min_size) g.min_size = b.size;
        if (b.size > g.max_size) g.max_size = b.size;
    }
    std::sort(groups, groups + group_count, [&list](const leak_group& a, const leak_group& b) {
        leak_kind const ka = list.items[a.first].loss, kb = list.items[b.first].loss;
        if (ka != kb) return ka < kb;
        if (a.bytes + a.indirect_bytes != b.bytes + b.indirect_bytes)
            return a.bytes + a.indirect_bytes > b.bytes + b.indirect_bytes;
        if (a.count != b.count) return a.count > b.count;
        return list.items[a.first].seq < list.items[b.first].seq;
    });
    return groups;
}

// A list of blocks (raw memory, owned) and its groups. Empty (no groups) when memory runs out.
class grouped_leaks {
public:
    // Takes `list` (from collect_live) and groups it.
    explicit grouped_leaks(block_list list) noexcept : list_(list), groups_(nullptr), count_(0) { group(); }
    // Groups copies of `n` blocks (a failed scope's, which the caller keeps).
    grouped_leaks(const block_info* blocks, std::size_t n) noexcept : list_(), groups_(nullptr), count_(0) {
        list_.items = static_cast<block_info*>(raw_alloc((n + 1) * sizeof(block_info)));
        if (!list_.items) return;
        for (std::size_t i = 0; i < n; ++i) {
            list_.items[i] = blocks[i];
            list_.bytes += blocks[i].size;
        }
        list_.count = n;
        group();
    }
    ~grouped_leaks() {
        raw_free(groups_);
        raw_free(list_.items);
    }
    grouped_leaks(const grouped_leaks&) = delete;
    grouped_leaks& operator=(const grouped_leaks&) = delete;

    const block_list& blocks() const noexcept { return list_; }
    const leak_group* groups() const noexcept { return groups_; }
    std::size_t group_count() const noexcept { return count_; }
    // The first block of group g (the oldest; its site and kind are the group's).
    const block_info& lead(const leak_group& g) const noexcept { return list_.items[g.first]; }
    const block_info& block(std::size_t i) const noexcept { return list_.items[i]; }

private:
    void group() noexcept {
        if (list_.items) groups_ = group_by_site(list_, count_);
    }

    block_list list_;
    leak_group* groups_;
    std::size_t count_;
};

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_REPORT_LEAK_GROUPS_HPP_INCLUDED
