#!/usr/bin/env bash
# Handshake-shape captures: authentication without certificates (pre-shared keys: TLS 1.2 PSK,
# ECDHE-PSK, RSA-PSK; TLS 1.3 external PSK) and second handshakes that start before any
# application data (TLS 1.2 renegotiation right after the first handshake, client- or
# server-initiated; TLS 1.3 post-handshake authentication right after the handshake).
# Same machinery as make-captures.sh and make-breadth-captures.sh (lib.sh): real peers on
# 127.0.0.1, dumpcap on lo, the client's key log injected, packet comments from the notes below,
# check-captures.sh before anything is replaced.
# Usage: bash captures/make-shape-captures.sh [NAME...]   (default: all these scenarios)
#        bash captures/make-shape-captures.sh --rows   (only write the rows below into scenarios.tsv)
# The expectations (rows of scenarios.tsv) are written by hand below, next to each scenario;
# they replace the scenario's rows in scenarios.tsv (or are appended) when it is made.
# Needs make-captures.sh's tools (openssl, gnutls-bin with certtool, dumpcap/tshark/editcap).
set -euo pipefail
cd "$(dirname "$0")"
source ./lib.sh  # settings, peers, dumpcap, notes, annotate, check_and_replace (shared)

# ---- the pre-shared key, and an RSA server certificate for RSA-PSK ---------------------------
PSK_ID=alice-psk
PSK_HEX=5f8e3a1c0b7d49e2a6c4f0135d7b9e21  # 16 bytes, the same on both sides
# RSA-PSK needs an RSA server key (the client encrypts the premaster secret to it): pki/shape/
# server-rsa.pem (RSA 2048, server.tlsauth.test, localhost, 127.0.0.1, EKU serverAuth, key usage
# digitalSignature + keyEncipherment) from the tlsauth Test Intermediate CA; server-rsa-chain.pem
# = leaf + intermediate. Made once; made again only when it no longer verifies against pki/ca.pem
# (make-pki.sh makes a new root: the capture must then be made again, check-captures.sh tells).
SHAPE=$P/shape
shape_pki() {
  if [[ -f $SHAPE/server-rsa-chain.pem ]] && openssl verify -CAfile $P/ca.pem \
       -untrusted $P/intermediate-ca.pem -purpose sslserver -verify_hostname $SNI \
       $SHAPE/server-rsa.pem >/dev/null 2>&1; then
    return 0
  fi
  echo "making $SHAPE (RSA 2048 server certificate from the intermediate)"
  local d=$W/shape
  rm -rf "$d"; mkdir -p "$d/out"
  TZ=UTC certtool --generate-privkey --key-type=rsa --bits=2048 --no-text \
    --outfile "$d/out/server-rsa.key" 2>/dev/null
  printf '%s\n' 'serial = 320' 'cn = "server.tlsauth.test"' 'dns_name = "server.tlsauth.test"' \
    'dns_name = "localhost"' 'ip_address = "127.0.0.1"' signing_key encryption_key tls_www_server \
    'activation_date = "2026-01-01 00:00:00"' 'expiration_date = "2036-01-01 00:00:00"' >"$d/tmpl"
  TZ=UTC certtool --generate-certificate --load-privkey "$d/out/server-rsa.key" \
    --load-ca-certificate $P/intermediate-ca.pem --load-ca-privkey $P/intermediate-ca.key \
    --template "$d/tmpl" --no-text --outfile "$d/out/server-rsa.pem" 2>/dev/null
  cat "$d/out/server-rsa.pem" $P/intermediate-ca.pem >"$d/out/server-rsa-chain.pem"
  chmod 600 "$d/out/server-rsa.key"
  openssl verify -CAfile $P/ca.pem -untrusted $P/intermediate-ca.pem -purpose sslserver \
    -verify_hostname $SNI "$d/out/server-rsa.pem" >/dev/null
  rm -rf "$SHAPE"; mv "$d/out" "$SHAPE"
}

# ---- more peers -------------------------------------------------------------------------------
# An s_server that takes commands on stdin (R = renegotiate asking for a certificate, c = TLS
# 1.3 certificate request after the handshake), through a FIFO: say CMD sends one (as in
# make-breadth-captures.sh).
say_fd=
cmd_server() {  # cmd_server NAME PORT s_server-args...
  local name=$1 port=$2; shift 2
  ! listening "$port" || { echo "port $port is already in use" >&2; return 1; }
  mkfifo "$W/$name.stdin"
  exec {say_fd}<>"$W/$name.stdin"  # read-write: opening never blocks, EOF never comes
  timeout $((T * 4)) openssl s_server -accept 127.0.0.1:$port -naccept 1 "$@" \
    <"$W/$name.stdin" >"$log/$name.server.log" 2>&1 &
  pids+=($!)
  wait_until "server on :$port" listening "$port"
}
say() { printf '%s\n' "$1" >&"$say_fd"; echo "[server stdin: $1]" >>"$log/$2.client.log"; }
# ocli_script NAME PORT SCRIPT s_client-args...: s_client (as ocli: SNI, ca.pem, key log) in
# the background, its stdin from the shell commands SCRIPT (lines to send, sleeps); then
# wait_client NAME.
ocli_script() {
  local name=$1 port=$2 script=$3; shift 3
  bash -c "$script" | timeout $T openssl s_client -connect 127.0.0.1:$port -servername $SNI \
    -verify_hostname $SNI -CAfile $P/ca.pem -verify_return_error -keylogfile "$W/$name.keys" \
    "$@" >>"$log/$name.client.log" 2>&1 &
  client_pid=$!
}
wait_client() { wait "$client_pid" || echo "client exit $?" >>"$log/$1.client.log"; }

# ---- scenarios ------------------------------------------------------------------------------
tls12-psk-openssl() {  # a plain PSK suite: no certificate, no Diffie-Hellman
  osrv $1 $2 1 -tls1_2 -rev -nocert -psk $PSK_HEX -psk_hint x -cipher PSK-AES128-GCM-SHA256
  cap_start $1 $2
  ocli $1 $2 -tls1_2 -psk $PSK_HEX -psk_identity $PSK_ID -cipher PSK-AES128-GCM-SHA256
  cap_stop $1
}
note tls12-psk-openssl <<'EOF'
- capture tls12-psk-openssl: s_client -> s_server -nocert, TLS 1.2 with the plain pre-shared-key suite TLS_PSK_WITH_AES_128_GCM_SHA256: no certificate at all. Both sides prove they know the same key (identity alice-psk) by completing the handshake (Finished); no certificate, no signature, no Diffie-Hellman. Completes; one line each way.
1 ch ClientHello: s_client offers TLS 1.2 with SNI server.tlsauth.test and only PSK-AES128-GCM-SHA256.
1 sh ServerHello selects TLS_PSK_WITH_AES_128_GCM_SHA256; no Certificate follows: the ServerKeyExchange carries only the PSK identity hint ("x"), then ServerHelloDone.
1 ckx ClientKeyExchange: the PSK identity alice-psk, in clear. The premaster secret is derived from the pre-shared key alone.
1 sfin The server's Finished: it knew the key for alice-psk. Authentication by the shared key, both ways, without any certificate.
1 capp The client sends its line.
1 sapp The server answers (the line reversed): completed, mode psk.
EOF
PSKFILE=$W/psk.passwd  # gnutls-serv --pskpasswd: "identity:hex key" lines
gnutls_psk_server() {  # gnutls_psk_server NAME PORT PRIORITY gnutls-serv-args...
  local name=$1 port=$2 prio=$3; shift 3
  printf '%s:%s\n' $PSK_ID $PSK_HEX >"$PSKFILE"
  server $name $port gnutls-serv -p $port --echo -a --pskpasswd "$PSKFILE" --priority "$prio" "$@"
}
# gnutls-cli 3.7.9 crashes (SIGSEGV in gnutls_psk_server_get_username, printing the session
# info) right after any PSK handshake, before sending data: the client is s_client.
tls12-ecdhepsk-gnutls() {
  local prio=NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+ECDHE-PSK
  gnutls_psk_server $1 $2 $prio
  cap_start $1 $2
  ocli $1 $2 -tls1_2 -psk $PSK_HEX -psk_identity $PSK_ID -cipher ECDHE-PSK-CHACHA20-POLY1305
  cap_stop $1
}
note tls12-ecdhepsk-gnutls <<'EOF'
- capture tls12-ecdhepsk-gnutls: openssl s_client -psk -> gnutls-serv --pskpasswd, TLS 1.2 ECDHE-PSK (RFC 5489): an ephemeral ECDH exchange authenticated by a pre-shared key (identity alice-psk); no certificate at all. Completes; one line echoed.
1 ch ClientHello: s_client offers TLS 1.2 with SNI server.tlsauth.test and only ECDHE-PSK-CHACHA20-POLY1305.
1 sh ServerHello selects an ECDHE_PSK suite; no Certificate: the ServerKeyExchange carries an (empty) identity hint and the server's ephemeral ECDH key, unsigned.
1 ckx ClientKeyExchange: the PSK identity alice-psk and the client's ECDH key. The premaster secret mixes the ECDH secret and the pre-shared key.
1 sfin The server's Finished: it knew the key for alice-psk. Authentication by the shared key, no certificate.
1 capp The client sends its line.
1 sapp The server echoes it: completed, mode psk.
EOF
tls12-rsapsk-gnutls() {  # RSA-PSK: the server's RSA certificate and the pre-shared key
  local prio=NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+RSA-PSK
  shape_pki
  gnutls_psk_server $1 $2 $prio --x509certfile $SHAPE/server-rsa-chain.pem \
    --x509keyfile $SHAPE/server-rsa.key
  cap_start $1 $2
  ocli $1 $2 -tls1_2 -psk $PSK_HEX -psk_identity $PSK_ID -cipher RSA-PSK-AES128-GCM-SHA256
  cap_stop $1
}
note tls12-rsapsk-gnutls <<'EOF'
- capture tls12-rsapsk-gnutls: openssl s_client -psk -> gnutls-serv --pskpasswd with an RSA certificate (pki/shape/server-rsa-chain.pem), TLS 1.2 RSA-PSK (RFC 4279): the server presents its chain, the client encrypts its part of the premaster secret to the server's RSA key and names a pre-shared key (alice-psk). The server is authenticated by its certificate, the client only by the shared key. Completes; one line echoed.
1 ch ClientHello: s_client offers TLS 1.2 with SNI server.tlsauth.test and only RSA-PSK-AES128-GCM-SHA256.
1 scert The server presents its chain (RSA leaf server.tlsauth.test + tlsauth Test Intermediate CA); s_client checks it against ca.pem and the name (-verify_return_error). No CertificateRequest.
1 ckx ClientKeyExchange: the PSK identity alice-psk and the premaster secret encrypted to the server's RSA key.
1 sfin The server's Finished: it could decrypt (it owns the certificate's key) and knew the key for alice-psk.
1 capp The client sends its line.
1 sapp The server echoes it: completed; the server's certificate authenticates it (one-way in certificate terms).
EOF
tls13-psk-openssl() {  # an external PSK (not a resumption ticket); SHA-256, TLS_AES_128_GCM_SHA256
  osrv $1 $2 1 -tls1_3 -rev -nocert -psk $PSK_HEX -psk_identity $PSK_ID \
    -ciphersuites TLS_AES_128_GCM_SHA256  # else it picks CHACHA20 (also SHA-256) from the client's list
  cap_start $1 $2
  ocli $1 $2 -tls1_3 -psk $PSK_HEX -psk_identity $PSK_ID
  cap_stop $1
}
note tls13-psk-openssl <<'EOF'
- capture tls13-psk-openssl: s_client -psk -> s_server -nocert -psk, TLS 1.3 with an external pre-shared key (identity alice-psk, SHA-256, TLS_AES_128_GCM_SHA256) and an ECDHE key share (psk_dhe_ke): no certificate at all, and no session ticket behind it - this is not a resumption. Completes; one line each way.
1 ch ClientHello: s_client offers TLS 1.3 with SNI server.tlsauth.test, a key share, psk_key_exchange_modes and a pre_shared_key extension whose identity is alice-psk in clear, with an obfuscated ticket age of 0 (an external PSK, not a ticket).
1 sh ServerHello: TLS_AES_128_GCM_SHA256, pre_shared_key (selected identity 0) and a key share; then, encrypted: EncryptedExtensions and Finished only - no Certificate, no CertificateVerify.
1 cfin The client's Finished: both sides proved knowledge of the pre-shared key.
1 capp The client sends its line.
1 sapp The server answers (the line reversed): completed, mode psk.
EOF
# TLS 1.2 renegotiations before any application data. -no_resumption_on_reneg: the client offers
# its session again; the server refuses, so the second handshake is a full one.
tls12-reneg-early-openssl() {  # s_client's R command (client-initiated), typed at once
  osrv $1 $2 1 -tls1_2 -rev -client_renegotiation -no_resumption_on_reneg "${GOOD_SRV[@]}"
  cap_start $1 $2
  ocli_script $1 $2 'printf "R\n"; sleep 1; printf "hello\n"; sleep 1.5' -tls1_2
  wait_client $1
  cap_stop $1
}
note tls12-reneg-early-openssl <<'EOF'
- capture tls12-reneg-early-openssl: s_client -> s_server -client_renegotiation -no_resumption_on_reneg, TLS 1.2. Right after the first handshake, before either side sent any application data, the client (command R on s_client's stdin) renegotiates: a second, full handshake, encrypted under the first one's keys. Both are one-way and complete; then one line each way.
1 ch ClientHello: s_client offers TLS 1.2 with SNI server.tlsauth.test (and secure renegotiation, renegotiation_info).
1 scert The server presents its chain (leaf server.tlsauth.test + tlsauth Test Intermediate CA), no CertificateRequest: the first handshake is one-way.
1 sfin The server's Finished: the first handshake is complete. No application data follows it.
1 ch#2 Second ClientHello, at once and encrypted under the first handshake's keys (only the secrets show it): a client-initiated renegotiation. The client offers to resume; the server refuses (-no_resumption_on_reneg).
1 scert#2 Encrypted: the server presents its chain again, no CertificateRequest: the second handshake is one-way too.
1 sfin#2 The server's Finished of the second handshake.
1 capp The first application data, only after the renegotiation.
1 sapp The server answers (the line reversed).
EOF
tls12-reneg-server-openssl() {  # s_server's R command (renegotiate asking for a certificate) at once
  cmd_server $1 $2 -tls1_2 -no_resumption_on_reneg "${GOOD_SRV[@]}" -CAfile $P/ca.pem
  cap_start $1 $2
  ocli_script $1 $2 'sleep 2.5; printf "hello\n"; sleep 1.5' -tls1_2 "${ALICE[@]}"
  sleep 0.8; say R $1; sleep 1; say renegotiated $1
  wait_client $1
  cap_stop $1; exec {say_fd}>&-
}
note tls12-reneg-server-openssl <<'EOF'
- capture tls12-reneg-server-openssl: s_client with alice's chain -> s_server -no_resumption_on_reneg, TLS 1.2. Right after the first (one-way) handshake, before either side sent any application data, the server (command R on its stdin) sends a HelloRequest to renegotiate and ask for a client certificate: a second, full, encrypted handshake, mutual. Both complete; then data both ways.
1 ch ClientHello: s_client offers TLS 1.2 with SNI server.tlsauth.test (and secure renegotiation, renegotiation_info).
1 scert The server presents its chain (leaf server.tlsauth.test + tlsauth Test Intermediate CA), no CertificateRequest: the first handshake is one-way.
1 sfin The server's Finished: the first handshake is complete. No application data follows it.
1 hreq The server (R) sends a HelloRequest, encrypted, before any application data.
1 ch#2 Second ClientHello, encrypted under the first handshake's keys: the renegotiation the server asked for (resumption refused by -no_resumption_on_reneg).
1 scert#2 Encrypted: the server presents its chain again
1 creq and now asks for a client certificate (CertificateRequest): the second handshake is mutual.
1 ccert Encrypted: the client presents alice's chain (alice + tlsauth Test Intermediate CA) and signs the handshake (CertificateVerify).
1 sapp The first application data: the server's line, over a connection now authenticated both ways.
1 capp The client's line.
EOF
tls13-pha-early-openssl() {  # s_server's c command (post-handshake CertificateRequest) at once
  cmd_server $1 $2 -tls1_3 "${GOOD_SRV[@]}" -CAfile $P/ca.pem
  cap_start $1 $2
  ocli_script $1 $2 'sleep 2.5; printf "hello\n"; sleep 1.5' -tls1_3 -enable_pha "${ALICE[@]}"
  sleep 0.8; say c $1; sleep 1; say authenticated $1
  wait_client $1
  cap_stop $1; exec {say_fd}>&-
}
note tls13-pha-early-openssl <<'EOF'
- capture tls13-pha-early-openssl: s_client -enable_pha with alice's chain -> s_server, TLS 1.3. The handshake is one-way; right after it, before either side sent any application data, the server (command c on its stdin) sends a post-handshake CertificateRequest and the client answers with alice's chain: the connection becomes mutually authenticated before its first byte of data. Only visible with the secrets.
1 ch ClientHello: s_client offers TLS 1.3 with SNI server.tlsauth.test and the post_handshake_auth extension.
1 scert Encrypted: the server presents its chain (leaf server.tlsauth.test + tlsauth Test Intermediate CA), no CertificateRequest: the handshake is one-way.
1 cfin The client's Finished: the handshake is complete. No application data follows it.
1 creq Post-handshake authentication, before any application data: the server sends a CertificateRequest (encrypted, in an application-data record).
1 ccert The client answers with alice's chain (alice + tlsauth Test Intermediate CA), CertificateVerify and Finished: now both sides are authenticated.
1 sapp The first application data: the server's line, after the post-handshake authentication.
EOF

# ---- expectations: the rows of scenarios.tsv, written by hand from how each scenario is made --
# Columns as in scenarios.tsv's header, separated by "|" here. One row per handshake: a
# renegotiation or a post-handshake authentication is one more row with the same conn.
# mode psk: the peers authenticate each other by a pre-shared key alone, no certificate (a full
# handshake, not a resumption: no session of this capture or another is resumed).
rows tls12-psk-openssl <<'ROWS'
tls12-psk-openssl|1|TLSv1.2|server.tlsauth.test|psk|completed|-|-|-|-|||||-|-|-|-|-|-|||||-||-|-|||s_server -tls1_2 -nocert -psk KEY -psk_hint x -cipher PSK-AES128-GCM-SHA256 + s_client -tls1_2 -psk KEY -psk_identity alice-psk: TLS_PSK_WITH_AES_128_GCM_SHA256, a full handshake with no Certificate (ServerKeyExchange = the hint only, ServerHelloDone); one line each way, close_notify
ROWS
rows tls12-ecdhepsk-gnutls <<'ROWS'
tls12-ecdhepsk-gnutls|1|TLSv1.2|server.tlsauth.test|psk|completed|-|-|-|-|||||-|-|-|-|-|-|||||-||-|-|||gnutls-serv --echo -a --pskpasswd (alice-psk:KEY) --priority NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+ECDHE-PSK + openssl s_client -tls1_2 -psk KEY -psk_identity alice-psk -cipher ECDHE-PSK-CHACHA20-POLY1305 (gnutls-cli 3.7.9 crashes after a PSK handshake): ECDHE-PSK, no Certificate; one line echoed
ROWS
rows tls12-rsapsk-gnutls <<'ROWS'
tls12-rsapsk-gnutls|1|TLSv1.2|server.tlsauth.test|one-way|completed|-|-|2|-|||||trusted|-|-|-|-|-|||||-||not-visible|-|||gnutls-serv --echo -a --pskpasswd (alice-psk:KEY) with pki/shape/server-rsa-chain.pem (RSA 2048 leaf + intermediate) --priority NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+RSA-PSK + openssl s_client -tls1_2 -psk KEY -psk_identity alice-psk -cipher RSA-PSK-AES128-GCM-SHA256 -CAfile ca.pem -verify_hostname: the server's Certificate, no CertificateRequest; the client is authenticated by the PSK only
ROWS
rows tls13-psk-openssl <<'ROWS'
tls13-psk-openssl|1|TLSv1.3|server.tlsauth.test|psk|completed|-|-|-|-|||-|-|-|-|-|-|-|-|-|-|-|-|-||-|-|||s_server -tls1_3 -nocert -psk KEY -psk_identity alice-psk -ciphersuites TLS_AES_128_GCM_SHA256 + s_client -tls1_3 -psk KEY -psk_identity alice-psk: external PSK (SHA-256, TLS_AES_128_GCM_SHA256, psk_dhe_ke, obfuscated ticket age 0), no Certificate; not a resumption. Without keys the cleartext hellos still show it (pre_shared_key, an identity never issued as a ticket)
ROWS
rows tls12-reneg-early-openssl <<'ROWS'
tls12-reneg-early-openssl|1|TLSv1.2|server.tlsauth.test|one-way|completed|-|-|2|-|||||trusted|-|-|-|-|-|||||-||verified|-|||s_server -tls1_2 -rev -client_renegotiation -no_resumption_on_reneg + s_client -tls1_2 whose first stdin line is R: the first handshake, one-way, followed at once (no application data) by the second (next row)
tls12-reneg-early-openssl|1|TLSv1.2|server.tlsauth.test|one-way|completed|-|-|2|-|unknown||-|-|trusted|-|-|-|-|-|-|-|-|-|-||verified|-|not-visible||client-initiated renegotiation (s_client's R) before any application data: a full handshake encrypted under the first one's keys (resumption refused), server chain again, no CertificateRequest; then one line each way. Without keys only encrypted handshake records: mode unknown, no chains
ROWS
rows tls12-reneg-server-openssl <<'ROWS'
tls12-reneg-server-openssl|1|TLSv1.2|server.tlsauth.test|one-way|completed|-|-|2|-|||||trusted|-|-|-|-|-|||||-||verified|-|||s_server -tls1_2 -no_resumption_on_reneg -CAfile ca.pem (no -verify) + s_client -tls1_2 with alice's chain that sends nothing for 2.5 s: the first handshake, one-way, followed (0.8 s later, no application data) by the second (next row)
tls12-reneg-server-openssl|1|TLSv1.2|server.tlsauth.test|mutual|completed|-|-|2|2|unknown||-|-|trusted|-|trusted|-|-|-|-|-|-|-|-||verified|verified|not-visible|-|R on s_server's stdin before any application data: HelloRequest, then a full handshake encrypted under the first one's keys (resumption refused): server chain again, CertificateRequest, alice's chain + CertificateVerify; then data both ways. Without keys: mode unknown, no chains
ROWS
rows tls13-pha-early-openssl <<'ROWS'
tls13-pha-early-openssl|1|TLSv1.3|server.tlsauth.test|one-way|completed|-|-|2|-|||-|-|trusted|-|-|-|-|-|-|-|-|-|-||verified|-|not-visible||s_server -tls1_3 -CAfile ca.pem (no -verify) + s_client -tls1_3 -enable_pha with alice's chain that sends nothing for 2.5 s: the handshake is one-way; no application data before the post-handshake authentication (next row)
tls13-pha-early-openssl|1|TLSv1.3|server.tlsauth.test|mutual|completed|-|-|-|2|-||-|-|-|-|trusted|-|-|-|-|-|-|-|-||-|verified|||c on s_server's stdin 0.8 s after the handshake, before any application data: post-handshake CertificateRequest, alice's chain + CertificateVerify + Finished; then data both ways. Invisible without keys (mode_nokeys -: no such row)
ROWS

# Fixed ports 44490..44496 (TCP).
SCENARIOS=(tls12-psk-openssl tls12-ecdhepsk-gnutls tls12-rsapsk-gnutls tls13-psk-openssl
  tls12-reneg-early-openssl tls12-reneg-server-openssl tls13-pha-early-openssl)
declare -A PORT=()
i=0; for s in "${SCENARIOS[@]}"; do PORT[$s]=$((44490 + i++)); done
run_scenarios "$@"
