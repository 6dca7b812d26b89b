// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// runtime/repeat_checks.hpp: leakguard::repeat_check - the repetitions' sequence numbers, and the
// check that keeps the sites with blocks alive from every repetition.
#ifndef LEAKGUARD_DETAIL_RUNTIME_REPEAT_CHECKS_HPP_INCLUDED
#define LEAKGUARD_DETAIL_RUNTIME_REPEAT_CHECKS_HPP_INCLUDED

#include <algorithm> // std::sort (in place: it does not allocate)

#include "../../repeat.hpp"
#include "../core/options.hpp"
#include "../heap/registry.hpp"
#include "../heap/startup.hpp"
#include "../report/collect.hpp"
#include "../report/failures.hpp"
#include "../report/leak_groups.hpp"
#include "../report/suppressions.hpp"
#include "scope_checks.hpp"

namespace leakguard {
namespace detail {

// The repetition a sequence number falls in (starts[0..times] ascending); -1 outside them all.
inline int repetition_of(std::uint64_t seq, const std::uint64_t* starts, int times) noexcept {
    if (seq < starts[0] || seq >= starts[times]) return -1;
    int const r = static_cast<int>(std::upper_bound(starts, starts + times + 1, seq) - starts) - 1;
    return r;
}

// Keeps, in place, the blocks of the sites that have blocks from every repetition (by site, as a
// report groups them: resolve_sites first); returns how many are kept, oldest first.
inline std::size_t keep_repeated_sites(block_list& list, const std::uint64_t* starts, int times) noexcept {
    resolve_sites(list);
    std::sort(list.items, list.items + list.count, [](const block_info& a, const block_info& b) {
        if (site_key(a) != site_key(b)) return site_key(a) < site_key(b);
        return a.seq < b.seq;
    });
    std::size_t kept = 0;
    for (std::size_t i = 0; i < list.count;) {
        std::size_t j = i;
        std::uint64_t seen = 0; // one bit per repetition (max_repetitions <= 64)
        for (; j < list.count && site_key(list.items[j]) == site_key(list.items[i]); ++j) {
            int const r = repetition_of(list.items[j].seq, starts, times);
            if (r >= 0) seen |= std::uint64_t(1) << r;
        }
        std::uint64_t const all = times >= 64 ? ~std::uint64_t(0) : (std::uint64_t(1) << times) - 1;
        if (seen == all)
            for (std::size_t k = i; k < j; ++k) list.items[kept++] = list.items[k];
        i = j;
    }
    std::sort(list.items, list.items + kept, [](const block_info& a, const block_info& b) { return a.seq < b.seq; });
    list.count = kept;
    list.bytes = 0;
    for (std::size_t k = 0; k < kept; ++k) list.bytes += list.items[k].size;
    return kept;
}

} // namespace detail

repeat_check::repeat_check(const char* file, int line, int times, const char* name) noexcept
    : file_(file), name_(name ? name : ""), line_(line), times_(times), started_(0), done_(false), starts_() {
    detail::ensure_initialised();
    if (times_ <= 0) times_ = detail::option_repeats();
    if (times_ < 1) times_ = 1;
    if (times_ > max_repetitions) times_ = max_repetitions;
}

repeat_check::~repeat_check() {
    if (!done_ && started_ == times_) check();
}

bool repeat_check::next() noexcept {
    if (started_ < times_) {
        starts_[started_++] = detail::begin_epoch();
        return true;
    }
    if (!done_) {
        starts_[times_] = detail::begin_epoch();
        check();
    }
    return false;
}

bool repeat_check::check() noexcept {
    if (done_) return true;
    done_ = true;
    if (started_ == 0) return true;
    if (starts_[started_] == 0) starts_[started_] = detail::begin_epoch();
    int const ran = started_;
    detail::block_list list;
    {
        detail::busy_section busy;
        list = detail::collect_live(detail::filter_for(starts_[0], 0, scope_rule::strict));
        detail::drop_suppressed(list);
        // Counted but not listed (memory ran out): no site can be cleared, the check fails.
        if (list.count && list.items) detail::keep_repeated_sites(list, starts_, ran);
    }
    if (list.count == 0) {
        detail::raw_free(list.items);
        return true;
    }
    scope_failure f = detail::failure_of(name_, file_, line_, list, scope_rule::strict);
    f.repetitions = ran;
    f.repetition_starts = starts_;
    detail::dispatch_failure(f);
    detail::raw_free(list.items);
    return false;
}

} // namespace leakguard

#endif
