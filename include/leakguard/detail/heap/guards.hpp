// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// heap/guards.hpp: the bytes around a block that tell a write past either end (heap_overflow,
// heap_underflow), and the fill patterns (as the CRT's debug heap: 0xCD new, 0xDD freed, 0xFD
// "no man's land").
//
// Front: the cookie (4 bytes, known from the address) and the pair thread/front (front = thread
// ^ 0xFDFD) are the 8 bytes just before the user pointer; the cookie must stay at user - 8 (the
// ownership test, heap/block.hpp), so the guard is made of header words whose right value is
// known rather than of extra bytes. Back: `guard_bytes_of(h)` bytes of 0xFD right after the user
// bytes (the raw allocation is that much longer), so even a one-byte overflow of an odd-sized
// block shows. Everything read here is the block's own memory.
#ifndef LEAKGUARD_DETAIL_HEAP_GUARDS_HPP_INCLUDED
#define LEAKGUARD_DETAIL_HEAP_GUARDS_HPP_INCLUDED

#include <cstdint> // std::uint16_t
#include <cstring> // std::memset, std::memcpy

#include "block.hpp"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LEAKGUARD_DETAIL_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) && !defined(LEAKGUARD_DETAIL_ASAN)
#define LEAKGUARD_DETAIL_ASAN 1
#endif
#if defined(LEAKGUARD_DETAIL_ASAN)
#include <sanitizer/asan_interface.h> // __asan_unpoison_memory_region
#endif

namespace leakguard {
namespace detail {

// Under AddressSanitizer the compiler poisons the array cookie in front of a new[] array of
// objects with destructors; once the block is being released its bytes are leakguard's again.
inline void unpoison_block_bytes(void* p, std::size_t n) noexcept {
#if defined(LEAKGUARD_DETAIL_ASAN)
    __asan_unpoison_memory_region(p, n);
#else
    (void)p;
    (void)n;
#endif
}

constexpr unsigned char guard_fill = 0xFD; // tail guard
constexpr unsigned char new_fill = 0xCD;   // new blocks (fill=1)
constexpr unsigned char freed_fill = 0xDD; // quarantined blocks
// New blocks are filled up to this many bytes (AddressSanitizer's max_malloc_fill_size is the same
// 4 KiB): a vector's or a string's big buffer is mostly written before it is read, and filling
// all of a large block made its allocation cost in proportion to its size.
constexpr std::size_t max_new_fill = std::size_t(4) * 1024;

// Fills the first `n` bytes of a new block (fill=1; the callers bound `n` by max_new_fill). Out of
// line and not told the bound, so that the compiler calls the C library's memset (vector stores)
// instead of expanding it as `rep stos`, which starts slowly on small blocks (it was a large part
// of the short path with extras on small blocks).
LEAKGUARD_DETAIL_NOINLINE inline void fill_new_block(void* user, std::size_t n) noexcept {
    std::memset(user, new_fill, n);
}
inline std::size_t new_fill_bytes(std::size_t size) noexcept { return size < max_new_fill ? size : max_new_fill; }

static_assert(guard_unit == 4, "core/options.hpp's default_guard_units counts in units of 4 bytes");

inline unsigned guard_units_for(int guard_bytes) noexcept {
    return static_cast<unsigned>((guard_bytes + static_cast<int>(guard_unit) - 1) / static_cast<int>(guard_unit));
}

// Sets `n` bytes at `p` to `fill`: the writing half of all_bytes_are (below), with the same common
// lengths (the default tail guard, the quarantine's fill) as straight-line stores, no call.
LEAKGUARD_DETAIL_ALWAYS_INLINE void set_all_bytes(void* p, std::size_t n, unsigned char fill) noexcept {
    std::uint64_t const pattern = 0x0101010101010101ull * fill;
    char* const c = static_cast<char*>(p);
    if (n == 64) {
        for (std::size_t i = 0; i < 64; i += 8) std::memcpy(c + i, &pattern, 8);
    } else if (n == 16) {
        std::memcpy(c, &pattern, 8);
        std::memcpy(c + 8, &pattern, 8);
    } else if (n) {
        std::memset(c, fill, n);
    }
}

inline void write_tail_guard(block_header* h) noexcept {
    set_all_bytes(static_cast<char*>(user_of(h)) + size_of(h), guard_bytes_of(h), guard_fill);
}

// The first byte of `n` bytes at `p` that is not `fill`, or -1. Compares 8 bytes at a time (the
// guards and the quarantine's fill are checked on every free: a byte loop was the bulk of it) and
// looks at single bytes only to name the first bad one.
inline long first_unlike(const unsigned char* p, std::size_t n, unsigned char fill) noexcept {
    std::uint64_t const pattern = 0x0101010101010101ull * fill;
    std::size_t i = 0;
    for (; i + 32 <= n; i += 32) { // four words per step: one branch for half a cache line
        std::uint64_t a, b, c, d;  // four scalars: an array here went through the stack
        std::memcpy(&a, p + i, 8);
        std::memcpy(&b, p + i + 8, 8);
        std::memcpy(&c, p + i + 16, 8);
        std::memcpy(&d, p + i + 24, 8);
        if (((a ^ pattern) | (b ^ pattern) | (c ^ pattern) | (d ^ pattern)) != 0) break;
    }
    for (; i + 8 <= n; i += 8) {
        std::uint64_t w;
        std::memcpy(&w, p + i, sizeof w);
        if (w != pattern) break;
    }
    for (; i < n; ++i)
        if (p[i] != fill) return static_cast<long>(i);
    return -1;
}

// Whether all `n` bytes at `p` are `fill`: the quick yes of the checks run on every free and every
// block leaving the quarantine (first_unlike names the bad byte once this says no). The common
// lengths (the default tail guard, the quarantine's fill) are straight-line loads.
LEAKGUARD_DETAIL_ALWAYS_INLINE bool all_bytes_are(const unsigned char* p, std::size_t n, unsigned char fill) noexcept {
    std::uint64_t const pattern = 0x0101010101010101ull * fill;
    std::uint64_t diff = 0;
    if (n == 64) {
        for (std::size_t i = 0; i < 64; i += 8) {
            std::uint64_t w;
            std::memcpy(&w, p + i, 8);
            diff |= w ^ pattern;
        }
        return diff == 0;
    }
    if (n == 16) {
        std::uint64_t a, b;
        std::memcpy(&a, p, 8);
        std::memcpy(&b, p + 8, 8);
        return ((a ^ pattern) | (b ^ pattern)) == 0;
    }
    return first_unlike(p, n, fill) < 0;
}

// Whether the guards of `h` (`size` user bytes, `guard` tail bytes) are as they were written: the
// thread/front pair in front and the tail bytes. The cookie is the caller's to judge (live or
// released). Always true without guards.
LEAKGUARD_DETAIL_ALWAYS_INLINE bool guards_intact(const block_header* h, std::size_t size, std::size_t guard) noexcept {
    return !guard || (h->front == front_word_for(h->thread) &&
                      all_bytes_are(reinterpret_cast<const unsigned char*>(h) + header_size + size, guard, guard_fill));
}

// The first byte of the tail guard that is not 0xFD, as an offset from the end of the user bytes;
// -1 when the guard is intact.
inline long tail_damage(const block_header* h) noexcept {
    return first_unlike(reinterpret_cast<const unsigned char*>(h) + header_size + size_of(h), guard_bytes_of(h),
                        guard_fill);
}

// The nearest damaged byte before the block (-1 ... -8), or 0 when the 8 bytes in front are as
// they should be with `expected` as the right cookie and `seen` as the cookie the caller read (read
// once: another thread's free can change it between two reads, see push_remote). A broken
// thread/front pair cannot say which of its two bytes changed: the one nearer the block is named.
inline long front_damage(const block_header* h, std::uint32_t expected, std::uint32_t seen) noexcept {
    std::uint16_t const x = static_cast<std::uint16_t>(h->front ^ front_word_for(h->thread));
    if (x & 0xFF00u) return -1;
    if (x & 0x00FFu) return -2;
    std::uint32_t const c = seen ^ expected;
    for (int i = 3; i >= 0; --i) // little endian: byte i of the cookie sits at user - 8 + i
        if ((c >> (8 * i)) & 0xFFu) return -8 + i;
    return 0;
}

// Puts the guards back after a damage was reported, so that one damage is reported once.
// Whether the tail guard's last byte is still 0xFD: damage that ends inside the guard is an
// overflow of the block's own bytes, which may be repaired; damage over all of it may as well be a
// size field a stray write enlarged, and the "guard" then another block's bytes, not to be written.
inline bool guard_end_intact(const block_header* h) noexcept {
    std::size_t const guard = guard_bytes_of(h);
    return guard && reinterpret_cast<const unsigned char*>(h)[header_size + size_of(h) + guard - 1] == guard_fill;
}

inline void repair_guards(block_header* h) noexcept {
    h->front = front_word_for(h->thread);
    write_tail_guard(h);
}

// How many of a quarantined block's first bytes are filled with 0xDD and checked (see
// heap/quarantine.hpp for why not all of them).
constexpr std::size_t max_freed_fill = 64;
inline std::size_t freed_fill_bytes(const block_header* h) noexcept {
    std::size_t const n = size_of(h);
    return n < max_freed_fill ? n : max_freed_fill;
}

// The first byte of a quarantined block's user bytes that is not 0xDD, or -1.
inline long fill_damage(const block_header* h) noexcept {
    return first_unlike(reinterpret_cast<const unsigned char*>(h) + header_size, freed_fill_bytes(h), freed_fill);
}

} // namespace detail
} // namespace leakguard

#endif
