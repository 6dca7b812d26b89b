// Another allocator underneath leakguard: preload_churn (every C allocation tracked, leakguard's raw
// memory from that allocator) and preload_free_only (only free/realloc interposed: the allocator's
// own blocks reach leakguard's free) run with jemalloc and with tcmalloc in LD_PRELOAD, and without
// either, several times each. Each run must end with the program's one leak alone (exit 23, one
// lost block of its size), no heap error (a foreign block taken for leakguard's is an
// invalid_free or a double_free), no crash (reading in front of a page-aligned foreign block can
// fault), and the program's own checks of its blocks' contents passed.
//
// The allocators are Debian's libjemalloc2 and libtcmalloc-minimal4 (tools/install-test-deps.sh),
// looked for next to the C library; a case whose allocator is missing is skipped and says so.
#include <doctest/doctest.h>

#include <cstdio>
#include <dlfcn.h>
#include <gnu/libc-version.h>
#include <string>
#include <vector>

#include "case_run.hpp"

using cases::run_case;

namespace {

constexpr int kPreloadRuns = 10;
constexpr long long kPreloadLeakSize = 4321; // preload_churn.cpp's kLeakSize

// The directory of the C library (libc.so.6): the multiarch directory the allocators' packages
// install into ("/usr/lib/x86_64-linux-gnu/").
std::string preload_libc_directory() {
    Dl_info info{};
    void* const address = reinterpret_cast<void*>(&gnu_get_libc_version);
    if (!dladdr(address, &info) || !info.dli_fname) return "";
    std::string const path = info.dli_fname;
    return path.substr(0, path.rfind('/') + 1);
}

// The allocator's shared library, or "" (with the skip message given) when it is not installed.
std::string preload_allocator_path(const char* file, const char* package) {
    std::string const path = preload_libc_directory() + file;
    if (cases::file_exists(path)) return path;
    CASES_SKIP(path << " not found: install " << package << " (tools/install-test-deps.sh does)");
    return "";
}

bool preload_possible() {
    if (LEAKGUARD_CASES_INTERPOSE) return true;
    CASES_SKIP("built under a sanitizer: its runtime is the allocator, none can be preloaded");
    return false;
}

// Runs `name` kPreloadRuns times with `preload` ("" for none) and checks each run. `options`: extra
// LEAKGUARD_OPTIONS (tcmalloc's suppression).
void preload_run_under(const std::string& name, const std::string& preload, const std::string& options = "") {
    std::vector<std::string> env;
    if (!preload.empty()) env.push_back("LD_PRELOAD=" + preload);
    for (int run = 0; run < kPreloadRuns; ++run) {
        auto r = run_case(name, options, {}, 60, env);
        INFO("run " << run + 1 << " of " << kPreloadRuns << " with LD_PRELOAD=" << preload << "\n" << r.describe());
        REQUIRE(!r.proc.timed_out);
        REQUIRE(r.proc.signal == 0);
        CHECK(r.proc.out.find("preload_churn: 0 failures") != std::string::npos); // both builds print this
        CHECK(r.status() == cases::kLeakExit);
        REQUIRE(r.has_report);
        CHECK(r.report["errors"].empty());
        CHECK(cases::summary(r.report, "leaked_blocks") == 1);
        REQUIRE(r.report["leaks"].size() == 1);
        CHECK(r.report["leaks"][0]["size"] == kPreloadLeakSize);
        CHECK(r.report["leaks"][0]["kind"] == "new[]");
        CHECK(r.proc.err.find("error:") == std::string::npos);
    }
}

// gperftools' MallocExtension registers itself with a `new` that it never deletes (its own leak
// checker is told to ignore it): lost memory of tcmalloc's, not the program's, suppressed by module.
std::string preload_tcmalloc_options(cases::temp_dir& dir) {
    std::string const supp = dir.file("tcmalloc.supp");
    FILE* f = std::fopen(supp.c_str(), "w");
    REQUIRE(f != nullptr);
    std::fputs("leak:libtcmalloc_minimal.so\n", f);
    std::fclose(f);
    return "suppressions=" + supp;
}

} // namespace

TEST_CASE("preload_none_tracked_everything") {
    if (!preload_possible()) return;
    preload_run_under("preload_churn", "");
}

TEST_CASE("preload_none_free_only") {
    if (!preload_possible()) return;
    preload_run_under("preload_free_only", "");
}

TEST_CASE("preload_jemalloc_tracked_everything") {
    if (!preload_possible()) return;
    std::string const lib = preload_allocator_path("libjemalloc.so.2", "libjemalloc2");
    if (!lib.empty()) preload_run_under("preload_churn", lib);
}

TEST_CASE("preload_jemalloc_free_only") {
    if (!preload_possible()) return;
    std::string const lib = preload_allocator_path("libjemalloc.so.2", "libjemalloc2");
    if (!lib.empty()) preload_run_under("preload_free_only", lib);
}

TEST_CASE("preload_tcmalloc_tracked_everything") {
    if (!preload_possible()) return;
    std::string const lib = preload_allocator_path("libtcmalloc_minimal.so.4", "libtcmalloc-minimal4");
    if (lib.empty()) return;
    cases::temp_dir dir;
    preload_run_under("preload_churn", lib, preload_tcmalloc_options(dir));
}

TEST_CASE("preload_tcmalloc_free_only") {
    if (!preload_possible()) return;
    std::string const lib = preload_allocator_path("libtcmalloc_minimal.so.4", "libtcmalloc-minimal4");
    if (lib.empty()) return;
    cases::temp_dir dir;
    preload_run_under("preload_free_only", lib, preload_tcmalloc_options(dir));
}
