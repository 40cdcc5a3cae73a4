#!/usr/bin/env bash
# Configure and build tlsauth into build/ (or $TLSAUTH_BUILD).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${TLSAUTH_BUILD:-$root/build}
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc)"
