// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// map_new.hpp: with LEAKGUARD_MAP_NEW defined, every new-expression in the rest of the unit
// records its __FILE__ and __LINE__:
//
//     new T(args)   becomes   leakguard_new_site(__FILE__, __LINE__) ->* new T(args)
//
// The site is applied to the pointer the unchanged new-expression returns, and only if that
// pointer is a block leakguard's operator new just handed out on this thread - so placement new,
// new (std::nothrow), new[], class-specific operator new and over-aligned types behave as without
// the macro (the classic `#define new new(__FILE__, __LINE__)` breaks all of them).
//
// What a `new` macro cannot survive: the token pair `operator new` (declaring or calling an
// operator new by name) after it, which no longer parses; and `::new`, which becomes a plain
// `new` (the same call unless the type has its own operator new). The standard headers that use
// either are included here first; wrap other code that does (a class with its own operator new)
// in <leakguard/map_pause.hpp> and <leakguard/map_resume.hpp>. No include guard, for the same
// reason as map_malloc.hpp.
#include <algorithm>
#include <deque>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <new>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <valarray>
#include <vector>
#if defined(__has_include)
#if __cplusplus >= 201703L && __has_include(<memory_resource>)
#include <any>
#include <memory_resource>
#include <optional>
#include <variant>
#endif
#endif

#include "mapping.hpp"

#ifndef LEAKGUARD_DETAIL_MAP_NEW_ENABLED
#define LEAKGUARD_DETAIL_MAP_NEW_ENABLED
namespace leakguard {
namespace detail {
namespace {
// Turns on the bookkeeping locate_new needs, before main() (once per unit that maps new).
__attribute__((used)) const bool new_sites_enabled = enable_new_sites();
} // namespace
} // namespace detail
} // namespace leakguard
#endif

#undef new
#if defined(__clang__) // a macro named like a keyword is the point here
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wkeyword-macro"
#endif
#define new leakguard_new_site(__FILE__, __LINE__)->*new
#if defined(__clang__)
#pragma clang diagnostic pop
#endif
