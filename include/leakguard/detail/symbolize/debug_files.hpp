// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// symbolize/debug_files.hpp: a module's separate debug file, for a module whose own file carries no
// debug information (stripped), found the way gdb finds it and Debian's -dbgsym packages install
// it: by the module's build ID (the NT_GNU_BUILD_ID note) as DIR/.build-id/xx/yyyy.debug, else by
// the name its .gnu_debuglink section gives, in the module's directory, in its .debug/
// subdirectory and as DIR/<the module's directory>/<name>, for each DIR of the
// debug_file_directory option (default /usr/lib/debug). A candidate is taken only when its build
// ID is the module's (when the module has one), so a stale debug file is never read; the
// debuglink's CRC is not computed (it would read the whole file). Looked for once per module, the
// first time a report wants its file:line or a name its own file lacks.
#ifndef LEAKGUARD_DETAIL_SYMBOLIZE_DEBUG_FILES_HPP_INCLUDED
#define LEAKGUARD_DETAIL_SYMBOLIZE_DEBUG_FILES_HPP_INCLUDED

#include <cstdio>     // std::snprintf
#include <cstring>    // std::memcmp, std::memchr, std::strcmp, std::strrchr, std::strlen
#include <sys/mman.h> // munmap
#include <sys/stat.h> // stat
#include <unistd.h>   // readlink

#include "dwarf_lines.hpp" // find_section
#include "elf_symbols.hpp"
#include "../core/options.hpp"
#include "../core/text.hpp"

namespace leakguard {
namespace detail {

constexpr const char* default_debug_file_directory = "/usr/lib/debug";

// The bytes of the image's GNU build ID note, or null.
inline const unsigned char* elf_build_id(const elf_image& image, std::size_t& size) noexcept {
    size = 0;
    const ElfW(Ehdr)* eh = reinterpret_cast<const ElfW(Ehdr)*>(image.data);
    const ElfW(Shdr)* sections = reinterpret_cast<const ElfW(Shdr)*>(image.data + eh->e_shoff);
    for (unsigned i = 0; i < eh->e_shnum; ++i) {
        const ElfW(Shdr)& s = sections[i];
        if (s.sh_type != SHT_NOTE || s.sh_offset > image.size || s.sh_size > image.size - s.sh_offset) continue;
        const unsigned char* p = image.data + s.sh_offset;
        const unsigned char* const end = p + s.sh_size;
        while (static_cast<std::size_t>(end - p) >= sizeof(ElfW(Nhdr))) {
            const ElfW(Nhdr)* n = reinterpret_cast<const ElfW(Nhdr)*>(p);
            std::size_t const name_room = (n->n_namesz + 3u) & ~std::size_t(3);
            std::size_t const desc_room = (n->n_descsz + 3u) & ~std::size_t(3);
            const unsigned char* const name = p + sizeof(ElfW(Nhdr));
            if (static_cast<std::size_t>(end - name) < name_room + desc_room) break;
            if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 && std::memcmp(name, "GNU", 4) == 0 &&
                n->n_descsz > 0) {
                size = n->n_descsz;
                return name + name_room;
            }
            p = name + name_room + desc_room;
        }
    }
    return nullptr;
}

// The file name the image's .gnu_debuglink names, or null.
inline const char* elf_debuglink(const elf_image& image) noexcept {
    const ElfW(Shdr)* s = find_section(image, ".gnu_debuglink");
    if (!s || s->sh_size < 2) return nullptr;
    const char* name = reinterpret_cast<const char*>(image.data + s->sh_offset);
    if (!std::memchr(name, '\0', s->sh_size) || !name[0] || std::strchr(name, '/')) return nullptr;
    return name;
}

// Whether the file at `path` is the module's debug file: not the module itself, an ELF file, with
// the module's build ID when it has one. Mapped into `out` when it is.
inline bool try_debug_file(const char* path, const struct stat& module, const unsigned char* id, std::size_t id_size,
                           elf_image& out) noexcept {
    struct stat st;
    if (::stat(path, &st) != 0 || !S_ISREG(st.st_mode)) return false;
    if (st.st_dev == module.st_dev && st.st_ino == module.st_ino) return false;
    if (!map_elf(path, out)) return false;
    if (id) {
        std::size_t size = 0;
        const unsigned char* const other = elf_build_id(out, size);
        if (!other || size != id_size || std::memcmp(other, id, size) != 0) {
            ::munmap(const_cast<unsigned char*>(out.data), out.size);
            out = elf_image{nullptr, 0};
            return false;
        }
    }
    return true;
}

// Calls visit(dir, length) for each directory of the debug_file_directory option (':' between
// them), or the default; stops when visit returns true.
template <class Visit>
inline bool for_each_debug_directory(Visit&& visit) noexcept {
    char dirs[max_path_length + 1];
    copy_text(dirs, sizeof dirs,
              g_options.debug_file_directory[0] ? g_options.debug_file_directory : default_debug_file_directory);
    for (const char* p = dirs; *p;) {
        const char* const colon = std::strchr(p, ':');
        std::size_t const n = colon ? static_cast<std::size_t>(colon - p) : std::strlen(p);
        if (n > 0 && visit(p, n)) return true;
        p += n;
        if (*p) ++p;
    }
    return false;
}

// Finds and maps the debug file of the module at `path` (its file `image`); false when none.
inline bool find_debug_file(const char* path, const elf_image& image, elf_image& out) noexcept {
    out = elf_image{nullptr, 0};
    struct stat module;
    if (::stat(path, &module) != 0) return false;
    std::size_t id_size = 0;
    const unsigned char* const id = elf_build_id(image, id_size);
    char candidate[2 * max_path_length];
    if (id && id_size >= 2) {
        char hex[2 * 64 + 1];
        std::size_t const shown = id_size < 64 ? id_size : 64;
        for (std::size_t i = 0; i < shown; ++i) std::snprintf(hex + 2 * i, 3, "%02x", id[i]);
        bool const found = for_each_debug_directory([&](const char* dir, std::size_t n) noexcept {
            std::snprintf(candidate, sizeof candidate, "%.*s/.build-id/%.2s/%s.debug", static_cast<int>(n), dir, hex,
                          hex + 2);
            return try_debug_file(candidate, module, id, id_size, out);
        });
        if (found) return true;
    }
    const char* const link = elf_debuglink(image);
    if (!link) return false;
    // The module's directory (the program's link map names it /proc/self/exe: its target's).
    char real[max_path_length + 1];
    ssize_t const n = std::strcmp(path, "/proc/self/exe") == 0 ? ::readlink(path, real, sizeof real - 1) : -1;
    if (n > 0) real[n] = '\0';
    else copy_text(real, sizeof real, path);
    const char* const slash = std::strrchr(real, '/');
    int const dir_length = slash ? static_cast<int>(slash - real) : 0;
    std::snprintf(candidate, sizeof candidate, "%.*s/%s", dir_length, real, link);
    if (try_debug_file(candidate, module, id, id_size, out)) return true;
    std::snprintf(candidate, sizeof candidate, "%.*s/.debug/%s", dir_length, real, link);
    if (try_debug_file(candidate, module, id, id_size, out)) return true;
    return for_each_debug_directory([&](const char* dir, std::size_t length) noexcept {
        std::snprintf(candidate, sizeof candidate, "%.*s%.*s/%s", static_cast<int>(length), dir, dir_length, real,
                      link);
        return try_debug_file(candidate, module, id, id_size, out);
    });
}

// Whether the image has a section `name` that is compressed (SHF_COMPRESSED, which find_section
// passes over: leakguard does not inflate).
inline bool compressed_section(const elf_image& image, const char* name) noexcept {
    const ElfW(Ehdr)* eh = reinterpret_cast<const ElfW(Ehdr)*>(image.data);
    const ElfW(Shdr)* sections = reinterpret_cast<const ElfW(Shdr)*>(image.data + eh->e_shoff);
    if (eh->e_shstrndx >= eh->e_shnum) return false;
    const ElfW(Shdr)& names = sections[eh->e_shstrndx];
    if (names.sh_offset + names.sh_size > image.size) return false;
    for (unsigned i = 0; i < eh->e_shnum; ++i) {
        const ElfW(Shdr)& s = sections[i];
        if (s.sh_name >= names.sh_size || !(s.sh_flags & SHF_COMPRESSED)) continue;
        if (std::strcmp(reinterpret_cast<const char*>(image.data + names.sh_offset + s.sh_name), name) == 0)
            return true;
    }
    return false;
}

} // namespace detail
} // namespace leakguard

#endif
