# Whole-suite mode: Cache.Leaks (no scope in it) fails at the test's line, naming the block's site.
set(expect_exit nonzero)
set(expect_match
  "gtest_all.cpp:@LINE:leak-test-line@: Failure\nFailed\nleakguard: scope \"Cache.Leaks\" \\([^\n]*gtest_all.cpp:@LINE:leak-test-line@\\) ended with 1 block"
  "allocated at [^\n]*make_entry"
  "\\[       OK \\] Cache.Clean"
  "\\[       OK \\] Cache.Exempt"
  "\\[  FAILED  \\] 1 test, listed below:\n\\[  FAILED  \\] Cache.Leaks")
set(expect_count "\\[  FAILED  \\] Cache\\.[A-Za-z]+ " 1)
