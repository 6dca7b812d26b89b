// A program that installs the user's locale as the global one, as test suites do:
// std::locale::global(std::locale("")). The C++ library keeps the global locale (and the C
// library its locale data) to the end of the process: still reachable, nothing lost, so the
// program's own exit status (0) stays. When the environment names no locale or one that does not
// exist, "C.UTF-8" (Debian's name, then glibc's other spelling) is used instead, so that a real
// named locale is built whatever the environment; the name used is printed.
// Built twice: tracked (LEAKGUARD_CASE_TRACKED) and plain, for the valgrind cross-check.
#ifdef LEAKGUARD_CASE_TRACKED
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp)
#include <leakguard/leakguard.hpp>
#endif

#include <locale>
#include <sstream>
#include <stdexcept>
#include <string>

#include "reach_common.hpp"

namespace {

// The first of the names that makes a locale other than "C", or the classic locale.
std::locale first_named() {
    for (const char* name : {"", "C.UTF-8", "C.utf8"}) {
        try {
            std::locale candidate(name);
            if (candidate.name() != "C" && candidate.name() != "POSIX") return candidate;
        } catch (const std::runtime_error&) {
            // no such locale here: try the next name
        }
    }
    return std::locale::classic();
}

} // namespace

int main() {
    std::locale::global(first_named());
    std::ostringstream text; // uses the global locale's facets
    text << 1234567.5 << ' ' << std::locale().name();
    std::string const line = "reach_locale: " + text.str() + "\n";
    reach::say(line.c_str());
    return 0;
}
