// A shared library built without leakguard (stacks_lib.cpp): its new[] reaches leakguard's
// operators in the program that loads it.
#ifndef LEAKGUARD_CASES_STACKS_LIB_HPP
#define LEAKGUARD_CASES_STACKS_LIB_HPP

#include <cstddef>

namespace stackslib {
char* make_record(std::size_t size); // a new[] block of `size` bytes, never freed by the caller
int record_line();                   // the line of that new[]
} // namespace stackslib

#endif
