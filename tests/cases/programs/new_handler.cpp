// Failure paths of operator new: the new_handler loop, std::bad_alloc, nothrow forms returning
// null, sizes so close to SIZE_MAX that adding leakguard's header would wrap around (they must
// fail, never return a small block), size 0 (a unique non-null pointer), and delete of nullptr.
// Each check prints its result; any failure makes the exit status 1. No leaks, no errors.
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp)
#include <leakguard/leakguard.hpp>

#include <cstdint>
#include <cstdio>
#include <new>

namespace {

int g_failures = 0;
int g_handler_calls = 0;

void expect(bool ok, const char* what) {
    std::printf("%s: %s\n", ok ? "ok" : "FAILED", what);
    if (!ok) ++g_failures;
}

// The standard handler protocol: try to make memory available, or uninstall to give up.
void counting_handler() {
    if (++g_handler_calls == 3) std::set_new_handler(nullptr);
}

// volatile: the compiler must not see through the sizes and fold the calls away.
volatile std::size_t g_huge = std::size_t(1) << 60;

bool throws_bad_alloc(std::size_t size) {
    try {
        void* p = ::operator new(size);
        std::printf("  operator new(%zu) returned %p\n", size, p);
        ::operator delete(p);
        return false;
    } catch (const std::bad_alloc&) {
        return true;
    }
}

} // namespace

int main() {
    // stdout's buffer is this array, not a block the C library allocates at the first printf (every
    // C allocation is tracked): the live blocks counted below are the checks' alone.
    static char out_buffer[BUFSIZ];
    std::setvbuf(stdout, out_buffer, _IOFBF, sizeof out_buffer);
    leakguard::statistics const at_start = leakguard::stats();

    // Throwing form: the handler runs until it uninstalls itself (3 calls), then bad_alloc.
    std::set_new_handler(counting_handler);
    expect(throws_bad_alloc(g_huge), "operator new(huge) throws std::bad_alloc");
    expect(g_handler_calls == 3, "the new_handler ran exactly 3 times before bad_alloc");
    expect(std::get_new_handler() == nullptr, "the handler uninstalled itself");

    // Array form, no handler: straight to bad_alloc.
    try {
        void* p = ::operator new[](g_huge);
        ::operator delete[](p);
        expect(false, "operator new[](huge) throws std::bad_alloc");
    } catch (const std::bad_alloc&) {
        expect(true, "operator new[](huge) throws std::bad_alloc");
    }

    // Nothrow forms return null (with no handler installed).
    expect(::operator new(g_huge, std::nothrow) == nullptr, "operator new(huge, nothrow) is null");
    expect(::operator new[](g_huge, std::nothrow) == nullptr, "operator new[](huge, nothrow) is null");
    expect(::operator new(g_huge, std::align_val_t(64), std::nothrow) == nullptr,
           "operator new(huge, align 64, nothrow) is null");

    // Near SIZE_MAX: size + header (+ alignment padding) wraps around in size_t arithmetic.
    std::size_t const near_max[] = {SIZE_MAX, SIZE_MAX - 8, SIZE_MAX - 47, SIZE_MAX - 48,
                                    SIZE_MAX - 63, SIZE_MAX - 4096, SIZE_MAX / 2 + 1};
    for (std::size_t size : near_max) {
        volatile std::size_t n = size;
        std::printf("size %zu:\n", size);
        expect(throws_bad_alloc(n), "  operator new throws");
        expect(::operator new(n, std::nothrow) == nullptr, "  operator new(nothrow) is null");
        expect(::operator new[](n, std::nothrow) == nullptr, "  operator new[](nothrow) is null");
        expect(::operator new(n, std::align_val_t(64), std::nothrow) == nullptr,
               "  operator new(align 64, nothrow) is null");
        expect(::operator new(n, std::align_val_t(4096), std::nothrow) == nullptr,
               "  operator new(align 4096, nothrow) is null");
        try {
            void* p = ::operator new(n, std::align_val_t(128));
            ::operator delete(p, std::align_val_t(128));
            expect(false, "  operator new(align 128) throws");
        } catch (const std::bad_alloc&) {
            expect(true, "  operator new(align 128) throws");
        }
    }

    // Size 0: non-null and distinct while both are alive.
    void* a = ::operator new(0);
    void* b = ::operator new(0);
    char* c = new char[0];
    char* d = new char[0];
    expect(a && b && a != b, "operator new(0) gives distinct non-null pointers");
    expect(c && d && c != d, "new char[0] gives distinct non-null pointers");
    ::operator delete(a);
    ::operator delete(b);
    delete[] c;
    delete[] d;

    // Deleting a null pointer does nothing (in particular, it is no invalid_free error).
    int* null_int = nullptr;
    delete null_int;
    delete[] null_int;
    ::operator delete(nullptr);
    ::operator delete[](nullptr);
    ::operator delete(nullptr, std::align_val_t(64));

    leakguard::statistics const st = leakguard::stats();
    expect(st.live_blocks == at_start.live_blocks, "nothing is alive at the end");
    std::printf("new_handler: failures=%d\n", g_failures);
    return g_failures == 0 ? 0 : 1;
}
