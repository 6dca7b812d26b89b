// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// symbolize/site_rules.hpp: report-time use of a captured stack - naming every frame, and choosing the
// block's "site": the first frame (from the allocation outwards) that is the program's own code
// rather than leakguard's or the standard library's. A leak made by std::vector growth or by
// std::make_shared is then attributed to the function that used the container or made the
// pointer, which is what a user can act on.
//
// Frames are judged by their demangled function name (what symbolize() gives): the qualified
// name, after any return type, is matched on its prefix. Everything here allocates only through
// symbolize() (the demangler's malloc), never through operator new.
#ifndef LEAKGUARD_DETAIL_SYMBOLIZE_SITE_RULES_HPP_INCLUDED
#define LEAKGUARD_DETAIL_SYMBOLIZE_SITE_RULES_HPP_INCLUDED

#include <cstddef> // std::size_t

#include "../core/text.hpp"
#include "symbolize.hpp"

namespace leakguard {
namespace detail {

enum class site_rule : unsigned char {
    // Skip every frame of the standard library (std::, __gnu_cxx::, the C++ runtime), as well as
    // leakguard's and the global operator new. The default: at -O0 a vector's growth passes
    // through push_back and _M_realloc_insert, a string's through _M_construct and _M_create,
    // none of which is an "allocator" but none of which is where the user can fix a leak.
    standard_library,
    // Skip only the allocation machinery proper (allocators, allocator_traits, the containers'
    // node and buffer getters, shared_ptr's control block, make_shared/make_unique): the site is
    // then the standard function that asked for memory when there is one (vector::push_back).
    allocation_wrappers,
};

// The qualified name inside a demangled function name: past a template function's return type
// ("std::shared_ptr<T> std::make_shared<T>()" -> "std::make_shared<T>()"), up to its end. Scans
// at bracket depth 0 for the last space before the parameter list; "operator" (whose symbol may
// contain brackets or spaces), "decltype (...)" and "(anonymous namespace)" are taken whole.
inline const char* qualified_name(const char* f) noexcept {
    const char* start = f;
    int depth = 0;
    for (const char* p = f; *p;) {
        if (depth == 0) {
            if (starts_with(p, "(anonymous namespace)")) {
                p += sizeof "(anonymous namespace)" - 1;
                continue;
            }
            if (starts_with(p, "decltype (")) { // a return type; its parentheses are not parameters
                p += sizeof "decltype (" - 1;
                ++depth;
                continue;
            }
            if (starts_with(p, "operator") && (p == start || p[-1] == ':')) return start;
            if (*p == '(') return start; // the parameter list
            if (*p == ' ') {
                start = p + 1;
                ++p;
                continue;
            }
        }
        if (*p == '<' || *p == '(' || *p == '[' || *p == '{') ++depth;
        else if ((*p == '>' || *p == ')' || *p == ']' || *p == '}') && depth > 0) --depth;
        ++p;
    }
    return start;
}

inline bool matches_any(const char* name, const char* const* prefixes, std::size_t n) noexcept {
    for (std::size_t i = 0; i < n; ++i)
        if (starts_with(name, prefixes[i])) return true;
    return false;
}

// Whether a frame is leakguard's or the standard library's, by the rule. `function` is a
// demangled name (may be empty), `module` the path of the module holding the frame (may be
// empty: an address in no loaded module is no code at all, e.g. a junk frame-pointer link).
inline bool is_library_frame(const char* function, const char* module, site_rule rule) noexcept {
    if (!module || !module[0]) return true;
    if (!function || !function[0]) {
        // Unnamed code in the C++ runtime itself (a stripped libstdc++ names only its exports).
        const char* base = base_name(module);
        return starts_with(base, "libstdc++.so") || starts_with(base, "libc++.so") || starts_with(base, "libc++abi.so");
    }
    const char* name = qualified_name(function);
    static const char* const always[] = {
        "leakguard::",
        "operator new", // the global one only: a class's own is "T::operator new"
    };
    if (matches_any(name, always, sizeof always / sizeof always[0])) return true;
    if (rule == site_rule::standard_library) {
        static const char* const standard[] = {
            "std::", "__gnu_cxx::", "__gnu_debug::", "__cxxabiv1::", "__cxa_",
        };
        return matches_any(name, standard, sizeof standard / sizeof standard[0]);
    }
    static const char* const wrappers[] = {
        "std::allocator<",
        "std::allocator_traits<",
        "std::__new_allocator<",
        "__gnu_cxx::new_allocator<",
        "__gnu_cxx::__alloc_traits<",
        "std::__allocated_ptr<",
        "std::__allocate_guarded<",
        // containers' buffer and node getters
        "std::_Vector_base<",
        "std::_Deque_base<",
        "std::_List_base<",
        "std::__cxx11::_List_base<",
        "std::_Fwd_list_base<",
        "std::_Rb_tree<",
        "std::__detail::_Hashtable_alloc<",
        "std::__detail::_AllocNode<",
        "std::__detail::_ReuseOrAllocNode<",
        // shared_ptr's control block and the functions that make one
        "std::_Sp_counted_",
        "std::_Sp_alloc_shared_tag",
        "std::__shared_count<",
        "std::__shared_ptr<",
        "std::shared_ptr<",
        "std::__allocate_shared<",
        "std::allocate_shared<",
        "std::__make_shared<",
        "std::make_shared<",
        "std::make_unique<",
        // std::function's heap-stored target
        "std::_Function_base::_Base_manager<",
    };
    return matches_any(name, wrappers, sizeof wrappers / sizeof wrappers[0]);
}

// Names every frame: out[i] for frames[i] (return addresses; symbolize looks up address - 1).
// The caller provides `out` (1.5 KiB a frame: from raw memory or a stack array, not operator new).
inline void symbolize_stack(void* const* frames, std::size_t depth, symbol_info* out) noexcept {
    for (std::size_t i = 0; i < depth; ++i) symbolize(frames[i], out[i]);
}

// Names every frame with the calls inlined at it as frames of their own (symbolize_frames),
// into out[0..max_out); returns how many were written (the stack is cut when out is full).
inline std::size_t symbolize_stack_inlined(void* const* frames, std::size_t depth, symbol_info* out,
                                           std::size_t max_out) noexcept {
    std::size_t n = 0;
    for (std::size_t i = 0; i < depth && n < max_out; ++i) {
        std::size_t const room = max_out - n < max_inline_frames ? max_out - n : max_inline_frames;
        n += symbolize_frames(frames[i], out + n, room);
    }
    return n;
}

// The index of the site among already named frames: the first that is not a library frame; 0
// when every frame is one (an allocation the standard library made on its own behalf).
inline std::size_t find_site(const symbol_info* frames, std::size_t depth,
                             site_rule rule = site_rule::standard_library) noexcept {
    for (std::size_t i = 0; i < depth; ++i)
        if (!is_library_frame(frames[i].function, frames[i].module, rule)) return i;
    return 0;
}

// The same from the raw frames, naming only as many as it takes, inlined calls included: `site`
// gets the site's names (at -O2 a std::vector's growth inlined into the user's function is a
// frame of the return address in that function; the site is then that function, at the line of
// the push_back, not the line of <bits/stl_vector.h> the address maps to). Returns the index of
// the return address the site is at. For grouping a report by site without naming whole stacks.
inline std::size_t find_site(void* const* frames, std::size_t depth, symbol_info& site,
                             site_rule rule = site_rule::standard_library) noexcept {
    symbol_info* named = static_cast<symbol_info*>(raw_alloc(max_inline_frames * sizeof(symbol_info)));
    if (!named) { // no memory for inlined frames: the functions the addresses are in
        for (std::size_t i = 0; i < depth; ++i) {
            symbolize(frames[i], site);
            if (!is_library_frame(site.function, site.module, rule)) return i;
        }
        symbolize(depth ? frames[0] : nullptr, site);
        return 0;
    }
    for (std::size_t i = 0; i < depth; ++i) {
        std::size_t const n = symbolize_frames(frames[i], named, max_inline_frames);
        for (std::size_t j = 0; j < n; ++j) {
            if (!is_library_frame(named[j].function, named[j].module, rule)) {
                site = named[j];
                raw_free(named);
                return i;
            }
        }
    }
    if (depth > 0) {
        symbolize_frames(frames[0], named, max_inline_frames);
        site = named[0];
    } else {
        symbolize(nullptr, site);
    }
    raw_free(named);
    return 0;
}

} // namespace detail
} // namespace leakguard

#endif
