#!/usr/bin/env bash
# QUIC captures: TLS 1.3 inside QUIC v1 (RFC 9001), between Debian's ngtcp2 sample peers built
# with GnuTLS (ngtcp2-client: gtlsclient, ngtcp2-server: gtlsserver; HTTP/3 over QUIC). The
# TLS handshake travels in CRYPTO frames: ClientHello/ServerHello in Initial packets (readable
# by anyone: their keys derive from the client's first Destination Connection ID), the rest in
# Handshake packets; a TLS alert becomes a CONNECTION_CLOSE (type 0x1c) with the crypto error
# 0x0100 + alert, and there is no close_notify (the HTTP/3 client closes with an application
# CONNECTION_CLOSE, type 0x1d, H3_NO_ERROR = 0x100: not a TLS alert).
# Same machinery as make-captures.sh (lib.sh): real peers on 127.0.0.1, dumpcap on lo, the
# client's key log (GnuTLS honours SSLKEYLOGFILE) injected, packet comments from the notes below
# (events() is redefined here for QUIC), check-captures.sh before anything is replaced.
# The sample peers never verify the peer's certificate (gtlsserver --verify-client only asks for
# one); for the scenarios where a peer refuses a chain, peers/quic-verify-shim.c (LD_PRELOAD,
# built here with gcc) makes GnuTLS verify it against ca.pem during the handshake; it also
# gives gtlsclient its SNI.
# Usage: bash captures/make-quic-captures.sh [NAME...]   (default: all QUIC scenarios)
#        bash captures/make-quic-captures.sh --rows   (only write the rows below into scenarios.tsv)
# Needs, besides make-captures.sh's tools: ngtcp2-client, ngtcp2-server, gcc, libgnutls28-dev.
set -euo pipefail
cd "$(dirname "$0")"
source ./lib.sh  # settings, dumpcap, notes, annotate, check_and_replace (shared)

# ---- peers ----------------------------------------------------------------------------------
listening_udp() { [[ -n $(ss -Hlun "sport = :$1") ]]; }
server_udp() {  # server_udp NAME PORT CMD...: as server, for a UDP server
  local name=$1 port=$2; shift 2
  ! listening_udp "$port" || { echo "udp port $port is already in use" >&2; return 1; }
  timeout $((T * 4)) "$@" </dev/null >"$log/$name.server.log" 2>&1 &
  pids+=($!)
  wait_until "udp server on :$port" listening_udp "$port"
}
# peers/quic-verify-shim.c (LD_PRELOAD), built once per run: gtlsclient always runs under it,
# for its SNI (QUIC_SNI: its GnuTLS build ignores --sni and sends "localhost" to a numeric
# address); verify() makes the next peer verify its peer's chain with GnuTLS against ca.pem.
SHIM=$W/quic-verify-shim.so
gcc -O2 -Wall -shared -fPIC -o "$SHIM" peers/quic-verify-shim.c -ldl -lgnutls
VERIFY=()
verify() {  # verify [HOST]: the next qsrv/qcli verifies against ca.pem (and the host name)
  VERIFY=(QUIC_VERIFY_CAFILE="$PWD/$P/ca.pem")
  [[ -z ${1:-} ]] || VERIFY+=(QUIC_VERIFY_HOST="$1")
}
# qsrv NAME PORT KEY CERT [gtlsserver-args...]: serves $W/htdocs (index.html: one line) over
# HTTP/3; no GSO batching and no path MTU probes, so every datagram is a packet on lo.
qsrv() {
  local name=$1 port=$2 key=$3 cert=$4 pre=(); shift 4
  mkdir -p "$W/htdocs"; echo "hello from the QUIC server" >"$W/htdocs/index.html"
  ((${#VERIFY[@]} == 0)) || pre=(env LD_PRELOAD="$SHIM" "${VERIFY[@]}")
  server_udp "$name" "$port" "${pre[@]}" gtlsserver --no-quic-dump --no-http-dump \
    --max-gso-dgrams=1 --no-pmtud -d "$W/htdocs" "$@" 127.0.0.1 "$port" "$P/$key" "$P/$cert"
  VERIFY=()
}
# qcli NAME PORT [gtlsclient-args...]: one GET of /index.html (SNI server.tlsauth.test), exits
# once the response is read (or the connection is closed).
qcli() {
  local name=$1 port=$2; shift 2
  timeout $T env LD_PRELOAD="$SHIM" QUIC_SNI=$SNI "${VERIFY[@]}" SSLKEYLOGFILE="$W/$name.keys" \
    gtlsclient --no-quic-dump --no-pmtud --exit-on-all-streams-close --handshake-timeout=5s \
    --timeout=5s "$@" 127.0.0.1 "$port" "https://$SNI:$port/index.html" \
    >>"$log/$name.client.log" 2>&1 || echo "client exit $?" >>"$log/$name.client.log"
  VERIFY=()
}
ALICE_Q=(--key=$P/client.key --cert=$P/client-chain.pem)
MALLORY_Q=(--key=$P/mallory.key --cert=$P/mallory.pem)

# ---- notes: events of a QUIC capture ----------------------------------------------------------
# Replaces lib.sh's events() (TLS/DTLS) for this script. CONN = quic.connection.number + 1;
# the side is the UDP source port of the client's Initial (ClientHello). Events: the handshake
# messages as in lib.sh (ch sh scert creq ccert ccv sfin cfin ticket), plus ee
# (EncryptedExtensions, with the QUIC transport parameters), sdone (HANDSHAKE_DONE frame, the
# server confirms the handshake), capp sapp (first STREAM frame), calert salert (CONNECTION_CLOSE
# 0x1c carrying a crypto error = TLS alert), cclose sclose (any other CONNECTION_CLOSE).
events() {  # events NAME: "CONN EVENT FRAME" lines, from the capture decrypted with its key log
  timeout 60 tshark -r "$W/$1.pcapng" -o "tls.keylog_file:$W/$1.keys" -Y quic -T fields \
    -E separator=/t -e frame.number -e quic.connection.number -e udp.srcport \
    -e tls.handshake.type -e quic.frame_type -e quic.cc.error_code.tls_alert 2>/dev/null | awk -F'\t' '
  function ev(name) {
    if (!((c, name) in seen)) { seen[c, name] = 1; print c, name, $1 }
    else if (++again[c, name] > 0) print c, name "#" again[c, name] + 1, $1
  }
  {
    split($2, q, ","); if (q[1] == "") next
    c = q[1] + 1
    nt = split($4, t, ",")
    if (!(c in cport)) for (i = 1; i <= nt; i++) if (t[i] == 1) cport[c] = $3
    x = $3 == cport[c] ? "c" : "s"
    for (i = 1; i <= nt; i++) {
      if (t[i] == 1) ev("ch"); if (t[i] == 2) ev("sh"); if (t[i] == 4) ev("ticket")
      if (t[i] == 8) ev("ee"); if (t[i] == 11) ev(x "cert"); if (t[i] == 13) ev("creq")
      if (t[i] == 15) ev(x "cv"); if (t[i] == 20) ev(x "fin")
    }
    nf = split($5, f, ","); st = 0; cc = 0; done = 0
    for (i = 1; i <= nf; i++) {
      if (f[i] >= 8 && f[i] <= 15) st = 1
      if (f[i] == 28 || f[i] == 29) cc = 1
      if (f[i] == 30) done = 1
    }
    if (done) ev("sdone")
    if (st) ev(x "app")
    if ($6 != "") ev(x "alert")
    else if (cc) ev(x "close")
  }'
}

# ---- scenarios --------------------------------------------------------------------------------
quic-oneway-ngtcp2() {
  qsrv $1 $2 server.key server-chain.pem
  cap_start $1 $2 "udp port $2"
  qcli $1 $2
  cap_stop $1
}
note quic-oneway-ngtcp2 <<'EOF'
- capture quic-oneway-ngtcp2: gtlsclient -> gtlsserver (ngtcp2 + GnuTLS), HTTP/3 over QUIC v1, TLS 1.3 inside QUIC, one-way authentication, completes; one GET answered.
1 ch Initial packet, CRYPTO frame: the ClientHello (TLS 1.3 only, SNI server.tlsauth.test, ALPN h3, QUIC transport parameters). Initial packets are protected with keys anyone can derive from the Destination Connection ID: readable without secrets.
1 sh ServerHello, in the server's Initial packet; the rest of its flight is coalesced in the same UDP datagram, in a Handshake packet (its own keys: encrypted without secrets).
1 ee EncryptedExtensions: the server's QUIC transport parameters.
1 scert The server presents its chain (leaf server.tlsauth.test + tlsauth Test Intermediate CA) and sends no CertificateRequest: one-way. CertificateVerify and Finished follow.
1 cfin The client's flight is only its Finished, in a Handshake packet (no certificate was asked for). The ngtcp2 sample client does not check the server's chain (a tool would have to).
1 capp The client's first STREAM frames (1-RTT): HTTP/3 control streams and the GET.
1 sdone HANDSHAKE_DONE: the server confirms the handshake (QUIC's end of the handshake; there is no separate TLS signal).
1 sapp The server's first STREAM frames (1-RTT keys already: "0.5-RTT" data, its HTTP/3 control streams and SETTINGS), in the datagram that ends its handshake flight, before the client's Finished.
1 cclose The client closes with an application CONNECTION_CLOSE (frame 0x1d, H3_NO_ERROR 0x100): a normal end, not a TLS alert.
EOF
quic-mutual-ngtcp2() {
  qsrv $1 $2 server.key server-chain.pem --verify-client
  cap_start $1 $2 "udp port $2"
  qcli $1 $2 "${ALICE_Q[@]}"
  cap_stop $1
}
note quic-mutual-ngtcp2 <<'EOF'
- capture quic-mutual-ngtcp2: gtlsclient with alice's chain -> gtlsserver --verify-client, HTTP/3 over QUIC v1, TLS 1.3, mutual authentication, completes; one GET answered.
1 ch ClientHello in the client's Initial packet (readable without secrets).
1 sh ServerHello in the server's Initial packet; its encrypted flight follows in a Handshake packet of the same datagram.
1 scert The server presents its chain (leaf server.tlsauth.test + tlsauth Test Intermediate CA).
1 creq CertificateRequest: the server asks for a client certificate (gtlsserver --verify-client requests one, it does not verify it).
1 ccert The client presents alice's chain (alice + tlsauth Test Intermediate CA), in a Handshake packet: mutual.
1 ccv CertificateVerify: the client proves it holds alice's key.
1 capp The client's first STREAM frames (1-RTT): HTTP/3 control streams and the GET.
1 sdone HANDSHAKE_DONE: the server confirms the handshake.
1 sapp The server's first STREAM frames ("0.5-RTT" data: HTTP/3 control streams and SETTINGS), sent before it has the client's Finished.
EOF
quic-untrusted-ngtcp2() {
  qsrv $1 $2 server-rogue.key server-rogue.pem
  cap_start $1 $2 "udp port $2"
  qcli $1 $2
  cap_stop $1
}
note quic-untrusted-ngtcp2 <<'EOF'
- capture quic-untrusted-ngtcp2: gtlsclient -> gtlsserver presenting server-rogue.pem (tlsauth Rogue Root CA), TLS 1.3 in QUIC, one-way; the sample client checks nothing, so it completes anyway.
1 ch ClientHello in the client's Initial packet.
1 sh ServerHello in the server's Initial packet.
1 scert The server presents a server.tlsauth.test leaf alone, issued by the tlsauth Rogue Root CA (not sent, not trusted): this chain does not lead to ca.pem.
1 cfin The client's Finished: it accepted the chain without checking it (the ngtcp2 sample client verifies nothing).
1 capp The client sends its GET anyway, in 1-RTT packets.
1 sapp The server's STREAM frames (its HTTP/3 streams, then the answer): the connection is encrypted, but the server was never authenticated.
EOF
quic-badclient-ngtcp2() {
  qsrv $1 $2 server.key server-chain.pem --verify-client
  cap_start $1 $2 "udp port $2"
  qcli $1 $2 "${MALLORY_Q[@]}"
  cap_stop $1
}
note quic-badclient-ngtcp2 <<'EOF'
- capture quic-badclient-ngtcp2: gtlsclient with mallory's certificate -> gtlsserver --verify-client, TLS 1.3 in QUIC, mutual; the sample server requests a certificate but verifies nothing, so it completes.
1 ch ClientHello in the client's Initial packet.
1 scert The server presents its chain (leaf server.tlsauth.test + tlsauth Test Intermediate CA).
1 creq CertificateRequest: the server asks for a client certificate.
1 ccert The client presents mallory's certificate alone (issued by the tlsauth Rogue Root CA, which is not sent): untrusted against ca.pem.
1 sdone HANDSHAKE_DONE: the server accepts the handshake although it never checked mallory's chain.
1 sapp The server's first STREAM frames ("0.5-RTT" data, before the client's Finished); it answers the GET later: the client was never really authenticated.
EOF
quic-reject-ngtcp2() {
  qsrv $1 $2 server-rogue.key server-rogue.pem
  cap_start $1 $2 "udp port $2"
  verify $SNI; qcli $1 $2
  cap_stop $1
}
note quic-reject-ngtcp2 <<'EOF'
- capture quic-reject-ngtcp2: gtlsclient made to verify (GnuTLS gnutls_session_set_verify_cert, ca.pem, host server.tlsauth.test; LD_PRELOAD shim) -> gtlsserver presenting server-rogue.pem: the client rejects the chain and closes with a crypto error.
1 ch ClientHello in the client's Initial packet (readable without secrets).
1 sh ServerHello in the server's Initial packet; its encrypted flight follows in a Handshake packet of the same datagram.
1 scert The server presents a server.tlsauth.test leaf alone, issued by the tlsauth Rogue Root CA (not trusted).
1 calert The client rejects it: CONNECTION_CLOSE (frame 0x1c) with error 0x12a = CRYPTO_ERROR 0x0100 + TLS alert 42 bad_certificate, in a Handshake packet (encrypted without secrets). QUIC carries the TLS alert this way: no TLS alert record, no client Finished.
EOF
quic-badclient-reject-ngtcp2() {
  verify; qsrv $1 $2 server.key server-chain.pem --verify-client
  cap_start $1 $2 "udp port $2"
  qcli $1 $2 "${MALLORY_Q[@]}"
  cap_stop $1
}
note quic-badclient-reject-ngtcp2 <<'EOF'
- capture quic-badclient-reject-ngtcp2: gtlsclient with mallory's certificate -> gtlsserver --verify-client made to verify (GnuTLS, ca.pem; LD_PRELOAD shim): the server rejects the client's chain and closes with a crypto error.
1 ch ClientHello in the client's Initial packet.
1 scert The server presents its chain (leaf server.tlsauth.test + tlsauth Test Intermediate CA).
1 creq CertificateRequest: the server asks for a client certificate.
1 ccert The client presents mallory's certificate alone (issued by the tlsauth Rogue Root CA, not sent), with its CertificateVerify and Finished.
1 salert The server rejects it: CONNECTION_CLOSE (frame 0x1c) with a CRYPTO_ERROR (0x0100 + TLS alert), encrypted without secrets; no HANDSHAKE_DONE, no answer.
EOF

# ---- expectations -----------------------------------------------------------------------------
# Without secrets: the ClientHello and ServerHello are readable (Initial packets), everything
# after them is in Handshake packets: no chains, no verdicts, an alert only as "encrypted".
# mode_nokeys is left empty (= the same; whatever can be inferred from packet sizes).
rows quic-oneway-ngtcp2 <<'ROWS'
quic-oneway-ngtcp2|1|TLSv1.3|server.tlsauth.test|one-way|completed|-|-|2|-|unknown|incomplete|-|-|trusted|-|-|-|-|-|-|-|-|-|-||verified|-|not-visible||gtlsserver (ngtcp2 0.12 + GnuTLS 3.7) with server-chain.pem + gtlsclient (SNI server.tlsauth.test through the shim, key log SSLKEYLOGFILE), QUIC v1, HTTP/3 GET /index.html answered; the client closes with an application CONNECTION_CLOSE (H3_NO_ERROR)
ROWS
rows quic-mutual-ngtcp2 <<'ROWS'
quic-mutual-ngtcp2|1|TLSv1.3|server.tlsauth.test|mutual|completed|-|-|2|2|unknown|incomplete|-|-|trusted|-|trusted|-|-|-|-|-|-|-|-||verified|verified|not-visible|-|gtlsserver --verify-client (requests a certificate, verifies nothing) + gtlsclient --cert client-chain.pem (alice + intermediate); a GET answered
ROWS
rows quic-untrusted-ngtcp2 <<'ROWS'
quic-untrusted-ngtcp2|1|TLSv1.3|server.tlsauth.test|one-way|completed|-|-|1|-|unknown|incomplete|-|-|untrusted|unknown-issuer,missing-intermediate|-|-|-|-|-|-|-|-|-||verified|-|not-visible||gtlsserver with server-rogue.pem (leaf only, tlsauth Rogue Root CA) + gtlsclient, which verifies nothing: completes, a GET answered
ROWS
rows quic-badclient-ngtcp2 <<'ROWS'
quic-badclient-ngtcp2|1|TLSv1.3|server.tlsauth.test|mutual|completed|-|-|2|1|unknown|incomplete|-|-|trusted|-|untrusted|unknown-issuer,missing-intermediate|-|-|-|-|-|-|-||verified|verified|not-visible|-|gtlsserver --verify-client (verifies nothing) + gtlsclient --cert mallory.pem (tlsauth Rogue Root CA, leaf only): completes, a GET answered
ROWS
rows quic-reject-ngtcp2 <<'ROWS'
quic-reject-ngtcp2|1|TLSv1.3|server.tlsauth.test|one-way|aborted|client|bad_certificate|1|-|unknown|incomplete|-|-|untrusted|unknown-issuer,missing-intermediate|-|-|-|-|-|-|-|-|-||verified|-|not-visible||gtlsserver with server-rogue.pem + gtlsclient under LD_PRELOAD peers/quic-verify-shim.c (GnuTLS verifies against ca.pem, host server.tlsauth.test): the client closes with CONNECTION_CLOSE 0x1c, error 0x12a (crypto error, alert 42 bad_certificate), in a Handshake packet
ROWS
rows quic-badclient-reject-ngtcp2 <<'ROWS'
quic-badclient-reject-ngtcp2|1|TLSv1.3|server.tlsauth.test|mutual|aborted|server|bad_certificate|2|1|unknown|incomplete|-|-|trusted|-|untrusted|unknown-issuer,missing-intermediate|-|-|-|-|-|-|-||verified|verified|not-visible|-|gtlsserver --verify-client under LD_PRELOAD peers/quic-verify-shim.c (GnuTLS verifies the client chain against ca.pem) + gtlsclient --cert mallory.pem: the server closes with CONNECTION_CLOSE 0x1c, crypto error 0x12a (0x0100 + alert 42 bad_certificate), in a Handshake packet
ROWS

# Fixed ports 44470.. (UDP).
SCENARIOS=(quic-oneway-ngtcp2 quic-mutual-ngtcp2 quic-untrusted-ngtcp2 quic-badclient-ngtcp2
  quic-reject-ngtcp2 quic-badclient-reject-ngtcp2)
declare -A PORT=()
i=0; for s in "${SCENARIOS[@]}"; do PORT[$s]=$((44470 + i++)); done
run_scenarios "$@"
