// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// core/pages.hpp: whole pages straight from the kernel, for the leak check. While other threads
// are paused one of them may hold the C library's allocator lock, so nothing the check uses while
// they are paused may come from malloc - not even raw_alloc. mmap takes no user-space lock.
#ifndef LEAKGUARD_DETAIL_CORE_PAGES_HPP_INCLUDED
#define LEAKGUARD_DETAIL_CORE_PAGES_HPP_INCLUDED

#include <cstddef>    // std::size_t
#include <cstring>    // std::memcpy
#include <sys/mman.h> // mmap, munmap
#include <unistd.h>   // sysconf

namespace leakguard {
namespace detail {

constexpr std::size_t page_size_assumed = 4096; // only for rounding requests; mmap rounds itself

// The system's page size (4096 when it cannot be asked).
inline std::size_t page_size() noexcept {
    long const n = ::sysconf(_SC_PAGESIZE);
    return n > 0 ? static_cast<std::size_t>(n) : page_size_assumed;
}

inline std::size_t round_to_pages(std::size_t n) noexcept {
    return (n + page_size_assumed - 1) & ~(page_size_assumed - 1);
}

// Zeroed pages, or null. Reserved lazily (MAP_NORESERVE): an array sized for the worst case costs
// only the pages it touches. Large runs ask for transparent huge pages and are faulted in at once
// (MADV_POPULATE_WRITE, Linux 5.14; ignored where unknown): a page fault costs microseconds in a
// virtual machine, and the index of a million blocks would otherwise take four thousand of them.
// `sparse`: a table sized for the worst case that is mostly never touched (the paused threads'
// slots): neither huge pages nor faulted in.
inline void* map_pages(std::size_t n, bool sparse = false) noexcept {
    if (n == 0) n = 1;
    std::size_t const bytes = round_to_pages(n);
    void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) return nullptr;
    if (!sparse && bytes >= (std::size_t(4) << 20)) {
#if defined(MADV_HUGEPAGE)
        ::madvise(p, bytes, MADV_HUGEPAGE);
#endif
        ::madvise(p, bytes, 23); // MADV_POPULATE_WRITE
    }
    return p;
}

inline void unmap_pages(void* p, std::size_t n) noexcept {
    if (p) ::munmap(p, round_to_pages(n ? n : 1));
}

// An array in pages that grows by doubling (a copy; the old pages go back).
template <class T>
struct page_array {
    T* items;
    std::size_t count;
    std::size_t capacity;

    bool reserve(std::size_t n) noexcept {
        if (n <= capacity) return true;
        std::size_t grown = capacity ? capacity * 2 : page_size_assumed / sizeof(T);
        if (grown < n) grown = n;
        T* const fresh = static_cast<T*>(map_pages(grown * sizeof(T)));
        if (!fresh) return false;
        if (count) std::memcpy(static_cast<void*>(fresh), static_cast<const void*>(items), count * sizeof(T));
        unmap_pages(items, capacity * sizeof(T));
        items = fresh;
        capacity = grown;
        return true;
    }
    bool push(const T& v) noexcept {
        if (count == capacity && !reserve(count + 1)) return false;
        items[count++] = v;
        return true;
    }
    void release() noexcept {
        unmap_pages(items, capacity * sizeof(T));
        items = nullptr;
        count = capacity = 0;
    }
};

} // namespace detail
} // namespace leakguard

#endif
