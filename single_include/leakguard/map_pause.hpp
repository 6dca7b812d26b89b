// DO NOT EDIT: generated from include/leakguard/map_pause.hpp by tools/amalgamate.py.
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// map_pause.hpp: switches the mapping macros (LEAKGUARD_MAP_MALLOC, LEAKGUARD_MAP_NEW) off until
// <leakguard/map_resume.hpp>. Pairs nest: each saves the macros' current definitions.
//
//     #include <leakguard/map_pause.hpp>
//     #include <third_party/pool.h>       // declares its own operator new and a free() method
//     #include <leakguard/map_resume.hpp>
#pragma push_macro("new")
#pragma push_macro("malloc")
#pragma push_macro("calloc")
#pragma push_macro("realloc")
#pragma push_macro("free")
#pragma push_macro("strdup")
#pragma push_macro("strndup")
#undef new
#undef malloc
#undef calloc
#undef realloc
#undef free
#undef strdup
#undef strndup
