// A second unit that only includes leakguard: linked with main_unit.cpp it must build and run.
#include <leakguard/leakguard.hpp>

int second_unit_value() { return 42; }
