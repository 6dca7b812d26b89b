// leakguard's implementation unit for the case programs that need nothing special in theirs: it is
// compiled once per build (the OBJECT library leakguard_cases_main, tests/cases/CMakeLists.txt)
// instead of once per program, and those programs include the header plainly, as the other files
// of a user's program do. The programs whose own unit must hold the implementation (a mapping
// macro next to it, call stacks at chosen flags, statics beside it) still define LEAKGUARD_MAIN.
#define LEAKGUARD_MAIN
#include <leakguard/leakguard.hpp>
