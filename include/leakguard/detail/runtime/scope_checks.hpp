// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// runtime/scope_checks.hpp: leakguard::scope - its start number, its checks, and the failure handler.
#ifndef LEAKGUARD_DETAIL_RUNTIME_SCOPE_CHECKS_HPP_INCLUDED
#define LEAKGUARD_DETAIL_RUNTIME_SCOPE_CHECKS_HPP_INCLUDED

#include <atomic> // std::atomic

#include "../../scope.hpp"
#include "../core/report_stream.hpp"
#include "../heap/registry.hpp"
#include "../heap/startup.hpp"
#include "../report/collect.hpp"
#include "../report/failures.hpp"
#include "../core/platform.hpp"
#include "../core/text.hpp"
#include "../report/group_text.hpp"
#include "../report/suppressions.hpp"

namespace leakguard {
namespace detail {

std::atomic<scope_failure_handler> g_scope_failure_handler{};

constexpr std::size_t max_leaks_shown = 256;

// A strict scope leaves out the C library's own blocks (collect.hpp: unmapped_c_block); a lost
// scope judges every block, as the exit report does - a buffer the C library keeps is reachable.
inline block_filter filter_for(std::uint64_t start, std::uint32_t thread, scope_rule rule) noexcept {
    return block_filter{start, thread, false, rule == scope_rule::strict && LEAKGUARD_DETAIL_INTERPOSE_ALLOC != 0};
}

// A failed scope (or repeat check) with its blocks, `list`, which the caller keeps until the
// handler has returned.
inline scope_failure failure_of(const char* name, const char* file, int line, const block_list& list,
                                scope_rule rule) noexcept {
    scope_failure f;
    f.name = name;
    f.file = file;
    f.line = line;
    f.leaked_blocks = list.count;
    f.leaked_bytes = list.bytes;
    f.leaks = list.items;
    f.leaks_shown = !list.items ? 0 : list.count < max_leaks_shown ? list.count : max_leaks_shown;
    f.rule = rule;
    f.repetitions = 0;
    f.repetition_starts = nullptr;
    return f;
}

// Records a failure (JSON report, exit status) and hands it to the handler, or prints it.
inline void dispatch_failure(const scope_failure& f) noexcept {
    record_failure(f.name, f.file, f.line, f.leaked_blocks, f.leaked_bytes, f.rule);
    scope_failure_handler handler = g_scope_failure_handler.load(std::memory_order_acquire);
    if (handler) handler(f); // user code: tracking stays on, its allocations are its own
    else print_scope_failure(f);
}

// A scope's failing blocks, oldest first (raw memory): every block alive, or those a leak check
// finds lost - less those a suppression matches. A check that ran out of memory judges strictly,
// and says so.
inline block_list scope_blocks(const block_filter& filter, scope_rule rule, const caller_context& self,
                               const char* name, scope_rule* judged = nullptr) noexcept {
    busy_section busy;
    block_list list = {nullptr, 0, 0};
    bool complete = true;
    if (rule == scope_rule::lost) list = collect_lost(filter, self, complete);
    if (!complete)
        fd_writer(report_fd())
            .printf("leakguard: the leak check for scope \"%s\" ran out of memory; every block allocated inside it "
                    "and still alive counts\n",
                    name);
    if (rule == scope_rule::strict || !complete) list = collect_live(filter);
    if (judged) *judged = complete ? rule : scope_rule::strict; // the failure says which rule judged
    drop_suppressed(list);
    return list;
}

// Whether a scope's blocks must be listed to be judged: a lost scope's always (a leak check
// judges them), a strict scope's when a suppression could take some out.
inline bool scope_needs_list(scope_rule rule) noexcept { return rule == scope_rule::lost || suppressions_loaded(); }

// The count and bytes of a scope's failing blocks.
inline block_totals scope_totals(const block_filter& filter, scope_rule rule, const caller_context& self,
                                 const char* name) noexcept {
    if (!scope_needs_list(rule)) {
        busy_section busy;
        return count_live(filter);
    }
    block_list const list = scope_blocks(filter, rule, self, name);
    raw_free(list.items);
    return block_totals{list.count, list.bytes};
}

} // namespace detail

scope_rule whole_test_rule() noexcept { return detail::option_test_checks(); }

scope::scope(const char* file, int line, const char* name, threads which, scope_rule rule) noexcept
    : file_(file), name_(name ? name : ""), line_(line), which_(which), rule_(rule), done_(false), thread_(0),
      start_(0), uncaught_(0) {
    detail::ensure_initialised();
#if defined(__cpp_lib_uncaught_exceptions) && __cpp_lib_uncaught_exceptions >= 201411L
    uncaught_ = std::uncaught_exceptions();
#endif
    if (which_ == this_thread) {
        // The thread needs its number (and shard) now, to tell its blocks from the others'.
        if (!detail::t_state.home) detail::acquire_home_shard();
        thread_ = detail::t_state.thread;
    }
    start_ = detail::begin_epoch();
}

scope::~scope() {
    if (!done_ && !leaving_by_exception()) check();
}

// The queries and the check are out of line and capture their caller first: the calling thread's
// roots for a leak check (see LEAKGUARD_DETAIL_CAPTURE_CALLER).
LEAKGUARD_DETAIL_NOINLINE std::size_t scope::leaked_blocks() const noexcept {
    detail::caller_context self;
    LEAKGUARD_DETAIL_CAPTURE_CALLER(self);
    return detail::scope_totals(detail::filter_for(start_, thread_, rule_), rule_, self, name_).blocks;
}

LEAKGUARD_DETAIL_NOINLINE std::size_t scope::leaked_bytes() const noexcept {
    detail::caller_context self;
    LEAKGUARD_DETAIL_CAPTURE_CALLER(self);
    return detail::scope_totals(detail::filter_for(start_, thread_, rule_), rule_, self, name_).bytes;
}

LEAKGUARD_DETAIL_NOINLINE std::size_t scope::leaks(block_info* out, std::size_t max) const noexcept {
    detail::caller_context self;
    LEAKGUARD_DETAIL_CAPTURE_CALLER(self);
    if (!detail::scope_needs_list(rule_)) {
        detail::busy_section busy;
        return detail::copy_live(detail::filter_for(start_, thread_, rule_), out, max);
    }
    detail::block_list const list =
        detail::scope_blocks(detail::filter_for(start_, thread_, rule_), rule_, self, name_);
    for (std::size_t i = 0; list.items && i < list.count && i < max; ++i) out[i] = list.items[i];
    detail::raw_free(list.items);
    return list.count;
}

LEAKGUARD_DETAIL_NOINLINE bool scope::check() noexcept {
    detail::caller_context self;
    LEAKGUARD_DETAIL_CAPTURE_CALLER(self);
    done_ = true;
    scope_rule judged = rule_;
    detail::block_list list =
        detail::scope_blocks(detail::filter_for(start_, thread_, rule_), rule_, self, name_, &judged);
    if (list.count == 0) {
        detail::raw_free(list.items);
        return true;
    }
    detail::dispatch_failure(detail::failure_of(name_, file_, line_, list, judged));
    detail::raw_free(list.items);
    return false;
}

scope_failure_handler set_scope_failure_handler(scope_failure_handler handler) noexcept {
    return detail::g_scope_failure_handler.exchange(handler, std::memory_order_acq_rel);
}

void print_scope_failure(const scope_failure& f) noexcept {
    detail::busy_section busy;
    detail::fd_writer out(detail::report_fd());
    detail::write_failure_summary(out, f, true);
    out.put("\n");
    detail::write_failure_groups(out, f, detail::report_layout);
    detail::write_debug_notes(out);
}

} // namespace leakguard

#endif
