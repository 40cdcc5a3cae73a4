#!/usr/bin/env bash
# tshark with tlsauth under valgrind's memcheck: invalid reads and writes, uses of uninitialised
# values, bad frees, and definite leaks. Wireshark, GLib and GnuTLS have their own findings and
# keep memory until exit: the run fails only when an error's stack goes through tlsauth.so (every
# frame's object is in valgrind's XML output, with or without debug information).
# tests/fuzz/valgrind.supp silences the known library noise.
#
# The runs (each tshark as in the integration tests: the staged plugin, the test CA and its CRL):
#   all captures merged, with all key logs: -2 -V -z tlsauth,handshakes -z tlsauth,summary
#   the same, single pass: -q -z tlsauth,handshakes -z tlsauth,summary
#   all captures merged, without secrets: -2 -V
#   a missing CA file and a garbage CRL file (the store's error paths): -V
#   with FULL=1, also every capture on its own, with its key log: -2 -V -z tlsauth,handshakes
#
# Usage: scripts/valgrind.sh        (builds build/, or $TLSAUTH_BUILD)
# Output: per run, valgrind's log and XML in $TLSAUTH_BUILD/valgrind/ (or $VALGRIND_OUT).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${TLSAUTH_BUILD:-$root/build}
out=${VALGRIND_OUT:-$build/valgrind}
command -v valgrind >/dev/null || { echo "valgrind.sh: install valgrind (apt-get install valgrind)"; exit 2; }
TLSAUTH_BUILD=$build "$root/scripts/build.sh" >/dev/null
series=$(sed -n 's/^TLSAUTH_WS_SERIES:[A-Z]*=//p' "$build/CMakeCache.txt")
stage=$(mktemp -d /tmp/tlsauth-valgrind.XXXXXX)
trap 'rm -rf "$stage"' EXIT
"$root/tests/lib/stage.sh" "$build/tlsauth.so" "$series" "$root" "$stage" >/dev/null
export TLSAUTH_STAGE=$stage
captures="$stage/captures"

# valgrind around tshark, found first in PATH by tests/lib/tshark.sh; it writes where nobody can.
mkdir -p "$stage/bin" "$stage/vg"
tshark=$(command -v tshark)
# --keep-debuginfo: plugins are unloaded at exit, before the leak check; without it the frames of
# their allocations have no object. No extcap programs (nothing to capture; faster).
mkdir -p "$stage/no-extcap"
cat > "$stage/bin/tshark" <<EOF
#!/bin/sh
export WIRESHARK_EXTCAP_DIR="$stage/no-extcap"
exec valgrind --tool=memcheck --num-callers=50 --leak-check=full --show-leak-kinds=definite --keep-debuginfo=yes \\
  --errors-for-leak-kinds=definite --error-exitcode=99 --child-silent-after-fork=yes \\
  --suppressions="$stage/valgrind.supp" --xml=yes --xml-file="$stage/vg/\$VG_NAME.xml" \\
  --log-file="$stage/vg/\$VG_NAME.log" "$tshark" "\$@"
EOF
chmod 755 "$stage/bin/tshark"
cp "$root/tests/fuzz/valgrind.supp" "$stage/valgrind.supp"
(cd "$captures" && mergecap -w all.pcapng $(ls *.pcapng | grep -v '\.nokeys\.') &&
  mergecap -w all.nokeys.pcapng *.nokeys.pcapng && cat *.keys > all.keys)
printf 'not a CRL\n' > "$captures/garbage.crl"
chmod -R a+rX "$stage"
[ "$(id -u)" = 0 ] && chown -R 65534:65534 "$stage/vg"
export PATH="$stage/bin:$PATH"

prefs=(-o tlsauth.ca_file:pki/ca.pem -o tlsauth.crl_file:pki/crl.pem -o tlsauth.use_system_ca:FALSE)
failed=0
run() { # NAME tshark arguments...
  local name=$1 rc=0 start=$SECONDS
  shift
  VG_NAME=$name "$root/tests/lib/tshark.sh" "$@" > "$stage/vg/$name.out" 2> "$stage/vg/$name.stderr" || rc=$?
  local xml="$stage/vg/$name.xml"
  if [ ! -s "$xml" ]; then
    echo "FAIL $name: no valgrind output (tshark exited $rc)"; cat "$stage/vg/$name.stderr"; failed=1; return
  fi
  # Each error: a line "E <ours 0/1> <kind> <what>", then one "F <function (file:line or object)>" per frame.
  awk '
    /<error>/ { inerr = 1; kind = ""; what = ""; ours = 0; nf = 0; next }
    !inerr { next }
    /<kind>/ { gsub(/.*<kind>|<\/kind>.*/, ""); kind = $0 }
    /<text>/ && what == "" { gsub(/.*<text>|<\/text>.*/, ""); what = $0 }
    /<what>/ && what == "" { gsub(/.*<what>|<\/what>.*/, ""); what = $0 }
    /<frame>/ { fn = ""; obj = ""; file = ""; line = "" }
    /<obj>/ { gsub(/.*<obj>|<\/obj>.*/, ""); obj = $0; if (obj ~ /tlsauth\.so$/) ours = 1 }
    /<fn>/ { gsub(/.*<fn>|<\/fn>.*/, ""); fn = $0 }
    /<file>/ { gsub(/.*<file>|<\/file>.*/, ""); file = $0 }
    /<line>/ { gsub(/.*<line>|<\/line>.*/, ""); line = $0 }
    /<\/frame>/ { n = split(obj, o, "/"); frame[++nf] = (fn ? fn : "?") " (" (file ? file ":" line : o[n]) ")" }
    /<\/error>/ { inerr = 0; print "E\t" ours "\t" kind "\t" what; for (i = 1; i <= nf; i++) print "F\t" frame[i] }' \
    "$xml" > "$stage/vg/$name.errors"
  local ours others
  ours=$(grep -c $'^E\t1' "$stage/vg/$name.errors" || true)
  others=$(grep -c $'^E\t0' "$stage/vg/$name.errors" || true)
  echo "$name: $((SECONDS - start)) s, tshark exit $rc, $(grep -c 'TLS Authentication' "$stage/vg/$name.out" || true) lines" \
       "of tlsauth output, $ours error(s) in tlsauth.so, $others elsewhere"
  if [ "$ours" -gt 0 ]; then
    awk -F'\t' '$1 == "E" { show = $2 == 1; if (show) print "  " $3 ": " $4; next } show { print "      " $2 }' \
      "$stage/vg/$name.errors" | head -300
    failed=1
  fi
  if [ $rc -ne 0 ] && [ $rc -ne 99 ]; then
    echo "FAIL $name: tshark exited $rc"; tail -20 "$stage/vg/$name.stderr"; failed=1
  fi
}

run merged-2pass -r all.pcapng -o tls.keylog_file:all.keys "${prefs[@]}" -2 -V -z tlsauth,handshakes -z tlsauth,summary
run merged-1pass -r all.pcapng -o tls.keylog_file:all.keys "${prefs[@]}" -q -z tlsauth,handshakes -z tlsauth,summary
run merged-nokeys -r all.nokeys.pcapng -o tls.keylog_file: "${prefs[@]}" -2 -V
run bad-prefs -r tls12-mutual-openssl.pcapng -o tlsauth.ca_file:missing.pem -o tlsauth.crl_file:garbage.crl -V
if [ "${FULL:-0}" = 1 ]; then
  for pcap in "$captures"/*.pcapng; do
    name=$(basename "$pcap" .pcapng)
    case $name in all|all.nokeys|*.nokeys) continue ;; esac
    run "$name" -r "$name.pcapng" -o "tls.keylog_file:$name.keys" "${prefs[@]}" -2 -V -z tlsauth,handshakes
  done
fi
mkdir -p "$out"
cp "$stage"/vg/* "$out/" 2>/dev/null || true
echo "valgrind logs: $out"
if [ $failed -ne 0 ]; then
  echo "valgrind.sh: FAILED (above; details in $out)"
  exit 1
fi
echo "valgrind.sh: no memcheck error in tlsauth.so"
