// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// version.hpp: the library's version, as numbers and as a string.
#ifndef LEAKGUARD_DETAIL_VERSION_HPP_INCLUDED
#define LEAKGUARD_DETAIL_VERSION_HPP_INCLUDED

#define LEAKGUARD_VERSION_MAJOR 0
#define LEAKGUARD_VERSION_MINOR 1
#define LEAKGUARD_VERSION_PATCH 0
#define LEAKGUARD_VERSION_STRING "0.1.0"

#endif
