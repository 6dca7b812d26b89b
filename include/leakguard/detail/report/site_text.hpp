// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// report/site_text.hpp: how a place in the code reads in the reports - "function file:line
// (module+offset)" for a return address, "file:line in function" for a macro's call site - shared
// by the leak groups, the stacks under them and the heap errors.
#ifndef LEAKGUARD_DETAIL_REPORT_SITE_TEXT_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REPORT_SITE_TEXT_HPP_INCLUDED

#include <cstddef> // std::size_t
#include <cstdio>  // std::snprintf

#include "../../block_info.hpp"
#include "../core/text.hpp"
#include "../symbolize/site_rules.hpp"
#include "../symbolize/symbolize.hpp"

namespace leakguard {
namespace detail {

// " file:line" of a symbol: its file name and up to ten digits.
constexpr std::size_t where_text_size = sizeof(symbol_info::file) + 16;
// A site's whole description: function, " file:line", " (module+0x" offset ")" - never cut.
constexpr std::size_t site_text_size =
    sizeof(symbol_info::function) + where_text_size + sizeof(symbol_info::module) + 32;

// Names the site of a block: for a block with a call stack, its first frame outside leakguard and
// the standard library (what the user's code called); otherwise its return address. Returns the
// index of that frame in b.stack (0 without a stack).
inline std::size_t symbolize_site(const block_info& b, symbol_info& sym) noexcept {
    if (b.stack && b.stack_depth > 0) return find_site(b.stack, b.stack_depth, sym);
    symbolize(b.caller, sym);
    return 0;
}

// "function file:line (module+offset)", with what is known of a symbolized return address.
// A frame shown without file:line for want of its module's debug information gets the report's
// note (want_debug_note).
inline void describe_symbol(const symbol_info& sym, const void* address, char* out, std::size_t size) noexcept {
    if (!sym.file[0]) want_debug_note(sym);
    char where[where_text_size] = "";
    if (sym.file[0]) std::snprintf(where, sizeof where, " %s:%u", sym.file, sym.line);
    if (sym.module[0] && sym.function[0])
        std::snprintf(out, size, "%s%s (%s+0x%lx)", sym.function, where, base_name(sym.module),
                      static_cast<unsigned long>(sym.offset));
    else if (sym.module[0] && sym.file[0])
        std::snprintf(out, size, "%s (%s+0x%lx)", where + 1, base_name(sym.module),
                      static_cast<unsigned long>(sym.offset));
    else if (sym.module[0])
        std::snprintf(out, size, "%s+0x%lx", base_name(sym.module), static_cast<unsigned long>(sym.offset));
    else std::snprintf(out, size, "%p", address);
}

// One line naming where a block was allocated: file:line when a macro said so (and the function
// its return address lies in), otherwise the function, file:line and module+offset of the return
// address.
inline void describe_site(const block_info& b, char* out, std::size_t size) noexcept {
    symbol_info sym;
    symbolize_site(b, sym);
    if (b.location) {
        const char* function = b.location->function && b.location->function[0] ? b.location->function : sym.function;
        if (function[0]) std::snprintf(out, size, "%s:%d in %s", b.location->file, b.location->line, function);
        else std::snprintf(out, size, "%s:%d", b.location->file, b.location->line);
        return;
    }
    describe_symbol(sym, b.caller, out, size);
}

// A place in the code as the JSON and SARIF reports name it, by parts; null or 0: unknown.
struct code_place {
    const char* function;
    const char* file;
    unsigned line;
    const char* module;
};

// The place a symbolized address names.
inline code_place place_of(const symbol_info& sym) noexcept {
    return code_place{sym.function[0] ? sym.function : nullptr, sym.file[0] ? sym.file : nullptr,
                      sym.file[0] ? sym.line : 0, sym.module[0] ? sym.module : nullptr};
}

// Where block `b` was allocated: the macro's file:line (and function, if it gave one) when one
// said so, else its site frame's (symbolize_site, into `sym`, which the result points into).
inline code_place site_place(const block_info& b, symbol_info& sym) noexcept {
    symbolize_site(b, sym);
    code_place out = place_of(sym);
    if (b.location) {
        if (b.location->function && b.location->function[0]) out.function = b.location->function;
        out.file = b.location->file;
        out.line = b.location->line > 0 ? static_cast<unsigned>(b.location->line) : 0;
    }
    return out;
}

// describe_site() for a (return address, location) pair.
inline void describe_code(const void* caller, const source_location* location, char* out, std::size_t size) noexcept {
    block_info b = block_info();
    b.caller = caller;
    b.location = location;
    describe_site(b, out, size);
}

// site_place() for a (return address, location) pair.
inline code_place code_place_of(const void* caller, const source_location* location, symbol_info& sym) noexcept {
    block_info b = block_info();
    b.caller = caller;
    b.location = location;
    return site_place(b, sym);
}

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_REPORT_SITE_TEXT_HPP_INCLUDED
