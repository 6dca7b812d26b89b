// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// symbolize/elf_symbols.hpp: the function containing an address, from the module's own ELF symbol
// table (.symtab, else .dynsym), read from its file at report time. This names functions that the
// dynamic loader cannot (an executable exports almost nothing without -rdynamic). Reads the file
// through a read-only mapping; no allocation through the tracked operators.
#ifndef LEAKGUARD_DETAIL_SYMBOLIZE_ELF_SYMBOLS_HPP_INCLUDED
#define LEAKGUARD_DETAIL_SYMBOLIZE_ELF_SYMBOLS_HPP_INCLUDED

#include <cstdint>    // std::uintptr_t
#include <cstring>    // std::memcmp
#include <elf.h>      // ElfW types
#include <fcntl.h>    // open
#include <link.h>     // ElfW
#include <sys/mman.h> // mmap
#include <sys/stat.h> // fstat
#include <unistd.h>   // close

namespace leakguard {
namespace detail {

// One module's file, mapped for the length of a report.
struct elf_image {
    const unsigned char* data;
    std::size_t size;
};

inline bool map_elf(const char* path, elf_image& image) noexcept {
    image.data = nullptr;
    image.size = 0;
    int const fd = ::open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    struct stat st;
    void* map = MAP_FAILED;
    if (::fstat(fd, &st) == 0 && st.st_size > static_cast<off_t>(sizeof(ElfW(Ehdr))))
        map = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
    ::close(fd);
    if (map == MAP_FAILED) return false;
    image.data = static_cast<const unsigned char*>(map);
    image.size = static_cast<std::size_t>(st.st_size);
    const ElfW(Ehdr)* eh = reinterpret_cast<const ElfW(Ehdr)*>(image.data);
    bool const valid = std::memcmp(eh->e_ident, ELFMAG, SELFMAG) == 0 && eh->e_shoff != 0 &&
                       eh->e_shentsize == sizeof(ElfW(Shdr)) &&
                       eh->e_shoff + std::size_t(eh->e_shnum) * sizeof(ElfW(Shdr)) <= image.size;
    if (!valid) {
        ::munmap(map, image.size);
        image.data = nullptr;
        return false;
    }
    return true;
}

// Whether the image has a symbol table of its own (.symtab; a stripped file has only .dynsym).
inline bool elf_has_symtab(const elf_image& image) noexcept {
    const ElfW(Ehdr)* eh = reinterpret_cast<const ElfW(Ehdr)*>(image.data);
    const ElfW(Shdr)* sections = reinterpret_cast<const ElfW(Shdr)*>(image.data + eh->e_shoff);
    for (unsigned i = 0; i < eh->e_shnum; ++i)
        if (sections[i].sh_type == SHT_SYMTAB) return true;
    return false;
}

// The name of the function symbol that contains `vaddr` (an address as the file's symbol table
// counts it: the run-time address less the module's load bias), or null.
inline const char* elf_function_at(const elf_image& image, std::uintptr_t vaddr) noexcept {
    const ElfW(Ehdr)* eh = reinterpret_cast<const ElfW(Ehdr)*>(image.data);
    const ElfW(Shdr)* sections = reinterpret_cast<const ElfW(Shdr)*>(image.data + eh->e_shoff);
    for (unsigned pass = 0; pass < 2; ++pass) {
        unsigned const wanted = pass == 0 ? SHT_SYMTAB : SHT_DYNSYM;
        for (unsigned i = 0; i < eh->e_shnum; ++i) {
            const ElfW(Shdr)& symtab = sections[i];
            if (symtab.sh_type != wanted || symtab.sh_link >= eh->e_shnum) continue;
            const ElfW(Shdr)& strtab = sections[symtab.sh_link];
            if (strtab.sh_type == SHT_NOBITS) continue; // a debug file's copy of a section it left out
            if (symtab.sh_offset + symtab.sh_size > image.size || strtab.sh_offset + strtab.sh_size > image.size)
                continue;
            const ElfW(Sym)* syms = reinterpret_cast<const ElfW(Sym)*>(image.data + symtab.sh_offset);
            std::size_t const count = symtab.sh_size / sizeof(ElfW(Sym));
            const char* names = reinterpret_cast<const char*>(image.data + strtab.sh_offset);
            for (std::size_t k = 0; k < count; ++k) {
                const ElfW(Sym)& s = syms[k];
                if (ELF64_ST_TYPE(s.st_info) != STT_FUNC || s.st_value == 0 || s.st_name >= strtab.sh_size) continue;
                if (vaddr >= s.st_value && vaddr < s.st_value + (s.st_size ? s.st_size : 1)) return names + s.st_name;
            }
        }
    }
    return nullptr;
}

} // namespace detail
} // namespace leakguard

#endif
