# The executable that takes main() and leakguard's unit from the test-main library: both tests
# pass, and at exit leakguard reports the dropped block at its line and exits with status 23.
set(expect_exit 23)
set(expect_match
  "passed counts_blocks\n"
  "passed forgets_a_block\n"
  "leakguard: 20 bytes in 1 block lost at exit"
  "20 bytes in 1 block definitely lost \\(new\\[\\]\\) allocated at [^\n]*forgets_a_block[^\n]*leaky.cpp:@LINE:leak-line@")
set(expect_count "leakguard: scope" 0)
