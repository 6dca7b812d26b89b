#!/usr/bin/env bash
# Installs what leakguard's tests need and a fresh Debian 12 machine may lack (doctest and
# nlohmann-json for the test drivers, valgrind for the cross-checks, GoogleTest and Catch2 v2 for
# the adapter tests, gmock for the reachability case of a GoogleTest + gmock program, pkgconf for
# the pkg-config consumer of tests/packaging, python3-jsonschema for the SARIF log's validation
# against its schema, jemalloc and tcmalloc for the cases that run with another allocator in
# LD_PRELOAD). Does nothing when all is there. Chromium, for the test that opens the chart of a
# monitor file in a headless browser, is left out (a large download for one test, which reports
# itself skipped without it): `apt-get install chromium` to run it.
set -euo pipefail

needed=(doctest-dev nlohmann-json3-dev valgrind libgtest-dev libgmock-dev catch2 pkgconf python3-jsonschema libjemalloc2
        libtcmalloc-minimal4)
missing=()
for pkg in "${needed[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-test-deps: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq "${missing[@]}"
