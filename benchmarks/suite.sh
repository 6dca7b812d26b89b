#!/usr/bin/env bash
# Whole-suite mode's cost per test: a doctest program of 1,000 test cases (suite.cpp) built
# without leakguard, with leakguard and its adapter, and in whole-suite mode
# (LEAKGUARD_CHECK_ALL_TESTS), run on clean tests, on tests that leave a block a global keeps (a
# leak check per test under the default rule) and on tests that lose a block (a leak check and a
# failure per test), also under test_checks=strict. Interleaved rounds; suite.py measures and
# writes the table (per-test CPU as ratios to plain) to stdout and to
# benchmarks/results/suite/table.md, and assemble.py adds it to results/results.md.
#
#   benchmarks/suite.sh                  # 5 rounds (about 3 minutes on 2 cores, after the build)
#   ROUNDS=3 benchmarks/suite.sh
#   KINDS=clean ROUNDS=20 RESULTS_DIR=/tmp/suite benchmarks/suite.sh   # the clean tests alone
#
# Environment: ROUNDS (default 5), MIN_SAMPLE (seconds of CPU per sample, default 1), KINDS (a
# subset of "clean reachable lost", default all), BUILD_DIR (default <repo>/build-bench),
# RESULTS_DIR (default benchmarks/results), JOBS (build jobs, default 2), LEAKGUARD_REVISION
# (what to print as leakguard's revision).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
build=${BUILD_DIR:-$repo/build-bench}
results=${RESULTS_DIR:-$here/results}
out=$results/suite

echo "== building the suite programs in $build"
cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS_RELEASE=-O2 -g -DNDEBUG" \
  -DLEAKGUARD_BUILD_TESTS=OFF -DLEAKGUARD_BUILD_EXAMPLES=OFF -DLEAKGUARD_BUILD_BENCHMARKS=ON > /dev/null
cmake --build "$build" -j"${JOBS:-2}" --target leakguard_bench_suite > /dev/null
cxx=$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$build/CMakeCache.txt")

rm -rf "$out"
mkdir -p "$out"
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "leakguard: ${LEAKGUARD_REVISION:-$(git -C "$repo" rev-parse --short HEAD 2> /dev/null || echo unknown)$(git -C "$repo" diff --quiet HEAD -- include 2> /dev/null || echo ' + uncommitted changes in include/')}"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(nproc) cores"
  echo "kernel: $(uname -sr); $(ldd --version | head -n1 | sed 's/^ldd //')"
  echo "compiler: $("$cxx" --version | head -n1), flags -O2 -g (every build); doctest $(dpkg-query -W -f='${Version}' doctest-dev 2> /dev/null || echo '(version unknown)')"
  echo "leakguard options: its defaults (LEAKGUARD_OPTIONS empty), test_checks=strict for that row"
  echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$out/machine.txt"
cat "$out/machine.txt"

echo "== ${ROUNDS:-5} rounds"
ROUNDS=${ROUNDS:-5} python3 "$here/suite.py" run "$build/benchmarks" "$out"
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/machine.txt"
python3 "$here/suite.py" table "$out"
cat "$out/table.md"
python3 "$here/assemble.py" "$results"
