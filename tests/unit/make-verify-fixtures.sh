#!/usr/bin/env bash
# Generate the PKI and broken inputs the verifier unit test (test_verify.c) expects, into OUTDIR.
# Dates are fixed so the test can state exact day counts; keys and OCSP times are fresh each run.
# Usage: make-verify-fixtures.sh OUTDIR
set -euo pipefail
[[ $# -eq 1 ]] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
out=$1
lib=$(cd "$(dirname "$0")/../lib" && pwd)
export TZ=UTC  # certtool reads activation/expiration dates in local time
rm -rf "$out"; mkdir -p "$out"
cd "$out"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

FROM='"2020-01-01 00:00:00"' TO='"2040-01-01 00:00:00"'

# mk NAME SERIAL SIGNER KEY FROM TO TEMPLATE-LINE... (tests/lib/mkcert.sh)
source "$lib/mkcert.sh"
ca=(ca cert_signing_key crl_signing_key)
srv=('dns_name = "server.tlsauth.test"' 'ip_address = "127.0.0.1"' signing_key tls_www_server)

mk root        1  self  ec  "$FROM" "$TO" 'cn = "tlsauth Verify Root CA"' "${ca[@]}"
mk inter       2  root  ec  "$FROM" "$TO" 'cn = "tlsauth Verify Intermediate CA"' "${ca[@]}" 'path_len = 0'
mk server      3  inter rsa "$FROM" "$TO" 'cn = "server.tlsauth.test"' "${srv[@]}"
mk client      4  inter ec  "$FROM" "$TO" 'cn = "alice"' signing_key tls_www_client
mk expired     5  inter ec  "$FROM" '"2021-01-01 00:00:00"' 'cn = "expired.tlsauth.test"' "${srv[@]}"
mk future      6  inter ec  '"2035-01-01 00:00:00"' '"2045-01-01 00:00:00"' 'cn = "future.tlsauth.test"' "${srv[@]}"
mk wrongeku    7  inter ec  "$FROM" "$TO" 'cn = "server.tlsauth.test"' 'dns_name = "server.tlsauth.test"' \
   signing_key tls_www_client
mk selfsigned  8  self  ec  "$FROM" "$TO" 'cn = "server.tlsauth.test"' "${srv[@]}"
mk revoked     10 inter ec  "$FROM" "$TO" 'cn = "revoked.tlsauth.test"' "${srv[@]}"
mk ocsp        11 inter ec  "$FROM" "$TO" 'cn = "tlsauth Verify OCSP Responder"' signing_key ocsp_signing_key
mk rogue       12 self  ec  "$FROM" "$TO" 'cn = "tlsauth Rogue Root CA"' "${ca[@]}"
mk rogueleaf   13 rogue ec  "$FROM" "$TO" 'cn = "server.tlsauth.test"' "${srv[@]}"
mk subca       14 inter ec  "$FROM" "$TO" 'cn = "tlsauth Verify Sub CA"' "${ca[@]}"
mk subleaf     15 subca ec  "$FROM" "$TO" 'cn = "sub.tlsauth.test"' "${srv[@]}"
# A leaf signing another: under the root, which sets no path length, so only the CA flag fails.
mk rootleaf    18 root  ec  "$FROM" "$TO" 'cn = "rootleaf.tlsauth.test"' "${srv[@]}"
mk notca       9  rootleaf ec "$FROM" "$TO" 'cn = "notca.tlsauth.test"' "${srv[@]}"
mk critext     16 inter ec  "$FROM" "$TO" 'cn = "critext.tlsauth.test"' "${srv[@]}" \
   'add_critical_extension = "1.3.6.1.4.1.55555.1 0x0500"'

# SHA-1 signed leaf: certtool refuses SHA-1; `openssl ca` still signs with it, and takes fixed dates.
openssl ecparam -name prime256v1 -genkey -noout -out sha1.key 2>/dev/null
openssl req -new -key sha1.key -subj "/CN=sha1.tlsauth.test" -out "$tmp/sha1.csr" 2>/dev/null
mkdir -p "$tmp/ca"; : >"$tmp/ca/index.txt"; echo 11 >"$tmp/ca/serial"
printf '%s\n' '[ca]' 'default_ca = sha1ca' '[sha1ca]' "dir = $tmp/ca" 'database = $dir/index.txt' \
  'serial = $dir/serial' 'new_certs_dir = $dir' 'policy = anything' 'unique_subject = no' \
  'x509_extensions = leaf' '[anything]' 'commonName = supplied' '[leaf]' \
  'basicConstraints = critical,CA:FALSE' 'extendedKeyUsage = serverAuth' \
  'subjectAltName = DNS:sha1.tlsauth.test' >"$tmp/ca.cnf"
openssl ca -batch -config "$tmp/ca.cnf" -md sha1 -cert inter.pem -keyfile inter.key -in "$tmp/sha1.csr" \
  -startdate 20200101000000Z -enddate 20400101000000Z -notext -out sha1.pem 2>/dev/null
openssl x509 -in sha1.pem -outform DER -out sha1.der

# CRL of the intermediate revoking serial 10.
printf '%s\n' 'crl_next_update = 36500' 'crl_number = 1' >"$tmp/crl.tmpl"
certtool --generate-crl --load-ca-privkey inter.key --load-ca-certificate inter.pem \
  --load-certificate revoked.pem --template "$tmp/crl.tmpl" --no-text --outfile crl.pem 2>/dev/null

# OCSP: an openssl CA index (serial 10 revoked), requests, and responses made offline.
{
  printf 'V\t400101000000Z\t\t03\tunknown\t/CN=server.tlsauth.test\n'
  printf 'R\t400101000000Z\t250101000000Z\t0A\tunknown\t/CN=revoked.tlsauth.test\n'
} >"$tmp/index.txt"
req() { openssl ocsp -issuer inter.pem -cert "$1.pem" -no_nonce -reqout "$tmp/$1.req" 2>/dev/null; }
resp() { # request-name signer output
  openssl ocsp -index "$tmp/index.txt" -CA inter.pem -rsigner "$2.pem" -rkey "$2.key" \
    -reqin "$tmp/$1.req" -ndays 7 -respout "$3" >/dev/null 2>&1
}
req server; req revoked; req client
resp server ocsp ocsp-good.der          # delegated responder
resp revoked inter ocsp-revoked.der     # signed by the issuer itself
resp client ocsp ocsp-unknown.der       # serial 4 is not in the index
resp server rogue ocsp-rogue.der        # signed by a key that has nothing to do with the issuer

# Stores and broken inputs.
cat root.pem inter.pem >bundle.pem
cp root.der root-ca.der
mkdir -p cadir && cp root.pem cadir/root.pem && echo "not a certificate" >cadir/README
mkdir -p emptydir
: >empty.pem
printf 'this is not a certificate\n' >garbage.pem
printf -- '-----BEGIN CERTIFICATE-----\n!!!! not base64 !!!!\n-----END CERTIFICATE-----\n' >badpem.pem
{ cat garbage.pem badpem.pem root.pem; } >mixed.pem    # one good certificate among junk
truncate -s 65M huge.pem                                # sparse: larger than the 64 MiB bound
printf 'not a CRL\n' >badcrl.pem
# Independent reference values for the test.
openssl x509 -in server.pem -noout -fingerprint -sha256 | cut -d= -f2 >server.sha256
echo "fixtures written to $(pwd)"
