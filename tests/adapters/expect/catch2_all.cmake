# Whole-suite mode: "cache: leaks" (no scope in it) fails at the test case's line, naming the site.
set(expect_exit nonzero)
set(expect_match
  "\n-+\ncache: leaks\n-+\n"
  "catch2_all.cpp:@LINE:leak-test-line@: FAILED:\nexplicitly with message:\n  leakguard: scope \"cache: leaks\" \\([^\n]*catch2_all.cpp:@LINE:leak-test-line@\\) ended with 1 block"
  "allocated at [^\n]*make_entry"
  "test cases: 3 \\| 2 passed \\| 1 failed")
set(expect_count "FAILED:" 1)
