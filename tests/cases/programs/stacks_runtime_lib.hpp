// A shared library built without leakguard and without frame pointers (stacks_runtime_lib.cpp):
// its function grows strings with libstdc++'s out-of-line members, whose new reaches leakguard's
// operators in the program that loads it.
#ifndef LEAKGUARD_CASES_STACKS_RUNTIME_LIB_HPP
#define LEAKGUARD_CASES_STACKS_RUNTIME_LIB_HPP

#include <string>

namespace runtimelib {
// Constructs a string in `storage` (room for a std::string), assigns `text` to it, then reserves
// `room` in a second string in `storage2`. Returns the lines of the assignment and the reserve.
void fill(void* storage, void* storage2, const std::string& text, std::size_t room, int* assign_line,
          int* reserve_line);
} // namespace runtimelib

#endif
