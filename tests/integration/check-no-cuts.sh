#!/usr/bin/env bash
# Nothing tlsauth prints is cut by Wireshark's label limit (240 bytes, ITEM_LABEL_LENGTH), over
# every capture of scenarios.tsv with its keys, in two passes: no tlsauth tree line marked
# "[truncated]", and every tlsauth expert message (-z expert) a whole sentence: shorter than the
# limit and ending as a sentence ends.
# Usage: TLSAUTH_STAGE=DIR check-no-cuts.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tsv="$TLSAUTH_STAGE/captures/scenarios.tsv"
failed=0
checked=0
for capture in $(awk -F'\t' 'NR > 1 { print $1 }' "$tsv" | sort -u); do
  out=$("$here/../lib/tshark.sh" -r "$capture.pcapng" -o "tls.keylog_file:$capture.keys" -o tlsauth.ca_file:pki/ca.pem \
        -o tlsauth.use_system_ca:FALSE -2 -V -O tlsauth -z expert,comment 2>&1)
  # The tlsauth part of each packet's tree: from its protocol line to the next top-level line.
  cut_lines=$(awk '/^TLS Authentication Analysis/ { on = 1; next } /^[^ ]/ { on = 0 } on && /\[truncated\]/' <<<"$out")
  [ -z "$cut_lines" ] || { echo "FAIL $capture: cut in the tree:"; head -3 <<<"$cut_lines"; failed=1; }
  bad_experts=$(awk -F'  +' '/^ *[0-9]+ +[A-Za-z]+ +TLSAUTH +/ { msg = $0; sub(/^ *[0-9]+ +[A-Za-z]+ +TLSAUTH +/, "", msg)
                  if (length(msg) >= 239 || msg !~ /[.)]$/) print length(msg) ": " msg }' <<<"$out")
  [ -z "$bad_experts" ] || { echo "FAIL $capture: expert messages cut or unfinished:"; head -3 <<<"$bad_experts"; failed=1; }
  grep -q ' TLSAUTH ' <<<"$out" || { echo "FAIL $capture: no tlsauth expert item at all"; failed=1; }
  checked=$((checked + 1))
done
[ $failed = 0 ] && echo "ok: $checked captures, no tlsauth text cut in the tree or in expert items"
exit $failed
