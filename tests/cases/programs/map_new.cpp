// LEAKGUARD_MAP_NEW: new-expressions record __FILE__:__LINE__, and every form keeps its meaning -
// placement new into a stack buffer, new (std::nothrow), new[] of a type with a destructor (an
// array cookie in front of the elements), an over-aligned type, `*new T`, `::new`, a class with
// its own operator new (declared between map_pause/map_resume), and standard containers. Keeps
// five blocks alive on purpose, in globals (still reachable; the new[] one through its interior
// pointer, past the array cookie: valgrind's "newarray" rule), and prints their lines; the driver
// checks each one's file:line in the JSON report (show_reachable=1).
#include <leakguard/leakguard.hpp> // included once without the mapping: turning it on later works

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <new>

#include <leakguard/map_pause.hpp>
// A class with its own operator new, from a static pool: never leakguard's block.
struct pooled {
    static void* operator new(std::size_t size);
    static void operator delete(void*) noexcept {}
    int value = 0;
};
alignas(16) static unsigned char g_pool[256];
void* pooled::operator new(std::size_t size) { return size <= sizeof g_pool ? g_pool : throw std::bad_alloc(); }
#include <leakguard/map_resume.hpp>

// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp)
#define LEAKGUARD_MAP_NEW
#include <leakguard/leakguard.hpp>

#include <map>
#include <string>
#include <vector>

struct with_dtor {
    ~with_dtor() { value = 0; }
    int value = 1;
};
struct alignas(64) over_aligned {
    char bytes[100];
};

int* volatile g_keep[8];
void* volatile g_keep_any[4];

int main() {
    int failures = 0;
    int lines[5];

    lines[0] = __LINE__ + 1;
    g_keep[0] = new int(1);

    lines[1] = __LINE__ + 1;
    with_dtor* arr = new with_dtor[3];
    g_keep_any[0] = arr;

    lines[2] = __LINE__ + 1;
    over_aligned* big = new over_aligned;
    if (reinterpret_cast<std::uintptr_t>(big) % 64 != 0) ++failures;
    g_keep_any[1] = big;

    lines[3] = __LINE__ + 1;
    int& ref = *new int(7);
    if (ref != 7) ++failures;
    g_keep[1] = &ref;

    lines[4] = __LINE__ + 1;
    g_keep[2] = new (std::nothrow) int(3);

    // Not leaks: placement new, ::new, a class's own operator new, containers.
    alignas(with_dtor) unsigned char buffer[sizeof(with_dtor)];
    with_dtor* placed = new (buffer) with_dtor;
    if (placed->value != 1) ++failures;
    placed->~with_dtor();
    int* global = ::new int(5);
    delete global;
    pooled* p = new pooled;
    if (static_cast<void*>(p) != static_cast<void*>(g_pool)) ++failures;
    delete p;
    std::vector<std::string> v(10, std::string(100, 'v'));
    std::map<int, std::string> m;
    m[1] = "one";
    with_dtor* pair = new with_dtor[2];
    delete[] pair;

    std::printf("map_new: %d failures, lines %d %d %d %d %d\n", failures, lines[0], lines[1], lines[2], lines[3],
                lines[4]);
    return failures == 0 ? 0 : 1;
}
