#!/usr/bin/env bash
# EAP captures: TLS inside EAP (EAP-TLS, PEAP), between real peers from Debian's hostapd and
# wpa_supplicant packages, carried over RADIUS on 127.0.0.1 (and, for eapol-tls-wired, over
# EAPOL on a veth pair between two network namespaces).
#  - RADIUS: hostapd as a RADIUS authentication server with its internal EAP server (driver=none,
#    eap_server=1, radius_server_clients, port 1812: the port Wireshark decodes as RADIUS) and
#    eapol_test (wpa_supplicant's EAP peer + a RADIUS client: the NAS) as the client. The TLS
#    records travel in EAP-Message attributes (Access-Request from the client, Access-Challenge
#    from the server); the outcome is an Access-Accept with EAP-Success or an Access-Reject with
#    EAP-Failure.
#  - EAPOL: hostapd driver=wired (the authenticator with its internal EAP server) and
#    wpa_supplicant -D wired (the supplicant), each in a network namespace of its own, on the two
#    ends of a veth pair; dumpcap records the supplicant's end.
# TLS 1.2 everywhere (EAP-TLS 1.3 is off by default in hostapd 2.10; tls_flags/phase1 say so
# explicitly): every certificate is readable without any secret. Neither program writes a key
# log: an LD_PRELOAD shim (as in make-breadth-captures.sh) installs OpenSSL's key-log callback in
# the client; its key log is injected as usual (lib.sh's placeholder when it aborted first).
# Same machinery as make-captures.sh (lib.sh): dumpcap, packet comments from the notes below,
# check-captures.sh before anything is replaced, rows of scenarios.tsv written by hand below.
# Usage: bash captures/make-eap-captures.sh [NAME...]   (default: all EAP scenarios)
#        bash captures/make-eap-captures.sh --rows   (only write the rows below into scenarios.tsv)
# Needs: hostapd, eapoltest (eapol_test), wpasupplicant, gcc + libssl-dev (the key-log shim),
# iproute2 (ip netns, veth) for eapol-tls-wired; root.
set -euo pipefail
cd "$(dirname "$0")"
source ./lib.sh  # settings, dumpcap, notes, annotate, check_and_replace (shared)

SECRET=testing123  # the RADIUS shared secret between eapol_test (the NAS) and hostapd
NS_AUTH=tlsauth-eap-auth NS_SUPP=tlsauth-eap-supp  # eapol-tls-wired's network namespaces
netns_made=
cleanup_extra() {  # the namespaces (and with them the veth pair) go on exit
  [[ -n $netns_made ]] || return 0
  ip netns pids $NS_AUTH 2>/dev/null | xargs -r kill 2>/dev/null || true
  ip netns pids $NS_SUPP 2>/dev/null | xargs -r kill 2>/dev/null || true
  ip netns del $NS_AUTH 2>/dev/null || true
  ip netns del $NS_SUPP 2>/dev/null || true
  netns_made=
}

# ---- the peers -----------------------------------------------------------------------------
# Neither hostapd nor wpa_supplicant 2.10 can write a key log: lib.sh's keylog_shim.

# The EAP users of hostapd's internal EAP server: phase 1 by outer identity, then PEAP's inner
# (phase 2) MSCHAPv2 user.
eap_users() {
  cat <<'EOF'
"alice@tlsauth.test" TLS
"mallory@tlsauth.test" TLS
"anonymous@tlsauth.test" PEAP
"bob" MSCHAPV2 "bob-password" [2]
EOF
}
# hostapd_conf NAME SERVER-CERT SERVER-KEY [LINES...]: an internal EAP server that trusts ca.pem
# for client certificates, TLS 1.2 only, debug log on stdout.
hostapd_conf() {
  local name=$1 cert=$2 key=$3; shift 3
  eap_users >"$W/$name.eap_user"
  printf '%s\n' logger_stdout=-1 logger_stdout_level=0 eap_server=1 \
    "eap_user_file=$W/$name.eap_user" "ca_cert=$PWD/$P/ca.pem" "server_cert=$PWD/$P/$cert" \
    "private_key=$PWD/$P/$key" 'tls_flags=[DISABLE-TLSv1.3]' "$@"
}
listening_udp() { [[ -n $(ss -Hlun "sport = :$1") ]]; }
# hostapd_radius NAME PORT SERVER-CERT SERVER-KEY [LINES...]: hostapd as a RADIUS server on PORT
# (it binds 0.0.0.0: hostapd has no bind-address option), accepting 127.0.0.1 as its NAS.
hostapd_radius() {
  local name=$1 port=$2; shift 2
  ! listening_udp "$port" || { echo "udp port $port is already in use" >&2; return 1; }
  echo "127.0.0.1/32 $SECRET" >"$W/$name.radius_clients"
  { hostapd_conf "$name" "$@"
    printf '%s\n' driver=none interface=tlsauth-none "radius_server_clients=$W/$name.radius_clients" \
      "radius_server_auth_port=$port"; } >"$W/$name.hostapd.conf"
  timeout $((T * 4)) hostapd -dd "$W/$name.hostapd.conf" </dev/null >"$log/$name.server.log" 2>&1 &
  pids+=($!)
  wait_until "hostapd on udp :$port" listening_udp "$port"
}
# network LINES...: a wpa_supplicant network block for 802.1X (no WPA), TLS 1.2 only, that
# trusts ca.pem and checks that the server certificate is for server.tlsauth.test (as
# wpa_supplicant's documentation recommends; EAP sends no SNI).
network() {
  printf 'network={\n'
  printf '  %s\n' key_mgmt=IEEE8021X eapol_flags=0 "ca_cert=\"$PWD/$P/ca.pem\"" \
    "domain_match=\"$SNI\"" "$@"
  printf '}\n'
}
TLS12='phase1="tls_disable_tlsv1_3=1"'
ALICE_EAP=('eap=TLS' 'identity="alice@tlsauth.test"' "client_cert=\"$PWD/$P/client-chain.pem\""
  "private_key=\"$PWD/$P/client.key\"" "$TLS12")
# eapol NAME PORT NETWORK-LINES...: eapol_test authenticates once against the RADIUS server on
# 127.0.0.1:PORT (no retransmission, 10 s at most), with the client's key log.
eapol() {
  local name=$1 port=$2; shift 2
  keylog_shim
  network "$@" >"$W/$name.client.conf"
  LD_PRELOAD=$W/keylog.so TLSAUTH_KEYLOG=$W/$name.keys timeout $T eapol_test \
    -c "$W/$name.client.conf" -a 127.0.0.1 -p "$port" -s $SECRET -r 0 -t 10 \
    >>"$log/$name.client.log" 2>&1 || echo "client exit $?" >>"$log/$name.client.log"
}

# ---- events: lib.sh's events() for TLS inside EAP ---------------------------------------------
# The same "CONN EVENT FRAME" lines (ch sh scert creq skx ckx ccert ccv sfin cfin capp sapp
# calert salert...; see lib.sh; also cccs sccs: ChangeCipherSpec), found in the TLS records the EAP packets carry (Wireshark
# reassembles EAP-TLS fragments: an event is at the frame of the last fragment). CONN = 1, 2...
# in udp.stream order (RADIUS), or 1 (EAPOL, a single supplicant). The side comes from the EAP
# code: Responses (2) come from the peer (the TLS client), Requests (1), Success (3) and
# Failure (4) from the server. EAP events: id (the client's EAP-Response/Identity), start (the
# server's EAP-TLS/PEAP Start), success, failure; each at its first frame.
events() {  # events NAME
  timeout 60 tshark -r "$W/$1.pcapng" -o "tls.keylog_file:$W/$1.keys" -Y eap -T fields \
    -E separator=/t -e frame.number -e udp.stream -e eap.code -e eap.type \
    -e tls.handshake.type -e tls.alert_message.desc -e tls.record.content_type \
    -e eap.tls.flags.start 2>/dev/null | awk -F'\t' '
  function ev(name) {
    if (!((c, name) in seen)) { seen[c, name] = 1; print c, name, $1 }
    else if (++again[c, name] > 0) print c, name "#" again[c, name] + 1, $1
  }
  {
    if (!($2 in conn)) conn[$2] = ++n
    c = conn[$2]
    split($3, code, ","); split($4, type, ",")
    x = code[1] == 2 ? "c" : "s"
    if (code[1] == 2 && type[1] == 1 && !((c, "id") in seen)) ev("id")
    if ($8 ~ /^(1|True)/ && !((c, "start") in seen)) ev("start")
    if (code[1] == 3 && !((c, "success") in seen)) ev("success")
    if (code[1] == 4 && !((c, "failure") in seen)) ev("failure")
    nt = split($5, t, ",")
    for (i = 1; i <= nt; i++) {
      if (t[i] == 1) ev("ch"); if (t[i] == 2) ev("sh"); if (t[i] == 4) ev("ticket")
      if (t[i] == 11) ev(x "cert"); if (t[i] == 12) ev("skx"); if (t[i] == 13) ev("creq")
      if (t[i] == 15) ev(x "cv"); if (t[i] == 16) ev("ckx"); if (t[i] == 20) ev(x "fin")
    }
    if ($6 != "") { na[c, x]++; ev(x "alert" (na[c, x] > 1 ? na[c, x] : "")) }
    if ($7 ~ /(^|,)23(,|$)/) ev(x "app")
    if ($7 ~ /(^|,)20(,|$)/) ev(x "ccs")
  }'
}

# ---- scenarios ------------------------------------------------------------------------------
# EAP-TLS fragments (fragment_size, both sides): 500 bytes in eap-tls-radius and
# eap-tls-badclient-radius, so that the certificate flights span several EAP packets; the
# default (1398: nothing to fragment with these small ECDSA chains) in the other two.
FRAG=500
eap-tls-radius() {
  hostapd_radius $1 $2 server-chain.pem server.key fragment_size=$FRAG
  cap_start $1 $2 "udp port $2"
  eapol $1 $2 "${ALICE_EAP[@]}" fragment_size=$FRAG
  cap_stop $1
}
note eap-tls-radius <<'EOF'
- capture eap-tls-radius: EAP-TLS over RADIUS. eapol_test (wpa_supplicant's EAP peer, and the RADIUS client / NAS) with alice's chain -> hostapd as a RADIUS server (internal EAP server, server-chain.pem, trusts ca.pem for clients) on 127.0.0.1:1812, TLS 1.2, EAP-TLS fragments of at most 500 bytes both ways. Mutual authentication, completes: Access-Accept with EAP-Success. The TLS records travel in EAP-Message attributes; Wireshark reassembles the EAP-TLS fragments (the TLS messages show at the last fragment). The client's key log comes from an LD_PRELOAD shim and is injected in this file.
1 id Access-Request with EAP-Response/Identity alice@tlsauth.test: the NAS (eapol_test) forwards what the peer says.
1 start Access-Challenge with an EAP-Request/EAP-TLS Start: the server chooses EAP-TLS.
1 ch ClientHello (in an EAP-Response inside an Access-Request): wpa_supplicant offers TLS 1.2, without SNI (EAP peers send none); it will check the chain against ca.pem and the name server.tlsauth.test (domain_match).
1 scert The last EAP-TLS fragment of the server's flight: ServerHello, Certificate (leaf server.tlsauth.test + tlsauth Test Intermediate CA), ServerKeyExchange
1 creq and a CertificateRequest: EAP-TLS is mutual by design.
1 ccert The last fragment of the client's flight: alice's chain (alice + tlsauth Test Intermediate CA), ClientKeyExchange, CertificateVerify, ChangeCipherSpec, Finished.
1 sfin The server accepted alice's chain: ChangeCipherSpec and Finished. The client then acknowledges with an empty EAP-TLS Response: EAP-TLS carries no application data.
1 success Access-Accept with EAP-Success (and the MPPE keys): mutual authentication completed.
EOF
eap-tls-badclient-radius() {
  hostapd_radius $1 $2 server-chain.pem server.key fragment_size=$FRAG
  cap_start $1 $2 "udp port $2"
  eapol $1 $2 'eap=TLS' 'identity="mallory@tlsauth.test"' "client_cert=\"$PWD/$P/mallory.pem\"" \
    "private_key=\"$PWD/$P/mallory.key\"" "$TLS12" fragment_size=$FRAG
  cap_stop $1
}
note eap-tls-badclient-radius <<'EOF'
- capture eap-tls-badclient-radius: EAP-TLS over RADIUS, as eap-tls-radius, but the client presents mallory's certificate (issued by the tlsauth Rogue Root CA, which the server does not trust). hostapd's OpenSSL rejects it (and produces an unknown_ca alert), but hostapd's EAP server does not send that alert: it answers at once with Access-Reject and EAP-Failure. The client never learns why.
1 id Access-Request with EAP-Response/Identity mallory@tlsauth.test.
1 ch ClientHello: wpa_supplicant offers TLS 1.2, without SNI.
1 scert The last fragment of the server's flight: its chain (leaf server.tlsauth.test + tlsauth Test Intermediate CA)
1 creq and a CertificateRequest.
1 ccert The client presents mallory's certificate alone (issued by the tlsauth Rogue Root CA), ClientKeyExchange, CertificateVerify and Finished.
1 failure The server cannot build a path from mallory to a CA it trusts (ca.pem): Access-Reject with EAP-Failure, without any TLS alert (hostapd 2.10 drops the unknown_ca alert its OpenSSL wrote). The server dropped the client's certificate.
EOF
eap-tls-badserver-radius() {
  hostapd_radius $1 $2 server-rogue.pem server-rogue.key
  cap_start $1 $2 "udp port $2"
  eapol $1 $2 "${ALICE_EAP[@]}"
  cap_stop $1
}
note eap-tls-badserver-radius <<'EOF'
- capture eap-tls-badserver-radius: EAP-TLS over RADIUS: a RADIUS server with server-rogue.pem (server.tlsauth.test, issued by the tlsauth Rogue Root CA) and eapol_test with alice's chain, trusting ca.pem only. The client rejects the server's certificate with a fatal unknown_ca alert; the server then sends Access-Reject with EAP-Failure.
1 ch ClientHello: wpa_supplicant offers TLS 1.2, without SNI.
1 scert The server presents server-rogue.pem alone (leaf server.tlsauth.test under the tlsauth Rogue Root CA)
1 creq and asks for a client certificate.
1 calert The client cannot build a path to ca.pem: fatal unknown_ca alert, in an EAP-Response/EAP-TLS. It never sent its own certificate.
1 failure Access-Reject with EAP-Failure.
EOF
peap-radius() {
  hostapd_radius $1 $2 server-chain.pem server.key
  cap_start $1 $2 "udp port $2"
  eapol $1 $2 'eap=PEAP' 'anonymous_identity="anonymous@tlsauth.test"' 'identity="bob"' \
    'password="bob-password"' 'phase1="peapver=0 tls_disable_tlsv1_3=1"' 'phase2="auth=MSCHAPV2"'
  cap_stop $1
}
note peap-radius <<'EOF'
- capture peap-radius: PEAPv0 over RADIUS: eapol_test (outer identity anonymous@tlsauth.test, inner user bob with a password) -> hostapd's RADIUS server. The TLS 1.2 tunnel authenticates the server only (no CertificateRequest: one-way); inside it, EAP-MSCHAPv2 authenticates bob. Completes: Access-Accept with EAP-Success.
1 id Access-Request with EAP-Response/Identity anonymous@tlsauth.test: the outer identity; the real user name only travels inside the tunnel.
1 start Access-Challenge with an EAP-Request/PEAP Start.
1 ch ClientHello: wpa_supplicant offers TLS 1.2, without SNI.
1 scert The server presents its chain (leaf server.tlsauth.test + tlsauth Test Intermediate CA) and no CertificateRequest: the tunnel is one-way.
1 cfin The client accepted the chain (ca.pem, server.tlsauth.test) and finishes the handshake without any certificate.
1 sapp The first TLS application data: the inner EAP (Identity, then EAP-MSCHAPv2) travels inside the tunnel (readable with the injected secrets).
1 capp The client answers inside the tunnel: bob's inner identity and MSCHAPv2 response.
1 success Access-Accept with EAP-Success: bob authenticated inside a one-way TLS tunnel.
EOF

# EAPOL over a veth pair between two network namespaces (fixed MAC addresses): hostapd
# driver=wired (the authenticator, internal EAP server) on veth-auth, wpa_supplicant -D wired on
# veth-supp, dumpcap on veth-supp (EAPOL frames only: ether proto 0x888e).
AUTH_MAC=02:00:00:00:00:01 SUPP_MAC=02:00:00:00:00:02
netns_up() {
  cleanup_extra
  netns_made=1
  ip netns add $NS_AUTH; ip netns add $NS_SUPP
  ip link add veth-auth netns $NS_AUTH address $AUTH_MAC type veth \
    peer name veth-supp netns $NS_SUPP address $SUPP_MAC
  ip -n $NS_AUTH link set veth-auth up; ip -n $NS_SUPP link set veth-supp up
}
in_log() { grep -qE "$2" "$log/$1"; }
eapol-tls-wired() {
  local name=$1 supp i
  netns_up
  { hostapd_conf $name server-chain.pem server.key
    printf '%s\n' driver=wired interface=veth-auth ieee8021x=1 eap_reauth_period=0; } >"$W/$name.hostapd.conf"
  ip netns exec $NS_AUTH timeout $((T * 4)) hostapd -dd "$W/$name.hostapd.conf" </dev/null \
    >"$log/$name.server.log" 2>&1 &
  pids+=($!)
  wait_until "hostapd on veth-auth" in_log $name.server.log 'AP-ENABLED'
  ip netns exec $NS_SUPP dumpcap -q -i veth-supp -f 'ether proto 0x888e' -a duration:$((T * 4)) \
    -w "$W/$name.pcapng" 2>"$log/$name.dumpcap.log" &
  dumpcap_pid=$!
  wait_until "dumpcap for $name" grep -qs '^File:' "$log/$name.dumpcap.log"
  sleep 0.3
  keylog_shim
  { echo ap_scan=0; network "${ALICE_EAP[@]}"; } >"$W/$name.client.conf"
  ip netns exec $NS_SUPP env LD_PRELOAD="$W/keylog.so" TLSAUTH_KEYLOG="$W/$name.keys" \
    timeout $T wpa_supplicant -D wired -i veth-supp -c "$W/$name.client.conf" -dd </dev/null \
    >"$log/$name.client.log" 2>&1 &
  supp=$!
  pids+=($supp)
  for i in $(seq $((T * 10))); do  # until the supplicant has its EAP result
    in_log $name.client.log 'CTRL-EVENT-EAP-(SUCCESS|FAILURE)' && break; sleep 0.1
  done
  cap_stop $name
  cleanup_extra
}
note eapol-tls-wired <<'EOF'
- capture eapol-tls-wired: EAP-TLS over EAPOL (IEEE 802.1X on Ethernet): wpa_supplicant -D wired with alice's chain (02:00:00:00:00:02) -> hostapd driver=wired with its internal EAP server (02:00:00:00:00:01), on a veth pair between two network namespaces, captured on the supplicant's end. TLS 1.2, mutual authentication, completes with EAP-Success. The supplicant's key log comes from an LD_PRELOAD shim and is injected in this file.
1 id After EAPOL-Start and the authenticator's EAP-Request/Identity, the supplicant answers EAP-Response/Identity alice@tlsauth.test, to the PAE group address 01:80:c2:00:00:03.
1 start The authenticator's EAP-Request/EAP-TLS Start, sent to the supplicant's MAC address.
1 ch ClientHello in an EAP-Response: wpa_supplicant offers TLS 1.2, without SNI.
1 scert ServerHello, Certificate (leaf server.tlsauth.test + tlsauth Test Intermediate CA), ServerKeyExchange
1 creq and a CertificateRequest: EAP-TLS is mutual.
1 ccert alice's chain (alice + tlsauth Test Intermediate CA), ClientKeyExchange, CertificateVerify, ChangeCipherSpec, Finished.
1 sccs The authenticator accepted alice's chain: ChangeCipherSpec and Finished. Its Finished stays an "Encrypted Handshake Message" even with the key log: the supplicant sends to the PAE group address, and Wireshark 4.0 takes the ClientHello's destination (01:80:c2:00:00:03) for the TLS server, so it decrypts the authenticator's records with the client's keys (the client's Finished, in the previous frame, is decrypted).
1 success EAP-Success: the port is authorized, mutual authentication completed.
EOF

# ---- expectations: the rows of scenarios.tsv, written by hand from how each scenario is made --
rows eap-tls-radius <<'ROWS'
eap-tls-radius|1|TLSv1.2|-|mutual|completed|-|-|2|2|||||trusted|-|trusted|-|-|-|||||-||verified|verified|||EAP-TLS over RADIUS (127.0.0.1:1812): hostapd 2.10 (driver=none, eap_server=1, radius_server_clients, server_cert server-chain.pem, ca_cert ca.pem, tls_flags [DISABLE-TLSv1.3], fragment_size 500) + eapol_test 2.10 (NAS and EAP peer; eap=TLS, alice's client-chain.pem, ca_cert ca.pem, domain_match server.tlsauth.test, tls_disable_tlsv1_3=1, fragment_size 500); no SNI; EAP-TLS has no application data: completed = Access-Accept with EAP-Success; client key log by an LD_PRELOAD shim
ROWS
rows eap-tls-badclient-radius <<'ROWS'
eap-tls-badclient-radius|1|TLSv1.2|-|mutual|aborted|server|eap_failure|2|1|||||trusted|-|untrusted|unknown-issuer,missing-intermediate|-|-|||||-||verified|verified|||as eap-tls-radius, but eapol_test presents mallory.pem (tlsauth Rogue Root CA, leaf only): hostapd's OpenSSL fails the verification (unknown_ca) but hostapd's EAP server sends no TLS alert: Access-Reject with EAP-Failure right after the client's flight (drop_alert eap_failure)
ROWS
rows eap-tls-badserver-radius <<'ROWS'
eap-tls-badserver-radius|1|TLSv1.2|-|mutual-requested|aborted|client|unknown_ca|1|-|||||untrusted|unknown-issuer,missing-intermediate|-|-|-|-|||||-||verified|-|||as eap-tls-radius (default fragment_size), but hostapd presents server-rogue.pem (tlsauth Rogue Root CA, leaf only) and asks for a client certificate; eapol_test (ca.pem) sends a fatal unknown_ca alert in an EAP-Response before sending its own certificate; Access-Reject with EAP-Failure
ROWS
rows peap-radius <<'ROWS'
peap-radius|1|TLSv1.2|-|one-way|completed|-|-|2|-|||||trusted|-|-|-|-|-|||||-||verified|-|||PEAPv0 over RADIUS: hostapd 2.10 RADIUS server as in eap-tls-radius (PEAP: no CertificateRequest) + eapol_test (eap=PEAP, anonymous_identity anonymous@tlsauth.test, inner user bob, phase2 auth=MSCHAPV2, ca_cert ca.pem, domain_match server.tlsauth.test, peapver=0 tls_disable_tlsv1_3=1): one-way TLS 1.2 tunnel, inner EAP-MSCHAPv2 in application data, Access-Accept with EAP-Success
ROWS
rows eapol-tls-wired <<'ROWS'
eapol-tls-wired|1|TLSv1.2|-|mutual|completed|-|-|2|2|||||trusted|-|trusted|-|-|-|||||-||verified|verified|||EAP-TLS over EAPOL: hostapd 2.10 driver=wired ieee8021x=1 (internal EAP server, server-chain.pem, ca_cert ca.pem, tls_flags [DISABLE-TLSv1.3]) on veth-auth (02:00:00:00:00:01) in one network namespace + wpa_supplicant 2.10 -D wired (eap=TLS, alice's client-chain.pem, ca_cert ca.pem, domain_match server.tlsauth.test, tls_disable_tlsv1_3=1) on veth-supp (02:00:00:00:00:02) in another; dumpcap on veth-supp, ether proto 0x888e; completed = EAP-Success; supplicant key log by an LD_PRELOAD shim
ROWS

# RADIUS on its standard port 1812 (the one Wireshark decodes as RADIUS; the scenarios run one
# after the other). eapol-tls-wired has no port: EAPOL is an Ethernet protocol.
SCENARIOS=(eap-tls-radius eap-tls-badclient-radius eap-tls-badserver-radius peap-radius eapol-tls-wired)
declare -A PORT=()
for s in "${SCENARIOS[@]:0:4}"; do PORT[$s]=1812; done
PORT[eapol-tls-wired]=-
# RADIUS hands over to EAP (and EAP to TLS) itself: Wireshark must decode 1812 as RADIUS.
PROTOCOL_PORTS='-(radius|wired)$'
run_scenarios "$@"
