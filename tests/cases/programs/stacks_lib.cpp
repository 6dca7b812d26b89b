// Built as libcase_stacks.so, without leakguard and without its flags (frame pointers may be
// omitted here): the program's tracker takes this library's stack with the C++ runtime's
// unwinder and names make_record from this module's own symbol table and line table.
#include "stacks_lib.hpp"

#include <cstring>

namespace stackslib {

namespace {
int g_line = 0;
}

char* make_record(std::size_t size) {
    g_line = __LINE__ + 1;
    char* p = new char[size];
    std::memset(p, 'r', size); // work after the call: no tail call into operator new[]
    return p;
}

int record_line() { return g_line; }

} // namespace stackslib
