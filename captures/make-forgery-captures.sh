#!/usr/bin/env bash
# Forgery captures: a peer presents a trusted certificate chain but cannot sign with the chain's key,
# so its proof of possession fails and the other peer aborts with decrypt_error. In TLS 1.2 a relay
# between real peers flips one bit of a plaintext signature in flight (the client's
# CertificateVerify; the server's ServerKeyExchange); in TLS 1.3 a real GnuTLS peer holds another
# key of the same type (P-256: mallory's) than its certificate's and signs its CertificateVerify
# with it (an LD_PRELOAD shim lets GnuTLS load the mismatched pair). A bit flipped in flight inside
# a TLS 1.3 record (the server's CertificateVerify) breaks its decryption, not its signature: the
# client aborts with bad_record_mac and the proof cannot be read (not-visible, not failed).
# Same machinery as make-captures.sh (lib.sh): real sockets on 127.0.0.1, dumpcap on lo, the
# client's key log injected, packet comments from the notes below, check-captures.sh before
# anything is replaced.
# Usage: bash captures/make-forgery-captures.sh [NAME...]   (default: all the scenarios below)
#        bash captures/make-forgery-captures.sh --rows   (only write the rows below into scenarios.tsv)
# Needs, besides make-captures.sh's tools: python3 (peers/flip_relay.py), gcc + libgnutls28-dev
# (peers/skip-key-match-shim.c).
set -euo pipefail
cd "$(dirname "$0")"
source ./lib.sh  # settings, peers, dumpcap, notes, annotate, check_and_replace (shared)

# ---- more peers ---------------------------------------------------------------------------------
# relay NAME LISTEN TARGET client|server HS_TYPE|record:N: peers/flip_relay.py for one connection
# from LISTEN to the server on TARGET, flipping a bit of that side's signature in message HS_TYPE
# (TLS 1.2), or of the ciphertext of its N-th encrypted record (TLS 1.3).
relay() { local name=$1; shift; server "$name.relay" "$1" python3 peers/flip_relay.py "$@"; }
flipped() {  # flipped NAME: fails unless the relay did change the signature
  grep -q 'flipped bit' "$log/$1.relay.server.log" ||
    { echo "$1: the relay flipped nothing (see $log/$1.relay.server.log)" >&2; return 1; }
}
# gnutls-serv / gnutls-cli that accept a private key that is not their certificate's.
SHIM=$W/skip-key-match-shim.so
gcc -O2 -Wall -shared -fPIC -o "$SHIM" peers/skip-key-match-shim.c -ldl -lgnutls

# ---- scenarios: NAME() makes $W/NAME.pcapng + NAME.keys on port $2 ---------------------------
# The relay's other leg is on $2 + 10 (not captured).
tls12-flipcv-openssl() {  # captured: relay -> server ($2); the client connects to the relay
  osrv $1 $2 1 -tls1_2 -rev "${GOOD_SRV[@]}" "${VERIFY_CLIENT[@]}"
  relay $1 $(($2 + 10)) $2 client 15
  cap_start $1 $2; ocli $1 $(($2 + 10)) -tls1_2 "${ALICE[@]}"; cap_stop $1; flipped $1
}
note tls12-flipcv-openssl <<'EOF'
- capture tls12-flipcv-openssl: s_client with alice's chain -> peers/flip_relay.py -> s_server -Verify 1 -verify_return_error, TLS 1.2, mutual. The relay flips one bit of the signature in the client's CertificateVerify on its way to the server; this capture is the relay-to-server leg, the bytes the server received. Alice's chain is trusted, but the signature no longer verifies with alice's public key: the server aborts with decrypt_error. A trusted chain proves nothing without this proof of possession of its key.
1 ch ClientHello: s_client offers TLS 1.2 with SNI server.tlsauth.test (relayed unchanged).
1 scert The server presents its chain (leaf server.tlsauth.test + tlsauth Test Intermediate CA), signs its ECDHE parameters (ServerKeyExchange: this signature verifies with the server's key)
1 creq and asks for a client certificate (CertificateRequest): mutual authentication.
1 ccert The client presents alice's chain (alice + tlsauth Test Intermediate CA, trusted by ca.pem), its ClientKeyExchange,
1 ccv then its CertificateVerify: an ECDSA signature over the handshake messages so far, whose last byte (the end of the integer s) the relay changed by one bit. It does not verify with alice's key any more; with that bit flipped back it does (as s_client signed it).
1 salert The server rejects the proof: fatal decrypt_error (OpenSSL: tls_process_cert_verify, bad signature), before its ChangeCipherSpec.
EOF
tls12-flipske-openssl() {  # captured: client -> relay ($2); the server is on $2 + 10
  osrv $1 $(($2 + 10)) 1 -tls1_2 -rev "${GOOD_SRV[@]}"
  relay $1 $2 $(($2 + 10)) server 12
  cap_start $1 $2; ocli $1 $2 -tls1_2; cap_stop $1; flipped $1
}
note tls12-flipske-openssl <<'EOF'
- capture tls12-flipske-openssl: s_client -> peers/flip_relay.py -> s_server, TLS 1.2 ECDHE-ECDSA, one-way. The relay flips one bit of the signature in the server's ServerKeyExchange on its way to the client; this capture is the client-to-relay leg, the bytes the client received. The server's chain is trusted, but its signature over the ECDHE parameters no longer verifies: the client aborts with decrypt_error before its own flight.
1 ch ClientHello: s_client offers TLS 1.2 with SNI server.tlsauth.test.
1 scert The server presents its chain (leaf server.tlsauth.test + tlsauth Test Intermediate CA, trusted by ca.pem)
1 skx and its ServerKeyExchange: the ECDHE parameters (a P-256 share) and an ECDSA signature over both hello randoms and those parameters, whose last byte (the end of the integer s) the relay changed by one bit. It does not verify with the server's key any more; with that bit flipped back it does.
1 calert The client rejects the proof: fatal decrypt_error (OpenSSL: tls_process_key_exchange, bad signature), without a ClientKeyExchange: no secret was ever derived, the key log is empty.
EOF
tls13-wrongkey-server-gnutls() {
  # --noticket: a GnuTLS server that asked no certificate sends its NewSessionTickets right after its
  # Finished, and whether they reach the wire before the client's alert is a matter of timing.
  server $1 $2 env LD_PRELOAD="$SHIM" gnutls-serv -p $2 --echo -a --noticket --x509certfile $P/server-chain.pem \
    --x509keyfile $P/mallory.key
  cap_start $1 $2; gcli $1 $2 $G13; cap_stop $1
}
note tls13-wrongkey-server-gnutls <<'EOF'
- capture tls13-wrongkey-server-gnutls: gnutls-serv presents the good chain (server-chain.pem) but holds mallory's private key (P-256, like the server's own), loaded through an LD_PRELOAD shim (peers/skip-key-match-shim.c: GNUTLS_CERTIFICATE_SKIP_KEY_CERT_MATCH), and signs its CertificateVerify with it. gnutls-cli, TLS 1.3, trusts ca.pem: the chain is trusted, the signature does not verify with the leaf's key, the client aborts with decrypt_error. Everything after the ServerHello is encrypted: without the secrets (injected in this file) neither the proof nor the alert can be read; only the server's flight of 4 encrypted records (one message each) tells that no certificate was requested.
1 ch ClientHello: gnutls-cli offers TLS 1.3 only, with SNI server.tlsauth.test.
1 scert Encrypted: the server presents its chain (leaf server.tlsauth.test + tlsauth Test Intermediate CA, trusted by ca.pem), then a CertificateVerify signed with mallory's key, not with the key the leaf certifies, and Finished. No CertificateRequest (-a): one-way.
1 calert The client rejects the proof: fatal decrypt_error (GnuTLS: public key signature verification has failed), encrypted with its handshake traffic keys.
EOF
tls13-wrongkey-client-gnutls() {
  server $1 $2 gnutls-serv -p $2 --echo --require-client-cert --x509cafile $P/ca.pem "${GSRV[@]}"
  cap_start $1 $2
  LD_PRELOAD=$SHIM gcli $1 $2 $G13 --x509certfile $P/client-chain.pem --x509keyfile $P/mallory.key
  cap_stop $1
}
note tls13-wrongkey-client-gnutls <<'EOF'
- capture tls13-wrongkey-client-gnutls: gnutls-cli presents alice's chain (client-chain.pem) but holds mallory's private key (P-256, like alice's own), loaded through an LD_PRELOAD shim (peers/skip-key-match-shim.c: GNUTLS_CERTIFICATE_SKIP_KEY_CERT_MATCH), and signs its CertificateVerify with it. gnutls-serv --require-client-cert, TLS 1.3, trusts ca.pem: alice's chain is trusted, the signature does not verify with alice's key, the server aborts with decrypt_error (the client may already have sent data). Without the secrets (injected in this file) neither the proof nor the alert can be read.
1 ch ClientHello: gnutls-cli offers TLS 1.3 only, with SNI server.tlsauth.test.
1 scert Encrypted: the server presents its chain (leaf server.tlsauth.test + tlsauth Test Intermediate CA) with a CertificateVerify that verifies
1 creq and requires a client certificate (CertificateRequest): mutual authentication.
1 ccert Encrypted: the client presents alice's chain (alice + tlsauth Test Intermediate CA, trusted by ca.pem), then a CertificateVerify signed with mallory's key, not with alice's, and Finished.
1 capp? The client already sends application data: for a TLS 1.3 client the handshake is over.
1 salert The server rejects the proof: fatal decrypt_error (GnuTLS: public key signature verification has failed), encrypted with its application traffic keys.
EOF
tls13-flipcv-openssl() {  # captured: client -> relay ($2); the server is on $2 + 10
  osrv $1 $(($2 + 10)) 1 -tls1_3 -rev "${GOOD_SRV[@]}"
  relay $1 $2 $(($2 + 10)) server record:3
  cap_start $1 $2; ocli $1 $2 -tls1_3; cap_stop $1; flipped $1
}
note tls13-flipcv-openssl <<'EOF'
- capture tls13-flipcv-openssl: s_client -> peers/flip_relay.py -> s_server, TLS 1.3, one-way. OpenSSL sends one handshake message per record: after its ServerHello and ChangeCipherSpec, the server's encrypted records are EncryptedExtensions, Certificate, CertificateVerify and Finished. The relay flips one bit in the ciphertext of the third, under the last byte of the CertificateVerify signature; this capture is the client-to-relay leg, the bytes the client received. In TLS 1.3 that bit never reaches the signature: the record's AEAD tag no longer matches, so neither the client nor Wireshark with the key log can decrypt it, and the client aborts with bad_record_mac. The server's chain is trusted; its proof of possession cannot be read (not-visible), which is not a failed proof.
1 ch ClientHello: s_client offers TLS 1.3 with SNI server.tlsauth.test.
1 scert The server's flight: ServerHello, ChangeCipherSpec and 4 encrypted records: EncryptedExtensions, its chain (leaf server.tlsauth.test + tlsauth Test Intermediate CA, trusted by ca.pem), then the record of its CertificateVerify, one bit of whose ciphertext the relay changed: it fails its authentication tag and cannot be decrypted, with or without the secrets (nor can the Finished after it). No CertificateRequest: one-way.
1 calert The client cannot decrypt the record: fatal bad_record_mac (OpenSSL: ssl3_get_record, decryption failed or bad record mac), in plaintext: s_client has not yet switched to its handshake write keys. Only the handshake traffic secrets were derived.
EOF

# ---- expectations: the rows of scenarios.tsv, written by hand from how each scenario is made --
# Columns as in scenarios.tsv's header, separated by "|" here. The chains themselves verify
# against ca.pem; the side whose proof failed is untrusted (proof-failed). TLS 1.2 signatures are
# plaintext (the same without keys); in TLS 1.3 the certificates and proofs are encrypted. A proof
# in a record that does not decrypt is not-visible, even with keys: the verdict stays the chain's.
rows tls12-flipcv-openssl <<'ROWS'
tls12-flipcv-openssl|1|TLSv1.2|server.tlsauth.test|mutual|aborted|server|decrypt_error|2|2|||||trusted|-|untrusted|proof-failed|-|-|||||-||verified|failed|||s_server -tls1_2 -rev -Verify 1 -verify_return_error -CAfile ca.pem + s_client -tls1_2 -cert alice -cert_chain intermediate, through peers/flip_relay.py (client 15): bit 0 of the last byte of the client's CertificateVerify signature (ECDSA, the end of s) flipped in flight; captured: the relay-to-server leg; the server sends decrypt_error (bad signature)
ROWS
rows tls12-flipske-openssl <<'ROWS'
tls12-flipske-openssl|1|TLSv1.2|server.tlsauth.test|one-way|aborted|client|decrypt_error|2|-|||||untrusted|proof-failed|-|-|-|-|||||-||failed|-|||s_server -tls1_2 -rev + s_client -tls1_2 -CAfile ca.pem, through peers/flip_relay.py (server 12): bit 0 of the last byte of the ServerKeyExchange signature (ECDSA, the end of s) flipped in flight; captured: the client-to-relay leg; the client sends decrypt_error (bad signature) before its ClientKeyExchange, no secrets
ROWS
rows tls13-wrongkey-server-gnutls <<'ROWS'
tls13-wrongkey-server-gnutls|1|TLSv1.3|server.tlsauth.test|one-way|aborted|client|decrypt_error|2|-||encrypted|-|-|untrusted|proof-failed|-|-|-|-|-|-|-|-|-||failed|-|not-visible||gnutls-serv -a --noticket --x509certfile server-chain.pem --x509keyfile mallory.key under LD_PRELOAD peers/skip-key-match-shim.c (GNUTLS_CERTIFICATE_SKIP_KEY_CERT_MATCH) + gnutls-cli TLS1.3 --x509cafile ca.pem: the CertificateVerify is signed with mallory's key; the client sends decrypt_error (encrypted). Without keys the alert is an encrypted one and the client's flight never comes: one-way only from the server's encrypted flight of 4 records (GnuTLS sends one message per record; no CertificateRequest)
ROWS
rows tls13-wrongkey-client-gnutls <<'ROWS'
tls13-wrongkey-client-gnutls|1|TLSv1.3|server.tlsauth.test|mutual|aborted|server|decrypt_error|2|2||encrypted|-|-|trusted|-|untrusted|proof-failed|-|-|-|-|-|-|-||verified|failed|not-visible|not-visible|gnutls-serv --require-client-cert --x509cafile ca.pem + gnutls-cli TLS1.3 --x509certfile client-chain.pem --x509keyfile mallory.key under LD_PRELOAD peers/skip-key-match-shim.c: the client's CertificateVerify is signed with mallory's key; it sends app data with its Finished, then the server sends decrypt_error (encrypted)
ROWS
rows tls13-flipcv-openssl <<'ROWS'
tls13-flipcv-openssl|1|TLSv1.3|server.tlsauth.test|one-way|aborted|client|bad_record_mac|2|-|||-|-|trusted|-|-|-|-|-|-|-|-|-|-||not-visible|-|not-visible||s_server -tls1_3 -rev + s_client -tls1_3 -CAfile ca.pem, through peers/flip_relay.py (server record:3): bit 0 of the ciphertext byte under the last byte of the CertificateVerify signature (the server's 3rd encrypted record, 18 bytes before its end: inner content type and 16-byte tag follow) flipped in flight; captured: the client-to-relay leg; the record fails its AEAD tag, so the signature cannot be read even with keys (not-visible, not failed) and the chain stays trusted; the client sends bad_record_mac in plaintext (before switching to its handshake write keys), readable without keys too; one-way without keys from the server's encrypted flight of 4 records
ROWS

# Fixed ports: 44600.. (TCP, captured); the relays' other legs 44610, 44611, 44614 (make-proof-captures.sh: 44560..44580).
SCENARIOS=(tls12-flipcv-openssl tls12-flipske-openssl tls13-wrongkey-server-gnutls tls13-wrongkey-client-gnutls
  tls13-flipcv-openssl)
declare -A PORT=()
i=0; for s in "${SCENARIOS[@]}"; do PORT[$s]=$((44600 + i++)); done
run_scenarios "$@"
