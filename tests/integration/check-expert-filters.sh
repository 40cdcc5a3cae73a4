#!/usr/bin/env bash
# A display filter on one of tlsauth's expert items finds the summary frames of the handshakes
# the scenario made that way (expert items are only formatted for someone: a filter is someone).
# Usage: TLSAUTH_STAGE=DIR check-expert-filters.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tsv="$TLSAUTH_STAGE/captures/scenarios.tsv"
bad=0
check() {  # check CAPTURE EXPERT MODE OUTCOME: frames with EXPERT = scenario rows with MODE and OUTCOME
  local want got
  want=$(awk -F'\t' -v cap="$1" -v mode="$3" -v outcome="$4" 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    $1 == cap && $col["mode"] == mode && $col["outcome"] == outcome { n++ } END { print n + 0 }' "$tsv")
  got=$("$here/../lib/tshark.sh" -r "$1.pcapng" -o "tls.keylog_file:$1.keys" -Y "tlsauth.expert.$2" \
    | wc -l)  # summary lines: a tree built for the filter only
  if [ "$want" = 0 ] || [ "$got" != "$want" ]; then
    echo "FAIL $1: -Y tlsauth.expert.$2 finds $got frame(s), the scenario made $want $3 $4 handshake(s)"; bad=1
  else
    echo "ok: $1: tlsauth.expert.$2 on $got frame(s)"
  fi
}
check tls12-mutual-openssl established.mutual mutual completed
check tls13-oneway-openssl established.one_way one-way completed
check tls12-badclient-openssl client_cert_rejected mutual aborted
exit $bad
