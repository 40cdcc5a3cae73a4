#!/usr/bin/env bash
# Cross-check scenarios.tsv (written from how each scenario was configured) against
# what tshark decodes from the captures + key logs. Prints a diff and fails on mismatch.
# Also checks, per capture: the verdict and ocsp columns against openssl (verify -attime =
# capture time, ocsp status of the staple), that the certificates come from the current pki/
# (after make-pki.sh every capture must be regenerated), and the teaching extras (injected
# secrets, capture and packet comments).
# Usage: bash captures/check-captures.sh [NAME...]   (default: every capture in the TSV)
# CAPTURES_DIR=DIR reads NAME.pcapng / NAME.keys from DIR (make-captures.sh checks its work);
# SCENARIOS_TSV=FILE reads the expectations from FILE (make-breadth-captures.sh: its new rows).
set -euo pipefail
cd "$(dirname "$0")"
dir=${CAPTURES_DIR:-.}
tsv=${SCENARIOS_TSV:-scenarios.tsv}
names=("$@")
((${#names[@]})) || mapfile -t names < <(tail -n +2 "$tsv" | cut -f1 | uniq)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*" >&2; fail=1; }

# QUIC (TLS 1.3 in CRYPTO frames), for fields: the same columns, conn-id = quic.connection.number;
# a CONNECTION_CLOSE with a crypto error (0x0100 + alert) is a fatal alert; a STREAM frame (types
# 0x08-0x0f, only in 0-RTT/1-RTT packets) is application data (content type 23).
quic_fields() {
  timeout 60 tshark -r "$dir/$1.pcapng" -o "tls.keylog_file:$dir/$1.keys" -Y quic -T fields -E separator=/t \
    -e quic.connection.number -e udp.srcport -e tls.handshake.type -e tls.handshake.certificate_length \
    -e quic.cc.error_code.tls_alert -e quic.frame_type -e tls.handshake.extensions_server_name \
    -e tls.handshake.extensions.supported_version -e frame.time_epoch -e tls.handshake.certificate \
    -e ocsp.certStatus 2>/dev/null | awk -F'\t' -v OFS='\t' '{
      split($1, c, ","); lv = $5; gsub(/[0-9]+/, "2", lv); app = ""
      nf = split($6, f, ","); for (i = 1; i <= nf; i++) if (f[i] >= 8 && f[i] <= 15) app = 23
      print "quic", c[1], $2, $3, $4, lv, $5, app, $7, $8, $9, $10, $11, "" }'
}
# fields NAME: the decoded records of a capture, one line per frame (TLS over TCP, or DTLS over
# UDP when the capture holds DTLS), decrypted with its key log:
# conn-id srcport hs-types cert-lengths alert-levels alert-descs content-types sni
# supported-versions time certificates ocsp-status opaque-types
fields() {
  local pr=tls l4=tcp eap=()
  if timeout 60 tshark -r "$dir/$1.pcapng" -Y quic -c 1 2>/dev/null | grep -q .; then quic_fields "$1"; return; fi
  if timeout 60 tshark -r "$dir/$1.pcapng" -Y dtls -c 1 2>/dev/null | grep -q .; then pr=dtls l4=udp; fi
  local filter=$pr
  # TLS inside EAP (EAP-TLS, PEAP; over RADIUS or EAPOL): conn = udp.stream (EAPOL: none, conn 1);
  # the side (2nd field) is the first (outer) EAP code instead of the port: 2 = Response = the
  # peer (the TLS client). Also EAP-Success/Failure frames, with "eap:" + the EAP codes as a 14th field:
  # EAP-TLS carries no application data, its success is the EAP-Success (see wire).
  # (no -c 1: it stops after the first frame read, and an EAPOL capture starts with an EAPOL-Start)
  if [[ $pr == tls ]] && timeout 60 tshark -r "$dir/$1.pcapng" -Y eap 2>/dev/null | grep -q .; then
    l4=udp filter='tls || eap.code == 3 || eap.code == 4' eap=(-e eap.code)
  fi
  timeout 60 tshark -r "$dir/$1.pcapng" -o "tls.keylog_file:$dir/$1.keys" -Y "$filter" -T fields -E separator=/t \
    -e $l4.stream -e $l4.srcport -e $pr.handshake.type -e $pr.handshake.certificate_length \
    -e $pr.alert_message.level -e $pr.alert_message.desc -e $pr.record.content_type \
    -e $pr.handshake.extensions_server_name -e $pr.handshake.extensions.supported_version \
    -e frame.time_epoch -e $pr.handshake.certificate -e ocsp.certStatus -e tls.record.opaque_type \
    "${eap[@]}" -e $pr.handshake.version 2>/dev/null | awk -F'\t' -v OFS='\t' -v e=${#eap[@]} '{ if (e) { $2 = $14; sub(/,.*/, "", $2); $14 = "eap:" $14 }; print }' |
    sed "s/^/$pr\t/"
}
# closes NAME: "stream srcport rst(0/1) time" of the first FIN or RST of each TCP connection
# (make-wire-captures.sh: handshakes that end with a close and no alert, drop_alert fin/rst).
closes() {
  timeout 60 tshark -r "$dir/$1.pcapng" -Y 'tcp.flags.fin == 1 || tcp.flags.reset == 1' -T fields \
    -e tcp.stream -e tcp.srcport -e tcp.flags.reset -e frame.time_epoch 2>/dev/null |
    awk '!seen[$1]++ { print $1, $2, $3 == 1 || $3 == "True", $4 }'
}
# psk_ids NAME: "stream ch|nst hex" lines, in frame order: each PSK identity offered in a TLS 1.3
# ClientHello (ch) and each ticket a server issued (nst). An identity never issued as a ticket
# earlier in the capture is an external PSK: no certificate, mode psk (make-shape-captures.sh).
psk_ids() {
  timeout 60 tshark -r "$dir/$1.pcapng" -o "tls.keylog_file:$dir/$1.keys" -T fields \
    -Y 'tls.handshake.extensions.psk.identity.identity || tls.handshake.session_ticket' -e tcp.stream \
    -e tls.handshake.extensions.psk.identity.identity -e tls.handshake.session_ticket 2>/dev/null |
    awk -F'\t' '{ n = split($2, a, ","); for (i = 1; i <= n; i++) print $1, "ch", a[i]
      n = split($3, a, ","); for (i = 1; i <= n; i++) print $1, "nst", a[i] }'
}
# The handshakes of each connection (awk, over fields' lines): conn = stream + 1, hs = 1, 2...
# A ClientHello starts a new handshake once the current one has the server's Finished
# (renegotiation; not after a HelloRetryRequest or a HelloVerifyRequest). In TLS 1.3 a
# CertificateRequest from the server after the client's Finished starts a post-handshake
# authentication: a handshake of its own, on the same connection (same version and SNI).
# For each message: msg(s, h, side, type) is called after the split; per frame, frame(s, h, side).
SPLIT='
  # The version of a ServerHello frame: $9 supported_versions; the last field ($NF) = the handshake
  # versions (fields()): TLS 1.3 drafts (0x7fNN) and the pre-standard DTLS 0x0100 of old OpenSSL too.
  function hexv(d) { d = tolower(d); return (index("0123456789abcdef", substr(d, 1, 1)) - 1) * 16 + index("0123456789abcdef", substr(d, 2, 1)) - 1 }
  function version(proto) {
    if (match($9, /0x7f[0-9a-fA-F][0-9a-fA-F]/)) return "TLSv1.3-draft" hexv(substr($9, RSTART + 4, 2))
    if (proto == "dtls" && $NF ~ /^0x0100/) return "DTLSv1.0-pre"
    if (proto == "tls" && $NF ~ /^0x030[12]/) return $NF ~ /^0x0301/ ? "TLSv1.0" : "TLSv1.1"
    return proto == "dtls" ? ($9 ~ /0xfefc/ ? "DTLSv1.3" : "DTLSv1.2") : ($9 ~ /0x0304/ ? "TLSv1.3" : "TLSv1.2")
  }
  function start(s, pha) {
    nh[s]++; h = nh[s]
    if (pha) { ver[s, h] = ver[s, h - 1]; sni[s, h] = sni[s, h - 1]; post[s, h] = 1 }
  }
  {
    proto = $1; $0 = substr($0, index($0, "\t") + 1)
    s = $1 + 1
    nt = split($3, t, ",")
    if (!(s in cport)) for (i = 1; i <= nt; i++) if (t[i] == 1) { cport[s] = $2; ns = s > ns ? s : ns }
    if (!(s in cport)) next
    side = $2 == cport[s] ? "client" : "server"
    for (i = 1; i <= nt; i++) {
      h = nh[s]
      if (t[i] == 1 && side == "client" && (!h || fin[s, h, "server"])) start(s, 0)
      else if (t[i] == 13 && side == "server" && ver[s, h] == "TLSv1.3" && fin[s, h, "client"]) start(s, 1)
      h = nh[s]
      if (t[i] == 2) ver[s, h] = version(proto)
      if (t[i] == 20) fin[s, h, side] = 1
      if (t[i] == 1 && $8 != "") sni[s, h] = $8
      msg(s, h, side, t[i])
    }
    frame(s, nh[s], side)
  }'

wire() {  # one derived TSV row per handshake (per TCP connection but for renegotiations...)
  closes "$1" >"$tmp/closes"; psk_ids "$1" >"$tmp/psk"
  fields "$1" | awk -F'\t' -v OFS='\t' -v cap="$1" -v closes="$tmp/closes" -v psk="$tmp/psk" '
  BEGIN {
    while ((getline line <psk) > 0) { split(line, p, " ")
      if (p[2] == "nst") issued[p[3]] = 1; else if (p[3] in issued) resumption[p[1] + 1] = 1; else external[p[1] + 1] = 1 }
    while ((getline line <closes) > 0) { split(line, c, " "); closer[c[1] + 1] = c[2]; rst[c[1] + 1] = c[3]; closet[c[1] + 1] = c[4] + 0 }
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
  function msg(s, h, side, type) {
    if (type == 11) chain[s, h, side] = $4 == "" ? 0 : split($4, x, ",")
    if (type == 13) creq[s, h] = 1
    if (type == 14) shd[s, h] = 1
  }
  function frame(s, h, side,   na, i, d, l) {
    na = split($6, d, ","); split($5, l, ",")
    for (i = 1; i <= na; i++) {
      if (!((s, h) in first)) { first[s, h] = side "\t" alname[d[i]]; firstt[s, h] = $10 + 0 }
      if (l[i] == 2 && !((s, h) in fatal)) fatal[s, h] = side "\t" alname[d[i]]
    }
    # application data; in TLS 1.3 also a record that stayed opaque although the keys were
    # there (Wireshark 4.0 loses the client keys after a post-handshake Finished)
    if ($7 ~ /(^|,)23(,|$)/ || ($13 != "" && $7 == "" && $3 == "")) app[s, h, side] = 1
    # EAP (14th field "eap:CODES"): EAP-Success completes the authentication (as application
    # data both ways would); an EAP-Failure without a fatal alert before it: the server dropped it
    if ($14 ~ /^eap:3/) app[s, h, "client"] = app[s, h, "server"] = 1
    if ($14 ~ /^eap:4/ && !((s, h) in fatal)) fatal[s, h] = "server\teap_failure"
  }
  '"$SPLIT"'
  END {
    for (s = 1; s <= ns; s++) for (h = 1; h <= nh[s]; h++) {
      sc = (s, h, "server") in chain ? chain[s, h, "server"] : "-"
      cc = (s, h, "client") in chain ? chain[s, h, "client"] : "-"
      # no Certificate at all: resumed if the server finished, else it ended before any (unknown);
      # psk: a full TLS 1.2 handshake (ServerHelloDone) without Certificate (PSK suites), or TLS 1.3
      # with an external PSK (identities offered, none a ticket issued earlier in the capture)
      bypsk = ver[s, h] == "TLSv1.3" ? (s in external) && !(s in resumption) : shd[s, h]
      mode = creq[s, h] ? (cc > 0 ? "mutual" : "mutual-requested") : sc == "-" ? (fin[s, h, "server"] ? (bypsk ? "psk" : "resumed") : "unknown") : "one-way"
      out = (s, h) in fatal ? "aborted" : "completed"
      drop = (s, h) in fatal ? fatal[s, h] : "-\t-"
      if (!((s, h) in fatal) && !app[s, h, "client"] && !app[s, h, "server"] && ((s, h) in first)) { drop = first[s, h]; out = "aborted" }
      # no application data, and a FIN or RST (TCP) before any alert: the side that closed first
      # dropped it (an alert the other side sends afterwards only answers the close)
      if (!app[s, h, "client"] && !app[s, h, "server"] && h == nh[s] && (s in closer) &&
          (!((s, h) in first) || closet[s] < firstt[s, h])) {
        drop = (closer[s] == cport[s] ? "client" : "server") "\t" (rst[s] ? "rst" : "fin"); out = "aborted"
      }
      # a clean success must carry application data both ways (or, when another handshake follows
      # on the connection - a renegotiation or post-handshake authentication before any data -,
      # both Finished)
      if (drop == "-\t-" && !(app[s, h, "client"] && app[s, h, "server"]) &&
          !(h < nh[s] && fin[s, h, "client"] && fin[s, h, "server"])) out = out "-without-appdata"
      print cap, s, ver[s, h], sni[s, h] == "" ? "-" : sni[s, h], mode, out, drop, sc, cc
    }
  }'
}

for n in "${names[@]}"; do
  [[ -f $dir/$n.pcapng ]] || bad "$n: no $dir/$n.pcapng"
  grep -q "^$n"$'\t' "$tsv" || bad "$n: no row in $tsv"
done
diff <(for n in "${names[@]}"; do awk -F'\t' -v n="$n" '$1 == n' "$tsv" | cut -f1-10; done) \
     <(for n in "${names[@]}"; do wire "$n"; done) \
  || bad "MISMATCH (< scenarios.tsv, > decoded from the capture)"

# ---- verdict / problems / ocsp / needs columns ------------------------------------------------
# col NAME CAPTURE: "conn.hs<TAB>value" lines of that column for the capture (by header name);
# the k-th row of a connection is its k-th handshake.
col() {
  awk -F'\t' -v c="$1" -v cap="$2" 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i
    if (!(c in h)) { print "no column " c > "/dev/stderr"; exit 1 }; next }
    $1 == cap { print $2 "." ++k[$2] "\t" $h[c] }' "$tsv"
}
# Vocabulary and order of precedence of the problem tokens.
TOKENS=(unknown-issuer missing-intermediate untrusted-root self-signed expired not-yet-valid hostname-mismatch
  wrong-purpose bad-signature signer-not-ca insecure-algorithm revoked constraints-violation
  unknown-critical-extension malformed chain-order proof-failed)
declare -A RANK=(); i=0; for t in "${TOKENS[@]}"; do RANK[$t]=$((i++)); done
problems_ok() {  # problems_ok LIST: "-" or known tokens in precedence order, no repeats
  [[ $1 == - ]] && return 0
  local t last=-1 IFS=,
  for t in $1; do
    [[ -n ${RANK[$t]:-} ]] && ((${RANK[$t]} > last)) || return 1
    last=${RANK[$t]}
  done
}
# openssl verify error numbers -> the token they imply (the check is "this token is listed")
declare -A OSSL_TOKEN=([2]=unknown-issuer [20]=unknown-issuer [19]=untrusted-root [18]=self-signed [10]=expired
  [9]=not-yet-valid [62]=hostname-mismatch [26]=wrong-purpose [7]=bad-signature
  [24]=signer-not-ca [23]=revoked)
hex2der() { printf '%b' "$(sed 's/../\\x&/g' <<<"$1")"; }
pem_of() { hex2der "$1" | openssl x509 -inform DER; }

# Certificates of the current PKI, as DER hex: the captures must use these.
declare -A PKI_CERT=()
for f in pki/*.pem pki/deep/*.pem pki/wire/*.pem pki/shape/*.pem pki/proof/*.pem; do  # deep/: tls12-bigchain-openssl; wire/, shape/, proof/: make-wire/shape/proof-captures.sh
  [[ -f $f && $f != pki/crl.pem ]] || continue
  while IFS= read -r h; do [[ -n $h ]] && PKI_CERT[$h]=${f#pki/}; done < <(
    awk -v d="$tmp/split" '/BEGIN CERT/ { n++ } n { print > (d "." n) }' "$f"
    for p in "$tmp"/split.*; do openssl x509 -in "$p" -outform DER | od -An -v -tx1 | tr -d ' \n'; echo; done
    rm -f "$tmp"/split.*)
done

for n in "${names[@]}"; do
  pcap=$dir/$n.pcapng
  # Per handshake (conn.hs) and side: capture time of the Certificate message, the certificates
  # (hex), and the stapled OCSP status; decoded with the key log.
  fields "$n" | awk -F'\t' -v OFS='\t' '
    function msg(s, h, side, type) { if (type == 11) cert[side] = 1 }
    function frame(s, h, side) {
      if ($11 != "" && cert[side] && !((s, h, side) in done)) { done[s, h, side] = 1; print s "." h, side, int($10), $11 }
      if ($12 != "") print s "." h, "ocsp", $12
      delete cert
    }
    '"$SPLIT" >"$tmp/certs"
  mapfile -t sv < <(col server_verdict "$n"); mapfile -t sp < <(col server_problems "$n")
  mapfile -t cv < <(col client_verdict "$n"); mapfile -t cp < <(col client_problems "$n")
  mapfile -t oc < <(col ocsp "$n"); mapfile -t nd < <(col needs "$n")
  mapfile -t sni < <(col sni "$n")
  for ((r = 0; r < ${#sv[@]}; r++)); do
    conn=${sv[r]%%$'\t'*}  # conn.hs
    needs=${nd[r]#*$'\t'} ocsp=${oc[r]#*$'\t'} host=${sni[r]#*$'\t'}
    [[ -n $needs && -n $ocsp ]] || bad "$n conn $conn: empty needs/ocsp cell (use -)"
    [[ $ocsp == @(good|revoked|-) ]] || bad "$n conn $conn: ocsp '$ocsp'"
    crl=()
    if [[ $needs != - ]]; then
      for kv in ${needs//,/ }; do  # tshark -o syntax without "tlsauth.": crl_file:pki/crl.pem
        case $kv in
          crl_file[:=]*) [[ -f ${kv:9} ]] || bad "$n: $kv: no such file"; crl=(-crl_check -CRL "${kv:9}");;
          *) bad "$n conn $conn: needs '$kv' is not understood by this check";;
        esac
      done
    fi
    want_ocsp=$(awk -F'\t' -v c="$conn" '$1 == c && $2 == "ocsp" { print $3 == 0 ? "good" : $3 == 1 ? "revoked" : "unknown" }' "$tmp/certs")
    [[ ${want_ocsp:--} == "$ocsp" ]] || bad "$n conn $conn: ocsp is '$ocsp', the staple says '${want_ocsp:--}'"
    for side in server client; do
      if [[ $side == server ]]; then verdict=${sv[r]#*$'\t'} probs=${sp[r]#*$'\t'}
      else verdict=${cv[r]#*$'\t'} probs=${cp[r]#*$'\t'}; fi
      [[ $verdict == @(trusted|untrusted|-) ]] || bad "$n conn $conn: ${side}_verdict '$verdict'"
      problems_ok "$probs" || bad "$n conn $conn: ${side}_problems '$probs' (vocabulary / order)"
      [[ $verdict != untrusted || $probs != - ]] || bad "$n conn $conn: $side untrusted without problems"
      line=$(awk -F'\t' -v c="$conn" -v s="$side" '$1 == c && $2 == s' "$tmp/certs")
      if [[ -z $line ]]; then
        [[ $verdict == - && $probs == - ]] || bad "$n conn $conn: $side sent no certificate, verdict must be -"
        continue
      fi
      IFS=$'\t' read -r _ _ when hexes <<<"$line"
      IFS=, read -r -a hx <<<"$hexes"
      for h in "${hx[@]}"; do
        [[ -n ${PKI_CERT[$h]:-} ]] || { bad "$n: a certificate is not in pki/ (PKI regenerated? run make-captures.sh)"; break; }
      done
      pem_of "${hx[0]}" >"$tmp/leaf.pem"; : >"$tmp/rest.pem"
      for h in "${hx[@]:1}"; do pem_of "$h" >>"$tmp/rest.pem"; done
      args=(-attime "$when" -CAfile pki/ca.pem -untrusted "$tmp/rest.pem" "${crl[@]}")
      if [[ $side == server ]]; then args+=(-purpose sslserver); [[ $host == - ]] || args+=(-verify_hostname "$host")
      else args+=(-purpose sslclient); fi
      out=$(openssl verify "${args[@]}" "$tmp/leaf.pem" 2>&1) && got=trusted || got=untrusted
      # A verified staple that says revoked makes the server chain untrusted (revoked) as well.
      if [[ $side == server && $want_ocsp == revoked ]]; then
        got=untrusted; [[ ,$probs, == *,revoked,* ]] || bad "$n conn $conn: the staple says revoked, not in server_problems"
      fi
      # A failed proof of possession (a signature that does not verify with the leaf's key: the
      # forgery captures) makes the side untrusted although its chain verifies; not checked here.
      [[ ,$probs, != *,proof-failed,* ]] || got=untrusted
      [[ $got == "$verdict" ]] || bad "$n conn $conn: ${side}_verdict '$verdict', openssl verify says $got: $out"
      for e in $(sed -n 's/^error \([0-9]*\) at.*/\1/p' <<<"$out"); do
        t=${OSSL_TOKEN[$e]:-}
        [[ -z $t || ,$probs, == *",$t,"* ]] || bad "$n conn $conn: openssl verify error $e implies $t, not in ${side}_problems '$probs'"
      done
    done
  done

  # Teaching extras: secrets inside the file, capture comment, packet comments.
  nsec=$(capinfos -D "$pcap" 2>/dev/null | sed -n 's/.*decryption secrets in file: *//p')
  ((${nsec:-0} >= 1)) || bad "$n: no decryption secrets block (editcap --inject-secrets)"
  capinfos -k "$pcap" 2>/dev/null | grep -q '^Capture comment: *[^ ]' || bad "$n: no capture comment"
  editcap --discard-all-secrets "$pcap" "$tmp/nokeys.pcapng" 2>/dev/null ||
    bad "$n: editcap cannot rewrite it (the tests strip the secrets with editcap)"
  ncom=$(timeout 60 tshark -r "$pcap" -o tls.keylog_file: -Y frame.comment 2>/dev/null | wc -l)
  ((ncom >= 3)) || bad "$n: $ncom commented frames (3 or more expected)"
  # TLS 1.3 certificates must decrypt from the injected secrets alone (no key log file).
  if awk -F'\t' -v n="$n" '$1 == n && $3 == "TLSv1.3" && $9 != "-" { f = 1 } END { exit !f }' "$tsv"; then
    ncert=$(timeout 60 tshark -r "$pcap" -o tls.keylog_file: -Y tls.handshake.type==11 2>/dev/null | wc -l)
    ((ncert >= 1)) || bad "$n: TLS 1.3 Certificate not decrypted by the injected secrets"
  fi
done
((fail == 0)) || exit 1
echo "OK: ${#names[@]} captures match scenarios.tsv"
