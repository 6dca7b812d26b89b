// A second unit that also defines LEAKGUARD_MAIN: linked with main_unit.cpp it must fail to link.
#define LEAKGUARD_MAIN
#include <leakguard/leakguard.hpp>

int second_unit_value() { return 42; }
