#!/usr/bin/env bash
# Generate the integration-test captures: one real server + client per scenario on
# 127.0.0.1, recorded with dumpcap on lo, TLS secrets saved as NAME.keys.
# Usage: bash captures/make-captures.sh [NAME...]   (default: all scenarios)
set -euo pipefail
cd "$(dirname "$0")"
P=pki
T=15                       # upper bound (s) for any single client/server command
SNI=server.tlsauth.test
log=logs; mkdir -p "$log"  # per-scenario client/server output, for debugging only
[[ -f $P/ca.pem ]] || { echo "run make-pki.sh first" >&2; exit 1; }
# Ports and file names are fixed, so two concurrent runs would corrupt each other.
exec 9>"$log/.lock"
flock -n 9 || { echo "another make-captures.sh is running" >&2; exit 1; }

pids=() dumpcap_pid=
cleanup() {
  [[ -n $dumpcap_pid ]] && kill -INT "$dumpcap_pid" 2>/dev/null || true
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_until() {  # wait_until DESC CMD... : poll up to 5 s
  local desc=$1 i; shift
  for i in $(seq 50); do "$@" && return 0; sleep 0.1; done
  echo "timeout waiting for $desc" >&2; return 1
}
listening() { [[ -n $(ss -Hltn "sport = :$1") ]]; }

# server NAME PORT CMD... : start a server in the background, wait until it listens.
server() {
  local name=$1 port=$2; shift 2
  timeout $((T * 4)) "$@" </dev/null >"$log/$name.server.log" 2>&1 &
  pids+=($!)
  wait_until "server on :$port" listening "$port"
}

# Start dumpcap only after the server listens (so the readiness probe is not recorded)
# and return only once dumpcap is really capturing ("File:" is printed after the
# filter is installed and the file is open).
cap_start() {
  local name=$1 port=$2
  dumpcap -q -i lo -f "tcp port $port" -a duration:$((T * 4)) -w "$name.pcapng" \
    2>"$log/$name.dumpcap.log" &
  dumpcap_pid=$!
  wait_until "dumpcap for $name" grep -q '^File:' "$log/$name.dumpcap.log"
  sleep 0.3
}
cap_stop() {   # let FIN/RST/late alerts land, stop dumpcap cleanly, stop the servers
  local name=$1 p
  sleep 0.5
  local rc=0
  kill -INT "$dumpcap_pid" 2>/dev/null || echo "dumpcap for $name exited early" >&2
  wait "$dumpcap_pid" || rc=$?
  dumpcap_pid=
  ((rc == 0)) || { echo "dumpcap for $name: exit $rc" >&2; cat "$log/$name.dumpcap.log" >&2; return 1; }
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  pids=()
  chmod 644 "$name.pcapng"
  [[ -s $name.keys ]] || echo "WARNING: $name.keys is empty" >&2
}

# Clients send a line, then keep stdin open 1 s so the server's reply is read before
# they close. Failures are expected in some scenarios: exit status goes to the log.
feed() { printf '%s\n' "$1"; sleep 1; }
ocli() {  # ocli NAME PORT s_client-args...
  local name=$1 port=$2; shift 2
  feed hello | timeout $T openssl s_client -connect 127.0.0.1:$port -servername $SNI \
    -verify_hostname $SNI -CAfile $P/ca.pem -verify_return_error \
    -keylogfile "$name.keys" "$@" >>"$log/$name.client.log" 2>&1 \
    || echo "client exit $?" >>"$log/$name.client.log"
}
gcli() {  # gcli NAME PORT gnutls-cli-args...
  local name=$1 port=$2; shift 2
  feed hello | SSLKEYLOGFILE=$PWD/$name.keys timeout $T gnutls-cli -p $port \
    --sni-hostname $SNI --verify-hostname $SNI --x509cafile $P/ca.pem "$@" 127.0.0.1 \
    >>"$log/$name.client.log" 2>&1 || echo "client exit $?" >>"$log/$name.client.log"
}
osrv() {  # osrv NAME PORT NACCEPT s_server-args... (defaults: good server chain, -rev echo)
  local name=$1 port=$2 n=$3; shift 3
  server "$name" "$port" openssl s_server -accept 127.0.0.1:$port -naccept "$n" "$@"
}
GOOD_SRV=(-cert $P/server.pem -cert_chain $P/intermediate-ca.pem -key $P/server.key)
ROGUE_SRV=(-cert $P/server-rogue.pem -key $P/server-rogue.key)
VERIFY_CLIENT=(-Verify 1 -verify_return_error -CAfile $P/ca.pem)  # else s_server only logs verify errors
ALICE=(-cert $P/client.pem -cert_chain $P/intermediate-ca.pem -key $P/client.key)
MALLORY=(-cert $P/mallory.pem -key $P/mallory.key)
GSRV=(--x509certfile $P/server-chain.pem --x509keyfile $P/server.key)
G12=--priority=NORMAL:-VERS-ALL:+VERS-TLS1.2
G13=--priority=NORMAL:-VERS-ALL:+VERS-TLS1.3

tls12-oneway-gnutls() {  # -a: gnutls-serv would otherwise send a CertificateRequest
  server $1 $2 gnutls-serv -p $2 --echo -a "${GSRV[@]}"
  cap_start $1 $2; gcli $1 $2 $G12; cap_stop $1
}
tls13-oneway-openssl() {
  osrv $1 $2 1 -tls1_3 -rev "${GOOD_SRV[@]}"
  cap_start $1 $2; ocli $1 $2 -tls1_3; cap_stop $1
}
tls12-mutual-openssl() {
  osrv $1 $2 1 -tls1_2 -rev "${GOOD_SRV[@]}" "${VERIFY_CLIENT[@]}"
  cap_start $1 $2; ocli $1 $2 -tls1_2 "${ALICE[@]}"; cap_stop $1
}
tls13-mutual-gnutls() {
  server $1 $2 gnutls-serv -p $2 --echo -r --verify-client-cert --x509cafile $P/ca.pem "${GSRV[@]}"
  cap_start $1 $2
  gcli $1 $2 $G13 --x509certfile $P/client-chain.pem --x509keyfile $P/client.key
  cap_stop $1
}
tls12-unknown-ca-openssl() {
  osrv $1 $2 1 -tls1_2 -rev "${ROGUE_SRV[@]}"
  cap_start $1 $2; ocli $1 $2 -tls1_2; cap_stop $1
}
tls13-unknown-ca-openssl() {
  osrv $1 $2 1 -tls1_3 -rev "${ROGUE_SRV[@]}"
  cap_start $1 $2; ocli $1 $2 -tls1_3; cap_stop $1
}
tls12-nocert-gnutls() {
  server $1 $2 gnutls-serv -p $2 --echo -r --verify-client-cert --x509cafile $P/ca.pem "${GSRV[@]}"
  cap_start $1 $2; gcli $1 $2 $G12; cap_stop $1
}
tls12-nocert-openssl() {
  osrv $1 $2 1 -tls1_2 -rev "${GOOD_SRV[@]}" "${VERIFY_CLIENT[@]}"
  cap_start $1 $2; ocli $1 $2 -tls1_2; cap_stop $1
}
tls13-nocert-openssl() {
  osrv $1 $2 1 -tls1_3 -rev "${GOOD_SRV[@]}" "${VERIFY_CLIENT[@]}"
  cap_start $1 $2; ocli $1 $2 -tls1_3; cap_stop $1
}
tls12-badclient-openssl() {
  osrv $1 $2 1 -tls1_2 -rev "${GOOD_SRV[@]}" "${VERIFY_CLIENT[@]}"
  cap_start $1 $2; ocli $1 $2 -tls1_2 "${MALLORY[@]}"; cap_stop $1
}
tls13-badclient-gnutls() {
  server $1 $2 gnutls-serv -p $2 --echo -r --verify-client-cert --x509cafile $P/ca.pem "${GSRV[@]}"
  cap_start $1 $2
  gcli $1 $2 $G13 --x509certfile $P/mallory.pem --x509keyfile $P/mallory.key
  cap_stop $1
}
tls12-resumed-openssl() {  # -no_ticket: resume by session ID
  local s=$log/$1.session
  osrv $1 $2 2 -tls1_2 -rev -no_ticket "${GOOD_SRV[@]}"
  cap_start $1 $2
  ocli $1 $2 -tls1_2 -no_ticket -sess_out $s
  ocli $1 $2 -tls1_2 -no_ticket -sess_in $s
  cap_stop $1
}
tls13-resumed-openssl() {  # session saved from the server's NewSessionTicket (PSK)
  local s=$log/$1.session
  osrv $1 $2 2 -tls1_3 -rev "${GOOD_SRV[@]}"
  cap_start $1 $2
  ocli $1 $2 -tls1_3 -sess_out $s
  ocli $1 $2 -tls1_3 -sess_in $s
  cap_stop $1
}
tls12-hostname-curl() {  # curl checks the name after the handshake, then just closes
  osrv $1 $2 1 -www "${GOOD_SRV[@]}"
  cap_start $1 $2
  SSLKEYLOGFILE=$PWD/$1.keys timeout $T curl -sS --cacert $P/ca.pem --tlsv1.2 --tls-max 1.2 \
    --resolve wrong.tlsauth.test:$2:127.0.0.1 https://wrong.tlsauth.test:$2/ \
    >>"$log/$1.client.log" 2>&1 || echo "client exit $?" >>"$log/$1.client.log"
  cap_stop $1
}

SCENARIOS=(tls12-oneway-gnutls tls13-oneway-openssl tls12-mutual-openssl tls13-mutual-gnutls
  tls12-unknown-ca-openssl tls13-unknown-ca-openssl tls12-nocert-gnutls tls12-nocert-openssl
  tls13-nocert-openssl tls12-badclient-openssl tls13-badclient-gnutls tls12-resumed-openssl
  tls13-resumed-openssl tls12-hostname-curl)
port=44300 made=()
for s in "${SCENARIOS[@]}"; do
  port=$((port + 1))   # fixed port per scenario, also when only some are selected
  if (($#)) && [[ " $* " != *" $s "* ]]; then continue; fi
  [[ $s == *-curl ]] && ! command -v curl >/dev/null && { echo "skip $s (no curl)"; continue; }
  echo "== $s (port $port)"
  rm -f "$s.pcapng" "$s.keys" "$log/$s".*
  "$s" "$s" "$port"
  made+=("$s")
done
((${#made[@]})) && bash check-captures.sh "${made[@]}"
