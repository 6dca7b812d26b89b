// Not part of the test binaries: compiled on its own by the header_warning_free_* tests with
// -Wall -Wextra -Wpedantic -Werror at each language standard, because leakguard's header lands
// in users' code and must not break their warning-as-error builds. The LEAKGUARD_MAIN unit is the
// one that sees every member function defined, so it is the one that can trigger warnings such
// as clang's -Wunused-private-field.
#define LEAKGUARD_MAIN
#include <leakguard/leakguard.hpp>

int main() {
    LEAKGUARD_SCOPE("warnings");
    LEAKGUARD_THREAD_SCOPE();
    LEAKGUARD_IGNORE_REGION();
    return leakguard::scope_failures() == 0 ? 0 : 1;
}
