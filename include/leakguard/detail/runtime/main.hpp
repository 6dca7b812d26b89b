// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// runtime/main.hpp: everything the LEAKGUARD_MAIN translation unit emits, in dependency order.
#ifndef LEAKGUARD_DETAIL_RUNTIME_MAIN_HPP_INCLUDED
#define LEAKGUARD_DETAIL_RUNTIME_MAIN_HPP_INCLUDED

#include "../core/platform.hpp"
#include "../capture/locations.hpp"
#include "../heap/block.hpp"
#include "../heap/registry.hpp"
#include "../capture/stack_capture.hpp"
#include "../capture/stack_table.hpp"
#include "../core/report_stream.hpp"
#include "../core/glob.hpp"
#include "../core/suppression_parse.hpp"
#include "../core/suppression_files.hpp"
#include "../core/sarif_paths.hpp"
#include "../core/options.hpp"
#include "../heap/errors.hpp"
#include "../heap/guards.hpp"
#include "../heap/recycler.hpp"
#include "../heap/quarantine.hpp"
#include "../heap/block_errors.hpp"
#include "../heap/startup.hpp"
#include "../heap/allocate.hpp"
#include "../heap/new_sites.hpp"
#include "../heap/release.hpp"
#include "../core/pages.hpp"
#include "../reach/memory_map.hpp"
#include "../reach/thread_pause.hpp"
#include "../reach/block_index.hpp"
#include "../reach/heuristics.hpp"
#include "../reach/marker.hpp"
#include "../reach/root_regions.hpp"
#include "../reach/roots.hpp"
#include "../reach/leak_check.hpp"
#include "../reach/exit_frames.hpp"
#include "../report/collect.hpp"
#include "../symbolize/elf_symbols.hpp"
#include "../symbolize/dwarf_lines.hpp"
#include "../symbolize/dwarf_inlines.hpp"
#include "../symbolize/dwarf_units.hpp"
#include "../symbolize/debug_files.hpp"
#include "../symbolize/symbolize.hpp"
#include "../symbolize/site_rules.hpp"
#include "../report/failures.hpp"
#include "../report/stats.hpp"
#include "../report/site_text.hpp"
#include "../report/leak_groups.hpp"
#include "../report/loss_records.hpp"
#include "../report/group_text.hpp"
#include "../report/json_writer.hpp"
#include "../report/error_report.hpp"
#include "../report/suppression_match.hpp"
#include "../report/suppressions.hpp"
#include "../report/json_report.hpp"
#include "../report/text_report.hpp"
#include "../core/uri.hpp"
#include "../report/sarif_report.hpp"
#include "../report/snapshot_report.hpp"
#include "../capture/site_counts.hpp"
#include "../report/site_profile.hpp"
#include "../report/exit_report.hpp"
#include "monitor.hpp"
#include "fork.hpp"
#include "../report/check_heap.hpp"
#include "scope_checks.hpp"
#include "repeat_checks.hpp"
#include "api_functions.hpp"
#include "snapshot_functions.hpp"
#include "exit_hook.hpp"
#include "../heap/operators.hpp"
#include "../libc/ownership.hpp"
#include "../libc/c_alloc.hpp"
#include "../libc/mapped_calls.hpp"
#include "../libc/interpose.hpp"
#include "../libc/interpose_alloc.hpp"
#include "../libc/interpose_dlclose.hpp"

// The guard_bytes option's range (core/options.hpp) is the longest tail guard the block record
// holds (heap/block.hpp); checked here, where both are seen.
static_assert(leakguard::detail::max_guard_bytes_option == leakguard::detail::max_guard_bytes,
              "guard_bytes: the options table and the block record disagree on the longest guard");

// The symbol every unit that includes leakguard refers to (see link_check.hpp).
extern "C" {
int LEAKGUARD_DETAIL_LINK_CHECK_SYMBOL = 1;
}

#endif
