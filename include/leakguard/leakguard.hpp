// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
//
// Do this:
//     #define LEAKGUARD_MAIN
//     #include <leakguard/leakguard.hpp>
// in exactly ONE C++ file of the program (it emits the replacement operator new/delete and the
// tracker's state; it does not define main). Every other file just includes the header. That file
// is one of its own or one of an executable's own sources, never a static library member that
// holds main() or anything else; or, with CMake, link leakguard::main and define it nowhere.
//
//     void test_parser() {
//         LEAKGUARD_SCOPE("parser");   // blocks allocated from here and alive at the end = failure
//         Parser p; p.parse(text);
//     }
//
// At exit the blocks still alive are reported (grouped by allocation site) and the exit status
// becomes 23 (LEAKGUARD_OPTIONS=exitcode=N). See docs/options.md and docs/limits.md.
//
// Optionally, before the include, in any file:
//     #define LEAKGUARD_MAP_MALLOC   // malloc/calloc/realloc/free/strdup/strndup record file:line
//     #define LEAKGUARD_MAP_NEW      // new-expressions record file:line
#ifndef LEAKGUARD_LEAKGUARD_HPP_INCLUDED
#define LEAKGUARD_LEAKGUARD_HPP_INCLUDED

#include "detail/config.hpp"
#include "detail/version.hpp"
#include "block_info.hpp"
#include "api.hpp"
#include "snapshot.hpp"
#include "monitor.hpp"
#include "scope.hpp"
#include "repeat.hpp"
#include "detail/link_check.hpp"
#include "detail/mapping.hpp"

#endif // LEAKGUARD_LEAKGUARD_HPP_INCLUDED

// The implementation, once per program. Outside the include guard, so that a unit may include
// leakguard first and define LEAKGUARD_MAIN before a later include (an adapter header, say).
#if defined(LEAKGUARD_MAIN) && !defined(LEAKGUARD_DETAIL_IMPLEMENTED)
#define LEAKGUARD_DETAIL_IMPLEMENTED
#include "map_pause.hpp" // the implementation is compiled without the mapping macros
#include "detail/runtime/main.hpp"
#include "map_resume.hpp"
#endif

// The mapping macros, where asked for (re-included each time: see map_pause.hpp).
#if defined(LEAKGUARD_MAP_MALLOC)
#include "detail/map_malloc.hpp"
#endif
#if defined(LEAKGUARD_MAP_NEW)
#include "detail/map_new.hpp"
#endif
