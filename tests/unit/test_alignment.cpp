// Alignment: every block from plain new is aligned for any fundamental type (16 bytes on the
// 64-bit glibc platforms leakguard supports, which is what leakguard's 48-byte header keeps);
// aligned new (C++17) honours the alignment it is given, for scalars, arrays and nothrow forms.
// Every byte of each block is written, so a block placed too close to its header or its end shows
// up under valgrind or as a corrupted header on delete.
#include <doctest/doctest.h>

#include "support.hpp"

#include <cstdint>
#include <cstring>
#include <new>

namespace {
bool aligned_to(const void* p, std::size_t alignment) { return reinterpret_cast<std::uintptr_t>(p) % alignment == 0; }
} // namespace

TEST_CASE("plain new and new[] return 16-byte aligned blocks") {
    leakguard::scope s(__FILE__, __LINE__, "default-alignment");
    bool all_aligned = true;
    for (std::size_t size = 0; size <= 130; ++size) {
        char* array = new char[size];
        void* scalar = ::operator new(size);
        void* nothrow = ::operator new(size, std::nothrow);
        std::memset(array, 0x5A, size);
        std::memset(scalar, 0x5A, size);
        std::memset(nothrow, 0x5A, size);
        all_aligned = all_aligned && aligned_to(array, 16) && aligned_to(scalar, 16) && aligned_to(nothrow, 16);
        delete[] array;
        ::operator delete(scalar);
        ::operator delete(nothrow, std::nothrow);
    }
    CHECK(all_aligned);
    CHECK(s.check());
}

#if defined(__cpp_aligned_new)
namespace {
struct alignas(64) cache_line {
    unsigned char bytes[64];
};
struct alignas(4096) page {
    unsigned char bytes[4096];
};
} // namespace

TEST_CASE("aligned operator new honours 32, 64, 128, 4096 and 65536 for every form") {
    std::size_t const alignments[] = {32, 64, 128, 4096, 65536};
    std::size_t const sizes[] = {0, 1, 17, 64, 100, 5000};
    // Results are gathered and checked after the scope: doctest's CAPTURE/INFO keep heap memory
    // of their own, which the scope would rightly call a leak.
    std::size_t bad_alignment = 0, bad_size = 0;
    bool all_ok = true, clean = false;
    {
        leakguard::scope s(__FILE__, __LINE__, "aligned-forms");
        for (std::size_t a : alignments) {
            std::align_val_t const al = static_cast<std::align_val_t>(a);
            for (std::size_t size : sizes) {
                void* scalar = ::operator new(size, al);
                void* array = ::operator new[](size, al);
                void* nothrow_scalar = ::operator new(size, al, std::nothrow);
                void* nothrow_array = ::operator new[](size, al, std::nothrow);
                bool const ok = nothrow_scalar && nothrow_array && aligned_to(scalar, a) && aligned_to(array, a) &&
                                aligned_to(nothrow_scalar, a) && aligned_to(nothrow_array, a);
                if (ok) {
                    std::memset(scalar, 0xA5, size);
                    std::memset(array, 0xA5, size);
                    std::memset(nothrow_scalar, 0xA5, size);
                    std::memset(nothrow_array, 0xA5, size);
                } else if (all_ok) {
                    all_ok = false;
                    bad_alignment = a;
                    bad_size = size;
                }
                ::operator delete(scalar, al);
                ::operator delete[](array, al);
                ::operator delete(nothrow_scalar, al, std::nothrow);
                ::operator delete[](nothrow_array, al, std::nothrow);
            }
        }
        clean = s.check();
    }
    INFO("first misaligned block: alignment " << bad_alignment << ", size " << bad_size);
    CHECK(all_ok);
    CHECK(clean);
}

TEST_CASE("aligned new with an alignment at or below the default still works") {
    leakguard::scope s(__FILE__, __LINE__, "small-alignments");
    std::size_t const alignments[] = {1, 2, 8, 16};
    bool all_aligned = true;
    for (std::size_t a : alignments) {
        void* p = ::operator new(40, static_cast<std::align_val_t>(a));
        std::memset(p, 1, 40);
        all_aligned = all_aligned && aligned_to(p, a);
        ::operator delete(p, static_cast<std::align_val_t>(a));
    }
    CHECK(all_aligned);
    CHECK(s.check());
}

TEST_CASE("new-expressions of over-aligned types use aligned new and are aligned") {
    leakguard::scope s(__FILE__, __LINE__, "over-aligned-types");
    cache_line* one = new cache_line();
    cache_line* three = new cache_line[3]();
    page* p = new page();
    page* pages = new page[2]();
    std::memset(one, 1, sizeof *one);
    std::memset(three, 1, 3 * sizeof *three);
    std::memset(p, 1, sizeof *p);
    std::memset(pages, 1, 2 * sizeof *pages);
    bool const ok = aligned_to(one, 64) && aligned_to(three, 64) && aligned_to(p, 4096) && aligned_to(pages, 4096);
    std::size_t const bytes = s.leaked_bytes();
    delete one;
    delete[] three;
    delete p;
    delete[] pages;
    CHECK(ok);
    CHECK(bytes == 64 + 3 * 64 + 4096 + 2 * 4096);
    CHECK(s.check());
}
#endif
