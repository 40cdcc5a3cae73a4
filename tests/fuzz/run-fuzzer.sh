#!/usr/bin/env bash
# Runs one libFuzzer harness for a bounded time over its committed corpus and regressions, with
# new inputs going to a work folder of the build tree (never into the source tree), and says what
# it found. Used by the ctest tests fuzz.<harness> (TLSAUTH_FUZZ=ON) and by .ci/run.
# Usage: run-fuzzer.sh FUZZER SECONDS WORK_DIR ARTIFACT_DIR INPUT_DIR...
#        (input folders that do not exist are skipped; extra libFuzzer flags: $FUZZ_FLAGS)
set -euo pipefail
fuzzer=$1 seconds=$2 work=$3 artifacts=$4
shift 4
mkdir -p "$work" "$artifacts"
inputs=()
for dir in "$@"; do [ -d "$dir" ] && inputs+=("$dir"); done
mkdir -p "$work/tmp" "$work/corpus"
touch "$work/started"
rc=0
# shellcheck disable=SC2086 # FUZZ_FLAGS is a list of flags
TMPDIR="$work/tmp" "$fuzzer" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2560 -print_final_stats=1 \
  -artifact_prefix="$artifacts/" ${FUZZ_FLAGS:-} "$work/corpus" "${inputs[@]}" || rc=$?
found=$(find "$artifacts" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \
  -o -name 'oom-*' -o -name 'slow-unit-*' \) -newer "$work/started" 2>/dev/null || true)
echo "$(basename "$fuzzer"): exit $rc, corpus $(find "$work/corpus" -type f | wc -l) inputs"
if [ -n "$found" ] || [ "$rc" -ne 0 ]; then
  echo "$(basename "$fuzzer") FOUND A PROBLEM; inputs kept:"
  printf '  %s\n' $found
  echo "keep each as tests/fuzz/regressions/${fuzzer##*fuzz_}/<name> (it then runs in fuzz.replay.${fuzzer##*fuzz_})"
  exit 1
fi
