// One translation unit that touches the whole public API, compiled by the toolchain checks
// (clang-tidy, -Wshadow/-Wconversion, -fno-exceptions). With API_TOUR_PUBLIC_ONLY it is only the
// users' view (no LEAKGUARD_MAIN, so no implementation), for checks the implementation does not
// pass yet. Exits 0 when leakguard behaves: the one leak is caught by a scope and then freed.
#if !defined(API_TOUR_PUBLIC_ONLY)
#define LEAKGUARD_MAIN
#endif
#include <leakguard/leakguard.hpp>

namespace {

int* kept = nullptr;

int check_scopes() {
    int failures = 0;
    int* leaked = nullptr;
    {
        LEAKGUARD_SCOPE("tour");
        leaked = new int(42); // the scope's default handler reports it when the scope ends
    }
    failures += leakguard::scope_failures() == 1 ? 0 : 1;
    leakguard::reset_scope_failures();
    delete leaked;
    {
        leakguard::scope s(__FILE__, __LINE__, "queries");
        int* p = new int(1);
        leakguard::block_info info[4];
        failures += s.leaks(info, 4) == 1 ? 0 : 1;
        failures += s.leaked_bytes() == sizeof(int) ? 0 : 1;
        delete p;
    }
    {
        LEAKGUARD_THREAD_SCOPE();
        LEAKGUARD_IGNORE_REGION();
        kept = new int(7); // kept on purpose: inside an ignore region
    }
    return failures;
}

int check_snapshots() {
    int failures = 0;
    leakguard::snapshot const before = leakguard::snapshot_now();
    int* p = new int(7);
    failures += leakguard::report_since(before) == 1 ? 0 : 1;
    leakguard::snapshot const after = leakguard::snapshot_now();
    leakguard::snapshot_diff const d = leakguard::diff(before, after);
    failures += d.blocks == 1 && d.bytes == sizeof(int) && d.sites == 1 ? 0 : 1;
    failures += leakguard::report_diff(after, before).blocks == 1 ? 0 : 1;
    delete p;
    failures += leakguard::diff(before, after).blocks == 0 ? 0 : 1;
    return failures;
}

} // namespace

int main() {
    int failures = check_scopes();
    failures += check_snapshots();
    leakguard::statistics const st = leakguard::stats();
    failures += st.allocations >= 3 ? 0 : 1;
    leakguard::block_info live[8];
    (void)leakguard::live_blocks(live, 8);
    failures += leakguard::set_option("report", "summary") ? 0 : 1;
    failures += leakguard::write_profile("/dev/null") ? 0 : 1; // the monitor's report, on demand
    failures += leakguard::scope_failures() == 0 ? 0 : 1;
    return failures;
}
