#!/usr/bin/env bash
# TLS inside a tunnel: two scenario captures, every frame wrapped in VXLAN between the same two
# endpoints (one outer UDP stream), as a capture on the underlay network sees them. Each inner TCP
# connection is its own: one handshake each with its scenario's mode and outcome, each step told
# of the peer that sent it, and the TCP closes seen.
# Usage: TLSAUTH_STAGE=DIR check-tunnel.sh VXLAN_WRAP   (built from tests/lib/vxlan_wrap.c)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
vxlan_wrap=$1
captures=(tls12-mutual-openssl tls12-oneway-gnutls)
expected=$(for c in "${captures[@]}"; do
  awk -F'\t' -v OFS='\t' -v cap="$c" 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    $1 == cap { print 1, $col["mode"], $col["outcome"] }' "$here/../../captures/scenarios.tsv"
done | sort)
. "$here/../lib/scratch.sh"
cd "$TLSAUTH_STAGE/captures"
mergecap -F pcap -w "$work/plain.pcap" "${captures[@]/%/.pcapng}"
"$vxlan_wrap" "$work/plain.pcap" "$work/tunnel.pcap"
for c in "${captures[@]}"; do cat "$c.keys"; done >"$work/tunnel.keys"
chmod a+r "$work"/*
ts() { "$here/../lib/tshark.sh" -r "$work_rel/tunnel.pcap" -o "tls.keylog_file:$work_rel/tunnel.keys" \
  -o tlsauth.use_system_ca:FALSE "$@"; }

# One outer stream, or this test proves nothing.
[ "$(ts -Y vxlan -T fields -e udp.stream | sort -u)" = 0 ] || { echo "FAIL: the tunnel is not one UDP stream"; exit 1; }
servers=$(ts -Y 'tls.handshake.type == 1' -T fields -e tcp.dstport | sort -u | paste -sd' ')

for passes in 1 2; do
  two=(); [ "$passes" = 2 ] && two=(-2)
  got=$(ts "${two[@]}" -Y tlsauth.summary -T fields -e tlsauth.handshake -e tlsauth.mode -e tlsauth.outcome | sort)
  [ "$got" = "$expected" ] || { echo "FAIL ($passes pass): summaries"; echo "$got"; echo "expected:"; echo "$expected"; exit 1; }
  wrong=$(ts "${two[@]}" -Y tlsauth.step -T fields -e frame.number -e tcp.srcport -e tlsauth.step |
    awk -F'\t' -v servers=" $servers " '{ server = index(servers, " " $2 " ") > 0 }
      (server && $3 ~ /client_/) || (!server && $3 ~ /server_/) { print }')
  [ -z "$wrong" ] || { echo "FAIL ($passes pass): steps told of the other peer:"; echo "$wrong"; exit 1; }
  closes=$(ts "${two[@]}" -Y 'tlsauth.step == "client_close" || tlsauth.step == "server_close"' | wc -l)
  [ "$closes" -ge 4 ] || { echo "FAIL ($passes pass): $closes TCP closes seen (4 expected)"; exit 1; }
done
echo "ok: two connections in one VXLAN tunnel are analysed apart, as their scenarios say"
