# "parser: names" fails at its scope's line, with the leaked block's size, kind and site; the
# other two test cases (scopes over SUBCASEs, INFO, CAPTURE) pass; the binary exits non-zero.
set(expect_exit nonzero)
set(expect_match
  "TEST CASE:  parser: names\n"
  "doctest_cases.cpp:@LINE:leak-scope-line@: ERROR: CHECK\\( no leaks \\) is NOT correct!\n  values: CHECK\\( leakguard: scope \"names\" \\([^\n]*doctest_cases.cpp:@LINE:leak-scope-line@\\) ended with 1 block \\(28 bytes\\)"
  "\n  28 bytes in 1 block \\(new\\[\\]\\) allocated at [^\n]*copy_name"
  "test cases: 3 \\| 2 passed \\| 1 failed")
set(expect_count "TEST CASE:" 1 "leakguard: scope" 1)
