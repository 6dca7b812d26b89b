// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// impl/guards.hpp: the bytes around a block that tell a write past either end (heap_overflow,
// heap_underflow), and the fill patterns (as the CRT's debug heap: 0xCD new, 0xDD freed, 0xFD
// "no man's land").
//
// Front: the cookie (4 bytes, known from the address) and the pair thread/front (front = thread
// ^ 0xFDFD) are the 8 bytes just before the user pointer; the cookie must stay at user - 8 (the
// ownership test, impl/block.hpp), so the guard is made of header words whose right value is
// known rather than of extra bytes. Back: `guard_bytes_of(h)` bytes of 0xFD right after the user
// bytes (the raw allocation is that much longer), so even a one-byte overflow of an odd-sized
// block shows. Everything read here is the block's own memory.
#ifndef LEAKGUARD_DETAIL_IMPL_GUARDS_HPP_INCLUDED
#define LEAKGUARD_DETAIL_IMPL_GUARDS_HPP_INCLUDED

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
constexpr std::uint16_t front_mark = 0xFDFD;
// New blocks are filled up to this many bytes: further pages of a large block come zeroed from the
// kernel, and writing them would commit memory the program may never touch.
constexpr std::size_t max_new_fill = std::size_t(64) * 1024;

inline std::uint16_t front_word_for(std::uint16_t thread) noexcept {
    return static_cast<std::uint16_t>(thread ^ front_mark);
}

inline unsigned guard_units_for(int guard_bytes) noexcept {
    return static_cast<unsigned>((guard_bytes + static_cast<int>(guard_unit) - 1) / static_cast<int>(guard_unit));
}

inline void write_tail_guard(block_header* h) noexcept {
    std::size_t const n = guard_bytes_of(h);
    if (n) std::memset(static_cast<char*>(user_of(h)) + size_of(h), guard_fill, n);
}

// The first byte of the tail guard that is not 0xFD, as an offset from the end of the user bytes;
// -1 when the guard is intact.
inline long tail_damage(const block_header* h) noexcept {
    const unsigned char* g = reinterpret_cast<const unsigned char*>(h) + header_size + size_of(h);
    std::size_t const n = guard_bytes_of(h);
    for (std::size_t i = 0; i < n; ++i)
        if (g[i] != guard_fill) return static_cast<long>(i);
    return -1;
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
inline void repair_guards(block_header* h) noexcept {
    h->front = front_word_for(h->thread);
    write_tail_guard(h);
}

// The first byte of a quarantined block's user bytes that is not 0xDD, or -1.
inline long fill_damage(const block_header* h) noexcept {
    const unsigned char* u = reinterpret_cast<const unsigned char*>(h) + header_size;
    std::size_t const n = size_of(h);
    std::size_t i = 0;
    std::uint64_t const pattern = 0xDDDDDDDDDDDDDDDDull;
    for (; i + 8 <= n; i += 8) {
        std::uint64_t w;
        std::memcpy(&w, u + i, 8);
        if (w != pattern) break;
    }
    for (; i < n; ++i)
        if (u[i] != freed_fill) return static_cast<long>(i);
    return -1;
}

} // namespace detail
} // namespace leakguard

#endif
