// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// capture/stack_capture.hpp: the return addresses of the current call stack, taken from inside
// operator new. Three ways:
//
//   automatic      (the default, x86-64 with glibc 2.35+) frame pointers where the code is known
//                  to keep them, the call frame information of .eh_frame elsewhere, with each
//                  return address's step rule cached (cfi_unwind.hpp): complete stacks through
//                  libstdc++, libc and any library built without frame pointers, at close to the
//                  cost of a frame-pointer walk. Elsewhere it is the frame-pointer walk below,
//                  kept to the module the start-up probe found built with frame pointers.
//   frame_pointer  follows the chain of saved frame pointers (x86-64 and AArch64: each frame
//                  record is {caller's frame pointer, return address}). A handful of loads per
//                  frame, but only as good as the code it walks: a function built without frame
//                  pointers (GCC and Clang at -O1 and above unless -fno-omit-frame-pointer;
//                  Debian's libc and libstdc++) either leaves the register alone, so its caller
//                  is silently skipped, or uses it as a general register, so the chain ends on a
//                  junk value. Every link is therefore checked before it is read: inside the
//                  current thread's stack, above the previous link, 8-byte aligned, and the walk
//                  never takes more than `max` links. A junk value can end the walk or add a
//                  junk address to the stack, never make it read outside the stack.
//   libgcc         _Unwind_Backtrace, which reads the .eh_frame unwind tables every x86-64 and
//                  AArch64 object has by default: correct through code without frame pointers,
//                  at a higher cost per frame. With GCC 12 on glibc 2.35+ (this platform) it
//                  finds a module's tables through _dl_find_object, which takes no lock and does
//                  not allocate; it locks (and mallocs) only for tables registered at run time
//                  with __register_frame_info (JIT compilers). It never calls operator new.
//
// Nothing here allocates through operator new. The frame-pointer walk needs the bounds of the
// thread's stack, taken once per thread from pthread_getattr_np: for a thread made by
// pthread_create that copies fields of its descriptor; for the initial thread glibc reads
// /proc/self/maps through stdio, which mallocs - raw malloc, never operator new, so it cannot
// recurse into leakguard. The alternative, __libc_stack_end or a local's address as the top, is
// no cheaper after the first call and is wrong for the initial thread's child after fork()
// from another thread (that child runs on the forking thread's stack) and for threads whose
// stack is far from the initial one.
#ifndef LEAKGUARD_DETAIL_CAPTURE_STACK_CAPTURE_HPP_INCLUDED
#define LEAKGUARD_DETAIL_CAPTURE_STACK_CAPTURE_HPP_INCLUDED

#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1 // pthread_getattr_np
#endif
#include <atomic>    // std::atomic
#include <cstddef>   // std::size_t
#include <cstdint>   // std::uintptr_t
#include <link.h>    // dl_iterate_phdr, ElfW
#include <pthread.h> // pthread_getattr_np, pthread_attr_getstack
#include <unwind.h>  // _Unwind_Backtrace (libgcc_s, linked into every C++ program by g++/clang++)

#include "cfi_unwind.hpp"
#include "../config.hpp"

// The architectures whose frame records are {saved frame pointer, return address} at the frame
// pointer, with the stack growing down.
#if defined(__x86_64__) || defined(__aarch64__)
#define LEAKGUARD_DETAIL_HAVE_FRAME_POINTER_WALK 1
#else
#define LEAKGUARD_DETAIL_HAVE_FRAME_POINTER_WALK 0
#endif

namespace leakguard {
namespace detail {

enum class unwinder : unsigned char {
    none,          // only the operator's own return address
    frame_pointer, // saved frame-pointer chain (cheap; needs -fno-omit-frame-pointer code)
    libgcc,        // _Unwind_Backtrace over .eh_frame (correct everywhere; costlier)
    automatic,     // frame pointers within the module built like leakguard's unit, if it has
                   // them (see probe_frame_pointers); the cached CFI walk elsewhere (without
                   // it: libgcc, and allocate.hpp captures only from that module)
    cfi,           // the cached CFI walk for every frame, frame pointers only where CFI has no
                   // rule (tests and measurements; frame_pointer where there is no CFI walk)
};

// The default: automatic. Measured on x86-64 (tests/stacks/measure_capture.cpp), the
// frame-pointer walk costs some 5 ns a frame and libgcc 200-300 ns a frame, but the walk finds
// nothing beyond the first frame in code built with the compilers' default flags, and loses
// the caller of any function built without frame pointers (Debian's libstdc++ and libc), so it
// is used only where it is known to be right: in the module that holds leakguard's
// implementation unit, when a probe at start-up found that unit built with frame pointers. Every
// other frame is stepped over by its cached CFI rule (a few ns a frame once cached).
inline unwinder default_unwinder() noexcept { return unwinder::automatic; }

// The current thread's stack, [lo, hi). state: 0 not asked yet, 1 known, 2 being asked (a
// re-entrant capture from inside pthread_getattr_np must not ask again), 3 unavailable.
struct stack_bounds {
    std::uintptr_t lo;
    std::uintptr_t hi;
    int state;
};

// Plain data in TLS: no constructor or guard runs, and fork() copies it into the child, where
// the forking thread keeps its stack at the same addresses.
static thread_local stack_bounds t_stack_bounds;

// Set at start-up (heap/startup.hpp) to a function that marks this thread busy (+1) and not (-1):
// pthread_getattr_np allocates (the thread's CPU set), and with every C allocation tracked that
// is leakguard's own bookkeeping - unlinked, never counted. Null where only stacks are captured.
std::atomic<void (*)(int)> g_own_allocations{};

inline void own_allocations(void (*hook)(int), int delta) noexcept {
    if (hook) hook(delta);
}

LEAKGUARD_DETAIL_NOINLINE inline void find_stack_bounds(stack_bounds& b) noexcept {
    b.state = 2;
    pthread_attr_t attr;
    void (*const hook)(int) = g_own_allocations.load(std::memory_order_relaxed);
    own_allocations(hook, 1);
    if (pthread_getattr_np(pthread_self(), &attr) != 0) {
        own_allocations(hook, -1);
        b.state = 3;
        return;
    }
    void* addr = nullptr;
    std::size_t size = 0;
    int const rc = pthread_attr_getstack(&attr, &addr, &size);
    pthread_attr_destroy(&attr);
    own_allocations(hook, -1);
    if (rc != 0 || !addr || size == 0) {
        b.state = 3;
        return;
    }
    b.lo = reinterpret_cast<std::uintptr_t>(addr);
    b.hi = b.lo + size;
    b.state = 1;
}

inline const stack_bounds* thread_stack_bounds() noexcept {
    stack_bounds& b = t_stack_bounds;
    if (LEAKGUARD_DETAIL_UNLIKELY(b.state == 0)) find_stack_bounds(b);
    return b.state == 1 ? &b : nullptr;
}

#if LEAKGUARD_DETAIL_HAVE_FRAME_POINTER_WALK

// Whether `fp` may be read as a frame record {next, return address}: 8-byte aligned, above the
// previous record (a chain only goes up the stack; this also ends cycles), and the whole record
// below the top of the stack. Everything between the walker's own frame and the top is mapped
// stack, so a pointer that passes is safe to read whatever it holds.
inline bool plausible_frame(std::uintptr_t fp, std::uintptr_t above, std::uintptr_t hi) noexcept {
    return (fp & 7u) == 0 && fp > above && fp <= hi - 2 * sizeof(void*);
}

// Returns the return addresses from `first` outwards; with a code range, stops after the first
// address outside it (see the loop). `frame`, when not null, is the frame
// address of the function that got `first` from __builtin_return_address(0) (its
// __builtin_frame_address(0), which also makes the compiler give it a frame record); without it,
// the walk starts from its own frame and looks for `first` among the next few return addresses,
// which finds it only when leakguard's own frames have frame pointers.
// Exempt from AddressSanitizer: the walk reads other functions' frames, where redzones may lie.
LEAKGUARD_DETAIL_NO_SANITIZE_MEMORY LEAKGUARD_DETAIL_NOINLINE inline std::size_t
walk_frame_pointers(const void* first, const void* frame, void** out, std::size_t max, std::uintptr_t code_lo = 0,
                    std::uintptr_t code_hi = ~std::uintptr_t(0)) noexcept {
    out[0] = const_cast<void*>(first);
    if (max < 2) return 1;
    const stack_bounds* b = thread_stack_bounds();
    std::uintptr_t const here = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
    // Not on the thread's own stack (a sigaltstack handler, a coroutine or fiber stack): the
    // bounds say nothing about what is mapped around here, so read nothing.
    if (!b || here < b->lo || here >= b->hi) return 1;
    std::uintptr_t const hi = b->hi;

    std::uintptr_t fp = reinterpret_cast<std::uintptr_t>(frame);
    if (!(frame && plausible_frame(fp, here - 1, hi) && reinterpret_cast<void* const*>(fp)[1] == first)) {
        // Find the record whose return address is `first`: the operator's own. A few links at
        // most lie between (this function, the allocator, the operator).
        fp = here;
        std::uintptr_t below = here - 1;
        bool found = false;
        for (int i = 0; i < 16 && plausible_frame(fp, below, hi); ++i) {
            if (reinterpret_cast<void* const*>(fp)[1] == first) {
                found = true;
                break;
            }
            below = fp;
            fp = reinterpret_cast<const std::uintptr_t*>(fp)[0];
        }
        if (!found) return 1;
    }
    // fp is the operator's record; the chain goes on from the frame pointer it saved.
    std::size_t n = 1;
    std::uintptr_t prev = fp;
    fp = reinterpret_cast<const std::uintptr_t*>(fp)[0];
    while (n < max && plausible_frame(fp, prev, hi)) {
        void* const ra = reinterpret_cast<void* const*>(fp)[1];
        // Below the first page no code lives: a junk record (or the null that _start and
        // clone() leave as the outermost return address).
        if (reinterpret_cast<std::uintptr_t>(ra) < 4096) break;
        out[n++] = ra;
        // A return address outside the code known to keep frame pointers is right (its
        // callee's record holds it), but the link beyond it is whatever that code left.
        std::uintptr_t const r = reinterpret_cast<std::uintptr_t>(ra);
        if (r < code_lo || r >= code_hi) break;
        prev = fp;
        fp = reinterpret_cast<const std::uintptr_t*>(fp)[0];
    }
    return n;
}

#endif

struct unwind_walk {
    const void* first;
    void** out;
    std::size_t max;
    std::size_t n;
    unsigned skipped;
};

// libgcc calls this for each frame, innermost first: first the caller of _Unwind_Backtrace
// (leakguard's own frames), then the operator's caller, whose address is `first`.
inline _Unwind_Reason_Code unwind_step(struct _Unwind_Context* context, void* arg) noexcept {
    unwind_walk& w = *static_cast<unwind_walk*>(arg);
    void* const ip = reinterpret_cast<void*>(_Unwind_GetIP(context));
    if (w.n == 0) {
        if (ip != w.first) {
            // Leakguard's own frames are a few; if `first` does not show up, it never will
            // (a caller without unwind tables): stop rather than unwind the whole stack.
            return ++w.skipped < 32 ? _URC_NO_REASON : _URC_END_OF_STACK;
        }
    } else if (!ip) {
        return _URC_END_OF_STACK;
    }
    w.out[w.n++] = ip;
    return w.n < w.max ? _URC_NO_REASON : _URC_END_OF_STACK;
}

LEAKGUARD_DETAIL_NOINLINE inline std::size_t unwind_with_libgcc(const void* first, void** out,
                                                                std::size_t max) noexcept {
    unwind_walk w = {first, out, max, 0, 0};
    _Unwind_Backtrace(unwind_step, &w);
    if (w.n == 0) { // `first` was not found: keep at least what the operator knows
        out[0] = const_cast<void*>(first);
        return 1;
    }
    return w.n;
}

// What the start-up probe found about the module holding leakguard's implementation unit.
struct frame_pointer_module {
    std::atomic<int> state; // 0 not probed, 1 built with frame pointers, 2 without
    std::uintptr_t code_lo; // its executable segment, [code_lo, code_hi)
    std::uintptr_t code_hi;
    std::atomic<unsigned char>* marks; // which of its code keeps them (fp_marks.hpp); may be null
};

frame_pointer_module g_frame_pointer_module{};

// Writes up to `max` return addresses of the current call stack into `out`, innermost first,
// starting with `first` (the operator's __builtin_return_address(0)); frames above it (leakguard's
// own) are dropped. `frame` is the operator's __builtin_frame_address(0), or null (see
// walk_frame_pointers; only the frame-pointer walk uses it). Returns how many were written:
// 0 only when max is 0 or first is null; 1 when the method found nothing beyond `first`.
// Never allocates, never takes a lock (see the top of this file for libgcc's).
inline std::size_t capture_stack(const void* first, const void* frame, void** out, std::size_t max,
                                 unwinder how) noexcept {
    if (max == 0 || !first) return 0;
    if (max == 1 || how == unwinder::none) {
        out[0] = const_cast<void*>(first);
        return 1;
    }
#if LEAKGUARD_DETAIL_HAVE_CFI_WALK
    if (how == unwinder::automatic || how == unwinder::cfi) {
        const stack_bounds* b = thread_stack_bounds();
        if (!b) {
            out[0] = const_cast<void*>(first);
            return 1;
        }
        frame_pointer_module const& m = g_frame_pointer_module;
        bool const fp = how == unwinder::automatic && m.state.load(std::memory_order_acquire) == 1;
        return walk_cfi(first, frame, out, max, b->lo, b->hi, fp ? m.code_lo : 0, fp ? m.code_hi : 0,
                        fp ? m.marks : nullptr);
    }
#endif
#if LEAKGUARD_DETAIL_HAVE_FRAME_POINTER_WALK
    if (how == unwinder::frame_pointer || how == unwinder::cfi) return walk_frame_pointers(first, frame, out, max);
    if (how == unwinder::automatic) {
        frame_pointer_module const& m = g_frame_pointer_module;
        std::uintptr_t const f = reinterpret_cast<std::uintptr_t>(first);
        if (m.state.load(std::memory_order_acquire) == 1 && f >= m.code_lo && f < m.code_hi)
            return walk_frame_pointers(first, frame, out, max, m.code_lo, m.code_hi);
    }
#else
    (void)frame;
#endif
    return unwind_with_libgcc(first, out, max);
}

// The start-up probe: a chain of three functions of this unit, built with the user's flags.
// The last captures its stack both ways; if the frame-pointer walk agrees with libgcc on the
// first three frames, this unit keeps frame pointers. Each call is followed by an empty asm so
// that it is not a tail call (the caller's frame must stay).
LEAKGUARD_DETAIL_NOINLINE inline bool frame_pointer_probe_c(void** walked, void** unwound) noexcept {
    bool same = false;
#if LEAKGUARD_DETAIL_HAVE_FRAME_POINTER_WALK
    const void* const first = __builtin_return_address(0);
    std::size_t const w = walk_frame_pointers(first, __builtin_frame_address(0), walked, 3);
    std::size_t const u = unwind_with_libgcc(first, unwound, 3);
    same = w == 3 && u == 3;
    for (std::size_t i = 0; same && i < 3; ++i) same = walked[i] == unwound[i];
#else
    (void)walked;
    (void)unwound;
#endif
    __asm__ volatile("" : "+r"(same));
    return same;
}
LEAKGUARD_DETAIL_NOINLINE inline bool frame_pointer_probe_b(void** walked, void** unwound) noexcept {
    bool same = frame_pointer_probe_c(walked, unwound);
    __asm__ volatile("" : "+r"(same));
    return same;
}
LEAKGUARD_DETAIL_NOINLINE inline bool frame_pointer_probe_a(void** walked, void** unwound) noexcept {
    bool same = frame_pointer_probe_b(walked, unwound);
    __asm__ volatile("" : "+r"(same));
    return same;
}

struct code_range_search {
    std::uintptr_t address;
    std::uintptr_t lo;
    std::uintptr_t hi;
};

inline int find_code_range(struct dl_phdr_info* info, std::size_t, void* arg) noexcept {
    code_range_search& s = *static_cast<code_range_search*>(arg);
    for (ElfW(Half) i = 0; i < info->dlpi_phnum; ++i) {
        const ElfW(Phdr)& ph = info->dlpi_phdr[i];
        if (ph.p_type != PT_LOAD || !(ph.p_flags & PF_X)) continue;
        std::uintptr_t const lo = info->dlpi_addr + ph.p_vaddr;
        if (s.address >= lo && s.address < lo + ph.p_memsz) {
            s.lo = lo;
            s.hi = lo + ph.p_memsz;
            return 1;
        }
    }
    return 0;
}

// Runs the probe and finds the executable segment of the module it is in. Also runs the
// unwinder once, so its one-time set-up (lazy binding of its symbols, the register table it
// fills under pthread_once) happens here, at leakguard's start-up, rather than inside the first
// allocation of a thread that may be about to fork. dl_iterate_phdr takes the loader's lock:
// call this from start-up, not from inside an allocation.
LEAKGUARD_DETAIL_NOINLINE inline void probe_frame_pointers() noexcept {
    void* walked[3];
    void* unwound[3];
    bool const has = frame_pointer_probe_a(walked, unwound);
    __asm__ volatile("" ::: "memory");
    code_range_search s = {reinterpret_cast<std::uintptr_t>(&frame_pointer_probe_c), 0, 0};
    frame_pointer_module& m = g_frame_pointer_module;
    if (has && dl_iterate_phdr(find_code_range, &s) == 1) {
        m.code_lo = s.lo;
        m.code_hi = s.hi;
#if LEAKGUARD_DETAIL_HAVE_CFI_WALK
        m.marks = map_fp_marks(s.lo, s.hi);
#endif
        m.state.store(1, std::memory_order_release);
    } else {
        m.state.store(2, std::memory_order_release);
    }
}

// For start-up (leakguard's initialise()): the probe, the unwinder's set-up, this thread's
// stack bounds.
inline void warm_up_stack_capture() noexcept {
    if (g_frame_pointer_module.state.load(std::memory_order_acquire) == 0) probe_frame_pointers();
    (void)thread_stack_bounds();
}

// Whether `address` lies in the code of the module the probe found built with frame pointers
// (never true before the probe, or when it found none).
inline bool in_frame_pointer_module(const void* address) noexcept {
    frame_pointer_module const& m = g_frame_pointer_module;
    std::uintptr_t const a = reinterpret_cast<std::uintptr_t>(address);
    return m.state.load(std::memory_order_acquire) == 1 && a >= m.code_lo && a < m.code_hi;
}

// Whether the automatic method takes a stack for an allocation whose caller is `address`: always
// with the CFI walk; without it, only from the module the probe found built with frame pointers
// (elsewhere only libgcc's unwinder would be right, at orders of magnitude the cost).
inline bool automatic_captures(const void* address) noexcept {
#if LEAKGUARD_DETAIL_HAVE_CFI_WALK
    (void)address;
    return true;
#else
    return in_frame_pointer_module(address);
#endif
}

// Whether the automatic method walks frame pointers (for reports and tests).
inline bool frame_pointers_in_use() noexcept {
    return g_frame_pointer_module.state.load(std::memory_order_acquire) == 1;
}

} // namespace detail
} // namespace leakguard

#endif
