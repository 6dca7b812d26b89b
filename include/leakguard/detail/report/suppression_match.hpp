// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// report/suppression_match.hpp: whether one suppression matches one block, given the block's
// frames already named (report/suppressions.hpp names them). The rules, LeakSanitizer's and
// valgrind's (docs/suppressions.md):
//   leak:PATTERN  matches when the pattern matches the module, the function or the source file
//                 of any frame of the block's stack (lsan_glob: anywhere in the name unless
//                 anchored with ^ or $).
//   { ... }       matches when its frame lines match the stack from its top, each line one frame
//                 ("..." any number), the whole name each (valgrind_glob), and the block's kind
//                 is one match-leak-kinds names. valgrind's stacks begin at the allocator
//                 (fun:malloc, fun:_Znwm); leakguard's at its caller: the allocator's frame is
//                 matched against the names valgrind gives the allocator of the block's kind.
#ifndef LEAKGUARD_DETAIL_REPORT_SUPPRESSION_MATCH_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REPORT_SUPPRESSION_MATCH_HPP_INCLUDED

#include <cstddef> // std::size_t

#include "../../block_info.hpp"
#include "../core/glob.hpp"
#include "../core/suppression_parse.hpp"
#include "../core/text.hpp"

namespace leakguard {
namespace detail {

// One named frame, innermost first; calls inlined at a return address are frames of their own.
struct frame_view {
    const char* function;   // demangled; "" when unknown
    const char* raw_name;   // as the module holds it (mangled; an inlined call's DWARF name), or null
    const char* file;       // the source file's path; "" when unknown
    unsigned line;          // 0 when unknown
    const char* module;     // the module's path as the loader names it; "" when unknown
    const char* module_alt; // the same module by another path (the executable's absolute one), or null
};

// The names valgrind's memcheck gives its replacement of the allocator a block of `kind` came
// from (vg_replace_malloc.c), mangled as --gen-suppressions writes them, then demangled. Ends
// with null.
inline const char* const* allocator_names(block_kind kind) noexcept {
    static const char* const new_scalar[] = {"_Znwm",
                                             "_ZnwmRKSt9nothrow_t",
                                             "_Znwj",
                                             "_ZnwjRKSt9nothrow_t",
                                             "operator new(unsigned long)",
                                             "operator new(unsigned long, std::nothrow_t const&)",
                                             nullptr};
    static const char* const new_array[] = {"_Znam",
                                            "_ZnamRKSt9nothrow_t",
                                            "_Znaj",
                                            "_ZnajRKSt9nothrow_t",
                                            "operator new[](unsigned long)",
                                            "operator new[](unsigned long, std::nothrow_t const&)",
                                            nullptr};
    static const char* const new_scalar_aligned[] = {
        "_ZnwmSt11align_val_t",
        "_ZnwmSt11align_val_tRKSt9nothrow_t",
        "_ZnwjSt11align_val_t",
        "_ZnwjSt11align_val_tRKSt9nothrow_t",
        "operator new(unsigned long, std::align_val_t)",
        "operator new(unsigned long, std::align_val_t, std::nothrow_t const&)",
        nullptr};
    static const char* const new_array_aligned[] = {
        "_ZnamSt11align_val_t",
        "_ZnamSt11align_val_tRKSt9nothrow_t",
        "_ZnajSt11align_val_t",
        "_ZnajSt11align_val_tRKSt9nothrow_t",
        "operator new[](unsigned long, std::align_val_t)",
        "operator new[](unsigned long, std::align_val_t, std::nothrow_t const&)",
        nullptr};
    static const char* const malloc_names[] = {"malloc", nullptr};
    static const char* const calloc_names[] = {"calloc", nullptr};
    static const char* const realloc_names[] = {"realloc", nullptr};
    // valgrind does not replace these two: the C library's copy calls malloc.
    static const char* const strdup_names[] = {"malloc", "strdup", nullptr};
    static const char* const strndup_names[] = {"malloc", "strndup", nullptr};
    static const char* const memalign_names[] = {"memalign", nullptr};
    static const char* const posix_memalign_names[] = {"posix_memalign", nullptr};
    static const char* const aligned_alloc_names[] = {"aligned_alloc", nullptr};
    static const char* const valloc_names[] = {"valloc", nullptr};
    static const char* const pvalloc_names[] = {"pvalloc", nullptr};
    static const char* const none[] = {nullptr};
    switch (kind) {
    case block_kind::new_scalar: return new_scalar;
    case block_kind::new_array: return new_array;
    case block_kind::new_scalar_aligned: return new_scalar_aligned;
    case block_kind::new_array_aligned: return new_array_aligned;
    case block_kind::malloc: return malloc_names;
    case block_kind::calloc: return calloc_names;
    case block_kind::realloc: return realloc_names;
    case block_kind::strdup: return strdup_names;
    case block_kind::strndup: return strndup_names;
    case block_kind::memalign: return memalign_names;
    case block_kind::posix_memalign: return posix_memalign_names;
    case block_kind::aligned_alloc: return aligned_alloc_names;
    case block_kind::valloc: return valloc_names;
    case block_kind::pvalloc: return pvalloc_names;
    }
    return none;
}

// A frame line against the allocator's frame: its names, the module and the file that hold
// valgrind's replacements (at any line).
inline bool allocator_frame_matches(const frame_pattern& f, block_kind kind) noexcept {
    switch (f.kind) {
    case frame_pattern_kind::fun:
        for (const char* const* n = allocator_names(kind); *n; ++n)
            if (valgrind_glob(f.pattern, *n)) return true;
        return false;
    case frame_pattern_kind::obj:
        return valgrind_glob(f.pattern, "/usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so");
    case frame_pattern_kind::src: return valgrind_glob(f.pattern, "vg_replace_malloc.c");
    case frame_pattern_kind::any: return true;
    }
    return false;
}

// A frame line against a named frame. An unknown name is valgrind's "???"; fun: is tried on the
// name as the module holds it and on the demangled one; src: on the file's last part (valgrind's
// form) and on its whole path.
inline bool frame_matches(const frame_pattern& f, const frame_view& v) noexcept {
    switch (f.kind) {
    case frame_pattern_kind::fun:
        if (v.raw_name && valgrind_glob(f.pattern, v.raw_name)) return true;
        return valgrind_glob(f.pattern, v.function[0] ? v.function : "???");
    case frame_pattern_kind::obj:
        if (v.module_alt && valgrind_glob(f.pattern, v.module_alt)) return true;
        return valgrind_glob(f.pattern, v.module[0] ? v.module : "???");
    case frame_pattern_kind::src:
        if (!v.file[0] || (f.line != 0 && f.line != v.line)) return false;
        return valgrind_glob(f.pattern, base_name(v.file)) || valgrind_glob(f.pattern, v.file);
    case frame_pattern_kind::any: return true;
    }
    return false;
}

// The frame lines p[0..np) against the stack from position `at`: position 0 is the allocator's
// frame, position i > 0 is frames[i - 1]. Lines left over after the last frame fail the match;
// frames left over after the last line do not (a suppression names the top of a stack).
inline bool frames_match_from(const frame_pattern* p, std::size_t np, block_kind kind, const frame_view* frames,
                              std::size_t count, std::size_t at) noexcept {
    std::size_t const total = count + 1;
    for (;;) {
        if (np == 0) return true;
        if (p->kind == frame_pattern_kind::any) {
            while (np > 0 && p->kind == frame_pattern_kind::any) {
                ++p;
                --np;
            }
            if (np == 0) return true;
            for (std::size_t from = at; from < total; ++from)
                if (frames_match_from(p, np, kind, frames, count, from)) return true;
            return false;
        }
        if (at >= total) return false;
        bool const hit = at == 0 ? allocator_frame_matches(*p, kind) : frame_matches(*p, frames[at - 1]);
        if (!hit) return false;
        ++p;
        --np;
        ++at;
    }
}

// Whether a block of this kind of loss is one the entry names (a block no leak check judged - a
// strict scope's - is of any kind).
inline bool suppresses_loss(const suppression& s, leak_kind loss) noexcept {
    return loss == leak_kind::unchecked || (s.kinds & (1u << (static_cast<unsigned>(loss) - 1)));
}

// A leak: line against one frame's module, function and file.
inline bool lsan_frame_matches(const suppression& s, const frame_view& v) noexcept {
    return lsan_glob(s.name, v.module) || (v.module_alt && lsan_glob(s.name, v.module_alt)) ||
           lsan_glob(s.name, v.function) || lsan_glob(s.name, v.file);
}

// Whether entry `s` of `file` suppresses a block of allocation kind `kind` and loss `loss` whose
// stack is frames[0..count). `site`: the function and file a mapping macro gave the block, or
// null; leak: lines are tried on it too (valgrind's frames are the stack's alone).
inline bool entry_matches(const suppression_file& file, const suppression& s, block_kind kind, leak_kind loss,
                          const frame_view* frames, std::size_t count, const frame_view* site) noexcept {
    if (!suppresses_loss(s, loss)) return false;
    if (s.valgrind) return frames_match_from(file.frames.items + s.frames, s.frame_count, kind, frames, count, 0);
    if (site && lsan_frame_matches(s, *site)) return true;
    for (std::size_t i = 0; i < count; ++i)
        if (lsan_frame_matches(s, frames[i])) return true;
    return false;
}

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_REPORT_SUPPRESSION_MATCH_HPP_INCLUDED
