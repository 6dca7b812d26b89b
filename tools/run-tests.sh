#!/usr/bin/env bash
# The test command (README, .ci/run): installs missing test dependencies, then builds and runs
# every test with g++ and, when installed, clang++. Build trees go to build/test-<compiler>.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/install-test-deps.sh

jobs=$(nproc 2>/dev/null || echo 2)
compilers=(g++)
command -v clang++ >/dev/null 2>&1 && compilers+=(clang++)

for cxx in "${compilers[@]}"; do
  dir="build/test-${cxx}"
  echo "=== ${cxx}: configure, build, test (${dir})"
  cmake -S . -B "$dir" -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DLEAKGUARD_BUILD_TESTS=ON -DLEAKGUARD_BUILD_EXAMPLES=ON >/dev/null
  cmake --build "$dir" -j "$jobs"
  ctest --test-dir "$dir" --output-on-failure --no-tests=error -j "$jobs"
done
