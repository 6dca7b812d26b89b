#!/usr/bin/env bash
# The cost of one leak check, leakguard next to LeakSanitizer, on the same program
# (leak_check.cpp: 1,000,000 live blocks in 100 MB, checked on demand with 0 and with 10 other
# threads running). Builds leak_check_tracked and leak_check_lsan (Release, -O2 -g) and runs them
# in turn, ROUNDS times each (default 3), and prints each run's median and the ratio
# leakguard / LeakSanitizer of the medians.
#
#   benchmarks/leak_check.sh
#
# Environment: BUILD_DIR (default <repo>/build-bench), ROUNDS.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
build=${BUILD_DIR:-$repo/build-bench}
rounds=${ROUNDS:-3}

cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS="-O2 -g" \
      -DLEAKGUARD_BUILD_TESTS=OFF -DLEAKGUARD_BUILD_BENCHMARKS=ON >/dev/null
cmake --build "$build" --target leak_check_tracked leak_check_lsan -j 2 >/dev/null

bin=$build/benchmarks
ms() { sed -n 's/.* check: \([0-9.]*\) ms.*/\1/p'; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

printf '%-10s %14s %14s %8s\n' threads leakguard_ms lsan_ms ratio
for threads in 0 10; do
  lg=() ; ls=()
  for _ in $(seq "$rounds"); do
    # The exit report (report=off) and LeakSanitizer's at exit are not what is measured.
    lg+=("$(LEAKGUARD_OPTIONS=report=off "$bin/leak_check_tracked" "$threads" 2>/dev/null | ms)")
    ls+=("$("$bin/leak_check_lsan" "$threads" 2>/dev/null | ms)")
  done
  a=$(printf '%s\n' "${lg[@]}" | median)
  b=$(printf '%s\n' "${ls[@]}" | median)
  printf '%-10s %14s %14s %8s\n' "$threads" "$a" "$b" "$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", a / b }')"
done
