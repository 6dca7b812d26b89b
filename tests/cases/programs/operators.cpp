// Every replaceable allocation/deallocation operator, each allocation paired with its matching
// deallocation form. Each pair must add exactly one allocation and one free to leakguard's counts
// (checked here, naming the form that failed); the program prints how many pairs it made and what
// stats() counted over all of them, and the driver checks allocations == frees == that number.
// (Counted from inside: the exit JSON also counts the C and C++ runtime's own blocks.)
// Needs C++17 (aligned forms) and sized deallocation (clang: -fsized-deallocation).
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp)
#include <leakguard/leakguard.hpp>

#include <cstdio>
#include <new>

namespace {

int g_calls = 0;
int g_failures = 0;

// Checks that `pair` (one allocation + one deallocation) moved the counters by exactly one each.
template <class Pair>
void check(const char* form, Pair pair) {
    leakguard::statistics const before = leakguard::stats();
    pair();
    ++g_calls;
    leakguard::statistics const after = leakguard::stats();
    if (after.allocations != before.allocations + 1 || after.frees != before.frees + 1 ||
        after.live_blocks != before.live_blocks) {
        std::printf("FAILED: %s (allocations +%llu, frees +%llu)\n", form,
                    static_cast<unsigned long long>(after.allocations - before.allocations),
                    static_cast<unsigned long long>(after.frees - before.frees));
        ++g_failures;
    }
}

// Sized delete-expressions: a class with a non-trivial destructor gets an array cookie, and the
// compiler passes the size (cookie included) to operator delete[](void*, std::size_t).
struct widget {
    int value = 7;
    ~widget() { value = 0; }
};
struct alignas(128) wide {
    char bytes[128];
    ~wide() { bytes[0] = 0; }
};

constexpr std::align_val_t kAlign{64};

} // namespace

int main() {
    leakguard::statistics const at_start = leakguard::stats();
    check("new / delete", [] { ::operator delete(::operator new(8)); });
    check("new[] / delete[]", [] { ::operator delete[](::operator new[](8)); });
    check("new nothrow / delete nothrow",
          [] { ::operator delete(::operator new(8, std::nothrow), std::nothrow); });
    check("new[] nothrow / delete[] nothrow",
          [] { ::operator delete[](::operator new[](8, std::nothrow), std::nothrow); });
    check("new / sized delete", [] { ::operator delete(::operator new(24), 24); });
    check("new[] / sized delete[]", [] { ::operator delete[](::operator new[](24), 24); });

    check("new align / delete align", [] { ::operator delete(::operator new(8, kAlign), kAlign); });
    check("new[] align / delete[] align",
          [] { ::operator delete[](::operator new[](8, kAlign), kAlign); });
    check("new align nothrow / delete align nothrow", [] {
        ::operator delete(::operator new(8, kAlign, std::nothrow), kAlign, std::nothrow);
    });
    check("new[] align nothrow / delete[] align nothrow", [] {
        ::operator delete[](::operator new[](8, kAlign, std::nothrow), kAlign, std::nothrow);
    });
    check("new align / sized delete align",
          [] { ::operator delete(::operator new(100, kAlign), 100, kAlign); });
    check("new[] align / sized delete[] align",
          [] { ::operator delete[](::operator new[](100, kAlign), 100, kAlign); });

    // The same forms reached through new- and delete-expressions.
    check("new-expression / delete-expression (sized)", [] { delete new widget; });
    check("new[]-expression / delete[]-expression (sized, cookie)", [] { delete[] new widget[3]; });
    check("new(nothrow)-expression", [] { delete new (std::nothrow) widget; });
    check("aligned new-expression / delete-expression", [] { delete new wide; });
    check("aligned new[]-expression / delete[]-expression", [] { delete[] new wide[2]; });
    check("aligned new(nothrow)[]-expression", [] { delete[] new (std::nothrow) wide[2]; });

    leakguard::statistics const at_end = leakguard::stats(); // before printf allocates stdout's buffer
    std::printf("operators: calls=%d failures=%d allocations=%llu frees=%llu\n", g_calls, g_failures,
                static_cast<unsigned long long>(at_end.allocations - at_start.allocations),
                static_cast<unsigned long long>(at_end.frees - at_start.frees));
    return g_failures == 0 ? 0 : 1;
}
