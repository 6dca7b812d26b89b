// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// snapshot.hpp: checkpoints and what is new since one - the MSVC CRT's _CrtMemCheckpoint,
// _CrtMemDumpAllObjectsSince and _CrtMemDifference, exact by sequence number (docs/usage.md:
// "Snapshots"). Everything here is defined once, in the translation unit that defines LEAKGUARD_MAIN.
#ifndef LEAKGUARD_SNAPSHOT_HPP_INCLUDED
#define LEAKGUARD_SNAPSHOT_HPP_INCLUDED

#include <cstddef> // std::size_t
#include <cstdint> // std::uint64_t, std::int64_t

namespace leakguard {

// A checkpoint. Every block allocated after snapshot_now() returned (in any thread that could know
// it had returned) has a sequence number of at least `seq`, every block allocated before it a
// smaller one. The counters are stats() at the time. A value-initialised snapshot{} is the
// program's start: seq 0, every counter 0.
struct snapshot {
    std::uint64_t seq;
    std::uint64_t allocations;
    std::uint64_t frees;
    std::uint64_t live_blocks;
    std::uint64_t live_bytes;
    std::uint64_t time_ns; // CLOCK_MONOTONIC, in nanoseconds
};
snapshot snapshot_now() noexcept;

// Writes to the report stream the blocks allocated since `s` that are still alive, grouped by
// allocation site as the exit report groups them (the same lines, sequence numbers and stacks; no
// leak check: "new and still here", not "lost"), under a summary line. Returns how many there are.
// By sequence number, not by counts: freeing an older block does not hide a newer one. Ignored
// blocks and the C library's own (those a strict scope leaves out) are not listed. The report
// option: `off` writes nothing, `summary` only the summary line.
std::size_t report_since(const snapshot& s) noexcept;

// What changed between two snapshots (in either order: `a` is taken as the earlier).
struct snapshot_diff {
    // Exact, by sequence number: the blocks allocated between the two (a.seq <= seq < b.seq) that
    // are alive now - now, not at b: what was freed after b is not counted - and their sites.
    std::size_t blocks;
    std::size_t bytes;
    std::size_t sites;
    // The counters' differences (b minus a): every allocation and free between the two, whenever
    // the freed block was made. Here an older block freed and a new one allocated do cancel.
    std::int64_t allocations;
    std::int64_t frees;
    std::int64_t live_blocks;
    std::int64_t live_bytes;
};
// Computes the difference; writes nothing.
snapshot_diff diff(const snapshot& a, const snapshot& b) noexcept;
// The same, and writes it as report_since does: a summary line, then the blocks counted in
// `blocks`, grouped by site.
snapshot_diff report_diff(const snapshot& a, const snapshot& b) noexcept;

// The blocks report_since lists, as a JSON document at `path` (%p: the process id): a "snapshot"
// object, a "summary" and a "leaks" array of the exit report's form (docs/report-format.md).
// Returns false when the file cannot be written.
bool write_since_json(const snapshot& s, const char* path) noexcept;

} // namespace leakguard

#endif // LEAKGUARD_SNAPSHOT_HPP_INCLUDED
