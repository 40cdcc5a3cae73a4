#!/usr/bin/env bash
# Quick start: set up, build, and run tlsauth over the bundled teaching captures, trusting the
# bundled test CA (and its CRL), then print the handshakes report and the summary.
# As a normal user the plugin is also installed into your Wireshark plugin folder; as root
# (where tshark ignores user plugins) it runs from a staging folder.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${TLSAUTH_BUILD:-$root/build}
"$root/scripts/setup.sh"
"$root/scripts/build.sh" >/dev/null
series=$(sed -n 's/^TLSAUTH_WS_SERIES:[A-Z]*=//p' "$build/CMakeCache.txt")
export TLSAUTH_STAGE=${TLSAUTH_STAGE:-$(mktemp -d /tmp/tlsauth-demo.XXXXXX)}
trap 'rm -rf "$TLSAUTH_STAGE"' EXIT
"$root/tests/lib/stage.sh" "$build/tlsauth.so" "$series" "$root" "$TLSAUTH_STAGE"
if [ "$(id -u)" != 0 ]; then
  cmake --install "$build" >/dev/null && echo "Installed tlsauth.so into your Wireshark $series plugin folder."
fi
# All the captures as one, with all their key logs: one report for the whole course.
cd "$TLSAUTH_STAGE/captures"
mergecap -w all.pcapng $(ls *.pcapng | grep -v '\.nokeys\.')
cat *.keys > all.keys
chmod a+r all.pcapng all.keys
echo "tlsauth over $(ls *.keys | grep -vc '^all') teaching captures (captures/README.md tells each story):"
"$root/tests/lib/tshark.sh" -r all.pcapng -o tls.keylog_file:all.keys -o tlsauth.ca_file:pki/ca.pem \
  -o tlsauth.use_system_ca:FALSE -o tlsauth.crl_file:pki/crl.pem -q -z tlsauth,summary -z tlsauth,handshakes
