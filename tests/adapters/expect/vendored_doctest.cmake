# The vendored doctest program: "vendored: leaks" fails at its scope's line, the other passes,
# nothing is lost at exit; doctest exits non-zero.
set(expect_exit nonzero)
set(expect_match
  "doctest_vendored.cpp:@LINE:leak-scope-line@: ERROR: CHECK\\( no leaks \\) is NOT correct!\n  values: CHECK\\( leakguard: scope \"leaks\" \\([^\n]*doctest_vendored.cpp:@LINE:leak-scope-line@\\) ended with 1 block \\(12 bytes\\)"
  "test cases: 2 \\| 1 passed \\| 1 failed"
  "leakguard: no leaks at exit")
set(expect_count "TEST CASE:" 1 "leakguard: scope" 1)
