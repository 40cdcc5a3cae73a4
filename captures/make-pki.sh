#!/usr/bin/env bash
# Generate the test PKI used by make-captures.sh into captures/pki/.
# Structure (names, serials, validity, extensions, CRL and OCSP contents) is fixed; keys are
# fresh each run, so every capture must be regenerated afterwards (make-captures.sh).
# Written into a temporary folder and swapped in only when complete and sane.
set -euo pipefail
cd "$(dirname "$0")"
export TZ=UTC  # certtool reads activation/expiration dates in local time
# The scenarios need "now" inside the fixed dates below (expired before, not-yet-valid after).
now=$(date -u +%s)
if ((now < $(date -u -d 2026-01-01 +%s) || now >= $(date -u -d 2035-01-01 +%s))); then
  echo "the clock ($(date -u +%F)) must be in [2026-01-01, 2035-01-01) for these scenarios" >&2
  exit 1
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
out=$tmp/pki; mkdir -p "$out"
FROM="2026-01-01 00:00:00" TO="2036-01-01 00:00:00"

# mk_dated name serial signer(basename or "self") from to template-lines...
mk_dated() {
  local name=$1 serial=$2 signer=$3 from=$4 to=$5; shift 5
  certtool --generate-privkey --key-type=ecdsa --curve=secp256r1 --no-text \
    --outfile "$out/$name.key" 2>/dev/null
  printf '%s\n' "serial = $serial" "activation_date = \"$from\"" "expiration_date = \"$to\"" \
    "$@" >"$tmp/$name.tmpl"
  if [[ $signer == self ]]; then
    certtool --generate-self-signed --load-privkey "$out/$name.key" \
      --template "$tmp/$name.tmpl" --no-text --outfile "$out/$name.pem" 2>/dev/null
  else
    certtool --generate-certificate --load-privkey "$out/$name.key" \
      --load-ca-certificate "$out/$signer.pem" --load-ca-privkey "$out/$signer.key" \
      --template "$tmp/$name.tmpl" --no-text --outfile "$out/$name.pem" 2>/dev/null
  fi
}
mk() { local name=$1 serial=$2 signer=$3; shift 3; mk_dated "$name" "$serial" "$signer" "$FROM" "$TO" "$@"; }
ca=(ca cert_signing_key crl_signing_key)
sans=('dns_name = "server.tlsauth.test"' 'dns_name = "localhost"' 'ip_address = "127.0.0.1"')
srv=("${sans[@]}" signing_key tls_www_server)
cli=(signing_key tls_www_client)
SRV_CN='cn = "server.tlsauth.test"'

mk root-ca         1 self         'cn = "tlsauth Test Root CA"' "${ca[@]}"
mk intermediate-ca 2 root-ca      'cn = "tlsauth Test Intermediate CA"' "${ca[@]}" 'path_len = 0'
mk server          3 intermediate-ca "$SRV_CN" "${srv[@]}"
mk client          4 intermediate-ca 'cn = "alice"' "${cli[@]}"
mk rogue-ca        5 self         'cn = "tlsauth Rogue Root CA"' "${ca[@]}"
mk mallory         6 rogue-ca     'cn = "mallory"' "${cli[@]}"
mk server-rogue    7 rogue-ca     "$SRV_CN" "${srv[@]}"
# Chain-validation variants of the server leaf (all but the self-signed one from the intermediate).
mk_dated server-expired 8 intermediate-ca "2025-01-01 00:00:00" "2025-12-31 23:59:59" "$SRV_CN" "${srv[@]}"
mk_dated server-notyetvalid 9 intermediate-ca "2035-01-01 00:00:00" "$TO" "$SRV_CN" "${srv[@]}"
mk server-otherhost 10 intermediate-ca 'cn = "other.tlsauth.test"' 'dns_name = "other.tlsauth.test"' \
  signing_key tls_www_server
mk server-wrongeku  11 intermediate-ca "$SRV_CN" "${sans[@]}" signing_key tls_www_client
mk server-selfsigned 12 self          "$SRV_CN" "${srv[@]}"
mk server-revoked   13 intermediate-ca "$SRV_CN" "${srv[@]}"
mk ocsp-responder   14 intermediate-ca 'cn = "tlsauth Test OCSP Responder"' signing_key ocsp_signing_key

cat "$out/server.pem" "$out/intermediate-ca.pem" >"$out/server-chain.pem"
cat "$out/client.pem" "$out/intermediate-ca.pem" >"$out/client-chain.pem"
cat "$out/server-otherhost.pem" "$out/intermediate-ca.pem" >"$out/server-otherhost-chain.pem"
cp "$out/root-ca.pem" "$out/ca.pem"
cat "$out/root-ca.pem" "$out/intermediate-ca.pem" >"$out/ca-bundle.pem"

# CRL of the intermediate: server-revoked (serial 13) revoked on 2026-02-01 (fixed dates).
printf '%s\n' 'crl_number = 1' 'crl_this_update_date = "2026-02-01 00:00:00"' \
  'crl_next_update_date = "2036-01-01 00:00:00"' 'crl_revocation_date = "2026-02-01 00:00:00"' \
  >"$tmp/crl.tmpl"
certtool --generate-crl --load-ca-privkey "$out/intermediate-ca.key" \
  --load-ca-certificate "$out/intermediate-ca.pem" --load-certificate "$out/server-revoked.pem" \
  --template "$tmp/crl.tmpl" --no-text --outfile "$out/crl.pem" 2>/dev/null

# OCSP database of the intermediate (openssl ca index format), answered by ocsp-responder
# (delegated responder, EKU OCSPSigning): server good, server-revoked revoked (as in the CRL).
# make-captures.sh produces the stapled responses at capture time from it.
idx() {  # idx STATUS NAME [REVOKED_AT]
  local serial subj
  serial=$(openssl x509 -in "$out/$2.pem" -noout -serial | cut -d= -f2)
  subj=$(openssl x509 -in "$out/$2.pem" -noout -subject -nameopt compat | sed 's/^subject=//')
  printf '%s\t%s\t%s\t%s\tunknown\t%s\n' "$1" 360101000000Z "${3:-}" "$serial" "$subj"
}
{ idx V server; idx R server-revoked 260201000000Z; } >"$out/ocsp-index.txt"

# Sanity: each certificate fails (or passes) openssl verify exactly as its scenario needs.
ov() {  # ov EXPECTED_ERROR(0 = ok) CERT [openssl verify options...]
  local want=$1 cert=$2 got; shift 2
  got=$(openssl verify -CAfile "$out/ca.pem" "$@" "$out/$cert.pem" 2>&1 |
        sed -n 's/^error \([0-9]*\) at.*/\1/p' | head -1) || true
  [[ ${got:-0} == "$want" ]] || { echo "BUG: $cert: openssl verify error ${got:-none}, want $want" >&2; exit 1; }
}
I=(-untrusted "$out/intermediate-ca.pem")
ov 0 server "${I[@]}" -purpose sslserver -verify_hostname server.tlsauth.test
ov 0 client "${I[@]}" -purpose sslclient
ov 20 mallory; ov 20 server-rogue
ov 10 server-expired "${I[@]}"                                     # certificate has expired
ov 9  server-notyetvalid "${I[@]}"                                 # not yet valid
ov 62 server-otherhost "${I[@]}" -verify_hostname server.tlsauth.test  # hostname mismatch
ov 26 server-wrongeku "${I[@]}" -purpose sslserver                 # unsupported purpose
ov 20 server                                                       # without the intermediate
ov 18 server-selfsigned                                            # self-signed leaf
ov 0  server-revoked "${I[@]}"
ov 23 server-revoked "${I[@]}" -crl_check -CRLfile "$out/crl.pem"  # revoked
ov 0  server "${I[@]}" -crl_check -CRLfile "$out/crl.pem"
ov 0  ocsp-responder "${I[@]}"

rm -rf pki.old
if [[ -d pki ]]; then mv pki pki.old; fi
mv "$out" pki && rm -rf pki.old
chmod 600 pki/*.key
echo "PKI written to $(pwd)/pki: regenerate every capture now (bash make-captures.sh)"
