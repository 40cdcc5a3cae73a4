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
# Each step reads as its TLS message (the RFCs' names: the token without underscores, three
# spelled out here), the top line names the frame's steps, first its first, and a Certificate step gives
# a chain length the scenario was made with.
chains=$(awk -F'\t' -v cap="$capture" 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
  $1 == cap { print "server_certificate", $col["server_chain_len"]; print "client_certificate", $col["client_chain_len"] }' \
  scenarios.tsv | sort -u)
"$here/../lib/tshark.sh" -r "$capture.pcapng" -2 -T pdml | awk -v cap="$capture" -v chains="$chains" '
  BEGIN {
    n = split(chains, line, "\n")
    for (i = 1; i <= n; i++) { split(line[i], kv, " "); made[kv[1], kv[2]] = 1 }
    name["record_without_handshake"] = "tlsrecord"
  }
  function attr(a,   v) { v = $0; if (!sub(".*" a "=\"", "", v)) return ""; sub("\".*", "", v); return v }
  /<proto name="tlsauth"/ { top = attr("showname"); first = 1; next }
  /<field name="tlsauth.step"/ {
    token = attr("show"); label = attr("showname"); sub(/^Step: /, "", label); steps++
    want = (token in name) ? name[token] : token; gsub(/_/, "", want)
    read = tolower(label); sub(/[:(].*/, "", read); gsub(/[^a-z]/, "", read)
    if (index(read, want) != 1) { print "FAIL " cap ": step " token " reads \"" label "\""; bad = 1 }
    # One step: the top line ends with its text; several: it lists their labels, the first first.
    short = label; sub(/ \(.*/, "", short); sub(/: .*/, "", short)
    listed = top; sub(/^TLS Authentication Analysis: handshake [0-9]+: /, "", listed)
    if (first && !((top ~ /^TLS Authentication Analysis: handshake [0-9]+, / &&
                    substr(top, length(top) - length(label) + 1) == label) ||
                   (listed != top && index(listed, short) == 1))) {
      print "FAIL " cap ": top line \"" top "\" does not start with its first step \"" short "\""; bad = 1
    }
    first = 0
    if (token ~ /_certificate$/) {
      len = label ~ /: empty/ ? 0 : label
      if (len != 0) { sub(/.*chain of /, "", len); sub(/ .*/, "", len) }
      if (!made[token, len]) { print "FAIL " cap ": " token " of " len ", not a chain the scenario sent"; bad = 1 }
    }
  }
  END { if (!steps) { print "FAIL " cap ": no step"; bad = 1 } exit bad }'
echo "ok: $capture: $secrets secrets block(s), $comments comments, stories in frame order, steps read as their messages"
