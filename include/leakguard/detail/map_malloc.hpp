// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// map_malloc.hpp: with LEAKGUARD_MAP_MALLOC defined, malloc, calloc, realloc, free, strdup and
// strndup in the rest of the unit become tracked calls that record __FILE__ and __LINE__ (as
// _CRTDBG_MAP_ALLOC and memwatch do). Function-like macros: `free` used as a value (`&free`, a
// deleter) is not renamed and still reaches the C library's free, which leakguard's MAIN unit
// makes recognise tracked blocks (libc/interpose.hpp).
//
// The C headers that declare these functions are included first, so that their declarations are
// read before the names become macros. No include guard: <leakguard/map_pause.hpp> and
// <leakguard/map_resume.hpp> switch the macros off and on again around code that breaks with them.
#include <cstdlib>
#include <cstring>
#include <stdlib.h>
#include <string.h>
#if defined(__has_include)
#if __has_include(<malloc.h>)
#include <malloc.h>
#endif
#endif

#include "mapping.hpp"

#undef malloc
#undef calloc
#undef realloc
#undef free
#undef strdup
#undef strndup
#define malloc(size) leakguard_map_malloc((size), __FILE__, __LINE__)
#define calloc(count, size) leakguard_map_calloc((count), (size), __FILE__, __LINE__)
#define realloc(p, size) leakguard_map_realloc((p), (size), __FILE__, __LINE__)
#define free(p) leakguard_map_free((p), __FILE__, __LINE__)
#define strdup(s) leakguard_map_strdup((s), __FILE__, __LINE__)
#define strndup(s, n) leakguard_map_strndup((s), (n), __FILE__, __LINE__)
