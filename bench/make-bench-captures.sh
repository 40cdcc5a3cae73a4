#!/usr/bin/env bash
# Generate the benchmark captures (big, never committed) into OUTDIR:
#   dense.pcap     + dense.keys      >= 10,000 handshakes of every kind, replicated from captures/
#   realistic.pcapng + realistic.keys  200 HTTPS downloads of 4 MiB each (curl <- openssl s_server -WWW)
#   unique.pcapng  + unique.keys     500 TLS 1.2 handshakes, each with a different server leaf
# Usage: bench/make-bench-captures.sh OUTDIR [dense|realistic|unique...]   (default: all three)
# Needs root (or capture rights on lo), python3, openssl, gnutls-bin (certtool), curl; ~1 min.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:?usage: make-bench-captures.sh OUTDIR [dense|realistic|unique...]}; shift
which=("$@"); ((${#which[@]})) || which=(dense realistic unique)
mkdir -p "$out"; out=$(cd "$out" && pwd)
P=$root/captures/pki
SNI=server.tlsauth.test
DENSE_COPIES=${DENSE_COPIES:-625}       # x 16 handshakes per set of DENSE_SET = 10,000
# A fixed set (not captures/*), so that the mix stays comparable when captures are added.
DENSE_SET=(tls12-oneway-gnutls tls13-oneway-openssl tls12-mutual-openssl tls13-mutual-gnutls
  tls12-unknown-ca-openssl tls13-unknown-ca-openssl tls12-nocert-gnutls tls12-nocert-openssl
  tls13-nocert-openssl tls12-badclient-openssl tls13-badclient-gnutls tls12-resumed-openssl
  tls13-resumed-openssl tls12-hostname-curl)
REAL_CONNS=${REAL_CONNS:-200} REAL_MIB=${REAL_MIB:-4}
UNIQUE_LEAVES=${UNIQUE_LEAVES:-500}
PORT_REAL=45101 PORT_UNIQUE=45102       # away from captures/make-captures.sh (44301..44314)
T=20                                    # bound (s) for any single client command

# Fixed ports: a second concurrent run would mix its traffic into ours.
exec 9>"$out/.lock"
flock -n 9 || { echo "another make-bench-captures.sh is writing $out" >&2; exit 1; }
tmp=$(mktemp -d)
pids=() dumpcap_pid=
cleanup() {
  if [[ -n $dumpcap_pid ]]; then kill -INT "$dumpcap_pid" 2>/dev/null || true; fi
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

listening() { [[ -n $(ss -Hltn "sport = :$1") ]]; }
wait_listen() {  # poll every 10 ms, up to 5 s: handshakes are short, so polling dominates otherwise
  local i; for i in $(seq 500); do listening "$1" && return 0; sleep 0.01; done
  echo "timeout waiting for a server on :$1" >&2; return 1
}
cap_start() {  # cap_start NAME PORT: returns once dumpcap really captures
  # -B: 256 MiB kernel buffer, as loopback bursts at GB/s during the downloads.
  dumpcap -q -i lo -B 256 -f "tcp port $2" -w "$out/$1.pcapng" 2>"$tmp/$1.dumpcap.log" &
  dumpcap_pid=$!
  local i; for i in $(seq 100); do grep -q '^File:' "$tmp/$1.dumpcap.log" && break; sleep 0.05; done
  sleep 0.3
}
cap_stop() {  # cap_stop NAME: stop dumpcap cleanly and complain about drops (they skew results)
  sleep 0.5
  kill -INT "$dumpcap_pid"; wait "$dumpcap_pid" || true; dumpcap_pid=
  grep -h 'dropped' "$tmp/$1.dumpcap.log" | sed "s/^/$1: /" || true
  if grep -q 'dropped on interface.*/[1-9]' "$tmp/$1.dumpcap.log"; then
    echo "WARNING: $1: dumpcap dropped packets" >&2
  fi
}

# ---- (a) handshake-dense: replicate the captures of DENSE_SET, each copy on its own ports and time.
# Rewriting (not live peers) makes the file byte-for-byte reproducible and takes seconds.
# Copies share client randoms, so the concatenated key logs decrypt all of them.
make_dense() {
  local n
  for n in "${DENSE_SET[@]}"; do
    editcap -F pcap "$root/captures/$n.pcapng" "$tmp/$n.pcap"   # pcap: trivial to rewrite
    cat "$root/captures/$n.keys"
  done >"$out/dense.keys"
  python3 - "$DENSE_COPIES" "$out/dense.pcap" "$tmp"/*.pcap <<'EOF'
# Copy k of every capture: client port -> 50000 + 2k + j (j-th connection of the file), the
# scenario's fixed server port kept (so every 4-tuple is unique), start shifted by k*50 ms
# (+ 3 ms per file) so connections overlap like on a busy server. TCP checksum updated
# incrementally (RFC 1624). Records are merged in time order.
import struct, sys
copies, dst, srcs = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
def csum_fix(hc, old, new):
    s = (~hc & 0xffff) + (~old & 0xffff) + new
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff
recs, hdr = [], None
for fi, path in enumerate(sorted(srcs)):
    data = open(path, 'rb').read()
    magic = struct.unpack('<I', data[:4])[0]
    assert magic in (0xa1b2c3d4, 0xa1b23c4d), path   # little-endian usec / nsec pcap
    hdr = hdr or data[:24]
    assert data[:24] == hdr, "all inputs must share one pcap header"
    scale = 10**9 if magic == 0xa1b23c4d else 10**6
    pkts, off, clients = [], 24, {}
    while off < len(data):
        sec, frac, incl, orig = struct.unpack_from('<IIII', data, off)
        body = data[off + 16: off + 16 + incl]; off += 16 + incl
        pkts.append((sec * scale + frac, orig, bytearray(body)))
        if body[12:14] == b'\x08\x00' and body[23] == 6:          # Ethernet/IPv4/TCP
            t = 14 + (body[14] & 15) * 4
            sport, dport = struct.unpack_from('>HH', body, t)
            if body[t + 13] & 0x12 == 0x02 and sport not in clients:  # SYN: the client's port
                clients[sport] = len(clients)
    t0 = pkts[0][0]
    for k in range(copies):
        shift = k * scale // 20 + fi * 3 * scale // 1000
        for ts, orig, body in pkts:
            b = bytearray(body)
            if b[12:14] == b'\x08\x00' and b[23] == 6:
                t = 14 + (b[14] & 15) * 4
                for p in (t, t + 2):
                    old = struct.unpack_from('>H', b, p)[0]
                    if old in clients:
                        new = 50000 + 2 * k + clients[old]
                        struct.pack_into('>H', b, p, new)
                        ck = struct.unpack_from('>H', b, t + 16)[0]
                        struct.pack_into('>H', b, t + 16, csum_fix(ck, old, new))
            recs.append((ts - t0 + shift, orig, bytes(b)))
recs.sort(key=lambda r: r[0])
base = 1798761600 * scale                   # 2027-01-01: inside the test PKI's validity
with open(dst, 'wb') as o:
    o.write(hdr)
    for ts, orig, b in recs:
        ts += base
        o.write(struct.pack('<IIII', ts // scale, ts % scale, len(b), orig)); o.write(b)
EOF
}

# ---- (b) realistic: few handshakes, megabytes of application data each, live peers.
make_realistic() {
  local www=$tmp/www i args
  mkdir -p "$www"; head -c $((REAL_MIB << 20)) /dev/zero >"$www/big.bin"
  # -verify 1: asks every client for a certificate without requiring one (mutual or not).
  (cd "$www" && exec timeout 600 openssl s_server -accept 127.0.0.1:$PORT_REAL -WWW -naccept "$REAL_CONNS" \
    -cert "$P/server.pem" -cert_chain "$P/intermediate-ca.pem" -key "$P/server.key" \
    -verify 1 -CAfile "$P/ca.pem" </dev/null >"$tmp/realistic.server.log" 2>&1) &
  pids+=($!)
  wait_listen $PORT_REAL
  cap_start realistic $PORT_REAL
  for ((i = 0; i < REAL_CONNS; i++)); do
    # Alternate TLS 1.2 / 1.3; a quarter of the clients present alice's chain (mutual).
    args=(); ((i % 2)) && args+=(--tlsv1.3) || args+=(--tlsv1.2 --tls-max 1.2)
    ((i % 8 >= 6)) && args+=(--cert "$P/client-chain.pem" --key "$P/client.key")
    SSLKEYLOGFILE=$out/realistic.keys timeout $T curl -sS --cacert "$P/ca.pem" "${args[@]}" \
      --resolve $SNI:$PORT_REAL:127.0.0.1 -o /dev/null https://$SNI:$PORT_REAL/big.bin
  done
  cap_stop realistic
  wait "${pids[@]}" 2>/dev/null || true; pids=()
}

# ---- (c) unique-chain worst case: every connection brings a leaf the verify cache never saw.
make_unique() {
  local d=$tmp/leaves i
  mkdir -p "$d"
  # One key for all leaves: only the certificates must differ, and signing is fast.
  certtool --generate-privkey --key-type=ecdsa --curve=secp256r1 --no-text --outfile "$d/leaf.key" 2>/dev/null
  for ((i = 0; i < UNIQUE_LEAVES; i++)); do
    printf '%s\n' "serial = $((1000 + i))" "cn = \"leaf-$i.tlsauth.test\"" "dns_name = \"$SNI\"" \
      'activation_date = "2026-01-01 00:00:00"' 'expiration_date = "2036-01-01 00:00:00"' \
      signing_key tls_www_server >"$d/t"
    TZ=UTC certtool --generate-certificate --load-privkey "$d/leaf.key" \
      --load-ca-certificate "$P/intermediate-ca.pem" --load-ca-privkey "$P/intermediate-ca.key" \
      --template "$d/t" --no-text --outfile "$d/$i.pem" 2>/dev/null
  done
  : >"$out/unique.keys"
  cap_start unique $PORT_UNIQUE
  for ((i = 0; i < UNIQUE_LEAVES; i++)); do
    # One s_server per leaf: it cannot switch certificates between connections.
    timeout $T openssl s_server -accept 127.0.0.1:$PORT_UNIQUE -naccept 1 -rev -tls1_2 \
      -cert "$d/$i.pem" -cert_chain "$P/intermediate-ca.pem" -key "$d/leaf.key" \
      </dev/null >/dev/null 2>&1 &
    pids=($!)
    wait_listen $PORT_UNIQUE
    # A line of application data, so that the handshake counts as completed, not dropped.
    echo hello | timeout $T openssl s_client -connect 127.0.0.1:$PORT_UNIQUE -servername $SNI \
      -tls1_2 -CAfile "$P/ca.pem" -keylogfile "$out/unique.keys" >/dev/null 2>&1 || true
    wait "${pids[@]}" 2>/dev/null || true; pids=()
  done
  cap_stop unique
}

[[ -f $P/intermediate-ca.key ]] || { echo "no PKI: run captures/make-pki.sh" >&2; exit 1; }
for w in "${which[@]}"; do
  SECONDS=0
  rm -f "$out/$w".*
  "make_$w"
  echo "$w: $(compgen -G "$out/$w.pcap*") in ${SECONDS}s"
done
# Captures are tied to the PKI they were made with: run-bench.sh remakes them when it changes.
sha256sum <"$P/ca.pem" >"$out/pki.sha256"
chmod -R a+rX "$out"   # tshark runs as nobody in run-bench.sh
