// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// report/failures.hpp: the scopes that ended with leaks, kept for the JSON report and the exit status.
#ifndef LEAKGUARD_DETAIL_REPORT_FAILURES_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REPORT_FAILURES_HPP_INCLUDED

#include <cstddef> // std::size_t
#include <cstring> // std::memcpy

#include "../../scope.hpp"
#include "../core/platform.hpp"
#include "../core/report_stream.hpp"
#include "../core/text.hpp"

namespace leakguard {
namespace detail {

// The record keeps its own copies of the strings: a test framework may free the ones it handed
// to the scope (a test's name, its file) long before the report at exit reads them.
struct failure_record {
    char name[128];
    char file[max_path_length + 1];
    int line;
    std::size_t leaked_blocks;
    std::size_t leaked_bytes;
    scope_rule rule;
};

struct failure_log {
    spinlock lock;
    failure_record* records; // raw memory, grown by doubling
    std::size_t count;
    std::size_t capacity;
};

failure_log g_failures{};

inline void record_failure(const char* name, const char* file, int line, std::size_t blocks, std::size_t bytes,
                           scope_rule rule) noexcept {
    lock_guard hold(g_failures.lock);
    if (g_failures.count == g_failures.capacity) {
        std::size_t const grown = g_failures.capacity ? g_failures.capacity * 2 : 16;
        void* mem = raw_alloc(grown * sizeof(failure_record));
        if (!mem) return;
        if (g_failures.count) std::memcpy(mem, g_failures.records, g_failures.count * sizeof(failure_record));
        raw_free(g_failures.records);
        g_failures.records = static_cast<failure_record*>(mem);
        g_failures.capacity = grown;
    }
    failure_record& r = g_failures.records[g_failures.count++];
    copy_text(r.name, sizeof r.name, name);
    copy_text(r.file, sizeof r.file, file ? file : "");
    r.line = line;
    r.leaked_blocks = blocks;
    r.leaked_bytes = bytes;
    r.rule = rule;
}

inline std::size_t failure_count() noexcept {
    lock_guard hold(g_failures.lock);
    return g_failures.count;
}

} // namespace detail
} // namespace leakguard

#endif
