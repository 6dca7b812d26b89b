// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// impl/symbolize.hpp: naming a return address at report time - module and offset from the dynamic
// loader, the function from the module's ELF symbol table (or its exports when stripped), and the
// source file:line of the call from the module's DWARF line table (built with -g).
#ifndef LEAKGUARD_DETAIL_IMPL_SYMBOLIZE_HPP_INCLUDED
#define LEAKGUARD_DETAIL_IMPL_SYMBOLIZE_HPP_INCLUDED

#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1 // dladdr1
#endif
#include <cstdint>  // std::uintptr_t
#include <cstring>  // std::strrchr
#include <cxxabi.h> // abi::__cxa_demangle (uses malloc, not operator new)
#include <dlfcn.h>  // dladdr1
#include <link.h>   // ElfW(Sym)

#include "dwarf_lines.hpp"
#include "elf_symbols.hpp"
#include "platform.hpp"

namespace leakguard {
namespace detail {

struct symbol_info {
    char function[512]; // demangled, empty when unknown
    char file[512];     // source file from the DWARF line table, empty when unknown
    unsigned line;
    char module[512];   // path of the module (executable or shared library), empty when unknown
    std::uintptr_t offset; // address - module base (what addr2line takes)
};

inline void copy_text(char* dest, std::size_t size, const char* src) noexcept {
    std::size_t n = 0;
    if (src)
        for (; src[n] && n + 1 < size; ++n) dest[n] = src[n];
    dest[n] = '\0';
}

// Modules whose files are mapped for symbol lookups, kept for the rest of the process (a report
// may name thousands of sites in the same few modules).
struct module_cache {
    spinlock lock;
    struct entry {
        const void* base;
        elf_image image;
        line_table lines;
        bool lines_built;
    } entries[16];
    unsigned count;
};

module_cache g_modules{};

inline module_cache::entry* module_entry(const struct link_map* lm) noexcept {
    for (unsigned i = 0; i < g_modules.count; ++i)
        if (g_modules.entries[i].base == reinterpret_cast<const void*>(lm->l_addr))
            return g_modules.entries[i].image.data ? &g_modules.entries[i] : nullptr;
    if (g_modules.count == sizeof g_modules.entries / sizeof g_modules.entries[0]) return nullptr;
    module_cache::entry& e = g_modules.entries[g_modules.count++];
    e.base = reinterpret_cast<const void*>(lm->l_addr);
    e.lines_built = false;
    // The main program's link map has an empty name: read it through /proc/self/exe.
    map_elf(lm->l_name && lm->l_name[0] ? lm->l_name : "/proc/self/exe", e.image);
    return e.image.data ? &e : nullptr;
}

inline void set_function(symbol_info& out, const char* mangled) noexcept {
    int status = -1;
    char* demangled = abi::__cxa_demangle(mangled, nullptr, nullptr, &status);
    copy_text(out.function, sizeof out.function, status == 0 && demangled ? demangled : mangled);
    (std::free)(demangled);
}

// `caller` is a return address: the call instruction is just before it, so look up caller - 1.
inline void symbolize(const void* caller, symbol_info& out) noexcept {
    out.function[0] = out.module[0] = out.file[0] = '\0';
    out.line = 0;
    out.offset = 0;
    if (!caller) return;
    std::uintptr_t const pc = reinterpret_cast<std::uintptr_t>(caller) - 1;
    Dl_info info;
    struct link_map* lm = nullptr;
    if (!dladdr1(reinterpret_cast<void*>(pc), &info, reinterpret_cast<void**>(&lm), RTLD_DL_LINKMAP)) return;
    copy_text(out.module, sizeof out.module, info.dli_fname);
    out.offset = reinterpret_cast<std::uintptr_t>(caller) - reinterpret_cast<std::uintptr_t>(info.dli_fbase);
    if (lm) {
        lock_guard hold(g_modules.lock);
        if (module_cache::entry* e = module_entry(lm)) {
            if (!e->lines_built) {
                build_line_table(e->image, e->lines);
                e->lines_built = true;
            }
            lookup_line(e->lines, pc - lm->l_addr, out.file, sizeof out.file, out.line);
            if (const char* name = elf_function_at(e->image, pc - lm->l_addr)) {
                set_function(out, name);
                return;
            }
        }
    }
    // No symbol table in the file (stripped): an exported symbol that contains the address.
    void* extra = nullptr;
    if (!dladdr1(reinterpret_cast<void*>(pc), &info, &extra, RTLD_DL_SYMENT)) return;
    const ElfW(Sym)* sym = static_cast<const ElfW(Sym)*>(extra);
    if (!info.dli_sname || !info.dli_saddr || !sym) return;
    std::uintptr_t const start = reinterpret_cast<std::uintptr_t>(info.dli_saddr);
    if (sym->st_size != 0 && pc >= start + sym->st_size) return; // nearest export, not the function
    set_function(out, info.dli_sname);
}

inline const char* base_name(const char* path) noexcept {
    const char* slash = std::strrchr(path, '/');
    return slash ? slash + 1 : path;
}

} // namespace detail
} // namespace leakguard

#endif
