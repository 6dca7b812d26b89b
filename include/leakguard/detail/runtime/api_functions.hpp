// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// runtime/api_functions.hpp: the public functions of api.hpp.
#ifndef LEAKGUARD_DETAIL_RUNTIME_API_FUNCTIONS_HPP_INCLUDED
#define LEAKGUARD_DETAIL_RUNTIME_API_FUNCTIONS_HPP_INCLUDED

#include "../../api.hpp"
#include "../heap/registry.hpp"
#include "../heap/startup.hpp"
#include "../libc/ownership.hpp"
#include "../report/check_heap.hpp"
#include "../report/collect.hpp"
#include "../report/failures.hpp"
#include "../core/options.hpp"
#include "../report/exit_report.hpp"
#include "../report/stats.hpp"
#include "../report/suppressions.hpp"
#include "monitor.hpp"

namespace leakguard {

const char* kind_name(block_kind kind) noexcept {
    switch (kind) {
    case block_kind::new_scalar: return "new";
    case block_kind::new_array: return "new[]";
    case block_kind::new_scalar_aligned: return "new(align)";
    case block_kind::new_array_aligned: return "new[](align)";
    case block_kind::malloc: return "malloc";
    case block_kind::calloc: return "calloc";
    case block_kind::realloc: return "realloc";
    case block_kind::strdup: return "strdup";
    case block_kind::strndup: return "strndup";
    case block_kind::memalign: return "memalign";
    case block_kind::posix_memalign: return "posix_memalign";
    case block_kind::aligned_alloc: return "aligned_alloc";
    case block_kind::valloc: return "valloc";
    case block_kind::pvalloc: return "pvalloc";
    }
    return "unknown";
}

const char* leak_kind_name(leak_kind kind) noexcept {
    switch (kind) {
    case leak_kind::definite: return "definite";
    case leak_kind::indirect: return "indirect";
    case leak_kind::possible: return "possible";
    case leak_kind::reachable: return "reachable";
    case leak_kind::unchecked: return "unchecked";
    }
    return "unknown";
}

statistics stats() noexcept {
    detail::ensure_initialised();
    detail::busy_section busy;
    return detail::current_stats();
}

bool set_option(const char* key, const char* value) noexcept {
    detail::ensure_initialised();
    bool const ok = detail::apply_option(key, value, "leakguard::set_option");
    detail::apply_monitor_options(); // here, in the program's own call: a thread may be made
    return ok;
}

bool set_options(const char* list) noexcept {
    detail::ensure_initialised();
    bool const ok = detail::apply_option_list(list, "leakguard::set_options");
    detail::apply_monitor_options();
    return ok;
}

bool option_at(std::size_t index, option_info& out) noexcept {
    if (index >= detail::option_count) return false;
    detail::option_spec const& o = detail::option_table[index];
    out.name = o.name;
    detail::format_option_values(o, out.values, sizeof out.values);
    detail::format_option_default(o, out.default_value, sizeof out.default_value);
    out.help = o.help;
    return true;
}

bool ignore(const void* p) noexcept {
    if (!p) return false;
    // Any pointer of the program: nothing in front of one that starts a page is read unless it is
    // leakguard's (libc/ownership.hpp).
    if (detail::owner_of(p, false) != detail::ownership::live) return false;
    detail::block_header* h = detail::header_of(p);
    if (!(detail::flags_of(h) & detail::flag_linked)) return true; // never reported anyway
    detail::shard* s = detail::g_registry.shards[detail::shard_of(h)];
    if (s == detail::t_state.home) {
        bool const locked = detail::owner_enter(s);
        detail::add_flags(h, detail::flag_ignored);
        detail::owner_exit(s, locked);
    } else {
        detail::lock_shard(s);
        detail::add_flags(h, detail::flag_ignored);
        detail::unlock_shard(s);
    }
    return true;
}

void begin_ignore() noexcept { ++detail::t_state.ignore_depth; }
void end_ignore() noexcept {
    if (detail::t_state.ignore_depth > 0) --detail::t_state.ignore_depth;
}

std::size_t live_blocks(block_info* out, std::size_t max) noexcept {
    detail::busy_section busy;
    detail::block_filter const all = {0, 0, false, false};
    return detail::copy_live(all, out, max);
}

// Out of line: see LEAKGUARD_DETAIL_CAPTURE_CALLER.
LEAKGUARD_DETAIL_NOINLINE std::size_t report_now() noexcept {
    detail::caller_context self;
    LEAKGUARD_DETAIL_CAPTURE_CALLER(self);
    detail::ensure_initialised();
    detail::busy_section busy;
    return detail::write_report("now", &self).leaked_blocks;
}

// Out of line: see LEAKGUARD_DETAIL_CAPTURE_CALLER.
LEAKGUARD_DETAIL_NOINLINE leak_check_result check_leaks() noexcept {
    detail::caller_context self;
    LEAKGUARD_DETAIL_CAPTURE_CALLER(self);
    detail::ensure_initialised();
    detail::busy_section busy;
    detail::reach_totals t;
    if (detail::suppressions_loaded()) { // the blocks must be named to be matched: the report's way
        detail::block_list list = detail::collect_checked(self, t);
        detail::suppress_checked(list, t, false);
        detail::raw_free(list.items);
    } else {
        t = detail::run_leak_check(self, [](const detail::block_header&, leak_kind, std::size_t) {});
    }
    detail::block_totals const failing = detail::failing_totals(t);
    leak_check_result r;
    r.definite = leak_totals{t.blocks[1], t.bytes[1]};
    r.indirect = leak_totals{t.blocks[2], t.bytes[2]};
    r.possible = leak_totals{t.blocks[3], t.bytes[3]};
    r.reachable = leak_totals{t.blocks[4], t.bytes[4]};
    r.leaked_blocks = failing.blocks;
    r.leaked_bytes = failing.bytes;
    r.unpaused_threads = t.unpaused_threads;
    r.suppressed = leak_totals{t.suppressed_blocks, t.suppressed_bytes};
    return r;
}

bool register_root_region(const void* p, std::size_t size) noexcept { return detail::add_root_region(p, size); }
bool unregister_root_region(const void* p, std::size_t size) noexcept { return detail::remove_root_region(p, size); }

bool check_heap() noexcept {
    detail::ensure_initialised();
    return detail::check_heap_now() == 0;
}

std::size_t scope_failures() noexcept { return detail::failure_count(); }

void reset_scope_failures() noexcept {
    detail::lock_guard hold(detail::g_failures.lock);
    detail::g_failures.count = 0;
}

} // namespace leakguard

#endif
