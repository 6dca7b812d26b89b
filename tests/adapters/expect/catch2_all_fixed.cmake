set(expect_exit 0)
set(expect_match "All tests passed \\(4 assertions in 3 test cases\\)" "leakguard: no leaks at exit")
set(expect_no_match "FAILED" "leakguard: scope")
