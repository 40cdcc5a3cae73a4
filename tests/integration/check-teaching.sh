#!/usr/bin/env bash
# A teaching capture opens decrypted with no setup (secrets injected), carries packet comments,
# and its handshake stories list frames in order, starting at the ClientHello.
# Usage: TLSAUTH_STAGE=DIR check-teaching.sh CAPTURE
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
capture=$1
cd "$TLSAUTH_STAGE/captures"
secrets=$(capinfos "$capture.pcapng" | sed -n 's/^Number of decryption secrets in file: //p')
comments=$(tshark -r "$capture.pcapng" -Y frame.comment -T fields -e frame.number | grep -c . || true)
[ "${secrets:-0}" -ge 1 ] || { echo "FAIL $capture: no decryption secrets injected"; exit 1; }
[ "$comments" -ge 3 ] || { echo "FAIL $capture: $comments packet comments (3 or more expected)"; exit 1; }
# The stories, one per summary: frames never go back, and the first is the ClientHello.
"$here/../lib/tshark.sh" -r "$capture.pcapng" -2 -Y tlsauth.summary -T fields -E separator=/t \
  -e tlsauth.frame.client_hello -e tlsauth.story.frame | awk -F'\t' -v cap="$capture" '
  { n = split($2, f, ","); if (n < 2) { print "FAIL " cap ": a story of " n " step(s)"; bad = 1 }
    # A post-handshake authentication has no ClientHello of its own.
    if ($1 != "" && f[1] != $1) { print "FAIL " cap ": story starts at frame " f[1] ", ClientHello in " $1; bad = 1 }
    for (i = 2; i <= n; i++) if (f[i] + 0 < f[i - 1] + 0) { print "FAIL " cap ": story goes back at " f[i]; bad = 1 }
    stories++ }
  END { if (!stories) { print "FAIL " cap ": no story"; bad = 1 } exit bad }'
echo "ok: $capture: $secrets secrets block(s), $comments comments, stories in frame order"
