#!/usr/bin/env bash
# One TLS connection over TCP and one DTLS association over UDP in one capture, both stream 0 of
# their transport, with a QUIC connection (number 0 of its own) and an EAP-TLS conversation inside
# RADIUS (a UDP stream): four handshakes in every view (summary fields, -z tlsauth,handshakes,
# -z tlsauth,summary and the GUI's table, -z tlsauth_table,handshakes), single- and two-pass.
# (-z tlsauth,json: integration.json.merged_transports.) Views that keyed handshakes by stream number alone
# merged them into one.
# Usage: TLSAUTH_STAGE=DIR check-merged-transports.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/scratch.sh"
. "$here/../lib/merge.sh"
cd "$TLSAUTH_STAGE/captures"
merge_captures merged tls12-oneway-gnutls dtls12-gnutls quic-oneway-ngtcp2 eap-tls-radius
ts() { "$here/../lib/tshark.sh" -r "$work_rel/merged.pcapng" -o "tls.keylog_file:$work_rel/merged.keys" \
  -o tlsauth.use_system_ca:FALSE "$@"; }

# Both stream 0 of their transport, or this test proves nothing.
[ "$(ts -Y '(tcp && tls.handshake.type == 1) || dtls.handshake.type == 1' -T fields -e tcp.stream -e udp.stream |
    tr -d '\t' | sort -u | paste -sd' ')" = "0" ] ||
  { echo "FAIL: the TCP and DTLS connections are not both stream 0"; exit 1; }

failed=0
for passes in 1 2; do
  two=(); [ "$passes" = 2 ] && two=(-2)
  summaries=$(ts "${two[@]}" -Y tlsauth.summary -T fields -e tlsauth.transport -e tlsauth.version | tr '\t' / | sort | paste -sd' ')
  report=$(ts "${two[@]}" -q -z tlsauth,handshakes -z tlsauth,summary)
  gui_rows=$(ts "${two[@]}" -q -z tlsauth_table,handshakes | grep -cE '^[0-9]+ \|' || true)
  rows=$(printf '%s\n' "$report" | sed -n 's/^\([0-9]*\) handshakes\{0,1\}$/\1/p')
  counted=$(printf '%s\n' "$report" | awk '/^Handshakes by outcome:/ { on = 1; next } on && /^  / { s += $NF; next } on { on = 0 } END { print s + 0 }')
  if [ "$summaries" != "eap/TLSv1.2 quic/TLSv1.3 tcp/TLSv1.2 udp/DTLSv1.2" ] || [ "$rows" != 4 ] || [ "$counted" != 4 ] ||
     [ "$gui_rows" != 4 ]; then
    echo "FAIL ($passes pass): summaries \"$summaries\", $rows report rows, $counted counted, $gui_rows GUI table rows; expected 4 of each"
    printf '%s\n' "$report"
    failed=1
  else
    echo "ok ($passes pass): four handshakes, one per transport, in every view"
  fi
done
exit $failed
