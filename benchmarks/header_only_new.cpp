// The floor of any tracker that keeps its record in a header in front of each block: this
// replaces the global operator new/delete with malloc(n + H) returning the bytes after the
// first H, and tracks nothing. compare.sh runs it as the `header-only` configuration (H = 48,
// leakguard's header): what the workloads cost with leakguard's header and none of its work (a
// bigger footprint, more cache misses), against which the leak-only row shows what the tracking
// itself adds. Built again with H = 16 and 32 (LEAKGUARD_BENCH_HEADER_BYTES; `header-16` and
// `header-32`): how the floor falls with a smaller header, i.e. what a smaller header could win.
#include <cstddef>
#include <cstdlib>
#include <new>

namespace {
#ifndef LEAKGUARD_BENCH_HEADER_BYTES
#define LEAKGUARD_BENCH_HEADER_BYTES 48 // sizeof(leakguard::detail::block_header)
#endif
// A multiple of 16, so that the bytes after it keep malloc's alignment.
constexpr std::size_t header_bytes = LEAKGUARD_BENCH_HEADER_BYTES;
static_assert(header_bytes % 16 == 0, "the header must keep malloc's 16-byte alignment");

void* allocate(std::size_t n) {
    void* raw = std::malloc(n + header_bytes);
    return raw ? static_cast<char*>(raw) + header_bytes : nullptr;
}
void release(void* p) noexcept {
    if (p) std::free(static_cast<char*>(p) - header_bytes);
}
} // namespace

void* operator new(std::size_t n) {
    if (void* p = allocate(n)) return p;
    throw std::bad_alloc();
}
void* operator new[](std::size_t n) {
    if (void* p = allocate(n)) return p;
    throw std::bad_alloc();
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return allocate(n); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return allocate(n); }
void operator delete(void* p) noexcept { release(p); }
void operator delete[](void* p) noexcept { release(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { release(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { release(p); }
#if __cpp_sized_deallocation >= 201309L
void operator delete(void* p, std::size_t) noexcept { release(p); }
void operator delete[](void* p, std::size_t) noexcept { release(p); }
#endif
