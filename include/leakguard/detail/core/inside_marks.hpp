// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// core/inside_marks.hpp: what the current thread is inside of - leakguard's locks and list
// sections, the C library's allocator called on leakguard's behalf - so that a report started on
// this thread from a signal handler (exit() from a handler that interrupted an allocation) can
// tell that it must not wait for a lock or call malloc: the holder is this very thread, which will
// never run again (runtime/exit_hook.hpp, report/interrupted_report.hpp).
//
// A mark is set before the lock is tried or the call made and cleared after it is released or
// returns, with compiler-only fences around it: a signal handler runs on the thread it interrupts,
// so it sees the thread's own stores in program order, and no CPU fence is needed. A mark set a
// little early or cleared a little late makes the report cautious for nothing; never the reverse.
#ifndef LEAKGUARD_DETAIL_CORE_INSIDE_MARKS_HPP_INCLUDED
#define LEAKGUARD_DETAIL_CORE_INSIDE_MARKS_HPP_INCLUDED

#include <atomic> // std::atomic_signal_fence

#include "../config.hpp"

namespace leakguard {
namespace detail {

struct inside_marks {
    unsigned locks; // leakguard's locks held or being taken, list sections entered
    unsigned libc;  // calls into the C library's allocator under way
    bool naming;    // holds the symbolizer's lock (symbolize/symbolize.hpp: naming_section)
};

static thread_local inside_marks t_inside;

LEAKGUARD_DETAIL_ALWAYS_INLINE void mark_enter(unsigned& counter) noexcept {
    ++counter;
    std::atomic_signal_fence(std::memory_order_seq_cst);
}
LEAKGUARD_DETAIL_ALWAYS_INLINE void mark_leave(unsigned& counter) noexcept {
    std::atomic_signal_fence(std::memory_order_seq_cst);
    --counter;
}

// A call into the C library's allocator, for its duration.
class in_libc_allocator {
public:
    LEAKGUARD_DETAIL_ALWAYS_INLINE in_libc_allocator() noexcept { mark_enter(t_inside.libc); }
    LEAKGUARD_DETAIL_ALWAYS_INLINE ~in_libc_allocator() { mark_leave(t_inside.libc); }
    in_libc_allocator(const in_libc_allocator&) = delete;
    in_libc_allocator& operator=(const in_libc_allocator&) = delete;
};

// Whether this thread was stopped inside leakguard's bookkeeping or the C library's allocator:
// true only in code that runs on top of such a thread, a signal handler's.
inline bool interrupted_inside() noexcept { return t_inside.locks != 0 || t_inside.libc != 0; }

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_CORE_INSIDE_MARKS_HPP_INCLUDED
