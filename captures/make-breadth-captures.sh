#!/usr/bin/env bash
# Breadth captures (issue 5): more stacks (Python's ssl module, PostgreSQL/libpq), more
# protocols around TLS (SMTP STARTTLS, PostgreSQL SSLRequest, DTLS 1.2), more handshake shapes
# (HelloRetryRequest, renegotiation, TLS 1.3 post-handshake authentication, interleaved
# handshakes, a deep RSA-4096 chain in many TCP segments, real TCP retransmissions).
# Same machinery as make-captures.sh (lib.sh): real peers on 127.0.0.1, dumpcap on lo, the
# client's key log injected, packet comments from the notes below, check-captures.sh before
# anything is replaced. Afterwards record-sizes.tsv is measured again from all TLS 1.3 captures.
# Usage: bash captures/make-breadth-captures.sh [NAME...]   (default: all breadth scenarios)
#        bash captures/make-breadth-captures.sh --record-sizes   (only remeasure record-sizes.tsv)
#        bash captures/make-breadth-captures.sh --rows   (only write the rows below into scenarios.tsv)
# The expectations (rows of scenarios.tsv) are written by hand below, next to each scenario;
# they replace the scenario's rows in scenarios.tsv (or are appended) when it is made.
# Needs, besides make-captures.sh's tools: python3, postgresql (15), gcc + libssl-dev (a key-log
# shim for libpq), iptables, ethtool and ip (lo's MTU/offloads and packet drops are changed
# for two captures and restored on exit).
set -euo pipefail
cd "$(dirname "$0")"

# ---- record-sizes.tsv: encrypted record sizes of every TLS 1.3 capture ----------------------
# Per TCP connection of each TLS 1.3 row of scenarios.tsv: the lengths (tls.record.length) of the
# records an observer without keys sees as opaque (tls.record.opaque_type), in the server's
# first encrypted flight (up to its Finished) and in the client's flight (up to its Finished);
# the injected secrets only tell where each flight ends. "-" = that flight was never sent.
declare -A STACK=(
  [tls13-oneway-openssl]="openssl s_server/openssl s_client"
  [tls13-mutual-gnutls]="gnutls-serv/gnutls-cli"
  [tls13-unknown-ca-openssl]="openssl s_server/openssl s_client"
  [tls13-nocert-openssl]="openssl s_server/openssl s_client"
  [tls13-badclient-gnutls]="gnutls-serv/gnutls-cli"
  [tls13-resumed-openssl]="openssl s_server/openssl s_client"
  [tls13-notyetvalid-openssl]="openssl s_server/openssl s_client"
  [tls13-selfsigned-openssl]="openssl s_server/openssl s_client"
  [tls13-badclient-otherca-openssl]="openssl s_server/openssl s_client"
  [tls13-oneway-python]="python ssl/python ssl"
  [tls13-mutual-python]="python ssl/python ssl"
  [tls13-nocert-python]="python ssl/python ssl"
  [tls13-hrr-openssl]="openssl s_server/openssl s_client"
  [tls13-pha-openssl]="openssl s_server/openssl s_client"
  [smtp-starttls-python]="python ssl/openssl s_client"
)
record_sizes() {  # record_sizes: record-sizes.tsv on stdout
  local n
  printf 'capture\tconn\tstack\tserver_flight_sizes\tclient_flight_sizes\n'
  for n in $(awk -F'\t' 'NR > 1 && $3 == "TLSv1.3" && !seen[$1]++ { print $1 }' scenarios.tsv); do
    [[ -f $n.pcapng ]] || continue
    timeout 60 tshark -r "$n.pcapng" -Y tls -T json -J "tcp tls" --no-duplicate-keys 2>/dev/null |
      python3 -c '
import json, sys
name, stack = sys.argv[1], sys.argv[2]
def records(layer):  # the tls layer(s) of a frame -> its records, in order
    out = []
    for t in layer if isinstance(layer, list) else [layer]:
        r = t.get("tls.record", [])
        out += r if isinstance(r, list) else [r]
    return [r for r in out if isinstance(r, dict)]
def hs_types(rec):
    h = rec.get("tls.handshake", [])
    return [x.get("tls.handshake.type") for x in (h if isinstance(h, list) else [h]) if isinstance(x, dict)]
conns = {}
for pkt in json.load(sys.stdin):
    l = pkt["_source"]["layers"]
    stream, sport = l["tcp"]["tcp.stream"], l["tcp"]["tcp.srcport"]
    c = conns.setdefault(stream, {"cport": None, "server": [], "client": [], "done": set(), "sh": False})
    for rec in records(l.get("tls", [])):
        types = hs_types(rec)
        if c["cport"] is None and "1" in types:
            c["cport"] = sport
        side = "client" if sport == c["cport"] else "server"
        if "2" in types:
            c["sh"] = True
        if "tls.record.opaque_type" not in rec or not c["sh"] or side in c["done"]:
            continue
        c[side].append(rec["tls.record.length"])
        if "20" in types:  # its Finished ends the flight
            c["done"].add(side)
for i, s in enumerate(sorted(conns, key=int), 1):
    c = conns[s]
    server, client = (",".join(c[x]) if x in c["done"] else "-" for x in ("server", "client"))
    print(name, i, stack, server, client, sep="\t")
' "$n" "${STACK[$n]:-?}"
  done
}
if [[ ${1:-} == --record-sizes ]]; then
  record_sizes >record-sizes.tsv.new && mv record-sizes.tsv.new record-sizes.tsv
  echo "record-sizes.tsv measured again"; exit 0
fi

source ./lib.sh  # settings, peers, dumpcap, notes, annotate, check_and_replace (shared)

# ---- what this script changes outside its work folder, undone on exit ------------------------
LO_MTU=$(cat /sys/class/net/lo/mtu)
LO_OFFLOAD=$(ethtool -k lo 2>/dev/null | awk -F': ' '/^tcp-segmentation-offload:/ { t = $2 }
  /^generic-segmentation-offload:/ { g = $2 } END { sub(/ .*/, "", t); sub(/ .*/, "", g); print "tso " t " gso " g }')
lo_changed= drops=() pgdir=
small_mtu() {  # a real Ethernet-sized MTU on lo, and no segmentation offload: dumpcap then
  lo_changed=1  # records the TCP segments the stack really sends (not 64 KB GSO super-packets)
  ip link set lo mtu 1500
  ethtool -K lo tso off gso off
}
restore_lo() {
  [[ -n $lo_changed ]] || return 0
  ip link set lo mtu "$LO_MTU"
  # shellcheck disable=SC2086
  ethtool -K lo $LO_OFFLOAD
  lo_changed=
}
drop_rule() {  # drop_rule IPTABLES-RULE...: added now, deleted by undo_drops / on exit
  iptables -I INPUT "$@"
  drops+=("$*")
}
undo_drops() {
  local r
  for r in "${drops[@]}"; do
    # shellcheck disable=SC2086
    iptables -D INPUT $r || echo "could not delete iptables rule: $r" >&2
  done
  drops=()
}
pg_stop() {
  [[ -n $pgdir ]] || return 0
  runuser -u postgres -- $PGBIN/pg_ctl -D "$pgdir/data" -m fast -w stop >/dev/null 2>&1 || true
  cp "$pgdir/server.log" "$log/postgres-clientcert.postgres.log" 2>/dev/null || true
  rm -rf "$pgdir"; pgdir=
}
cleanup_extra() { restore_lo; undo_drops; pg_stop; }

# ---- more peers -------------------------------------------------------------------------------
# Python's ssl module (OpenSSL underneath): server, client, a minimal SMTP server with
# STARTTLS, and a client that drives several handshakes at once (see peer.py below).
PY=$W/peer.py
cat >"$PY" <<'PYEOF'
import socket, ssl, sys, threading

P, SNI = 'pki', 'server.tlsauth.test'


def log(*a):
    print(*a, flush=True)


def readline(sock):  # one CRLF line, byte by byte: never reads past it (the TLS that follows)
    line = b''
    while not line.endswith(b'\n'):
        b = sock.recv(1)
        if not b:
            break
        line += b
    return line


def server_ctx(request, tls_max):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.maximum_version = getattr(ssl.TLSVersion, tls_max)
    ctx.load_cert_chain(f'{P}/server-chain.pem', f'{P}/server.key')
    if request != 'none':
        ctx.load_verify_locations(f'{P}/ca.pem')
        ctx.verify_mode = ssl.CERT_REQUIRED if request == 'require' else ssl.CERT_OPTIONAL
    return ctx


def client_ctx(keys, cert, tls_max):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # verifies the chain and the host name
    ctx.maximum_version = getattr(ssl.TLSVersion, tls_max)
    ctx.load_verify_locations(f'{P}/ca.pem')
    ctx.keylog_filename = keys
    if cert == 'alice':
        ctx.load_cert_chain(f'{P}/client-chain.pem', f'{P}/client.key')
    return ctx


def serve_line(s):  # read one line, answer it reversed, then close cleanly (close_notify)
    line = s.recv(1024)
    log('server got', line)
    s.sendall(line.rstrip(b'\n')[::-1] + b'\n')
    while s.recv(1024):
        pass
    s.unwrap()


def server(port, request, tls_max='TLSv1_3'):
    """server PORT none|optional|require [TLSv1_2|TLSv1_3]: one connection"""
    ctx = server_ctx(request, tls_max)
    with socket.create_server(('127.0.0.1', int(port))) as srv:
        conn, _ = srv.accept()
        try:
            with ctx.wrap_socket(conn, server_side=True) as s:
                log('server:', s.version(), 'client certificate:', s.getpeercert())
                serve_line(s)
        except (ssl.SSLError, OSError) as e:
            log('server error:', e)


def threaded(port, count, request, tls_max='TLSv1_3'):
    """threaded PORT COUNT none|optional|require [TLSv1_2|TLSv1_3]: COUNT connections, each
    served by a thread of its own from accept on, so that their handshakes run concurrently"""
    ctx = server_ctx(request, tls_max)

    def serve(n, conn):
        try:
            with ctx.wrap_socket(conn, server_side=True) as s:
                log(f'server, connection {n}:', s.version(), 'client certificate:',
                    (s.getpeercert() or {}).get('subject'))
                serve_line(s)
        except (ssl.SSLError, OSError) as e:
            log(f'server error, connection {n}:', e)

    threads = []
    with socket.create_server(('127.0.0.1', int(port))) as srv:
        for n in range(1, int(count) + 1):
            conn, _ = srv.accept()
            threads.append(threading.Thread(target=serve, args=(n, conn)))
            threads[-1].start()
    for t in threads:
        t.join()


def client(port, keys, cert='none', tls_max='TLSv1_3'):
    """client PORT KEYLOG none|alice [TLSv1_2|TLSv1_3]: send a line, read the answer"""
    ctx = client_ctx(keys, cert, tls_max)
    try:
        with socket.create_connection(('127.0.0.1', int(port))) as sock:
            with ctx.wrap_socket(sock, server_hostname=SNI) as s:
                log('client:', s.version(), s.cipher())
                s.sendall(b'hello\n')
                log('client got', s.recv(1024))
                s.unwrap()
    except (ssl.SSLError, OSError) as e:
        log('client error:', e)


def smtp(port, tls_max='TLSv1_3'):
    """smtp PORT: a minimal SMTP server, EHLO / STARTTLS / EHLO / QUIT, one connection"""
    ctx = server_ctx('none', tls_max)
    with socket.create_server(('127.0.0.1', int(port))) as srv:
        conn, _ = srv.accept()
        conn.sendall(b'220 server.tlsauth.test ESMTP tlsauth test\r\n')
        while True:
            line = readline(conn)
            log('smtp got', line)
            if not line:
                return
            cmd = line.strip().upper()
            if cmd.startswith(b'EHLO'):
                conn.sendall(b'250-server.tlsauth.test\r\n250-8BITMIME\r\n250 STARTTLS\r\n')
            elif cmd == b'STARTTLS':
                conn.sendall(b'220 2.0.0 Ready to start TLS\r\n')
                break
            else:
                conn.sendall(b'530 5.7.0 Must issue a STARTTLS command first\r\n')
        try:
            with ctx.wrap_socket(conn, server_side=True) as s:
                log('server:', s.version())
                while True:
                    line = readline(s)
                    log('smtp (TLS) got', line)
                    if not line:
                        break
                    cmd = line.strip().upper()
                    if cmd.startswith(b'EHLO'):
                        s.sendall(b'250-server.tlsauth.test\r\n250 8BITMIME\r\n')
                    elif cmd == b'QUIT':
                        s.sendall(b'221 2.0.0 Bye\r\n')
                        break
                    else:
                        s.sendall(b'250 2.0.0 OK\r\n')
                s.unwrap()
        except (ssl.SSLError, OSError) as e:
            log('server error:', e)


def interleaved(port, keys, certs, tls_max='TLSv1_2'):
    """interleaved PORT KEYLOG alice,none,...: connect one socket per entry, in order, then
    drive all the handshakes in lockstep: each connection sends its next flight in turn, then
    each reads its answer (memory BIOs: this client decides when bytes go out and come in)"""
    certs = certs.split(',')
    socks = [socket.create_connection(('127.0.0.1', int(port))) for _ in certs]
    bio = [(ssl.MemoryBIO(), ssl.MemoryBIO()) for _ in certs]
    tls = [client_ctx(keys, c, tls_max).wrap_bio(i, o, server_hostname=SNI)
           for c, (i, o) in zip(certs, bio)]

    def step(n, op):  # run op on connection n; send what it wrote; True when done
        try:
            op()
            done = True
        except ssl.SSLWantReadError:
            done = False
        out = bio[n][1].read()
        if out:
            socks[n].sendall(out)
        return done

    def feed(n):  # whatever the server sent on connection n (waits for something)
        socks[n].settimeout(5)
        data = socks[n].recv(65536)
        if not data:
            raise ConnectionError(f'connection {n + 1} closed')
        bio[n][0].write(data)

    pending = list(range(len(certs)))
    while pending:
        for n in list(pending):
            if step(n, tls[n].do_handshake):
                log(f'connection {n + 1} ({certs[n]}): handshake done, {tls[n].version()}')
                pending.remove(n)
        for n in pending:
            feed(n)
    for n, t in enumerate(tls):
        step(n, lambda: t.write(f'hello from connection {n + 1}\n'.encode()))
    for n, t in enumerate(tls):
        while True:
            try:
                log(f'connection {n + 1} got', t.read(1024))
                break
            except ssl.SSLWantReadError:
                feed(n)
    for n, t in enumerate(tls):  # close_notify both ways, like the other clients
        try:
            while not step(n, t.unwrap):
                feed(n)
        except (ssl.SSLError, OSError) as e:
            log(f'connection {n + 1} close:', e)
        socks[n].close()


if __name__ == '__main__':
    {'server': server, 'threaded': threaded, 'client': client, 'smtp': smtp,
     'interleaved': interleaved}[sys.argv[1]](*sys.argv[2:])
PYEOF
pysrv() {  # pysrv NAME PORT peer.py-server-args...
  local name=$1 port=$2; shift 2
  server "$name" "$port" python3 "$PY" server "$port" "$@"
}
pysrv_threads() {  # pysrv_threads NAME PORT COUNT peer.py-threaded-args...
  local name=$1 port=$2; shift 2
  server "$name" "$port" python3 "$PY" threaded "$port" "$@"
}
pycli() {  # pycli NAME PORT [none|alice] [TLSv1_2|TLSv1_3]
  local name=$1 port=$2; shift 2
  timeout $T python3 "$PY" client "$port" "$W/$name.keys" "$@" >>"$log/$name.client.log" 2>&1 ||
    echo "client exit $?" >>"$log/$name.client.log"
}
listening_udp() { [[ -n $(ss -Hlun "sport = :$1") ]]; }
server_udp() {  # server_udp NAME PORT CMD...: as server, for a UDP server
  local name=$1 port=$2; shift 2
  ! listening_udp "$port" || { echo "udp port $port is already in use" >&2; return 1; }
  timeout $((T * 4)) "$@" </dev/null >"$log/$name.server.log" 2>&1 &
  pids+=($!)
  wait_until "udp server on :$port" listening_udp "$port"
}
# An s_server that takes commands on stdin (R = renegotiate asking for a certificate,
# c = TLS 1.3 certificate request after the handshake), through a FIFO: say CMD sends one.
say_fd=
listening_any() { [[ -n $(ss -Hltun "sport = :$1") ]]; }  # TCP or UDP (DTLS)
cmd_server() {  # cmd_server NAME PORT s_server-args...
  local name=$1 port=$2; shift 2
  ! listening_any "$port" || { echo "port $port is already in use" >&2; return 1; }
  mkfifo "$W/$name.stdin"
  exec {say_fd}<>"$W/$name.stdin"  # read-write: opening never blocks, EOF never comes
  timeout $((T * 4)) openssl s_server -accept 127.0.0.1:$port -naccept 1 "$@" \
    <"$W/$name.stdin" >"$log/$name.server.log" 2>&1 &
  pids+=($!)
  wait_until "server on :$port" listening_any "$port"
}
say() { printf '%s\n' "$1" >&"$say_fd"; echo "[server stdin: $1]" >>"$log/$2.client.log"; }
# A client that sends "hello", and "bye" 3 s later, then closes (stdin EOF) 1.5 s after.
ocli_slow() {  # ocli_slow NAME PORT s_client-args... (in the background)
  local name=$1 port=$2; shift 2
  { printf 'hello\n'; sleep 3; printf 'bye\n'; sleep 1.5; } | timeout $T openssl s_client \
    -connect 127.0.0.1:$port -servername $SNI -verify_hostname $SNI -CAfile $P/ca.pem \
    -verify_return_error -keylogfile "$W/$name.keys" "$@" >>"$log/$name.client.log" 2>&1 &
  client_pid=$!
}
wait_client() { wait "$client_pid" || echo "client exit $?" >>"$log/$1.client.log"; }

# The deep chain of tls12-bigchain-openssl: pki/deep/, RSA 4096, under the tlsauth Test Root
# CA (its key is in pki/): root -> Deep CA 1 -> 2 -> 3 -> 4 -> server.tlsauth.test. Made once;
# made again only when it no longer verifies against pki/ca.pem (make-pki.sh makes a new root;
# the capture must then be made again, check-captures.sh tells).
DEEP=$P/deep
deep_pki() {
  if [[ -f $DEEP/server.pem ]] && openssl verify -CAfile $P/ca.pem -untrusted $DEEP/chain.pem \
       -purpose sslserver -verify_hostname $SNI $DEEP/server.pem >/dev/null 2>&1; then
    return 0
  fi
  echo "making $DEEP (RSA 4096, 4 intermediates)"
  local d=$W/deep i signer=root-ca signer_dir=$P
  rm -rf "$d"; mkdir -p "$d"
  for i in 1 2 3 4 server; do
    TZ=UTC certtool --generate-privkey --key-type=rsa --bits=4096 --no-text --outfile "$d/$i.key" 2>/dev/null
    if [[ $i == server ]]; then
      printf '%s\n' 'serial = 105' 'cn = "server.tlsauth.test"' 'dns_name = "server.tlsauth.test"' \
        'dns_name = "localhost"' 'ip_address = "127.0.0.1"' signing_key encryption_key tls_www_server \
        'activation_date = "2026-01-01 00:00:00"' 'expiration_date = "2036-01-01 00:00:00"' >"$d/$i.tmpl"
    else
      printf '%s\n' "serial = $((100 + i))" "cn = \"tlsauth Deep CA $i\"" ca cert_signing_key \
        crl_signing_key "path_len = $((4 - i))" \
        'activation_date = "2026-01-01 00:00:00"' 'expiration_date = "2036-01-01 00:00:00"' >"$d/$i.tmpl"
    fi
    TZ=UTC certtool --generate-certificate --load-privkey "$d/$i.key" \
      --load-ca-certificate "$signer_dir/$signer.pem" --load-ca-privkey "$signer_dir/$signer.key" \
      --template "$d/$i.tmpl" --no-text --outfile "$d/$i.pem" 2>/dev/null
    signer=$i signer_dir=$d
  done
  mkdir -p "$d/out"
  for i in 1 2 3 4; do mv "$d/$i.pem" "$d/out/deep-ca$i.pem"; mv "$d/$i.key" "$d/out/deep-ca$i.key"; done
  mv "$d/server.pem" "$d/server.key" "$d/out/"
  cat "$d"/out/deep-ca{4,3,2,1}.pem >"$d/out/chain.pem"  # what the server sends after its leaf
  chmod 600 "$d"/out/*.key
  openssl verify -CAfile $P/ca.pem -untrusted "$d/out/chain.pem" -purpose sslserver \
    -verify_hostname $SNI "$d/out/server.pem" >/dev/null
  rm -rf "$DEEP"; mv "$d/out" "$DEEP"
}

PGBIN=/usr/lib/postgresql/15/bin

# ---- scenarios ------------------------------------------------------------------------------
tls13-oneway-python() {
  pysrv $1 $2 none; cap_start $1 $2; pycli $1 $2 none; cap_stop $1
}
note tls13-oneway-python <<'EOF'
- capture tls13-oneway-python: a Python ssl client -> a Python ssl server (the ssl module, OpenSSL underneath), TLS 1.3, one-way authentication, completes. The client's key log comes from SSLContext.keylog_filename and is injected in this file.
1 ch ClientHello: Python's ssl client offers TLS 1.3 with SNI server.tlsauth.test (server_hostname), and will check the chain against ca.pem and the name.
1 scert ServerHello, then, encrypted: the server's Certificate (leaf server.tlsauth.test + tlsauth Test Intermediate CA), CertificateVerify and Finished. No CertificateRequest: one-way.
1 cfin The client's Finished, without any certificate: the handshake is over for the client.
1 capp The client sends its line: it accepted the chain.
1 sapp The server answers (the line reversed): the server alone is authenticated.
EOF
tls13-mutual-python() {
  pysrv $1 $2 require; cap_start $1 $2; pycli $1 $2 alice; cap_stop $1
}
note tls13-mutual-python <<'EOF'
- capture tls13-mutual-python: a Python ssl client with alice's chain -> a Python ssl server with verify_mode CERT_REQUIRED (trusts ca.pem), TLS 1.3, mutual authentication, completes.
1 ch ClientHello: Python's ssl client offers TLS 1.3 with SNI server.tlsauth.test.
1 scert Encrypted: the server presents its chain (leaf server.tlsauth.test + tlsauth Test Intermediate CA)
1 creq and asks for a client certificate (CertificateRequest, CERT_REQUIRED): mutual authentication.
1 ccert Encrypted: the client presents alice's chain (alice + tlsauth Test Intermediate CA), CertificateVerify and Finished.
1 sapp The server accepted alice's chain (against ca.pem) and answers: mutual authentication completed.
EOF
tls13-nocert-python() {
  pysrv $1 $2 require; cap_start $1 $2; pycli $1 $2 none; cap_stop $1
}
note tls13-nocert-python <<'EOF'
- capture tls13-nocert-python: a Python ssl server with CERT_REQUIRED, a Python ssl client without a certificate, TLS 1.3. The client considers the handshake done and sends its line; the server aborts with an encrypted certificate_required.
1 ch ClientHello: Python's ssl client offers TLS 1.3 with SNI server.tlsauth.test; it has no certificate.
1 scert Encrypted: the server presents its chain (leaf server.tlsauth.test + tlsauth Test Intermediate CA)
1 creq and asks for a client certificate (CertificateRequest).
1 ccert Encrypted: the client sends an empty Certificate (it has none) and its Finished; for the client the handshake is over.
1 capp? The client already sends its line (a TLS 1.3 client may, right after its Finished).
1 salert The server requires a client certificate: fatal certificate_required, encrypted (without the secrets only an encrypted alert is visible).
EOF
tls13-hrr-openssl() {  # the client's only key share is X25519, the server accepts P-256 only
  osrv $1 $2 1 -tls1_3 -rev -groups P-256 "${GOOD_SRV[@]}"
  cap_start $1 $2; ocli $1 $2 -tls1_3 -groups X25519:P-256; cap_stop $1
}
note tls13-hrr-openssl <<'EOF'
- capture tls13-hrr-openssl: s_client -groups X25519:P-256 (one key share, X25519) -> s_server -groups P-256, TLS 1.3: the server answers with a HelloRetryRequest, the client sends a second ClientHello with a P-256 key share; then an ordinary one-way handshake, completes.
1 ch ClientHello: s_client offers TLS 1.3 with SNI server.tlsauth.test and a key share for X25519 only (it also supports P-256).
1 sh HelloRetryRequest: a ServerHello whose random is the fixed HRR value (SHA-256 of "HelloRetryRequest"); the server selects P-256 and asks the client to try again. Nothing is authenticated yet.
1 ch#2 Second ClientHello, now with a P-256 key share: the same handshake goes on.
1 sh#2 The real ServerHello; then, encrypted: the server's chain (leaf server.tlsauth.test + tlsauth Test Intermediate CA), CertificateVerify and Finished. No CertificateRequest: one-way.
1 sapp The server answers: the handshake completed, the server alone is authenticated.
EOF
# s_server reads commands on stdin: R = renegotiate and ask for a client certificate.
renegotiate() {  # renegotiate NAME PORT s_server-args...
  cmd_server $1 $2 -tls1_2 "${GOOD_SRV[@]}" -CAfile $P/ca.pem "${@:3}"
  cap_start $1 $2
  ocli_slow $1 $2 -tls1_2 "${ALICE[@]}"
  sleep 0.8; say welcome $1; sleep 0.5; say R $1; sleep 1; say renegotiated $1
  wait_client $1
  cap_stop $1; exec {say_fd}>&-
}
# By default OpenSSL resumes the session in a renegotiation (here with the ticket of the first
# handshake): an abbreviated handshake, in which the server cannot ask for a certificate.
# -no_resumption_on_reneg forces the full handshake that R means.
tls12-renegotiation-openssl() { renegotiate $1 $2 -no_resumption_on_reneg; }
note tls12-renegotiation-openssl <<'EOF2'
- capture tls12-renegotiation-openssl: s_client with alice's chain -> s_server -no_resumption_on_reneg, TLS 1.2. The first handshake is one-way; after some data the server (command R on its stdin) renegotiates and asks for a client certificate: a second, encrypted, full handshake on the same connection, mutual. Both complete.
1 ch ClientHello: s_client offers TLS 1.2 with SNI server.tlsauth.test (and secure renegotiation, renegotiation_info).
1 scert The server presents its chain (leaf server.tlsauth.test + tlsauth Test Intermediate CA) and sends no CertificateRequest: the first handshake is one-way.
1 capp The client sends data over the one-way authenticated connection.
1 hreq The server (R) sends a HelloRequest, encrypted: it wants a new handshake on this connection.
1 ch#2 Second ClientHello, encrypted under the first handshake's keys (only the secrets show it): a renegotiation. The client offers to resume its session; the server refuses (-no_resumption_on_reneg).
1 scert#2 Encrypted: the server presents its chain again
1 creq and now asks for a client certificate (CertificateRequest): the second handshake is mutual.
1 ccert Encrypted: the client presents alice's chain (alice + tlsauth Test Intermediate CA) and signs the handshake (CertificateVerify).
1 capp#2? Data after the renegotiation: the connection is now authenticated both ways.
EOF2
tls12-renegotiation-resumed-openssl() { renegotiate $1 $2; }
note tls12-renegotiation-resumed-openssl <<'EOF2'
- capture tls12-renegotiation-resumed-openssl: as tls12-renegotiation-openssl, but with s_server's defaults: the server (command R) asks for a renegotiation meaning to request a client certificate, the client offers the session ticket of the first handshake and the server resumes it. The second handshake is abbreviated: no Certificate, no CertificateRequest - alice is never asked for, although the client had her certificate.
1 ch ClientHello: s_client offers TLS 1.2 with SNI server.tlsauth.test and an empty session ticket extension.
1 scert The server presents its chain (leaf server.tlsauth.test + tlsauth Test Intermediate CA) and sends no CertificateRequest: the first handshake is one-way.
1 ticket The server issues a session ticket (NewSessionTicket).
1 capp The client sends data over the one-way authenticated connection.
1 hreq The server (R) sends a HelloRequest, encrypted: it wants a new handshake on this connection.
1 ch#2 Second ClientHello, encrypted: the client offers the ticket of the first handshake.
1 sh#2 The server accepts it: an abbreviated handshake (ServerHello, ChangeCipherSpec, Finished), no Certificate and no CertificateRequest. The renegotiation authenticated nobody new: it is a resumption.
1 sapp#2? Data after the renegotiation, still authenticated one way only.
EOF2
tls13-pha-openssl() {  # c on s_server's stdin: a CertificateRequest after the handshake
  cmd_server $1 $2 -tls1_3 "${GOOD_SRV[@]}" -CAfile $P/ca.pem
  cap_start $1 $2
  ocli_slow $1 $2 -tls1_3 -enable_pha "${ALICE[@]}"
  sleep 0.8; say welcome $1; sleep 0.5; say c $1; sleep 1; say authenticated $1
  wait_client $1
  cap_stop $1; exec {say_fd}>&-
}
note tls13-pha-openssl <<'EOF'
- capture tls13-pha-openssl: s_client -enable_pha with alice's chain -> s_server, TLS 1.3. The handshake is one-way; later the server (command c on its stdin) sends a CertificateRequest after the handshake (post-handshake authentication) and the client answers with alice's chain: the connection becomes mutually authenticated. Only visible with the secrets.
1 ch ClientHello: s_client offers TLS 1.3 with SNI server.tlsauth.test and the post_handshake_auth extension: it is willing to be asked for a certificate later.
1 scert Encrypted: the server presents its chain (leaf server.tlsauth.test + tlsauth Test Intermediate CA), no CertificateRequest: the handshake is one-way.
1 capp The client sends data over the one-way authenticated connection.
1 creq Post-handshake authentication: the server sends a CertificateRequest (encrypted, among the application data).
1 ccert The client answers with alice's chain (alice + tlsauth Test Intermediate CA), CertificateVerify and Finished: now both sides are authenticated.
EOF
smtp-starttls-python() {  # port 587 (submission): Wireshark decodes SMTP, then TLS after STARTTLS
  server $1 $2 python3 "$PY" smtp "$2"
  cap_start $1 $2
  { printf 'EHLO client.tlsauth.test\nQUIT\n'; sleep 1; } | timeout $T openssl s_client \
    -connect 127.0.0.1:$2 -starttls smtp -name client.tlsauth.test -crlf -servername $SNI \
    -verify_hostname $SNI -CAfile $P/ca.pem -verify_return_error -keylogfile "$W/$1.keys" \
    >>"$log/$1.client.log" 2>&1 || echo "client exit $?" >>"$log/$1.client.log"
  cap_stop $1
}
note smtp-starttls-python <<'EOF'
- capture smtp-starttls-python: openssl s_client -starttls smtp -> a minimal Python SMTP server on port 587: plaintext EHLO and STARTTLS, then TLS 1.3 on the same TCP connection (one-way, completes), then EHLO and QUIT inside TLS.
1 ch ClientHello, after the plaintext SMTP exchange (220 greeting, EHLO, 250 STARTTLS, STARTTLS, 220 Ready): s_client offers TLS 1.3 with SNI server.tlsauth.test.
1 scert Encrypted: the server presents its chain (leaf server.tlsauth.test + tlsauth Test Intermediate CA), no CertificateRequest: one-way.
1 capp The client sends EHLO again, inside TLS.
1 sapp The server answers inside TLS: SMTP goes on over a one-way authenticated connection.
EOF
postgres-clientcert() {
  keylog_shim
  pgdir=$(mktemp -d "${TMPDIR:-/tmp}/tlsauth-pg.XXXXXX")
  chmod 755 "$pgdir"; chown postgres: "$pgdir"
  runuser -u postgres -- $PGBIN/initdb -D "$pgdir/data" -A trust -U postgres --no-sync \
    >"$log/$1.initdb.log" 2>&1
  install -o postgres -m 644 $P/server-chain.pem $P/ca.pem "$pgdir/data/"
  install -o postgres -m 600 $P/server.key "$pgdir/data/"
  cat >>"$pgdir/data/postgresql.conf" <<PGEOF
listen_addresses = '127.0.0.1'
port = $2
unix_socket_directories = '$pgdir'
ssl = on
ssl_cert_file = 'server-chain.pem'
ssl_key_file = 'server.key'
ssl_ca_file = 'ca.pem'
ssl_min_protocol_version = 'TLSv1.2'
ssl_max_protocol_version = 'TLSv1.2'
PGEOF
  printf '%s\n' 'local all all trust' 'hostssl all all 127.0.0.1/32 cert clientcert=verify-full' \
    >"$pgdir/data/pg_hba.conf"
  ! listening "$2" || { echo "port $2 is already in use" >&2; return 1; }
  runuser -u postgres -- $PGBIN/pg_ctl -D "$pgdir/data" -l "$pgdir/server.log" -w start >/dev/null
  runuser -u postgres -- psql -h "$pgdir" -p $2 -qc 'CREATE ROLE alice LOGIN' postgres
  cap_start $1 $2
  local conn="host=$SNI hostaddr=127.0.0.1 port=$2 dbname=postgres user=alice gssencmode=disable sslmode=verify-full sslrootcert=$P/ca.pem" c
  for c in "sslcert=$P/client-chain.pem sslkey=$P/client.key" "sslcert=$W/none.pem sslkey=$W/none.key" \
           "sslcert=$P/mallory.pem sslkey=$P/mallory.key"; do
    echo "== psql $c" >>"$log/$1.client.log"
    LD_PRELOAD=$W/keylog.so TLSAUTH_KEYLOG=$W/$1.keys timeout $T psql "$conn $c" \
      -c 'SELECT current_user, ssl, version, client_dn FROM pg_stat_ssl WHERE pid = pg_backend_pid()' \
      >>"$log/$1.client.log" 2>&1 </dev/null || echo "client exit $?" >>"$log/$1.client.log"
  done
  cap_stop $1
  pg_stop
}
note postgres-clientcert <<'EOF'
- capture postgres-clientcert: psql (libpq, sslmode=verify-full) -> PostgreSQL 15 on port 5432, ssl_ca_file = ca.pem and pg_hba "hostssl ... cert clientcert=verify-full", TLS forced to 1.2 on the server (so the handshake is readable without keys). Three connections: alice's chain (mutual, logged in as alice), no certificate (the handshake completes, then PostgreSQL refuses the login with a FATAL error inside TLS), mallory (rejected in the handshake: unknown_ca). libpq has no key-log option: the secrets come from an LD_PRELOAD shim (OpenSSL's key-log callback).
1 ch Connection 1: after the plaintext SSLRequest and the server's 'S', the ClientHello: TLS 1.2 with SNI server.tlsauth.test.
1 scert The server presents its chain (leaf server.tlsauth.test + tlsauth Test Intermediate CA)
1 creq and asks for a client certificate: PostgreSQL always does when ssl_ca_file is set (pg_hba decides later what happens without one).
1 ccert The client presents alice's chain (alice + tlsauth Test Intermediate CA) and signs the handshake (CertificateVerify): mutual.
1 sapp The server accepts alice (the certificate's CN is the user name, cert authentication): the session goes on inside TLS.
2 ch Connection 2: the same client without a certificate.
2 ccert The client has no certificate: an empty Certificate message. PostgreSQL does not abort the handshake for that (it requests, it does not require).
2 sapp The handshake completed (mutual-requested); inside TLS, PostgreSQL answers the login with FATAL "connection requires a valid client certificate" and closes: the refusal is in the application protocol, encrypted.
3 ch Connection 3: the client presents mallory's certificate (tlsauth Rogue Root CA).
3 ccert The client presents mallory's certificate alone (issued by the tlsauth Rogue Root CA, which is not sent).
3 salert The server rejects it during the handshake: fatal unknown_ca (it trusts only ca.pem).
EOF
dtls12-gnutls() {
  server_udp $1 $2 gnutls-serv --udp -p $2 --echo -a "${GSRV[@]}"
  cap_start $1 $2 "udp port $2"
  gcli $1 $2 --udp --priority=NORMAL:-VERS-ALL:+VERS-DTLS1.2
  cap_stop $1
}
DATAGRAM[dtls12-gnutls]=1
note dtls12-gnutls <<'EOF'
- capture dtls12-gnutls: gnutls-cli --udp -> gnutls-serv --udp, DTLS 1.2 over UDP, one-way authentication, completes; one line is echoed.
1 ch ClientHello: gnutls-cli offers DTLS 1.2 with SNI server.tlsauth.test, without a cookie.
1 hvr HelloVerifyRequest: the server answers with a cookie before doing any work (DTLS's protection against spoofed sources). No authentication yet.
1 ch#2 The ClientHello again, with the cookie: the handshake proper starts.
1 scert The server presents its chain (leaf server.tlsauth.test + tlsauth Test Intermediate CA) and sends no CertificateRequest: one-way.
1 capp The client accepted the chain and sends its line, encrypted.
1 sapp The server echoes it: the datagram connection is authenticated one way.
EOF
dtls12-mutual-openssl() {  # s_server has no -rev for DTLS: it answers from its stdin
  cmd_server $1 $2 -dtls1_2 "${GOOD_SRV[@]}" "${VERIFY_CLIENT[@]}"
  cap_start $1 $2 "udp port $2"
  ocli_slow $1 $2 -dtls1_2 "${ALICE[@]}"
  sleep 0.8; say welcome $1
  wait_client $1
  cap_stop $1; exec {say_fd}>&-
}
DATAGRAM[dtls12-mutual-openssl]=1
note dtls12-mutual-openssl <<'EOF'
- capture dtls12-mutual-openssl: s_client -dtls1_2 with alice's chain -> s_server -dtls1_2 -Verify 1 -verify_return_error, DTLS 1.2 over UDP, mutual authentication, completes.
1 ch ClientHello: s_client offers DTLS 1.2 with SNI server.tlsauth.test.
1 hvr HelloVerifyRequest: s_server first checks that the client can receive at its address (a cookie).
1 ch#2 The ClientHello again, with the cookie.
1 scert The server presents its chain (leaf server.tlsauth.test + tlsauth Test Intermediate CA), in several fragments (DTLS fragments handshake messages to fit datagrams; Wireshark reassembles them)
1 creq and asks for a client certificate (CertificateRequest): mutual authentication.
1 ccert The client presents alice's chain (alice + tlsauth Test Intermediate CA) and signs the handshake (CertificateVerify).
1 sapp The server accepted alice's chain and answers: mutual authentication completed over UDP.
EOF
tls12-interleaved() {  # a server that asks for a certificate, optionally, a thread per connection
  pysrv_threads $1 $2 5 optional TLSv1_2
  cap_start $1 $2
  timeout $T python3 "$PY" interleaved "$2" "$W/$1.keys" alice,none,alice,none,alice TLSv1_2 \
    >>"$log/$1.client.log" 2>&1 || echo "client exit $?" >>"$log/$1.client.log"
  cap_stop $1
}
note tls12-interleaved <<'EOF'
- capture tls12-interleaved: one Python client opens five TCP connections, in order, to a Python ssl server that serves each connection in a thread of its own and asks for a client certificate without requiring one (CERT_OPTIONAL); then it drives the five TLS 1.2 handshakes in lockstep, one flight of each in turn: their messages interleave. Connections 1, 3 and 5 present alice's chain (mutual), 2 and 4 no certificate (mutual-requested); all complete.
1 ch Connection 1, ClientHello (alice's connection). The next four ClientHellos follow before any handshake is over: follow one connection with tcp.stream.
2 ch Connection 2, ClientHello (no certificate), interleaved with connection 1.
1 ccert Connection 1: alice's chain (alice + tlsauth Test Intermediate CA) and CertificateVerify: mutual.
2 ccert Connection 2: an empty Certificate: asked, but not authenticated (mutual-requested).
3 ccert Connection 3: alice's chain again.
4 ccert Connection 4: an empty Certificate again.
5 ccert Connection 5: alice's chain again.
5 sapp Connection 5: the server echoes its line, like every other connection.
EOF
tls12-bigchain-openssl() {  # lo at MTU 1500 without offloads: the Certificate spans segments
  deep_pki
  osrv $1 $2 1 -tls1_2 -rev -cert $DEEP/server.pem -key $DEEP/server.key -cert_chain $DEEP/chain.pem
  small_mtu
  cap_start $1 $2; ocli $1 $2 -tls1_2; cap_stop $1
  restore_lo
}
note tls12-bigchain-openssl <<'EOF'
- capture tls12-bigchain-openssl: s_server presents a chain of five RSA-4096 certificates (leaf server.tlsauth.test + tlsauth Deep CA 4, 3, 2, 1, under the tlsauth Test Root CA; pki/deep/), TLS 1.2, one-way, completes. Captured with lo at MTU 1500 and no segmentation offload: the Certificate message spans several TCP segments, reassembled by Wireshark.
1 ch ClientHello: s_client offers TLS 1.2 with SNI server.tlsauth.test; it trusts only the tlsauth Test Root CA.
1 scert The last TCP segment of the server's Certificate: five certificates (leaf + Deep CA 4, 3, 2, 1), about 7 KB reassembled from several 1448-byte segments (see "Reassembled TCP Segments"). The path root -> Deep CA 1 -> 2 -> 3 -> 4 -> leaf is complete.
1 capp The client accepted the long chain: the handshake completed and it sends data.
1 sapp The server answers: one-way authentication through four intermediates.
EOF
tls12-retransmit() {  # real TCP losses: dropped on receipt (after dumpcap saw them), retransmitted
  small_mtu
  # The server's first segment of 500 bytes or more (ServerHello, start of the Certificate) is
  # lost once; then 20% of the other segments of the connection, at random, either way.
  drop_rule -i lo -p tcp --sport $2 -m length --length 500:65535 -m statistic --mode nth --every 1000 --packet 0 -j DROP
  drop_rule -i lo -p tcp --sport $2 -m statistic --mode random --probability 0.2 -j DROP
  drop_rule -i lo -p tcp --dport $2 -m statistic --mode random --probability 0.2 -j DROP
  osrv $1 $2 1 -tls1_2 -rev "${GOOD_SRV[@]}"
  cap_start $1 $2
  { printf 'hello\n'; sleep 4; } | timeout $T openssl s_client -connect 127.0.0.1:$2 \
    -servername $SNI -verify_hostname $SNI -CAfile $P/ca.pem -verify_return_error -tls1_2 \
    -keylogfile "$W/$1.keys" >>"$log/$1.client.log" 2>&1 || echo "client exit $?" >>"$log/$1.client.log"
  sleep 1
  cap_stop $1
  undo_drops; restore_lo
}
note tls12-retransmit <<'EOF'
- capture tls12-retransmit: s_client -> s_server, TLS 1.2, one-way, completes, over a lossy loopback: lo at MTU 1500, and iptables drops on receipt the server's first large segment and 20% of the other segments either way (after dumpcap recorded them). TCP retransmits; Wireshark reassembles the TLS messages across retransmissions (filter tcp.analysis.retransmission).
1 ch ClientHello: s_client offers TLS 1.2 with SNI server.tlsauth.test.
1 scert The server's Certificate (leaf server.tlsauth.test + tlsauth Test Intermediate CA), complete once the lost segments were retransmitted: the first copy of its first segment never reached the client.
1 capp The client accepted the chain and sends data (possibly retransmitted too).
1 sapp The server answers: one-way authentication completed despite the losses.
EOF

# ---- expectations: the rows of scenarios.tsv, written by hand from how each scenario is made --
# Columns as in scenarios.tsv's header, separated by "|" here. One row per handshake: a
# renegotiation or a post-handshake authentication is one more row with the same conn.
# "-" in mode_nokeys: the handshake cannot be seen at all without the secrets.
rows tls13-oneway-python <<'ROWS'
tls13-oneway-python|1|TLSv1.3|server.tlsauth.test|one-way|completed|-|-|2|-|||-|-|trusted|-|-|-|-|-|-|-|-|-|-||verified|-|not-visible||python3 ssl module both sides (OpenSSL 3.0 underneath): server SSLContext(PROTOCOL_TLS_SERVER) with server-chain.pem, no client certificate requested; client SSLContext(PROTOCOL_TLS_CLIENT), ca.pem, server_hostname server.tlsauth.test, keylog_filename; TLS 1.3, one line each way, close_notify both ways
ROWS
rows tls13-mutual-python <<'ROWS'
tls13-mutual-python|1|TLSv1.3|server.tlsauth.test|mutual|completed|-|-|2|2|||-|-|trusted|-|trusted|-|-|-|-|-|-|-|-||verified|verified|not-visible|not-visible|python3 ssl server with verify_mode CERT_REQUIRED and ca.pem + python3 ssl client with load_cert_chain(client-chain.pem, client.key) (alice + intermediate); TLS 1.3, completes
ROWS
rows tls13-nocert-python <<'ROWS'
tls13-nocert-python|1|TLSv1.3|server.tlsauth.test|mutual-requested|aborted|server|certificate_required|2|0||encrypted|-|-|trusted|-|-|-|-|-|-|-|-|-|-||verified|-|not-visible||python3 ssl server with CERT_REQUIRED + python3 ssl client without a certificate; TLS 1.3: empty Certificate, the server sends certificate_required (encrypted) and closes (RST, the client's Finished record still unread)
ROWS
rows tls13-hrr-openssl <<'ROWS'
tls13-hrr-openssl|1|TLSv1.3|server.tlsauth.test|one-way|completed|-|-|2|-|||-|-|trusted|-|-|-|-|-|-|-|-|-|-||verified|-|not-visible||s_server -tls1_3 -rev -groups P-256 + s_client -tls1_3 -groups X25519:P-256 (one key share, X25519): HelloRetryRequest (ServerHello with the HRR random), second ClientHello with a P-256 share, then a one-way handshake; one handshake, two ServerHellos
ROWS
rows tls12-renegotiation-openssl <<'ROWS'
tls12-renegotiation-openssl|1|TLSv1.2|server.tlsauth.test|one-way|completed|-|-|2|-|||||trusted|-|-|-|-|-|||||-||verified|-|||s_server -tls1_2 -no_resumption_on_reneg -CAfile ca.pem (no -verify: the first handshake has no CertificateRequest) + s_client -tls1_2 with alice's chain; data both ways, then the second handshake on the same connection (next row)
tls12-renegotiation-openssl|1|TLSv1.2|server.tlsauth.test|mutual|completed|-|-|2|2|unknown||-|-|trusted|-|trusted|-|-|-|-|-|-|-|-||verified|verified|not-visible|-|R on s_server's stdin: HelloRequest, then a full handshake encrypted under the first one's keys (resumption refused by -no_resumption_on_reneg): server chain again, CertificateRequest, alice's chain + CertificateVerify; data both ways after it. Without keys only encrypted handshake records are seen: mode unknown, no chains
ROWS
rows tls12-renegotiation-resumed-openssl <<'ROWS'
tls12-renegotiation-resumed-openssl|1|TLSv1.2|server.tlsauth.test|one-way|completed|-|-|2|-|||||trusted|-|-|-|-|-|||||-||verified|-|||s_server -tls1_2 -CAfile ca.pem with its defaults + s_client -tls1_2 with alice's chain; first handshake one-way, NewSessionTicket, data both ways
tls12-renegotiation-resumed-openssl|1|TLSv1.2|server.tlsauth.test|resumed|completed|-|-|-|-|||-|-|-|-|-|-|-|-|-|-|-|-|1|-|not-visible|-|||R on s_server's stdin (renegotiate asking for a certificate): the client offers the first handshake's ticket and OpenSSL resumes it by default: abbreviated handshake (ServerHello, ChangeCipherSpec, Finished), encrypted, no Certificate and no CertificateRequest; data both ways after it. Without keys: mode unknown Without keys the abbreviated shape still shows: the server changes cipher before the client finished.
ROWS
rows tls13-pha-openssl <<'ROWS'
tls13-pha-openssl|1|TLSv1.3|server.tlsauth.test|one-way|completed|-|-|2|-|||-|-|trusted|-|-|-|-|-|-|-|-|-|-||verified|-|not-visible||s_server -tls1_3 -CAfile ca.pem (no -verify) + s_client -tls1_3 -enable_pha with alice's chain: the handshake is one-way (post_handshake_auth offered); data both ways
tls13-pha-openssl|1|TLSv1.3|server.tlsauth.test|mutual|completed|-|-|-|2|-||-|-|-|-|trusted|-|-|-|-|-|-|-|-||-|verified|||c on s_server's stdin: post-handshake CertificateRequest, alice's chain + CertificateVerify + Finished; data both ways afterwards. All inside application-data records: without keys this authentication is invisible (mode_nokeys -: no such row). Wireshark 4.0 does not decrypt the client's records after its post-handshake Finished
ROWS
rows tls12-interleaved <<'ROWS'
tls12-interleaved|1|TLSv1.2|server.tlsauth.test|mutual|completed|-|-|2|2|||||trusted|-|trusted|-|-|-|||||-||verified|verified|||python3 threaded ssl server (a thread per connection, CERT_OPTIONAL, ca.pem, TLS 1.2) + one python3 client: five TCP connections opened in order, then all five handshakes driven in lockstep through memory BIOs (messages interleave); connections 1, 3, 5 with alice's chain
tls12-interleaved|2|TLSv1.2|server.tlsauth.test|mutual-requested|completed|-|-|2|0|||||trusted|-|-|-|-|-|||||-||verified|-|||connection 2 of the five: no client certificate (empty Certificate; CERT_OPTIONAL accepts it)
tls12-interleaved|3|TLSv1.2|server.tlsauth.test|mutual|completed|-|-|2|2|||||trusted|-|trusted|-|-|-|||||-||verified|verified|||connection 3 of the five: alice's chain
tls12-interleaved|4|TLSv1.2|server.tlsauth.test|mutual-requested|completed|-|-|2|0|||||trusted|-|-|-|-|-|||||-||verified|-|||connection 4 of the five: no client certificate
tls12-interleaved|5|TLSv1.2|server.tlsauth.test|mutual|completed|-|-|2|2|||||trusted|-|trusted|-|-|-|||||-||verified|verified|||connection 5 of the five: alice's chain
ROWS
rows tls12-bigchain-openssl <<'ROWS'
tls12-bigchain-openssl|1|TLSv1.2|server.tlsauth.test|one-way|completed|-|-|5|-|||||trusted|-|-|-|-|-|||||-||verified|-|||s_server -tls1_2 -rev with pki/deep/server.pem + chain.pem (Deep CA 4, 3, 2, 1; RSA 4096, under the tlsauth Test Root CA) + s_client -tls1_2 -CAfile ca.pem; lo at MTU 1500 without TSO/GSO during the capture: the Certificate spans several TCP segments
ROWS
rows tls12-retransmit <<'ROWS'
tls12-retransmit|1|TLSv1.2|server.tlsauth.test|one-way|completed|-|-|2|-|||||trusted|-|-|-|-|-|||||-||verified|-|||s_server -tls1_2 -rev + s_client -tls1_2 over a lossy lo (MTU 1500, no TSO/GSO; iptables INPUT drops, after dumpcap saw them, the server's first segment of 500+ bytes once and 20% of the other segments at random): real TCP retransmissions (tc netem is not available in this kernel)
ROWS
rows smtp-starttls-python <<'ROWS'
smtp-starttls-python|1|TLSv1.3|server.tlsauth.test|one-way|completed|-|-|2|-|||-|-|trusted|-|-|-|-|-|-|-|-|-|-||verified|-|not-visible||python3 SMTP server on port 587 (220 greeting, EHLO -> 250 STARTTLS, STARTTLS -> 220, then the ssl module, server-chain.pem, TLS 1.3) + openssl s_client -starttls smtp -name client.tlsauth.test -crlf -servername server.tlsauth.test -CAfile ca.pem; EHLO and QUIT inside TLS
ROWS
rows postgres-clientcert <<'ROWS'
postgres-clientcert|1|TLSv1.2|server.tlsauth.test|mutual|completed|-|-|2|2|||||trusted|-|trusted|-|-|-|||||-||verified|verified|||PostgreSQL 15 on 127.0.0.1:5432, ssl_cert_file server-chain.pem, ssl_ca_file ca.pem, ssl_max_protocol_version TLSv1.2, pg_hba hostssl cert clientcert=verify-full; psql (libpq 15) host=server.tlsauth.test hostaddr=127.0.0.1 user=alice sslmode=verify-full sslrootcert=ca.pem sslcert=client-chain.pem: logged in as alice; key log by an LD_PRELOAD shim (libpq has no key-log option)
postgres-clientcert|2|TLSv1.2|server.tlsauth.test|mutual-requested|completed|-|-|2|0|||||trusted|-|-|-|-|-|||||-||verified|-|||the same psql without a certificate (sslcert = a missing file): empty Certificate, PostgreSQL completes the handshake (it requests, does not require), then answers the startup message with FATAL "connection requires a valid client certificate" inside TLS and closes with close_notify
postgres-clientcert|3|TLSv1.2|server.tlsauth.test|mutual|aborted|server|unknown_ca|2|1|||||trusted|-|untrusted|unknown-issuer,missing-intermediate|-|-|||||-||verified|verified|||the same psql with sslcert=mallory.pem (tlsauth Rogue Root CA, leaf only): PostgreSQL aborts the handshake with unknown_ca
ROWS
rows dtls12-gnutls <<'ROWS'
dtls12-gnutls|1|DTLSv1.2|server.tlsauth.test|one-way|completed|-|-|2|-|||||trusted|-|-|-|-|-|||||-||verified|-|||gnutls-serv --udp --echo -a + gnutls-cli --udp --priority NORMAL:-VERS-ALL:+VERS-DTLS1.2 (SNI, ca.pem): HelloVerifyRequest (cookie), ClientHello again, one-way; a line echoed
ROWS
rows dtls12-mutual-openssl <<'ROWS'
dtls12-mutual-openssl|1|DTLSv1.2|server.tlsauth.test|mutual|completed|-|-|2|2|||||trusted|-|trusted|-|-|-|||||-||verified|verified|||s_server -dtls1_2 -Verify 1 -verify_return_error -CAfile ca.pem (cookie exchange, messages fragmented over several datagrams) + s_client -dtls1_2 with alice's chain; a line each way
ROWS

# Fixed ports: 44351.. for TCP, 44361.. for UDP; the SMTP and PostgreSQL scenarios use their
# protocols' ports (587, 5432), so that Wireshark decodes them without any option.
SCENARIOS=(tls13-oneway-python tls13-mutual-python tls13-nocert-python tls13-hrr-openssl
  tls12-renegotiation-openssl tls13-pha-openssl tls12-interleaved tls12-bigchain-openssl
  tls12-retransmit tls12-renegotiation-resumed-openssl smtp-starttls-python postgres-clientcert dtls12-gnutls dtls12-mutual-openssl)
declare -A PORT=([smtp-starttls-python]=587 [postgres-clientcert]=5432 [dtls12-gnutls]=44361
  [dtls12-mutual-openssl]=44362)
i=0; for s in "${SCENARIOS[@]:0:10}"; do PORT[$s]=$((44350 + ++i)); done
# SMTP and PostgreSQL hand over to TLS themselves: Wireshark must decode their ports as theirs.
PROTOCOL_PORTS='^(smtp|postgres)-'
run_scenarios "$@"
record_sizes >record-sizes.tsv.new && mv record-sizes.tsv.new record-sizes.tsv
echo "record-sizes.tsv updated"
