#!/usr/bin/env bash
# The -z tlsauth,json report (JSON Lines) over one capture, with -q, single- or two-pass: every
# line must parse as one JSON object with the documented keys, and every handshake must match the
# capture's expectations in scenarios.tsv (version, SNI, mode, outcome, drop, chain lengths,
# verdicts, problem tokens as sets, OCSP); a checked chain must list its certificates, the first
# with a subject and a SHA-256 fingerprint. With --merged: one TLS connection and one DTLS
# association that are both stream 0 of their transport, a QUIC connection (0 of its own) and an
# EAP-TLS conversation inside RADIUS must give exactly four objects.
# Usage: TLSAUTH_STAGE=DIR check-json.sh CAPTURE 1|2
#        TLSAUTH_STAGE=DIR check-json.sh --merged
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tsv="$TLSAUTH_STAGE/captures/scenarios.tsv"

# Checks the JSON Lines on stdin. $1: the capture whose scenarios.tsv rows are expected, or
# "--merged". $2: what to call the run in messages.
check() {
  python3 -c "$checker" "$tsv" "$1" "$2"
}
checker=$(cat <<'EOF'
import csv, json, re, sys

tsv, capture, run = sys.argv[1:4]
lines = sys.stdin.read().split("\n")
if lines and lines[-1] == "":
    lines.pop()
errors = []
objects = []
for n, line in enumerate(lines, 1):
    try:
        obj = json.loads(line)
    except ValueError as e:
        errors.append(f"line {n} is not JSON ({e}): {line[:200]}")
        continue
    if not isinstance(obj, dict):
        errors.append(f"line {n} is not a JSON object")
        continue
    objects.append(obj)

# The documented keys (README, Reports): every object has all of them, and no other.
TOP = ["connection", "handshake", "client", "server", "client_known", "version", "sni", "post_handshake",
       "mode", "mode_inferred", "outcome", "drop", "history", "explanation", "frame", "server_chain",
       "client_chain", "server_proof", "client_proof"]
PROOF = ["status", "scheme", "frame", "reason"]
FRAME = ["client_hello", "server_certificate", "certificate_request", "client_certificate", "drop", "summary",
         "resumed_from", "first", "last"]
CHAIN = ["chain_len", "verdict", "problems", "ocsp", "issuer_listed", "verify_time", "reason", "hostname",
         "key_use", "sent", "truncated", "certificates"]
CERT = ["position", "role", "parsed", "from_store", "subject", "issuer", "serial", "sha256", "not_before",
        "not_after", "validity", "key", "sig_alg", "san", "eku", "signed_by_next", "in_store", "revocation"]
SHA256 = re.compile(r"^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){31}$")

def keys(where, obj, expected):
    if not isinstance(obj, dict) or list(obj) != expected:
        errors.append(f"{where}: keys {list(obj) if isinstance(obj, dict) else obj!r}, expected {expected}")
        return False
    return True

for i, o in enumerate(objects, 1):
    if not keys(f"object {i}", o, TOP):
        continue
    keys(f"object {i} connection", o["connection"], ["transport", "stream"])
    keys(f"object {i} frame", o["frame"], FRAME)
    for f, v in o["frame"].items():
        if v is not None and not (isinstance(v, int) and v > 0):
            errors.append(f"object {i}: frame.{f} is {v!r}, not a frame number or null")
    for side in ("server_chain", "client_chain"):
        chain = o[side]
        if chain is None:
            continue
        if not keys(f"object {i} {side}", chain, CHAIN):
            continue
        for c, cert in enumerate(chain["certificates"] or [], 1):
            keys(f"object {i} {side} certificate {c}", cert, CERT)
    for side in ("server_proof", "client_proof"):
        if o[side] is not None and keys(f"object {i} {side}", o[side], PROOF) and not o[side]["reason"]:
            errors.append(f"object {i}: {side} has no reason")

def expect_row(r):
    def opt(col):
        v = r.get(col, "")
        return None if v in ("-", "") else v
    def chain(side):
        length = opt(f"{side}_chain_len")
        if length is None:
            return None
        return {"chain_len": int(length), "verdict": opt(f"{side}_verdict"),
                "problems": sorted((opt(f"{side}_problems") or "").split(",")) if opt(f"{side}_problems") else []}
    return {"version": r["version"], "sni": opt("sni"), "mode": r["mode"], "outcome": r["outcome"],
            "drop": None if opt("drop_by") is None else {"by": r["drop_by"], "alert": r["drop_alert"]},
            "server_chain": chain("server"), "client_chain": chain("client"), "ocsp": opt("ocsp"),
            "server_proof": opt("server_proof"), "client_proof": opt("client_proof")}

def actual_row(o):
    def chain(c):
        if c is None:
            return None
        return {"chain_len": c["chain_len"], "verdict": c["verdict"], "problems": sorted(c["problems"])}
    return {"version": o["version"], "sni": o["sni"], "mode": o["mode"], "outcome": o["outcome"],
            "drop": None if o["drop"] is None else {"by": o["drop"]["by"], "alert": o["drop"]["alert"]},
            "server_chain": chain(o["server_chain"]), "client_chain": chain(o["client_chain"]),
            "ocsp": o["server_chain"]["ocsp"] if o["server_chain"] else None,
            "server_proof": o["server_proof"]["status"] if o["server_proof"] else None,
            "client_proof": o["client_proof"]["status"] if o["client_proof"] else None}

if not errors and capture == "--merged":
    got = sorted((o["connection"]["transport"], o["version"]) for o in objects)
    streams = {o["connection"]["transport"]: o["connection"]["stream"] for o in objects}
    if got != [("eap", "TLSv1.2"), ("quic", "TLSv1.3"), ("tcp", "TLSv1.2"), ("udp", "DTLSv1.2")] or \
            streams.get("tcp") != 0 or streams.get("udp") != 0 or streams.get("quic") != 0:
        errors.append(f"expected one handshake per transport, tcp, udp and quic each number 0: got {got}, {streams}")
elif not errors:
    with open(tsv, newline="") as f:
        rows = [r for r in csv.DictReader(f, delimiter="\t") if r["capture"] == capture]
    rows.sort(key=lambda r: int(r["conn"]))  # stable: handshakes of a connection stay in order
    if len(rows) != len(objects):
        errors.append(f"{len(objects)} objects, {len(rows)} handshakes expected")
    # Connections numbered in the report's order (TCP then UDP, by stream), as scenarios.tsv numbers them.
    conns = {}
    previous = None
    for i, (r, o) in enumerate(zip(rows, objects), 1):
        conn = (o["connection"]["transport"], o["connection"]["stream"])
        conns.setdefault(conn, len(conns) + 1)
        if str(conns[conn]) != r["conn"]:
            errors.append(f"object {i}: connection {conn} is number {conns[conn]}, expected {r['conn']}")
        order = (conn[0] == "udp", conn[1], o["handshake"])  # TCP streams, then UDP; by stream, handshake
        if previous is not None and order <= previous:
            errors.append(f"object {i}: out of order ({conn[0]} {conn[1]} #{o['handshake']} after {previous})")
        previous = order
        want, got = expect_row(r), actual_row(o)
        for k in want:
            if want[k] != got[k]:
                errors.append(f"object {i} ({conn[0]} {conn[1]} #{o['handshake']}): {k}: expected {want[k]!r}, got {got[k]!r}")
        for side in ("server_chain", "client_chain"):
            c = o[side]
            if not c or c["verdict"] is None:
                continue
            certs = c["certificates"]
            if not certs:
                errors.append(f"object {i}: {side} was checked but lists no certificates: {certs!r}")
                continue
            if not certs[0]["subject"]:
                errors.append(f"object {i}: {side}.certificates[0].subject is empty")
            if not SHA256.match(certs[0]["sha256"] or ""):
                errors.append(f"object {i}: {side}.certificates[0].sha256 is {certs[0]['sha256']!r}")
            if len([x for x in certs if not x["from_store"]]) != min(c["chain_len"], 10):
                errors.append(f"object {i}: {side} lists {len(certs)} certificates for a chain of {c['chain_len']}")

if errors:
    print(f"MISMATCH in the JSON report for {run}:")
    print("\n".join(errors))
    print("output:")
    print("\n".join(lines))
    sys.exit(1)
print(f"ok: JSON report for {run}: {len(objects)} object(s) as expected")
EOF
)

if [ "${1:-}" = --merged ]; then
  . "$here/../lib/scratch.sh"
  . "$here/../lib/merge.sh"
  cd "$TLSAUTH_STAGE/captures"
  merge_captures merged tls12-oneway-gnutls dtls12-gnutls quic-oneway-ngtcp2 eap-tls-radius
  failed=0
  for passes in 1 2; do
    two=(); [ "$passes" = 2 ] && two=(-2)
    output=$("$here/../lib/tshark.sh" -r "$work_rel/merged.pcapng" -o "tls.keylog_file:$work_rel/merged.keys" \
      -o tlsauth.ca_file:pki/ca.pem -o tlsauth.use_system_ca:FALSE "${two[@]}" -q -z tlsauth,json)
    printf '%s\n' "$output" | check --merged "the merged TCP+DTLS+QUIC+EAP capture ($passes pass)" || failed=1
  done
  exit $failed
fi

capture=$1 passes=$2
args=(-r "$capture.pcapng" -o "tls.keylog_file:$capture.keys" -o tlsauth.ca_file:pki/ca.pem
      -o tlsauth.use_system_ca:FALSE -q -z tlsauth,json)
[ "$passes" = 2 ] && args+=(-2)
needs=$(awk -F'\t' -v cap="$capture" 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
  $1 == cap && ("needs" in col) && $col["needs"] != "-" && $col["needs"] != "" { print $col["needs"] }' "$tsv" | sort -u)
for need in $needs; do args+=(-o "tlsauth.$need"); done
output=$("$here/../lib/tshark.sh" "${args[@]}")
printf '%s\n' "$output" | check "$capture" "$capture ($passes pass)"
