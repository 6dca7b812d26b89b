// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// runtime/exit_hook.hpp: the report at process exit, and the exit status.
//
// When: from the executable's destructor list (.fini_array), which glibc's loader runs after
// exit() has run every atexit handler and every static destructor registered by the program - the
// loader registers its own exit handler before any of those. So globals that free their memory in
// destructors are not reported. (Static objects of shared libraries that were constructed before
// the program started are destroyed after the report; see docs/limits.md.) The tracker keeps
// working after the report: its state is plain data that is never destroyed.
#ifndef LEAKGUARD_DETAIL_RUNTIME_EXIT_HOOK_HPP_INCLUDED
#define LEAKGUARD_DETAIL_RUNTIME_EXIT_HOOK_HPP_INCLUDED

#include <cstdio>   // std::fflush
#include <iostream> // std::cout, std::cerr, std::clog (flushed before _exit)
#include <unistd.h> // _exit

#include "../heap/startup.hpp"
#include "../report/check_heap.hpp"
#include "../report/exit_report.hpp"
#include "../report/interrupted_report.hpp"
#include "monitor.hpp"

namespace leakguard {
namespace detail {

__attribute__((destructor)) static void report_at_exit() {
    report_outcome outcome;
    if (interrupted_in_tracker()) { // exit() from a signal handler: see report/interrupted_report.hpp
        // The monitor is not joined: it may be waiting for what this thread holds.
        busy_section busy;
        outcome = write_interrupted_report("at exit");
    } else {
        ensure_initialised();
        stop_monitor();   // joined before the report: nothing walks the lists while it runs
        check_heap_now(); // its errors are part of the report
        busy_section busy;
        outcome = write_report("at exit", nullptr);
    }
    int const code = option_exitcode();
    if (code == 0 || (outcome.leaked_blocks == 0 && outcome.failed_scopes == 0 && outcome.errors == 0)) return;
        // exit() is already under way and its status cannot be changed: end the process here, after
        // flushing what the program wrote (the C++ streams may be unsynchronised from stdio).
#if LEAKGUARD_DETAIL_EXCEPTIONS
    try {
#endif
        std::cout.flush();
        std::clog.flush();
        std::cerr.flush();
#if LEAKGUARD_DETAIL_EXCEPTIONS
    } catch (...) {}
#endif
    std::fflush(nullptr);
    ::_exit(code);
}

} // namespace detail
} // namespace leakguard

#endif
