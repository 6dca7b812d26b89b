// Options set from code: leakguard::set_option returns false and prints a one-line warning naming
// the key for an unknown key or a bad value, and applies a good one. Here exitcode=5 is set, and
// the one leaked block then makes the exit status 5 (not the default 23).
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp)
#include <leakguard/leakguard.hpp>

#include <cstdio>

int main() {
    bool const unknown = leakguard::set_option("no_such_option", "1");
    bool const bad_exitcode = leakguard::set_option("exitcode", "abc");
    bool const bad_report = leakguard::set_option("report", "loud");
    bool const good = leakguard::set_option("exitcode", "5");
    std::printf("options: unknown=%d bad_exitcode=%d bad_report=%d good=%d\n", unknown, bad_exitcode,
                bad_report, good);
    new int(1); // one leak: the exit status must become 5
    return 0;
}
