# Parser.LeaksAName fails at its scope's line, with the leaked block's size, kind and site; the
# other two tests pass; the binary exits non-zero.
set(expect_exit nonzero)
set(expect_match
  "gtest_cases.cpp:@LINE:leak-scope-line@: Failure\nFailed\nleakguard: scope \"names\" \\(/[^\n]*gtest_cases.cpp:@LINE:leak-scope-line@\\) ended with 1 block \\(28 bytes\\)"
  "\n  28 bytes in 1 block \\(new\\[\\]\\) allocated at [^\n]*copy_name"
  "\\[       OK \\] Parser.ParsesNumbers"
  "\\[       OK \\] Parser.RecordsProperties"
  "\\[  FAILED  \\] 1 test, listed below:\n\\[  FAILED  \\] Parser.LeaksAName")
set(expect_count
  "\\[  FAILED  \\] Parser\\.[A-Za-z]+ " 1
  "leakguard: scope" 1)
