// The LEAKGUARD_MAIN unit of the link tests.
#define LEAKGUARD_MAIN
#include <leakguard/leakguard.hpp>

int second_unit_value();

int main() { return second_unit_value() == 42 ? 0 : 1; }
