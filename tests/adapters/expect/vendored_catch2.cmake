# The vendored Catch2 program: "vendored: leaks" fails at its scope's line, the other passes,
# nothing is lost at exit; Catch2 exits non-zero.
set(expect_exit nonzero)
set(expect_match
  "\n-+\nvendored: leaks\n-+\n"
  "catch2_vendored.cpp:@LINE:leak-scope-line@: FAILED:\nexplicitly with message:\n  leakguard: scope \"leaks\" \\("
  "ended with 1 block \\(12 bytes\\)" # Catch2 wraps the rest at 80 columns, paths too
  "test cases: 2 \\| 1 passed \\| 1 failed"
  "leakguard: no leaks at exit")
set(expect_count "FAILED:" 1 "leakguard: scope" 1)
