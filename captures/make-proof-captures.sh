#!/usr/bin/env bash
# Proof-of-possession captures (issue 18): mutual handshakes whose signatures use the schemes
# the other captures lack - RSA PKCS#1 v1.5, RSA-PSS with rsaEncryption keys and with RSA-PSS
# keys, ECDSA P-384, Ed25519, TLS 1.0's MD5+SHA-1 and TLS 1.1's SHA-1 - in the TLS 1.2
# ServerKeyExchange, the TLS 1.3 CertificateVerify of both sides, the TLS 1.2/1.1/1.0 client
# CertificateVerify, and DTLS 1.2 with fragmented messages and a cookie exchange. Every
# handshake is mutual and completes; one line each way, then close_notify.
# Same machinery as make-shape-captures.sh (lib.sh): real peers on 127.0.0.1, dumpcap on lo, the
# client's key log injected, packet comments from the notes below, check-captures.sh before
# anything is replaced.
# Usage: bash captures/make-proof-captures.sh [NAME...]   (default: all these scenarios)
#        bash captures/make-proof-captures.sh --rows   (only write the rows below into scenarios.tsv)
# The signature scheme of each side (in how_made and the notes) is what tshark decodes in the
# capture (tls.handshake.sig_hash_alg of the ServerKeyExchange / CertificateVerify); it is
# forced by the peers' -sigalgs / -client_sigalgs, or fixed by the key type in TLS 1.3.
# Needs make-captures.sh's tools (openssl, gnutls-bin with certtool, dumpcap/tshark/editcap).
set -euo pipefail
cd "$(dirname "$0")"
source ./lib.sh  # settings, peers, dumpcap, notes, annotate, check_and_replace (shared)

# ---- the keys: pki/proof/ ----------------------------------------------------------------------
# For each key type K (rsa = RSA 2048 rsaEncryption, rsapss = RSA 2048 id-RSASSA-PSS without
# parameters, p384 = ECDSA P-384, ed25519): server-K.pem (server.tlsauth.test, localhost,
# 127.0.0.1, EKU serverAuth) and client-K.pem (alice, EKU clientAuth), key usage
# digitalSignature only, from the tlsauth Test Intermediate CA (its ECDSA P-256 signature);
# *-chain.pem = leaf + intermediate. Keys by openssl genpkey, certificates by certtool. Made
# once; made again only when one no longer verifies against pki/ca.pem (make-pki.sh makes a new
# root: the captures must then be made again, check-captures.sh tells).
PROOF=$P/proof
PROOF_KEYS=(  # K, first serial (server; client = +1), openssl genpkey arguments
  "rsa 416 -algorithm RSA -pkeyopt rsa_keygen_bits:2048"
  "rsapss 418 -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048"
  "p384 420 -algorithm EC -pkeyopt ec_paramgen_curve:P-384"
  "ed25519 422 -algorithm ED25519")
proof_ok() {  # proof_ok DIR: every leaf of DIR verifies, with its purpose and the name
  local k
  for k in "${PROOF_KEYS[@]}"; do
    k=${k%% *}
    [[ -f $1/server-$k-chain.pem && -f $1/client-$k-chain.pem ]] || return 1
    openssl verify -CAfile $P/ca.pem -untrusted $P/intermediate-ca.pem -purpose sslserver \
      -verify_hostname $SNI "$1/server-$k.pem" >/dev/null 2>&1 || return 1
    openssl verify -CAfile $P/ca.pem -untrusted $P/intermediate-ca.pem -purpose sslclient \
      "$1/client-$k.pem" >/dev/null 2>&1 || return 1
  done
}
proof_pki() {
  proof_ok $PROOF && return 0
  echo "making $PROOF (RSA, RSA-PSS, P-384 and Ed25519 leaves from the intermediate)"
  local d=$W/proof k serial gen role name
  rm -rf "$d"; mkdir -p "$d/out"
  for k in "${PROOF_KEYS[@]}"; do
    read -r k serial gen <<<"$k"
    for role in server client; do
      name=$role-$k
      openssl genpkey $gen -out "$d/out/$name.key" 2>/dev/null
      if [[ $role == server ]]; then
        printf '%s\n' 'cn = "server.tlsauth.test"' 'dns_name = "server.tlsauth.test"' \
          'dns_name = "localhost"' 'ip_address = "127.0.0.1"' tls_www_server
      else
        printf '%s\n' 'cn = "alice"' tls_www_client
      fi >"$d/$name.tmpl"
      printf '%s\n' "serial = $serial" signing_key 'activation_date = "2026-01-01 00:00:00"' \
        'expiration_date = "2036-01-01 00:00:00"' >>"$d/$name.tmpl"
      TZ=UTC certtool --generate-certificate --load-privkey "$d/out/$name.key" \
        --load-ca-certificate $P/intermediate-ca.pem --load-ca-privkey $P/intermediate-ca.key \
        --template "$d/$name.tmpl" --no-text --outfile "$d/out/$name.pem" 2>/dev/null
      cat "$d/out/$name.pem" $P/intermediate-ca.pem >"$d/out/$name-chain.pem"
      chmod 600 "$d/out/$name.key"
      serial=$((serial + 1))
    done
  done
  proof_ok "$d/out" || { echo "$d/out: the new leaves do not verify" >&2; return 1; }
  rm -rf "$PROOF"; mv "$d/out" "$PROOF"
}
# proof_keys K: PSRV / PCLI = s_server / s_client arguments for server-K / client-K + the
# intermediate (p256: the main pki/ server and alice, ECDSA P-256).
proof_keys() {
  proof_pki
  if [[ $1 == p256 ]]; then PSRV=("${GOOD_SRV[@]}") PCLI=("${ALICE[@]}"); return; fi
  PSRV=(-cert $PROOF/server-$1.pem -cert_chain $P/intermediate-ca.pem -key $PROOF/server-$1.key)
  PCLI=(-cert $PROOF/client-$1.pem -cert_chain $P/intermediate-ca.pem -key $PROOF/client-$1.key)
}

# ---- peers -------------------------------------------------------------------------------------
# mutual NAME PORT K "S_SERVER-ARGS" S_CLIENT-ARGS...: s_server -rev -Verify 1 with server-K ->
# s_client with client-K (SERVER-ARGS: words, no spaces inside one).
mutual() {
  local name=$1 port=$2 sargs
  read -r -a sargs <<<"$4"
  proof_keys $3; shift 4
  osrv $name $port 1 -rev "${VERIFY_CLIENT[@]}" "${PSRV[@]}" "${sargs[@]}"
  cap_start $name $port
  ocli $name $port "${PCLI[@]}" "$@"
  cap_stop $name
}
# mutual_note NAME WHAT SSIG CSIG: the notes of a mutual handshake made by mutual (TLS 1.3 when
# NAME starts with tls13-). WHAT = the capture comment after "NAME: "; SSIG / CSIG = the
# server's / client's signature (scheme, key).
mutual_note() {
  local n=$1 what=$2 ssig=$3 csig=$4
  if [[ $n == tls13-* ]]; then note $n <<EOF
- capture $n: $what
1 ch ClientHello: the client offers TLS 1.3 only, with SNI server.tlsauth.test and its signature_algorithms.
1 scert Encrypted: the server presents its chain (leaf server.tlsauth.test + tlsauth Test Intermediate CA)
1 creq and asks for a client certificate (CertificateRequest, with the schemes it accepts)
1 scv and proves it holds the leaf's private key: CertificateVerify = $ssig, over the transcript up to its Certificate (context "TLS 1.3, server CertificateVerify"). Encrypted: invisible without the secrets.
1 ccert Encrypted: the client presents alice's chain (alice + tlsauth Test Intermediate CA)
1 ccv and proves it holds alice's private key: CertificateVerify = $csig, over the transcript up to its Certificate (context "TLS 1.3, client CertificateVerify").
1 capp The client sends its line.
1 sapp The server answers: both sides accepted the other's chain and signature; mutual authentication completed.
EOF
  else
    local p=${n%%-*} v; v=${p%??}; v="${v^^} ${p: -2:1}.${p: -1}"  # tls12-... -> TLS 1.2
    note $n <<EOF
- capture $n: $what
1 ch ClientHello: the client offers $v only, with SNI server.tlsauth.test and its client random (part of what the server signs).
1 scert The server presents its chain (leaf server.tlsauth.test + tlsauth Test Intermediate CA), in clear.
1 skx ServerKeyExchange: the server's ephemeral Diffie-Hellman key, signed over client random + server random + parameters: $ssig. It proves the server holds the leaf's private key, and it is plaintext: verifiable without any secret.
1 creq CertificateRequest: the server asks for a client certificate.
1 ccert The client presents alice's chain (alice + tlsauth Test Intermediate CA), in clear.
1 ccv CertificateVerify: the client's signature over all handshake messages so far: $csig. It proves the client holds alice's private key; plaintext too.
1 capp The client sends its line.
1 sapp The server answers (the line reversed): both signatures were accepted; mutual authentication completed.
EOF
  fi
}

# ---- scenarios -------------------------------------------------------------------------------
# TLS 1.2: s_server -sigalgs = what it signs the ServerKeyExchange with, -client_sigalgs = what
# its CertificateRequest lists, so what the client's CertificateVerify may use.
tls12-rsapkcs1-mutual-openssl() { mutual $1 $2 rsa "-tls1_2 -sigalgs RSA+SHA256 -client_sigalgs RSA+SHA384" -tls1_2; }
mutual_note tls12-rsapkcs1-mutual-openssl "s_client with alice's RSA 2048 chain -> s_server -Verify 1 with an RSA 2048 chain, TLS 1.2 ECDHE-RSA, signatures forced to RSA PKCS#1 v1.5 (-sigalgs RSA+SHA256 -client_sigalgs RSA+SHA384): the ServerKeyExchange is signed with rsa_pkcs1_sha256, the client's CertificateVerify with rsa_pkcs1_sha384. Both in clear. Completes; one line each way." \
  "rsa_pkcs1_sha256 (RSASSA-PKCS1-v1_5 with SHA-256) with the server's RSA 2048 key" \
  "rsa_pkcs1_sha384 (RSASSA-PKCS1-v1_5 with SHA-384) with alice's RSA 2048 key (the only scheme the CertificateRequest lists)"
tls13-rsapss-mutual-openssl() { mutual $1 $2 rsa -tls1_3 -tls1_3; }
mutual_note tls13-rsapss-mutual-openssl "s_client with alice's RSA 2048 chain -> s_server -Verify 1 with an RSA 2048 chain (rsaEncryption keys), TLS 1.3: both CertificateVerify messages are rsa_pss_rsae_sha256 (TLS 1.3 forbids PKCS#1 v1.5 there). Completes; one line each way." \
  "rsa_pss_rsae_sha256 (RSASSA-PSS, SHA-256, salt 32, an rsaEncryption key) with the server's RSA 2048 key" \
  "rsa_pss_rsae_sha256 with alice's RSA 2048 key"
tls13-rsapsspss-mutual-openssl() { mutual $1 $2 rsapss -tls1_3 -tls1_3; }
mutual_note tls13-rsapsspss-mutual-openssl "s_client with alice's RSA-PSS chain -> s_server -Verify 1 with an RSA-PSS chain: both leaves carry id-RSASSA-PSS public keys (RSA 2048, openssl genpkey -algorithm RSA-PSS), usable only for PSS. TLS 1.3: both CertificateVerify messages are rsa_pss_pss_sha256. Completes; one line each way." \
  "rsa_pss_pss_sha256 (RSASSA-PSS, SHA-256, an id-RSASSA-PSS key) with the server's RSA-PSS key" \
  "rsa_pss_pss_sha256 with alice's RSA-PSS key"
tls12-rsapsspss-openssl() { mutual $1 $2 rsapss "-tls1_2 -sigalgs rsa_pss_pss_sha384" -tls1_2; }
mutual_note tls12-rsapsspss-openssl "s_client with alice's RSA-PSS chain -> s_server -Verify 1 -sigalgs rsa_pss_pss_sha384 with an RSA-PSS chain (id-RSASSA-PSS keys, RSA 2048), TLS 1.2 ECDHE-RSA: the ServerKeyExchange and the client's CertificateVerify are both rsa_pss_pss_sha384, in clear. Completes; one line each way." \
  "rsa_pss_pss_sha384 (RSASSA-PSS, SHA-384, an id-RSASSA-PSS key) with the server's RSA-PSS key" \
  "rsa_pss_pss_sha384 with alice's RSA-PSS key (the only scheme the CertificateRequest lists)"
# TLS 1.2 does not tie an ECDSA scheme to a curve: alice's P-384 key signs with SHA-256.
tls12-p384-mutual-openssl() { mutual $1 $2 p384 "-tls1_2 -sigalgs ECDSA+SHA384 -client_sigalgs ECDSA+SHA256" -tls1_2; }
mutual_note tls12-p384-mutual-openssl "s_client with alice's ECDSA P-384 chain -> s_server -Verify 1 -sigalgs ECDSA+SHA384 -client_sigalgs ECDSA+SHA256 with a P-384 chain, TLS 1.2 ECDHE-ECDSA: the ServerKeyExchange is signed with ecdsa_secp384r1_sha384; the client's CertificateVerify with ecdsa_secp256r1_sha256 although its key is P-384 (in TLS 1.2 the scheme only names the hash, the curve is the key's). Completes; one line each way." \
  "ecdsa_secp384r1_sha384 (ECDSA with SHA-384) with the server's P-384 key" \
  "ecdsa_secp256r1_sha256 = ECDSA with SHA-256 (the only scheme the CertificateRequest lists), made with alice's P-384 key"
tls13-p384-mutual-gnutls() {
  proof_pki
  server $1 $2 gnutls-serv -p $2 --echo -r --verify-client-cert --x509cafile $P/ca.pem \
    --x509certfile $PROOF/server-p384-chain.pem --x509keyfile $PROOF/server-p384.key
  cap_start $1 $2
  gcli $1 $2 $G13 --x509certfile $PROOF/client-p384-chain.pem --x509keyfile $PROOF/client-p384.key
  cap_stop $1
}
mutual_note tls13-p384-mutual-gnutls "gnutls-cli with alice's ECDSA P-384 chain -> gnutls-serv --verify-client-cert with a P-384 chain, TLS 1.3: both CertificateVerify messages are ecdsa_secp384r1_sha384 (in TLS 1.3 the scheme fixes the curve too). Completes; one line echoed." \
  "ecdsa_secp384r1_sha384 with the server's P-384 key" "ecdsa_secp384r1_sha384 with alice's P-384 key"
NOTES[tls13-p384-mutual-gnutls]=${NOTES[tls13-p384-mutual-gnutls]/answers:/echoes it:}
tls13-ed25519-mutual-openssl() { mutual $1 $2 ed25519 -tls1_3 -tls1_3; }
mutual_note tls13-ed25519-mutual-openssl "s_client with alice's Ed25519 chain -> s_server -Verify 1 with an Ed25519 chain, TLS 1.3: both CertificateVerify messages are ed25519 (PureEdDSA: the signed content is not hashed first). Completes; one line each way." \
  "ed25519 with the server's Ed25519 key" "ed25519 with alice's Ed25519 key"
tls12-ed25519-mutual-openssl() { mutual $1 $2 ed25519 -tls1_2 -tls1_2; }
mutual_note tls12-ed25519-mutual-openssl "s_client with alice's Ed25519 chain -> s_server -Verify 1 with an Ed25519 chain, TLS 1.2 ECDHE-ECDSA (RFC 8422): the ServerKeyExchange and the client's CertificateVerify are both ed25519, in clear. Completes; one line each way." \
  "ed25519 (PureEdDSA over the whole signed content) with the server's Ed25519 key" \
  "ed25519 with alice's Ed25519 key (PureEdDSA: over the messages themselves, not a hash of them)"
tls12-dhe-rsa-openssl() { mutual $1 $2 rsa "-tls1_2 -cipher DHE-RSA-AES128-GCM-SHA256 -sigalgs rsa_pss_rsae_sha384" -tls1_2; }
mutual_note tls12-dhe-rsa-openssl "s_client with alice's RSA 2048 chain -> s_server -Verify 1 -cipher DHE-RSA-AES128-GCM-SHA256 -sigalgs rsa_pss_rsae_sha384 with an RSA 2048 chain, TLS 1.2 DHE-RSA: the ServerKeyExchange carries finite-field Diffie-Hellman parameters (p 2048 bits, g, Ys) signed with rsa_pss_rsae_sha384; the client's CertificateVerify is rsa_pss_rsae_sha384 too. Completes; one line each way." \
  "rsa_pss_rsae_sha384 (RSASSA-PSS, SHA-384, salt 48) with the server's RSA 2048 key" \
  "rsa_pss_rsae_sha384 with alice's RSA 2048 key (the only scheme the CertificateRequest lists)"
# TLS 1.0/1.1 have no signature_algorithms: RSA signs MD5 || SHA-1, ECDSA signs SHA-1.
# OpenSSL 3.0 allows them (and SHA-1) at security level 0 only.
tls10-rsa-mutual-openssl() { local v="-tls1 -cipher ECDHE-RSA-AES128-SHA:@SECLEVEL=0"; mutual $1 $2 rsa "$v" $v; }
mutual_note tls10-rsa-mutual-openssl "s_client with alice's RSA 2048 chain -> s_server -Verify 1 with an RSA 2048 chain, TLS 1.0 (-tls1 -cipher ECDHE-RSA-AES128-SHA:@SECLEVEL=0 on both sides). TLS 1.0 has no signature algorithm field: RSA signatures are PKCS#1 v1.5 over MD5 || SHA-1 (36 bytes, no DigestInfo). Completes; one line each way (the client splits its record 1/n-1)." \
  "RSA PKCS#1 v1.5 over MD5 || SHA-1 (no algorithm field in TLS 1.0) with the server's RSA 2048 key" \
  "RSA PKCS#1 v1.5 over MD5 || SHA-1, with alice's RSA 2048 key"
tls11-ecdsa-mutual-openssl() { local v="-tls1_1 -cipher ECDHE-ECDSA-AES128-SHA:@SECLEVEL=0"; mutual $1 $2 p256 "$v" $v; }
mutual_note tls11-ecdsa-mutual-openssl "s_client with alice's chain -> s_server -Verify 1 with the server's chain (pki/: both ECDSA P-256), TLS 1.1 (-tls1_1 -cipher ECDHE-ECDSA-AES128-SHA:@SECLEVEL=0 on both sides). TLS 1.1 has no signature algorithm field: ECDSA signatures are over SHA-1. Completes; one line each way." \
  "ECDSA over SHA-1 (no algorithm field in TLS 1.1) with the server's P-256 key" \
  "ECDSA over SHA-1, with alice's P-256 key"
# DTLS: s_server has no -rev for DTLS: it answers from its stdin (a FIFO, written once the client
# is connected). -listen: the stateless cookie exchange (DTLSv1_listen) before any state; -mtu 400
# on both sides: every Certificate (and the ticket) is fragmented over several datagrams.
listening_udp() { [[ -n $(ss -Hlun "sport = :$1") ]]; }
dtls12-rsa-mutual-openssl() {
  local fd cpid
  proof_keys rsa
  mkfifo "$W/$1.stdin"; exec {fd}<>"$W/$1.stdin"
  timeout $((T * 4)) openssl s_server -accept 127.0.0.1:$2 -naccept 1 -dtls1_2 -listen -mtu 400 \
    "${VERIFY_CLIENT[@]}" "${PSRV[@]}" -client_sigalgs RSA+SHA512 <"$W/$1.stdin" \
    >"$log/$1.server.log" 2>&1 &
  pids+=($!)
  wait_until "udp server on :$2" listening_udp $2
  cap_start $1 $2 "udp port $2"
  ocli $1 $2 -dtls1_2 -mtu 400 "${PCLI[@]}" & cpid=$!
  sleep 0.5; echo welcome >&$fd
  wait $cpid
  cap_stop $1; exec {fd}>&-
}
DATAGRAM[dtls12-rsa-mutual-openssl]=1
mutual_note dtls12-rsa-mutual-openssl "s_client -dtls1_2 -mtu 400 with alice's RSA 2048 chain -> s_server -dtls1_2 -listen -mtu 400 -Verify 1 -client_sigalgs RSA+SHA512 with an RSA 2048 chain, DTLS 1.2 ECDHE-RSA over UDP: a cookie exchange first, then every Certificate in fragments. The ServerKeyExchange is signed with rsa_pss_rsae_sha256, the client's CertificateVerify with rsa_pkcs1_sha512; both are computed over the reassembled messages (DTLS headers with message_seq, unfragmented), the first ClientHello and the HelloVerifyRequest left out. Completes; one line each way." \
  "rsa_pss_rsae_sha256 with the server's RSA 2048 key" \
  "rsa_pkcs1_sha512 (RSASSA-PKCS1-v1_5 with SHA-512, the only scheme the CertificateRequest lists) with alice's RSA 2048 key, over every handshake message from the second ClientHello on"
NOTES[dtls12-rsa-mutual-openssl]=$(sed -e 's/^1 scert \(.*\), in clear\./1 scert \1, in several fragments (Wireshark reassembles them)./' \
  -e 's/^1 sapp The server answers (the line reversed)/1 sapp The server answers (a line from its stdin)/' <<<"${NOTES[dtls12-rsa-mutual-openssl]}")
NOTES[dtls12-rsa-mutual-openssl]+="
1 hvr HelloVerifyRequest (s_server -listen): a cookie, before the server keeps any state.
1 ch#2 The ClientHello again, with the cookie: the transcript that both signatures cover starts here."

# ---- expectations: the rows of scenarios.tsv, written by hand from how each scenario is made --
# Columns as in scenarios.tsv's header, separated by "|" here. Every handshake is mutual and
# completes, both chains trusted (openssl verify against ca.pem). Proofs: TLS 1.2 and older
# (and DTLS 1.2) sign in clear, so both proofs are verified with or without keys; TLS 1.3
# CertificateVerify messages are encrypted: not-visible without keys (mode_nokeys mutual, from
# the record sizes).
rows tls12-rsapkcs1-mutual-openssl <<'ROWS'
tls12-rsapkcs1-mutual-openssl|1|TLSv1.2|server.tlsauth.test|mutual|completed|-|-|2|2|||||trusted|-|trusted|-|-|-|||||-||verified|verified|||s_server -tls1_2 -rev -Verify 1 -verify_return_error -CAfile ca.pem -sigalgs RSA+SHA256 -client_sigalgs RSA+SHA384 with pki/proof/server-rsa (RSA 2048) + intermediate, s_client -tls1_2 with pki/proof/client-rsa (alice, RSA 2048) + intermediate: ECDHE-RSA; server ServerKeyExchange rsa_pkcs1_sha256 (0x0401), client CertificateVerify rsa_pkcs1_sha384 (0x0501); one line each way, close_notify
ROWS
rows tls13-rsapss-mutual-openssl <<'ROWS'
tls13-rsapss-mutual-openssl|1|TLSv1.3|server.tlsauth.test|mutual|completed|-|-|2|2|||-|-|trusted|-|trusted|-|-|-|-|-|-|-|-||verified|verified|not-visible|not-visible|s_server -tls1_3 -rev -Verify 1 -verify_return_error -CAfile ca.pem with pki/proof/server-rsa (RSA 2048 rsaEncryption) + intermediate, s_client -tls1_3 with pki/proof/client-rsa (alice, RSA 2048) + intermediate: server CertificateVerify rsa_pss_rsae_sha256 (0x0804), client CertificateVerify rsa_pss_rsae_sha256 (0x0804); one line each way, close_notify
ROWS
rows tls13-rsapsspss-mutual-openssl <<'ROWS'
tls13-rsapsspss-mutual-openssl|1|TLSv1.3|server.tlsauth.test|mutual|completed|-|-|2|2|||-|-|trusted|-|trusted|-|-|-|-|-|-|-|-||verified|verified|not-visible|not-visible|s_server -tls1_3 -rev -Verify 1 -verify_return_error -CAfile ca.pem with pki/proof/server-rsapss (RSA 2048 id-RSASSA-PSS key, genpkey -algorithm RSA-PSS) + intermediate, s_client -tls1_3 with pki/proof/client-rsapss (alice, RSA-PSS key) + intermediate: server CertificateVerify rsa_pss_pss_sha256 (0x0809), client CertificateVerify rsa_pss_pss_sha256 (0x0809); one line each way, close_notify
ROWS
rows tls12-rsapsspss-openssl <<'ROWS'
tls12-rsapsspss-openssl|1|TLSv1.2|server.tlsauth.test|mutual|completed|-|-|2|2|||||trusted|-|trusted|-|-|-|||||-||verified|verified|||s_server -tls1_2 -rev -Verify 1 -verify_return_error -CAfile ca.pem -sigalgs rsa_pss_pss_sha384 with pki/proof/server-rsapss (RSA 2048 id-RSASSA-PSS key) + intermediate, s_client -tls1_2 with pki/proof/client-rsapss (alice, RSA-PSS key) + intermediate: ECDHE-RSA; server ServerKeyExchange rsa_pss_pss_sha384 (0x080a), client CertificateVerify rsa_pss_pss_sha384 (0x080a); one line each way, close_notify
ROWS
rows tls12-p384-mutual-openssl <<'ROWS'
tls12-p384-mutual-openssl|1|TLSv1.2|server.tlsauth.test|mutual|completed|-|-|2|2|||||trusted|-|trusted|-|-|-|||||-||verified|verified|||s_server -tls1_2 -rev -Verify 1 -verify_return_error -CAfile ca.pem -sigalgs ECDSA+SHA384 -client_sigalgs ECDSA+SHA256 with pki/proof/server-p384 (ECDSA P-384) + intermediate, s_client -tls1_2 with pki/proof/client-p384 (alice, P-384) + intermediate: ECDHE-ECDSA; server ServerKeyExchange ecdsa_secp384r1_sha384 (0x0503), client CertificateVerify ecdsa_secp256r1_sha256 (0x0403) made with the P-384 key (TLS 1.2: the scheme names only the hash); one line each way, close_notify
ROWS
rows tls13-p384-mutual-gnutls <<'ROWS'
tls13-p384-mutual-gnutls|1|TLSv1.3|server.tlsauth.test|mutual|completed|-|-|2|2|||-|-|trusted|-|trusted|-|-|-|-|-|-|-|-||verified|verified|not-visible|not-visible|gnutls-serv --echo -r --verify-client-cert --x509cafile ca.pem with pki/proof/server-p384-chain.pem (ECDSA P-384 + intermediate), gnutls-cli TLS1.3 priority with pki/proof/client-p384-chain.pem (alice, P-384 + intermediate): server CertificateVerify ecdsa_secp384r1_sha384 (0x0503), client CertificateVerify ecdsa_secp384r1_sha384 (0x0503); a line echoed, close_notify
ROWS
rows tls13-ed25519-mutual-openssl <<'ROWS'
tls13-ed25519-mutual-openssl|1|TLSv1.3|server.tlsauth.test|mutual|completed|-|-|2|2|||-|-|trusted|-|trusted|-|-|-|-|-|-|-|-||verified|verified|not-visible|not-visible|s_server -tls1_3 -rev -Verify 1 -verify_return_error -CAfile ca.pem with pki/proof/server-ed25519 + intermediate, s_client -tls1_3 with pki/proof/client-ed25519 (alice) + intermediate: server CertificateVerify ed25519 (0x0807), client CertificateVerify ed25519 (0x0807); one line each way, close_notify
ROWS
rows tls12-ed25519-mutual-openssl <<'ROWS'
tls12-ed25519-mutual-openssl|1|TLSv1.2|server.tlsauth.test|mutual|completed|-|-|2|2|||||trusted|-|trusted|-|-|-|||||-||verified|verified|||s_server -tls1_2 -rev -Verify 1 -verify_return_error -CAfile ca.pem with pki/proof/server-ed25519 + intermediate, s_client -tls1_2 with pki/proof/client-ed25519 (alice) + intermediate: ECDHE-ECDSA; server ServerKeyExchange ed25519 (0x0807), client CertificateVerify ed25519 (0x0807); one line each way, close_notify
ROWS
rows tls12-dhe-rsa-openssl <<'ROWS'
tls12-dhe-rsa-openssl|1|TLSv1.2|server.tlsauth.test|mutual|completed|-|-|2|2|||||trusted|-|trusted|-|-|-|||||-||verified|verified|||s_server -tls1_2 -rev -Verify 1 -verify_return_error -CAfile ca.pem -cipher DHE-RSA-AES128-GCM-SHA256 -sigalgs rsa_pss_rsae_sha384 with pki/proof/server-rsa (RSA 2048) + intermediate, s_client -tls1_2 with pki/proof/client-rsa (alice, RSA 2048) + intermediate: TLS_DHE_RSA_WITH_AES_128_GCM_SHA256, finite-field DH (p 2048 bits) in the ServerKeyExchange; server ServerKeyExchange rsa_pss_rsae_sha384 (0x0805), client CertificateVerify rsa_pss_rsae_sha384 (0x0805); one line each way, close_notify
ROWS
rows tls10-rsa-mutual-openssl <<'ROWS'
tls10-rsa-mutual-openssl|1|TLSv1.0|server.tlsauth.test|mutual|completed|-|-|2|2|||||trusted|-|trusted|-|-|-|||||-||verified|verified|||s_server -tls1 -cipher ECDHE-RSA-AES128-SHA:@SECLEVEL=0 -rev -Verify 1 -verify_return_error -CAfile ca.pem with pki/proof/server-rsa (RSA 2048) + intermediate, s_client -tls1 -cipher ECDHE-RSA-AES128-SHA:@SECLEVEL=0 with pki/proof/client-rsa (alice, RSA 2048) + intermediate: TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA; server ServerKeyExchange and client CertificateVerify both RSA PKCS#1 v1.5 over MD5+SHA-1 (TLS 1.0: no algorithm field); one line each way (1/n-1 record split), close_notify
ROWS
rows tls11-ecdsa-mutual-openssl <<'ROWS'
tls11-ecdsa-mutual-openssl|1|TLSv1.1|server.tlsauth.test|mutual|completed|-|-|2|2|||||trusted|-|trusted|-|-|-|||||-||verified|verified|||s_server -tls1_1 -cipher ECDHE-ECDSA-AES128-SHA:@SECLEVEL=0 -rev -Verify 1 -verify_return_error -CAfile ca.pem with pki/server-chain (ECDSA P-256), s_client -tls1_1 -cipher ECDHE-ECDSA-AES128-SHA:@SECLEVEL=0 with alice's chain (P-256): TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA; server ServerKeyExchange and client CertificateVerify both ECDSA over SHA-1 (TLS 1.1: no algorithm field); one line each way, close_notify
ROWS
rows dtls12-rsa-mutual-openssl <<'ROWS'
dtls12-rsa-mutual-openssl|1|DTLSv1.2|server.tlsauth.test|mutual|completed|-|-|2|2|||||trusted|-|trusted|-|-|-|||||-||verified|verified|||s_server -dtls1_2 -listen -mtu 400 -Verify 1 -verify_return_error -CAfile ca.pem -client_sigalgs RSA+SHA512 with pki/proof/server-rsa (RSA 2048) + intermediate, s_client -dtls1_2 -mtu 400 with pki/proof/client-rsa (alice, RSA 2048) + intermediate: HelloVerifyRequest (cookie), ClientHello again, ECDHE-RSA, both Certificate messages in fragments; server ServerKeyExchange rsa_pss_rsae_sha256 (0x0804), client CertificateVerify rsa_pkcs1_sha512 (0x0601); a line each way (the server's from its stdin), close_notify
ROWS

# Fixed ports 44560..44570 (TCP), 44580 (UDP).
SCENARIOS=(tls12-rsapkcs1-mutual-openssl tls13-rsapss-mutual-openssl tls13-rsapsspss-mutual-openssl
  tls12-rsapsspss-openssl tls12-p384-mutual-openssl tls13-p384-mutual-gnutls
  tls13-ed25519-mutual-openssl tls12-ed25519-mutual-openssl tls12-dhe-rsa-openssl
  tls10-rsa-mutual-openssl tls11-ecdsa-mutual-openssl dtls12-rsa-mutual-openssl)
declare -A PORT=([dtls12-rsa-mutual-openssl]=44580)
i=0; for s in "${SCENARIOS[@]:0:11}"; do PORT[$s]=$((44560 + i++)); done
run_scenarios "$@"
