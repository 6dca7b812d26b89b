set(expect_exit 0)
set(expect_match "\\[  PASSED  \\] 3 tests\\." "leakguard: no leaks at exit")
set(expect_no_match "FAILED" "leakguard: scope")
