// The standard's contract for the replacement operator new, which leakguard must keep: size 0 gives
// a unique non-null pointer; a request that cannot be met calls the new_handler until it is removed,
// then throws std::bad_alloc (or returns nullptr for the nothrow forms); sizes near SIZE_MAX fail
// instead of wrapping around to a small block when leakguard adds its header.
#include <doctest/doctest.h>

#include "support.hpp"

#include <cstdint>
#include <new>

namespace {
// Too big to ever succeed: SIZE_MAX is refused by leakguard's own size check; 2^48 - 4096 passes
// that check (blocks may be up to 2^48 - 1 bytes) and fails in malloc, as 256 TiB is beyond any
// x86-64 or AArch64 user address space.
std::size_t const refused_size = SIZE_MAX;
std::size_t const malloc_fails_size = (std::size_t(1) << 48) - 4096;

int g_handler_calls;
int g_handler_calls_before_giving_up;

// A new_handler that "frees memory" a few times, then gives up by removing itself.
void counting_handler() {
    if (++g_handler_calls >= g_handler_calls_before_giving_up) std::set_new_handler(nullptr);
}

void throwing_handler() {
    ++g_handler_calls;
    throw std::bad_alloc();
}

// The throwing forms, for CHECK_THROWS_AS; should one return after all, the block is freed.
void new_scalar(std::size_t size) { ::operator delete(::operator new(size)); }
void new_array(std::size_t size) { ::operator delete[](::operator new[](size)); }

// Installs `handler` for the test; puts back the one before at the end.
struct handler_guard {
    explicit handler_guard(std::new_handler handler, int give_up_after = 0) : previous(std::set_new_handler(handler)) {
        g_handler_calls = 0;
        g_handler_calls_before_giving_up = give_up_after;
    }
    ~handler_guard() { std::set_new_handler(previous); }
    handler_guard(const handler_guard&) = delete;
    handler_guard& operator=(const handler_guard&) = delete;
    std::new_handler previous;
};
} // namespace

TEST_CASE("operator new(0) returns distinct non-null pointers, tracked as 0-byte blocks") {
    leakguard::scope s(__FILE__, __LINE__, "zero");
    void* a = ::operator new(0);
    void* b = ::operator new(0);
    char* c = new char[0];
    std::size_t const blocks = s.leaked_blocks();
    std::size_t const bytes = s.leaked_bytes();
    ::operator delete(a);
    ::operator delete(b);
    delete[] c;

    CHECK(a != nullptr);
    CHECK(b != nullptr);
    CHECK(c != nullptr);
    CHECK(a != b);
    CHECK(static_cast<void*>(c) != a);
    CHECK(static_cast<void*>(c) != b);
    CHECK(blocks == 3);
    CHECK(bytes == 0);
    CHECK(s.check());
}

TEST_CASE("nothrow new of an impossible size returns nullptr") {
    CHECK(::operator new(refused_size, std::nothrow) == nullptr);
    CHECK(::operator new[](refused_size, std::nothrow) == nullptr);
    CHECK(::operator new(malloc_fails_size, std::nothrow) == nullptr);
    CHECK(::operator new[](malloc_fails_size, std::nothrow) == nullptr);
}

TEST_CASE("new of an impossible size throws std::bad_alloc") {
    CHECK_THROWS_AS(new_scalar(refused_size), std::bad_alloc);
    CHECK_THROWS_AS(new_array(refused_size), std::bad_alloc);
    CHECK_THROWS_AS(new_scalar(malloc_fails_size), std::bad_alloc);
    CHECK_THROWS_AS(new_array(malloc_fails_size), std::bad_alloc);
}

TEST_CASE("a failed operator new calls the new_handler until it is removed, then throws") {
    handler_guard guard(&counting_handler, 3);
    CHECK_THROWS_AS(new_scalar(malloc_fails_size), std::bad_alloc);
    CHECK(g_handler_calls == 3);

    std::set_new_handler(&counting_handler);
    g_handler_calls = 0;
    CHECK_THROWS_AS(new_array(refused_size), std::bad_alloc); // refused before malloc: same loop
    CHECK(g_handler_calls == 3);
}

TEST_CASE("nothrow new also calls the new_handler, and returns nullptr once it is removed") {
    handler_guard guard(&counting_handler, 2);
    CHECK(::operator new(malloc_fails_size, std::nothrow) == nullptr);
    CHECK(g_handler_calls == 2);
}

TEST_CASE("a new_handler that throws bad_alloc: the throwing form throws, nothrow returns nullptr") {
    handler_guard guard(&throwing_handler);
    CHECK_THROWS_AS(new_scalar(malloc_fails_size), std::bad_alloc);
    CHECK(g_handler_calls == 1);
    CHECK(::operator new[](malloc_fails_size, std::nothrow) == nullptr);
    CHECK(g_handler_calls == 2);
    // The handler is consulted only on failure.
    int* fine = new int(1);
    CHECK(g_handler_calls == 2);
    delete fine;
}

TEST_CASE("sizes near SIZE_MAX fail instead of wrapping around when the header is added") {
    // If leakguard computed header + size without a check, these would wrap to a few bytes and
    // "succeed" with a block far smaller than asked for.
    std::size_t const sizes[] = {SIZE_MAX,      SIZE_MAX - 1,    SIZE_MAX - 15,        SIZE_MAX - 47,   SIZE_MAX - 48,
                                 SIZE_MAX - 63, SIZE_MAX - 4095, SIZE_MAX - 4096 - 48, SIZE_MAX / 2 + 1};
    for (std::size_t size : sizes) {
        CAPTURE(size);
        CHECK(::operator new(size, std::nothrow) == nullptr);
        CHECK(::operator new[](size, std::nothrow) == nullptr);
#if defined(__cpp_aligned_new)
        // Over-aligned blocks add padding as well as the header.
        CHECK(::operator new(size, std::align_val_t(64), std::nothrow) == nullptr);
        CHECK(::operator new[](size, std::align_val_t(4096), std::nothrow) == nullptr);
#endif
    }
}
