// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// reach/memory_map.hpp: which addresses can be read, from /proc/self/maps, read while the other
// threads are paused (so the map cannot change under the scan: only the scanning thread runs, and
// it maps nothing between reading the map and the end of the scan). Every root range is clipped
// to it: a scan never reads a guard page, an unmapped hole or a module unloaded since its
// segments were listed. Raw system calls only (no stdio, no malloc, no interceptor's lock).
#ifndef LEAKGUARD_DETAIL_REACH_MEMORY_MAP_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REACH_MEMORY_MAP_HPP_INCLUDED

#include <cstddef>       // std::size_t
#include <cstdint>       // std::uintptr_t
#include <fcntl.h>       // O_RDONLY, O_CLOEXEC, AT_FDCWD
#include <sys/syscall.h> // SYS_openat, SYS_read, SYS_close
#include <unistd.h>      // syscall

#include "../core/pages.hpp"

namespace leakguard {
namespace detail {

struct mapped_range {
    std::uintptr_t begin;
    std::uintptr_t end;
    bool readable;
    bool writable;
    bool executable;
    bool file_backed;   // a path that names a file (not "[heap]", "[stack]" or anonymous)
    bool stack_of_main; // "[stack]"
};

// Reads up to size - 1 bytes of a small /proc file into `buf`, '\0'-terminated; returns the length
// (0 on failure).
inline std::size_t read_proc_prefix(const char* path, char* buf, std::size_t size) noexcept {
    long const fd = ::syscall(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    std::size_t used = 0;
    while (used + 1 < size) {
        long const n = ::syscall(SYS_read, fd, buf + used, size - 1 - used);
        if (n <= 0) break;
        used += static_cast<std::size_t>(n);
    }
    ::syscall(SYS_close, fd);
    buf[used] = '\0';
    return used;
}

// Reads a whole /proc file into pages; returns its length (0 on failure). Free with unmap_pages.
inline std::size_t read_proc_file(const char* path, char*& text, std::size_t& capacity) noexcept {
    text = nullptr;
    capacity = 0;
    long const fd = ::syscall(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    std::size_t used = 0;
    for (;;) {
        if (used == capacity) {
            std::size_t const grown = capacity ? capacity * 2 : std::size_t(64) << 10;
            char* const fresh = static_cast<char*>(map_pages(grown));
            if (!fresh) break;
            for (std::size_t i = 0; i < used; ++i) fresh[i] = text[i];
            unmap_pages(text, capacity);
            text = fresh;
            capacity = grown;
        }
        long const n = ::syscall(SYS_read, fd, text + used, capacity - used);
        if (n <= 0) break;
        used += static_cast<std::size_t>(n);
    }
    ::syscall(SYS_close, fd);
    return used;
}

inline std::uintptr_t parse_hex(const char*& p, const char* end) noexcept {
    std::uintptr_t v = 0;
    for (; p < end; ++p) {
        char const c = *p;
        unsigned d;
        if (c >= '0' && c <= '9') d = static_cast<unsigned>(c - '0');
        else if (c >= 'a' && c <= 'f') d = static_cast<unsigned>(c - 'a' + 10);
        else break;
        v = v << 4 | d;
    }
    return v;
}

// The process's mappings, in address order (as the kernel lists them).
class memory_map {
public:
    memory_map() noexcept : ranges_{nullptr, 0, 0} {}
    ~memory_map() { ranges_.release(); }
    memory_map(const memory_map&) = delete;
    memory_map& operator=(const memory_map&) = delete;

    // Forgets what was read and reads the map again (a mapping made since the last load).
    bool reload() noexcept {
        ranges_.count = 0;
        return load();
    }

    bool load() noexcept {
        char* text = nullptr;
        std::size_t capacity = 0;
        std::size_t const length = read_proc_file("/proc/self/maps", text, capacity);
        const char* p = text;
        const char* const end = text + length;
        while (p < end) {
            const char* eol = p;
            while (eol < end && *eol != '\n') ++eol;
            mapped_range r = {0, 0, false, false, false, false, false};
            r.begin = parse_hex(p, eol);
            if (p < eol && *p == '-') ++p;
            r.end = parse_hex(p, eol);
            if (p < eol && *p == ' ') ++p;
            if (eol - p >= 3) {
                r.readable = p[0] == 'r';
                r.writable = p[1] == 'w';
                r.executable = p[2] == 'x';
            }
            // The path is the last field (empty for anonymous memory: the line ends in spaces).
            const char* q = eol;
            while (q > p && q[-1] != ' ') --q;
            r.file_backed = q < eol && q[0] == '/';
            r.stack_of_main = eol - q == 7 && q[0] == '[' && q[1] == 's' && q[2] == 't' && q[6] == ']';
            if (r.end > r.begin && !ranges_.push(r)) break;
            p = eol < end ? eol + 1 : end;
        }
        unmap_pages(text, capacity);
        return ranges_.count > 0;
    }

    std::size_t size() const noexcept { return ranges_.count; }
    const mapped_range& operator[](std::size_t i) const noexcept { return ranges_.items[i]; }

    // The mapping that holds `a`, or null.
    const mapped_range* find(std::uintptr_t a) const noexcept {
        std::size_t lo = 0, hi = ranges_.count;
        while (lo < hi) {
            std::size_t const mid = lo + (hi - lo) / 2;
            if (ranges_.items[mid].end <= a) lo = mid + 1;
            else hi = mid;
        }
        return lo < ranges_.count && ranges_.items[lo].begin <= a ? &ranges_.items[lo] : nullptr;
    }

    // Calls f(begin, end) for each readable piece of [begin, end), adjacent mappings joined.
    template <class F>
    void for_each_readable(std::uintptr_t begin, std::uintptr_t end, F f) const noexcept {
        std::size_t lo = 0, hi = ranges_.count;
        while (lo < hi) { // the first mapping that ends after `begin`
            std::size_t const mid = lo + (hi - lo) / 2;
            if (ranges_.items[mid].end <= begin) lo = mid + 1;
            else hi = mid;
        }
        std::uintptr_t run_begin = 0, run_end = 0;
        for (std::size_t i = lo; i < ranges_.count && ranges_.items[i].begin < end; ++i) {
            const mapped_range& r = ranges_.items[i];
            if (!r.readable) continue;
            std::uintptr_t const b = r.begin > begin ? r.begin : begin;
            std::uintptr_t const e = r.end < end ? r.end : end;
            if (b >= e) continue;
            if (run_end == b) {
                run_end = e;
            } else {
                if (run_end > run_begin) f(run_begin, run_end);
                run_begin = b;
                run_end = e;
            }
        }
        if (run_end > run_begin) f(run_begin, run_end);
    }

private:
    page_array<mapped_range> ranges_;
};

} // namespace detail
} // namespace leakguard

#endif
