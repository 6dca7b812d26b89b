#!/usr/bin/env bash
# The test command (README, .ci/run): installs missing test dependencies, then builds and runs
# every test with g++ and clang++ (each build also runs the packaging consumers, the C++14/20/23
# and -fno-exceptions builds, clang-tidy and clang-format: tests/packaging), the case programs
# under valgrind (the `valgrind` preset), and the suite again under AddressSanitizer+UBSan
# (clang++) and ThreadSanitizer (g++). Build trees go to build/test-<name> and build/valgrind.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)

# elapsed NAME: prints how long the run has taken so far (CI must stay well under 30 minutes).
stage_start=$started
elapsed() {
  local now
  now=$(date +%s)
  echo "=== $1 took $(( now - stage_start )) s ($(( now - started )) s so far)"
  stage_start=$now
}

bash tools/install-test-deps.sh
# pkg-config, for the pkg-config consumer (tests/packaging); Debian's is pkgconf.
if ! command -v pkg-config >/dev/null 2>&1; then
  echo "run-tests: installing pkgconf"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq pkgconf ||
    { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq pkgconf; }
fi
elapsed dependencies

jobs=$(nproc 2>/dev/null || echo 2)
have_clang=0
command -v clang++ >/dev/null 2>&1 && have_clang=1

# run NAME COMPILER CXXFLAGS [ctest args...]; $variants=OFF leaves out the matrix variants of the
# tests (other standards, single header, packaging consumers), $examples=OFF the examples.
variants=ON
examples=ON
run() {
  local name=$1 cxx=$2 flags=$3
  shift 3
  local dir="build/test-${name}"
  echo "=== ${name}: ${cxx} ${flags}"
  cmake -S . -B "$dir" -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_CXX_FLAGS="$flags" -DLEAKGUARD_BUILD_TESTS=ON -DLEAKGUARD_BUILD_EXAMPLES=$examples \
        -DLEAKGUARD_TEST_MATRIX=$variants >/dev/null
  cmake --build "$dir" -j "$jobs"
  ctest --test-dir "$dir" --output-on-failure --no-tests=error -j "$jobs" "$@"
  elapsed "$name"
}

run gcc g++ ""
# The examples once (g++, and tools/run-examples.sh): their Catch2 and GoogleTest mains are the
# slowest units to compile.
examples=OFF
[ $have_clang = 1 ] && run clang clang++ ""

# The tracked case programs under valgrind memcheck with leakguard's operators in charge
# (Debug g++ build, tests/valgrind.supp): configure, build just those programs, run them.
echo "=== valgrind: cmake --workflow --preset valgrind"
cmake --workflow --preset valgrind
elapsed valgrind

# Sanitizers. Huge requests must fail as null/bad_alloc rather than abort (allocator_may_return_null);
# the case programs leak on purpose (detect_leaks=0); valgrind cannot run sanitized programs.
export ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export TSAN_OPTIONS=halt_on_error=1:allocator_may_return_null=1
# The sanitizers run leakguard's own tests (unit, cases, stacks, link), not the matrix or adapters.
variants=OFF
[ $have_clang = 1 ] && run asan clang++ "-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" -E valgrind
# g++ links libtsan as a shared library, so leakguard's operators replace its own; clang 14's static
# TSan runtime defines operator new/delete in a whole archive and cannot be combined with them.
run tsan g++ "-fsanitize=thread" -E valgrind

echo "=== all test builds passed ($(( ($(date +%s) - started) / 60 )) min $(( ($(date +%s) - started) % 60 )) s)"
