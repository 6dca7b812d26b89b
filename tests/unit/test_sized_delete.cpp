// The sized (C++14) and aligned sized (C++17) operator delete forms, and the nothrow deletes:
// each must release the block it is given. leakguard defines them all; a form it forgot would
// fall back to the C++ library's version, which would hand leakguard's pointer to free() (a crash
// or heap error) and leave the block live in leakguard's lists.
#include <doctest/doctest.h>

#include "support.hpp"

#include <new>

// <new> declares the sized forms only when the compiler enables sized deallocation (clang 14 does
// not by default, nor does C++11); leakguard defines them regardless.
#if !defined(__cpp_sized_deallocation)
void operator delete(void* p, std::size_t size) noexcept;
void operator delete[](void* p, std::size_t size) noexcept;
#if defined(__cpp_aligned_new)
void operator delete(void* p, std::size_t size, std::align_val_t align) noexcept;
void operator delete[](void* p, std::size_t size, std::align_val_t align) noexcept;
#endif
#endif

TEST_CASE("sized operator delete releases the block") {
    leakguard::statistics const s0 = leakguard::stats();
    leakguard::scope s(__FILE__, __LINE__, "sized-delete");
    void* scalar = ::operator new(24);
    void* array = ::operator new[](40);
    unit::use(scalar);
    unit::use(array);
    ::operator delete(scalar, 24);
    ::operator delete[](array, 40);
    std::size_t const blocks = s.leaked_blocks();
    leakguard::statistics const s1 = leakguard::stats();

    CHECK(blocks == 0);
    CHECK(s1.frees - s0.frees == 2);
    CHECK(s1.live_blocks == s0.live_blocks);
    CHECK(s.check());
}

TEST_CASE("nothrow operator delete releases the block") {
    leakguard::statistics const s0 = leakguard::stats();
    void* scalar = ::operator new(8, std::nothrow);
    void* array = ::operator new[](8, std::nothrow);
    ::operator delete(scalar, std::nothrow);
    ::operator delete[](array, std::nothrow);
    leakguard::statistics const s1 = leakguard::stats();
    CHECK(s1.frees - s0.frees == 2);
    CHECK(s1.live_blocks == s0.live_blocks);
}

TEST_CASE("operator delete(nullptr) in every form does nothing") {
    leakguard::statistics const s0 = leakguard::stats();
    ::operator delete(nullptr);
    ::operator delete[](nullptr);
    ::operator delete(nullptr, std::size_t(8));
    ::operator delete[](nullptr, std::size_t(8));
    ::operator delete(nullptr, std::nothrow);
#if defined(__cpp_aligned_new)
    ::operator delete(nullptr, std::align_val_t(64));
    ::operator delete[](nullptr, std::size_t(8), std::align_val_t(64));
#endif
    leakguard::statistics const s1 = leakguard::stats();
    CHECK(s1.frees == s0.frees);
}

#if defined(__cpp_aligned_new)
TEST_CASE("aligned sized operator delete releases the block") {
    leakguard::statistics const s0 = leakguard::stats();
    leakguard::scope s(__FILE__, __LINE__, "aligned-sized-delete");
    std::align_val_t const al = static_cast<std::align_val_t>(128);
    void* scalar = ::operator new(200, al);
    void* array = ::operator new[](300, al);
    unit::use(scalar);
    unit::use(array);
    ::operator delete(scalar, 200, al);
    ::operator delete[](array, 300, al);
    std::size_t const blocks = s.leaked_blocks();
    leakguard::statistics const s1 = leakguard::stats();

    CHECK(blocks == 0);
    CHECK(s1.frees - s0.frees == 2);
    CHECK(s1.live_blocks == s0.live_blocks);
    CHECK(s.check());
}
#endif
