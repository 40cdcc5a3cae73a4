#!/usr/bin/env bash
# An ICMP error quotes a packet of the connection it reports on, and Wireshark dissects the quote
# down to TCP's flags and TLS's records: it is not that connection's traffic. Into a scenario
# capture go ICMP errors forged as anyone who knows the addresses and ports could: one quoting the
# server's first acknowledgement with RST set, two quoting the ClientHello and the server's
# Certificate, records and all. The verdict stays the scenario's, in one pass and in two, and no
# ICMP frame gets a tlsauth tree.
# Usage: TLSAUTH_STAGE=DIR check-icmp-errors.sh ICMP_ERROR   (built from tests/lib/icmp_error.c)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
icmp_error=$1
capture=tls12-mutual-openssl
expected=$(awk -F'\t' -v OFS='\t' -v cap="$capture" 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
  $1 == cap { print $col["mode"], $col["outcome"] }' "$here/../../captures/scenarios.tsv")
. "$here/../lib/scratch.sh"
cd "$TLSAUTH_STAGE/captures"
ts() { "$here/../lib/tshark.sh" -o "tls.keylog_file:$capture.keys" -o tlsauth.use_system_ca:FALSE "$@"; }
first() { ts -r "$capture.pcapng" -Y "$1" -T fields -e frame.number | head -1; }

hello=$(first 'tls.handshake.type == 1')
port=$(ts -r "$capture.pcapng" -Y "frame.number == $hello" -T fields -e tcp.dstport)
ack=$(first "tcp.srcport == $port && tcp.len == 0 && frame.number > $hello")
certificate=$(first "tcp.srcport == $port && tls.handshake.type == 11")
quote() {  # quote FRAME [TCP_FLAGS]: an ICMP error about that frame, in $work/icmp-FRAME.pcap
  editcap -F pcap -r "$capture.pcapng" "$work/frame-$1.pcap" "$1"
  "$icmp_error" "$work/frame-$1.pcap" "$work/icmp-$1.pcap" "${@:2}"
}
quote "$ack" 0x14
quote "$hello"
quote "$certificate"
mergecap -F pcapng -w "$work/forged.pcapng" "$capture.pcapng" "$work"/icmp-*.pcap
chmod a+r "$work/forged.pcapng"
forged=$work_rel/forged.pcapng

# Wireshark must dissect the quotes, or this test proves nothing.
count() { ts -r "$forged" -Y "$1" | wc -l; }
[ "$(count 'icmp && tcp.flags.reset == 1')" = 1 ] || { echo "FAIL: no quoted RST in the forged capture"; exit 1; }
[ "$(count 'icmp && tls.handshake.type == 1')" = 1 ] || { echo "FAIL: no quoted ClientHello"; exit 1; }
[ "$(count 'icmp && tls.handshake.type == 11')" = 1 ] || { echo "FAIL: no quoted Certificate"; exit 1; }

for passes in 1 2; do
  two=(); [ "$passes" = 2 ] && two=(-2)
  got=$(ts -r "$forged" "${two[@]}" -Y tlsauth.summary -T fields -e tlsauth.mode -e tlsauth.outcome)
  [ "$got" = "$expected" ] || { echo "FAIL ($passes pass): summary '$got', the scenario's is '$expected'"; exit 1; }
  [ "$(count 'icmp && tlsauth')" = 0 ] || { echo "FAIL ($passes pass): ICMP errors analysed as the connection's"; exit 1; }
done
echo "ok: ICMP errors quoting frames $ack (RST set), $hello and $certificate leave the verdict as the scenario's"
