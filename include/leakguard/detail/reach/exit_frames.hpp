// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// reach/exit_frames.hpp: where the exiting thread's stack still matters, at exit.
//
// The report at exit runs inside exit(): below the program's frames lie the C library's exit
// machinery and the report. Their slots are memory the program's earlier calls used, and a slot
// a frame never writes still holds what was there - a pointer returned by operator new in a
// helper that has long returned, say. valgrind does not count such a word (it knows it was never
// written since the frame began); a scan that cannot tell would call the block reachable. So when
// main has returned - the frames between the report and the outermost one are all the C
// library's or the loader's - the scan of this thread starts above them, where the frames of
// _start and the process's arguments are. When the program called exit() itself, its frames are
// live, and the whole stack is read from the report's frame up (stale slots and all, as a
// conservative scan must).
#ifndef LEAKGUARD_DETAIL_REACH_EXIT_FRAMES_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REACH_EXIT_FRAMES_HPP_INCLUDED

#include <cstdint>    // std::uintptr_t
#include <cstdlib>    // exit
#include <sys/auxv.h> // getauxval, AT_BASE
#include <unwind.h>   // _Unwind_Backtrace, _Unwind_GetIP, _Unwind_GetCFA

#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1 // dladdr
#endif
#include <dlfcn.h> // dladdr

namespace leakguard {
namespace detail {

struct exit_frame_walk {
    std::uintptr_t ip[64];
    std::uintptr_t cfa[64];
    int count;
};

inline _Unwind_Reason_Code collect_exit_frame(struct _Unwind_Context* ctx, void* data) {
    exit_frame_walk& w = *static_cast<exit_frame_walk*>(data);
    if (w.count == 64) return _URC_END_OF_STACK;
    if (_Unwind_GetIP(ctx) == 0) return _URC_END_OF_STACK; // past the outermost frame
    w.ip[w.count] = static_cast<std::uintptr_t>(_Unwind_GetIP(ctx));
    w.cfa[w.count] = static_cast<std::uintptr_t>(_Unwind_GetCFA(ctx));
    ++w.count;
    return _URC_NO_REASON;
}

// The load address of the module that holds `pc`, or 0.
inline std::uintptr_t module_base_of(std::uintptr_t pc) noexcept {
    Dl_info info;
    if (pc == 0 || dladdr(reinterpret_cast<void*>(pc), &info) == 0) return 0;
    return reinterpret_cast<std::uintptr_t>(info.dli_fbase);
}

// Where the scan of the exiting thread's stack should start, or 0 to read it from the report's
// own frame up (the program called exit() itself, or the frames could not be walked).
inline std::uintptr_t exit_scan_start() noexcept {
    exit_frame_walk w;
    w.count = 0;
    _Unwind_Backtrace(collect_exit_frame, &w);
    void (*const exit_function)(int) = &::exit;
    std::uintptr_t const libc = module_base_of(reinterpret_cast<std::uintptr_t>(exit_function));
    std::uintptr_t const loader = static_cast<std::uintptr_t>(getauxval(AT_BASE));
    if (libc == 0) return 0;
    auto const is_system = [&](std::uintptr_t ip) {
        std::uintptr_t const base = module_base_of(ip - 1); // the call, not what follows it
        return base != 0 && (base == libc || base == loader);
    };
    int i = 0;
    while (i < w.count && !is_system(w.ip[i])) ++i; // leakguard's frames
    if (i == w.count) return 0;
    int j = i;
    while (j < w.count && is_system(w.ip[j])) ++j; // exit(), its handlers, the loader's fini
    // Past them at most the outermost frame (_start): main has returned.
    if (j + 1 < w.count) return 0;
    return w.cfa[j - 1];
}

} // namespace detail
} // namespace leakguard

#endif
