#!/usr/bin/env bash
# Builds the examples and runs each one, showing what leakguard reports for it. The leaky example
# exits with leakguard's status (23): that is the point, so this script does not stop on it.
set -euo pipefail
cd "$(dirname "$0")/.."

cmake -S . -B build/examples -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DLEAKGUARD_BUILD_TESTS=OFF -DLEAKGUARD_BUILD_EXAMPLES=ON >/dev/null
cmake --build build/examples -j "$(nproc 2>/dev/null || echo 2)"

for example in leaky_cache clean_scope c_strings; do
  echo
  echo "=== ./build/examples/examples/${example}"
  status=0
  "./build/examples/examples/${example}" || status=$?
  echo "=== exit status ${status}"
done
