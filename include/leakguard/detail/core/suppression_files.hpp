// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// core/suppression_files.hpp: the suppressions files the `suppressions` option named, read when
// it is set (with raw system calls, into pages from mmap: never the tracked allocator, no stdio)
// and parsed (suppression_parse.hpp), in a list the reports read without a lock. Each setting of
// the option adds a file; an empty value forgets them all. A forgotten file's pages are never
// given back: a report on another thread may be reading them, and they are a few pages.
#ifndef LEAKGUARD_DETAIL_CORE_SUPPRESSION_FILES_HPP_INCLUDED
#define LEAKGUARD_DETAIL_CORE_SUPPRESSION_FILES_HPP_INCLUDED

#include <atomic>     // std::atomic
#include <cerrno>     // errno
#include <cstddef>    // std::size_t
#include <cstring>    // std::memcpy, std::strerror, std::strlen
#include <fcntl.h>    // open
#include <sys/stat.h> // fstat
#include <unistd.h>   // read, close, readlink

#include "pages.hpp"
#include "platform.hpp"
#include "report_stream.hpp"
#include "suppression_parse.hpp"

namespace leakguard {
namespace detail {

struct suppression_set {
    spinlock lock; // between writers (the option); readers take none
    std::atomic<suppression_file*> head;
    suppression_file* tail;
    std::atomic<std::size_t> entries; // in the files listed now; 0: no block is ever matched
};

suppression_set g_suppressions{};

// Whether any entry can match: blocks are named for matching only then (it costs symbolization).
inline bool suppressions_loaded() noexcept { return g_suppressions.entries.load(std::memory_order_acquire) != 0; }

// The first file listed now; the rest through next.
// (Not const: a report counts the blocks each entry suppressed on it.)
inline suppression_file* first_suppression_file() noexcept {
    return g_suppressions.head.load(std::memory_order_acquire);
}
inline suppression_file* next_suppression_file(const suppression_file* f) noexcept {
    return f->next.load(std::memory_order_acquire);
}

// A file larger than this is refused rather than read (a device that never ends, a wrong path).
constexpr std::size_t max_suppressions_file = std::size_t(64) << 20;

// Reads the file at `path` whole into pages, with one zero byte to spare after it; false with
// errno set on failure (EFBIG: larger than max_suppressions_file).
inline bool read_text_file(const char* path, char*& text, std::size_t& size) noexcept {
    int const fd = ::open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    struct stat st;
    std::size_t capacity = page_size_assumed;
    if (::fstat(fd, &st) == 0 && st.st_size > 0) capacity += static_cast<std::size_t>(st.st_size);
    char* buf = static_cast<char*>(map_pages(capacity + 1));
    std::size_t used = 0;
    int error = buf ? 0 : ENOMEM;
    while (buf) {
        if (used == capacity) { // grown since fstat, or of no known size (a pipe): double
            if (capacity >= max_suppressions_file) {
                error = EFBIG;
                break;
            }
            char* const bigger = static_cast<char*>(map_pages(capacity * 2 + 1));
            if (!bigger) {
                error = ENOMEM;
                break;
            }
            std::memcpy(bigger, buf, used);
            unmap_pages(buf, capacity + 1);
            buf = bigger;
            capacity *= 2;
        }
        ssize_t const n = ::read(fd, buf + used, capacity - used);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) error = errno;
        if (n <= 0) break;
        used += static_cast<std::size_t>(n);
    }
    ::close(fd);
    if (error) {
        unmap_pages(buf, capacity + 1);
        errno = error;
        return false;
    }
    text = buf; // zeroed pages: text[used] is the spare byte
    size = used;
    return true;
}

// A relative path not found from the current directory is looked for next to the executable, as
// LeakSanitizer does (a test run from another directory keeps finding the file beside it).
inline bool read_suppressions_text(const char* path, char*& text, std::size_t& size) noexcept {
    if (read_text_file(path, text, size)) return true;
    int const first_error = errno;
    if (path[0] == '/' || first_error != ENOENT) return false;
    char beside[2 * (max_path_length + 1)];
    ssize_t const n = ::readlink("/proc/self/exe", beside, max_path_length);
    if (n <= 0) return false;
    std::size_t dir = static_cast<std::size_t>(n);
    while (dir > 0 && beside[dir - 1] != '/') --dir;
    std::size_t const len = std::strlen(path);
    if (dir == 0 || dir + len >= sizeof beside) return false;
    std::memcpy(beside + dir, path, len + 1);
    if (read_text_file(beside, text, size)) return true;
    errno = first_error;
    return false;
}

// Reads and parses one file and lists it after the others. An unreadable file gets one warning
// and is not listed; its malformed lines get theirs (suppression_parse.hpp). False only for a
// path too long to keep.
inline bool add_suppressions_file(const char* path) noexcept {
    std::size_t const len = std::strlen(path);
    if (len > max_path_length) return false;
    suppression_file* f = static_cast<suppression_file*>(map_pages(sizeof(suppression_file)));
    if (!f) return true;
    std::memcpy(f->path, path, len + 1);
    if (!read_suppressions_text(path, f->text, f->text_size)) {
        fd_writer(2).printf("leakguard: suppressions file %s: cannot read it (%s); no suppressions from it\n", path,
                            std::strerror(errno));
        unmap_pages(f, sizeof(suppression_file));
        return true;
    }
    parse_suppressions(*f, 2);
    lock_guard hold(g_suppressions.lock);
    if (g_suppressions.tail) g_suppressions.tail->next.store(f, std::memory_order_release);
    else g_suppressions.head.store(f, std::memory_order_release);
    g_suppressions.tail = f;
    g_suppressions.entries.fetch_add(f->entries.count, std::memory_order_release);
    return true;
}

// Forgets every file (the option set to an empty value).
inline void clear_suppressions() noexcept {
    lock_guard hold(g_suppressions.lock);
    g_suppressions.head.store(nullptr, std::memory_order_release);
    g_suppressions.tail = nullptr;
    g_suppressions.entries.store(0, std::memory_order_release);
}

// The suppressions option: a path adds that file, an empty value forgets them all.
inline bool set_suppressions_option(const char* value) noexcept {
    if (!*value) {
        clear_suppressions();
        return true;
    }
    return add_suppressions_file(value);
}

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_CORE_SUPPRESSION_FILES_HPP_INCLUDED
