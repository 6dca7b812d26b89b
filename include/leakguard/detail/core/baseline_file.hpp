// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// core/baseline_file.hpp: the baseline the `baseline` option names (docs/report-format.md,
// "Baselines") - the fingerprints of loss records already known, one a line, which the report
// lists as known and which do not fail the run. Read when the option is set (raw system calls,
// pages from mmap), kept sorted for a binary search. A line that is not a fingerprint gets one
// warning naming the file and line and is skipped. Setting the option again replaces the file; a
// replaced baseline's pages are never given back, as a report may still be reading them.
#ifndef LEAKGUARD_DETAIL_CORE_BASELINE_FILE_HPP_INCLUDED
#define LEAKGUARD_DETAIL_CORE_BASELINE_FILE_HPP_INCLUDED

#include <algorithm> // std::sort, std::binary_search (in place: they do not allocate)
#include <atomic>    // std::atomic
#include <cerrno>    // errno
#include <cstddef>   // std::size_t
#include <cstdint>   // std::uint64_t
#include <cstring>   // std::memcpy, std::strerror, std::strlen

#include "pages.hpp"
#include "platform.hpp"
#include "report_stream.hpp"     // max_path_length
#include "suppression_files.hpp" // read_suppressions_text: the same lookup beside the executable

namespace leakguard {
namespace detail {

struct baseline_file {
    char path[max_path_length + 1];
    std::uint64_t* fingerprints; // sorted; in pages of their own
    std::size_t count;
};

std::atomic<const baseline_file*> g_baseline{};

// The baseline in use, or null.
inline const baseline_file* current_baseline() noexcept { return g_baseline.load(std::memory_order_acquire); }

inline bool baseline_knows(const baseline_file& b, std::uint64_t fingerprint) noexcept {
    return std::binary_search(b.fingerprints, b.fingerprints + b.count, fingerprint);
}

// One line's fingerprint: 16 hex digits, then nothing or a comment. False for anything else.
inline bool parse_fingerprint(const char* s, const char* end, std::uint64_t& out) noexcept {
    std::uint64_t v = 0;
    int digits = 0;
    for (; s < end && digits <= 16; ++s, ++digits) {
        char const c = *s;
        unsigned d;
        if (c >= '0' && c <= '9') d = static_cast<unsigned>(c - '0');
        else if (c >= 'a' && c <= 'f') d = static_cast<unsigned>(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') d = static_cast<unsigned>(c - 'A' + 10);
        else break;
        v = (v << 4) | d;
    }
    if (digits != 16) return false;
    while (s < end && (*s == ' ' || *s == '\t' || *s == '\r')) ++s;
    if (s < end && *s != '#') return false;
    out = v;
    return true;
}

// Parses `text` (size bytes) into `b`'s fingerprints, warning on fd 2 for each bad line.
inline void parse_baseline(baseline_file& b, const char* text, std::size_t size) noexcept {
    std::size_t lines = 1;
    for (std::size_t i = 0; i < size; ++i) lines += text[i] == '\n';
    b.fingerprints = static_cast<std::uint64_t*>(map_pages(lines * sizeof(std::uint64_t)));
    b.count = 0;
    if (!b.fingerprints) return;
    const char* line = text;
    const char* const end = text + size;
    for (unsigned number = 1; line < end; ++number) {
        const char* eol = line;
        while (eol < end && *eol != '\n') ++eol;
        const char* s = line;
        while (s < eol && (*s == ' ' || *s == '\t' || *s == '\r')) ++s;
        std::uint64_t fp = 0;
        if (s < eol && *s != '#') {
            if (parse_fingerprint(s, eol, fp)) {
                b.fingerprints[b.count++] = fp;
            } else {
                int const shown = static_cast<int>(eol - s < 40 ? eol - s : 40);
                fd_writer(2).printf("leakguard: baseline file %s:%u: expected a fingerprint of 16 hex digits, "
                                    "found '%.*s'; line skipped\n",
                                    b.path, number, shown, s);
            }
        }
        line = eol + 1;
    }
    std::sort(b.fingerprints, b.fingerprints + b.count);
}

// The baseline option: a path reads that file (replacing the baseline in use), an empty value
// drops it. An unreadable file gets one warning and leaves no baseline. False only for a path too
// long to keep.
inline bool set_baseline_option(const char* value) noexcept {
    std::size_t const len = std::strlen(value);
    if (len > max_path_length) return false;
    if (!len) {
        g_baseline.store(nullptr, std::memory_order_release);
        return true;
    }
    baseline_file* b = static_cast<baseline_file*>(map_pages(sizeof(baseline_file)));
    if (!b) return true;
    std::memcpy(b->path, value, len + 1);
    char* text = nullptr;
    std::size_t size = 0;
    if (!read_suppressions_text(value, text, size)) {
        fd_writer(2).printf("leakguard: baseline file %s: cannot read it (%s); every loss record is new\n", value,
                            std::strerror(errno));
        unmap_pages(b, sizeof(baseline_file));
        g_baseline.store(nullptr, std::memory_order_release);
        return true;
    }
    parse_baseline(*b, text, size);
    unmap_pages(text, size + 1);
    g_baseline.store(b, std::memory_order_release);
    return true;
}

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_CORE_BASELINE_FILE_HPP_INCLUDED
