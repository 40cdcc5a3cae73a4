#!/usr/bin/env bash
# Chain-verifier captures (issue 15): real peers on 127.0.0.1 serving chains that a strict
# RFC 5280 / TLS verifier must judge by a rule beyond "does it chain to the root": an unknown
# signature algorithm, a leaf keyUsage that does not permit what the handshake needed (server
# and client, TLS 1.2 (EC)DHE, TLS 1.2 RSA key transport, TLS 1.3), anyExtendedKeyUsage alone,
# an RSA-1024 leaf, a stale CRL, a revocation dated after the capture, an expired intermediate
# sent before its renewed copy. The peers do NOT abort on a verification failure (s_client
# without -verify_return_error, s_server -verify without -verify_return_error), so every
# handshake completes and the verdict in the test is tlsauth's own.
# Same machinery as make-captures.sh (lib.sh): dumpcap on lo, the client's key log injected into
# the pcapng, a capture comment and packet comments from the notes below.
# Usage: bash captures/make-verify-captures.sh [--pki] [NAME...]   (default: every scenario)
#   --pki  make a fresh PKI (pki/verify/, fixed names, serials, dates and extensions, fresh keys)
#          and then every capture (also done when pki/verify/ does not exist yet).
# Writes verify/NAME.pcapng + verify/NAME.keys (and pki/verify/), only when every selected
# scenario was made, annotated and passed the sanity checks below (check_made). The expected
# verdicts are NOT made here: they are written by hand in verify-scenarios.tsv, and
# tests/integration/check-verify-scenarios.sh compares tlsauth with them.
# Ports: 44371..44383 (TCP), one per scenario in SCENARIOS order.
set -euo pipefail
cd "$(dirname "$0")"
source ./lib.sh  # settings, peers, dumpcap, notes, annotate (shared with make-captures.sh)
export TZ=UTC    # certtool reads activation/expiration dates in local time

OUT=verify
# crl-stale.pem's nextUpdate is 2026-02-01: it is stale only for captures made after that.
if (($(date -u +%s) <= $(date -u -d 2026-02-01 +%s))); then
  echo "the clock ($(date -u +%F)) must be after 2026-02-01 (crl-stale.pem must be stale)" >&2; exit 1
fi
new_pki=
if [[ ${1:-} == --pki ]]; then new_pki=1; shift; fi
[[ -f pki/verify/ca.pem ]] || new_pki=1
if [[ -n $new_pki ]] && (($#)); then
  echo "a new PKI needs every capture to be made again: no NAME with --pki" >&2; exit 2
fi

# ---- the PKI ---------------------------------------------------------------------------------
# Every certificate valid 2026-01-01..2036-01-01 (as pki/), ECDSA P-256 unless a case needs RSA,
# SHA-256 signatures. All server leaves: server.tlsauth.test, localhost, 127.0.0.1.
#   root-ca = ca.pem         tlsauth Verify Captures Root CA (the only trust anchor of the tests)
#   intermediate-ca          tlsauth Verify Captures Intermediate CA (path_len 0), issues the leaves
#   intermediate-ca-expired  the same subject and key, serial 0x20, valid 2025-01-01..2025-12-31
#   renewed-chain.pem        intermediate-ca-expired, then intermediate-ca (what that server sends)
#   server                   good leaf: keyUsage digitalSignature, EKU serverAuth
#   server-unknownalg        as server, its signature algorithm OID (in the TBS and outside it)
#                            replaced by 1.3.6.1.4.1.55555 (no algorithm), re-signed over the
#                            patched TBS with the intermediate's key (ECDSA-SHA256): only the
#                            algorithm is unknown, the signature bytes are a correct ECDSA one
#   server-kenc              RSA 2048, keyUsage keyEncipherment only, EKU serverAuth
#   server-dsig              RSA 2048, keyUsage digitalSignature only, EKU serverAuth
#   client-kenc              alice, RSA 2048, keyUsage keyEncipherment only, EKU clientAuth
#   server-anyeku            keyUsage digitalSignature, EKU anyExtendedKeyUsage (2.5.29.37.0) only
#   server-rsa1024           RSA 1024, keyUsage digitalSignature + keyEncipherment, EKU serverAuth
#   server-revokedlater      as server, serial 0x19: in crl-later.pem, revoked 2035-06-01
#   crl-stale.pem            the intermediate's CRL, thisUpdate 2026-01-01, nextUpdate 2026-02-01
#                            (stale at any capture time the clock check allows), lists nothing
#   crl-later.pem            the intermediate's CRL, thisUpdate 2026-01-01, nextUpdate 2036-01-01,
#                            lists server-revokedlater (0x19) revoked on 2035-06-01, i.e. after
#                            any capture time the clock check allows (< 2035-01-01)
FROM="2026-01-01 00:00:00" TO="2036-01-01 00:00:00"
make_pki() {  # make_pki DIR
  local out=$1 tmp=$W/pki-tmpl
  mkdir -p "$out" "$tmp"
  # mk NAME SERIAL SIGNER(basename or self) KEY(ec|rsa2048|rsa1024|=OTHER: reuse OTHER's key) FROM TO template-lines...
  mk() {
    local name=$1 serial=$2 signer=$3 key=$4 from=$5 to=$6; shift 6
    case $key in
      ec) certtool --generate-privkey --key-type=ecdsa --curve=secp256r1 --no-text --outfile "$out/$name.key" 2>/dev/null ;;
      rsa*) certtool --generate-privkey --key-type=rsa --bits=${key#rsa} --no-text --outfile "$out/$name.key" 2>/dev/null ;;
      =*) cp "$out/${key#=}.key" "$out/$name.key" ;;
    esac
    printf '%s\n' "serial = $serial" "activation_date = \"$from\"" "expiration_date = \"$to\"" "$@" \
      >"$tmp/$name.tmpl"
    if [[ $signer == self ]]; then
      certtool --generate-self-signed --load-privkey "$out/$name.key" --template "$tmp/$name.tmpl" \
        --no-text --outfile "$out/$name.pem" 2>/dev/null
    else
      certtool --generate-certificate --load-privkey "$out/$name.key" \
        --load-ca-certificate "$out/$signer.pem" --load-ca-privkey "$out/$signer.key" \
        --template "$tmp/$name.tmpl" --no-text --outfile "$out/$name.pem" 2>/dev/null
    fi
  }
  local ca=(ca cert_signing_key crl_signing_key)
  local srv=('cn = "server.tlsauth.test"' 'dns_name = "server.tlsauth.test"' 'dns_name = "localhost"'
             'ip_address = "127.0.0.1"')
  local I=intermediate-ca
  mk root-ca             1    self    ec  "$FROM" "$TO" 'cn = "tlsauth Verify Captures Root CA"' "${ca[@]}"
  mk $I                  2    root-ca ec  "$FROM" "$TO" 'cn = "tlsauth Verify Captures Intermediate CA"' "${ca[@]}" 'path_len = 0'
  mk $I-expired          32   root-ca =$I "2025-01-01 00:00:00" "2025-12-31 23:59:59" \
     'cn = "tlsauth Verify Captures Intermediate CA"' "${ca[@]}" 'path_len = 0'
  mk server              17   $I ec      "$FROM" "$TO" "${srv[@]}" signing_key tls_www_server
  mk server-unknownalg   18   $I ec      "$FROM" "$TO" "${srv[@]}" signing_key tls_www_server
  mk server-kenc         19   $I rsa2048 "$FROM" "$TO" "${srv[@]}" encryption_key tls_www_server
  mk server-dsig         20   $I rsa2048 "$FROM" "$TO" "${srv[@]}" signing_key tls_www_server
  mk client-kenc         21   $I rsa2048 "$FROM" "$TO" 'cn = "alice"' encryption_key tls_www_client
  mk server-anyeku       22   $I ec      "$FROM" "$TO" "${srv[@]}" signing_key 'key_purpose_oid = 2.5.29.37.0'
  mk server-rsa1024      23   $I rsa1024 "$FROM" "$TO" "${srv[@]}" signing_key encryption_key tls_www_server
  mk server-revokedlater 25   $I ec      "$FROM" "$TO" "${srv[@]}" signing_key tls_www_server

  # The unknown signature algorithm: ecdsa-with-SHA256 (1.2.840.10045.4.3.2, 8 content bytes)
  # becomes 1.3.6.1.4.1.55555 (8 bytes too) in TBSCertificate.signature and in the outer
  # signatureAlgorithm; the TBS is signed again with ECDSA-SHA256 so the signature value is
  # right for the bytes, only its algorithm cannot be known.
  openssl x509 -in "$out/server-unknownalg.pem" -outform DER -out "$tmp/unknownalg.der"
  python3 - "$tmp/unknownalg.der" "$tmp/tbs.der" split <<'PY'
import sys
der = open(sys.argv[1], 'rb').read()
def hdr(b, i):  # -> (header length, content length) of the TLV at i
    l = b[i + 1]
    if l < 0x80: return 2, l
    n = l & 0x7f
    return 2 + n, int.from_bytes(b[i + 2:i + 2 + n], 'big')
h, _ = hdr(der, 0)
th, tl = hdr(der, h)
tbs = der[h:h + th + tl]
old, new = bytes.fromhex('06082a8648ce3d040302'), bytes.fromhex('06082b0601040183b203')
assert tbs.count(old) == 1, 'ecdsa-with-SHA256 not found once in the TBS'
open(sys.argv[2], 'wb').write(tbs.replace(old, new))
PY
  openssl dgst -sha256 -sign "$out/$I.key" -out "$tmp/tbs.sig" "$tmp/tbs.der"
  python3 - "$tmp/tbs.der" "$tmp/tbs.sig" "$tmp/unknownalg-new.der" <<'PY'
import sys
tbs, sig = open(sys.argv[1], 'rb').read(), open(sys.argv[2], 'rb').read()
def tlv(tag, content):
    n = len(content)
    if n < 0x80: l = bytes([n])
    else:
        b = n.to_bytes((n.bit_length() + 7) // 8, 'big'); l = bytes([0x80 | len(b)]) + b
    return bytes([tag]) + l + content
alg = tlv(0x30, bytes.fromhex('06082b0601040183b203'))
open(sys.argv[3], 'wb').write(tlv(0x30, tbs + alg + tlv(0x03, b'\0' + sig)))
PY
  openssl x509 -inform DER -in "$tmp/unknownalg-new.der" -out "$out/server-unknownalg.pem"
  # the same bytes must be there twice, and the signature must verify as ECDSA-SHA256
  [[ $(openssl x509 -in "$out/server-unknownalg.pem" -noout -text | grep -c 'Signature Algorithm: 1.3.6.1.4.1.55555') == 2 ]] ||
    { echo "BUG: server-unknownalg does not carry the unknown OID twice" >&2; return 1; }
  openssl x509 -in "$out/$I.pem" -noout -pubkey >"$tmp/inter.pub"
  openssl dgst -sha256 -verify "$tmp/inter.pub" -signature "$tmp/tbs.sig" "$tmp/tbs.der" >/dev/null ||
    { echo "BUG: server-unknownalg's signature does not verify" >&2; return 1; }

  # CRLs of the intermediate (fixed dates).
  printf '%s\n' 'crl_number = 1' 'crl_this_update_date = "2026-01-01 00:00:00"' \
    'crl_next_update_date = "2026-02-01 00:00:00"' >"$tmp/crl-stale.tmpl"
  certtool --generate-crl --load-ca-privkey "$out/$I.key" --load-ca-certificate "$out/$I.pem" \
    --template "$tmp/crl-stale.tmpl" --no-text --outfile "$out/crl-stale.pem" 2>/dev/null
  printf '%s\n' 'crl_number = 2' 'crl_this_update_date = "2026-01-01 00:00:00"' \
    'crl_next_update_date = "2036-01-01 00:00:00"' 'crl_revocation_date = "2035-06-01 00:00:00"' \
    >"$tmp/crl-later.tmpl"
  certtool --generate-crl --load-ca-privkey "$out/$I.key" --load-ca-certificate "$out/$I.pem" \
    --load-certificate "$out/server-revokedlater.pem" --template "$tmp/crl-later.tmpl" --no-text \
    --outfile "$out/crl-later.pem" 2>/dev/null

  cp "$out/root-ca.pem" "$out/ca.pem"
  cat "$out/$I-expired.pem" "$out/$I.pem" >"$out/renewed-chain.pem"
  chmod 600 "$out"/*.key

  # Sanity (OpenSSL's view, not tlsauth's): each certificate is made as described above.
  ov() {  # ov EXPECTED_ERROR(0 = ok) CERT [openssl verify options...]
    local want=$1 cert=$2 got; shift 2
    got=$(openssl verify -CAfile "$out/ca.pem" "$@" "$out/$cert.pem" 2>&1 |
          sed -n 's/^error \([0-9]*\) at.*/\1/p' | head -1) || true
    [[ ${got:-0} == "$want" ]] || { echo "BUG: $cert: openssl verify error ${got:-none}, want $want" >&2; return 1; }
  }
  local U=(-untrusted "$out/$I.pem")
  ov 0  server "${U[@]}" -purpose sslserver -verify_hostname server.tlsauth.test
  ov 0  server-kenc "${U[@]}" -purpose sslserver     # OpenSSL's sslserver purpose accepts either bit
  ov 0  server-dsig "${U[@]}" -purpose sslserver
  ov 26 client-kenc "${U[@]}" -purpose sslclient     # sslclient wants digitalSignature (or keyAgreement)
  ov 26 server-anyeku "${U[@]}" -purpose sslserver   # anyExtendedKeyUsage alone: unsuitable purpose
  ov 0  server-rsa1024 "${U[@]}" -auth_level 1       # 80 bits: fine at level 1
  ov 66 server-rsa1024 "${U[@]}" -auth_level 2       # EE key too small at level 2 (112 bits)
  ov 0  server -untrusted "$out/renewed-chain.pem"   # a valid path exists through the renewed copy
  ov 10 server -untrusted "$out/$I-expired.pem"      # the old copy alone: expired
  ov 12 server "${U[@]}" -crl_check -CRLfile "$out/crl-stale.pem"       # CRL has expired
  ov 0  server "${U[@]}" -crl_check -CRLfile "$out/crl-later.pem"
  ov 23 server-revokedlater "${U[@]}" -crl_check -CRLfile "$out/crl-later.pem"  # OpenSSL ignores the date
}

# ---- peers -------------------------------------------------------------------------------------
# vcli NAME PORT s_client-args...: s_client verifies against the verify root but does not act on
# the result (no -verify_return_error): the handshake completes whatever it found; the verify
# result goes to the client log.
vcli() {
  local name=$1 port=$2; shift 2
  feed hello | timeout $T openssl s_client -connect 127.0.0.1:$port -servername $SNI \
    -verify_hostname $SNI -CAfile $VP/ca.pem -keylogfile "$W/$name.keys" "$@" \
    >>"$log/$name.client.log" 2>&1 || echo "client exit $?" >>"$log/$name.client.log"
}
vsrv() {  # vsrv NAME PORT LEAF CHAIN-FILE|"" s_server-args...: s_server -rev with pki/verify/LEAF
  # and CHAIN-FILE after it ("": the intermediate)
  local name=$1 port=$2 leaf=$3 chain=${4:-$VP/intermediate-ca.pem}; shift 4
  osrv "$name" "$port" 1 -rev -cert $VP/$leaf.pem -key $VP/$leaf.key -cert_chain "$chain" "$@"
}
# ask_client: s_server asks for a client certificate and checks it against the verify root, but
# goes on whatever it found (-verify, not -Verify, and no -verify_return_error).
ask_client() { ASK=(-verify 1 -CAfile "$VP/ca.pem"); }
SEC0=(-cipher 'DEFAULT:@SECLEVEL=0')  # RSA-1024 and an unknown signature algorithm need level 0

# ---- scenarios ---------------------------------------------------------------------------------
tls13-good-openssl() {
  vsrv $1 $2 server "" -tls1_3
  cap_start $1 $2; vcli $1 $2 -tls1_3; cap_stop $1
}
note tls13-good-openssl <<'EOF'
- capture tls13-good-openssl: s_client -> s_server, TLS 1.3, one-way: the good chain of the verify PKI (leaf server.tlsauth.test, keyUsage digitalSignature, EKU serverAuth + tlsauth Verify Captures Intermediate CA, up to captures/pki/verify/ca.pem). The control of the verifier captures; also the chain judged with the stale CRL (pki/verify/crl-stale.pem), the fresh one (crl-later.pem) and a CA file that does not exist.
1 ch ClientHello: s_client offers TLS 1.3 with SNI server.tlsauth.test.
1 scert Encrypted: the server's Certificate (leaf server.tlsauth.test, ECDSA P-256, keyUsage digitalSignature + tlsauth Verify Captures Intermediate CA) and its CertificateVerify, signed with the leaf's key as keyUsage allows.
1 cfin The client's Finished: s_client found the chain good (verify return code 0).
1 sapp The server answers: one-way authentication completed.
EOF
tls13-unknownalg-openssl() {  # s_server refuses the leaf at security level 1 ("ca md too weak")
  vsrv $1 $2 server-unknownalg "" -tls1_3 "${SEC0[@]}"
  cap_start $1 $2; vcli $1 $2 -tls1_3 "${SEC0[@]}"; cap_stop $1
}
note tls13-unknownalg-openssl <<'EOF'
- capture tls13-unknownalg-openssl: s_server presents a leaf whose signature algorithm is the OID 1.3.6.1.4.1.55555, which names no algorithm (in TBSCertificate.signature and in signatureAlgorithm); nobody can check the intermediate's signature on it. TLS 1.3, both peers at @SECLEVEL=0; s_client does not abort on the verification failure, so the handshake completes.
1 ch ClientHello: s_client offers TLS 1.3 with SNI server.tlsauth.test.
1 scert Encrypted: the server's Certificate: leaf server.tlsauth.test signed with the unknown algorithm 1.3.6.1.4.1.55555 (the bytes are an ECDSA-SHA256 signature, but the certificate does not say so) + tlsauth Verify Captures Intermediate CA.
1 cfin The client's Finished: s_client could not verify the leaf's signature (unknown algorithm) and goes on anyway (no -verify_return_error).
1 sapp The server answers over a connection whose server certificate no verifier can check.
EOF
tls13-kenc-openssl() {
  vsrv $1 $2 server-kenc "" -tls1_3
  cap_start $1 $2; vcli $1 $2 -tls1_3; cap_stop $1
}
note tls13-kenc-openssl <<'EOF'
- capture tls13-kenc-openssl: s_server presents an RSA leaf whose keyUsage is keyEncipherment only, TLS 1.3: the server must sign its CertificateVerify with that key (RFC 8446 4.4.2.2), which keyUsage does not permit (RFC 5280 4.2.1.3). Neither OpenSSL peer checks that; the handshake completes.
1 ch ClientHello: s_client offers TLS 1.3 with SNI server.tlsauth.test.
1 scert Encrypted: the server's Certificate (leaf server.tlsauth.test, RSA 2048, keyUsage keyEncipherment only + tlsauth Verify Captures Intermediate CA), then a CertificateVerify signed (RSA-PSS) with the leaf's key: a use its keyUsage does not allow.
1 cfin The client's Finished: s_client accepted it (OpenSSL does not check a TLS 1.3 server leaf's keyUsage).
1 sapp The server answers.
EOF
tls12-ecdhe-kenc-openssl() {  # OpenSSL's server checks keyUsage for ECDSA leaves only, not RSA: it serves this
  vsrv $1 $2 server-kenc "" -tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256
  cap_start $1 $2; vcli $1 $2 -tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256; cap_stop $1
}
note tls12-ecdhe-kenc-openssl <<'EOF'
- capture tls12-ecdhe-kenc-openssl: s_server presents an RSA leaf whose keyUsage is keyEncipherment only, TLS 1.2 ECDHE-RSA-AES128-GCM-SHA256: the server signs its ServerKeyExchange with that key (RFC 5246 7.4.3), which needs digitalSignature (RFC 5280 4.2.1.3). OpenSSL (server and client) does not check keyUsage for RSA; the handshake completes.
1 ch ClientHello: s_client offers TLS 1.2, only ECDHE-RSA-AES128-GCM-SHA256, with SNI server.tlsauth.test.
1 scert The server's Certificate: leaf server.tlsauth.test, RSA 2048, keyUsage keyEncipherment only + tlsauth Verify Captures Intermediate CA.
1 skx ServerKeyExchange: the server's ECDHE share, signed with the leaf's key - a digital signature its keyUsage does not permit.
1 capp The client accepted it and sends data.
1 sapp The server answers.
EOF
tls12-ecdhe-dsig-openssl() {
  vsrv $1 $2 server-dsig "" -tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256
  cap_start $1 $2; vcli $1 $2 -tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256; cap_stop $1
}
note tls12-ecdhe-dsig-openssl <<'EOF'
- capture tls12-ecdhe-dsig-openssl: a control. s_server presents an RSA leaf whose keyUsage is digitalSignature only, TLS 1.2 ECDHE-RSA-AES128-GCM-SHA256: the key only signs the ServerKeyExchange, exactly what keyUsage permits. Completes.
1 ch ClientHello: s_client offers TLS 1.2, only ECDHE-RSA-AES128-GCM-SHA256, with SNI server.tlsauth.test.
1 scert The server's Certificate: leaf server.tlsauth.test, RSA 2048, keyUsage digitalSignature only + tlsauth Verify Captures Intermediate CA.
1 skx ServerKeyExchange: the ECDHE share signed with the leaf's key, as its keyUsage permits.
1 capp The client accepted the chain and sends data.
1 sapp The server answers.
EOF
tls12-rsakx-dsig-openssl() {
  vsrv $1 $2 server-dsig "" -tls1_2 -cipher AES128-GCM-SHA256
  cap_start $1 $2; vcli $1 $2 -tls1_2 -cipher AES128-GCM-SHA256; cap_stop $1
}
note tls12-rsakx-dsig-openssl <<'EOF'
- capture tls12-rsakx-dsig-openssl: s_server presents an RSA leaf whose keyUsage is digitalSignature only, TLS 1.2 with RSA key transport (AES128-GCM-SHA256): the client encrypts the premaster secret to that key (RFC 5246 7.4.7.1), which needs keyEncipherment (RFC 5280 4.2.1.3). OpenSSL does not check; completes.
1 ch ClientHello: s_client offers TLS 1.2, only AES128-GCM-SHA256 (RSA key transport), with SNI server.tlsauth.test.
1 scert The server's Certificate: leaf server.tlsauth.test, RSA 2048, keyUsage digitalSignature only + tlsauth Verify Captures Intermediate CA. No ServerKeyExchange: RSA key transport.
1 ckx ClientKeyExchange: the premaster secret encrypted to the leaf's RSA key - key encipherment, which its keyUsage does not permit.
1 capp The client sends data.
1 sapp The server answers.
EOF
tls12-rsakx-kenc-openssl() {
  vsrv $1 $2 server-kenc "" -tls1_2 -cipher AES128-GCM-SHA256
  cap_start $1 $2; vcli $1 $2 -tls1_2 -cipher AES128-GCM-SHA256; cap_stop $1
}
note tls12-rsakx-kenc-openssl <<'EOF'
- capture tls12-rsakx-kenc-openssl: a control. The keyEncipherment-only RSA leaf of tls13-kenc-openssl and tls12-ecdhe-kenc-openssl, used as its keyUsage says: TLS 1.2 RSA key transport (AES128-GCM-SHA256), the key only decrypts the premaster secret. Completes.
1 ch ClientHello: s_client offers TLS 1.2, only AES128-GCM-SHA256 (RSA key transport), with SNI server.tlsauth.test.
1 scert The server's Certificate: leaf server.tlsauth.test, RSA 2048, keyUsage keyEncipherment only + tlsauth Verify Captures Intermediate CA.
1 ckx ClientKeyExchange: the premaster secret encrypted to the leaf's key: key encipherment, as its keyUsage permits. The server signs nothing in this handshake.
1 capp The client sends data.
1 sapp The server answers.
EOF
tls12-mutual-clientkenc-openssl() {
  ask_client; vsrv $1 $2 server "" -tls1_2 "${ASK[@]}"
  cap_start $1 $2
  vcli $1 $2 -tls1_2 -cert $VP/client-kenc.pem -key $VP/client-kenc.key -cert_chain $VP/intermediate-ca.pem
  cap_stop $1
}
note tls12-mutual-clientkenc-openssl <<'EOF'
- capture tls12-mutual-clientkenc-openssl: s_server -verify asks for a client certificate; s_client presents alice, an RSA leaf whose keyUsage is keyEncipherment only, and signs CertificateVerify with it (RFC 5246 7.4.8), a use that needs digitalSignature (RFC 5280 4.2.1.3). s_server logs the purpose error and goes on (no -verify_return_error): TLS 1.2, completes.
1 ch ClientHello: s_client offers TLS 1.2 with SNI server.tlsauth.test.
1 scert The server presents the good chain (leaf server.tlsauth.test + tlsauth Verify Captures Intermediate CA)
1 creq and asks for a client certificate (CertificateRequest).
1 ccert The client presents alice (RSA 2048, keyUsage keyEncipherment only) + the intermediate, and signs the handshake with alice's key (CertificateVerify): a signature alice's keyUsage does not permit.
1 sapp The server goes on regardless (it only logged the verification error) and answers.
EOF
tls13-mutual-clientkenc-openssl() {
  ask_client; vsrv $1 $2 server "" -tls1_3 "${ASK[@]}"
  cap_start $1 $2
  vcli $1 $2 -tls1_3 -cert $VP/client-kenc.pem -key $VP/client-kenc.key -cert_chain $VP/intermediate-ca.pem
  cap_stop $1
}
note tls13-mutual-clientkenc-openssl <<'EOF'
- capture tls13-mutual-clientkenc-openssl: as tls12-mutual-clientkenc-openssl in TLS 1.3: alice's keyUsage is keyEncipherment only, and she signs CertificateVerify (RFC 8446 4.4.3). s_server goes on regardless; completes.
1 ch ClientHello: s_client offers TLS 1.3 with SNI server.tlsauth.test.
1 scert Encrypted: the server presents the good chain (leaf server.tlsauth.test + tlsauth Verify Captures Intermediate CA)
1 creq and asks for a client certificate (CertificateRequest).
1 ccert Encrypted: the client presents alice (RSA 2048, keyUsage keyEncipherment only) + the intermediate, and a CertificateVerify signed with alice's key, which her keyUsage does not permit.
1 sapp The server goes on regardless (it only logged the verification error) and answers.
EOF
tls13-anyeku-openssl() {
  vsrv $1 $2 server-anyeku "" -tls1_3
  cap_start $1 $2; vcli $1 $2 -tls1_3; cap_stop $1
}
note tls13-anyeku-openssl <<'EOF'
- capture tls13-anyeku-openssl: s_server presents a leaf whose only extended key usage is anyExtendedKeyUsage (2.5.29.37.0), no serverAuth. OpenSSL's verifier says "unsupported certificate purpose"; s_client goes on (no -verify_return_error). TLS 1.3, completes.
1 ch ClientHello: s_client offers TLS 1.3 with SNI server.tlsauth.test.
1 scert Encrypted: the server's Certificate: leaf server.tlsauth.test, EKU anyExtendedKeyUsage only + tlsauth Verify Captures Intermediate CA.
1 cfin The client's Finished: s_client found the purpose unsuitable and goes on anyway.
1 sapp The server answers.
EOF
tls13-rsa1024-openssl() {  # OpenSSL refuses a 1024-bit key at level 2 (Debian's default): both at level 0
  vsrv $1 $2 server-rsa1024 "" -tls1_3 "${SEC0[@]}"
  cap_start $1 $2; vcli $1 $2 -tls1_3 "${SEC0[@]}"; cap_stop $1
}
note tls13-rsa1024-openssl <<'EOF'
- capture tls13-rsa1024-openssl: s_server presents a leaf with a 1024-bit RSA key (80-bit security: below today's 112-bit floor). Both peers at @SECLEVEL=0, which is the only way OpenSSL uses such a key. TLS 1.3, completes.
1 ch ClientHello: s_client offers TLS 1.3 with SNI server.tlsauth.test.
1 scert Encrypted: the server's Certificate: leaf server.tlsauth.test with an RSA 1024 key + tlsauth Verify Captures Intermediate CA, and a CertificateVerify made with that weak key.
1 cfin The client's Finished: at security level 0 s_client accepts the weak key.
1 sapp The server answers.
EOF
tls12-revokedlater-openssl() {
  vsrv $1 $2 server-revokedlater "" -tls1_2
  cap_start $1 $2; vcli $1 $2 -tls1_2; cap_stop $1
}
note tls12-revokedlater-openssl <<'EOF'
- capture tls12-revokedlater-openssl: s_server presents a leaf (serial 0x19) that pki/verify/crl-later.pem lists as revoked on 2035-06-01, long after this capture: when this handshake happened the certificate was not revoked. TLS 1.2, completes (s_client is not given the CRL).
1 ch ClientHello: s_client offers TLS 1.2 with SNI server.tlsauth.test.
1 scert The server's Certificate: leaf server.tlsauth.test, serial 0x19 + tlsauth Verify Captures Intermediate CA. Its revocation (in crl-later.pem) is dated 2035-06-01, after this frame.
1 capp The client accepted the chain and sends data.
1 sapp The server answers.
EOF
tls12-renewedinter-openssl() {
  vsrv $1 $2 server $VP/renewed-chain.pem -tls1_2
  cap_start $1 $2; vcli $1 $2 -tls1_2; cap_stop $1
}
note tls12-renewedinter-openssl <<'EOF'
- capture tls12-renewedinter-openssl: s_server sends its leaf, then the intermediate's old copy (expired 2025-12-31), then its renewed copy (same subject and key, valid 2026-01-01..2036-01-01). The leaf's signature verifies with either copy: a path through the renewed one is valid (RFC 4158 path building). TLS 1.2, completes.
1 ch ClientHello: s_client offers TLS 1.2 with SNI server.tlsauth.test.
1 scert The server's Certificate, three certificates: leaf server.tlsauth.test, the expired tlsauth Verify Captures Intermediate CA (serial 0x20, valid until 2025-12-31), the renewed one (serial 02, valid until 2036-01-01). A verifier that follows only the first candidate issuer finds an expired path.
1 capp The client (OpenSSL picks a time-valid issuer) accepted the chain and sends data.
1 sapp The server answers.
EOF

SCENARIOS=(tls13-good-openssl tls13-unknownalg-openssl tls13-kenc-openssl tls12-ecdhe-kenc-openssl
  tls12-ecdhe-dsig-openssl tls12-rsakx-dsig-openssl tls12-rsakx-kenc-openssl
  tls12-mutual-clientkenc-openssl tls13-mutual-clientkenc-openssl tls13-anyeku-openssl
  tls13-rsa1024-openssl tls12-revokedlater-openssl tls12-renewedinter-openssl)
declare -A PORT=()
i=0; for s in "${SCENARIOS[@]}"; do PORT[$s]=$((44370 + ++i)); done

# ---- checks of what was made -----------------------------------------------------------------
# check_made NAME: the capture holds one TLS connection whose handshake completed (application
# data both ways); its Certificate messages, decrypted with the injected key log, carry exactly
# CHAIN[NAME] (pki/verify certificates, in the order sent: the server's, then the client's);
# it has its capture comment.
declare -A CHAIN=(
  [tls13-good-openssl]="server intermediate-ca" [tls13-unknownalg-openssl]="server-unknownalg intermediate-ca"
  [tls13-kenc-openssl]="server-kenc intermediate-ca" [tls12-ecdhe-kenc-openssl]="server-kenc intermediate-ca"
  [tls12-ecdhe-dsig-openssl]="server-dsig intermediate-ca" [tls12-rsakx-dsig-openssl]="server-dsig intermediate-ca"
  [tls12-rsakx-kenc-openssl]="server-kenc intermediate-ca"
  [tls12-mutual-clientkenc-openssl]="server intermediate-ca client-kenc intermediate-ca"
  [tls13-mutual-clientkenc-openssl]="server intermediate-ca client-kenc intermediate-ca"
  [tls13-anyeku-openssl]="server-anyeku intermediate-ca" [tls13-rsa1024-openssl]="server-rsa1024 intermediate-ca"
  [tls12-revokedlater-openssl]="server-revokedlater intermediate-ca"
  [tls12-renewedinter-openssl]="server intermediate-ca-expired intermediate-ca"
)
check_made() {
  local name=$1 f=$W/$1.pcapng streams want got cert c
  streams=$(tshark -r "$f" -Y tls -T fields -e tcp.stream 2>/dev/null | sort -u | wc -l)
  ((streams == 1)) || { echo "$name: $streams TLS connections, want 1" >&2; return 1; }
  want=$(for cert in ${CHAIN[$name]}; do
           openssl x509 -in "$VP/$cert.pem" -outform DER | od -An -v -tx1 | tr -d ' \n'; echo
         done)
  got=$(tshark -r "$f" -Y 'tls.handshake.type == 11' -T fields -e tls.handshake.certificate 2>/dev/null |
        sed 's/,/\n/g; s/://g')
  [[ $want == "$got" ]] ||
    { echo "$name: the Certificate messages do not carry ${CHAIN[$name]}" >&2; return 1; }
  c=$(tshark -r "$f" -Y 'tls.record.content_type == 23' -T fields -e tcp.srcport 2>/dev/null | sort -u | wc -l)
  ((c == 2)) || { echo "$name: application data from $c side(s), want both (a completed handshake)" >&2; return 1; }
  capinfos -k "$f" | grep -q "^Capture comment: *$name: " || { echo "$name: no capture comment" >&2; return 1; }
}

# ---- main --------------------------------------------------------------------------------------
if [[ -n $new_pki ]]; then
  VP=$W/pki-verify
  make_pki "$VP"
else
  VP=pki/verify
fi
make_scenarios "$@"
((${#made[@]})) || exit 0
for s in "${made[@]}"; do
  check_made "$s" || {
    cp "$W/$s.pcapng" "$log/$s.failed.pcapng"; cp "$W/$s.keys" "$log/$s.failed.keys"
    echo "nothing replaced; the new capture is in $log/$s.failed.pcapng for inspection" >&2
    exit 1
  }
done
mkdir -p "$OUT"
if [[ -n $new_pki ]]; then
  rm -rf pki/verify.old; [[ ! -d pki/verify ]] || mv pki/verify pki/verify.old
  mkdir -p pki/verify
  cp "$VP"/*.pem "$VP"/*.key pki/verify/ && chmod 600 pki/verify/*.key && rm -rf pki/verify.old
fi
for s in "${made[@]}"; do
  chmod 644 "$W/$s.pcapng" "$W/$s.keys"
  mv -f "$W/$s.pcapng" "$W/$s.keys" "$OUT/"
done
echo "captures written to $(pwd)/$OUT: ${made[*]}"
