// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// heap/block.hpp: the record in front of every block leakguard hands out.
//
//   raw (from malloc / posix_memalign)
//   |<- padding (aligned blocks only) ->|<------- block_header: 48 bytes ------->|<- user bytes ->
//                                       prev next site shape order cookie thread front
//                                                          user bytes ->|<- tail guard (0xFD) ->|
//
// The header is 48 bytes, a multiple of the 16-byte default new alignment, so `raw + 48` keeps
// malloc's alignment. Its last 8 bytes, the only ones a "is this ours?" test reads, are the 8 bytes
// just before the user pointer: glibc keeps a chunk's size word there for memory it hands out, so
// reading them is safe for any pointer that malloc returned. The cookie is a hash of the block's
// address under a per-process key (heap/cookie_key.hpp) with bit 3 set; glibc chunk sizes are
// multiples of 16, so their low word never has bit 3 set and a foreign block can never pass for
// one of ours. Under another allocator (core/heap_kind.hpp) neither holds: those 8 bytes may be
// anything, or on an unmapped page in front of a page-aligned pointer; libc/ownership.hpp proves
// a block leakguard's there by other means.
//
// Guards (heap/guards.hpp): `front`, the 2 bytes just before the user pointer, holds the thread
// number xor 0xFDFD, so a write just before the block (the bytes an underflow hits first) breaks
// the pair and shows; the 4 cookie bytes below it are the rest of the front guard (their value is
// known from the address). The tail guard is `guard_bytes` of 0xFD after the user bytes. Its
// length is kept per block (the option may change while blocks live), in 6 bits of `shape` in
// units of 4 bytes: the size field gave up 4 bits for it (16 TiB is still far above any real
// block) and the alignment shift 2 (log2 of an alignment never exceeds 63). The thread number
// gave up its upper 16 bits to `front`: reports show it modulo 65536.
#ifndef LEAKGUARD_DETAIL_HEAP_BLOCK_HPP_INCLUDED
#define LEAKGUARD_DETAIL_HEAP_BLOCK_HPP_INCLUDED

#include <atomic>  // std::atomic
#include <cstddef> // std::size_t
#include <cstdint> // std::uint64_t, std::uintptr_t
#include <cstring> // std::memcpy

#include "../../block_info.hpp"
#include "../config.hpp"
#include "cookie_key.hpp"

namespace leakguard {
namespace detail {

// Bits of block_header::flags.
enum : unsigned {
    flag_linked = 1u,       // in a shard list (tracking was on when it was allocated)
    flag_ignored = 2u,      // never reported: leakguard::ignore() or an ignore region
    flag_has_location = 4u, // `site` points to a location_record (a mapping macro's file:line)
    flag_has_stack = 8u,    // `site` points to a stack_record (an interned call stack)
};

// Bit-packed words are written whole (one store each): separate bit-field stores followed by a
// wide load of the same word stall store forwarding on the hot path.
struct block_header {
    block_header* prev;   // older block of the same shard
    block_header* next;   // newer block of the same shard
    const void* site;     // return address into the caller, a location_record* or a stack_record*
    std::uint64_t shape;  // size (44 bits) | kind (4) | flags (4) | log2 of alignment above default (6)
                          // | tail guard length in units of 4 bytes (6)
    std::uint64_t order;  // sequence number (48 bits) | shard index (16)
    std::uint32_t cookie; // at user - 8: the ownership test reads only this
    std::uint16_t thread; // at user - 4: thread number modulo 65536
    std::uint16_t front;  // at user - 2: thread ^ 0xFDFD, the front guard (heap/guards.hpp)
};

static_assert(sizeof(block_header) == 48, "the header must stay 48 bytes (a multiple of 16)");

constexpr std::size_t header_size = sizeof(block_header);
constexpr std::size_t default_alignment = 16; // glibc malloc on 64-bit; checked below
constexpr std::uint64_t max_block_size = (std::uint64_t(1) << 44) - 1;
constexpr std::size_t guard_unit = 4; // the tail guard's length is kept in these units
constexpr std::size_t max_guard_bytes = 63 * guard_unit;
constexpr std::uint64_t max_seq = (std::uint64_t(1) << 48) - 1;
// The largest block the short paths take without further checks: far enough below max_block_size
// that adding the header, a guard and a size class's rounding can neither overflow nor reach it.
constexpr std::size_t max_fast_size = std::size_t(1) << 40;

// The fields of `shape`, low to high: size (44 bits), kind (4), flags (4), alignment shift (6),
// tail guard units (6). Everything outside this file reads and writes them through these names.
constexpr unsigned shape_kind_shift = 44;
constexpr unsigned shape_flags_shift = 48;
constexpr unsigned shape_align_shift = 52;
constexpr unsigned shape_guard_shift = 58;
constexpr std::uint64_t shape_kind_bits = std::uint64_t(0xF) << shape_kind_shift;
constexpr std::uint64_t shape_linked_bit = std::uint64_t(flag_linked) << shape_flags_shift;
constexpr std::uint64_t shape_align_bits = std::uint64_t(0x3F) << shape_align_shift;
constexpr std::uint64_t shape_guard_bits = std::uint64_t(0x3F) << shape_guard_shift;
// A plain block, the one the short paths of a free handle without looking further: linked, default
// alignment, no tail guard (the other flags do not matter).
constexpr std::uint64_t shape_plain_mask = shape_linked_bit | shape_align_bits | shape_guard_bits;
constexpr std::uint64_t shape_plain = shape_linked_bit;

// The cookie always has this bit set (a glibc chunk size never has: see above).
constexpr std::uint32_t cookie_mark = 0x8u;
// The front guard: `front` holds the thread number xor this (heap/guards.hpp).
constexpr std::uint16_t front_mark = 0xFDFD;

#if defined(__STDCPP_DEFAULT_NEW_ALIGNMENT__)
static_assert(__STDCPP_DEFAULT_NEW_ALIGNMENT__ <= default_alignment,
              "leakguard assumes malloc aligns to the default new alignment");
#endif

// Every alignment shift a block has been given (bit n: aligned to 2^n; bit 0: default alignment).
// A header whose shift is none of them is damaged (reach/list_walk.hpp). Set by the allocation
// path of over-aligned blocks, the slow one.
std::atomic<std::uint64_t> g_align_shifts_used{1u};
inline void note_align_shift(unsigned shift) noexcept {
    std::uint64_t const bit = std::uint64_t(1) << (shift & 63u);
    if (!(g_align_shifts_used.load(std::memory_order_relaxed) & bit))
        g_align_shifts_used.fetch_or(bit, std::memory_order_relaxed);
}

// Always inlined: two multiplications' worth of code on every ownership test, where an outlined
// call would cost more than the hash.
LEAKGUARD_DETAIL_ALWAYS_INLINE std::uint32_t cookie_for(const block_header* h) noexcept {
    std::uint64_t x = reinterpret_cast<std::uintptr_t>(h) >> 4;
    x *= cookie_key();
    return static_cast<std::uint32_t>(x >> 32) | cookie_mark;
}
// A released block's cookie: a second release of the same pointer sees this instead.
constexpr std::uint32_t freed_cookie_flip = 0x5A5A0000u;
LEAKGUARD_DETAIL_ALWAYS_INLINE std::uint32_t freed_cookie_for(const block_header* h) noexcept {
    return cookie_for(h) ^ freed_cookie_flip;
}

inline block_header* header_of(const void* user) noexcept {
    return reinterpret_cast<block_header*>(const_cast<char*>(static_cast<const char*>(user)) - header_size);
}
inline void* user_of(block_header* h) noexcept { return reinterpret_cast<char*>(h) + header_size; }

// Bytes from the raw allocation to the header: 0 unless the block is over-aligned.
inline std::size_t padding_for(std::size_t align) noexcept {
    return align <= default_alignment ? 0 : (align - header_size % align) % align;
}

// Whether the 8 bytes in front of `user` lie on another page than `user` itself, one that may not be
// mapped: the ownership test reads them only for a block it finds in heap/page_index.hpp. 4 KiB,
// the smallest page size: with larger pages this is only more careful.
constexpr std::uintptr_t min_page_size = 4096;
inline bool front_off_page(const void* user) noexcept {
    return (reinterpret_cast<std::uintptr_t>(user) & (min_page_size - 1)) < 8u;
}

// The cookie in front of `user`, read without any sanitizer check (see config.hpp).
LEAKGUARD_DETAIL_NO_SANITIZE_MEMORY inline std::uint32_t cookie_in_front_of(const void* user) noexcept {
    // Hide where the pointer came from: inlined next to a malloc() of a foreign block, GCC would
    // otherwise warn that the (C library's) bytes in front of it are uninitialised.
    __asm__("" : "+r"(user));
    return header_of(user)->cookie;
}

// The 2 bytes at user - 2 (the front guard word), read as the cookie is: only for a pointer whose
// 8 bytes in front are readable (see above), when the cookie test failed.
LEAKGUARD_DETAIL_NO_SANITIZE_MEMORY inline std::uint16_t front_in_front_of(const void* user) noexcept {
    __asm__("" : "+r"(user));
    return header_of(user)->front;
}

// Whether the thread number and the front guard at user - 4 agree (front = thread ^ front_mark), as
// in every header leakguard writes; read as the cookie is, from the same 8 bytes.
LEAKGUARD_DETAIL_NO_SANITIZE_MEMORY inline bool thread_pair_in_front_of(const void* user) noexcept {
    __asm__("" : "+r"(user));
    const block_header* h = header_of(user);
    return static_cast<std::uint16_t>(h->thread ^ h->front) == front_mark;
}

inline std::uint64_t make_shape(std::uint64_t size, block_kind kind, unsigned flags, unsigned align_shift,
                                unsigned guard_units = 0) noexcept {
    return size | std::uint64_t(static_cast<unsigned>(kind)) << shape_kind_shift |
           std::uint64_t(flags & 0xFu) << shape_flags_shift | std::uint64_t(align_shift & 0x3Fu) << shape_align_shift |
           std::uint64_t(guard_units & 0x3Fu) << shape_guard_shift;
}
inline std::uint64_t make_order(std::uint64_t seq, std::uint32_t shard) noexcept {
    return (seq & max_seq) | std::uint64_t(shard) << 48;
}
// The fields of a shape word already loaded (the hot paths read `shape` once).
inline std::uint64_t kind_bits_for(block_kind kind) noexcept {
    return std::uint64_t(static_cast<unsigned>(kind)) << shape_kind_shift;
}
inline std::size_t shape_size(std::uint64_t shape) noexcept { return static_cast<std::size_t>(shape & max_block_size); }
inline unsigned shape_align(std::uint64_t shape) noexcept {
    return static_cast<unsigned>((shape >> shape_align_shift) & 0x3Fu);
}
inline unsigned shape_guard_units(std::uint64_t shape) noexcept {
    return static_cast<unsigned>(shape >> shape_guard_shift);
}
inline std::size_t shape_guard_bytes(std::uint64_t shape) noexcept { return shape_guard_units(shape) * guard_unit; }
inline bool shape_is_plain(std::uint64_t shape) noexcept { return (shape & shape_plain_mask) == shape_plain; }

inline std::size_t size_of(const block_header* h) noexcept { return shape_size(h->shape); }
inline block_kind kind_of(const block_header* h) noexcept {
    return static_cast<block_kind>((h->shape & shape_kind_bits) >> shape_kind_shift);
}
inline unsigned flags_of(const block_header* h) noexcept {
    return static_cast<unsigned>((h->shape >> shape_flags_shift) & 0xFu);
}
inline void add_flags(block_header* h, unsigned flags) noexcept {
    h->shape |= std::uint64_t(flags & 0xFu) << shape_flags_shift;
}
inline unsigned align_shift_of(const block_header* h) noexcept { return shape_align(h->shape); }
inline std::size_t guard_bytes_of(const block_header* h) noexcept { return shape_guard_bytes(h->shape); }

inline std::uint16_t front_word_for(std::uint16_t thread) noexcept {
    return static_cast<std::uint16_t>(thread ^ front_mark);
}
// The header's last word without its cookie: the thread number and the front guard.
inline std::uint64_t tail_word_for(std::uint16_t thread) noexcept {
    return std::uint64_t(thread) << 32 | std::uint64_t(front_word_for(thread)) << 48;
}

// Writes a new block's header, but for `prev` (set when it is linked): the one way every
// allocation path fills it. Whole words; cookie, thread and front in one store. `tail_word`
// (tail_word_for) by reference: the short paths pass the thread's copy, read where it is stored.
LEAKGUARD_DETAIL_ALWAYS_INLINE void write_header(block_header* h, const void* site, std::uint64_t shape,
                                                 std::uint64_t order, const std::uint64_t& tail_word) noexcept {
    h->order = order;
    h->next = nullptr;
    h->site = site;
    h->shape = shape;
    std::uint64_t const tail = std::uint64_t(cookie_for(h)) | tail_word;
    std::memcpy(&h->cookie, &tail, sizeof tail);
}

// The raw allocation a header lives in (what goes back to the C library).
inline void* raw_of(block_header* h) noexcept {
    unsigned const shift = align_shift_of(h);
    return reinterpret_cast<char*>(h) - padding_for(shift ? std::size_t(1) << shift : 0);
}
// A block freed by a thread other than its shard's owner waits on the shard's `remote` stack
// (heap/registry.hpp), still linked, until the owner unlinks it. The stack's link lives in the
// block's own (now freed) user bytes: at the start, or after the tail guard when the block is too
// small to hold it there without covering the guard (check_heap reads the guards of listed blocks).
// Every allocation path (heap/allocate.hpp) makes the raw allocation long enough: raw_user_bytes()
// after the header.
inline std::size_t remote_link_offset(std::size_t size, std::size_t guard) noexcept {
    return size >= sizeof(void*) || guard == 0 ? 0 : (size + guard + sizeof(void*) - 1) & ~(sizeof(void*) - 1);
}
inline std::size_t raw_user_bytes(std::size_t size, std::size_t guard) noexcept {
    std::size_t const need = remote_link_offset(size, guard) + sizeof(void*);
    return size + guard > need ? size + guard : need;
}
inline block_header** remote_link_of(block_header* h) noexcept;

// The cookie read or written where another thread may be at the same header: a block freed by
// another thread is marked released while it is still in its shard's list (see above), where
// scopes and check_heap read it. Relaxed atomics: plain moves on x86, and no data race.
inline std::uint32_t load_cookie(const block_header* h) noexcept {
    return __atomic_load_n(&h->cookie, __ATOMIC_RELAXED);
}
inline void store_cookie(block_header* h, std::uint32_t v) noexcept {
    __atomic_store_n(&h->cookie, v, __ATOMIC_RELAXED);
}

inline std::uint64_t seq_of(const block_header* h) noexcept { return h->order & max_seq; }
inline std::uint32_t shard_of(const block_header* h) noexcept { return static_cast<std::uint32_t>(h->order >> 48); }
inline block_header** remote_link_of(block_header* h) noexcept {
    return reinterpret_cast<block_header**>(static_cast<char*>(user_of(h)) +
                                            remote_link_offset(size_of(h), guard_bytes_of(h)));
}

} // namespace detail
} // namespace leakguard

#endif
