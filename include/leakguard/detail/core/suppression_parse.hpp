// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// core/suppression_parse.hpp: a suppressions file's text, parsed in place into entries
// (docs/suppressions.md) - LeakSanitizer's `leak:PATTERN` lines and valgrind's `{ ... }` blocks of
// kind Memcheck:Leak, in one file or mixed. Suppressions of other tools and other kinds (race:,
// Memcheck:Cond) are valid and skipped without a word; a line that is neither gets one warning
// naming the file and line, and the parse goes on without that entry. Everything lives in pages
// from mmap (never the tracked allocator), and the entries point into the text, which is kept.
#ifndef LEAKGUARD_DETAIL_CORE_SUPPRESSION_PARSE_HPP_INCLUDED
#define LEAKGUARD_DETAIL_CORE_SUPPRESSION_PARSE_HPP_INCLUDED

#include <atomic>  // std::atomic
#include <cstddef> // std::size_t
#include <cstring> // std::strcmp, std::strncmp, std::strchr, std::strlen

#include "pages.hpp"
#include "platform.hpp"
#include "report_stream.hpp" // max_path_length
#include "text.hpp"

namespace leakguard {
namespace detail {

enum class frame_pattern_kind : unsigned char {
    fun, // fun:GLOB - the function's name (valgrind writes them mangled)
    obj, // obj:GLOB - the module's path
    src, // src:GLOB or src:GLOB:LINE - the source file (and line)
    any, // "..." - any number of frames, none included
};

struct frame_pattern {
    frame_pattern_kind kind;
    unsigned line;       // src: with a line number; 0: any line
    const char* pattern; // into the file's text
};

// Leak kinds as bits, bit (k - 1) for leak_kind k: the leak_kinds option's layout.
constexpr unsigned all_leak_kind_bits = 15u;

// One entry of a file. `frames`/`frame_count` index the file's frame patterns (valgrind only).
struct suppression {
    const char* name;   // the pattern of a leak: line; the name line of a valgrind block
    unsigned line;      // where it begins in its file
    bool valgrind;      // a { ... } block, else a leak: line
    unsigned kinds;     // match-leak-kinds: as bits (all four when the block has no such line)
    std::size_t frames; // index of its first frame pattern
    std::size_t frame_count;
    std::size_t hit_blocks; // blocks it suppressed (all checks of the run), updated atomically
    std::size_t hit_bytes;
};

// A parsed file, in one run of pages: this record, then its entries and frame patterns. Its text
// (the file, with line ends and separators overwritten by '\0') is kept in pages of its own.
struct suppression_file {
    std::atomic<suppression_file*> next; // the next file the options named (core/suppression_files.hpp)
    char path[max_path_length + 1];
    char* text;
    std::size_t text_size;
    page_array<suppression> entries;
    page_array<frame_pattern> frames;
};

// valgrind's longest calling context in a suppression (VG_DEEPEST_BACKTRACE is 500; files
// written by --gen-suppressions hold --num-callers frames): a block with more is refused.
constexpr std::size_t max_frame_patterns = 64;

// Types of other sanitizers' suppressions (AddressSanitizer, ThreadSanitizer, UBSan's vptr
// check), which a project's shared file may hold: valid, just not leaks.
inline bool other_sanitizer_type(const char* type) noexcept {
    static const char* const types[] = {"interceptor_name",
                                        "interceptor_via_fun",
                                        "interceptor_via_lib",
                                        "odr_violation",
                                        "race",
                                        "race_top",
                                        "mutex",
                                        "thread",
                                        "signal",
                                        "deadlock",
                                        "called_from_lib",
                                        "vptr_check"};
    for (const char* t : types)
        if (std::strcmp(t, type) == 0) return true;
    return false;
}

// match-leak-kinds: "definite,possible", "all" or "none" as bits; false on an unknown word.
inline bool parse_leak_kinds(const char* list, unsigned& bits) noexcept {
    static const char* const names[] = {"definite", "indirect", "possible", "reachable"};
    if (std::strcmp(list, "all") == 0) {
        bits = all_leak_kind_bits;
        return true;
    }
    if (std::strcmp(list, "none") == 0) {
        bits = 0;
        return true;
    }
    unsigned out = 0;
    for (const char* p = list;;) {
        std::size_t n = 0;
        while (p[n] && p[n] != ',') ++n;
        bool found = false;
        for (unsigned k = 0; k < 4; ++k)
            if (std::strlen(names[k]) == n && std::strncmp(names[k], p, n) == 0) {
                out |= 1u << k;
                found = true;
            }
        if (!found) return false;
        if (!p[n]) break;
        p += n + 1;
    }
    bits = out;
    return true;
}

// The parser's state over one file: its lines, and where warnings go.
class suppression_parser {
public:
    suppression_parser(suppression_file& file, int warn_fd) noexcept
        : file_(file), warn_fd_(warn_fd), next_(file.text), end_(file.text + file.text_size), line_(0) {}

    // Parses the whole text; returns the number of warnings printed.
    unsigned run() noexcept {
        while (char* line = next_line()) {
            if (line[0] == '{' && line[1] == '\0') {
                while (valgrind_block(line_)) {} // a block left open ends where the next '{' begins
            } else if (line[0] == '}' && line[1] == '\0') {
                warn(line_, "'}' without an opening '{'");
            } else {
                lsan_line(line);
            }
        }
        return warnings_;
    }

private:
    // The next line that is neither blank nor a comment, trimmed and terminated in place; null at
    // the end of the text. line_ is its number.
    char* next_line() noexcept {
        while (next_ < end_) {
            char* start = next_;
            char* stop = start;
            while (stop < end_ && *stop != '\n') ++stop;
            next_ = stop < end_ ? stop + 1 : end_;
            ++line_;
            *stop = '\0'; // the text has one byte past its end for the last line's '\0'
            while (start < stop && is_blank(*start)) ++start;
            while (stop > start && is_blank(stop[-1])) *--stop = '\0';
            if (start == stop || *start == '#') continue;
            return start;
        }
        return nullptr;
    }
    static bool is_blank(char c) noexcept { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

    void warn(unsigned line, const char* what, const char* detail = nullptr) noexcept {
        ++warnings_;
        fd_writer out(warn_fd_);
        if (detail)
            out.printf("leakguard: suppressions file %s line %u: %s '%s' (entry skipped)\n", file_.path, line, what,
                       detail);
        else out.printf("leakguard: suppressions file %s line %u: %s (entry skipped)\n", file_.path, line, what);
    }

    // "leak:PATTERN" (LeakSanitizer); other sanitizers' types are skipped.
    void lsan_line(char* line) noexcept {
        char* colon = std::strchr(line, ':');
        if (!colon) {
            warn(line_, "expected 'leak:PATTERN' or a '{' opening a valgrind suppression, found", line);
            return;
        }
        *colon = '\0';
        char* pattern = colon + 1;
        if (std::strcmp(line, "leak") != 0) {
            if (!other_sanitizer_type(line)) warn(line_, "unknown suppression type", line);
            return;
        }
        if (!*pattern) {
            warn(line_, "'leak:' without a pattern");
            return;
        }
        suppression s = {};
        s.name = pattern;
        s.line = line_;
        s.kinds = all_leak_kind_bits;
        if (!file_.entries.push(s)) warn(line_, "out of memory");
    }

    // A valgrind block, from the line after its '{' to its '}'. A block of another tool or kind
    // is read to its end and dropped; a malformed one is warned about once and dropped. Returns
    // true when a '{' came before the '}': the block was left open, and that line opens the next.
    bool valgrind_block(unsigned open_line) noexcept {
        suppression s = {};
        s.line = open_line;
        s.valgrind = true;
        s.kinds = all_leak_kind_bits;
        s.frames = file_.frames.count;
        bool leak = false;
        const char* problem = nullptr; // the first thing wrong with the block
        const char* problem_text = nullptr;
        unsigned problem_line = 0;
        unsigned step = 0; // 0: name next; 1: tool:kind next; 2: match-leak-kinds or frames; 3: frames
        for (;;) {
            char* line = next_line();
            if (!line || (line[0] == '{' && line[1] == '\0')) {
                warn(open_line, "a valgrind suppression without its closing '}'");
                file_.frames.count = s.frames;
                return line != nullptr;
            }
            if (line[0] == '}' && line[1] == '\0') break;
            if (problem) continue;
            if (step == 0) {
                s.name = line;
                step = 1;
            } else if (step == 1) {
                leak = memcheck_leak(line);
                if (!std::strchr(line, ':')) {
                    problem = "expected 'Tool:Kind' (Memcheck:Leak), found";
                    problem_text = line;
                    problem_line = line_;
                }
                step = 2;
            } else if (!leak) {
                continue; // another kind's lines: read, never judged
            } else if (step == 2 && starts_with(line, "match-leak-kinds:")) {
                const char* list = line + sizeof "match-leak-kinds:" - 1;
                while (is_blank(*list)) ++list;
                if (!parse_leak_kinds(list, s.kinds)) {
                    problem = "unknown leak kind in";
                    problem_text = line;
                    problem_line = line_;
                }
                step = 3;
            } else {
                step = 3;
                frame_pattern f = {frame_pattern_kind::any, 0, nullptr};
                if (!parse_frame(line, f)) {
                    problem = "expected 'fun:', 'obj:', 'src:' or '...', found";
                    problem_text = line;
                    problem_line = line_;
                } else if (file_.frames.count - s.frames == max_frame_patterns) {
                    problem = "more frame lines than leakguard keeps (64), at";
                    problem_text = line;
                    problem_line = line_;
                } else if (!file_.frames.push(f)) {
                    problem = "out of memory at";
                    problem_text = line;
                    problem_line = line_;
                }
            }
        }
        if (!problem && step < 2) {
            problem = "a valgrind suppression without its 'Tool:Kind' line";
            problem_line = open_line;
        }
        if (!problem && leak && file_.frames.count == s.frames) {
            problem = "a valgrind leak suppression without frame lines";
            problem_line = open_line;
        }
        if (problem || !leak) {
            if (problem) warn(problem_line, problem, problem_text);
            file_.frames.count = s.frames; // its frame patterns go too
            return false;
        }
        s.frame_count = file_.frames.count - s.frames;
        if (!file_.entries.push(s)) {
            warn(open_line, "out of memory");
            file_.frames.count = s.frames;
        }
        return false;
    }

    // "Memcheck:Leak", or a list of tools that has Memcheck ("Memcheck,Helgrind:Leak").
    static bool memcheck_leak(const char* line) noexcept {
        const char* colon = std::strrchr(line, ':');
        if (!colon || std::strcmp(colon + 1, "Leak") != 0) return false;
        for (const char* p = line; p < colon;) {
            std::size_t n = 0;
            while (p + n < colon && p[n] != ',') ++n;
            if (n == 8 && std::strncmp(p, "Memcheck", 8) == 0) return true;
            p += n + 1;
        }
        return false;
    }

    // One frame line. src:FILE:LINE keeps LINE apart (digits after the last ':').
    static bool parse_frame(char* line, frame_pattern& f) noexcept {
        if (std::strcmp(line, "...") == 0) {
            f.kind = frame_pattern_kind::any;
            return true;
        }
        if (starts_with(line, "fun:")) f.kind = frame_pattern_kind::fun;
        else if (starts_with(line, "obj:")) f.kind = frame_pattern_kind::obj;
        else if (starts_with(line, "src:")) f.kind = frame_pattern_kind::src;
        else return false;
        f.pattern = line + 4;
        if (f.kind == frame_pattern_kind::src) {
            char* colon = std::strrchr(line + 4, ':');
            if (colon && colon[1]) {
                unsigned n = 0;
                const char* d = colon + 1;
                for (; *d >= '0' && *d <= '9' && n < 100000000u; ++d) n = n * 10 + static_cast<unsigned>(*d - '0');
                if (!*d) {
                    *colon = '\0';
                    f.line = n;
                }
            }
        }
        return *f.pattern != '\0';
    }

    suppression_file& file_;
    int warn_fd_;
    char* next_;
    char* end_;
    unsigned line_;
    unsigned warnings_ = 0;
};

// Parses `file.text` (text_size bytes, with one writable byte after them) into file's entries,
// warning on `warn_fd`; returns the number of warnings.
inline unsigned parse_suppressions(suppression_file& file, int warn_fd) noexcept {
    suppression_parser parser(file, warn_fd);
    return parser.run();
}

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_CORE_SUPPRESSION_PARSE_HPP_INCLUDED
