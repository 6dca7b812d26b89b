// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// core/uri.hpp: file paths as URIs (RFC 3986), for the SARIF log: a path normalised by its text
// alone (the file system is not asked: the files a report names need not exist on this machine,
// and a symbolic link must not move a file out of the source tree), made relative to a root,
// percent-encoded. None allocates.
#ifndef LEAKGUARD_DETAIL_CORE_URI_HPP_INCLUDED
#define LEAKGUARD_DETAIL_CORE_URI_HPP_INCLUDED

#include <cstddef> // std::size_t
#include <cstring> // std::memcpy, std::strlen, std::strncmp

namespace leakguard {
namespace detail {

// Normalises `path` by its text: repeated '/' and "." parts go, ".." takes the part before it
// away (never above the root of an absolute path; kept at the start of a relative one), no '/' at
// the end: "/a/./b//../c/" -> "/a/c", "/" stays "/". False when the result does not fit `size`.
inline bool normalise_path(const char* path, char* out, std::size_t size) noexcept {
    bool const absolute = path[0] == '/';
    if (size < 2) return false;
    std::size_t used = 0;
    if (absolute) out[used++] = '/';
    std::size_t const base = used; // out[0, base) stays
    std::size_t removable = 0;     // parts in `out` a ".." can take away (not the leading ".."s)
    for (const char* p = path; *p;) {
        while (*p == '/') ++p;
        const char* end = p;
        while (*end && *end != '/') ++end;
        std::size_t const n = static_cast<std::size_t>(end - p);
        bool const dot = n == 1 && p[0] == '.', dot_dot = n == 2 && p[0] == '.' && p[1] == '.';
        if (n == 0 || dot) {
            p = end;
            continue;
        }
        if (dot_dot && (removable > 0 || absolute)) {
            if (removable > 0) {
                while (used > base && out[used - 1] != '/') --used;
                if (used > base) --used; // the '/' before the part
                --removable;
            }
            p = end;
            continue;
        }
        std::size_t const sep = used > base ? 1 : 0;
        if (used + sep + n >= size) return false;
        if (sep) out[used++] = '/';
        std::memcpy(out + used, p, n);
        used += n;
        if (!dot_dot) ++removable;
        p = end;
    }
    out[used] = '\0';
    return true;
}

// Whether a byte stays as it is in a URI's path: RFC 3986's unreserved characters, '/' and '+'
// (a sub-delimiter, common in directory names such as "c++"); every other byte is
// percent-encoded, a space as "%20", each byte of a UTF-8 sequence as its own "%XX".
inline bool uri_keeps(unsigned char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
           c == '_' || c == '~' || c == '/' || c == '+';
}

// Appends `path`, percent-encoded, to `out` at `used`. False when it does not fit.
inline bool append_uri_path(const char* path, char* out, std::size_t size, std::size_t& used) noexcept {
    static const char hex[] = "0123456789ABCDEF";
    for (const char* p = path; *p; ++p) {
        unsigned char const c = static_cast<unsigned char>(*p);
        std::size_t const need = uri_keeps(c) ? 1 : 3;
        if (used + need >= size) return false;
        if (need == 1) {
            out[used++] = *p;
        } else {
            out[used++] = '%';
            out[used++] = hex[c >> 4];
            out[used++] = hex[c & 15];
        }
    }
    out[used] = '\0';
    return true;
}

// The "file://" URI of an absolute path; with `directory`, ending with '/' (a base URI must, or
// the last part of the path is dropped when a relative reference is resolved against it).
inline bool file_uri(const char* absolute_path, bool directory, char* out, std::size_t size) noexcept {
    static const char scheme[] = "file://";
    std::size_t used = sizeof scheme - 1;
    if (size <= used) return false;
    std::memcpy(out, scheme, used + 1);
    if (!append_uri_path(absolute_path, out, size, used)) return false;
    if (directory && out[used - 1] != '/') {
        if (used + 1 >= size) return false;
        out[used++] = '/';
        out[used] = '\0';
    }
    return true;
}

// The URI of `file` for a location: relative to `root` when the file lies under it (then
// `relative` is true), else its absolute "file://" URI. `root`: a normalised absolute path, or
// empty (every file is then absolute). A relative `file` (a name the debug information gives
// without its directory) is taken as relative to the root. False when the file's path or URI
// does not fit its buffer.
inline bool artifact_uri(const char* root, const char* file, char* out, std::size_t size, bool& relative) noexcept {
    char path[1024];
    relative = false;
    if (!file[0] || !normalise_path(file, path, sizeof path)) return false;
    if (path[0] == '\0') return false; // "." and the like: no file named
    if (path[0] != '/') {
        std::size_t used = 0;
        relative = true;
        return append_uri_path(path, out, size, used);
    }
    std::size_t const n = std::strlen(root);
    bool const under = n > 0 && std::strncmp(path, root, n) == 0 && (n == 1 || path[n] == '/') && path[n] != '\0';
    if (!under) return file_uri(path, false, out, size);
    std::size_t used = 0;
    relative = true;
    return append_uri_path(path + (n == 1 ? 1 : n + 1), out, size, used);
}

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_CORE_URI_HPP_INCLUDED
