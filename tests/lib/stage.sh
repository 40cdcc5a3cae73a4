#!/usr/bin/env bash
# Stage the freshly built plugin and the captures where an unprivileged tshark can read them.
# As root, tshark ignores user plugin folders, so tests run it as nobody (see tshark.sh),
# and nobody may not be able to enter the source or build tree.
# Usage: stage.sh PLUGIN_SO WIRESHARK_SERIES SOURCE_DIR STAGE_DIR
set -euo pipefail
plugin=$1 series=$2 src=$3 stage=$4
rm -rf "$stage"
mkdir -p "$stage/home/.local/lib/wireshark/plugins/$series/epan" "$stage/captures"
cp "$plugin" "$stage/home/.local/lib/wireshark/plugins/$series/epan/"
cp "$src"/captures/*.pcapng "$src"/captures/*.keys "$src"/captures/scenarios.tsv "$stage/captures/"
cp -r "$src/captures/pki" "$stage/captures/"
# Copies without the injected TLS secrets, for the tests of what tlsauth sees without keys.
for pcap in "$stage"/captures/*.pcapng; do
  editcap --discard-all-secrets "$pcap" "${pcap%.pcapng}.nokeys.pcapng"
done
chmod -R a+rX "$stage"
chmod a+rx "$(dirname "$stage")" 2>/dev/null || true
if [ "$(id -u)" = 0 ]; then chown -R 65534:65534 "$stage"; fi
