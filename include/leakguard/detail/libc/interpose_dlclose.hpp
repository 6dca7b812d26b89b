// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// libc/interpose_dlclose.hpp: the program's own dlclose, which tells the stack walk's step cache
// (capture/step_cache.hpp) that a module may go away.
//
// The cache keeps a step rule per return address; once a module is unloaded, another one can be
// mapped at its addresses, and the old rules would then be applied to its code. So the cache is
// emptied (its generation bumped, its pages dropped) before the C library's dlclose and again
// after it: a rule computed from the module while dlclose ran is not kept either. On glibc an
// executable's definition takes precedence over the C library's for every caller in the process,
// as for free() (libc/interpose.hpp); the C library's own unloading from inside (a gconv module)
// does not pass here, and without interposition (sanitizer builds, LEAKGUARD_NO_INTERPOSE) a
// library mapped where an unloaded one was may get its rules until the process ends: a wrong
// frame in a stack, never a read outside the stack or the tables.
#ifndef LEAKGUARD_DETAIL_LIBC_INTERPOSE_DLCLOSE_HPP_INCLUDED
#define LEAKGUARD_DETAIL_LIBC_INTERPOSE_DLCLOSE_HPP_INCLUDED

#include "../config.hpp"
#include "../capture/cfi_unwind.hpp"

#if LEAKGUARD_DETAIL_INTERPOSE && LEAKGUARD_DETAIL_HAVE_CFI_WALK

#include <atomic>  // std::atomic
#include <dlfcn.h> // dlsym, RTLD_NEXT

namespace leakguard {
namespace detail {

using dlclose_function = int (*)(void*);
std::atomic<dlclose_function> g_next_dlclose{};

} // namespace detail
} // namespace leakguard

extern "C" {

__attribute__((noinline, used, visibility("default"))) int dlclose(void* handle) noexcept {
    leakguard::detail::dlclose_function next = leakguard::detail::g_next_dlclose.load(std::memory_order_acquire);
    if (!next) {
        next = reinterpret_cast<leakguard::detail::dlclose_function>(dlsym(RTLD_NEXT, "dlclose"));
        if (!next) return -1;
        leakguard::detail::g_next_dlclose.store(next, std::memory_order_release);
    }
    leakguard::detail::forget_step_rules();
    int const rc = next(handle);
    leakguard::detail::forget_step_rules();
    return rc;
}

} // extern "C"

#endif

#endif
