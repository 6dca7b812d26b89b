// The second translation unit of the statics case (see statics_main.cpp).
#ifndef LEAKGUARD_CASES_STATICS_OTHER_HPP
#define LEAKGUARD_CASES_STATICS_OTHER_HPP

#include <cstddef>

// Uses this unit's globals (and a function-local static, constructed during main).
std::size_t other_summary();

#endif
