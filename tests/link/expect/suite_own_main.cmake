# The executable with its own main(): it links (one main(), one tracker), its scope saw the block
# allocated inside it, and nothing is lost at exit.
set(expect_exit 0)
set(expect_match
  "passed tracker_sees_a_block\n"
  "own main: 0 failed\n"
  "leakguard: no leaks at exit")
