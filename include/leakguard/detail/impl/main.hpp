// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// impl/main.hpp: everything the LEAKGUARD_MAIN translation unit emits, in dependency order.
#ifndef LEAKGUARD_DETAIL_IMPL_MAIN_HPP_INCLUDED
#define LEAKGUARD_DETAIL_IMPL_MAIN_HPP_INCLUDED

#include "platform.hpp"
#include "locations.hpp"
#include "block.hpp"
#include "registry.hpp"
#include "stack_capture.hpp"
#include "stack_table.hpp"
#include "options.hpp"
#include "errors.hpp"
#include "guards.hpp"
#include "block_errors.hpp"
#include "recycler.hpp"
#include "quarantine.hpp"
#include "allocator.hpp"
#include "collect.hpp"
#include "elf_symbols.hpp"
#include "dwarf_lines.hpp"
#include "symbolize.hpp"
#include "stack_site.hpp"
#include "failures.hpp"
#include "stats_impl.hpp"
#include "report.hpp"
#include "error_report.hpp"
#include "fork.hpp"
#include "check_heap.hpp"
#include "scope_impl.hpp"
#include "api_impl.hpp"
#include "exit_hook.hpp"
#include "operators.hpp"
#include "c_alloc.hpp"
#include "map_impl.hpp"
#include "interpose.hpp"

// The symbol every unit that includes leakguard refers to (see link_check.hpp).
extern "C" {
int leakguard_error_define_LEAKGUARD_MAIN_in_exactly_one_translation_unit = 1;
}

#endif
