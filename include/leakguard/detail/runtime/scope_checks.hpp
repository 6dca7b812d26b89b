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

namespace leakguard {
namespace detail {

std::atomic<scope_failure_handler> g_scope_failure_handler{};

constexpr std::size_t max_leaks_shown = 256;

inline block_filter filter_for(std::uint64_t start, std::uint32_t thread) noexcept {
    return block_filter{start, thread, false, LEAKGUARD_DETAIL_INTERPOSE_ALLOC != 0};
}

} // namespace detail

scope::scope(const char* file, int line, const char* name, threads which) noexcept
    : file_(file), name_(name ? name : ""), line_(line), which_(which), done_(false), thread_(0), start_(0),
      uncaught_(0) {
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

std::size_t scope::leaked_blocks() const noexcept {
    detail::busy_section busy;
    return detail::count_live(detail::filter_for(start_, thread_)).blocks;
}

std::size_t scope::leaked_bytes() const noexcept {
    detail::busy_section busy;
    return detail::count_live(detail::filter_for(start_, thread_)).bytes;
}

std::size_t scope::leaks(block_info* out, std::size_t max) const noexcept {
    detail::busy_section busy;
    return detail::copy_live(detail::filter_for(start_, thread_), out, max);
}

bool scope::check() noexcept {
    done_ = true;
    detail::block_list list;
    {
        detail::busy_section busy;
        list = detail::collect_live(detail::filter_for(start_, thread_));
    }
    if (list.count == 0) {
        detail::raw_free(list.items);
        return true;
    }
    detail::record_failure(name_, file_, line_, list.count, list.bytes);
    scope_failure f;
    f.name = name_;
    f.file = file_;
    f.line = line_;
    f.leaked_blocks = list.count;
    f.leaked_bytes = list.bytes;
    f.leaks = list.items;
    f.leaks_shown = list.count < detail::max_leaks_shown ? list.count : detail::max_leaks_shown;
    scope_failure_handler handler = detail::g_scope_failure_handler.load(std::memory_order_acquire);
    if (handler) {
        handler(f); // user code: tracking stays on, its allocations are its own
    } else {
        print_scope_failure(f);
    }
    detail::raw_free(list.items);
    return false;
}

scope_failure_handler set_scope_failure_handler(scope_failure_handler handler) noexcept {
    return detail::g_scope_failure_handler.exchange(handler, std::memory_order_acq_rel);
}

void print_scope_failure(const scope_failure& f) noexcept {
    detail::busy_section busy;
    detail::fd_writer out(detail::report_fd());
    out.printf("leakguard: scope \"%s\" (%s:%d) ended with %zu %s (%zu bytes) allocated inside it still alive\n",
               f.name, f.file, f.line, f.leaked_blocks, detail::plural(f.leaked_blocks, "block", "blocks"),
               f.leaked_bytes);
    detail::write_failure_groups(out, f, detail::report_layout);
}

} // namespace leakguard

#endif
