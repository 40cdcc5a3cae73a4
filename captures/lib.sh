# Shared by make-captures.sh and make-breadth-captures.sh (sourced, from captures/): settings,
# real peers on 127.0.0.1, dumpcap, the scenario notes, annotate (secrets + comments) and the
# final check-and-replace. Needs: set -euo pipefail and the current folder = captures/.

P=pki
T=15                       # upper bound (s) for any single client/server command
SNI=server.tlsauth.test
log=logs; mkdir -p "$log"  # per-scenario client/server output, for debugging only
[[ -f $P/ca.pem && -f $P/ocsp-index.txt ]] || { echo "run make-pki.sh first" >&2; exit 1; }
# The PKI has fixed dates: the expired / not-yet-valid scenarios need "now" between them.
now=$(date -u +%s)
if ((now < $(date -u -d 2026-01-01 +%s) || now >= $(date -u -d 2035-01-01 +%s))); then
  echo "the clock ($(date -u +%F)) must be in [2026-01-01, 2035-01-01) for these scenarios" >&2
  exit 1
fi
# Ports and file names are fixed, so two concurrent runs would corrupt each other.
exec 9>"$log/.lock.$(basename "$0" .sh)"
flock -n 9 || { echo "another $(basename "$0") is running" >&2; exit 1; }

W=$(mktemp -d "${TMPDIR:-/tmp}/tlsauth-captures.XXXXXX")  # work folder, removed on exit
pids=() dumpcap_pid=
cleanup() {
  [[ -n $dumpcap_pid ]] && kill -INT "$dumpcap_pid" 2>/dev/null || true
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  # a script's own undo steps (interface settings, a database...), before the work folder goes
  if declare -F cleanup_extra >/dev/null; then cleanup_extra || true; fi
  rm -rf "$W"
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
  ! listening "$port" || { echo "port $port is already in use" >&2; return 1; }
  timeout $((T * 4)) "$@" </dev/null >"$log/$name.server.log" 2>&1 &
  pids+=($!)
  wait_until "server on :$port" listening "$port"
}

# Start dumpcap only after the server listens (so the readiness probe is not recorded)
# and return only once dumpcap is really capturing ("File:" is printed after the
# filter is installed and the file is open).
cap_start() {  # cap_start NAME PORT [CAPTURE-FILTER] (default: tcp port PORT)
  local name=$1 port=$2 filter=${3:-tcp port $2}
  dumpcap -q -i lo -f "$filter" -a duration:$((T * 4)) -w "$W/$name.pcapng" \
    2>"$log/$name.dumpcap.log" &
  dumpcap_pid=$!
  wait_until "dumpcap for $name" grep -qs '^File:' "$log/$name.dumpcap.log"
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
  # A client that aborts before deriving any secret may write no key log at all (gnutls-cli):
  # keep a key log anyway, so every capture has one (and a decryption secrets block).
  [[ -s $W/$name.keys ]] ||
    echo "# no TLS secrets: the client aborted before deriving any" >"$W/$name.keys"
}

# Clients send a line, then keep stdin open 1 s so the server's reply is read before
# they close. Failures are expected in some scenarios: exit status goes to the log.
feed() { printf '%s\n' "$1"; sleep 1; }
ocli() {  # ocli NAME PORT s_client-args...
  local name=$1 port=$2; shift 2
  feed hello | timeout $T openssl s_client -connect 127.0.0.1:$port -servername $SNI \
    -verify_hostname $SNI -CAfile $P/ca.pem -verify_return_error \
    -keylogfile "$W/$name.keys" "$@" >>"$log/$name.client.log" 2>&1 \
    || echo "client exit $?" >>"$log/$name.client.log"
}
gcli() {  # gcli NAME PORT gnutls-cli-args...
  local name=$1 port=$2; shift 2
  feed hello | SSLKEYLOGFILE=$W/$name.keys timeout $T gnutls-cli -p $port \
    --sni-hostname $SNI --verify-hostname $SNI --x509cafile $P/ca.pem "$@" 127.0.0.1 \
    >>"$log/$name.client.log" 2>&1 || echo "client exit $?" >>"$log/$name.client.log"
}
osrv() {  # osrv NAME PORT NACCEPT s_server-args... (defaults: good server chain, -rev echo)
  local name=$1 port=$2 n=$3; shift 3
  server "$name" "$port" openssl s_server -accept 127.0.0.1:$port -naccept "$n" "$@"
}
# ocsp_response NAME LEAF: a fresh OCSP response for pki/LEAF.pem from the intermediate's
# database, signed by the delegated responder, valid 7 days from now (stapled by s_server).
ocsp_response() {
  local name=$1 leaf=$2
  openssl ocsp -issuer $P/intermediate-ca.pem -cert $P/$leaf.pem -no_nonce \
    -reqout "$W/$name.ocsp-req.der" >>"$log/$name.ocsp.log" 2>&1
  timeout $T openssl ocsp -index $P/ocsp-index.txt -CA $P/intermediate-ca.pem \
    -rsigner $P/ocsp-responder.pem -rkey $P/ocsp-responder.key -ndays 7 \
    -reqin "$W/$name.ocsp-req.der" -respout "$W/$name.ocsp.der" >>"$log/$name.ocsp.log" 2>&1
}
leaf() {  # leaf NAME [chain]: s_server arguments for pki/NAME (+ the intermediate)
  LEAF=(-cert $P/$1.pem -key $P/$1.key)
  [[ ${2:-} != chain ]] || LEAF+=(-cert_chain $P/intermediate-ca.pem)
}
GOOD_SRV=(-cert $P/server.pem -cert_chain $P/intermediate-ca.pem -key $P/server.key)
ROGUE_SRV=(-cert $P/server-rogue.pem -key $P/server-rogue.key)
VERIFY_CLIENT=(-Verify 1 -verify_return_error -CAfile $P/ca.pem)  # else s_server only logs verify errors
ALICE=(-cert $P/client.pem -cert_chain $P/intermediate-ca.pem -key $P/client.key)
MALLORY=(-cert $P/mallory.pem -key $P/mallory.key)
GSRV=(--x509certfile $P/server-chain.pem --x509keyfile $P/server.key)
G12=--priority=NORMAL:-VERS-ALL:+VERS-TLS1.2
G13=--priority=NORMAL:-VERS-ALL:+VERS-TLS1.3

# ---- notes: NOTES[NAME] feeds annotate() ----------------------------------------------------
declare -A NOTES DATAGRAM=()
note() { NOTES[$1]=$(cat); }  # note NAME <<EOF ... lines "CONN EVENT TEXT" (see annotate)

# ---- post-processing ------------------------------------------------------------------------
# Events found in each TCP connection (CONN = 1, 2... in tcp.stream order; UDP for DTLS), at
# the first frame that carries them: ch sh scert status creq skx ckx ccert ccv sfin cfin ticket
# hreq (HelloRequest) hvr (HelloVerifyRequest) (handshake messages; c/s = sent by the
# client/server), capp sapp (first application data), calert salert calert2 salert2 (frames
# with alerts); EVENT#2, EVENT#3... at its later occurrences. "- capture TEXT" is the capture
# comment.
# EVENT? marks a note for something that depends on timing (e.g. whether a TLS 1.3 client
# sends data before the server's alert arrives): skipped when it did not happen.
events() {  # events NAME: "CONN EVENT FRAME" lines, from the capture decrypted with its key log
  # DATAGRAM[NAME] set: DTLS over UDP. An event's later occurrences in the same connection
  # (renegotiation, HelloRetryRequest...) are also listed, as EVENT#2, EVENT#3...
  local pr=tls l4=tcp
  [[ -z ${DATAGRAM[$1]:-} ]] || { pr=dtls; l4=udp; }
  timeout 60 tshark -r "$W/$1.pcapng" -o "tls.keylog_file:$W/$1.keys" -Y $pr -T fields \
    -E separator=/t -e frame.number -e $l4.stream -e $l4.srcport -e $pr.handshake.type \
    -e $pr.alert_message.desc -e $pr.record.content_type 2>/dev/null | awk -F'\t' '
  function ev(name) {
    if (!((c, name) in seen)) { seen[c, name] = 1; print c, name, $1 }
    else if (++again[c, name] > 0) print c, name "#" again[c, name] + 1, $1
  }
  {
    if (!($2 in conn)) conn[$2] = ++n
    c = conn[$2]
    nt = split($4, t, ",")
    if (!(c in cport)) for (i = 1; i <= nt; i++) if (t[i] == 1) cport[c] = $3
    x = (c in cport) && $3 == cport[c] ? "c" : "s"
    for (i = 1; i <= nt; i++) {
      if (t[i] == 1) ev("ch"); if (t[i] == 2) ev("sh"); if (t[i] == 4) ev("ticket")
      if (t[i] == 11) ev(x "cert"); if (t[i] == 12) ev("skx"); if (t[i] == 13) ev("creq")
      if (t[i] == 15) ev(x "cv"); if (t[i] == 16) ev("ckx"); if (t[i] == 20) ev(x "fin")
      if (t[i] == 22) ev("status"); if (t[i] == "0") ev("hreq"); if (t[i] == 3) ev("hvr")
    }
    if ($5 != "") { na[c, x]++; ev(x "alert" (na[c, x] > 1 ? na[c, x] : "")) }
    if ($6 ~ /(^|,)23(,|$)/) ev(x "app")
  }'
}

# annotate NAME: NAME.pcapng with the key log injected, the capture comment and one comment
# per key frame (the texts of the events that land on the same frame, joined).
annotate() {
  local name=$1 ev_list capture_comment="" args=() line frame c e rest optional
  [[ -n ${NOTES[$name]:-} ]] || { echo "$name: no notes" >&2; return 1; }
  ev_list=$(events "$name")
  declare -A text=()
  local order=()
  while IFS= read -r line; do
    [[ -n ${line// } ]] || continue
    read -r c e rest <<<"$line"
    if [[ $c == - && $e == capture ]]; then capture_comment=$rest; continue; fi
    optional=; [[ $e != *\? ]] || { optional=1; e=${e%\?}; }
    frame=$(awk -v c="$c" -v e="$e" '$1 == c && $2 == e { print $3 }' <<<"$ev_list")
    if [[ -z $frame ]]; then
      [[ -z $optional ]] || continue
      echo "$name: no frame for note '$c $e' (events: $(tr '\n' ' ' <<<"$ev_list"))" >&2; return 1
    fi
    [[ -n ${text[$frame]:-} ]] && text[$frame]+=" $rest" || { text[$frame]=$rest; order+=("$frame"); }
  done <<<"${NOTES[$name]}"
  [[ -n $capture_comment ]] || { echo "$name: no capture comment in its notes" >&2; return 1; }
  for frame in "${order[@]}"; do args+=(-a "$frame:${text[$frame]}"); done
  editcap --inject-secrets "tls,$W/$name.keys" --capture-comment "$capture_comment" "${args[@]}" \
    "$W/$name.pcapng" "$W/$name.annotated.pcapng"
  # editcap 4.0 puts the secrets block before the interface block, and then cannot read its
  # own output back (editcap --discard-all-secrets, used by the tests, fails with "can't be
  # written as a pcapng file"): let tshark rewrite it in the usual order (SHB IDB DSB EPB...).
  timeout 60 tshark -r "$W/$name.annotated.pcapng" -F pcapng -w "$W/$name.pcapng" 2>/dev/null
  rm -f "$W/$name.annotated.pcapng"
  editcap --discard-all-secrets "$W/$name.pcapng" "$W/$name.nokeys.pcapng" ||
    { echo "$name: editcap cannot rewrite the annotated capture" >&2; return 1; }
  rm -f "$W/$name.nokeys.pcapng"
}

# make_scenarios [NAME...]: makes the scenarios named (default: every one of SCENARIOS), each by
# the function of its name on its PORT, and annotates it; their names go to made=(). Refuses an
# unknown name, and a port Wireshark decodes as another protocol unless the scenario's name
# matches PROTOCOL_PORTS (a regular expression: protocols that hand over to TLS themselves).
make_scenarios() {
  local s taken
  for s in "$@"; do
    [[ -n ${PORT[$s]:-} ]] || { echo "unknown scenario: $s" >&2; exit 2; }
  done
  taken=$(tshark -G decodes 2>/dev/null | awk -F'\t' '$1 == "tcp.port" || $1 == "udp.port" { print $2 }')
  for s in "${SCENARIOS[@]}"; do
    [[ -n ${PROTOCOL_PORTS:-} && $s =~ $PROTOCOL_PORTS ]] && continue
    ! grep -qx "${PORT[$s]}" <<<"$taken" || { echo "$s: Wireshark decodes port ${PORT[$s]} as something else" >&2; exit 1; }
  done
  made=()
  for s in "${SCENARIOS[@]}"; do
    if (($#)) && [[ " $* " != *" $s "* ]]; then continue; fi
    [[ $s == *-curl ]] && ! command -v curl >/dev/null && { echo "skip $s (no curl)"; continue; }
    echo "== $s (port ${PORT[$s]})"
    rm -f "$log/$s".*
    "$s" "$s" "${PORT[$s]}"
    annotate "$s"
    made+=("$s")
  done
}

# check_and_replace NAME...: the captures made in $W replace the ones here only if they all
# match scenarios.tsv (check-captures.sh).
check_and_replace() {
  local made=("$@") s
  if ! CAPTURES_DIR=$W bash check-captures.sh "${made[@]}"; then
    for s in "${made[@]}"; do cp "$W/$s.pcapng" "$log/$s.failed.pcapng"; cp "$W/$s.keys" "$log/$s.failed.keys"; done
    echo "nothing replaced; the new captures are in $log/NAME.failed.pcapng for inspection" >&2
    exit 1
  fi
  for s in "${made[@]}"; do
    chmod 644 "$W/$s.pcapng" "$W/$s.keys"
    mv -f "$W/$s.pcapng" "$W/$s.keys" .
  done
  echo "captures replaced: ${made[*]}"
}

# ---- expectations: rows of scenarios.tsv, written by hand next to each scenario -------------
COLUMNS='capture|conn|version|sni|mode|outcome|drop_by|drop_alert|server_chain_len|client_chain_len|mode_nokeys|drop_alert_nokeys|server_chain_len_nokeys|client_chain_len_nokeys|server_verdict|server_problems|client_verdict|client_problems|ocsp|needs|server_verdict_nokeys|server_problems_nokeys|client_verdict_nokeys|client_problems_nokeys|resumes|resumes_nokeys|server_proof|client_proof|server_proof_nokeys|client_proof_nokeys|how_made'
declare -A ROWS
rows() { ROWS[$1]=$(cat); }
# merged_tsv NAME...: scenarios.tsv with these scenarios' rows (ROWS) in place of their old
# ones (where the first old one was), or appended; on stdout.
merged_tsv() {
  local n
  for n in "$@"; do printf '%s\n' "${ROWS[$n]}"; done | tr '|' '\t' >"$W/rows.tsv"
  python3 - "$W/rows.tsv" "$(tr '|' '\t' <<<"$COLUMNS")" <<'PY'
import sys
rows, columns = sys.argv[1], sys.argv[2]
lines = open('scenarios.tsv').read().splitlines()
if lines[0] != columns:
    sys.exit('scenarios.tsv: its header is not the one the rows here are written for')
new = {}
for line in open(rows).read().splitlines():
    if len(line.split('\t')) != len(columns.split('\t')):
        sys.exit(f'wrong number of columns: {line[:60]}')
    new.setdefault(line.split('\t')[0], []).append(line)
out = [lines[0]]
for line in lines[1:]:
    name = line.split('\t')[0]
    if name in new:
        out += new.pop(name) if new.get(name) else []
        new[name] = None
    else:
        out.append(line)
out += [l for v in new.values() if v for l in v]
print('\n'.join(out))
PY
}
# write_rows NAME...: scenarios.tsv gets these scenarios' rows (several scripts may write at once).
write_rows() {
  (flock 8; merged_tsv "$@" >"$W/scenarios.tsv" && cat "$W/scenarios.tsv" >scenarios.tsv) 8>"$log/.lock.scenarios"
}

# run_scenarios [--rows | NAME...]: the main of a capture script (SCENARIOS, PORT, ROWS and
# PROTOCOL_PORTS set): --rows only writes the expectations; otherwise makes the scenarios named
# (default: all), checks them against their rows and replaces captures and rows together.
run_scenarios() {
  if [[ ${1:-} == --rows ]]; then
    write_rows "${SCENARIOS[@]}"
    echo "scenarios.tsv: rows of ${#SCENARIOS[@]} scenarios written"; exit 0
  fi
  make_scenarios "$@"
  ((${#made[@]})) || exit 0
  merged_tsv "${made[@]}" >"$W/scenarios.tsv"
  SCENARIOS_TSV=$W/scenarios.tsv check_and_replace "${made[@]}"
  write_rows "${made[@]}"
  echo "scenarios.tsv updated"
}

# For OpenSSL peers without a key-log option (libpq, hostapd, wpa_supplicant): a tiny LD_PRELOAD
# shim installs OpenSSL's key-log callback on every SSL_CTX before SSL_new, writing to
# $TLSAUTH_KEYLOG.
keylog_shim() {
  [[ -f $W/keylog.so ]] && return 0
  cat >"$W/keylog.c" <<'CEOF'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <openssl/ssl.h>
static void keylog(const SSL *ssl, const char *line)
{
    (void)ssl;
    const char *path = getenv("TLSAUTH_KEYLOG");
    FILE *f = path ? fopen(path, "a") : NULL;
    if (f) { fprintf(f, "%s\n", line); fclose(f); }
}
SSL *SSL_new(SSL_CTX *ctx)
{
    static SSL *(*real)(SSL_CTX *);
    if (!real) real = (SSL *(*)(SSL_CTX *))dlsym(RTLD_NEXT, "SSL_new");
    SSL_CTX_set_keylog_callback(ctx, keylog);
    return real(ctx);
}
CEOF
  gcc -shared -fPIC -O2 -o "$W/keylog.so" "$W/keylog.c" -lssl -ldl
}
