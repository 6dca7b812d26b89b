# The vendored GoogleTest program: Vendored.Leaks fails at its scope's line, Vendored.Passes
# passes, nothing is lost at exit; GoogleTest exits 1.
set(expect_exit nonzero)
set(expect_match
  "gtest_vendored.cpp:@LINE:leak-scope-line@: Failure\nFailed\nleakguard: scope \"leaks\" \\([^\n]*gtest_vendored.cpp:@LINE:leak-scope-line@\\) ended with 1 block \\(12 bytes\\)"
  "\\[       OK \\] Vendored.Passes"
  "\\[  FAILED  \\] 1 test, listed below:\n\\[  FAILED  \\] Vendored.Leaks"
  "leakguard: no leaks at exit")
set(expect_count "leakguard: scope" 1)
