// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// detail/upward_calls.hpp: the few calls that go up the layers, declared in one place.
//
// Includes run one way (runtime -> report, libc -> heap -> capture, symbolize -> core -> config;
// runtime/main.hpp includes the layers in that order). A handful of lower-layer functions must
// still call something a higher layer defines: a thread's exit empties its recycler, start-up
// installs the fork handlers, the options' summary for the hot path counts the tail guard in the
// record's units, a heap error is printed by the report. Their declarations live here, so a reader
// sees every upward edge in one file; each names the file that defines it.
#ifndef LEAKGUARD_DETAIL_UPWARD_CALLS_HPP_INCLUDED
#define LEAKGUARD_DETAIL_UPWARD_CALLS_HPP_INCLUDED

namespace leakguard {
namespace detail {

struct error_record;

// heap/registry.hpp -> heap/recycler.hpp: a thread's cache of released blocks is emptied at its exit.
inline void drop_recycled() noexcept;
// core/options.hpp -> heap/guards.hpp: the hot word keeps the tail guard in the record's units.
inline unsigned guard_units_for(int guard_bytes) noexcept;
// heap/startup.hpp -> runtime/fork.hpp: start-up installs the fork handlers.
inline void install_fork_handlers() noexcept;
// core/options.hpp -> runtime/monitor.hpp: a monitor option set starts, stops or wakes the monitor.
inline void monitor_options_changed() noexcept;
// heap/allocate.hpp -> runtime/monitor.hpp: the monitor thread is started from the general path of
// an allocation by the program's own code, a safe place to create a thread.
void start_pending_monitor() noexcept;
// heap/errors.hpp -> report/error_report.hpp: a heap error is printed where it is found.
void print_error(const error_record& e) noexcept;

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_UPWARD_CALLS_HPP_INCLUDED
