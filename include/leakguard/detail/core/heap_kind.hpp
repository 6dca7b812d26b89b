// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// core/heap_kind.hpp: which allocator is under leakguard - glibc's, or another one (jemalloc or
// tcmalloc loaded with LD_PRELOAD or linked in, a sanitizer's runtime) - found once, on first use.
//
// Why it matters: whether a pointer is leakguard's is judged from the 8 bytes in front of it
// (heap/block.hpp, libc/ownership.hpp). glibc keeps a chunk's size word there for every pointer
// its malloc returned: always readable, never with bit 3 set, rewritten whenever the chunk is
// handed out - so the cookie alone proves a block leakguard's, and a broken one can be told from
// glibc's size word. Another allocator promises nothing about those bytes: they may be the end
// of the previous block (the program's data), a header leakguard left in memory it gave back, or
// an unmapped page (a page-aligned large block). Under another allocator leakguard proves its
// blocks more strictly and passes every other pointer on without guessing.
//
// "glibc's" means that malloc, free and realloc past leakguard's own - where foreign pointers come
// from and go back to, and where leakguard's raw memory comes from - are all defined in the module
// that defines gnu_get_libc_version (libc.so.6). Anything else, or no answer, is another allocator:
// the strict rules are right under glibc too, only less helpful (libc/ownership.hpp).
#ifndef LEAKGUARD_DETAIL_CORE_HEAP_KIND_HPP_INCLUDED
#define LEAKGUARD_DETAIL_CORE_HEAP_KIND_HPP_INCLUDED

#include <atomic> // std::atomic

#include "../config.hpp"

#if defined(__GLIBC__)
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1 // dladdr
#endif
#include <dlfcn.h>            // dladdr
#include <gnu/libc-version.h> // gnu_get_libc_version
#endif

namespace leakguard {
namespace detail {

enum : unsigned char {
    heap_unknown = 0, // not found yet (or being found on this thread): judged as heap_other
    heap_glibc = 1,
    heap_other = 2,
};

std::atomic<unsigned char> g_heap_kind{};

// A function's address as data, for dladdr.
template <class F>
const void* code_address(F* f) noexcept {
    const void* p = nullptr;
    static_assert(sizeof f == sizeof p, "function and data pointers differ in size");
    __builtin_memcpy(&p, &f, sizeof p);
    return p;
}

// heap_glibc when every one of `functions` (malloc, free, realloc as the heap's users reach them)
// is defined in glibc's own module; heap_other otherwise. dladdr takes the loader's lock but
// never allocates.
inline unsigned char classify_heap(const void* const* functions, int count) noexcept {
#if defined(__GLIBC__)
    Dl_info libc{};
    if (!dladdr(const_cast<void*>(code_address(&gnu_get_libc_version)), &libc) || !libc.dli_fbase) return heap_other;
    for (int i = 0; i < count; ++i) {
        Dl_info info{};
        if (!functions[i] || !dladdr(const_cast<void*>(functions[i]), &info) || info.dli_fbase != libc.dli_fbase)
            return heap_other;
    }
    return heap_glibc;
#else
    (void)functions;
    (void)count;
    return heap_other;
#endif
}

} // namespace detail
} // namespace leakguard

#endif
