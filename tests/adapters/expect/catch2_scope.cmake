# "parser: names" fails at its scope's line, with the leaked block's size, kind and site; the
# other two test cases (scopes over SECTIONs, INFO, CAPTURE) pass; the binary exits non-zero.
set(expect_exit nonzero)
set(expect_match
  "\n-+\nparser: names\n-+\n"
  "catch2_cases.cpp:@LINE:leak-scope-line@: FAILED:\nexplicitly with message:\n  leakguard: scope \"names\" \\([^\n]*catch2_cases.cpp:@LINE:leak-scope-line@\\) ended with 1 block \\(28 bytes\\)"
  "28 bytes in 1 block \\(new\\[\\]\\) allocated at [^\n]*copy_name"
  "test cases: 3 \\| 2 passed \\| 1 failed")
set(expect_count "FAILED:" 1 "leakguard: scope" 1)
