#!/usr/bin/env bash
# The -z tlsauth,handshakes report over one capture, with -q, single- or two-pass: every row must
# match the capture's expectations in scenarios.tsv, and the summary report must count them.
# Usage: TLSAUTH_STAGE=DIR check-report.sh CAPTURE 1|2
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
capture=$1 passes=$2
tsv="$TLSAUTH_STAGE/captures/scenarios.tsv"
args=(-r "$capture.pcapng" -o "tls.keylog_file:$capture.keys" -o tlsauth.ca_file:pki/ca.pem
      -o tlsauth.use_system_ca:FALSE -q -z tlsauth,handshakes -z tlsauth,summary)
[ "$passes" = 2 ] && args+=(-2)
needs=$(awk -F'\t' -v cap="$capture" 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
  $1 == cap && ("needs" in col) && $col["needs"] != "-" && $col["needs"] != "" { print $col["needs"] }' "$tsv" | sort -u)
for need in $needs; do args+=(-o "tlsauth.$need"); done
output=$("$here/../lib/tshark.sh" "${args[@]}")

# The handshakes table, cut at its heading's column starts: conn sni version mode chains outcome drop.
actual=$(printf '%s\n' "$output" | awk -v OFS='\t' '
  /^Stream  / { n = split("Stream Client Server SNI Version Mode Server@chain Client@chain Outcome Dropped@by@/@how Frames", h, " ")
                for (i = 1; i <= n; i++) { name = h[i]; gsub("@", " ", name); start[i] = index($0, name) }
                start[n + 1] = 10000; table = 1; next }
  table && /^[0-9]+ handshakes?$/ { table = 0 }
  table && NF { for (i = 1; i <= 11; i++) { c = substr($0, start[i], start[i + 1] - start[i]); sub(/ +$/, "", c); cell[i] = c }
                # Connections numbered in stream order; "7#2" is the second handshake of stream 7.
                stream = cell[1]; sub(/#.*/, "", stream)
                if (!(stream in conn)) conn[stream] = ++conns
                print conn[stream], cell[4], cell[5], cell[6], cell[7], cell[8], cell[9], cell[10] }')

expected=$(awk -F'\t' -v OFS='\t' -v cap="$capture" '
  NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
  function chain(side,   v, p) {
    if (!((side "_verdict") in col)) return "?"
    v = $col[side "_verdict"]; p = $col[side "_problems"]
    if (v == "-") return $col[side "_chain_len"] == "0" ? "0 certs" : "-"
    if (p != "-" && p != "") { gsub(",", ", ", p); v = v " (" p ")" }
    return v
  }
  $col["capture"] == cap {
    drop = $col["drop_by"] == "-" ? "-" : $col["drop_by"] " / " $col["drop_alert"]
    print $col["conn"], $col["sni"], $col["version"], $col["mode"], chain("server"), chain("client"),
          $col["outcome"], drop
  }' "$tsv" | sort -s -n -k1,1)

# Columns the scenarios do not give ("?") are not compared.
mismatch=$(paste <(echo "$expected") <(echo "$actual") | awk -F'\t' '{
  for (i = 1; i <= 8; i++) if ($i != "?" && $i != $(i + 8)) { print "row " $1 ": column " i ": expected \"" $i "\", got \"" $(i + 8) "\""; bad = 1 } }
  END { exit bad }') || true
rows_expected=$(echo "$expected" | grep -c .)
rows_actual=$(echo "$actual" | grep -c . || true)
total=$(printf '%s\n' "$output" | awk '/^Handshakes by outcome:/ { on = 1; next } on && /^  / { s += $NF; next } on { on = 0 } END { print s + 0 }')
if [ -n "$mismatch" ] || [ "$rows_expected" != "$rows_actual" ] || [ "$total" != "$rows_expected" ]; then
  echo "MISMATCH in the report for $capture ($passes pass): $rows_actual rows, $total counted, $rows_expected expected"
  echo "$mismatch"
  printf '%s\n' "$output"
  exit 1
fi
echo "ok: report for $capture ($passes pass): $rows_actual row(s) as expected"
