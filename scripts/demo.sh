#!/usr/bin/env bash
# Quick start: set up, build, and run tlsauth over the bundled teaching captures, printing one
# line per handshake. As a normal user the plugin is also installed into your Wireshark
# plugin folder; as root (where tshark ignores user plugins) it runs from a staging folder.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${TLSAUTH_BUILD:-$root/build}
"$root/scripts/setup.sh"
"$root/scripts/build.sh" >/dev/null
series=$(sed -n 's/^TLSAUTH_WS_SERIES:[A-Z]*=//p' "$build/CMakeCache.txt")
export TLSAUTH_STAGE=${TLSAUTH_STAGE:-$(mktemp -d /tmp/tlsauth-demo.XXXXXX)}
"$root/tests/lib/stage.sh" "$build/tlsauth.so" "$series" "$root" "$TLSAUTH_STAGE"
if [ "$(id -u)" != 0 ]; then
  cmake --install "$build" >/dev/null && echo "Installed tlsauth.so into your Wireshark $series plugin folder."
fi
{
  printf 'capture\tstream\tversion\tsni\tmode\toutcome\tdrop_by\tdrop_alert\tserver_chain\tclient_chain\n'
  for pcap in "$root"/captures/*.pcapng; do
    name=$(basename "$pcap" .pcapng)
    "$root/tests/lib/tshark.sh" -r "$name.pcapng" -o "tls.keylog_file:$name.keys" -2 -Y tlsauth.summary \
      -T fields -E separator=/t -E occurrence=f -e tcp.stream -e tlsauth.version -e tlsauth.sni \
      -e tlsauth.mode -e tlsauth.outcome -e tlsauth.drop.by -e tlsauth.drop.alert \
      -e tlsauth.server.chain_len -e tlsauth.client.chain_len |
      awk -F'\t' -v OFS='\t' -v n="$name" '{ for (i = 1; i <= NF; i++) if ($i == "") $i = "-"; print n, $0 }'
  done
} | column -t -s $'\t'
rm -rf "$TLSAUTH_STAGE"
