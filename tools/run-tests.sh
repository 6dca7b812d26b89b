#!/usr/bin/env bash
# The test command (README, .ci/run; docs/testing.md describes every stage):
#   bash tools/run-tests.sh           installs missing test dependencies, then runs the stages:
#     gcc       g++: the whole suite with its matrix (other standards, single header, packaging
#               consumers, -fno-exceptions and -Wconversion builds, clang-format, the adapters)
#               and the examples
#     clang     clang++: the same without the examples, with clang-tidy
#     valgrind  the tracked case programs under valgrind memcheck (Debug g++ build)
#     asan      leakguard's own tests under AddressSanitizer + UBSan (clang++)
#     tsan      leakguard's own tests under ThreadSanitizer (g++)
#   bash tools/run-tests.sh --quick   day to day: g++, leakguard's own tests, no matrix, no
#                                     sanitizer, no valgrind stage
#
# Each stage is the workflow preset of its name in CMakePresets.json (configure, build, test into
# build/<name>). The presets are the one place that defines a configuration - compiler, flags,
# the sanitizers' *_OPTIONS - so that `cmake --workflow --preset asan` repeats exactly what this
# script ran, and an IDE sees the same configurations; this script only orders the stages and
# times them.
set -euo pipefail
cd "$(dirname "$0")/.."

quick=0
case "${1:-}" in
  "") ;;
  --quick) quick=1 ;;
  *) echo "usage: bash tools/run-tests.sh [--quick]" >&2; exit 2 ;;
esac

started=$(date +%s)
# read_cpu: sets cpu to the CPU time (user + system, whole seconds) of every process this script
# has waited for. On a shared machine the wall time depends on the other work running; the CPU
# time hardly does. `times` must run in this shell (not in $(...)): a subshell has no children yet.
times_file=$(mktemp)
trap 'rm -f "$times_file"' EXIT
read_cpu() {
  times >"$times_file"
  cpu=$(awk 'NR == 2 { split($1, u, /[ms]/); split($2, s, /[ms]/); printf "%d", u[1] * 60 + u[2] + s[1] * 60 + s[2] }' "$times_file")
}
# elapsed NAME: prints how long the stage and the run have taken so far (CI must stay well under
# 30 minutes), and the stage's CPU time.
stage_start=$started
stage_cpu=0
elapsed() {
  local now
  now=$(date +%s)
  read_cpu
  echo "=== $1 took $(( now - stage_start )) s ($(( now - started )) s so far; $(( cpu - stage_cpu )) s of CPU)"
  stage_start=$now
  stage_cpu=$cpu
}

bash tools/install-test-deps.sh
elapsed dependencies

# The presets' build steps take their parallelism from here (the test steps run 2 at a time, as
# set in the presets).
export CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc 2>/dev/null || echo 2)}

stage() {
  echo "=== $1: cmake --workflow --preset $1"
  cmake --workflow --preset "$1"
  elapsed "$1"
}

have_clang=0
command -v clang++ >/dev/null 2>&1 && have_clang=1
[ $have_clang = 1 ] || echo "=== clang++ not found: the clang and asan stages are not run"

if [ $quick = 1 ]; then
  stage quick
else
  stage gcc
  [ $have_clang = 1 ] && stage clang
  stage valgrind
  [ $have_clang = 1 ] && stage asan
  # g++ links libtsan as a shared library, so leakguard's operators replace its own; clang 14's
  # static TSan runtime defines operator new/delete in a whole archive and cannot be combined with them.
  stage tsan
fi

total=$(( $(date +%s) - started ))
read_cpu
echo "=== all test builds passed ($(( total / 60 )) min $(( total % 60 )) s; $cpu s of CPU)"
