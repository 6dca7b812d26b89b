// DO NOT EDIT: generated from include/leakguard/map_resume.hpp by tools/amalgamate.py.
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// map_resume.hpp: restores the mapping macros that the matching <leakguard/map_pause.hpp> saved.
#pragma pop_macro("strndup")
#pragma pop_macro("strdup")
#pragma pop_macro("free")
#pragma pop_macro("realloc")
#pragma pop_macro("calloc")
#pragma pop_macro("malloc")
#pragma pop_macro("new")
