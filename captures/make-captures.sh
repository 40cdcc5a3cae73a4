#!/usr/bin/env bash
# Generate the integration-test and teaching captures: one real server + client per scenario
# on 127.0.0.1, recorded with dumpcap on lo. Each NAME.pcapng gets its TLS secrets injected
# (the client's key log, also kept as NAME.keys) and packet comments on the key frames, taken
# from the scenario's notes below.
# Usage: bash captures/make-captures.sh [NAME...]   (default: all scenarios)
# Everything is made in a temporary folder; the captures here are replaced only when every
# selected scenario was made, annotated and matches scenarios.tsv (check-captures.sh).
set -euo pipefail
cd "$(dirname "$0")"
source ./lib.sh  # settings, peers, dumpcap, notes, annotate, check_and_replace (shared)

# ---- scenarios: SCENARIO NAME PORT; NOTES[NAME] feeds annotate() ---------------------------

tls12-oneway-gnutls() {  # -a: gnutls-serv would otherwise send a CertificateRequest
  server $1 $2 gnutls-serv -p $2 --echo -a "${GSRV[@]}"
  cap_start $1 $2; gcli $1 $2 $G12; cap_stop $1
}
note tls12-oneway-gnutls <<'EOF'
- capture tls12-oneway-gnutls: gnutls-cli -> gnutls-serv, TLS 1.2, one-way authentication: the server proves who it is with a chain up to the tlsauth Test Root CA (captures/pki/ca.pem); the client stays anonymous. Completes; one line is echoed.
1 ch ClientHello: gnutls-cli offers TLS 1.2 with SNI server.tlsauth.test, the name it will require in the server certificate.
1 scert The server presents its chain (leaf server.tlsauth.test + tlsauth Test Intermediate CA) and sends no CertificateRequest: only the server is authenticated (one-way).
1 capp First application data from the client: gnutls-cli accepted the chain (its root is in ca.pem, the name matches), the handshake completed.
1 sapp The server echoes the line: the connection is in use, authenticated one way.
EOF
tls13-oneway-openssl() {
  osrv $1 $2 1 -tls1_3 -rev "${GOOD_SRV[@]}"
  cap_start $1 $2; ocli $1 $2 -tls1_3; cap_stop $1
}
note tls13-oneway-openssl <<'EOF'
- capture tls13-oneway-openssl: s_client -> s_server, TLS 1.3, one-way authentication, completes. Everything after the ServerHello is encrypted: the certificates can only be seen with the TLS secrets (injected in this file, and in tls13-oneway-openssl.keys).
1 ch ClientHello: s_client offers TLS 1.3 with SNI server.tlsauth.test and a key share, so everything after the ServerHello is encrypted.
1 scert ServerHello, then, encrypted: the server's Certificate (leaf server.tlsauth.test + tlsauth Test Intermediate CA), CertificateVerify (proof that it holds the leaf's private key) and Finished. No CertificateRequest: one-way.
1 cfin The client's Finished, without any certificate: s_client verified the server chain against ca.pem and the host name.
1 sapp The server answers (s_server -rev reverses the line): the handshake completed, the server alone is authenticated.
EOF
tls12-mutual-openssl() {
  osrv $1 $2 1 -tls1_2 -rev "${GOOD_SRV[@]}" "${VERIFY_CLIENT[@]}"
  cap_start $1 $2; ocli $1 $2 -tls1_2 "${ALICE[@]}"; cap_stop $1
}
note tls12-mutual-openssl <<'EOF'
- capture tls12-mutual-openssl: s_client with alice's chain -> s_server -Verify 1 -verify_return_error, TLS 1.2, mutual authentication: both chains lead to the tlsauth Test Root CA (captures/pki/ca.pem). Completes.
1 ch ClientHello: s_client offers TLS 1.2 with SNI server.tlsauth.test.
1 scert The server presents its chain (leaf server.tlsauth.test + tlsauth Test Intermediate CA)
1 creq and asks for a client certificate (CertificateRequest): mutual authentication.
1 ccert The client presents alice's chain (alice + tlsauth Test Intermediate CA) and proves that it holds alice's private key (CertificateVerify).
1 sapp The server accepted alice's chain (checked against ca.pem) and replies: mutual authentication completed.
EOF
tls13-mutual-gnutls() {
  server $1 $2 gnutls-serv -p $2 --echo -r --verify-client-cert --x509cafile $P/ca.pem "${GSRV[@]}"
  cap_start $1 $2
  gcli $1 $2 $G13 --x509certfile $P/client-chain.pem --x509keyfile $P/client.key
  cap_stop $1
}
note tls13-mutual-gnutls <<'EOF'
- capture tls13-mutual-gnutls: gnutls-cli with alice's chain -> gnutls-serv --verify-client-cert, TLS 1.3, mutual authentication, completes. Both Certificate messages are encrypted: visible only with the TLS secrets (injected in this file).
1 ch ClientHello: gnutls-cli offers TLS 1.3 only, with SNI server.tlsauth.test.
1 scert Encrypted: the server presents its chain (leaf server.tlsauth.test + tlsauth Test Intermediate CA) with CertificateVerify
1 creq and asks for a client certificate (CertificateRequest): mutual authentication.
1 ccert Encrypted: the client presents alice's chain (alice + tlsauth Test Intermediate CA) and proves that it holds alice's key (CertificateVerify), then Finished.
1 capp The client sends its first application data right away.
1 sapp The server echoes the line: it accepted alice (--verify-client-cert, against ca.pem); mutual authentication completed.
EOF
tls12-unknown-ca-openssl() {
  osrv $1 $2 1 -tls1_2 -rev "${ROGUE_SRV[@]}"
  cap_start $1 $2; ocli $1 $2 -tls1_2; cap_stop $1
}
note tls12-unknown-ca-openssl <<'EOF'
- capture tls12-unknown-ca-openssl: s_server presents a leaf issued by the tlsauth Rogue Root CA; s_client trusts only the tlsauth Test Root CA (captures/pki/ca.pem). TLS 1.2, the client aborts with unknown_ca.
1 ch ClientHello: s_client offers TLS 1.2 with SNI server.tlsauth.test; it trusts only the tlsauth Test Root CA.
1 scert The server presents a single certificate: server.tlsauth.test issued by the tlsauth Rogue Root CA (the rogue root itself is not sent). No CertificateRequest.
1 calert The client rejects the server certificate: unknown_ca - it does not trust the rogue CA. Fatal alert, in plaintext (no keys exist yet).
EOF
tls13-unknown-ca-openssl() {
  osrv $1 $2 1 -tls1_3 -rev "${ROGUE_SRV[@]}"
  cap_start $1 $2; ocli $1 $2 -tls1_3; cap_stop $1
}
note tls13-unknown-ca-openssl <<'EOF'
- capture tls13-unknown-ca-openssl: as tls12-unknown-ca-openssl in TLS 1.3: s_server presents a leaf from the tlsauth Rogue Root CA, s_client aborts with unknown_ca. The server's certificate is encrypted, the client's alert is not.
1 ch ClientHello: s_client offers TLS 1.3 with SNI server.tlsauth.test; it trusts only the tlsauth Test Root CA.
1 scert ServerHello, then, encrypted: the server's Certificate (a single leaf issued by the tlsauth Rogue Root CA), CertificateVerify and Finished.
1 calert The client rejects the server certificate: unknown_ca - it does not trust the rogue CA. OpenSSL sends this alert in plaintext, before switching to its handshake keys.
EOF
tls12-nocert-gnutls() {
  server $1 $2 gnutls-serv -p $2 --echo -r --verify-client-cert --x509cafile $P/ca.pem "${GSRV[@]}"
  cap_start $1 $2; gcli $1 $2 $G12; cap_stop $1
}
note tls12-nocert-gnutls <<'EOF'
- capture tls12-nocert-gnutls: gnutls-serv --verify-client-cert requires a client certificate, gnutls-cli has none. TLS 1.2, the server aborts with decode_error.
1 ch ClientHello: gnutls-cli offers TLS 1.2 with SNI server.tlsauth.test; it has no certificate of its own.
1 scert The server presents its chain (leaf server.tlsauth.test + tlsauth Test Intermediate CA)
1 creq and asks for a client certificate (CertificateRequest).
1 ccert The client has no certificate: it sends an empty Certificate message (and so no CertificateVerify), then ClientKeyExchange and Finished.
1 salert The server requires a client certificate and rejects the empty one: fatal decode_error (the alert GnuTLS uses here).
EOF
tls12-nocert-openssl() {
  osrv $1 $2 1 -tls1_2 -rev "${GOOD_SRV[@]}" "${VERIFY_CLIENT[@]}"
  cap_start $1 $2; ocli $1 $2 -tls1_2; cap_stop $1
}
note tls12-nocert-openssl <<'EOF'
- capture tls12-nocert-openssl: s_server -Verify 1 -verify_return_error requires a client certificate, s_client has none. TLS 1.2, the server aborts with handshake_failure.
1 ch ClientHello: s_client offers TLS 1.2 with SNI server.tlsauth.test; it has no certificate of its own.
1 scert The server presents its chain (leaf server.tlsauth.test + tlsauth Test Intermediate CA)
1 creq and asks for a client certificate (CertificateRequest).
1 ccert The client has no certificate: it sends an empty Certificate message (and so no CertificateVerify), then ClientKeyExchange and Finished.
1 salert The server requires a client certificate (-Verify 1 -verify_return_error) and aborts: fatal handshake_failure.
EOF
tls13-nocert-openssl() {
  osrv $1 $2 1 -tls1_3 -rev "${GOOD_SRV[@]}" "${VERIFY_CLIENT[@]}"
  cap_start $1 $2; ocli $1 $2 -tls1_3; cap_stop $1
}
note tls13-nocert-openssl <<'EOF'
- capture tls13-nocert-openssl: s_server -Verify 1 -verify_return_error requires a client certificate, s_client has none. TLS 1.3: the client considers the handshake done (and may send data), then the server aborts with an encrypted certificate_required.
1 ch ClientHello: s_client offers TLS 1.3 with SNI server.tlsauth.test; it has no certificate of its own.
1 scert Encrypted: the server presents its chain (leaf server.tlsauth.test + tlsauth Test Intermediate CA)
1 creq and asks for a client certificate (CertificateRequest).
1 ccert Encrypted: the client sends an empty Certificate (it has none) and its Finished; for the client the handshake is over.
1 capp? The client already sends application data (a TLS 1.3 client may, right after its Finished).
1 salert The server requires a client certificate: fatal certificate_required, encrypted with the server's application traffic keys (without the secrets only an encrypted alert is visible).
EOF
tls12-badclient-openssl() {
  osrv $1 $2 1 -tls1_2 -rev "${GOOD_SRV[@]}" "${VERIFY_CLIENT[@]}"
  cap_start $1 $2; ocli $1 $2 -tls1_2 "${MALLORY[@]}"; cap_stop $1
}
note tls12-badclient-openssl <<'EOF'
- capture tls12-badclient-openssl: s_client presents mallory's certificate (tlsauth Rogue Root CA) to s_server -Verify 1 -verify_return_error, which trusts only the tlsauth Test Root CA. TLS 1.2, the server aborts with unknown_ca.
1 ch ClientHello: s_client offers TLS 1.2 with SNI server.tlsauth.test.
1 scert The server presents its chain (leaf server.tlsauth.test + tlsauth Test Intermediate CA)
1 creq and asks for a client certificate (CertificateRequest): mutual authentication.
1 ccert The client presents mallory's certificate alone (issued by the tlsauth Rogue Root CA, which is not sent) and proves that it holds mallory's key (CertificateVerify).
1 salert The server rejects the client certificate: unknown_ca - it does not trust the rogue CA.
EOF
tls13-badclient-gnutls() {
  server $1 $2 gnutls-serv -p $2 --echo -r --verify-client-cert --x509cafile $P/ca.pem "${GSRV[@]}"
  cap_start $1 $2
  gcli $1 $2 $G13 --x509certfile $P/mallory.pem --x509keyfile $P/mallory.key
  cap_stop $1
}
note tls13-badclient-gnutls <<'EOF'
- capture tls13-badclient-gnutls: gnutls-cli presents mallory's certificate (tlsauth Rogue Root CA) to gnutls-serv --verify-client-cert, TLS 1.3. The server aborts with two encrypted alerts, access_denied and bad_certificate (the client may already have sent data).
1 ch ClientHello: gnutls-cli offers TLS 1.3 only, with SNI server.tlsauth.test.
1 scert Encrypted: the server presents its chain (leaf server.tlsauth.test + tlsauth Test Intermediate CA) with CertificateVerify
1 creq and asks for a client certificate (CertificateRequest).
1 ccert Encrypted: the client presents mallory's certificate alone (tlsauth Rogue Root CA), CertificateVerify and Finished.
1 capp? The client already sends application data: for a TLS 1.3 client the handshake is over.
1 salert The server rejects the client certificate: fatal access_denied, encrypted (GnuTLS server).
1 salert2 A second fatal alert from the server, bad_certificate (encrypted): the connection is dropped.
EOF
tls12-resumed-openssl() {  # -no_ticket: resume by session ID
  local s=$W/$1.session
  osrv $1 $2 2 -tls1_2 -rev -no_ticket "${GOOD_SRV[@]}"
  cap_start $1 $2
  ocli $1 $2 -tls1_2 -no_ticket -sess_out $s
  ocli $1 $2 -tls1_2 -no_ticket -sess_in $s
  cap_stop $1
}
note tls12-resumed-openssl <<'EOF'
- capture tls12-resumed-openssl: two TLS 1.2 connections from s_client to s_server -no_ticket: a full handshake in which the server is authenticated by its chain, then a session-ID resumption in which no certificate is sent at all.
1 ch Connection 1, ClientHello: TLS 1.2, SNI server.tlsauth.test, no session to resume.
1 scert The server presents its chain (leaf server.tlsauth.test + tlsauth Test Intermediate CA); s_client verifies it and will save the session (-sess_out).
1 sapp Connection 1 completed: server authenticated, application data exchanged.
2 ch Connection 2, ClientHello carrying the session ID of connection 1 (s_client -sess_in).
2 sh Abbreviated handshake: the server resumes the session (ServerHello with the same session ID, ChangeCipherSpec, Finished). No Certificate: the authentication is inherited from connection 1.
2 sapp Connection 2 completed on the resumed session.
EOF
tls13-resumed-openssl() {  # session saved from the server's NewSessionTicket (PSK)
  local s=$W/$1.session
  osrv $1 $2 2 -tls1_3 -rev "${GOOD_SRV[@]}"
  cap_start $1 $2
  ocli $1 $2 -tls1_3 -sess_out $s
  ocli $1 $2 -tls1_3 -sess_in $s
  cap_stop $1
}
note tls13-resumed-openssl <<'EOF'
- capture tls13-resumed-openssl: two TLS 1.3 connections from s_client to s_server: a full handshake in which the server is authenticated by its chain, then a PSK resumption (psk_dhe_ke) in which no certificate is sent.
1 ch Connection 1, ClientHello: TLS 1.3, SNI server.tlsauth.test, no ticket to offer.
1 scert ServerHello, then, encrypted: the server's chain (leaf server.tlsauth.test + tlsauth Test Intermediate CA), CertificateVerify and Finished.
1 ticket The server sends NewSessionTicket (encrypted): a PSK for later resumption, which s_client saves (-sess_out).
2 ch Connection 2, ClientHello with a pre_shared_key extension: the ticket of connection 1 (s_client -sess_in), with psk_dhe_ke.
2 sh The server accepts the PSK: ServerHello, then EncryptedExtensions and Finished - no Certificate, no CertificateVerify. The authentication is inherited from connection 1.
2 sapp Connection 2 completed on the resumed session.
EOF
tls12-hostname-curl() {  # curl checks the name after the handshake, then just closes
  osrv $1 $2 1 -www "${GOOD_SRV[@]}"
  cap_start $1 $2
  SSLKEYLOGFILE=$W/$1.keys timeout $T curl -sS --cacert $P/ca.pem --tlsv1.2 --tls-max 1.2 \
    --resolve wrong.tlsauth.test:$2:127.0.0.1 https://wrong.tlsauth.test:$2/ \
    >>"$log/$1.client.log" 2>&1 || echo "client exit $?" >>"$log/$1.client.log"
  cap_stop $1
}
note tls12-hostname-curl <<'EOF'
- capture tls12-hostname-curl: curl asks for https://wrong.tlsauth.test (resolved to 127.0.0.1) and gets the valid chain of server.tlsauth.test. TLS 1.2: the handshake completes, then curl checks the name, rejects it and closes without sending a request.
1 ch ClientHello: SNI wrong.tlsauth.test, the name curl will check.
1 scert The server presents its chain (leaf server.tlsauth.test, localhost, 127.0.0.1 + tlsauth Test Intermediate CA): trusted, but not issued for wrong.tlsauth.test.
1 cfin The client finishes the handshake: curl checks the host name only once it is complete.
1 calert curl rejects the name (no subject alternative name matches wrong.tlsauth.test) and closes with an encrypted close_notify, without any request: a drop, not a failed handshake.
EOF
# Chain-validation scenarios: one defect of the server's chain (or the client's) each.
tls12-expired-openssl() {
  leaf server-expired chain; osrv $1 $2 1 -tls1_2 -rev "${LEAF[@]}"
  cap_start $1 $2; ocli $1 $2 -tls1_2; cap_stop $1
}
note tls12-expired-openssl <<'EOF'
- capture tls12-expired-openssl: s_server presents a leaf valid 2025-01-01..2025-12-31 (expired when captured) + the intermediate; s_client -verify_return_error, TLS 1.2, aborts with certificate_expired.
1 ch ClientHello: s_client offers TLS 1.2 with SNI server.tlsauth.test; it trusts only the tlsauth Test Root CA.
1 scert The server presents its chain: leaf server.tlsauth.test, valid only until 2025-12-31, + tlsauth Test Intermediate CA. The path to the root is complete; the leaf has expired.
1 calert The client rejects the server certificate: certificate_expired - the leaf's validity ended before this capture was made. Fatal alert, plaintext.
EOF
tls13-notyetvalid-openssl() {
  leaf server-notyetvalid chain; osrv $1 $2 1 -tls1_3 -rev "${LEAF[@]}"
  cap_start $1 $2; ocli $1 $2 -tls1_3; cap_stop $1
}
note tls13-notyetvalid-openssl <<'EOF'
- capture tls13-notyetvalid-openssl: s_server presents a leaf valid only from 2035-01-01 (not yet valid when captured) + the intermediate; s_client -verify_return_error, TLS 1.3, aborts with bad_certificate.
1 ch ClientHello: s_client offers TLS 1.3 with SNI server.tlsauth.test; it trusts only the tlsauth Test Root CA.
1 scert ServerHello, then, encrypted: the server's chain (leaf server.tlsauth.test valid from 2035-01-01 + tlsauth Test Intermediate CA), CertificateVerify and Finished.
1 calert The client rejects the server certificate: bad_certificate - OpenSSL's alert for a certificate that is not yet valid (TLS has no alert of its own for that). Sent in plaintext, before the client switched to its handshake keys.
EOF
tls12-wronghost-gnutls() {
  server $1 $2 gnutls-serv -p $2 --echo -a --x509certfile $P/server-otherhost-chain.pem \
    --x509keyfile $P/server-otherhost.key
  cap_start $1 $2; gcli $1 $2 $G12; cap_stop $1
}
note tls12-wronghost-gnutls <<'EOF'
- capture tls12-wronghost-gnutls: gnutls-cli asks for server.tlsauth.test, gnutls-serv presents a valid chain for other.tlsauth.test only. TLS 1.2: the client checks the name during the handshake and aborts with bad_certificate.
1 ch ClientHello: gnutls-cli offers TLS 1.2 with SNI server.tlsauth.test, the name it checks in the server certificate (--verify-hostname).
1 scert The server presents a chain that leads to the trusted root (leaf other.tlsauth.test + tlsauth Test Intermediate CA), but the leaf names only other.tlsauth.test.
1 calert The client rejects the server certificate: bad_certificate - the name does not match. GnuTLS checks the name inside the handshake (curl in tls12-hostname-curl does it after). No secret was derived: the key log is empty.
EOF
tls12-wrongeku-openssl() {
  leaf server-wrongeku chain; osrv $1 $2 1 -tls1_2 -rev "${LEAF[@]}"
  cap_start $1 $2; ocli $1 $2 -tls1_2; cap_stop $1
}
note tls12-wrongeku-openssl <<'EOF'
- capture tls12-wrongeku-openssl: s_server presents a leaf whose Extended Key Usage is clientAuth only, + the intermediate; s_client -verify_return_error, TLS 1.2, aborts with unsupported_certificate.
1 ch ClientHello: s_client offers TLS 1.2 with SNI server.tlsauth.test.
1 scert The server presents its chain (leaf server.tlsauth.test + tlsauth Test Intermediate CA), but the leaf's Extended Key Usage allows client authentication only (no serverAuth).
1 calert The client rejects the server certificate: unsupported_certificate - the certificate may not be used to authenticate a TLS server (unsuitable purpose).
EOF
tls12-nointermediate-openssl() {
  leaf server; osrv $1 $2 1 -tls1_2 -rev "${LEAF[@]}"
  cap_start $1 $2; ocli $1 $2 -tls1_2; cap_stop $1
}
note tls12-nointermediate-openssl <<'EOF'
- capture tls12-nointermediate-openssl: s_server presents only its leaf, without the intermediate CA; s_client trusts only the root and aborts with unknown_ca. TLS 1.2.
1 ch ClientHello: s_client offers TLS 1.2 with SNI server.tlsauth.test; it trusts only the tlsauth Test Root CA.
1 scert The server presents only its leaf (server.tlsauth.test, issued by the tlsauth Test Intermediate CA) and omits the intermediate: the path to the root is broken.
1 calert The client rejects the server certificate: unknown_ca - it cannot find the leaf's issuer (the intermediate was not sent, and the client trusts only the root).
EOF
tls13-selfsigned-openssl() {
  leaf server-selfsigned; osrv $1 $2 1 -tls1_3 -rev "${LEAF[@]}"
  cap_start $1 $2; ocli $1 $2 -tls1_3; cap_stop $1
}
note tls13-selfsigned-openssl <<'EOF'
- capture tls13-selfsigned-openssl: s_server presents a self-signed certificate for server.tlsauth.test; s_client trusts only the tlsauth Test Root CA. TLS 1.3, the client aborts with unknown_ca.
1 ch ClientHello: s_client offers TLS 1.3 with SNI server.tlsauth.test; it trusts only the tlsauth Test Root CA.
1 scert ServerHello, then, encrypted: a single self-signed certificate for server.tlsauth.test, CertificateVerify and Finished.
1 calert The client rejects the server certificate: unknown_ca - a self-signed certificate that it does not trust. Plaintext alert, sent before the client switched to its handshake keys.
EOF
tls12-revoked-openssl() {
  leaf server-revoked chain; osrv $1 $2 1 -tls1_2 -rev "${LEAF[@]}"
  cap_start $1 $2; ocli $1 $2 -tls1_2 -CRL $P/crl.pem -crl_check; cap_stop $1
}
note tls12-revoked-openssl <<'EOF'
- capture tls12-revoked-openssl: s_server presents a leaf that the intermediate revoked on 2026-02-01 (captures/pki/crl.pem); s_client -CRL pki/crl.pem -crl_check, TLS 1.2, aborts with certificate_revoked.
1 ch ClientHello: s_client offers TLS 1.2 with SNI server.tlsauth.test; it trusts the tlsauth Test Root CA and checks the leaf against pki/crl.pem.
1 scert The server presents its chain (leaf server.tlsauth.test, serial 0D + tlsauth Test Intermediate CA): a complete, trusted path, but serial 0D is listed in the intermediate's CRL.
1 calert The client rejects the server certificate: certificate_revoked - the CRL lists it. A checker needs that CRL to see it (tlsauth: crl_file).
EOF
tls12-ocsp-good-openssl() {
  ocsp_response $1 server
  osrv $1 $2 1 -tls1_2 -rev "${GOOD_SRV[@]}" -status_file "$W/$1.ocsp.der"
  cap_start $1 $2; ocli $1 $2 -tls1_2 -status; cap_stop $1
}
note tls12-ocsp-good-openssl <<'EOF'
- capture tls12-ocsp-good-openssl: s_server staples an OCSP response (from the tlsauth Test OCSP Responder, delegated by the intermediate) saying its leaf is good; s_client -status, TLS 1.2, completes.
1 ch ClientHello with a status_request extension: s_client -status asks for a stapled OCSP response.
1 scert The server presents its chain (leaf server.tlsauth.test + tlsauth Test Intermediate CA)
1 status and staples an OCSP response (CertificateStatus) signed by the tlsauth Test OCSP Responder: the leaf's status is good.
1 capp The client accepted the chain: the handshake completed and it sends data.
1 sapp The server answers: one-way authentication with a fresh revocation status.
EOF
tls12-ocsp-revoked-openssl() {  # s_client -status prints the staple but does not act on it
  ocsp_response $1 server-revoked
  leaf server-revoked chain
  osrv $1 $2 1 -tls1_2 -rev "${LEAF[@]}" -status_file "$W/$1.ocsp.der"
  cap_start $1 $2; ocli $1 $2 -tls1_2 -status; cap_stop $1
}
note tls12-ocsp-revoked-openssl <<'EOF'
- capture tls12-ocsp-revoked-openssl: s_server staples an OCSP response saying its leaf (serial 0D) is revoked; s_client -status only prints it, so the TLS 1.2 handshake completes anyway.
1 ch ClientHello with a status_request extension: s_client -status asks for a stapled OCSP response.
1 scert The server presents its chain (leaf server.tlsauth.test, serial 0D + tlsauth Test Intermediate CA)
1 status and staples an OCSP response (CertificateStatus) signed by the tlsauth Test OCSP Responder: the leaf is revoked (since 2026-02-01).
1 capp The client goes on regardless: s_client -status prints the OCSP response but does not act on it, so data flows over a connection authenticated by a revoked certificate.
1 sapp The server answers: the handshake completed although the staple says revoked.
EOF
tls13-badclient-otherca-openssl() {
  osrv $1 $2 1 -tls1_3 -rev "${GOOD_SRV[@]}" "${VERIFY_CLIENT[@]}"
  cap_start $1 $2; ocli $1 $2 -tls1_3 "${MALLORY[@]}"; cap_stop $1
}
note tls13-badclient-otherca-openssl <<'EOF'
- capture tls13-badclient-otherca-openssl: s_client presents mallory's certificate (tlsauth Rogue Root CA) to s_server -Verify 1 -verify_return_error, TLS 1.3. The client considers the handshake done (and may send data), then the server aborts with an encrypted unknown_ca.
1 ch ClientHello: s_client offers TLS 1.3 with SNI server.tlsauth.test.
1 scert Encrypted: the server presents its chain (leaf server.tlsauth.test + tlsauth Test Intermediate CA) with CertificateVerify
1 creq and asks for a client certificate (CertificateRequest): mutual authentication.
1 ccert Encrypted: the client presents mallory's certificate alone (issued by the tlsauth Rogue Root CA, which is not sent), CertificateVerify and Finished.
1 capp? The client already sends application data: for a TLS 1.3 client the handshake is over.
1 salert The server rejects the client certificate: fatal unknown_ca, encrypted with the server's application traffic keys (without the secrets only an encrypted alert is visible).
EOF

# Fixed port per scenario (also when only some are selected): 44300 + position for the
# handshake scenarios, 44330 + position for the chain-validation ones (44321/44322 would be
# decoded as PCP by Wireshark, not as TLS).
SCENARIOS=(tls12-oneway-gnutls tls13-oneway-openssl tls12-mutual-openssl tls13-mutual-gnutls
  tls12-unknown-ca-openssl tls13-unknown-ca-openssl tls12-nocert-gnutls tls12-nocert-openssl
  tls13-nocert-openssl tls12-badclient-openssl tls13-badclient-gnutls tls12-resumed-openssl
  tls13-resumed-openssl tls12-hostname-curl)
CHAIN_SCENARIOS=(tls12-expired-openssl tls13-notyetvalid-openssl tls12-wronghost-gnutls
  tls12-wrongeku-openssl tls12-nointermediate-openssl tls13-selfsigned-openssl
  tls12-revoked-openssl tls12-ocsp-good-openssl tls12-ocsp-revoked-openssl
  tls13-badclient-otherca-openssl)
declare -A PORT=()
i=0; for s in "${SCENARIOS[@]}"; do PORT[$s]=$((44300 + ++i)); done
i=0; for s in "${CHAIN_SCENARIOS[@]}"; do PORT[$s]=$((44330 + ++i)); done
SCENARIOS+=("${CHAIN_SCENARIOS[@]}")
make_scenarios "$@"
((${#made[@]})) || exit 0
check_and_replace "${made[@]}"
