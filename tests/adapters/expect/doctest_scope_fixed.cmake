set(expect_exit 0)
set(expect_match "test cases: 3 \\| 3 passed \\| 0 failed" "leakguard: no leaks at exit")
set(expect_no_match "TEST CASE:" "leakguard: scope")
