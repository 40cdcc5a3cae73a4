#!/usr/bin/env bash
# Wire-shape captures: handshakes whose bytes on the wire take an unusual shape, though the
# authentication itself is ordinary. A ClientHello split over two TLS records (in one TCP
# segment by OpenSSL, in two by a Python client); a server Certificate split over several
# records (TLS 1.2 and 1.3); an SSLv2-format ClientHello; versions no packaged stack speaks any
# more (TLS 1.3 draft 28, OpenSSL's pre-standard DTLS 0x0100: small fake peers); a server that
# sends its whole chain, root included, where that root is not in the client's store.
# Same machinery as make-captures.sh (lib.sh): real sockets on 127.0.0.1, dumpcap on lo, the
# client's key log injected, packet comments from the notes below, check-captures.sh before
# anything is replaced.
# Usage: bash captures/make-wire-captures.sh [NAME...]   (default: all the scenarios below)
#        bash captures/make-wire-captures.sh --rows   (only write the rows below into scenarios.tsv)
# Needs, besides make-captures.sh's tools: python3 (the peers in peers/: split_hello.py,
# sslv2_hello.py, fake_hello.py) and certtool (pki/wire/, made once from the intermediate's key).
set -euo pipefail
cd "$(dirname "$0")"
source ./lib.sh  # settings, peers, dumpcap, notes, annotate, check_and_replace (shared)

# ---- more peers ---------------------------------------------------------------------------------
listening_udp() { [[ -n $(ss -Hlun "sport = :$1") ]]; }
server_udp() {  # server_udp NAME PORT CMD...: as server(), for a UDP server
  local name=$1 port=$2; shift 2
  ! listening_udp "$port" || { echo "udp port $port is already in use" >&2; return 1; }
  timeout $((T * 4)) "$@" </dev/null >"$log/$name.server.log" 2>&1 &
  pids+=($!)
  wait_until "udp server on :$port" listening_udp "$port"
}
pyrun() {  # pyrun NAME SCRIPT ARGS...: a client from peers/, bounded, output to the client log
  local name=$1; shift
  timeout $T python3 "$@" >>"$log/$name.client.log" 2>&1 || echo "client exit $?" >>"$log/$name.client.log"
}
# comment_first NAME FILTER TEXT: a packet comment on the first frame matching FILTER (for
# frames annotate() does not find: a FIN, the first fragment of a message). Before annotate.
comment_first() {
  local name=$1 filter=$2 text=$3 frame
  frame=$(timeout 60 tshark -r "$W/$name.pcapng" -Y "$filter" -T fields -e frame.number 2>/dev/null | head -1)
  [[ -n $frame ]] || { echo "$name: no frame matches '$filter'" >&2; return 1; }
  editcap -a "$frame:$text" "$W/$name.pcapng" "$W/$name.c.pcapng"
  mv -f "$W/$name.c.pcapng" "$W/$name.pcapng"
}

# pki/wire/: an RSA 2048 server.tlsauth.test leaf from the tlsauth Test Intermediate CA (an
# SSLv2-format ClientHello has no extensions: no supported_groups, so OpenSSL 3.0 offers no ECDHE,
# and the RSA key transport suites need an RSA key). Made once; made again only when it no
# longer verifies against pki/ca.pem (after make-pki.sh; the captures must then be made again).
WIRE=$P/wire
wire_pki() {
  if [[ -f $WIRE/server-rsa.pem ]] && openssl verify -CAfile $P/ca.pem -untrusted $P/intermediate-ca.pem \
       -purpose sslserver -verify_hostname $SNI $WIRE/server-rsa.pem >/dev/null 2>&1; then
    return 0
  fi
  echo "making $WIRE (RSA 2048 server leaf)"
  local d=$W/wire
  rm -rf "$d"; mkdir -p "$d"
  TZ=UTC certtool --generate-privkey --key-type=rsa --bits=2048 --no-text --outfile "$d/server-rsa.key" 2>/dev/null
  # serial 0x57495245 ("WIRE"): far from the intermediate's other serials (its CRL revokes 0D)
  printf '%s\n' 'serial = 1464422981' 'cn = "server.tlsauth.test"' 'dns_name = "server.tlsauth.test"' \
    'dns_name = "localhost"' 'ip_address = "127.0.0.1"' signing_key encryption_key tls_www_server \
    'activation_date = "2026-01-01 00:00:00"' 'expiration_date = "2036-01-01 00:00:00"' >"$d/server-rsa.tmpl"
  TZ=UTC certtool --generate-certificate --load-privkey "$d/server-rsa.key" \
    --load-ca-certificate $P/intermediate-ca.pem --load-ca-privkey $P/intermediate-ca.key \
    --template "$d/server-rsa.tmpl" --no-text --outfile "$d/server-rsa.pem" 2>/dev/null
  chmod 600 "$d/server-rsa.key"; rm -f "$d/server-rsa.tmpl"
  openssl verify -CAfile $P/ca.pem -untrusted $P/intermediate-ca.pem -purpose sslserver \
    -verify_hostname $SNI "$d/server-rsa.pem" >/dev/null
  rm -rf "$WIRE"; mv "$d" "$WIRE"
}

# ---- scenarios: NAME() makes $W/NAME.pcapng + NAME.keys on port $2 ---------------------------
# A long ALPN list makes s_client's ClientHello about 820 bytes: more than one 512-byte record.
LONG_ALPN=$(for i in $(seq -w 1 20); do printf 'proto-%s-xxxxxxxxxxxxxxxxxxxx,' "$i"; done)
LONG_ALPN=${LONG_ALPN%,}
tls12-splithello-openssl() {
  osrv $1 $2 1 -tls1_2 -rev "${GOOD_SRV[@]}"
  cap_start $1 $2; ocli $1 $2 -tls1_2 -max_send_frag 512 -alpn "$LONG_ALPN"; cap_stop $1
}
note tls12-splithello-openssl <<'EOF'
- capture tls12-splithello-openssl: s_client -max_send_frag 512 with a long ALPN list -> s_server, TLS 1.2, one-way, completes. The ClientHello (about 820 bytes) does not fit one 512-byte record: OpenSSL fragments the handshake message over two records (512 bytes + the rest), sent in one TCP segment. Wireshark reassembles the fragments (tls.handshake.fragments).
1 ch ClientHello in two TLS records in this frame: the first holds 512 bytes of it ("Client Hello (fragment)", no tls.handshake.type), the second the rest ("last fragment"), then the reassembled message: SNI server.tlsauth.test, TLS 1.2, 20 ALPN names.
1 scert The server's Certificate (leaf server.tlsauth.test + tlsauth Test Intermediate CA), in ordinary records: only the client limits its record size.
1 capp The client accepted the chain and sends data: one-way authentication completed.
1 sapp The server answers.
EOF
tls12-splithello-python() {
  osrv $1 $2 1 -tls1_2 -rev "${GOOD_SRV[@]}"
  cap_start $1 $2; pyrun $1 peers/split_hello.py $2 "$W/$1.keys"; cap_stop $1
  comment_first $1 'tls.record.content_type == 22 && !tls.handshake.type' "The first half of the ClientHello: a TLS record of its own in a TCP segment of its own. Wireshark shows \"Client Hello (fragment)\" with no handshake type; it reassembles the message in the next segment (tshark -2: tls.handshake.reassembled_in)."
}
note tls12-splithello-python <<'EOF'
- capture tls12-splithello-python: a Python ssl client (SSLObject over memory BIOs) whose ClientHello is cut into two TLS records, each sent in a TCP segment of its own 0.2 s apart; then the real handshake with s_server -tls1_2: one-way, completes, one line each way.
1 ch The second half of the ClientHello ("last fragment"): Wireshark reassembles the message from the two records, across two TCP segments (tls.handshake.fragments): SNI server.tlsauth.test, TLS 1.2.
1 scert The server's Certificate (leaf server.tlsauth.test + tlsauth Test Intermediate CA): the server accepted the split ClientHello as one.
1 capp The client accepted the chain and sends a line.
1 sapp The server answers: one-way authentication completed.
EOF
tls12-splitcert-openssl() {
  osrv $1 $2 1 -tls1_2 -rev -max_send_frag 512 "${GOOD_SRV[@]}"
  cap_start $1 $2; ocli $1 $2 -tls1_2; cap_stop $1
}
note tls12-splitcert-openssl <<'EOF'
- capture tls12-splitcert-openssl: s_server -max_send_frag 512 -> s_client, TLS 1.2, one-way, completes. The server's Certificate (about 900 bytes) is fragmented over two handshake records of at most 512 bytes; Wireshark reassembles it (tls.handshake.fragments).
1 ch ClientHello: s_client offers TLS 1.2 with SNI server.tlsauth.test; it trusts only the tlsauth Test Root CA.
1 scert The server's Certificate, reassembled from 512-byte records: leaf server.tlsauth.test + tlsauth Test Intermediate CA, a complete path to the trusted root.
1 capp The client accepted the chain and sends data.
1 sapp The server answers: one-way authentication completed.
EOF
tls13-splitcert-openssl() {
  osrv $1 $2 1 -tls1_3 -rev -max_send_frag 512 "${GOOD_SRV[@]}"
  cap_start $1 $2; ocli $1 $2 -tls1_3; cap_stop $1
}
note tls13-splitcert-openssl <<'EOF'
- capture tls13-splitcert-openssl: s_server -max_send_frag 512 -> s_client, TLS 1.3, one-way, completes. The server's encrypted Certificate is fragmented over two encrypted records: the server's flight is 5 encrypted records instead of OpenSSL's usual 4 (the count a CertificateRequest would give); only the client's flight (a Finished alone) says no certificate was asked for. Decrypted with the injected secrets.
1 ch ClientHello: s_client offers TLS 1.3 with SNI server.tlsauth.test.
1 scert The server's Certificate (leaf server.tlsauth.test + tlsauth Test Intermediate CA), decrypted and reassembled from two encrypted records of at most 512 bytes of plaintext.
1 cfin The client's flight is its Finished alone: no CertificateRequest came (a client must answer one with a Certificate).
1 sapp The server answers: one-way authentication completed.
EOF
tls12-sslv2hello() {
  wire_pki
  # No signature_algorithms: the server must assume SHA-1 (RFC 5246 7.4.1.4.1), which OpenSSL
  # 3.0 refuses at its default security level even for RSA key transport: @SECLEVEL=0.
  osrv $1 $2 1 -tls1_2 -rev -cipher 'DEFAULT:@SECLEVEL=0' -cert $WIRE/server-rsa.pem -key $WIRE/server-rsa.key \
    -cert_chain $P/intermediate-ca.pem
  cap_start $1 $2; pyrun $1 peers/sslv2_hello.py $2; cap_stop $1
  comment_first $1 'tcp.flags.fin == 1' "The client hangs up (FIN) after the server's ServerHelloDone, without sending its own flight (ClientKeyExchange, ChangeCipherSpec, Finished): it dropped the handshake, no alert."
}
note tls12-sslv2hello <<'EOF'
- capture tls12-sslv2hello: a Python raw-socket client sends an SSLv2-compatible ClientHello (RFC 5246 appendix E.2: 2-byte record header with the high bit set, message type 1, version 0x0303, 3-byte cipher specs, no extensions hence no SNI) to s_server -tls1_2, which still accepts that format; the server answers in TLS 1.2 records with an RSA leaf (pki/wire/server-rsa.pem + tlsauth Test Intermediate CA); the client reads up to ServerHelloDone and closes the connection without its own flight.
1 ch The SSLv2-format ClientHello: tls.record.version 0x0002 (SSL 2.0 record), tls.handshake.type 1, tls.handshake.version 0x0303 (TLS 1.2), cipher specs and a 32-byte challenge, no extensions: no SNI, no supported_groups (so RSA key transport), no signature_algorithms.
1 scert The server's Certificate (RSA leaf server.tlsauth.test + tlsauth Test Intermediate CA): trusted by the test root; no SNI was sent, so no name to check.
EOF
tls13-draft-python() {
  server $1 $2 python3 peers/fake_hello.py draft28 server $2
  cap_start $1 $2; pyrun $1 peers/fake_hello.py draft28 client $2; cap_stop $1
  comment_first $1 'tcp.flags.fin == 1' "The fake client has no draft-28 stack: it hangs up (FIN) right after the ServerHello, before any certificate. No keys exist: nothing here is encrypted or decryptable."
}
note tls13-draft-python <<'EOF'
- capture tls13-draft-python: two small Python fake peers (peers/fake_hello.py draft28) over a real TCP connection: a ClientHello offering only TLS 1.3 draft 28 (supported_versions 0x7f1c, SNI server.tlsauth.test, an X25519 key share of random bytes) and a ServerHello selecting draft 28; then the client closes. No packaged stack speaks a TLS 1.3 draft any more; these bytes only have the shape of one.
1 ch ClientHello: supported_versions lists only 0x7f1c = TLS 1.3 draft 28 (tls.handshake.extensions.supported_version).
1 sh ServerHello: legacy version 0x0303, supported_versions 0x7f1c: the server selects TLS 1.3 draft 28. Its Certificate would follow encrypted; the client never waits for it.
EOF
dtls-badver() {
  server_udp $1 $2 python3 peers/fake_hello.py dtlspre server $2
  cap_start $1 $2 "udp port $2"; pyrun $1 peers/fake_hello.py dtlspre client $2; cap_stop $1
}
DATAGRAM[dtls-badver]=1
note dtls-badver <<'EOF'
- capture dtls-badver: two small Python fake peers (peers/fake_hello.py dtlspre) over UDP speak OpenSSL's pre-standard DTLS (DTLS1_BAD_VER, version 0x0100, OpenSSL before 0.9.8f): ClientHello, then the server's flight with its real certificate chain (server.tlsauth.test + tlsauth Test Intermediate CA) and a dummy ServerKeyExchange, then the client closes with a close_notify alert before its own flight.
1 ch ClientHello: record version and client_version 0x0100 (dtls.record.version, dtls.handshake.version), SNI server.tlsauth.test, no cookie.
1 scert ServerHello (version 0x0100), Certificate (leaf server.tlsauth.test + tlsauth Test Intermediate CA, trusted by the test root), ServerKeyExchange (a dummy signature: nothing is checked here) and ServerHelloDone, all in one datagram.
1 calert The client closes with a close_notify alert before any flight of its own: it dropped the handshake.
EOF
tls12-sentroot-openssl() {
  osrv $1 $2 1 -tls1_2 -rev "${ROGUE_SRV[@]}" -cert_chain $P/rogue-ca.pem
  cap_start $1 $2; ocli $1 $2 -tls1_2; cap_stop $1
}
note tls12-sentroot-openssl <<'EOF'
- capture tls12-sentroot-openssl: s_server sends its whole chain, root included: leaf server.tlsauth.test + the self-signed tlsauth Rogue Root CA; s_client trusts only the tlsauth Test Root CA and rejects the chain with unknown_ca (openssl verify: error 19, self-signed certificate in certificate chain). Sending a root proves nothing: only the client's store decides.
1 ch ClientHello: s_client offers TLS 1.2 with SNI server.tlsauth.test; it trusts only the tlsauth Test Root CA.
1 scert The server's Certificate: leaf server.tlsauth.test + tlsauth Rogue Root CA, a self-signed root that is not in the client's store.
1 calert The client rejects the chain: fatal unknown_ca, right after the server's first flight.
EOF

# ---- expectations: the rows of scenarios.tsv, written by hand from how each scenario is made --
# Columns as in scenarios.tsv's header, separated by "|" here.
rows tls12-splithello-openssl <<'ROWS'
tls12-splithello-openssl|1|TLSv1.2|server.tlsauth.test|one-way|completed|-|-|2|-|||||trusted|-|-|-|-|-|||||-||verified|-|||s_server -tls1_2 -rev + s_client -tls1_2 -max_send_frag 512 -alpn (20 names of 28 bytes): the ClientHello (about 820 bytes) is fragmented over two handshake records (512 + the rest) in one TCP segment; one handshake
ROWS
rows tls12-splithello-python <<'ROWS'
tls12-splithello-python|1|TLSv1.2|server.tlsauth.test|one-way|completed|-|-|2|-|||||trusted|-|-|-|-|-|||||-||verified|-|||s_server -tls1_2 -rev + peers/split_hello.py (python3 ssl SSLObject, TLS 1.2, ca.pem, SNI): its ClientHello re-framed into two handshake records (half each), sent in two TCP segments 0.2 s apart with TCP_NODELAY; the rest of the handshake relayed for real; one line each way, close_notify
ROWS
rows tls12-splitcert-openssl <<'ROWS'
tls12-splitcert-openssl|1|TLSv1.2|server.tlsauth.test|one-way|completed|-|-|2|-|||||trusted|-|-|-|-|-|||||-||verified|-|||s_server -tls1_2 -rev -max_send_frag 512 + s_client -tls1_2: the server's Certificate fragmented over two handshake records of at most 512 bytes
ROWS
rows tls13-splitcert-openssl <<'ROWS'
tls13-splitcert-openssl|1|TLSv1.3|server.tlsauth.test|one-way|completed|-|-|2|-|||-|-|trusted|-|-|-|-|-|-|-|-|-|-||verified|-|not-visible||s_server -tls1_3 -rev -max_send_frag 512 + s_client -tls1_3: the encrypted Certificate spans two records, so the server's encrypted flight is 5 records (EncryptedExtensions, Certificate x2, CertificateVerify, Finished); without keys the client's flight (its Finished alone) still proves no CertificateRequest: one-way
ROWS
rows tls12-sslv2hello <<'ROWS'
tls12-sslv2hello|1|TLSv1.2|-|one-way|aborted|client|fin|2|-|||||trusted|-|-|-|-|-|||||-||not-visible|-|||peers/sslv2_hello.py: an SSLv2-compatible ClientHello (RFC 5246 E.2: high-bit 2-byte header, type 1, version 0x0303, RSA/ECDHE cipher specs, no extensions, no SNI) to s_server -tls1_2 -rev -cipher DEFAULT:@SECLEVEL=0 (no signature_algorithms: SHA-1 assumed) with pki/wire/server-rsa.pem (RSA 2048) + intermediate: TLS 1.2 RSA key transport; the client reads up to ServerHelloDone and closes (FIN) without its flight
ROWS
rows tls13-draft-python <<'ROWS'
tls13-draft-python|1|TLSv1.3-draft28|server.tlsauth.test|unknown|aborted|client|fin|-|-|||||-|-|-|-|-|-|||||-||-|-|||peers/fake_hello.py draft28 (fake client and server over TCP): ClientHello with supported_versions [0x7f1c] (TLS 1.3 draft 28), SNI and a random X25519 share; ServerHello selecting 0x7f1c; the client closes (FIN) before any certificate; no keys exist
ROWS
rows dtls-badver <<'ROWS'
dtls-badver|1|DTLSv1.0-pre|server.tlsauth.test|one-way|aborted|client|close_notify|2|-|||||untrusted|proof-failed|-|-|-|-|||||-||failed|-|||peers/fake_hello.py dtlspre (fake client and server over UDP): record and handshake versions 0x0100 (OpenSSL's DTLS1_BAD_VER); ClientHello with SNI; ServerHello + Certificate (server-chain.pem) + dummy ServerKeyExchange + ServerHelloDone in one datagram; the client sends a warning close_notify alert and stops; no keys exist
ROWS
rows tls12-sentroot-openssl <<'ROWS'
tls12-sentroot-openssl|1|TLSv1.2|server.tlsauth.test|one-way|aborted|client|unknown_ca|2|-|||||untrusted|untrusted-root|-|-|-|-|||||-||verified|-|||s_server -tls1_2 -rev -cert server-rogue.pem -cert_chain rogue-ca.pem (leaf + the self-signed tlsauth Rogue Root CA) + s_client -tls1_2 -verify_return_error -CAfile ca.pem: verify error 19 (self-signed certificate in certificate chain), alert unknown_ca after ServerHelloDone
ROWS

# Fixed ports: 44500.. for TCP, 44510.. for UDP.
SCENARIOS=(tls12-splithello-openssl tls12-splithello-python tls12-splitcert-openssl
  tls13-splitcert-openssl tls12-sslv2hello tls13-draft-python tls12-sentroot-openssl dtls-badver)
declare -A PORT=([dtls-badver]=44510)
i=0; for s in "${SCENARIOS[@]:0:7}"; do PORT[$s]=$((44500 + i++)); done
run_scenarios "$@"
