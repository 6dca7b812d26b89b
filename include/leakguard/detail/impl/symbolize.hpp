// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// impl/symbolize.hpp: naming a return address at report time - module and offset from the dynamic
// loader, and the function when the module exports a symbol that contains the address.
// (Programs linked without -rdynamic export few symbols: then only module+offset is known, which
// `addr2line -f -C -e MODULE OFFSET` turns into function and file:line.)
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

#include "platform.hpp"

namespace leakguard {
namespace detail {

struct symbol_info {
    char function[512]; // demangled, empty when unknown
    char module[512];   // path of the module (executable or shared library), empty when unknown
    std::uintptr_t offset; // address - module base (what addr2line takes)
};

inline void copy_text(char* dest, std::size_t size, const char* src) noexcept {
    std::size_t n = 0;
    if (src)
        for (; src[n] && n + 1 < size; ++n) dest[n] = src[n];
    dest[n] = '\0';
}

// `caller` is a return address: the call instruction is just before it, so look up caller - 1.
inline void symbolize(const void* caller, symbol_info& out) noexcept {
    out.function[0] = out.module[0] = '\0';
    out.offset = 0;
    if (!caller) return;
    std::uintptr_t const pc = reinterpret_cast<std::uintptr_t>(caller) - 1;
    Dl_info info;
    void* extra = nullptr;
    if (!dladdr1(reinterpret_cast<void*>(pc), &info, &extra, RTLD_DL_SYMENT)) return;
    copy_text(out.module, sizeof out.module, info.dli_fname);
    out.offset = reinterpret_cast<std::uintptr_t>(caller) - reinterpret_cast<std::uintptr_t>(info.dli_fbase);
    const ElfW(Sym)* sym = static_cast<const ElfW(Sym)*>(extra);
    if (!info.dli_sname || !info.dli_saddr || !sym) return;
    std::uintptr_t const start = reinterpret_cast<std::uintptr_t>(info.dli_saddr);
    if (sym->st_size != 0 && pc >= start + sym->st_size) return; // nearest export, not the function
    int status = -1;
    char* demangled = abi::__cxa_demangle(info.dli_sname, nullptr, nullptr, &status);
    copy_text(out.function, sizeof out.function, status == 0 && demangled ? demangled : info.dli_sname);
    (std::free)(demangled);
}

inline const char* base_name(const char* path) noexcept {
    const char* slash = std::strrchr(path, '/');
    return slash ? slash + 1 : path;
}

} // namespace detail
} // namespace leakguard

#endif
