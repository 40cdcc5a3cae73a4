#!/usr/bin/env bash
# Fuzzes tlsauth inside tshark the way Wireshark fuzzes its dissectors (tools/fuzz-test.sh):
# broken copies of the bundled captures go through tshark with the plugin, and every crash, hang,
# dissector bug or sanitizer report is caught, attributed (does it happen without tlsauth?) and
# its input kept. The inputs:
#   regressions  every capture of tests/fuzz/regressions/captures/ (each once, first)
#   structural   each capture truncated (editcap -s), cut after every frame and from every frame
#                on (editcap -r: handshakes cut short, connections that start mid-handshake), with
#                one frame dropped, duplicated (mergecap of a file with itself, interleaved and
#                appended), all captures merged, frame times at the edges of time_t
#   random       RUNS copies corrupted with editcap -E (random seeds, probabilities 0.001 to 0.1)
#   big          a capture of 100,000 connections (pcapng_clone): tshark's peak RSS and time with
#                and without tlsauth (not in quick mode, nor under sanitizers)
# Each input runs twice: -2 -V -z tlsauth,handshakes, and single-pass -q -z tlsauth,handshakes
# -z tlsauth,summary, with the key log and the test CA (and its CRL) as preferences.
#
# Usage: scripts/fuzz-captures.sh [RUNS] [SECONDS]
#   RUNS     randomly corrupted captures to try (default 1000)
#   SECONDS  time budget: no new input starts after it (default 3600); the structural inputs (in
#            random order) get 60% of it when RUNS > 0
# Environment:
#   TLSAUTH_BUILD    build folder (default build/); built and staged, unless TLSAUTH_STAGE is set
#   TLSAUTH_STAGE    a folder made by tests/lib/stage.sh for that build (ctest sets it)
#   TLSAUTH_SANITIZER_PRELOAD  sanitizer runtime of a TLSAUTH_SANITIZE build (ctest sets it; else
#                    read from <build>/sanitizer-preload): tshark runs with it preloaded
#   FUZZ_QUICK=1     a sample of 20 structural inputs, no big capture (ctest fuzz.captures)
#   FUZZ_TIMEOUT     seconds per tshark run before it is a hang (default 60, 180 under sanitizers)
#   FUZZ_JOBS        tshark runs in parallel (default: the number of processors)
#   FUZZ_BIG_CONNS   connections in the big capture (default 100000; 0: skip it)
#   FUZZ_BIG_BASE    the capture it is made from (default tls12-mutual-openssl)
#   FUZZ_KEEP        where failing inputs are kept (default <build>/fuzz-captures-failed)
# Exit status: 1 when tlsauth crashed, hung, hit a dissector bug or a sanitizer report.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-1000}
budget=${2:-3600}
build=${TLSAUTH_BUILD:-$root/build}
quick=${FUZZ_QUICK:-0}
jobs=${FUZZ_JOBS:-$(nproc)}
keep=${FUZZ_KEEP:-$build/fuzz-captures-failed}
start=$SECONDS

own_stage=""
if [ -z "${TLSAUTH_STAGE:-}" ]; then
  TLSAUTH_BUILD=$build "$root/scripts/build.sh" >/dev/null
  series=$(sed -n 's/^TLSAUTH_WS_SERIES:[A-Z]*=//p' "$build/CMakeCache.txt")
  own_stage=$(mktemp -d /tmp/tlsauth-fuzz-captures.XXXXXX)
  "$root/tests/lib/stage.sh" "$build/tlsauth.so" "$series" "$root" "$own_stage"
  export TLSAUTH_STAGE=$own_stage
fi
export TLSAUTH_STAGE
captures="$TLSAUTH_STAGE/captures"
clone="$build/tests/fuzz/pcapng_clone"
[ -x "$clone" ] || cmake --build "$build" --target pcapng_clone >/dev/null

preload=${TLSAUTH_SANITIZER_PRELOAD:-}
[ -z "$preload" ] && [ -f "$build/sanitizer-preload" ] && preload=$(cat "$build/sanitizer-preload")
timeout_s=${FUZZ_TIMEOUT:-$([ -n "$preload" ] && echo 180 || echo 60)}
# How tshark runs: Wireshark's fuzzing settings (abort on a dissector bug; with sanitizers, one
# malloc per wmem allocation so that ASan sees every block), and the sanitizer runtime preloaded.
tshark_env=(WIRESHARK_ABORT_ON_DISSECTOR_BUG=1)
work=$(mktemp -d "$TLSAUTH_STAGE/fuzz.XXXXXX")
chmod a+rx "$work"
mkdir -p "$work/in" "$work/res" "$work/no-extcap"
if [ -n "$preload" ]; then
  # No extcap: the extcap programs tshark may spawn would inherit the preload (some hang under it).
  tshark_env+=(LD_PRELOAD="$preload" WIRESHARK_DEBUG_WMEM_OVERRIDE=simple WIRESHARK_EXTCAP_DIR="$work/no-extcap"
    ASAN_OPTIONS=detect_leaks=0:halt_on_error=1:abort_on_error=0:exitcode=86:handle_abort=1:detect_odr_violation=0
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=86)
fi

cleanup() {
  jobs -pr | xargs -r kill 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
  [ -z "$own_stage" ] || rm -rf "$own_stage"
}
trap cleanup EXIT

bases=()
for f in "$captures"/*.pcapng; do
  case $f in *.nokeys.pcapng) ;; *) bases+=("$(basename "$f" .pcapng)") ;; esac
done
[ ${#bases[@]} -gt 0 ] || { echo "fuzz-captures: no capture in $captures"; exit 1; }
time_base=tls12-mutual-openssl # frame times at the edges: a capture with two chains to validate
[ -f "$captures/$time_base.pcapng" ] || time_base=${bases[0]}

# tshark over one input, one way. Prints the outcome: ok, crash:<rc>, hang, sanitizer, dissector-bug.
tshark_run() { # FILE KEYS MODE LOG [extra tshark options]
  local file=$1 keys=$2 mode=$3 log=$4 rc=0
  shift 4
  local args=(-r "$file" -o "tls.keylog_file:$keys" -o tlsauth.ca_file:pki/ca.pem
              -o tlsauth.crl_file:pki/crl.pem -o tlsauth.use_system_ca:FALSE "$@")
  if [ "$mode" = two-pass ]; then args+=(-2 -V -z tlsauth,handshakes); else args+=(-q -z tlsauth,handshakes -z tlsauth,summary); fi
  env "${tshark_env[@]}" timeout -k 10 "$timeout_s" "$root/tests/lib/tshark.sh" "${args[@]}" > "$log.out" 2> "$log" || rc=$?
  # (A dissector bug aborts: under ASan that abort is reported too, so it is looked for first.)
  if [ $rc -ne 0 ] && grep -qE 'Dissector bug|failed assertion' "$log"; then
    echo dissector-bug
  elif grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|SUMMARY: UndefinedBehaviorSanitizer' "$log" ||
     [ $rc -eq 86 ]; then
    echo sanitizer
  elif [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
    echo hang
  elif [ $rc -ge 128 ]; then
    echo "crash:$rc"
  elif grep -q 'Dissector bug' "$log.out"; then
    echo dissector-bug
  else
    echo ok # 0, or 1-2 for a file tshark says is damaged or cut short
  fi
}

# One input: both ways; a failure is retried without tlsauth to tell whose it is.
check() { # NAME FILE BASE (BASE.nokeys: run without a key log)
  local name=$1 file=$2 base=$3 keys verdict mode
  keys="$captures/$base.keys"
  [ -f "$keys" ] || keys=""
  for mode in two-pass single-pass; do
    verdict=$(tshark_run "$file" "$keys" "$mode" "$work/res/$name.$mode.log")
    if [ "$verdict" != ok ]; then
      local without
      without=$(tshark_run "$file" "$keys" "$mode" "$work/res/$name.without.log" --disable-protocol tlsauth)
      mkdir -p "$keep"
      cp "$file" "$keep/$name.pcapng"
      cp "$work/res/$name.$mode.log" "$keep/$name.$mode.log"
      if [ "$without" = ok ]; then
        { echo "TLSAUTH $verdict $mode $name"
          # The report's first lines and the frames in tlsauth.
          grep -m1 -E 'ERROR: |runtime error:|Dissector bug|ERROR|assertion' "$work/res/$name.$mode.log" | sed 's/^/    /'
          grep -E '^ +#[0-9]+ .*(plugin/|tlsauth)' "$work/res/$name.$mode.log" | head -8 | sed 's/^/    /'
        } > "$work/res/$name.result"
      else
        { echo "wireshark $verdict $mode $name (also without tlsauth: $without)"
          grep -m1 -E 'failed assertion|Dissector bug|ERROR: |runtime error:' "$work/res/$name.$mode.log" | sed 's/^/    /'
        } > "$work/res/$name.result"
      fi
      rm -f "$work/res/$name".*.log*
      rm -f "$file"
      return
    fi
  done
  rm -f "$work/res/$name".*.log* "$file"
  echo "ok $name" > "$work/res/$name.result"
}

running=0
launch() { # NAME FILE BASE: check in the background, at most $jobs at once
  if [ $running -ge "$jobs" ]; then wait -n || true; running=$((running - 1)); fi
  check "$@" &
  running=$((running + 1))
}
in_budget() { [ $((SECONDS - start)) -lt "$budget" ]; }
frames() { capinfos -cM "$1" | awk '/Number of packets/ { print $NF }'; }

# ---- regressions ----
regressions=0
for f in "$root"/tests/fuzz/regressions/captures/*.pcapng; do
  [ -f "$f" ] || continue
  name=regression-$(basename "$f" .pcapng)
  cp "$f" "$work/in/$name.pcapng"
  chmod a+r "$work/in/$name.pcapng"
  base=$(basename "$f" .pcapng); base=${base%%.*}
  launch "$name" "$work/in/$name.pcapng" "$base"
  regressions=$((regressions + 1))
done

# ---- structural ----
make_structural() { # writes "NAME BASE" lines of the cases, each file made in $work/in
  local base src n k
  for base in "${bases[@]}"; do
    src="$captures/$base.pcapng"
    n=$(frames "$src")
    for s in 40 60 80 120 200 400 800; do echo "snap$s:$base"; done
    for ((k = 1; k < n; k++)); do echo "first$k:$base"; done
    for ((k = 2; k <= n; k++)); do echo "from$k:$base"; done
    for ((k = 1; k <= n; k++)); do echo "drop$k:$base"; done
    echo "dup-interleaved:$base"
    echo "dup-appended:$base"
  done
  echo "all-merged:all"
  echo "all-appended:all"
  for t in -9223372036854775808 -1 0 9223372036854775807; do echo "time$t:$time_base"; done
}
make_input() { # CASE: creates the input file, prints its path
  local what=${1%%:*} base=${1#*:} out src
  out="$work/in/$what.$base.pcapng"
  src="$captures/$base.pcapng"
  case $what in
    snap*) editcap -s "${what#snap}" "$src" "$out" ;;
    first*) editcap -r "$src" "$out" "1-${what#first}" ;;
    from*) editcap -r "$src" "$out" "${what#from}-1000000" ;;
    drop*) editcap "$src" "$out" "${what#drop}" ;;
    dup-interleaved) mergecap -w "$out" "$src" "$src" ;;
    dup-appended) mergecap -a -w "$out" "$src" "$src" ;;
    all-merged) (cd "$captures" && mergecap -w "$out" $(printf '%s.pcapng ' "${bases[@]}")) ;;
    all-appended) (cd "$captures" && mergecap -a -w "$out" $(printf '%s.pcapng ' "${bases[@]}")) ;;
    time*) "$clone" "$src" "$out" "--seconds=${what#time}" ;;
  esac >/dev/null 2>&1
  chmod a+r "$out"
  echo "$out"
}
mapfile -t cases < <(make_structural)
if [ "$quick" = 1 ]; then
  # A sample: the earliest frame time, connections that start mid-handshake, and any 16 others.
  mapfile -t cases < <(printf '%s\n' "${cases[@]}" | grep -E '^time-9223372036854775808:'
                       printf '%s\n' "${cases[@]}" | grep -E '^from[2-4]:' | shuf -n 3
                       printf '%s\n' "${cases[@]}" | shuf -n 16)
else
  # In an order that samples every kind of case when the budget runs out first.
  mapfile -t cases < <(printf '%s\n' "${cases[@]}" | shuf)
fi
# The structural cases get 60% of the budget when random ones follow.
structural_budget=$budget
[ "$runs" -gt 0 ] && structural_budget=$((budget * 6 / 10))
structural=0
for c in "${cases[@]}"; do
  [ $((SECONDS - start)) -lt "$structural_budget" ] || break
  file=$(make_input "$c")
  [ -s "$file" ] || continue
  base=${c#*:}
  launch "$(basename "$file" .pcapng)" "$file" "$base"
  structural=$((structural + 1))
done

# ---- random corruption ----
random=0
probabilities=(0.001 0.002 0.005 0.01 0.02 0.05 0.1)
for ((i = 0; i < runs; i++)); do
  in_budget || break
  base=${bases[RANDOM % ${#bases[@]}]}
  src="$captures/$base.pcapng"
  if [ $((RANDOM % 3)) -eq 0 ] && [ -f "$captures/$base.nokeys.pcapng" ]; then
    src="$captures/$base.nokeys.pcapng" # without the injected secrets, and without the key log
    base=$base.nokeys
  fi
  p=${probabilities[RANDOM % ${#probabilities[@]}]}
  seed=$((RANDOM * 32768 + RANDOM))
  name="E$p-seed$seed.$(basename "$src" .pcapng)"
  editcap -E "$p" --seed "$seed" "$src" "$work/in/$name.pcapng" >/dev/null 2>&1 || continue
  chmod a+r "$work/in/$name.pcapng"
  launch "$name" "$work/in/$name.pcapng" "$base"
  random=$((random + 1))
done
wait || true

# ---- results ----
ours=$(cat "$work"/res/*.result 2>/dev/null | grep -c '^TLSAUTH' || true)
theirs=$(cat "$work"/res/*.result 2>/dev/null | grep -c '^wireshark' || true)
echo "fuzz-captures: $regressions regressions, $structural structural and $random randomly corrupted inputs," \
     "each through tshark twice$([ -n "$preload" ] && echo ' under ASan+UBSan') in $((SECONDS - start)) s"
for r in "$work"/res/*.result; do
  [ -f "$r" ] && ! grep -q '^ok ' "$r" && sed 's/^/  /' "$r"
done
[ "$theirs" -eq 0 ] || echo "fuzz-captures: $theirs failure(s) that also happen without tlsauth: Wireshark's own (inputs in $keep)"

# ---- big capture ----
big=${FUZZ_BIG_CONNS:-100000}
if [ "$quick" != 1 ] && [ -z "$preload" ] && [ "$big" -gt 0 ]; then
  base=${FUZZ_BIG_BASE:-tls12-mutual-openssl}
  "$clone" "$captures/$base.pcapng" "$work/big.pcapng" "$big"
  chmod a+r "$work/big.pcapng"
  echo "big capture: $big connections of $base, $(( $(frames "$captures/$base.pcapng") * big )) frames, $(du -m "$work/big.pcapng" | cut -f1) MB"
  for how in with without; do
    extra=()
    [ $how = without ] && extra=(--disable-protocol tlsauth)
    /usr/bin/time -f '%M %e' -o "$work/big.$how.time" "$root/tests/lib/tshark.sh" -r "$work/big.pcapng" \
      -o "tls.keylog_file:$base.keys" -o tlsauth.ca_file:pki/ca.pem -o tlsauth.use_system_ca:FALSE \
      "${extra[@]}" -q -z tlsauth,summary > "$work/big.$how.out" 2> "$work/big.$how.err" || {
        echo "big capture: tshark failed ($how tlsauth):"; tail -20 "$work/big.$how.err"; ours=$((ours + 1)); }
    # GNU time writes its line last (after "Command exited with non-zero status N", if any).
    read -r rss secs < <(tail -1 "$work/big.$how.time")
    [[ $rss =~ ^[0-9]+$ ]] || { echo "big capture: no measurement ($how tlsauth)"; ours=$((ours + 1)); continue; }
    echo "big capture: $how tlsauth: peak RSS $((rss / 1024)) MiB, $secs s"
  done
  counted=$(awk '/^Handshakes by outcome:/ { on = 1; next } on && /^  / { s += $NF; next } on { on = 0 } END { print s + 0 }' \
    "$work/big.with.out")
  echo "big capture: $counted handshakes reported"
  [ "$counted" -eq "$big" ] || { echo "big capture: expected $big handshakes"; ours=$((ours + 1)); }
fi

if [ "$ours" -gt 0 ]; then
  echo "fuzz-captures: FAILED: $ours problem(s) in tlsauth; inputs and logs kept in $keep"
  echo "  keep each as tests/fuzz/regressions/captures/<base capture>.<what>.pcapng"
  exit 1
fi
echo "fuzz-captures: no problem found in tlsauth"
