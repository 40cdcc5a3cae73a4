#!/usr/bin/env bash
# Cross-check scenarios.tsv (written from how each scenario was configured) against
# what tshark decodes from the captures + key logs. Prints a diff and fails on mismatch.
# Usage: bash captures/check-captures.sh [NAME...]   (default: every capture in the TSV)
set -euo pipefail
cd "$(dirname "$0")"
names=("$@")
((${#names[@]})) || mapfile -t names < <(tail -n +2 scenarios.tsv | cut -f1 | uniq)

wire() {  # one derived TSV row per TCP connection of capture $1
  timeout 60 tshark -r "$1.pcapng" -o "tls.keylog_file:$1.keys" -Y tls -T fields -E separator=/t \
    -e tcp.stream -e tcp.srcport -e tls.handshake.type -e tls.handshake.certificate_length \
    -e tls.alert_message.level -e tls.alert_message.desc -e tls.record.content_type \
    -e tls.handshake.extensions_server_name -e tls.handshake.extensions.supported_version \
    2>/dev/null | awk -F'\t' -v OFS='\t' -v cap="$1" '
  BEGIN {
    n = split("0 close_notify 10 unexpected_message 20 bad_record_mac 22 record_overflow " \
      "40 handshake_failure 42 bad_certificate 43 unsupported_certificate 44 certificate_revoked " \
      "45 certificate_expired 46 certificate_unknown 47 illegal_parameter 48 unknown_ca " \
      "49 access_denied 50 decode_error 51 decrypt_error 70 protocol_version " \
      "71 insufficient_security 80 internal_error 86 inappropriate_fallback 90 user_canceled " \
      "109 missing_extension 110 unsupported_extension 112 unrecognized_name " \
      "113 bad_certificate_status_response 115 unknown_psk_identity 116 certificate_required " \
      "120 no_application_protocol", a, " ")
    for (i = 1; i < n; i += 2) alname[a[i]] = a[i + 1]
  }
  {
    s = $1 + 1
    if (!(s in cport) && $3 ~ /(^|,)1(,|$)/) { cport[s] = $2; ns = s > ns ? s : ns }
    side = $2 == cport[s] ? "client" : "server"
    nt = split($3, t, ",")
    for (i = 1; i <= nt; i++) {
      if (t[i] == 2) ver[s] = $9 ~ /0x0304/ ? "TLSv1.3" : "TLSv1.2"
      if (t[i] == 11) chain[s, side] = $4 == "" ? 0 : split($4, x, ",")
      if (t[i] == 13) creq[s] = 1
    }
    if ($8 != "") sni[s] = $8
    na = split($6, d, ","); split($5, l, ",")
    for (i = 1; i <= na; i++) {
      if (!(s in first)) first[s] = side "\t" alname[d[i]]
      if (l[i] == 2 && !(s in fatal)) fatal[s] = side "\t" alname[d[i]]
    }
    if ($7 ~ /(^|,)23(,|$)/) app[s, side] = 1
  }
  END {
    for (s = 1; s <= ns; s++) {
      sc = (s, "server") in chain ? chain[s, "server"] : "-"
      cc = (s, "client") in chain ? chain[s, "client"] : "-"
      mode = creq[s] ? (cc > 0 ? "mutual" : "mutual-requested") : sc == "-" ? "resumed" : "one-way"
      out = s in fatal ? "aborted" : "completed"
      drop = s in fatal ? fatal[s] : "-\t-"
      if (!(s in fatal) && !app[s, "client"] && !app[s, "server"] && (s in first)) { drop = first[s]; out = "aborted" }
      # a clean success must carry application data both ways
      if (drop == "-\t-" && !(app[s, "client"] && app[s, "server"])) out = out "-without-appdata"
      print cap, s, ver[s], sni[s], mode, out, drop, sc, cc
    }
  }'
}

diff <(for n in "${names[@]}"; do awk -F'\t' -v n="$n" '$1 == n' scenarios.tsv | cut -f1-10; done) \
     <(for n in "${names[@]}"; do wire "$n"; done) \
  && echo "OK: ${#names[@]} captures match scenarios.tsv" \
  || { echo "MISMATCH (< scenarios.tsv, > decoded from the capture)" >&2; exit 1; }
