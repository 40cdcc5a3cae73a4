#!/usr/bin/env bash
# Generate the test PKI used by make-captures.sh into captures/pki/.
# Structure (names, serials, validity, extensions) is fixed; keys are fresh each run.
set -euo pipefail
cd "$(dirname "$0")"
export TZ=UTC  # certtool reads activation/expiration dates in local time
out=pki
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
rm -rf "$out"; mkdir -p "$out"

# name serial signer(basename or "self") template-lines...
mk() {
  local name=$1 serial=$2 signer=$3; shift 3
  certtool --generate-privkey --key-type=ecdsa --curve=secp256r1 --no-text \
    --outfile "$out/$name.key" 2>/dev/null
  {
    printf '%s\n' "serial = $serial" \
      'activation_date = "2026-01-01 00:00:00"' 'expiration_date = "2036-01-01 00:00:00"' "$@"
  } >"$tmp/$name.tmpl"
  if [[ $signer == self ]]; then
    certtool --generate-self-signed --load-privkey "$out/$name.key" \
      --template "$tmp/$name.tmpl" --no-text --outfile "$out/$name.pem" 2>/dev/null
  else
    certtool --generate-certificate --load-privkey "$out/$name.key" \
      --load-ca-certificate "$out/$signer.pem" --load-ca-privkey "$out/$signer.key" \
      --template "$tmp/$name.tmpl" --no-text --outfile "$out/$name.pem" 2>/dev/null
  fi
}
ca=(ca cert_signing_key crl_signing_key)
srv=('dns_name = "server.tlsauth.test"' 'dns_name = "localhost"' 'ip_address = "127.0.0.1"'
     signing_key tls_www_server)
cli=(signing_key tls_www_client)

mk root-ca         1 self         'cn = "tlsauth Test Root CA"' "${ca[@]}"
mk intermediate-ca 2 root-ca      'cn = "tlsauth Test Intermediate CA"' "${ca[@]}" 'path_len = 0'
mk server          3 intermediate-ca 'cn = "server.tlsauth.test"' "${srv[@]}"
mk client          4 intermediate-ca 'cn = "alice"' "${cli[@]}"
mk rogue-ca        5 self         'cn = "tlsauth Rogue Root CA"' "${ca[@]}"
mk mallory         6 rogue-ca     'cn = "mallory"' "${cli[@]}"
mk server-rogue    7 rogue-ca     'cn = "server.tlsauth.test"' "${srv[@]}"

cat "$out/server.pem" "$out/intermediate-ca.pem" >"$out/server-chain.pem"
cat "$out/client.pem" "$out/intermediate-ca.pem" >"$out/client-chain.pem"
cp "$out/root-ca.pem" "$out/ca.pem"
cat "$out/root-ca.pem" "$out/intermediate-ca.pem" >"$out/ca-bundle.pem"

# Sanity: the good chains verify against the root, the rogue ones do not.
for c in server client; do
  openssl verify -CAfile "$out/ca.pem" -untrusted "$out/intermediate-ca.pem" "$out/$c.pem" >/dev/null
done
for c in mallory server-rogue; do
  if openssl verify -CAfile "$out/ca.pem" "$out/$c.pem" >/dev/null 2>&1; then
    echo "BUG: $c verifies against ca.pem" >&2; exit 1; fi
done
echo "PKI written to $(pwd)/$out"
