// Blocks allocated inside libstdc++ (std::string's members and std::locale's constructors are
// compiled into libstdc++.so, which Debian builds without frame pointers), from user functions:
// with the default stack_unwinder each group's site must be the user's function at the line of
// the call, with the stack down to main (test_stacks_runtime.cpp checks the JSON report).
//   assign    assign_text(): a std::string assignment that grows a heap string (_M_assign)
//   locale    assign_text(): a std::locale made of two others (its _Impl's arrays, new[]'d
//             by the _Impl constructor inside libstdc++)
//   reserve   reserve_room(): std::string::reserve
//   lib_*     the same assignment and reserve from a shared library built with
//             -fomit-frame-pointer (stacks_runtime_lib.cpp)
// Each object is built in static storage that is then wiped, so what it allocated is lost
// (definitely; the locale's arrays indirectly, through its _Impl). The lines the driver expects
// are printed on stdout ("NAME=LINE").
#include <leakguard/leakguard.hpp>

#include <cstdio>
#include <cstring>
#include <locale>
#include <new>
#include <string>

#include "stacks_runtime_lib.hpp"

namespace {

int g_line_assign = 0;
int g_line_locale = 0;
int g_line_reserve = 0;

alignas(std::string) unsigned char g_assigned[sizeof(std::string)];
alignas(std::string) unsigned char g_reserved[sizeof(std::string)];
alignas(std::locale) unsigned char g_locale[sizeof(std::locale)];
alignas(std::string) unsigned char g_lib_assigned[sizeof(std::string)];
alignas(std::string) unsigned char g_lib_reserved[sizeof(std::string)];

// Forgets what `storage` held: the pointers in it are gone, the blocks they led to are lost.
void wipe(void* storage, std::size_t size) {
    std::memset(storage, 0, size);
    __asm__ volatile("" : : "r"(storage) : "memory");
}

__attribute__((noinline)) void assign_text(const std::string& text) {
    std::string* s = ::new (static_cast<void*>(g_assigned)) std::string;
    g_line_assign = __LINE__ + 1;
    *s = text;
    g_line_locale = __LINE__ + 1;
    ::new (static_cast<void*>(g_locale)) std::locale(std::locale::classic(), std::locale::classic(), std::locale::ctype);
    __asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) void reserve_room(std::size_t room) {
    std::string* s = ::new (static_cast<void*>(g_reserved)) std::string;
    g_line_reserve = __LINE__ + 1;
    s->reserve(room);
    __asm__ volatile("" ::: "memory");
}

} // namespace

int main() {
    std::string const text(100, 'x'); // past the short-string buffer: assignment allocates
    assign_text(text);
    reserve_room(300);
    int lib_assign = 0, lib_reserve = 0;
    runtimelib::fill(g_lib_assigned, g_lib_reserved, text, 500, &lib_assign, &lib_reserve);
    wipe(g_assigned, sizeof g_assigned);
    wipe(g_reserved, sizeof g_reserved);
    wipe(g_locale, sizeof g_locale);
    wipe(g_lib_assigned, sizeof g_lib_assigned);
    wipe(g_lib_reserved, sizeof g_lib_reserved);
    std::printf("assign=%d locale=%d reserve=%d lib_assign=%d lib_reserve=%d\n", g_line_assign, g_line_locale,
                g_line_reserve, lib_assign, lib_reserve);
    return 0;
}
