// The floor of any tracker that keeps its record in a header in front of each block: this
// replaces the global operator new/delete with malloc(n + 48) returning the bytes after the
// first 48, and tracks nothing. compare.sh runs it as the `header-only` configuration: what the
// workloads cost with leakguard's 48-byte header and none of its work (a bigger footprint, more
// cache and TLB misses), against which the leak-only row shows what the tracking itself adds.
#include <cstddef>
#include <cstdlib>
#include <new>

namespace {
constexpr std::size_t header_bytes = 48; // sizeof(leakguard::detail::block_header)

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
