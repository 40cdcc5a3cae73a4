#!/usr/bin/env bash
# What a student reads is true, from how the teaching captures were made (captures/README.md):
# the CA names of the CertificateRequest (s_server -CAfile ca.pem lists the tlsauth Test Root CA),
# success told from each peer's side with its evidence, a TLS 1.3 ChangeCipherSpec told as the
# middlebox no-op it is (encryption begins after the ServerHello), the running mode in words of what
# has happened, and the history's letters explained.
# Usage: TLSAUTH_STAGE=DIR check-words.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
failed=0
fail() { echo "FAIL: $*"; failed=1; }
fields() {  # fields CAPTURE FILTER FIELD...: one line per frame shown, fields separated by |
  local capture=$1 filter=$2; shift 2
  local e=() f
  for f in "$@"; do e+=(-e "$f"); done
  "$here/../lib/tshark.sh" -r "$capture.pcapng" -o "tls.keylog_file:$capture.keys" -o tlsauth.ca_file:pki/ca.pem \
    -o tlsauth.use_system_ca:FALSE -2 -Y "$filter" -T fields -E separator='|' -E aggregator='#' "${e[@]}"
}
ca=$(fields tls12-mutual-openssl tlsauth.summary tlsauth.request.ca)
[ "$ca" = "CN=tlsauth Test Root CA" ] || fail "tls12-mutual-openssl: CA names '$ca'"
ca=$(fields tls12-mutual-openssl 'tls.handshake.type == 13' tlsauth.request.ca)
[ "$ca" = "CN=tlsauth Test Root CA" ] || fail "tls12-mutual-openssl: CA names on the CertificateRequest frame '$ca'"
for capture in tls12-mutual-openssl tls13-mutual-gnutls; do
  text=$(fields "$capture" tlsauth.summary tlsauth.explanation)
  grep -q "The client accepted the server's chain: it went on to its Finished (frame [0-9]*)" <<<"$text" ||
    fail "$capture: no client acceptance: $text"
  grep -q "The server accepted the client's certificate: " <<<"$text" || fail "$capture: no server acceptance: $text"
done
text=$(fields tls12-oneway-gnutls tlsauth.summary tlsauth.explanation)
grep -q "The client accepted the server's chain" <<<"$text" || fail "tls12-oneway-gnutls: $text"
ccs=$("$here/../lib/tshark.sh" -r tls13-oneway-openssl.pcapng -o tls.keylog_file:tls13-oneway-openssl.keys -2 -V \
      -O tlsauth -Y tlsauth.summary 2>&1 | grep 'Frame [0-9]*: .*ChangeCipherSpec' || true)
[ -n "$ccs" ] || fail "tls13-oneway-openssl: no ChangeCipherSpec in the story"
grep -q "switches to encryption" <<<"$ccs" && fail "tls13-oneway-openssl: a TLS 1.3 ChangeCipherSpec said to switch to encryption"
grep -q "a no-op TLS 1.3 keeps for middleboxes" <<<"$ccs" || fail "tls13-oneway-openssl: $ccs"
shown=$("$here/../lib/tshark.sh" -r tls12-nocert-openssl.pcapng -V -O tlsauth -Y 'tls.handshake.type == 13' 2>&1)
grep -q "Mode so far: client certificate requested, none presented yet" <<<"$shown" ||
  fail "tls12-nocert-openssl: the running mode is not told in words"
key=$(fields tls12-mutual-openssl tlsauth.summary tlsauth.history.key)
grep -q "^C ClientHello, s ServerHello, x server Certificate" <<<"$key" || fail "tls12-mutual-openssl: history key '$key'"
[ $failed = 0 ] && echo "ok: CA names, acceptance, TLS 1.3 ChangeCipherSpec, running mode and history key"
exit $failed
