#!/usr/bin/env bash
# Regenerates the committed seed corpus of the fuzz harnesses, tests/fuzz/corpus/<harness>/, from
# the bundled captures and test PKI (run it after captures/make-pki.sh or make-captures.sh):
#   tracker  event sequences of the bundled scenarios (make-tracker-seeds.c)
#   verify   every certificate chain the captures carry (tshark -e tls.handshake.certificate), as
#            server and client chains, with the CA names of the CertificateRequests and the
#            stapled OCSP responses; the PKI's chain files; single certificates
#   store    the PKI's CA, bundle and CRL files, PEM and DER, and broken variants
#   hello    every ClientHello and ServerHello body of the captures
# Needs tshark, openssl and a C compiler. Usage: tests/fuzz/make-corpus.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
corpus="$here/corpus"
pki="$root/captures/pki"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rm -rf "$corpus"
mkdir -p "$corpus/tracker" "$corpus/verify" "$corpus/store" "$corpus/hello"

unhex() { perl -ne 'chomp; print pack("H*", $_)'; }
# The verify harness's header: flags, certificates, CA names, time (8 bytes little-endian as 16 hex
# digits, used with flag 16), host name length and host name.
header() { # FLAGS CERTS NAMES HOST [TIME_HEX]
  printf '%02x%02x%02x%s%02x' "$1" "$2" "$3" "${5:-0000000000000000}" "${#4}" | unhex
  printf '%s' "$4"
}
# DER certificates of a PEM file, one per line, as hex.
pem_hex() {
  awk -v dir="$work/split" 'BEGIN { system("mkdir -p " dir) } /-----BEGIN/ { n++; f = dir "/" n ".pem" }
       f { print > f } /-----END/ { close(f); f = "" }' "$1"
  for f in $(ls "$work/split"/*.pem 2>/dev/null | sort -V); do
    openssl x509 -in "$f" -outform DER 2>/dev/null | od -An -v -tx1 | tr -d ' \n'
    echo
  done
  rm -rf "$work/split"
}

# ---- tracker ----
cc -std=c11 -O1 -o "$work/make-tracker-seeds" "$here/make-tracker-seeds.c"
"$work/make-tracker-seeds" "$corpus/tracker"

# ---- verify ----
host=server.tlsauth.test
for pcap in "$root"/captures/*.pcapng; do
  name=$(basename "$pcap" .pcapng)
  keys="${pcap%.pcapng}.keys"
  opts=(-o "tls.keylog_file:$keys")
  [ -f "$keys" ] || opts=()
  # CA names of the CertificateRequests: DER Names (the field holds the RDNSequence's content).
  tshark -r "$pcap" "${opts[@]}" -Y 'tls.handshake.type == 13 || dtls.handshake.type == 13' -T json -x 2>/dev/null |
    grep -A1 '"d\?tls.handshake.dname_raw"' | sed -n 's/^ *"\([0-9a-f]*\)",$/\1/p' | sort -u > "$work/names.hex" || true
  names=$(wc -l < "$work/names.hex")
  [ "$names" -gt 4 ] && names=4
  : > "$work/names.der"
  head -n "$names" "$work/names.hex" | while read -r dn; do
    len=$(( ${#dn} / 2 ))
    if [ $len -lt 128 ]; then printf '30%02x%s' $len "$dn"; else printf '3082%04x%s' $len "$dn"; fi | unhex
  done >> "$work/names.der"
  # Stapled OCSP responses (CertificateStatus, or inside a TLS 1.3 Certificate).
  tshark -r "$pcap" "${opts[@]}" -Y ocsp -T json -x 2>/dev/null | grep -A1 '"ocsp_raw"' |
    sed -n 's/^ *"\([0-9a-f]*\)",$/\1/p' | head -1 > "$work/ocsp.hex" || true
  # Every frame's certificates, as one chain.
  tshark -r "$pcap" "${opts[@]}" -Y 'tls.handshake.certificate || dtls.handshake.certificate' -T fields \
    -e frame.number -e tls.handshake.certificate -e dtls.handshake.certificate 2>/dev/null |
  while IFS=$'\t' read -r frame tls dtls; do
    chain="${tls:-$dtls}"
    IFS=, read -r -a certs <<< "$chain"
    n=${#certs[@]}
    [ "$n" -gt 12 ] && n=12
    ders=$(printf '%s' "${certs[@]:0:$n}" | unhex | od -An -v -tx1 | tr -d ' \n')
    { header 0 "$n" 0 "$host"; printf '%s' "$ders" | unhex; } > "$corpus/verify/$name-$frame-server"
    { header 4 "$n" "$names" ""; printf '%s' "$ders" | unhex; cat "$work/names.der"; } > "$corpus/verify/$name-$frame-client"
    if [ -s "$work/ocsp.hex" ]; then
      { header 8 "$n" 0 "$host"; printf '%s' "$ders" | unhex; unhex < "$work/ocsp.hex"; } > "$corpus/verify/$name-$frame-ocsp"
    fi
  done
done
# The PKI's chains and certificates (as a server's chain, and one as a client's at other times).
for pem in "$pki"/*.pem "$pki"/deep/chain.pem; do
  [ -f "$pem" ] || continue
  grep -q 'BEGIN CERTIFICATE' "$pem" || continue
  name=pki-$(basename "$pem" .pem)
  [ "$(dirname "$pem")" = "$pki" ] || name=pki-deep-$(basename "$pem" .pem)
  pem_hex "$pem" > "$work/chain.hex"
  n=$(grep -c . "$work/chain.hex")
  { header 0 "$n" 0 "$host"; tr -d '\n' < "$work/chain.hex" | unhex; } > "$corpus/verify/$name"
done
# Verification time at the epoch, as a client chain (the most negative time is a regression).
{ header 20 1 0 "" 0000000000000000; pem_hex "$pki/server.pem" | tr -d '\n' | unhex; } > "$corpus/verify/time-epoch-client"
{ header 3 2 0 "Server.TLSAUTH.test."; pem_hex "$pki/server-chain.pem" | tr -d '\n' | unhex; } > "$corpus/verify/no-store-absolute-name"

# Certificates of other kinds than the test PKI's (key types, names, usages, serials, dates,
# extensions, SHA-1), each alone as a server's chain, and two small chains signed with SHA-1.
variety() { # NAME KEYGEN_ARGS REQ_ARGS...
  local name=$1 keygen=$2; shift 2
  # shellcheck disable=SC2086 # keygen holds several arguments
  openssl genpkey $keygen -out "$work/$name.key" 2>/dev/null || return 0
  openssl req -x509 -key "$work/$name.key" -days 30 -subj "/CN=a.example/O=tlsauth fuzz" "$@" \
    -outform DER -out "$work/$name.der" 2>/dev/null || return 0
  { header 0 1 0 a.example; cat "$work/$name.der"; } > "$corpus/verify/kind-$name"
}
variety ed25519 "-algorithm ed25519"
variety ed448 "-algorithm ed448"
variety rsa1024 "-algorithm RSA -pkeyopt rsa_keygen_bits:1024" -sha256
variety rsa-pss "-algorithm RSA-PSS -pkeyopt rsa_keygen_bits:1024"
variety p384 "-algorithm EC -pkeyopt ec_paramgen_curve:P-384"
variety p521 "-algorithm EC -pkeyopt ec_paramgen_curve:P-521"
variety sha1 "-algorithm EC -pkeyopt ec_paramgen_curve:P-256" -sha1
variety names "-algorithm ed25519" \
  -addext "subjectAltName=DNS:a.example,DNS:*.b.example,IP:10.0.0.1,IP:::1,email:a@b.example,URI:https://a.example/,otherName:1.2.3.4;UTF8:other,RID:1.2.3.4.5"
variety usages "-algorithm ed25519" \
  -addext "extendedKeyUsage=serverAuth,clientAuth,codeSigning,emailProtection,timeStamping,OCSPSigning,anyExtendedKeyUsage,1.2.3.4.5.6.7" \
  -addext "keyUsage=critical,digitalSignature,keyCertSign" -addext "basicConstraints=critical,CA:TRUE,pathlen:0"
variety client-only "-algorithm ed25519" -addext "extendedKeyUsage=clientAuth"
variety critical-unknown "-algorithm ed25519" -addext "1.2.3.4.5.6.7.8=critical,DER:05:00"
variety long-serial "-algorithm ed25519" -set_serial 0x00FFEEDDCCBBAA99887766554433221100FFEEDDCCBBAA99887766554433221100
variety utf8-subject "-algorithm ed25519" -utf8 -subj "/CN=é.example/O=ünïcödé ☃ 𝄞 tlsauth/OU=$(printf 'é%.0s' $(seq 1 30))/OU=$(printf 'x%.0s' $(seq 1 60))"
# No well-defined expiration (99991231235959Z), and dates before 1970, with certtool.
if command -v certtool >/dev/null; then
  certtool --generate-privkey --key-type ed25519 --outfile "$work/ct.key" 2>/dev/null
  printf 'cn = a.example\nexpiration_days = -1\ndns_name = a.example\n' > "$work/noexp.tmpl"
  printf 'cn = a.example\nactivation_date = "1950-01-01 00:00:00"\nexpiration_date = "1960-01-01 00:00:00"\n' > "$work/old.tmpl"
  for t in noexp old; do
    certtool --generate-self-signed --load-privkey "$work/ct.key" --template "$work/$t.tmpl" \
      --outder --outfile "$work/$t.der" 2>/dev/null && { header 0 1 0 a.example; cat "$work/$t.der"; } > "$corpus/verify/kind-$t"
  done
fi
# A chain with a SHA-1 signed leaf under an RSA CA, sent out of order with an unrelated certificate.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out "$work/ca1.key" 2>/dev/null
openssl req -x509 -key "$work/ca1.key" -days 30 -subj "/CN=fuzz CA" -out "$work/ca1.pem" 2>/dev/null
openssl req -new -key "$work/ed25519.key" -subj "/CN=a.example" -out "$work/leaf.csr" 2>/dev/null
openssl x509 -req -in "$work/leaf.csr" -CA "$work/ca1.pem" -CAkey "$work/ca1.key" -sha1 -days 30 -set_serial 7 \
  -outform DER -out "$work/leaf-sha1.der" 2>/dev/null
openssl x509 -in "$work/ca1.pem" -outform DER -out "$work/ca1.der"
{ header 0 3 0 a.example; cat "$work/ca1.der" "$work/leaf-sha1.der" "$work/p384.der"; } > "$corpus/verify/chain-sha1-out-of-order"
{ header 2 2 0 a.example; cat "$work/leaf-sha1.der" "$work/ca1.der"; } > "$corpus/verify/chain-sha1-no-store"

# ---- hello ----
# The harness's mode byte (bit 0 ServerHello, bit 1 DTLS), then the body: the message without
# its header (4 bytes, 12 in DTLS).
for pcap in "$root"/captures/*.pcapng; do
  name=$(basename "$pcap" .pcapng)
  tshark -r "$pcap" -Y 'tls.handshake.type <= 2 || dtls.handshake.type <= 2' -T json -x 2>/dev/null |
    grep -A1 '"d\?tls.handshake_raw"' | sed -n 's/^ *"\([0-9a-f]*\)",$/\1/p' |
  while read -r message; do
    type=${message:0:2} header=8 mode=0
    [[ $name == dtls* ]] && header=24 mode=2
    case $type in 01) ;; 02) mode=$((mode + 1)) ;; *) continue ;; esac
    seed="$corpus/hello/$name-$(printf '%s' "$message" | sha1sum | cut -c1-8)"
    { printf '%02x' "$mode"; printf '%s' "${message:$header}"; } | unhex > "$seed"
  done
done

# ---- store ----
store_seed() { # NAME MODE FILE...
  local name=$1 mode=$2; shift 2
  { printf "\\x$(printf %02x "$mode")"; cat "$@"; } > "$corpus/store/$name"
}
store_seed ca-pem 0 "$pki/ca.pem"
store_seed ca-bundle-pem 0 "$pki/ca-bundle.pem"
store_seed ca-bundle-sha1 4 "$pki/ca-bundle.pem"
openssl x509 -in "$pki/root-ca.pem" -outform DER -out "$work/root.der"
store_seed root-der 0 "$work/root.der"
store_seed crl-pem 1 "$pki/crl.pem"
openssl crl -in "$pki/crl.pem" -outform DER -out "$work/crl.der"
store_seed crl-der 1 "$work/crl.der"
store_seed dir-ca 2 "$pki/ca-bundle.pem"
cat "$pki/ca.pem" "$pki/crl.pem" > "$work/both.pem"
store_seed ca-and-crl 3 "$work/both.pem"
sed 's/CERTIFICATE-----/TRUSTED CERTIFICATE-----/' "$pki/ca.pem" > "$work/trusted.pem"
store_seed trusted-certificate 0 "$work/trusted.pem"
sed '3s/^..../!!!!/' "$pki/ca-bundle.pem" > "$work/broken.pem"
store_seed broken-base64 0 "$work/broken.pem"
head -c 300 "$pki/ca.pem" > "$work/cut.pem"
store_seed cut-pem 0 "$work/cut.pem"
printf 'not a certificate\n' > "$work/garbage"
store_seed garbage 0 "$work/garbage"
printf '\0' > "$corpus/store/empty"

# One copy of each input (the captures share chains).
for h in tracker verify store; do
  (cd "$corpus/$h" && md5sum * | sort | awk 'seen[$1]++ { print $2 }' | xargs -r rm -f)
done
echo "corpus: $(for h in tracker verify store; do printf '%s %s files, ' "$h" "$(ls "$corpus/$h" | wc -l)"; done)$(du -sh "$corpus" | cut -f1)"
