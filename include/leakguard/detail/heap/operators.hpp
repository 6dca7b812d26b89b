// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// heap/operators.hpp: the replacement global operator new and delete, every standard form.
//
// Each is noinline so that __builtin_return_address(0) is the code that called it, even when the
// program's own code sits in the LEAKGUARD_MAIN translation unit. Each goes down once: the
// unaligned forms try their short path (fast_allocate, heap/allocate.hpp; fast_release,
// heap/release.hpp), inlined, exactly once, and otherwise take the general path (allocate_slow
// through new_or_throw / new_or_null; the general path of a free, which fast_release itself goes
// on to); the aligned forms take the general path only.
#ifndef LEAKGUARD_DETAIL_HEAP_OPERATORS_HPP_INCLUDED
#define LEAKGUARD_DETAIL_HEAP_OPERATORS_HPP_INCLUDED

#include <new> // std::bad_alloc, std::nothrow_t, std::get_new_handler, std::align_val_t

#include "allocate.hpp"
#include "block.hpp"
#include "errors.hpp"
#include "new_sites.hpp"
#include "release.hpp"

namespace leakguard {
namespace detail {

// The general path of operator new, once the short path declined (or for the aligned forms), with
// the standard's contract for the throwing forms: on failure call the new_handler and try again
// (the general path again); with no handler, throw std::bad_alloc. Size 0 gets a unique block (its
// header makes it non-empty).
inline void* new_or_throw(std::size_t size, std::size_t align, block_kind kind, const void* caller, const void* frame) {
    for (;;) {
        if (void* p = allocate_slow(size, align, kind, caller, 0, frame)) {
            if (LEAKGUARD_DETAIL_UNLIKELY(new_sites_on())) remember_new(p);
            return p;
        }
        std::new_handler handler = std::get_new_handler();
#if LEAKGUARD_DETAIL_EXCEPTIONS
        if (!handler) throw std::bad_alloc();
#else
        if (!handler) __builtin_abort();
#endif
        handler();
    }
}

// The nothrow forms: the same loop, and nullptr where the throwing form would throw.
inline void* new_or_null(std::size_t size, std::size_t align, block_kind kind, const void* caller,
                         const void* frame) noexcept {
#if LEAKGUARD_DETAIL_EXCEPTIONS
    try {
        return new_or_throw(size, align, kind, caller, frame);
    } catch (...) {
        return nullptr;
    }
#else
    for (;;) {
        if (void* p = allocate_slow(size, align, kind, caller, 0, frame)) {
            if (LEAKGUARD_DETAIL_UNLIKELY(new_sites_on())) remember_new(p);
            return p;
        }
        std::new_handler handler = std::get_new_handler();
        if (!handler) return nullptr;
        handler();
    }
#endif
}

} // namespace detail
} // namespace leakguard

#define LEAKGUARD_DETAIL_CALLER __builtin_return_address(0)
// The operator's own frame: where a frame-pointer walk of the caller's stack starts (it also makes
// the compiler give the operator a frame record, whatever the build flags).
#define LEAKGUARD_DETAIL_FRAME __builtin_frame_address(0)
#define LEAKGUARD_DETAIL_OP LEAKGUARD_DETAIL_NOINLINE __attribute__((used))

// operator new, the entry of the allocation path: the short path (fast_allocate) is tried here,
// once; new_or_throw / new_or_null take the general path only.
LEAKGUARD_DETAIL_OP void* operator new(std::size_t size) {
    if (void* p = leakguard::detail::fast_allocate(size, leakguard::block_kind::new_scalar, LEAKGUARD_DETAIL_CALLER, 0,
                                                   LEAKGUARD_DETAIL_FRAME))
        return p;
    return leakguard::detail::new_or_throw(size, 0, leakguard::block_kind::new_scalar, LEAKGUARD_DETAIL_CALLER,
                                           LEAKGUARD_DETAIL_FRAME);
}
LEAKGUARD_DETAIL_OP void* operator new[](std::size_t size) {
    if (void* p = leakguard::detail::fast_allocate(size, leakguard::block_kind::new_array, LEAKGUARD_DETAIL_CALLER, 0,
                                                   LEAKGUARD_DETAIL_FRAME))
        return p;
    return leakguard::detail::new_or_throw(size, 0, leakguard::block_kind::new_array, LEAKGUARD_DETAIL_CALLER,
                                           LEAKGUARD_DETAIL_FRAME);
}
LEAKGUARD_DETAIL_OP void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
    if (void* p = leakguard::detail::fast_allocate(size, leakguard::block_kind::new_scalar, LEAKGUARD_DETAIL_CALLER, 0,
                                                   LEAKGUARD_DETAIL_FRAME))
        return p;
    return leakguard::detail::new_or_null(size, 0, leakguard::block_kind::new_scalar, LEAKGUARD_DETAIL_CALLER,
                                          LEAKGUARD_DETAIL_FRAME);
}
LEAKGUARD_DETAIL_OP void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
    if (void* p = leakguard::detail::fast_allocate(size, leakguard::block_kind::new_array, LEAKGUARD_DETAIL_CALLER, 0,
                                                   LEAKGUARD_DETAIL_FRAME))
        return p;
    return leakguard::detail::new_or_null(size, 0, leakguard::block_kind::new_array, LEAKGUARD_DETAIL_CALLER,
                                          LEAKGUARD_DETAIL_FRAME);
}
// operator delete, the entry of the free path: the short path (fast_release) is tried here, once,
// and goes on to the general path itself when it declines.
LEAKGUARD_DETAIL_OP void operator delete(void* p) noexcept {
    if (!p) return;
    leakguard::detail::fast_release(p, leakguard::block_kind::new_scalar,
                                    leakguard::detail::dealloc_form::delete_scalar, LEAKGUARD_DETAIL_CALLER);
}
LEAKGUARD_DETAIL_OP void operator delete[](void* p) noexcept {
    if (!p) return;
    leakguard::detail::fast_release(p, leakguard::block_kind::new_array, leakguard::detail::dealloc_form::delete_array,
                                    LEAKGUARD_DETAIL_CALLER);
}
LEAKGUARD_DETAIL_OP void operator delete(void* p, const std::nothrow_t&) noexcept {
    if (!p) return;
    leakguard::detail::fast_release(p, leakguard::block_kind::new_scalar,
                                    leakguard::detail::dealloc_form::delete_scalar, LEAKGUARD_DETAIL_CALLER);
}
LEAKGUARD_DETAIL_OP void operator delete[](void* p, const std::nothrow_t&) noexcept {
    if (!p) return;
    leakguard::detail::fast_release(p, leakguard::block_kind::new_array, leakguard::detail::dealloc_form::delete_array,
                                    LEAKGUARD_DETAIL_CALLER);
}
LEAKGUARD_DETAIL_OP void operator delete(void* p, std::size_t) noexcept {
    if (!p) return;
    leakguard::detail::fast_release(p, leakguard::block_kind::new_scalar,
                                    leakguard::detail::dealloc_form::delete_scalar, LEAKGUARD_DETAIL_CALLER);
}
LEAKGUARD_DETAIL_OP void operator delete[](void* p, std::size_t) noexcept {
    if (!p) return;
    leakguard::detail::fast_release(p, leakguard::block_kind::new_array, leakguard::detail::dealloc_form::delete_array,
                                    LEAKGUARD_DETAIL_CALLER);
}

#if LEAKGUARD_DETAIL_ALIGNED_NEW
// The aligned forms: the general path only (the short paths take the default alignment).
LEAKGUARD_DETAIL_OP void* operator new(std::size_t size, std::align_val_t align) {
    return leakguard::detail::new_or_throw(size, static_cast<std::size_t>(align),
                                           leakguard::block_kind::new_scalar_aligned, LEAKGUARD_DETAIL_CALLER,
                                           LEAKGUARD_DETAIL_FRAME);
}
LEAKGUARD_DETAIL_OP void* operator new[](std::size_t size, std::align_val_t align) {
    return leakguard::detail::new_or_throw(size, static_cast<std::size_t>(align),
                                           leakguard::block_kind::new_array_aligned, LEAKGUARD_DETAIL_CALLER,
                                           LEAKGUARD_DETAIL_FRAME);
}
LEAKGUARD_DETAIL_OP void* operator new(std::size_t size, std::align_val_t align, const std::nothrow_t&) noexcept {
    return leakguard::detail::new_or_null(size, static_cast<std::size_t>(align),
                                          leakguard::block_kind::new_scalar_aligned, LEAKGUARD_DETAIL_CALLER,
                                          LEAKGUARD_DETAIL_FRAME);
}
LEAKGUARD_DETAIL_OP void* operator new[](std::size_t size, std::align_val_t align, const std::nothrow_t&) noexcept {
    return leakguard::detail::new_or_null(size, static_cast<std::size_t>(align),
                                          leakguard::block_kind::new_array_aligned, LEAKGUARD_DETAIL_CALLER,
                                          LEAKGUARD_DETAIL_FRAME);
}
LEAKGUARD_DETAIL_OP void operator delete(void* p, std::align_val_t) noexcept {
    if (p)
        leakguard::detail::release_slow(p, LEAKGUARD_DETAIL_CALLER,
                                        leakguard::detail::dealloc_form::delete_scalar_aligned);
}
LEAKGUARD_DETAIL_OP void operator delete[](void* p, std::align_val_t) noexcept {
    if (p)
        leakguard::detail::release_slow(p, LEAKGUARD_DETAIL_CALLER,
                                        leakguard::detail::dealloc_form::delete_array_aligned);
}
LEAKGUARD_DETAIL_OP void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept {
    if (p)
        leakguard::detail::release_slow(p, LEAKGUARD_DETAIL_CALLER,
                                        leakguard::detail::dealloc_form::delete_scalar_aligned);
}
LEAKGUARD_DETAIL_OP void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept {
    if (p)
        leakguard::detail::release_slow(p, LEAKGUARD_DETAIL_CALLER,
                                        leakguard::detail::dealloc_form::delete_array_aligned);
}
LEAKGUARD_DETAIL_OP void operator delete(void* p, std::size_t, std::align_val_t) noexcept {
    if (p)
        leakguard::detail::release_slow(p, LEAKGUARD_DETAIL_CALLER,
                                        leakguard::detail::dealloc_form::delete_scalar_aligned);
}
LEAKGUARD_DETAIL_OP void operator delete[](void* p, std::size_t, std::align_val_t) noexcept {
    if (p)
        leakguard::detail::release_slow(p, LEAKGUARD_DETAIL_CALLER,
                                        leakguard::detail::dealloc_form::delete_array_aligned);
}
#endif

#undef LEAKGUARD_DETAIL_OP
#undef LEAKGUARD_DETAIL_FRAME
#undef LEAKGUARD_DETAIL_CALLER

#endif
