# The same run with doctest's JUnit reporter: the leak is a <failure> of "parser: names" (doctest
# 2.4's JUnit reporter drops message-style failures; a failed CHECK is kept).
set(expect_exit nonzero)
set(expect_match "<testcase classname=\"[^\"]*doctest_cases.cpp\" name=\"parser: names\"[^>]*>\n *<failure[^>]*type=\"CHECK\"")
set(expect_count "<failure" 1)
