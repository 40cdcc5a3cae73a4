#!/usr/bin/env bash
# Run tshark with tlsauth over one chain-verifier capture (captures/verify/CAPTURE.pcapng, made by
# captures/make-verify-captures.sh) once per row of captures/verify-scenarios.tsv, trusting only
# the verify PKI's root (plus the row's own -o options), and compare the handshake's server and
# client verdicts and problem tokens (as sets) with the row, written by hand from the rule.
# A row with a server_reason also wants tlsauth.chain.reason of the server chain to start with it.
# Usage: TLSAUTH_STAGE=DIR check-verify-scenarios.sh CAPTURE 1|2
# VERIFY_SCENARIOS_TSV=FILE reads the rows from FILE instead (to try a wrong expectation).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
capture=$1 passes=$2
tsv=${VERIFY_SCENARIOS_TSV:-$src/captures/verify-scenarios.tsv}
pcap_src=$src/captures/verify/$capture.pcapng
[ -f "$pcap_src" ] || { echo "no capture $pcap_src"; exit 1; }

# The capture goes where tshark.sh's unprivileged tshark can read it; the PKI is staged already
# (captures/pki/verify, as pki/verify from tshark.sh's folder).
source "$here/../lib/scratch.sh"  # $work, $work_rel
cp "$pcap_src" "$work/"
chmod a+r "$work/$capture.pcapng"
pcap=$work_rel/$capture.pcapng

rows=$(awk -F'\t' -v cap="$capture" 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
  $col["capture"] == cap { print $col["options"] "\t" $col["server_verdict"] "\t" $col["server_problems"] "\t" \
    $col["client_verdict"] "\t" $col["client_problems"] "\t" $col["server_reason"] }' "$tsv")
[ -n "$rows" ] || { echo "no rows for $capture in $tsv"; exit 1; }

# tokens LIST: a comma-separated token list as a sorted set, "-" when empty.
tokens() { local t; t=$(tr ',' '\n' <<<"$1" | sed '/^-\{0,1\}$/d' | sort -u | paste -sd, -); echo "${t:--}"; }

failed=0 n=0
while IFS=$'\t' read -r options sv sp cv cp reason; do
  n=$((n + 1))
  args=(-r "$pcap" -o tlsauth.ca_file:pki/verify/ca.pem -o tlsauth.use_system_ca:FALSE)
  if [ "$options" != - ]; then for o in $options; do args+=(-o "$o"); done; fi
  [ "$passes" = 2 ] && args+=(-2)
  what="$capture pass $passes, options: $options"
  expected=$(printf '%s\t%s\t%s\t%s' "$sv" "$(tokens "$sp")" "$cv" "$(tokens "$cp")")
  rc=0
  out=$("$here/../lib/tshark.sh" "${args[@]}" -Y tlsauth.summary -T fields -E separator=/t \
        -e tlsauth.server.verdict -e tlsauth.server.problem -e tlsauth.client.verdict \
        -e tlsauth.client.problem 2>"$work/stderr" </dev/null) || rc=$?
  if [ $rc -ne 0 ]; then
    echo "FAIL $what: tshark exited $rc:"; head -5 "$work/stderr" | sed 's/^/  /'
    failed=1; continue
  fi
  if [ "$(printf '%s\n' "$out" | grep -c .)" != 1 ]; then
    echo "FAIL $what: want exactly one handshake summary, got:"; printf '%s\n' "$out" | sed 's/^/  /'
    failed=1; continue
  fi
  # (read would merge the empty fields of absent verdicts: split with cut)
  asv=$(cut -f1 <<<"$out") asp=$(cut -f2 <<<"$out") acv=$(cut -f3 <<<"$out") acp=$(cut -f4 <<<"$out")
  actual=$(printf '%s\t%s\t%s\t%s' "${asv:--}" "$(tokens "$asp")" "${acv:--}" "$(tokens "$acp")")
  if [ "$actual" != "$expected" ]; then
    echo "FAIL $what"
    echo "  columns:  server_verdict server_problems client_verdict client_problems"
    echo "  expected: $expected"
    echo "  actual:   $actual"
    failed=1; continue
  fi
  if [ "$reason" != - ]; then
    rc=0
    got=$("$here/../lib/tshark.sh" "${args[@]}" -Y tlsauth.server.validation -T fields \
          -e tlsauth.chain.reason 2>"$work/stderr" </dev/null) || rc=$?
    # The first frame that shows the chain's detail (others may carry the verdict alone).
    got=$(printf '%s\n' "$got" | grep -m1 . || true)
    if [ $rc -ne 0 ] || [[ "$got" != "$reason"* ]]; then
      echo "FAIL $what: tlsauth.chain.reason of the server chain"
      echo "  expected: starts with \"$reason\""
      echo "  actual:   \"$got\"$([ $rc = 0 ] || echo " (tshark exit $rc)")"
      failed=1; continue
    fi
  fi
  echo "ok: $what: $(tr '\t' ' ' <<<"$actual")"
done <<<"$rows"
[ $failed = 0 ] || exit 1
echo "ok: $capture ($passes pass): $n row(s) as expected"
