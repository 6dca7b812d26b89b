// Built as libcase_stacks_runtime.so with -O2 -g -fomit-frame-pointer and without leakguard
// (tests/cases/CMakeLists.txt): a library as Debian builds them. Its blocks are allocated inside
// libstdc++ (std::string's members are compiled into libstdc++.so), called from fill(), which has
// no frame pointer either: only the unwind tables lead from the allocation back to fill and on
// to main.
#include "stacks_runtime_lib.hpp"

#include <new>

namespace runtimelib {

__attribute__((noinline)) void fill(void* storage, void* storage2, const std::string& text, std::size_t room,
                                    int* assign_line, int* reserve_line) {
    std::string* s = ::new (storage) std::string;
    *assign_line = __LINE__ + 1;
    *s = text; // std::string::_M_assign in libstdc++.so
    std::string* r = ::new (storage2) std::string;
    *reserve_line = __LINE__ + 1;
    r->reserve(room); // std::string::reserve in libstdc++.so
    __asm__ volatile("" ::: "memory"); // work after the call: no tail call
}

} // namespace runtimelib
