#!/usr/bin/env bash
# The whole test suite: set up, build, then every unit and integration test through ctest.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
"$root/scripts/build.sh"
cd "${TLSAUTH_BUILD:-$root/build}"
ctest --output-on-failure -j"$(nproc)"
