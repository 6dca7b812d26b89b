// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// reach/roots.hpp: where the scan starts - the writable segments of every loaded module (.data,
// .bss, relro: whole pages, where the loader's early allocations also live), each thread's
// registers, its stack from its stack pointer up (the 128-byte red zone below it included), its
// static TLS blocks and its thread control block (pthread_setspecific values, the TLS vector), and
// the regions the program registered - minus leakguard's own state, whose pointers are its
// bookkeeping, not the program's.
//
// The plan is made before other threads are paused (dl_iterate_phdr and dlsym take the loader's
// lock, which a paused thread may hold); the ranges are read after, each clipped to what
// /proc/self/maps says is readable at that moment.
#ifndef LEAKGUARD_DETAIL_REACH_ROOTS_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REACH_ROOTS_HPP_INCLUDED

#include <algorithm>  // std::sort
#include <cstddef>    // std::size_t
#include <cstdint>    // std::uintptr_t, std::intptr_t
#include <link.h>     // dl_iterate_phdr
#include <sys/auxv.h> // getauxval, AT_BASE

#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1 // RTLD_DEFAULT
#endif
#include <dlfcn.h> // dlsym

#include "../capture/locations.hpp"
#include "../capture/stack_capture.hpp"
#include "../capture/stack_table.hpp"
#include "../core/libc_functions.hpp"
#include "../core/options.hpp"
#include "../core/pages.hpp"
#include "../heap/errors.hpp"
#include "../heap/new_sites.hpp"
#include "../heap/recycler.hpp"
#include "../heap/registry.hpp"
#include "../symbolize/symbolize.hpp"
#include "marker.hpp"
#include "memory_map.hpp"
#include "root_regions.hpp"
#include "thread_pause.hpp"

namespace leakguard {
namespace detail {

// A static TLS block, or one of leakguard's thread-locals, as an offset from a thread pointer:
// the same in every thread.
struct tls_piece {
    std::intptr_t offset;
    std::size_t size;
};

// What the C library tells once: the size of a thread's control block (its struct pthread) and
// of the static TLS area. 0 where it does not say.
struct thread_layout {
    std::size_t tcb_size;
    std::size_t static_tls_size;
    bool known;
};
thread_layout g_thread_layout{};

inline void learn_thread_layout() noexcept {
    if (g_thread_layout.known) return;
#if defined(__GLIBC__)
    // Both are glibc's own, for its debugger library and for sanitizers; absent elsewhere.
    const void* const sizeof_pthread = dlsym(RTLD_DEFAULT, "_thread_db_sizeof_pthread");
    if (sizeof_pthread) g_thread_layout.tcb_size = *static_cast<const unsigned*>(sizeof_pthread);
    void* const static_info = dlsym(RTLD_DEFAULT, "_dl_get_tls_static_info");
    if (static_info) {
        using info_function = void (*)(std::size_t*, std::size_t*);
        info_function f;
        static_assert(sizeof f == sizeof static_info, "function and data pointers differ in size");
        __builtin_memcpy(&f, &static_info, sizeof f);
        std::size_t size = 0, align = 0;
        f(&size, &align);
        g_thread_layout.static_tls_size = size;
    }
#endif
    if (g_thread_layout.tcb_size == 0 || g_thread_layout.tcb_size > 65536) g_thread_layout.tcb_size = 4096;
    g_thread_layout.known = true;
}

struct root_plan {
    page_array<address_range> segments; // module writable segments
    page_array<address_range> regions;  // registered by the program
    page_array<address_range> own;      // leakguard's globals: never read (sorted)
    page_array<address_range> loader;   // the dynamic linker's code
    page_array<tls_piece> tls;          // static TLS blocks
    page_array<tls_piece> own_tls;      // leakguard's thread-locals
    std::uintptr_t self_tp;

    void release() noexcept {
        segments.release();
        regions.release();
        own.release();
        loader.release();
        tls.release();
        own_tls.release();
    }

    bool in_loader(const void* pc) const noexcept {
        std::uintptr_t const a = reinterpret_cast<std::uintptr_t>(pc);
        for (std::size_t i = 0; i < loader.count; ++i)
            if (a >= loader.items[i].begin && a < loader.items[i].end) return true;
        return false;
    }
};

template <class T>
void add_own(page_array<address_range>& own, const T& object) noexcept {
    std::uintptr_t const b = reinterpret_cast<std::uintptr_t>(&object);
    own.push(address_range{b, b + sizeof object});
}
template <class T>
void add_own_tls(page_array<tls_piece>& own, const T& object, std::uintptr_t tp) noexcept {
    own.push(tls_piece{static_cast<std::intptr_t>(reinterpret_cast<std::uintptr_t>(&object) - tp), sizeof object});
}

inline int collect_module_roots(dl_phdr_info* info, std::size_t, void* data) noexcept {
    root_plan& plan = *static_cast<root_plan*>(data);
    std::uintptr_t const loader_base = static_cast<std::uintptr_t>(getauxval(AT_BASE));
    bool const is_loader = loader_base != 0 && info->dlpi_addr == loader_base;
    for (int i = 0; i < info->dlpi_phnum; ++i) {
        const ElfW(Phdr)& ph = info->dlpi_phdr[i];
        std::uintptr_t const b = info->dlpi_addr + ph.p_vaddr;
        if (ph.p_type == PT_LOAD && (ph.p_flags & PF_W)) {
            // To the end of the page: the loader's first allocations use the rest of its last page.
            std::uintptr_t const e = (b + ph.p_memsz + page_size_assumed - 1) & ~(page_size_assumed - 1);
            plan.segments.push(address_range{b, e});
        }
        if (ph.p_type == PT_LOAD && (ph.p_flags & PF_X) && is_loader)
            plan.loader.push(address_range{b, b + ph.p_memsz});
        if (ph.p_type == PT_TLS && info->dlpi_tls_data && plan.self_tp) {
            // Static TLS lies just below the thread pointer (x86-64, variant II); a module's block
            // elsewhere is dynamic TLS, which the loader allocated (a root block of its own).
            std::intptr_t const off =
                static_cast<std::intptr_t>(reinterpret_cast<std::uintptr_t>(info->dlpi_tls_data) - plan.self_tp);
            std::intptr_t const area = static_cast<std::intptr_t>(
                g_thread_layout.static_tls_size ? g_thread_layout.static_tls_size : std::size_t(1) << 20);
            if (off < 0 && -off <= area) plan.tls.push(tls_piece{off, ph.p_memsz});
        }
    }
    return 0;
}

// Everything that needs the loader's lock or the regions' lock: before the pause.
inline bool plan_roots(root_plan& plan) noexcept {
    learn_thread_layout();
    plan.self_tp = current_thread_pointer();
    dl_iterate_phdr(collect_module_roots, &plan);
    if (!copy_root_regions(plan.regions)) return false;
    add_own(plan.own, g_registry);
    add_own(plan.own, g_errors);
    add_own(plan.own, g_options);
    add_own(plan.own, g_libc);
    add_own(plan.own, g_stacks);
    add_own(plan.own, g_locations);
    add_own(plan.own, g_modules);
    add_own(plan.own, g_frame_pointer_module);
    add_own(plan.own, g_root_regions);
    add_own(plan.own, g_thread_layout);
    std::sort(plan.own.items, plan.own.items + plan.own.count,
              [](const address_range& a, const address_range& b) { return a.begin < b.begin; });
    std::uintptr_t const tp = plan.self_tp;
    if (tp) {
        add_own_tls(plan.own_tls, t_state, tp);
        add_own_tls(plan.own_tls, t_recycled, tp);
        add_own_tls(plan.own_tls, t_new_sites, tp);
        add_own_tls(plan.own_tls, t_recent_stacks, tp);
        add_own_tls(plan.own_tls, t_stack_bounds, tp);
    }
    return true;
}

// Scans [begin, end) minus the holes (sorted, not overlapping), where readable.
inline void scan_root(marker& m, const memory_map& map, std::uintptr_t begin, std::uintptr_t end,
                      const address_range* holes, std::size_t hole_count) noexcept {
    map.for_each_readable(begin, end, [&](std::uintptr_t b, std::uintptr_t e) {
        for (std::size_t i = 0; i < hole_count && b < e; ++i) {
            const address_range& h = holes[i];
            if (h.end <= b || h.begin >= e) continue;
            if (h.begin > b) m.scan(b, h.begin, true);
            b = h.end;
        }
        if (b < e) m.scan(b, e, true);
    });
}

// One thread's roots: registers, stack from `sp`, static TLS, control block.
inline void scan_thread_roots(marker& m, const memory_map& map, const root_plan& plan, std::uintptr_t sp,
                              std::uintptr_t tp, const std::uintptr_t* registers, std::size_t register_count) noexcept {
    for (std::size_t i = 0; i < register_count; ++i) m.consider(registers[i], true);
    // leakguard's thread-locals of this thread: holes in its TLS (sorted here, a handful).
    address_range holes[8];
    std::size_t hole_count = 0;
    if (tp) {
        for (std::size_t i = 0; i < plan.own_tls.count && hole_count < 8; ++i) {
            std::uintptr_t const b = tp + static_cast<std::uintptr_t>(plan.own_tls.items[i].offset);
            holes[hole_count++] = address_range{b, b + plan.own_tls.items[i].size};
        }
        std::sort(holes, holes + hole_count,
                  [](const address_range& a, const address_range& b) { return a.begin < b.begin; });
    }
    if (sp) {
        const mapped_range* stack = map.find(sp);
        std::uintptr_t const low = sp > 128 ? sp - 128 : sp;
        if (stack) scan_root(m, map, low < stack->begin ? stack->begin : low, stack->end, holes, hole_count);
    }
    if (!tp) return;
    for (std::size_t i = 0; i < plan.tls.count; ++i) {
        std::uintptr_t const b = tp + static_cast<std::uintptr_t>(plan.tls.items[i].offset);
        scan_root(m, map, b, b + plan.tls.items[i].size, holes, hole_count);
    }
    scan_root(m, map, tp, tp + g_thread_layout.tcb_size, holes, hole_count);
}

// Every root but the scanning thread's own registers (spilled onto its stack by the caller).
inline void scan_roots(marker& m, const memory_map& map, const root_plan& plan, const world_pause& world,
                       std::uintptr_t self_sp) noexcept {
    for (std::size_t i = 0; i < plan.segments.count; ++i)
        scan_root(m, map, plan.segments.items[i].begin, plan.segments.items[i].end, plan.own.items, plan.own.count);
    for (std::size_t i = 0; i < plan.regions.count; ++i)
        scan_root(m, map, plan.regions.items[i].begin, plan.regions.items[i].end, nullptr, 0);
    scan_thread_roots(m, map, plan, self_sp, plan.self_tp, nullptr, 0);
    for (std::size_t i = 0; i < world.count(); ++i) {
        const paused_thread& t = world.thread(i);
        if (t.state.load(std::memory_order_acquire) != 1) continue; // gone, or never answered
        scan_thread_roots(m, map, plan, t.sp, t.tp, t.registers, saved_register_count);
    }
    m.drain();
}

} // namespace detail
} // namespace leakguard

#endif
