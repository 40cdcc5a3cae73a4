#!/usr/bin/env bash
# A capture that starts after the handshake (the first 9 frames of a mutual TLS 1.2 connection cut
# away, up to its client Finished) still gets one summary in two-pass mode: mode unknown, outcome
# incomplete, and the explanation says the handshake was not captured. The direction is not guessed.
# Usage: TLSAUTH_STAGE=DIR check-mid-connection.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/scratch.sh"
editcap -r "$TLSAUTH_STAGE/captures/tls12-mutual-openssl.pcapng" "$work/cut.pcapng" 10-1000
chmod a+r "$work/cut.pcapng"
got=$("$here/../lib/tshark.sh" -r "$work_rel/cut.pcapng" -2 -Y tlsauth.summary \
  -T fields -E separator='|' -e tlsauth.mode -e tlsauth.outcome -e tlsauth.drop.by -e tlsauth.explanation)
case "$got" in
  "unknown|incomplete||The handshake of this connection is not in the capture"*) echo "ok: $got" ;;
  *) echo "MISMATCH: expected one summary unknown|incomplete, not captured; got: $got"; exit 1 ;;
esac
