// Every C allocation of the process tracked (the interpose_* programs link the implementation built
// with LEAKGUARD_DETAIL_INTERPOSE_ALLOC=1): the malloc family from a unit without the mapping,
// shared libraries, threads, fork, and allocations before the C library is initialised. The C
// library's own blocks are live at exit too and count as leaks until the exit report tells lost
// memory from reachable memory, so the programs run with exitcode=0 and judge themselves; the
// driver checks their verdict, that no heap error was reported, and what the JSON says of a block
// left alive on purpose.
#include <doctest/doctest.h>

#include <sstream>
#include <string>

#include "case_run.hpp"

using cases::base_name;
using cases::run_case;

namespace {

// The programs define the whole malloc family only where leakguard defines free (not under
// AddressSanitizer, ThreadSanitizer or MemorySanitizer: see CMakeLists.txt).
bool all_interposed() {
    if (LEAKGUARD_CASES_INTERPOSE) return true;
    CASES_SKIP("built under a sanitizer: leakguard leaves the malloc family to its runtime");
    return false;
}

// Runs `name` with exitcode=0; checks that it said "<name>: 0 failures", exited 0 and that the
// JSON report lists no heap error.
cases::case_result run_judging_itself(const std::string& name) {
    auto r = run_case(name, "exitcode=0", {}, 90);
    INFO(r.describe());
    CHECK(r.proc.signal == 0);
    CHECK(r.status() == 0);
    CHECK(r.proc.out.find(name + ": 0 failures") != std::string::npos);
    REQUIRE(r.has_report);
    CHECK(r.report["errors"].empty());
    return r;
}

int number_after(const std::string& out, const std::string& key) {
    std::size_t const at = out.find(key);
    if (at == std::string::npos) return -1;
    std::istringstream in(out.substr(at + key.size()));
    int n = -1;
    in >> n;
    return n;
}

} // namespace

TEST_CASE("interpose_all_tracks_the_whole_malloc_family") {
    if (!all_interposed()) return;
    auto r = run_judging_itself("interpose_all");
    INFO(r.describe());
    int const line = number_after(r.proc.out, "memalign line");
    REQUIRE(line > 0);
    int found = 0;
    for (const auto& leak : r.report["leaks"]) {
        if (leak["kind"] != "memalign") continue;
        ++found;
        CHECK(leak["size"] == 77);
        REQUIRE(leak["file"].is_string());
        CHECK(base_name(leak["file"].get<std::string>()) == "interpose_all.cpp");
        CHECK(leak["line"] == line);
        CHECK(leak["function"] == "main");
    }
    CHECK(found == 1);
    // The C library's own blocks are tracked too: the C++ runtime's emergency exception pool, at
    // least, lives until exit.
    CHECK(cases::summary(r.report, "live_blocks") > 1);
}

TEST_CASE("interpose_shared_libraries_allocate_and_free_across") {
    if (!all_interposed()) return;
    run_judging_itself("interpose_shared");
}

TEST_CASE("interpose_threads_thread_exit_and_streams") {
    if (!all_interposed()) return;
    // A few runs: the interleaving differs each time.
    for (int run = 0; run < 2; ++run) {
        INFO("run " << run);
        run_judging_itself("interpose_threads");
    }
}

TEST_CASE("interpose_fork_while_threads_allocate") {
    if (!all_interposed()) return;
    if (LEAKGUARD_CASES_ASAN) { // never true where all_interposed() is; kept with the fork case's reason
        CASES_SKIP("AddressSanitizer's allocator takes no lock at fork");
        return;
    }
    auto r = run_case("interpose_fork", "exitcode=0", {}, 90);
    INFO(r.describe());
    CHECK_FALSE(r.proc.timed_out);
    CHECK(r.status() == 0);
    CHECK(r.proc.out == "interpose_fork: ok (30 children)\n");
    REQUIRE(r.has_report);
    CHECK(r.report["errors"].empty());
}

TEST_CASE("interpose_preinit_allocations_before_the_c_library_is_initialised") {
    if (!all_interposed()) return;
    run_judging_itself("interpose_preinit"); // the report exists: the environment's options applied
}
