// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// block_info.hpp: what a user may learn about one tracked block (a copy, never the live record).
#ifndef LEAKGUARD_BLOCK_INFO_HPP_INCLUDED
#define LEAKGUARD_BLOCK_INFO_HPP_INCLUDED

#include <cstddef> // std::size_t
#include <cstdint> // std::uint64_t, std::uint32_t

namespace leakguard {

// How a block was allocated. The values are stored in a 4-bit field of the block header.
enum class block_kind : unsigned char {
    new_scalar = 1,         // operator new
    new_array = 2,          // operator new[]
    new_scalar_aligned = 3, // operator new(std::align_val_t)
    new_array_aligned = 4,  // operator new[](std::align_val_t)
    malloc = 5,             // the C functions, through LEAKGUARD_MAP_MALLOC (see mapping.hpp) ...
    calloc = 6,
    realloc = 7, // ... or a realloc of a tracked block anywhere in the program
    strdup = 8,
    strndup = 9,
};

// The name used in reports and JSON: "new", "new[]", "new(align)", "new[](align)", "malloc",
// "calloc", "realloc", "strdup", "strndup".
const char* kind_name(block_kind kind) noexcept;

// valgrind's kinds of live block, from a leak check (leakguard::check_leaks, the report):
//   definite   nothing points to it
//   indirect   only lost blocks point to it (it is part of a lost structure)
//   possible   only pointers into its middle lead to it (after valgrind's heuristics)
//   reachable  a chain of pointers to block starts leads to it from a root (globals, stacks, TLS)
// `unchecked`: a copy not made by a leak check (live_blocks(), scopes).
enum class leak_kind : unsigned char { unchecked = 0, definite = 1, indirect = 2, possible = 3, reachable = 4 };

// The name used in reports and JSON: "definite", "indirect", "possible", "reachable", "unchecked".
const char* leak_kind_name(leak_kind kind) noexcept;

// A source position given by a macro (file:line, function); static storage only.
struct source_location {
    const char* file;
    int line;
    const char* function;
};

// A copy of one block's record, taken under the registry's lock.
struct block_info {
    const void* address; // the pointer the program got
    std::size_t size;    // bytes requested
    block_kind kind;
    std::uint64_t seq;               // allocation number, like the CRT's {N}
    std::uint32_t thread;            // leakguard's thread number (1 = first thread that allocated)
    const void* caller;              // return address into the allocating code (null if unknown)
    const source_location* location; // file:line when a macro gave it, else null
    void* const* stack;              // return addresses, innermost first (stack[0] == caller), or null
    std::size_t stack_depth;         // how many (0 when no stack was taken: stack_depth=1, a macro's site)
    leak_kind loss;                  // what a leak check found; unchecked elsewhere
    std::size_t indirect_bytes;      // a definitely lost block's: the bytes it alone holds (indirectly lost)
};

} // namespace leakguard

#endif
