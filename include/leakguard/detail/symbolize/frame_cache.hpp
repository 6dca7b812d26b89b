// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// symbolize/frame_cache.hpp: what each return address was named as, kept, so that naming it again
// is a table lookup.
//
// Why: a report names the same return addresses several times - grouping the leaks by site, each
// loss record's fingerprint, the site line, the stack, JSON, SARIF, the suppressions - and the
// monitor names its sites at every report. Each naming reads the module's debug information again
// (a line sequence, the function's inlined calls, their names), from pages the symbolizer gives
// back to keep its memory small (dwarf_units.hpp), so that they are read from the file again.
// Kept here: the frame symbolize() gives, and the frames symbolize_frames() gives (the calls
// inlined at the address and the function), as text in raw memory.
//
// Valid while the same modules are loaded: each lookup reads the dynamic loader's counts of
// objects added and removed (dl_iterate_phdr), and any change empties the cache - a library
// unloaded and another mapped at its addresses must not be named from the first one's names. The
// memory is bounded (frame_cache_bytes): when it is full the cache is emptied and fills again.
#ifndef LEAKGUARD_DETAIL_SYMBOLIZE_FRAME_CACHE_HPP_INCLUDED
#define LEAKGUARD_DETAIL_SYMBOLIZE_FRAME_CACHE_HPP_INCLUDED

#include <cstddef> // std::size_t, offsetof
#include <cstdint> // std::uintptr_t, std::uint64_t
#include <cstring> // std::strlen, std::strcmp, std::memcpy, std::memset
#include <link.h>  // dl_iterate_phdr

#include "symbol_info.hpp"
#include "../core/platform.hpp"
#include "../core/text.hpp"

namespace leakguard {
namespace detail {

constexpr std::size_t frame_cache_chunk = std::size_t(64) << 10;
constexpr std::size_t frame_cache_bytes = std::size_t(8) << 20;
constexpr unsigned frame_cache_buckets_log2 = 12;
constexpr std::size_t frame_cache_bucket_bytes = sizeof(void*) << frame_cache_buckets_log2; // of pointers

// One named frame, its text in the cache's chunks.
struct cached_frame {
    const char* function;
    const char* file;
    const char* module;
    const char* raw_name; // as symbol_info::raw_name: into the module's mapped file
    std::uintptr_t offset;
    unsigned line;
    unsigned no_debug_module;
    bool inlined;
};

struct cached_address {
    cached_address* next; // in its bucket
    const void* caller;
    cached_frame base;    // what symbolize() gives
    cached_frame* frames; // what symbolize_frames() gives, outermost `count` of them; null: not asked yet
    std::size_t count;
    bool complete; // every inlined call is among them (none was dropped for want of room)
};

struct frame_cache {
    spinlock lock;
    cached_address** buckets; // raw memory, 1 << frame_cache_buckets_log2 of them; null until first used
    void* chunk;              // the current chunk: its first word links to the previous one
    std::size_t used;         // bytes taken of the current chunk
    std::size_t bytes;        // in all chunks
    std::uint64_t generation; // the loader's adds + removes when the entries were made
    const char* last_module;  // the module path kept last (frames of one module share it)
};

frame_cache g_frame_cache{};

// The dynamic loader's count of objects loaded plus unloaded so far: it changes whenever a module
// comes or goes. Read outside the cache's lock (it takes the loader's).
inline std::uint64_t loaded_objects_generation() noexcept {
    std::uint64_t generation = 0;
    dl_iterate_phdr(
        [](struct dl_phdr_info* info, std::size_t size, void* data) -> int {
            if (size >= offsetof(struct dl_phdr_info, dlpi_subs) + sizeof info->dlpi_subs)
                *static_cast<std::uint64_t*>(data) = info->dlpi_adds + info->dlpi_subs;
            return 1; // the counts are the same in every module's record: the first will do
        },
        &generation);
    return generation;
}

// Frees every entry (the cache's lock held).
inline void empty_frame_cache(frame_cache& c) noexcept {
    while (c.chunk) {
        void* const previous = *static_cast<void**>(c.chunk);
        raw_free(c.chunk);
        c.chunk = previous;
    }
    if (c.buckets) std::memset(static_cast<void*>(c.buckets), 0, frame_cache_bucket_bytes);
    c.used = c.bytes = 0;
    c.last_module = nullptr;
}

// `n` bytes of the chunks, 8-aligned; null when out of memory.
inline void* frame_cache_take(frame_cache& c, std::size_t n) noexcept {
    n = (n + 7) & ~std::size_t(7);
    if (!c.chunk || c.used + n > frame_cache_chunk) {
        std::size_t const size = n + sizeof(void*) > frame_cache_chunk ? n + sizeof(void*) : frame_cache_chunk;
        void* const fresh = raw_alloc(size);
        if (!fresh) return nullptr;
        *static_cast<void**>(fresh) = c.chunk;
        c.chunk = fresh;
        c.used = sizeof(void*);
        c.bytes += size;
    }
    void* const p = static_cast<char*>(c.chunk) + c.used;
    c.used += n;
    return p;
}

inline const char* frame_cache_keep(frame_cache& c, const char* s) noexcept {
    std::size_t const n = std::strlen(s) + 1;
    char* const p = static_cast<char*>(frame_cache_take(c, n));
    if (p) std::memcpy(p, s, n);
    return p;
}

inline bool keep_frame(frame_cache& c, const symbol_info& in, cached_frame& out) noexcept {
    if (!c.last_module || std::strcmp(c.last_module, in.module) != 0) c.last_module = frame_cache_keep(c, in.module);
    out.module = c.last_module;
    out.function = frame_cache_keep(c, in.function);
    out.file = frame_cache_keep(c, in.file);
    out.raw_name = in.raw_name;
    out.offset = in.offset;
    out.line = in.line;
    out.no_debug_module = in.no_debug_module;
    out.inlined = in.inlined;
    return out.module && out.function && out.file;
}

inline void give_frame(const cached_frame& in, const void* caller, symbol_info& out) noexcept {
    copy_text(out.function, sizeof out.function, in.function);
    copy_text(out.file, sizeof out.file, in.file);
    copy_text(out.module, sizeof out.module, in.module);
    out.line = in.line;
    out.offset = in.offset;
    out.address = caller;
    out.inlined = in.inlined;
    out.raw_name = in.raw_name;
    out.no_debug_module = in.no_debug_module;
}

inline cached_address*& frame_cache_bucket(frame_cache& c, const void* caller) noexcept {
    std::uint64_t const h =
        (reinterpret_cast<std::uintptr_t>(caller) * 0x9E3779B97F4A7C15ull) >> (64 - frame_cache_buckets_log2);
    return c.buckets[h];
}

// The entry of `caller`, null when none; first empties the cache if the modules changed (the
// lock held, `generation` read before it was taken).
inline cached_address* frame_cache_find(frame_cache& c, const void* caller, std::uint64_t generation) noexcept {
    if (generation != c.generation) {
        empty_frame_cache(c);
        c.generation = generation;
    }
    if (!c.buckets) return nullptr;
    for (cached_address* e = frame_cache_bucket(c, caller); e; e = e->next)
        if (e->caller == caller) return e;
    return nullptr;
}

// Serves symbolize(caller) from the cache; false when not there.
inline bool cached_symbol(const void* caller, symbol_info& out) noexcept {
    std::uint64_t const generation = loaded_objects_generation();
    lock_guard hold(g_frame_cache.lock);
    const cached_address* e = frame_cache_find(g_frame_cache, caller, generation);
    if (!e) return false;
    give_frame(e->base, caller, out);
    return true;
}

// Serves symbolize_frames(caller, out, max) from the cache, as it would name them: the outermost
// `max` frames, or with `max` 1 the frame symbolize() gives. 0 when not there.
inline std::size_t cached_frames(const void* caller, symbol_info* out, std::size_t max) noexcept {
    std::uint64_t const generation = loaded_objects_generation();
    lock_guard hold(g_frame_cache.lock);
    const cached_address* e = frame_cache_find(g_frame_cache, caller, generation);
    if (!e) return 0;
    if (max == 1) {
        give_frame(e->base, caller, out[0]);
        return 1;
    }
    if (!e->frames || (max > e->count && !e->complete)) return 0;
    std::size_t const n = max < e->count ? max : e->count;
    for (std::size_t i = 0; i < n; ++i) give_frame(e->frames[e->count - n + i], caller, out[i]);
    return n;
}

// Keeps what `caller` was named as: `base` (symbolize), and when `frames` is not null the `count`
// outermost frames symbolize_frames gave (`complete`: all of them), replacing what was kept of it.
// Nothing is kept when memory is short, or when the modules changed since `generation` was read
// (before the naming).
inline void keep_frames(const void* caller, std::uint64_t generation, const symbol_info& base,
                        const symbol_info* frames, std::size_t count, bool complete) noexcept {
    if (loaded_objects_generation() != generation) return;
    frame_cache& c = g_frame_cache;
    lock_guard hold(c.lock);
    if (!c.buckets) {
        c.buckets = static_cast<cached_address**>(raw_calloc(frame_cache_bucket_bytes));
        if (!c.buckets) return;
    }
    if (c.bytes >= frame_cache_bytes) empty_frame_cache(c); // full: it fills again with what is named now
    cached_address* e = frame_cache_find(c, caller, generation);
    if (!e) {
        e = static_cast<cached_address*>(frame_cache_take(c, sizeof(cached_address)));
        if (!e || !keep_frame(c, base, e->base)) return;
        e->caller = caller;
        e->frames = nullptr;
        e->count = 0;
        e->complete = false;
        cached_address*& bucket = frame_cache_bucket(c, caller);
        e->next = bucket;
        bucket = e;
    }
    if (!frames || count == 0) return;
    cached_frame* const kept = static_cast<cached_frame*>(frame_cache_take(c, count * sizeof(cached_frame)));
    if (!kept) return;
    for (std::size_t i = 0; i < count; ++i)
        if (!keep_frame(c, frames[i], kept[i])) return;
    e->frames = kept;
    e->count = count;
    e->complete = complete;
}

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_SYMBOLIZE_FRAME_CACHE_HPP_INCLUDED
