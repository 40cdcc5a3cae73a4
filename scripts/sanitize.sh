#!/usr/bin/env bash
# The whole test suite under AddressSanitizer and UndefinedBehaviorSanitizer: builds into
# build-asan/ (or $TLSAUTH_ASAN_BUILD) with -DTLSAUTH_SANITIZE=ON (the core, the plugin, the unit
# tests and the fuzz replay drivers instrumented) and runs every ctest test, with tshark running
# the instrumented plugin: tshark is not instrumented, so the sanitizer runtime is preloaded into
# it by a tshark wrapper put first in PATH (tests/lib/tshark.sh runs `env ... tshark`, which finds
# it; setpriv and env keep the environment). Any report stops the process with exit code 86 and
# fails its test: every test script checks tshark's exit status (integration.plugin_loads aside).
#
# Leaks: checked in the unit tests and fuzz replays (LeakSanitizer, suppressions in
# tests/fuzz/lsan.supp); not in tshark, where Wireshark and GLib keep memory until exit by design
# (scripts/valgrind.sh checks that no leak comes from tlsauth.so).
#
# Usage: scripts/sanitize.sh [ctest arguments...]      e.g. scripts/sanitize.sh -R integration
# The compiler is CMake's default (cc: gcc); CC=clang works too.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${TLSAUTH_ASAN_BUILD:-$root/build-asan}
"$root/scripts/setup.sh"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTLSAUTH_SANITIZE=ON >/dev/null
cmake --build "$build" -j"$(nproc)"
preload=$(cat "$build/sanitizer-preload")
tshark=$(command -v tshark)

# The options every sanitized process gets: stop at the first report, exit code 86.
asan_common=halt_on_error=1:abort_on_error=0:exitcode=86:handle_abort=1:detect_odr_violation=0
ubsan=print_stacktrace=1:halt_on_error=1:exitcode=86

wrapper=$(mktemp -d /tmp/tlsauth-sanitize.XXXXXX)
trap 'rm -rf "$wrapper"' EXIT
cat > "$wrapper/tshark" <<EOF
#!/bin/sh
# tshark with the sanitizer runtime of tlsauth's ASan+UBSan build preloaded (scripts/sanitize.sh).
# Wireshark's fuzzing settings: abort on a dissector bug; one malloc per wmem block, so that ASan
# sees the bounds of every block the plugin gets from wmem. No extcap: the extcap programs tshark
# spawns (tshark -G plugins) would inherit the preload, and some hang at exit under it.
export LD_PRELOAD="$preload"
export WIRESHARK_EXTCAP_DIR="$wrapper/no-extcap"
export ASAN_OPTIONS="detect_leaks=0:$asan_common"
export UBSAN_OPTIONS="$ubsan"
export WIRESHARK_ABORT_ON_DISSECTOR_BUG=1
export WIRESHARK_DEBUG_WMEM_OVERRIDE=simple
exec "$tshark" "\$@"
EOF
mkdir "$wrapper/no-extcap"
chmod 755 "$wrapper" "$wrapper/tshark" "$wrapper/no-extcap"
export PATH="$wrapper:$PATH"

# The instrumented test programs (unit tests, fuzz replays) link the runtime themselves.
export ASAN_OPTIONS="detect_leaks=1:$asan_common"
export LSAN_OPTIONS="suppressions=$root/tests/fuzz/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="$ubsan"

cd "$build"
ctest --output-on-failure -j"$(nproc)" "$@"
