// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// config.hpp: compiler and platform detection, and the small internal macros the rest uses.
#ifndef LEAKGUARD_DETAIL_CONFIG_HPP_INCLUDED
#define LEAKGUARD_DETAIL_CONFIG_HPP_INCLUDED

#include <cstddef> // std::size_t

#if !defined(__GNUC__) && !defined(__clang__)
#error "leakguard needs GCC or Clang (it uses __builtin_return_address and GNU attributes)"
#endif

#if !defined(__unix__) && !defined(__APPLE__)
#error "leakguard supports POSIX platforms (Linux with glibc is the tested one)"
#endif

#define LEAKGUARD_DETAIL_CAT2(a, b) a##b
#define LEAKGUARD_DETAIL_CAT(a, b) LEAKGUARD_DETAIL_CAT2(a, b)
#define LEAKGUARD_DETAIL_UNIQUE(prefix) LEAKGUARD_DETAIL_CAT(prefix, __LINE__)

#define LEAKGUARD_DETAIL_NOINLINE __attribute__((noinline))
#define LEAKGUARD_DETAIL_ALWAYS_INLINE inline __attribute__((always_inline))
#define LEAKGUARD_DETAIL_LIKELY(x) __builtin_expect(!!(x), 1)
#define LEAKGUARD_DETAIL_UNLIKELY(x) __builtin_expect(!!(x), 0)

// The ownership test reads the 8 bytes in front of a pointer that may not be leakguard's, or that
// was freed (a double free). glibc keeps those bytes readable; AddressSanitizer's and
// ThreadSanitizer's allocators do too (a chunk header), but flag the read, so that one read is
// exempt from their checks.
#define LEAKGUARD_DETAIL_NO_SANITIZE_MEMORY __attribute__((no_sanitize("address", "thread")))

// Aligned new (C++17) is replaced only when the compiler offers it.
#if defined(__cpp_aligned_new) && __cpp_aligned_new >= 201606L
#define LEAKGUARD_DETAIL_ALIGNED_NEW 1
#else
#define LEAKGUARD_DETAIL_ALIGNED_NEW 0
#endif

// Sanitizers that bring their own allocator, as far as the compiler tells (LeakSanitizer alone
// does not say: see LEAKGUARD_NO_INTERPOSE below).
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define LEAKGUARD_DETAIL_SANITIZER_ALLOCATOR 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer) ||          \
    __has_feature(hwaddress_sanitizer)
#define LEAKGUARD_DETAIL_SANITIZER_ALLOCATOR 1
#endif
#endif
#ifndef LEAKGUARD_DETAIL_SANITIZER_ALLOCATOR
#define LEAKGUARD_DETAIL_SANITIZER_ALLOCATOR 0
#endif

// On glibc the LEAKGUARD_MAIN unit defines free/realloc/reallocarray/malloc_usable_size so that
// tracked C blocks can be released by code that does not see the malloc mapping (see
// libc/interpose.hpp), and with LEAKGUARD_DETAIL_INTERPOSE_ALLOC (below) the allocating ones.
// Not under a sanitizer, whose runtime frees through `free` before it is set up.
// -DLEAKGUARD_NO_INTERPOSE turns it off (static linking and -fsanitize=leak need that).
#if defined(__linux__) && defined(__GLIBC__) && !defined(LEAKGUARD_NO_INTERPOSE) &&                                    \
    !LEAKGUARD_DETAIL_SANITIZER_ALLOCATOR
#define LEAKGUARD_DETAIL_INTERPOSE 1
#else
#define LEAKGUARD_DETAIL_INTERPOSE 0
#endif

// With LEAKGUARD_DETAIL_INTERPOSE, the allocating functions of the malloc family too (malloc,
// calloc, memalign, posix_memalign, aligned_alloc, valloc, pvalloc; realloc of NULL), so that
// every block C code and the libraries allocate is tracked (libc/interpose_alloc.hpp) and the
// leak check sees every pointer the heap holds (docs/leak-kinds.md). What the C library keeps for
// good is still reachable, not lost. Defining it to 0 keeps only the pointer-taking functions
// (free, realloc, reallocarray, malloc_usable_size), as before the leak check existed.
#ifndef LEAKGUARD_DETAIL_INTERPOSE_ALLOC
#define LEAKGUARD_DETAIL_INTERPOSE_ALLOC 1
#endif
#if !LEAKGUARD_DETAIL_INTERPOSE
#undef LEAKGUARD_DETAIL_INTERPOSE_ALLOC
#define LEAKGUARD_DETAIL_INTERPOSE_ALLOC 0
#endif

#if defined(__cpp_exceptions) || defined(__EXCEPTIONS)
#define LEAKGUARD_DETAIL_EXCEPTIONS 1
#else
#define LEAKGUARD_DETAIL_EXCEPTIONS 0
#endif

#endif
