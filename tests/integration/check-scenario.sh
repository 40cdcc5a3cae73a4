#!/usr/bin/env bash
# Run tshark with tlsauth over one capture and compare each handshake's summary with the
# expectations written by hand in captures/scenarios.tsv (from how the capture was made).
# Usage: TLSAUTH_STAGE=DIR check-scenario.sh CAPTURE keys|nokeys 1|2
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
capture=$1 keys=$2 passes=$3
tsv="$TLSAUTH_STAGE/captures/scenarios.tsv"

pcap="$capture.pcapng"
[ "$keys" = keys ] || pcap="$capture.nokeys.pcapng"
args=(-r "$pcap" -Y tlsauth.summary -T fields -E separator=/t -o tlsauth.ca_file:pki/ca.pem
      -o tlsauth.use_system_ca:FALSE
      -e tcp.stream -e tlsauth.version -e tlsauth.sni -e tlsauth.mode -e tlsauth.outcome
      -e tlsauth.drop.by -e tlsauth.drop.alert -e tlsauth.server.chain_len -e tlsauth.client.chain_len
      -e tlsauth.server.verdict -e tlsauth.server.problem -e tlsauth.client.verdict -e tlsauth.client.problem
      -e tlsauth.server.ocsp -e tlsauth.frame.resumed_from -e tlsauth.explanation
      -e tlsauth.server.proof -e tlsauth.client.proof)
# Extra preferences a scenario needs (a CRL file, ...), as NAME:VALUE.
needs=$(awk -F'\t' -v cap="$capture" 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
  $1 == cap && ("needs" in col) && $col["needs"] != "-" && $col["needs"] != "" { print $col["needs"] }' "$tsv" | sort -u)
for need in $needs; do args+=(-o "tlsauth.$need"); done
if [ "$keys" = keys ]; then
  args+=(-o "tls.keylog_file:$capture.keys")
else
  args+=(-o "tls.keylog_file:")
fi
[ "$passes" = 2 ] && args+=(-2)

raw=$("$here/../lib/tshark.sh" "${args[@]}")
actual=$(printf '%s\n' "$raw" | cut -f1-15,17,18)

# Expected rows: the scenario's columns, with the no-keys column where one is given.
expected=$(awk -F'\t' -v cap="$capture" -v keys="$keys" -v passes="$passes" '
  NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
  function pick(name,   v) {
    v = $col[name]
    if (keys == "nokeys" && ((name "_nokeys") in col) && $col[name "_nokeys"] != "") v = $col[name "_nokeys"]
    return v
  }
  # A handshake that cannot be seen without keys (a renegotiation inside TLS 1.3...) has mode_nokeys "-".
  $col["capture"] == cap && !(keys == "nokeys" && ("mode_nokeys" in col) && $col["mode_nokeys"] == "-") {
    ocsp = ("ocsp" in col) ? $col["ocsp"] : "-"
    if (keys == "nokeys" && pick("version") == "TLSv1.3") ocsp = "-"
    # drop_alert_nokeys "incomplete": without keys the end cannot be read (QUIC): the handshake
    # stays incomplete, which only a two-pass run summarises.
    outcome = pick("outcome"); drop_by = pick("drop_by"); drop_alert = pick("drop_alert")
    if (keys == "nokeys" && drop_alert == "incomplete") {
      if (passes == 1) next
      outcome = "incomplete"; drop_by = "-"; drop_alert = "-"
    }
    printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", $col["conn"], pick("version"),
      pick("sni"), pick("mode"), outcome, drop_by, drop_alert,
      pick("server_chain_len"), pick("client_chain_len"), pick("server_verdict"), pick("server_problems"),
      pick("client_verdict"), pick("client_problems"), ocsp, pick("resumes"), pick("server_proof"),
      pick("client_proof")
  }' "$tsv" | sort -s -n -k1,1)
awk -F'\t' -v cap="$capture" '$1 == cap { found = 1 } END { exit !found }' "$tsv" ||
  { echo "no expectations for $capture in scenarios.tsv"; exit 1; }

# Actual rows: connections numbered in tcp.stream order, absent fields shown as "-". The frame a
# resumption links to becomes the connection it belongs to (its stream, from tshark alone).
frame_streams=/dev/null
if printf '%s\n' "$actual" | awk -F'\t' '$15 != "" { found = 1 } END { exit !found }'; then
  frame_streams=$(mktemp)
  trap 'rm -f "$frame_streams"' EXIT
  "$here/../lib/tshark.sh" -r "$pcap" -T fields -e frame.number -e tcp.stream >"$frame_streams"
fi
actual=$(printf '%s\n' "$actual" | awk -F'\t' -v OFS='\t' '
  NF { for (i = 2; i <= 17; i++) if ($i == "") $i = "-"; print }' | sort -s -n -k1,1 |
  awk -F'\t' -v OFS='\t' -v frame_streams="$frame_streams" '
    BEGIN { while ((getline line < frame_streams) > 0) { split(line, f, "\t"); stream_of[f[1]] = f[2] } }
    { if (!($1 in conn)) conn[$1] = ++n; $1 = conn[$1]
      if ($15 != "-") $15 = ($15 in stream_of) && (stream_of[$15] in conn) ? conn[stream_of[$15]] : "frame " $15
      print }')

if [ "$actual" != "$expected" ]; then
  echo "MISMATCH for $capture ($keys, $passes pass)"
  echo "columns: conn version sni mode outcome drop_by drop_alert server_chain_len client_chain_len"
  echo "         server_verdict server_problems client_verdict client_problems ocsp resumes"
  echo "         server_proof client_proof"
  diff <(echo "$expected") <(echo "$actual") | sed 's/^</expected:/; s/^>/actual:  /'
  exit 1
fi
# The explanation tells the same story as the fields the scenario fixed: who dropped, with which
# alert, or which mode was established.
printf '%s\n' "$raw" | awk -F'\t' -v cap="$capture" '
  function fail(why) { print "FAIL " cap ": " why ": " $16; bad = 1 }
  NF && $4 !~ /,/ {   # one handshake per summary frame (several would join their fields by commas)
    text = tolower($16)
    # Established: the mode as read, as inferred without keys, or a later client authentication.
    if ($5 == "completed" && ($4 == "one-way" || $4 == "mutual") && index(text, $4 " tls established") != 1 &&
        index(text, "its mode, " $4 ", is inferred") == 0 &&
        !($4 == "mutual" && index(text, "post-handshake authentication succeeded") == 1)) fail("does not say " $4)
    if ($5 == "aborted" && index(text, "the " $6 " ") != 1) fail("does not start with the " $6 ", who dropped")
    alert = $7; gsub(/_/, " ", alert)   # unassigned_alert reads "unassigned alert"
    if ($5 == "aborted" && $7 !~ /^(fin|rst|encrypted|eap_failure|connection_close|)$/ && index(text, "alert " $7) == 0 && index(text, alert) == 0)
      fail("does not name alert " $7)
  }
  END { exit bad }'
echo "ok: $capture ($keys, $passes pass): $(echo "$expected" | wc -l) handshake(s) as expected"
