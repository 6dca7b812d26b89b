// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// core/libc_functions.hpp: the C library's own allocator - free/realloc/malloc_usable_size, and
// with every C allocation tracked malloc/calloc/memalign too.
//
// On glibc the LEAKGUARD_MAIN unit defines the program's `free`, `realloc`, `reallocarray` and
// `malloc_usable_size` (libc/interpose.hpp) so that a tracked block reaching them from code that
// does not see the malloc mapping (the C library, another unit, a shared library) is released
// correctly; with LEAKGUARD_DETAIL_INTERPOSE_ALLOC it defines `malloc`, `calloc` and the aligned
// forms as well (libc/interpose_alloc.hpp), and leakguard's own raw memory (core/platform.hpp)
// must then come from the allocator those hide, never from them. Everything that is not
// leakguard's goes on to the definition that ours hides, found here:
//   1. a sanitizer runtime's interceptor (__interceptor_free, ___interceptor_free from LLVM 17):
//      its `free` is a weak alias that ours replaces, and when the runtime is linked statically
//      the "next" free would be glibc's, which must never see the sanitizer's memory (interposition
//      is off under the sanitizers the compiler announces; this is for -fsanitize=leak);
//   2. otherwise the next definition in lookup order, dlsym(RTLD_NEXT): glibc's, or that of an
//      allocator loaded with LD_PRELOAD (jemalloc, tcmalloc), or gcc's shared sanitizer runtime;
//   3. while that lookup runs (dlsym may itself allocate or free), glibc's exported __libc_free,
//      __libc_realloc, __libc_malloc, __libc_calloc, __libc_memalign. The lookup runs at the
//      first call, which is the process's first malloc when leakguard defines malloc: inside the
//      C library's or the C++ runtime's initialisation, single-threaded.
// The lookup also finds which allocator that is: glibc's or another (core/heap_kind.hpp).
#ifndef LEAKGUARD_DETAIL_CORE_LIBC_FUNCTIONS_HPP_INCLUDED
#define LEAKGUARD_DETAIL_CORE_LIBC_FUNCTIONS_HPP_INCLUDED

#include <atomic>  // std::atomic
#include <cstddef> // std::size_t
#include <cstdlib> // std::free, std::realloc

#include "../config.hpp"
#include "heap_kind.hpp"
#include "inside_marks.hpp"

#if LEAKGUARD_DETAIL_INTERPOSE
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1 // RTLD_NEXT
#endif
#include <dlfcn.h> // dlsym
#if LEAKGUARD_DETAIL_INTERPOSE_ALLOC
// memalign and pvalloc, which libc/interpose_alloc.hpp defines: declared before any definition of
// the malloc family here, as the C library declares them.
#include <malloc.h>
#endif

// glibc's own names for its functions (exported, GLIBC_2.2.5).
extern "C" {
void __libc_free(void*) noexcept;                  // NOLINT(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp)
void* __libc_realloc(void*, std::size_t) noexcept; // NOLINT(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp)
#if LEAKGUARD_DETAIL_INTERPOSE_ALLOC
// NOLINTBEGIN(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp)
void* __libc_malloc(std::size_t) noexcept;
void* __libc_calloc(std::size_t, std::size_t) noexcept;
void* __libc_memalign(std::size_t, std::size_t) noexcept;
__attribute__((weak)) void* __interceptor_malloc(std::size_t);
__attribute__((weak)) void* ___interceptor_malloc(std::size_t);
__attribute__((weak)) void* __interceptor_calloc(std::size_t, std::size_t);
__attribute__((weak)) void* ___interceptor_calloc(std::size_t, std::size_t);
__attribute__((weak)) void* __interceptor_memalign(std::size_t, std::size_t);
__attribute__((weak)) void* ___interceptor_memalign(std::size_t, std::size_t);
// NOLINTEND(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp)
#endif
// A sanitizer runtime's own functions, when one is linked or preloaded (weak: null otherwise).
// Found by the dynamic linker at load time: looking them up with dlsym would itself free memory,
// before the runtime is set up.
__attribute__((weak)) void
__interceptor_free(void*); // NOLINT(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp)
__attribute__((weak)) void*
__interceptor_realloc(void*, std::size_t); // NOLINT(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp)
__attribute__((weak)) void
___interceptor_free(void*); // NOLINT(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp)
__attribute__((weak)) void*
___interceptor_realloc(void*, std::size_t); // NOLINT(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp)
}
#endif

namespace leakguard {
namespace detail {

using free_function = void (*)(void*);
using realloc_function = void* (*)(void*, std::size_t);
using reallocarray_function = void* (*)(void*, std::size_t, std::size_t);
using usable_size_function = std::size_t (*)(void*);
using malloc_function = void* (*)(std::size_t);
using calloc_function = void* (*)(std::size_t, std::size_t);
using memalign_function = void* (*)(std::size_t, std::size_t);

struct libc_function_table {
    std::atomic<free_function> free;
    std::atomic<realloc_function> realloc;
    std::atomic<reallocarray_function> reallocarray;
    std::atomic<usable_size_function> usable_size;
    std::atomic<malloc_function> malloc; // these three only with LEAKGUARD_DETAIL_INTERPOSE_ALLOC
    std::atomic<calloc_function> calloc;
    std::atomic<memalign_function> memalign;
    std::atomic<bool> resolved;
};

libc_function_table g_libc{};

#if LEAKGUARD_DETAIL_INTERPOSE

// True on a thread that is inside resolve_libc_functions(): a free it causes goes to glibc.
static thread_local bool t_resolving_libc;

template <class F>
F function_cast(void* p) noexcept {
    F f;
    static_assert(sizeof f == sizeof p, "function and data pointers differ in size");
    __builtin_memcpy(&f, &p, sizeof f);
    return f;
}

template <class F>
F next_function(F interceptor, F interceptor_llvm17, const char* name) noexcept {
    if (interceptor) return interceptor;
    if (interceptor_llvm17) return interceptor_llvm17;
    return function_cast<F>(dlsym(RTLD_NEXT, name));
}

LEAKGUARD_DETAIL_NOINLINE inline void resolve_libc_functions() noexcept {
    t_resolving_libc = true;
    free_function const f = next_function<free_function>(&__interceptor_free, &___interceptor_free, "free");
    realloc_function const r =
        next_function<realloc_function>(&__interceptor_realloc, &___interceptor_realloc, "realloc");
    reallocarray_function const ra = function_cast<reallocarray_function>(dlsym(RTLD_NEXT, "reallocarray"));
    usable_size_function const u = function_cast<usable_size_function>(dlsym(RTLD_NEXT, "malloc_usable_size"));
    g_libc.free.store(f ? f : &__libc_free, std::memory_order_relaxed);
    g_libc.realloc.store(r ? r : &__libc_realloc, std::memory_order_relaxed);
    g_libc.reallocarray.store(ra, std::memory_order_relaxed);
    g_libc.usable_size.store(u, std::memory_order_relaxed);
#if LEAKGUARD_DETAIL_INTERPOSE_ALLOC
    malloc_function const m = next_function<malloc_function>(&__interceptor_malloc, &___interceptor_malloc, "malloc");
    calloc_function const c = next_function<calloc_function>(&__interceptor_calloc, &___interceptor_calloc, "calloc");
    memalign_function const a =
        next_function<memalign_function>(&__interceptor_memalign, &___interceptor_memalign, "memalign");
    g_libc.malloc.store(m ? m : &__libc_malloc, std::memory_order_relaxed);
    g_libc.calloc.store(c ? c : &__libc_calloc, std::memory_order_relaxed);
    g_libc.memalign.store(a ? a : &__libc_memalign, std::memory_order_relaxed);
#else
    // The program's other code allocates with the next malloc (leakguard defines none).
    malloc_function const m = function_cast<malloc_function>(dlsym(RTLD_NEXT, "malloc"));
#endif
    const void* const heap_functions[] = {code_address(m), code_address(f), code_address(r)};
    g_heap_kind.store(classify_heap(heap_functions, 3), std::memory_order_relaxed);
    g_libc.resolved.store(true, std::memory_order_release);
    t_resolving_libc = false;
}

LEAKGUARD_DETAIL_NOINLINE inline bool resolve_libc_functions_once() noexcept {
    if (t_resolving_libc) return false;
    resolve_libc_functions();
    return true;
}

LEAKGUARD_DETAIL_ALWAYS_INLINE bool libc_functions_ready() noexcept {
    if (LEAKGUARD_DETAIL_LIKELY(g_libc.resolved.load(std::memory_order_acquire))) return true;
    return resolve_libc_functions_once();
}

// While the lookup runs: a sanitizer runtime's functions if there is one, else glibc's.
inline void fallback_free(void* p) noexcept {
    if (&__interceptor_free) return __interceptor_free(p);
    if (&___interceptor_free) return ___interceptor_free(p);
    __libc_free(p);
}
inline void* fallback_realloc(void* p, std::size_t n) noexcept {
    if (&__interceptor_realloc) return __interceptor_realloc(p, n);
    if (&___interceptor_realloc) return ___interceptor_realloc(p, n);
    return __libc_realloc(p, n);
}

LEAKGUARD_DETAIL_ALWAYS_INLINE void libc_free(void* p) noexcept {
    if (LEAKGUARD_DETAIL_UNLIKELY(!libc_functions_ready())) return fallback_free(p);
    in_libc_allocator inside;
    g_libc.free.load(std::memory_order_relaxed)(p);
}
inline void* libc_realloc(void* p, std::size_t n) noexcept {
    if (!libc_functions_ready()) return fallback_realloc(p, n);
    in_libc_allocator inside;
    return g_libc.realloc.load(std::memory_order_relaxed)(p, n);
}

#if LEAKGUARD_DETAIL_INTERPOSE_ALLOC
inline void* fallback_malloc(std::size_t n) noexcept {
    if (&__interceptor_malloc) return __interceptor_malloc(n);
    if (&___interceptor_malloc) return ___interceptor_malloc(n);
    return __libc_malloc(n);
}
inline void* fallback_calloc(std::size_t count, std::size_t n) noexcept {
    if (&__interceptor_calloc) return __interceptor_calloc(count, n);
    if (&___interceptor_calloc) return ___interceptor_calloc(count, n);
    return __libc_calloc(count, n);
}
inline void* fallback_memalign(std::size_t align, std::size_t n) noexcept {
    if (&__interceptor_memalign) return __interceptor_memalign(align, n);
    if (&___interceptor_memalign) return ___interceptor_memalign(align, n);
    return __libc_memalign(align, n);
}

// The C library's malloc, calloc and memalign, past leakguard's own (leakguard's raw memory).
LEAKGUARD_DETAIL_ALWAYS_INLINE void* libc_malloc(std::size_t n) noexcept {
    if (LEAKGUARD_DETAIL_UNLIKELY(!libc_functions_ready())) return fallback_malloc(n);
    in_libc_allocator inside;
    return g_libc.malloc.load(std::memory_order_relaxed)(n);
}
inline void* libc_calloc(std::size_t count, std::size_t n) noexcept {
    if (!libc_functions_ready()) return fallback_calloc(count, n);
    in_libc_allocator inside;
    return g_libc.calloc.load(std::memory_order_relaxed)(count, n);
}
inline void* libc_memalign(std::size_t align, std::size_t n) noexcept {
    if (!libc_functions_ready()) return fallback_memalign(align, n);
    in_libc_allocator inside;
    return g_libc.memalign.load(std::memory_order_relaxed)(align, n);
}
#endif

#else // no interposition: the C library's functions are simply the ones in scope

inline void libc_free(void* p) noexcept {
    in_libc_allocator inside;
    (std::free)(p);
}
inline void* libc_realloc(void* p, std::size_t n) noexcept {
    in_libc_allocator inside;
    return (std::realloc)(p, n);
}

#endif

// The kind of allocator under leakguard (core/heap_kind.hpp). With interposition the lookup of the
// C library's functions finds it (on the thread that runs that lookup, it stays unknown meanwhile);
// otherwise the malloc, free and realloc the program calls are looked at here, once.
LEAKGUARD_DETAIL_NOINLINE inline unsigned find_heap_kind() noexcept {
#if LEAKGUARD_DETAIL_INTERPOSE
    libc_functions_ready();
#else
    using malloc_type = void* (*)(std::size_t);
    using free_type = void (*)(void*);
    using realloc_type = void* (*)(void*, std::size_t);
    malloc_type const m = &std::malloc;
    free_type const f = &std::free;
    realloc_type const r = &std::realloc;
    const void* const heap_functions[] = {code_address(m), code_address(f), code_address(r)};
    g_heap_kind.store(classify_heap(heap_functions, 3), std::memory_order_relaxed);
#endif
    return g_heap_kind.load(std::memory_order_relaxed);
}

// Whether the allocator under leakguard is known to be glibc's; false while it is not known yet.
LEAKGUARD_DETAIL_ALWAYS_INLINE bool heap_is_glibc() noexcept {
    unsigned const kind = g_heap_kind.load(std::memory_order_relaxed);
    if (LEAKGUARD_DETAIL_LIKELY(kind != heap_unknown)) return kind == heap_glibc;
    return find_heap_kind() == heap_glibc;
}

} // namespace detail
} // namespace leakguard

#endif
