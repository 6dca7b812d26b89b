// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// impl/errors.hpp: heap errors found on the way (bad frees): reported at once, kept for the JSON
// report and the exit status.
#ifndef LEAKGUARD_DETAIL_IMPL_ERRORS_HPP_INCLUDED
#define LEAKGUARD_DETAIL_IMPL_ERRORS_HPP_INCLUDED

#include <atomic>  // std::atomic
#include <cstdint> // std::uint64_t

#include "options.hpp"
#include "platform.hpp"

namespace leakguard {
namespace detail {

struct error_record {
    const char* type;    // "double_free", "invalid_free"
    const void* address;
    const void* caller;  // return address into the code that freed
};

constexpr std::size_t max_error_records = 256; // more are counted, not kept

struct error_log {
    spinlock lock;
    std::atomic<std::uint64_t> count;
    error_record records[max_error_records];
};

error_log g_errors{};

LEAKGUARD_DETAIL_NOINLINE inline void report_error(const char* type, const void* address,
                                                   const void* caller) noexcept {
    std::uint64_t const n = g_errors.count.fetch_add(1, std::memory_order_relaxed);
    if (n < max_error_records) {
        lock_guard hold(g_errors.lock);
        g_errors.records[n] = error_record{type, address, caller};
    }
    fd_writer out(report_fd());
    out.printf("leakguard: error: %s of %p (freed from %p); the pointer was left alone and the "
               "program goes on\n", type, address, caller);
}

} // namespace detail
} // namespace leakguard

#endif
