// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// symbolize/symbolize.hpp: naming a return address at report time - module and offset from the dynamic
// loader, the function from the module's ELF symbol table (or its exports when stripped), and the
// source file:line of the call from the module's DWARF line table (built with -g), read from the
// module's file or its separate debug file (debug_files.hpp), one compilation unit at a time
// (dwarf_units.hpp); and, for a return address inside inlined code, the inlined calls it lies in
// (symbolize_frames).
#ifndef LEAKGUARD_DETAIL_SYMBOLIZE_SYMBOLIZE_HPP_INCLUDED
#define LEAKGUARD_DETAIL_SYMBOLIZE_SYMBOLIZE_HPP_INCLUDED

#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1 // dladdr1
#endif
#include <cstdint>    // std::uintptr_t
#include <cstring>    // std::strcmp
#include <cxxabi.h>   // abi::__cxa_demangle (uses malloc, not operator new)
#include <dlfcn.h>    // dladdr1
#include <link.h>     // ElfW(Sym)
#include <sys/stat.h> // stat
#include <unistd.h>   // readlink

#include "debug_files.hpp"
#include "dwarf_inlines.hpp"
#include "dwarf_lines.hpp"
#include "dwarf_units.hpp"
#include "elf_symbols.hpp"
#include "frame_cache.hpp"
#include "symbol_info.hpp"
#include "../core/platform.hpp"
#include "../core/text.hpp"

namespace leakguard {
namespace detail {

// Modules whose files are mapped for symbol lookups, kept for the rest of the process (a report
// may name thousands of sites in the same few modules). A file is mapped whole, but only the pages
// a lookup reads are ever touched: the section headers, the symbol table, and of the debug
// information only the compilation units that cover the addresses named. A module is known by its file's identity
// (device, inode, modification time) as well as its load address: a library unloaded with dlclose
// and another one loaded at the same address must not be named from the first one's tables. The
// entries are raw memory, each on its own so that a pointer to one stays valid as the table grows;
// any number of modules.
struct module_cache {
    spinlock lock;
    struct entry {
        const void* base;
        dev_t device;
        ino_t inode;
        struct timespec modified;
        elf_image image;
        elf_image debug;     // the separate debug file (debug_files.hpp), when looked for and found
        bool debug_searched; // looked for
        // The debug information, from `image` or `debug`: opened on the first lookup of a file:line.
        enum class dwarf_state : unsigned char { unopened, usable, missing } dwarf_is;
        bool compressed; // what was found is compressed, which leakguard does not read
        bool note_due;   // missing and a frame printed without it: a report says so once (write_debug_notes)
        bool noted;
        dwarf_module dwarf;
        char path[512]; // for the note
        unsigned index; // in entries
    };
    entry** entries;
    unsigned count;
    unsigned capacity;
};

module_cache g_modules{};

// Marks the thread that holds g_modules.lock (t_inside.naming): what it calls meanwhile (the
// demangler's malloc and free) may report a heap error, which must then not name its sites - that
// would take the lock again (report/error_report.hpp).
class naming_section {
public:
    naming_section() noexcept {
        g_modules.lock.lock();
        t_inside.naming = true;
    }
    ~naming_section() {
        t_inside.naming = false;
        g_modules.lock.unlock();
    }
    naming_section(const naming_section&) = delete;
    naming_section& operator=(const naming_section&) = delete;
};

inline bool same_file(const module_cache::entry& e, const struct stat& st) noexcept {
    return e.device == st.st_dev && e.inode == st.st_ino && e.modified.tv_sec == st.st_mtim.tv_sec &&
           e.modified.tv_nsec == st.st_mtim.tv_nsec;
}

// The module of file `path` loaded at `base`, with its file mapped; null when its file cannot be
// read or memory ran out.
inline module_cache::entry* module_entry(const char* path, std::uintptr_t load_address) noexcept {
    const void* const base = reinterpret_cast<const void*>(load_address);
    struct stat st;
    if (::stat(path, &st) != 0) return nullptr;
    for (unsigned i = 0; i < g_modules.count; ++i) {
        module_cache::entry* e = g_modules.entries[i];
        if (e->base == base && same_file(*e, st)) return e->image.data ? e : nullptr;
    }
    if (g_modules.count == g_modules.capacity) {
        unsigned const grown = g_modules.capacity ? 2 * g_modules.capacity : 16;
        void* const more = raw_realloc(g_modules.entries, grown * sizeof(module_cache::entry*));
        if (!more) return nullptr;
        g_modules.entries = static_cast<module_cache::entry**>(more);
        g_modules.capacity = grown;
    }
    module_cache::entry* e = static_cast<module_cache::entry*>(raw_calloc(sizeof(module_cache::entry)));
    if (!e) return nullptr;
    e->index = g_modules.count;
    g_modules.entries[g_modules.count++] = e;
    e->base = base;
    e->device = st.st_dev;
    e->inode = st.st_ino;
    e->modified = st.st_mtim;
    copy_text(e->path, sizeof e->path, path);
    map_elf(path, e->image);
    return e->image.data ? e : nullptr;
}

// The module's separate debug file, looked for once; null when none.
inline const elf_image* debug_image(module_cache::entry& e) noexcept {
    if (!e.debug_searched) {
        e.debug_searched = true;
        find_debug_file(e.path, e.image, e.debug);
    }
    return e.debug.data ? &e.debug : nullptr;
}

// The module's debug information, opened on first use (only section headers are read); null when
// it has none to read, and then a report notes it once (write_debug_notes).
inline dwarf_module* module_dwarf(module_cache::entry& e) noexcept {
    using state = module_cache::entry::dwarf_state;
    if (e.dwarf_is == state::unopened) {
        e.dwarf_is = state::missing;
        if (open_dwarf_module(e.image, e.dwarf)) {
            e.dwarf_is = state::usable;
        } else if (const elf_image* d = debug_image(e)) {
            if (open_dwarf_module(*d, e.dwarf)) e.dwarf_is = state::usable;
            else e.compressed = compressed_section(*d, ".debug_info");
        } else {
            e.compressed = compressed_section(e.image, ".debug_info");
        }
    }
    return e.dwarf_is == state::usable ? &e.dwarf : nullptr;
}

// The function symbol that holds `vaddr`: from the module's own symbol table, else (a stripped
// module) from its debug file's.
inline const char* module_function_at(module_cache::entry& e, std::uintptr_t vaddr) noexcept {
    if (const char* name = elf_function_at(e.image, vaddr)) return name;
    if (elf_has_symtab(e.image)) return nullptr;
    const elf_image* d = debug_image(e);
    return d ? elf_function_at(*d, vaddr) : nullptr;
}

// The file:line of `vaddr` into out; nothing when unknown.
inline void module_line_at(module_cache::entry& e, std::uintptr_t vaddr, symbol_info& out) noexcept {
    if (dwarf_module* d = module_dwarf(e)) dwarf_line_at(*d, vaddr, out.file, sizeof out.file, out.line);
    else out.no_debug_module = e.index + 1;
}

// A report printed `sym` without file:line for want of its module's debug information: the next
// write_debug_notes says so (frames named but not printed - past main, a site's search - do not
// count).
inline void want_debug_note(const symbol_info& sym) noexcept {
    if (!sym.no_debug_module) return;
    lock_guard hold(g_modules.lock);
    if (sym.no_debug_module <= g_modules.count) g_modules.entries[sym.no_debug_module - 1]->note_due = true;
}

// One line per module whose debug information a report wanted and could not read, once per
// process: a stripped library without its -dbgsym package names functions only.
template <class Sink>
void write_debug_notes(Sink& out) noexcept {
    lock_guard hold(g_modules.lock);
    for (unsigned i = 0; i < g_modules.count; ++i) {
        module_cache::entry& e = *g_modules.entries[i];
        if (!e.note_due || e.noted) continue;
        e.noted = true;
        const char* const path = std::strcmp(e.path, "/proc/self/exe") == 0 ? "the program" : e.path;
        if (e.compressed)
            out.printf("leakguard: note: the debug information of %s is compressed, which leakguard does not read "
                       "(objcopy --decompress-debug-sections)\n",
                       path);
        else
            out.printf("leakguard: note: no debug information for %s (install its -dbgsym package or build with -g)\n",
                       path);
    }
}

inline module_cache::entry* module_entry(const struct link_map* lm) noexcept {
    // The main program's link map has an empty name: read it through /proc/self/exe.
    return module_entry(lm->l_name && lm->l_name[0] ? lm->l_name : "/proc/self/exe", lm->l_addr);
}

inline void set_function(symbol_info& out, const char* mangled) noexcept {
    out.raw_name = mangled;
    int status = -1;
    char* demangled = abi::__cxa_demangle(mangled, nullptr, nullptr, &status);
    copy_text(out.function, sizeof out.function, status == 0 && demangled ? demangled : mangled);
    (std::free)(demangled);
}

// The module that holds this unit, as the linker laid it out: its ELF header (__ehdr_start) and
// its end (_end). In a statically linked program there is no other, and the dynamic loader
// (dladdr) knows none: its addresses are named from /proc/self/exe at the load address the header
// gives - zero for a fixed-address program, where the first segment starts at the header.
extern "C" const ElfW(Ehdr) __ehdr_start; // NOLINT(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp)
extern "C" char _end[];                   // NOLINT(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp)

inline bool in_own_module(std::uintptr_t pc) noexcept {
    return pc >= reinterpret_cast<std::uintptr_t>(&__ehdr_start) && pc < reinterpret_cast<std::uintptr_t>(_end);
}

inline std::uintptr_t own_load_address() noexcept {
    std::uintptr_t const header = reinterpret_cast<std::uintptr_t>(&__ehdr_start);
    const ElfW(Phdr)* ph = reinterpret_cast<const ElfW(Phdr)*>(header + __ehdr_start.e_phoff);
    for (unsigned i = 0; i < __ehdr_start.e_phnum; ++i)
        if (ph[i].p_type == PT_LOAD && ph[i].p_offset == 0) return header - ph[i].p_vaddr;
    return header;
}

// Names `pc` from the program's own file when the dynamic loader knows no module for it (a
// statically linked program). Returns whether it did.
inline bool symbolize_own_module(std::uintptr_t pc, symbol_info& out) noexcept {
    if (!in_own_module(pc)) return false;
    char path[sizeof out.module];
    ssize_t const n = ::readlink("/proc/self/exe", path, sizeof path - 1);
    if (n <= 0) return false;
    path[n] = '\0';
    copy_text(out.module, sizeof out.module, path);
    std::uintptr_t const base = own_load_address();
    out.offset = pc + 1 - base;
    naming_section hold;
    module_cache::entry* e = module_entry("/proc/self/exe", base);
    if (!e) return true;
    module_line_at(*e, pc - base, out);
    if (const char* name = module_function_at(*e, pc - base)) set_function(out, name);
    return true;
}

// `caller` is a return address: the call instruction is just before it, so look up caller - 1.
// (symbolize, below, keeps what this gives in the frame cache.)
inline void symbolize_uncached(const void* caller, symbol_info& out) noexcept {
    out.function[0] = out.module[0] = out.file[0] = '\0';
    out.line = 0;
    out.offset = 0;
    out.address = caller;
    out.inlined = false;
    out.raw_name = nullptr;
    out.no_debug_module = 0;
    if (!caller) return;
    std::uintptr_t const pc = reinterpret_cast<std::uintptr_t>(caller) - 1;
    Dl_info info;
    struct link_map* lm = nullptr;
    if (!dladdr1(reinterpret_cast<void*>(pc), &info, reinterpret_cast<void**>(&lm), RTLD_DL_LINKMAP)) {
        symbolize_own_module(pc, out);
        return;
    }
    copy_text(out.module, sizeof out.module, info.dli_fname);
    out.offset = reinterpret_cast<std::uintptr_t>(caller) - reinterpret_cast<std::uintptr_t>(info.dli_fbase);
    if (lm) {
        naming_section hold;
        if (module_cache::entry* e = module_entry(lm)) {
            module_line_at(*e, pc - lm->l_addr, out);
            if (const char* name = module_function_at(*e, pc - lm->l_addr)) {
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

// Names the frames at one return address, innermost first: the calls inlined at it (each named
// after the inlined function, with the file:line in its body), then the function they were
// inlined into, with the file:line of the outermost inlined call - what addr2line -i -f shows.
// Writes out[0..n), n <= max; when there are more inlined calls than fit, the innermost are
// dropped (`complete` says whether none was). Without inlined calls (or debug information) this
// is symbolize(): n is 1. `base`, when given, gets what symbolize() gives. (symbolize_frames,
// below, keeps what this gives in the frame cache.)
inline std::size_t symbolize_frames_uncached(const void* caller, symbol_info* out, std::size_t max, bool& complete,
                                             symbol_info* base = nullptr) noexcept {
    complete = true;
    if (max == 0) return 0;
    symbolize_uncached(caller, out[0]);
    if (base) *base = out[0];
    if (!caller || !out[0].module[0]) return 1;
    if (max == 1) {
        complete = false; // not looked at
        return 1;
    }
    std::uintptr_t const pc = reinterpret_cast<std::uintptr_t>(caller) - 1;
    Dl_info info;
    struct link_map* lm = nullptr;
    if (!dladdr1(reinterpret_cast<void*>(pc), &info, reinterpret_cast<void**>(&lm), RTLD_DL_LINKMAP) || !lm) return 1;
    naming_section hold;
    module_cache::entry* e = module_entry(lm);
    dwarf_module* d = e ? module_dwarf(*e) : nullptr;
    if (!d) return 1;
    inline_call chain[max_inline_depth];
    compile_unit* unit = nullptr;
    std::size_t const k = dwarf_inline_chain(*d, pc - lm->l_addr, chain, max_inline_depth, unit);
    if (k == 0 || !unit) return 1;
    std::size_t const n = k + 1 < max ? k + 1 : max;
    std::size_t const dropped = k + 1 - n; // innermost frames that do not fit
    complete = dropped == 0;
    // Frame j (0 innermost .. k the function) goes to out[j - dropped]; the function last.
    if (n - 1 != 0) out[n - 1] = out[0];
    symbol_info& outer = out[n - 1];
    char inner_file[sizeof outer.file];
    copy_text(inner_file, sizeof inner_file, outer.file);
    unsigned const inner_line = outer.line;
    for (std::size_t j = dropped; j <= k; ++j) {
        symbol_info& f = out[j - dropped];
        if (j < k) {
            f.offset = outer.offset;
            f.address = caller;
            f.inlined = true;
            f.no_debug_module = 0;
            copy_text(f.module, sizeof f.module, outer.module);
            f.function[0] = '\0';
            const char* bare = nullptr;
            if (const char* name = dwarf_function_name(*d, chain[j].origin, &bare)) set_function(f, name);
            f.raw_name = bare;
        }
        // Where this frame is: in the innermost body for frame 0, else the call it inlined.
        if (j == 0) {
            copy_text(f.file, sizeof f.file, inner_file);
            f.line = inner_line;
        } else {
            const inline_call& call = chain[j - 1];
            f.file[0] = '\0';
            f.line = 0;
            if (call.call_line && dwarf_unit_file(*d, *unit, call.call_file, f.file, sizeof f.file))
                f.line = call.call_line;
            else f.file[0] = '\0';
        }
    }
    return n;
}

// Names return address `caller` (symbolize_uncached), from the frame cache when it was named before.
inline void symbolize(const void* caller, symbol_info& out) noexcept {
    if (caller && cached_symbol(caller, out)) return;
    std::uint64_t const generation = loaded_objects_generation();
    symbolize_uncached(caller, out);
    if (caller) keep_frames(caller, generation, out, nullptr, 0, false);
}

// Names the frames at return address `caller` (symbolize_frames_uncached), from the frame cache
// when they were named before. A miss names up to max_inline_frames of them, whatever `max`, so
// that the next call finds them whatever it asks for.
inline std::size_t symbolize_frames(const void* caller, symbol_info* out, std::size_t max) noexcept {
    if (max == 0) return 0;
    if (!caller) {
        symbolize_uncached(nullptr, out[0]);
        return 1;
    }
    if (std::size_t const n = cached_frames(caller, out, max)) return n;
    std::uint64_t const generation = loaded_objects_generation();
    std::size_t const want = max > max_inline_frames ? max : max_inline_frames;
    symbol_info* all = want > max ? static_cast<symbol_info*>(raw_alloc(want * sizeof(symbol_info))) : out;
    if (!all) all = out;
    std::size_t const room = all == out ? max : want;
    bool complete = false;
    symbol_info base;
    std::size_t const named = symbolize_frames_uncached(caller, all, room, complete, &base);
    keep_frames(caller, generation, base, all, named, complete);
    if (all == out) return named;
    // What symbolize_frames_uncached(caller, out, max) gives: the outermost `max` frames, or with
    // a room of 1 symbolize()'s frame.
    std::size_t const n = max == 1 ? 1 : named < max ? named : max;
    for (std::size_t i = 0; i < n; ++i) out[i] = max == 1 ? base : all[named - n + i];
    raw_free(all);
    return n;
}

} // namespace detail
} // namespace leakguard

#endif
