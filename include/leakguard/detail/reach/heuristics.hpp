// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// reach/heuristics.hpp: valgrind's default leak-check heuristics. An interior pointer usually
// makes a block only "possibly lost"; these four layouts are common enough in C++ that valgrind
// counts such a pointer as a start pointer (the block is then "reachable via heuristic"), and so
// does leakguard, with valgrind's exact tests:
//   stdstring            the pointer is 3 words in; the block is length, capacity, refcount, then
//                        capacity + 1 chars (the old copy-on-write std::string), length <= capacity
//   length64             the pointer is 8 bytes in; the first 8 bytes hold the size of the rest
//   newarray             the pointer is 1 word in; the first word, an element count n > 0, divides
//                        the rest (new T[n] of a type with a destructor)
//   multipleinheritance  the word at the pointer and the block's first word both point at vtables
//                        (a table in a file mapping holding 2 pointers into executable mappings
//                        among its first 20 words, zeros skipped)
#ifndef LEAKGUARD_DETAIL_REACH_HEURISTICS_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REACH_HEURISTICS_HPP_INCLUDED

#include <cstddef> // std::size_t
#include <cstdint> // std::uintptr_t

#include "../config.hpp"
#include "block_index.hpp"
#include "memory_map.hpp"

namespace leakguard {
namespace detail {

enum : unsigned char {
    heuristic_none = 0,
    heuristic_stdstring = 1,
    heuristic_length64 = 2,
    heuristic_newarray = 3,
    heuristic_multipleinheritance = 4
};

LEAKGUARD_DETAIL_NO_SANITIZE_MEMORY inline std::uintptr_t word_at(std::uintptr_t a) noexcept {
    return *reinterpret_cast<const std::uintptr_t*>(a);
}

// valgrind's vtable test: `a` in a readable file mapping, and among its first 20 words (within
// that mapping) two non-null ones before any that does not point into an executable file mapping.
inline bool looks_like_vtable(std::uintptr_t a, const memory_map& map) noexcept {
    const mapped_range* seg = map.find(a);
    if (!seg || !seg->file_backed || !seg->readable) return false;
    std::uintptr_t last = a + 20 * sizeof(std::uintptr_t);
    if (last > seg->end - sizeof(std::uintptr_t)) last = seg->end - sizeof(std::uintptr_t);
    int functions = 0;
    for (std::uintptr_t p = a; p <= last; p += sizeof(std::uintptr_t)) {
        std::uintptr_t const f = word_at(p);
        if (f == 0) continue;
        const mapped_range* code = map.find(f);
        if (!code || !code->file_backed || !code->executable) return false;
        if (++functions == 2) return true;
    }
    return false;
}

// Which heuristic, if any, makes interior pointer `p` into block `b` count as a start pointer.
inline unsigned char heuristic_for(std::uintptr_t p, const indexed_block& b, const memory_map& map) noexcept {
    std::size_t const size = b.size();
    constexpr std::size_t w = sizeof(std::uintptr_t);
    if (p == b.begin + 3 * w && size >= 2 * w) {
        std::uintptr_t const capacity = word_at(b.begin + w);
        if (3 * w + capacity + 1 == size && word_at(b.begin) <= capacity) return heuristic_stdstring;
    }
    if (p == b.begin + 8 && size >= 8) {
        std::uintptr_t const rest = word_at(b.begin);
        if (rest > 0 && size - 8 == rest) return heuristic_length64;
    }
    if (p == b.begin + w && size >= w) {
        std::uintptr_t const n = word_at(b.begin);
        if (n > 0 && (size - w) % n == 0) return heuristic_newarray;
    }
    if (p % w == 0 && p + w <= b.begin + size && size >= w) {
        std::uintptr_t const inner = word_at(p);
        std::uintptr_t const first = word_at(b.begin);
        if (inner % w == 0 && inner >= 4096 && first % w == 0 && first >= 4096 && looks_like_vtable(inner, map) &&
            looks_like_vtable(first, map))
            return heuristic_multipleinheritance;
    }
    return heuristic_none;
}

} // namespace detail
} // namespace leakguard

#endif
