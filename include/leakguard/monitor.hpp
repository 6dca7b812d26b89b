// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// monitor.hpp: the per-site report of a long-running program, on demand (docs/monitor.md). The
// monitor writes the same report by itself every monitor_interval seconds, and on dump_signal.
// Everything here is defined once, in the translation unit that defines LEAKGUARD_MAIN.
#ifndef LEAKGUARD_MONITOR_HPP_INCLUDED
#define LEAKGUARD_MONITOR_HPP_INCLUDED

namespace leakguard {

// Appends one monitor report now - the sites by live bytes, with their counters, change since the
// last report and growth - as one JSON line to the monitor_path option's file (default
// leakguard-monitor.%p.jsonl), or to `path` (%p: the process id). From the first call on, the
// allocations and frees of each site are counted. Returns false when the file cannot be written.
bool write_profile() noexcept;
bool write_profile(const char* path) noexcept;

} // namespace leakguard

#endif // LEAKGUARD_MONITOR_HPP_INCLUDED
