#!/usr/bin/env bash
# A DTLS handshake message sent in fragments is one step, in the frame where Wireshark reassembles
# it; with one of its fragments lost it is no step at all (never an "empty" Certificate), and the
# summary says the server's Certificate is not in the capture. Packed into one datagram with the
# fragment that ends the message (as a peer may pack them), a middle fragment is still no step of
# its own. The fragments are found by tshark's own DTLS fields, not by tlsauth.
# Usage: TLSAUTH_STAGE=DIR check-dtls-fragments.sh UDP_JOIN   (built from tests/lib/udp_join.c)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
udp_join=$1
capture=dtls12-mutual-openssl
. "$here/../lib/scratch.sh"
cd "$TLSAUTH_STAGE/captures"
ts() { "$here/../lib/tshark.sh" -o "tls.keylog_file:$capture.keys" -o tlsauth.use_system_ca:FALSE "$@"; }

# A fragment from the middle of the server's Certificate (the first one sent): neither the first
# (its frame holds the ServerHello) nor the last (which Wireshark shows, unreassembled).
fragment=$(ts -r "$capture.pcapng" -Y 'dtls.handshake.type == 11 && dtls.handshake.fragment_offset > 0 &&
  dtls.handshake.fragment_offset + dtls.handshake.fragment_length < dtls.handshake.length' \
  -T fields -e frame.number | head -1)
[ -n "$fragment" ] || { echo "FAIL: $capture has no Certificate in 3 fragments or more: the test proves nothing"; exit 1; }

steps=$(ts -r "$capture.pcapng" -2 -Y 'tlsauth.step == "server_certificate"' -T fields -e frame.number | wc -l)
[ "$steps" = 1 ] || { echo "FAIL: $steps frames with a server Certificate step (1 expected)"; exit 1; }

editcap "$capture.pcapng" "$work/lost.pcapng" "$fragment"
chmod a+r "$work/lost.pcapng"
lost=$work_rel/lost.pcapng
steps=$(ts -r "$lost" -2 -Y 'tlsauth.step == "server_certificate"' -T fields -e frame.number | wc -l)
[ "$steps" = 0 ] || { echo "FAIL: fragment $fragment lost, yet $steps server Certificate step(s)"; exit 1; }
summary=$(ts -r "$lost" -2 -Y tlsauth.summary -T fields -E separator='|' -e tlsauth.server.chain_len \
  -e tlsauth.explanation)
case "$summary" in
  "|"*"the server presented a Certificate that is not in the capture"*) ;;
  *) echo "FAIL: fragment $fragment lost; summary: $summary"; exit 1 ;;
esac

last=$(ts -r "$capture.pcapng" -Y 'dtls.handshake.type == 11 && dtls.handshake.fragment_offset > 0 &&
  dtls.handshake.fragment_offset + dtls.handshake.fragment_length == dtls.handshake.length' \
  -T fields -e frame.number | head -1)
editcap -F pcap -r "$capture.pcapng" "$work/middle.pcap" "$fragment"
editcap -F pcap -r "$capture.pcapng" "$work/last.pcap" "$last"
"$udp_join" "$work/middle.pcap" "$work/last.pcap" "$work/joined.pcap"
editcap "$capture.pcapng" "$work/without-last.pcapng" "$last"
mergecap -F pcapng -w "$work/packed.pcapng" "$work/without-last.pcapng" "$work/joined.pcap"
chmod a+r "$work/packed.pcapng"
packed=$work_rel/packed.pcapng
in_last=$(ts -r "$packed" -Y "frame.number == $last && dtls.handshake.type == 11" -T fields \
  -e dtls.handshake.fragment_offset)
[[ $in_last == *,* ]] || { echo "FAIL: frame $last of the packed capture holds one fragment: the test proves nothing"; exit 1; }
steps=$(ts -r "$packed" -2 -Y 'tlsauth.step == "server_certificate"' -T fields -e tlsauth.step)
[ "$steps" = server_certificate ] || { echo "FAIL: fragment $fragment packed with $last: steps '$steps'"; exit 1; }
echo "ok: the server Certificate in fragments is one step; without fragment $fragment, none and said so;" \
  "packed with its last fragment, a middle one is no step"
