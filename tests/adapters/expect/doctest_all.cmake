# Whole-suite mode: "cache: leaks" (no scope in it) fails at the test case's line, naming the site.
set(expect_exit nonzero)
set(expect_match
  "TEST CASE:  cache: leaks\n"
  "doctest_all.cpp:@LINE:leak-test-line@: ERROR: CHECK\\( no leaks \\) is NOT correct!\n  values: CHECK\\( leakguard: scope \"cache: leaks\" \\([^\n]*doctest_all.cpp:@LINE:leak-test-line@\\) ended with 1 block"
  "allocated at [^\n]*make_entry"
  "test cases: 3 \\| 2 passed \\| 1 failed")
set(expect_count "TEST CASE:" 1)
