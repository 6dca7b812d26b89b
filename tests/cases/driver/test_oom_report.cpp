// Memory running out while the report is made (oom_report.cpp): the report says it is incomplete
// and the run still fails; a lost-only scope whose check cannot finish fails rather than passes.
#include <doctest/doctest.h>

#include <string>

#include "case_run.hpp"

using cases::run_case;

TEST_CASE("oom_report: a leak check without memory reports itself incomplete and fails the run") {
    if (!LEAKGUARD_CASES_INTERPOSE) { // a sanitizer's allocator dies rather than return null
        CASES_SKIP("a sanitizer's runtime owns this build's heap");
        return;
    }
    auto r = run_case("oom_report", "", {"exit"});
    INFO(r.describe());
    CHECK(r.proc.signal == 0);
    CHECK(r.status() == cases::kLeakExit);
    CHECK(r.proc.out.find("oom_report: done") != std::string::npos);
    CHECK(r.proc.err.find("leakguard: report incomplete: memory ran out during the leak check") != std::string::npos);
    CHECK(r.proc.err.find("no leaks") == std::string::npos);
    REQUIRE(r.has_report);
    CHECK(r.report["summary"]["complete"] == false);
    CHECK(cases::summary(r.report, "unjudged_blocks") >= 200000);
    CHECK(cases::summary(r.report, "leaked_blocks") >= 200000);
    CHECK(cases::summary(r.report, "reachable_blocks") == 0); // none is called reachable unjudged
}

TEST_CASE("oom_report: a lost-only scope whose check cannot finish fails") {
    if (!LEAKGUARD_CASES_INTERPOSE) {
        CASES_SKIP("a sanitizer's runtime owns this build's heap");
        return;
    }
    auto r = run_case("oom_report", "", {"scope"});
    INFO(r.describe());
    CHECK(r.proc.signal == 0);
    CHECK(r.status() == cases::kLeakExit);
    CHECK(r.proc.err.find("the leak check for scope \"kept while memory runs out\" ran out of memory") !=
          std::string::npos);
    CHECK(r.proc.err.find("scope \"kept while memory runs out\"") != std::string::npos);
    REQUIRE(r.has_report);
    REQUIRE(r.report["scope_failures"].size() == 1);
    CHECK(r.report["scope_failures"][0]["leaked_blocks"].get<long long>() >= 200000);
    CHECK(r.report["scope_failures"][0]["rule"] == "strict"); // judged strictly: its check could not finish
}
