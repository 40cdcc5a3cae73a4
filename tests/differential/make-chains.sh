#!/usr/bin/env bash
# Generate the chains of the differential suite (cases.tsv, run.sh) into OUTDIR: one folder per
# case with the chain as sent (chain.pem, or chain-1.*, chain-2.*... when an entry is not PEM),
# the store ca.pem and, where the case needs one, crl.pem. certtool and openssl only, no network.
# Dates are fixed, and chosen so that the verification time of the suite (2030-01-01) and any
# day from 2025-01-02 to 2034-12-31 give the same answers: certificates are valid 2020-2040
# unless the case is about dates (expired 2025-01-01, valid from 2035-01-01), CRLs are fresh
# 2025-2035 unless the case is about them (stale 2021-2022, issued in 2032). That lets run.sh
# ask certtool, which has no -attime, at today's date. Keys are fresh each run.
# Needs: certtool, openssl, python3 (der-edit.py; wireshark-dev of scripts/setup.sh depends on it).
# Usage: make-chains.sh OUTDIR
set -euo pipefail
[[ $# -eq 1 ]] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
out=$1
here=$(cd "$(dirname "$0")" && pwd)
export TZ=UTC  # certtool reads activation/expiration and CRL dates in local time
rm -rf "$out"; mkdir -p "$out/pki"
cd "$out/pki"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

FROM='"2020-01-01 00:00:00"' TO='"2040-01-01 00:00:00"'
HOST=server.tlsauth.test

# ---- certificates, by certtool --------------------------------------------------------------

# mk NAME SERIAL SIGNER KEY FROM TO TEMPLATE-LINE... (tests/lib/mkcert.sh)
source "$here/../lib/mkcert.sh"
ca=(ca cert_signing_key crl_signing_key)
srv=("dns_name = \"$HOST\"" signing_key tls_www_server)
cn() { echo "cn = \"$1\""; }

mk root      1  self  ec  "$FROM" "$TO" "$(cn 'tlsauth Diff Root CA')" "${ca[@]}"
mk inter     2  root  ec  "$FROM" "$TO" "$(cn 'tlsauth Diff Intermediate CA')" "${ca[@]}"
mk server    3  inter ec  "$FROM" "$TO" "$(cn $HOST)" "${srv[@]}"
mk client    4  inter ec  "$FROM" "$TO" "$(cn alice)" signing_key tls_www_client
mk other     5  self  ec  "$FROM" "$TO" "$(cn 'tlsauth Diff Unrelated CA')" "${ca[@]}"
mk sub       6  inter ec  "$FROM" "$TO" "$(cn 'tlsauth Diff Sub CA')" "${ca[@]}"
mk subleaf   7  sub   ec  "$FROM" "$TO" "$(cn $HOST)" "${srv[@]}"
mk ipleaf    8  inter ec  "$FROM" "$TO" "$(cn 'ip leaf')" 'ip_address = "127.0.0.1"' signing_key tls_www_server
mk wildleaf  9  inter ec  "$FROM" "$TO" "$(cn '*.example.test')" 'dns_name = "*.example.test"' signing_key tls_www_server
mk anyeku    11 inter ec  "$FROM" "$TO" "$(cn $HOST)" "dns_name = \"$HOST\"" signing_key 'key_purpose_oid = 2.5.29.37.0'
mk expired   13 inter ec  "$FROM" '"2025-01-01 00:00:00"' "$(cn $HOST)" "${srv[@]}"
mk future    14 inter ec  '"2035-01-01 00:00:00"' '"2045-01-01 00:00:00"' "$(cn $HOST)" "${srv[@]}"
mk selfleaf  15 self  ec  "$FROM" "$TO" "$(cn $HOST)" "${srv[@]}"
mk critleaf  16 inter ec  "$FROM" "$TO" "$(cn $HOST)" "${srv[@]}" 'add_critical_extension = "1.3.6.1.4.1.55555.1 0x0500"'
mk revleaf   17 inter ec  "$FROM" "$TO" "$(cn revoked.tlsauth.test)" 'dns_name = "revoked.tlsauth.test"' signing_key tls_www_server

# RSA: a 2048-bit PKI; leaves for each keyUsage the TLS key uses need.
mk rroot     20 self  rsa "$FROM" "$TO" "$(cn 'tlsauth Diff RSA Root CA')" "${ca[@]}"
mk rinter    21 rroot rsa "$FROM" "$TO" "$(cn 'tlsauth Diff RSA Intermediate CA')" "${ca[@]}"
mk rserver   22 rinter rsa "$FROM" "$TO" "$(cn $HOST)" "${srv[@]}" encryption_key
mk rkx       23 rinter rsa "$FROM" "$TO" "$(cn $HOST)" "dns_name = \"$HOST\"" encryption_key tls_www_server
mk rsig      24 rinter rsa "$FROM" "$TO" "$(cn $HOST)" "${srv[@]}"
mk rdataenc  25 rinter rsa "$FROM" "$TO" "$(cn $HOST)" "dns_name = \"$HOST\"" data_encipherment tls_www_server
mk rclientkx 26 rinter rsa "$FROM" "$TO" "$(cn bob)" encryption_key tls_www_client
mk r1024     27 rinter rsa1024 "$FROM" "$TO" "$(cn $HOST)" "${srv[@]}" encryption_key
mk winter    28 rroot rsa1024 "$FROM" "$TO" "$(cn 'tlsauth Diff Weak Intermediate CA')" "${ca[@]}"
mk wleaf     29 winter rsa "$FROM" "$TO" "$(cn $HOST)" "${srv[@]}" encryption_key
# A weak trust anchor: an RSA-1024 root over an RSA-2048 intermediate and leaf (keys of rinter and
# rserver reused: RSA key generation is the slow part of this script).
mk wroot     56 self  rsa1024 "$FROM" "$TO" "$(cn 'tlsauth Diff Weak Root CA')" "${ca[@]}"
mk wrinter   57 wroot key:rinter "$FROM" "$TO" "$(cn 'tlsauth Diff Under Weak Root CA')" "${ca[@]}"
mk wrleaf    58 wrinter key:rserver "$FROM" "$TO" "$(cn $HOST)" "${srv[@]}" encryption_key

# Constraints.
mk ncp       30 root  ec  "$FROM" "$TO" "$(cn 'tlsauth Diff Permitted CA')" "${ca[@]}" 'nc_permit_dns = "tlsauth.test"'
mk ncpleaf   31 ncp   ec  "$FROM" "$TO" "$(cn $HOST)" "${srv[@]}"
mk ncx       32 root  ec  "$FROM" "$TO" "$(cn 'tlsauth Diff Excluded CA')" "${ca[@]}" 'nc_exclude_dns = "tlsauth.test"'
mk ncxleaf   33 ncx   ec  "$FROM" "$TO" "$(cn $HOST)" "${srv[@]}"
mk p0inter   34 root  ec  "$FROM" "$TO" "$(cn 'tlsauth Diff PathLen0 CA')" "${ca[@]}" 'path_len = 0'
mk p0sub     35 p0inter ec "$FROM" "$TO" "$(cn 'tlsauth Diff Below PathLen0 CA')" "${ca[@]}"
mk p0leaf    36 p0sub ec  "$FROM" "$TO" "$(cn $HOST)" "${srv[@]}"
mk nokcs     39 root  ec  "$FROM" "$TO" "$(cn 'tlsauth Diff No keyCertSign CA')" ca crl_signing_key
mk nokcsleaf 40 nokcs ec  "$FROM" "$TO" "$(cn $HOST)" "${srv[@]}"

# Renewals: the same subject and key, an expired copy and a current one.
mk rnold     41 root  ec  "$FROM" '"2025-01-01 00:00:00"' "$(cn 'tlsauth Diff Renewed Intermediate CA')" "${ca[@]}"
mk rnnew     42 root  key:rnold '"2024-01-01 00:00:00"' "$TO" "$(cn 'tlsauth Diff Renewed Intermediate CA')" "${ca[@]}"
mk rnleaf    43 rnnew ec  "$FROM" "$TO" "$(cn $HOST)" "${srv[@]}"
mk rrold     44 self  ec  '"2010-01-01 00:00:00"' '"2025-01-01 00:00:00"' "$(cn 'tlsauth Diff Renewed Root CA')" "${ca[@]}"
mk rrnew     45 self  key:rrold '"2024-01-01 00:00:00"' "$TO" "$(cn 'tlsauth Diff Renewed Root CA')" "${ca[@]}"
mk rrinter   46 rrnew ec  "$FROM" "$TO" "$(cn 'tlsauth Diff Under Renewed Root CA')" "${ca[@]}"
mk rrleaf    47 rrinter ec "$FROM" "$TO" "$(cn $HOST)" "${srv[@]}"
mk exinter   48 root  ec  "$FROM" '"2025-01-01 00:00:00"' "$(cn 'tlsauth Diff Expired Intermediate CA')" "${ca[@]}"
mk exleaf    49 exinter ec "$FROM" "$TO" "$(cn $HOST)" "${srv[@]}"
# Cross-signed root: the new root, and the same subject and key certified by the old root.
mk xroot     50 self  ec  "$FROM" "$TO" "$(cn 'tlsauth Diff New Root CA')" "${ca[@]}"
mk xcross    51 root  key:xroot "$FROM" "$TO" "$(cn 'tlsauth Diff New Root CA')" "${ca[@]}"
mk xinter    52 xroot ec  "$FROM" "$TO" "$(cn 'tlsauth Diff Under New Root CA')" "${ca[@]}"
mk xleaf     53 xinter ec "$FROM" "$TO" "$(cn $HOST)" "${srv[@]}"

# ---- certificates certtool will not make, by openssl ca ----------------------------------------

export SKID=none  # only the impostor sections use it
mkdir -p "$tmp/ca"; : >"$tmp/ca/index.txt"; echo 60 >"$tmp/ca/serial"
printf '%s\n' '[ca]' 'default_ca = diff' '[diff]' "dir = $tmp/ca" 'database = $dir/index.txt' \
  'serial = $dir/serial' 'new_certs_dir = $dir' 'policy = anything' 'unique_subject = no' \
  'copy_extensions = none' 'default_md = sha256' 'string_mask = default' '[anything]' 'commonName = supplied' \
  '[srv]' 'basicConstraints = critical,CA:FALSE' 'keyUsage = critical,digitalSignature,keyEncipherment' \
  'extendedKeyUsage = serverAuth' "subjectAltName = DNS:$HOST" 'subjectKeyIdentifier = hash' \
  'authorityKeyIdentifier = keyid:always' \
  '[noku]' 'basicConstraints = critical,CA:FALSE' 'extendedKeyUsage = serverAuth' "subjectAltName = DNS:$HOST" \
  'subjectKeyIdentifier = hash' 'authorityKeyIdentifier = keyid:always' \
  '[ka]' 'basicConstraints = critical,CA:FALSE' 'keyUsage = critical,keyAgreement' 'extendedKeyUsage = serverAuth' \
  "subjectAltName = DNS:$HOST" 'subjectKeyIdentifier = hash' 'authorityKeyIdentifier = keyid:always' \
  '[notca]' 'basicConstraints = critical,CA:FALSE' 'subjectKeyIdentifier = hash' \
  'authorityKeyIdentifier = keyid:always' \
  '[impostor]' 'basicConstraints = critical,CA:TRUE' 'keyUsage = critical,keyCertSign,cRLSign' \
  'subjectKeyIdentifier = ${ENV::SKID}' 'authorityKeyIdentifier = keyid:always' \
  '[rogue]' 'basicConstraints = critical,CA:TRUE' 'keyUsage = critical,keyCertSign,cRLSign' \
  'subjectKeyIdentifier = ${ENV::SKID}' \
  '[forgedroot]' 'basicConstraints = critical,CA:TRUE' 'keyUsage = critical,keyCertSign,cRLSign' \
  'subjectKeyIdentifier = ${ENV::SKID}' 'authorityKeyIdentifier = none' >"$tmp/ca.cnf"
# PrintableString names, as certtool writes them: the impostor's must be the same bytes.
printf '%s\n' '[req]' 'distinguished_name = dn' 'string_mask = default' '[dn]' >"$tmp/req.cnf"
# name signer key(ec|rsa|key:NAME) section subject openssl-ca-options...
ossl() {
  local name=$1 signer=$2 key=$3 section=$4 subject=$5; shift 5
  case $key in
    ec) openssl ecparam -name prime256v1 -genkey -noout -out "$name.key" 2>/dev/null ;;
    rsa) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$name.key" 2>/dev/null ;;
    key:*) cp "${key#key:}.key" "$name.key" ;;
  esac
  openssl req -new -config "$tmp/req.cnf" -key "$name.key" -subj "$subject" -out "$tmp/$name.csr" 2>/dev/null
  openssl ca -batch -config "$tmp/ca.cnf" -extensions "$section" -cert "$signer.pem" -keyfile "$signer.key" \
    -in "$tmp/$name.csr" -startdate 20200101000000Z -enddate 20400101000000Z -notext \
    -out "$name.pem" "$@" 2>"$tmp/$name.err" || { cat "$tmp/$name.err" >&2; exit 1; }
  openssl x509 -in "$name.pem" -outform DER -out "$name.der"
}
ossl sha1leaf inter  ec  srv "/CN=$HOST" -md sha1
# certtool gives every EC certificate digitalSignature: no keyUsage at all, keyAgreement alone.
ossl noku     inter  ec  noku "/CN=$HOST"
ossl kaleaf   inter  ec  ka   "/CN=$HOST"
# Not a CA: basicConstraints CA:FALSE and no keyUsage at all, so only the CA flag is wrong.
ossl notca    root   ec  notca "/CN=tlsauth Diff Not A CA"
mk notcaleaf 38 notca ec "$FROM" "$TO" "$(cn $HOST)" "${srv[@]}"
ossl md5leaf  rinter rsa srv "/CN=$HOST" -md md5
ossl pssleaf  rinter rsa srv "/CN=$HOST" -md sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32
# The impostor: the intermediate's subject and subject key identifier, another key, issued in the
# root's name (issuer DN and authority key identifier) by a rogue key.
skid() { openssl x509 -in "$1.pem" -noout -ext subjectKeyIdentifier | sed -n 2p | tr -d ' '; }
openssl ecparam -name prime256v1 -genkey -noout -out rogue.key 2>/dev/null
openssl req -new -config "$tmp/req.cnf" -key rogue.key -subj "/CN=tlsauth Diff Root CA" -out "$tmp/rogue.csr" 2>/dev/null
SKID=$(skid root) openssl x509 -req -in "$tmp/rogue.csr" -signkey rogue.key -set_serial 70 -days 7300 \
  -extfile "$tmp/ca.cnf" -extensions rogue -out rogue.pem 2>/dev/null
SKID=$(skid inter) ossl impostor rogue ec impostor "/CN=tlsauth Diff Intermediate CA"
# ... and a leaf the impostor's key issued, as an attacker holding it would.
mk impleaf   55 impostor ec "$FROM" "$TO" "$(cn $HOST)" "${srv[@]}"
# A crowd of roots: self-signed, the root's exact name and subject key identifier, each another key.
SKID=$(skid root)
for i in 1 2 3 4 5; do
  openssl ecparam -name prime256v1 -genkey -noout -out "rogue$i.key" 2>/dev/null
  openssl req -new -config "$tmp/req.cnf" -key "rogue$i.key" -subj "/CN=tlsauth Diff Root CA" \
    -out "$tmp/rogue$i.csr" 2>/dev/null
  openssl x509 -req -in "$tmp/rogue$i.csr" -signkey "rogue$i.key" -set_serial "$((70 + i))" \
    -days 7300 -extfile "$tmp/ca.cnf" -extensions rogue -out "rogue$i.pem" 2>/dev/null
done
SKID=none
# A forged renewal of the expired root rrold: its subject and issuer (self-issued, like rrold), its
# public key and key identifier, valid 2020-2040, but signed by the rogue key, which rrold's key
# never certified; no authority key identifier, as rrold has none. openssl ca signs it with a
# throwaway CA certificate that carries rrold's name and the rogue key.
openssl req -new -x509 -config "$tmp/req.cnf" -key rogue.key -subj "/CN=tlsauth Diff Renewed Root CA" \
  -days 7300 -out rrrogue.pem 2>/dev/null
cp rogue.key rrrogue.key
SKID=$(skid rrold) ossl fakerenew rrrogue key:rrold forgedroot "/CN=tlsauth Diff Renewed Root CA"

# ---- certificates edited after signing (der-edit.py) -------------------------------------------

edit() { # name source edit [arg]
  python3 "$here/der-edit.py" "$3" "$2.der" "$1.der" ${4:+"$4"}
  # PEM of the very bytes (openssl x509 would re-encode what it parsed)
  { echo '-----BEGIN CERTIFICATE-----'; base64 -w 64 "$1.der"; echo '-----END CERTIFICATE-----'; } >"$1.pem"
}
UNKNOWN_OID=1.3.6.1.4.1.55555.99.1
edit forged    server   flip-signature
edit emptysig  server   empty-signature
edit unkleaf   server   sigalg-oid "$UNKNOWN_OID"
edit unkinter  inter    sigalg-oid "$UNKNOWN_OID"
edit pssbad    pssleaf  pss-mgf1-no-hash

# ---- CRLs ----------------------------------------------------------------------------------------

# name issuer this-update next-update [revocation-date certificate...]
crl() {
  local name=$1 issuer=$2 this=$3 next=$4; shift 4
  printf '%s\n' "crl_this_update_date = \"$this 00:00:00\"" "crl_next_update_date = \"$next 00:00:00\"" \
    'crl_number = 1' >"$tmp/$name.crl.tmpl"
  local revoked=()
  if [[ $# -gt 0 ]]; then
    echo "crl_revocation_date = \"$1 00:00:00\"" >>"$tmp/$name.crl.tmpl"; shift
    cat "${@/%/.pem}" >"$tmp/$name.revoked.pem"
    revoked=(--load-certificate "$tmp/$name.revoked.pem")
  fi
  certtool --generate-crl --load-ca-privkey "$issuer.key" --load-ca-certificate "$issuer.pem" "${revoked[@]}" \
    --template "$tmp/$name.crl.tmpl" --no-text --outfile "$name.crl" 2>/dev/null
}
crl root-fresh        root  2025-01-01 2035-01-01
crl root-revokes-inter root 2025-01-01 2035-01-01 2024-06-01 inter
crl inter-fresh       inter 2025-01-01 2035-01-01 2024-06-01 revleaf   # lists another leaf only
crl inter-revokes     inter 2025-01-01 2035-01-01 2024-06-01 server
crl inter-stale       inter 2021-01-01 2022-01-01
crl inter-later       inter 2032-01-01 2040-01-01 2024-06-01 revleaf
crl inter-revokes-later inter 2032-01-01 2040-01-01 2031-06-01 server
# Forged: the impostor carries the intermediate's name and key identifier, so its CRL names the
# intermediate as issuer (authority key identifier included) but is signed by another key.
crl inter-forged      impostor 2025-01-01 2035-01-01
# A 70-byte serial (RFC 5280 4.1.2.2 allows 20) listed before the server's, in a CRL the
# intermediate really signed. openssl ca -gencrl sorts the list (shortest serial first), so
# der-edit.py reorders it and signs it again with the intermediate's key.
mkdir -p "$tmp/crlca"; echo 01 >"$tmp/crlca/crlnumber"
long=7F$(printf 'AB%.0s' {1..69})
{ printf 'R\t400101000000Z\t240601000000Z\t%s\tunknown\t/CN=long serial\n' "$long"
  printf 'R\t400101000000Z\t240601000000Z\t%s\tunknown\t/CN=%s\n' \
    "$(openssl x509 -in server.pem -noout -serial | cut -d= -f2)" "$HOST"; } >"$tmp/crlca/index.txt"
printf '%s\n' '[ca]' 'default_ca = crl' '[crl]' "database = $tmp/crlca/index.txt" \
  "crlnumber = $tmp/crlca/crlnumber" 'default_md = sha256' >"$tmp/crlca.cnf"
openssl ca -batch -config "$tmp/crlca.cnf" -gencrl -cert inter.pem -keyfile inter.key \
  -crl_lastupdate 20250101000000Z -crl_nextupdate 20350101000000Z -out "$tmp/sorted.crl" 2>"$tmp/crlca.err" ||
  { cat "$tmp/crlca.err" >&2; exit 1; }
openssl crl -in "$tmp/sorted.crl" -outform DER -out "$tmp/sorted.der"
python3 "$here/der-edit.py" crl-longest-first "$tmp/sorted.der" "$tmp/longfirst.der" inter.key
{ echo '-----BEGIN X509 CRL-----'; base64 -w 64 "$tmp/longfirst.der"; echo '-----END X509 CRL-----'; } \
  >inter-long-serial-first.crl

# ---- the cases -----------------------------------------------------------------------------------

cd "$out"
# case chain-certificates... -- store-certificates... [-- CRLs...]
mkcase() {
  local name=$1; shift
  mkdir "$name"
  local part=chain
  : >"$name/chain.pem"
  for c in "$@"; do
    case $c in
      --) if [[ $part == chain ]]; then part=ca; : >"$name/ca.pem"; else part=crl; : >"$name/crl.pem"; fi ;;
      *) case $part in
           chain) cat "pki/$c.pem" >>"$name/chain.pem" ;;
           ca) cat "pki/$c.pem" >>"$name/ca.pem" ;;
           crl) cat "pki/$c.crl" >>"$name/crl.pem" ;;
         esac ;;
    esac
  done
}
# A chain with entries that are not PEM: chain-1.der, chain-2.pem, ... in order (run.sh passes them so).
mkrawcase() { # case store -- entries (pki name, or @file for raw bytes in tmp)
  local name=$1 store=$2 i=0; shift 2
  mkdir "$name"
  cat "pki/$store.pem" >"$name/ca.pem"
  for e in "$@"; do
    i=$((i + 1))
    if [[ $e == @* ]]; then cp "$tmp/${e#@}" "$name/chain-$i.der"; else cp "pki/$e.der" "$name/chain-$i.der"; fi
  done
}

# Controls: must stay trusted.
mkcase good-ecdsa              server inter -- root
mkcase good-rsa2048            rserver rinter -- rroot
mkcase good-client             client inter -- root
mkcase extra-unrelated         server inter other -- root
mkcase out-of-order            subleaf inter sub -- root
mkcase cross-signed-root       xleaf xinter xcross -- xroot
mkcase nc-permitted            ncpleaf ncp -- root
mkcase ip-san                  ipleaf inter -- root
mkcase wildcard-san            wildleaf inter -- root
mkcase crl-fresh               server inter -- root -- inter-fresh root-fresh
mkcase keyenc-key-transport    rkx rinter -- rroot
mkcase keyenc-use-unknown      rkx rinter -- rroot
mkcase no-keyusage             noku inter -- root
mkcase keyagreement-key-agreement kaleaf inter -- root
mkcase crl-after-vtime         server inter -- root -- inter-later root-fresh
mkcase revoked-after-vtime     server inter -- root -- inter-revokes-later root-fresh
mkcase anyeku-accepted         anyeku inter -- root
mkcase rsa1024-profile-low     r1024 rinter -- rroot
mkcase profile-high-ec         server inter -- root
mkcase renewed-intermediate    rnleaf rnold rnnew -- root
mkcase renewed-root            rrleaf rrinter -- rrold rrnew
mkcase stale-crl-soft-fail     server inter -- root -- inter-stale root-fresh
mkcase rsa-pss-good            pssleaf rinter -- rroot
mkcase sha1-allowed            sha1leaf inter -- root
mkcase crl-uncovered-issuer    server inter -- root -- root-fresh
mkcase long-chain-extras       server inter other other other other other other other other other other -- root
mkcase many-same-named-roots   server inter -- rogue1 rogue2 rogue3 rogue4 rogue5 root
mkcase self-signed-decoy-trusted server inter rogue -- root

# Must fail.
mkcase forged-signature        forged inter -- root
mkcase sha1-signature          sha1leaf inter -- root
mkcase md5-signature           md5leaf rinter -- rroot
mkcase nc-excluded             ncxleaf ncx -- root
mkcase pathlen-exceeded        p0leaf p0sub p0inter -- root
mkcase intermediate-not-ca     notcaleaf notca -- root
mkcase ca-without-keycertsign  nokcsleaf nokcs -- root
mkcase expired-leaf            expired inter -- root
mkcase not-yet-valid-leaf      future inter -- root
mkcase expired-leaf-at-2024    expired inter -- root
mkcase not-yet-valid-leaf-at-2036 future inter -- root
mkcase expired-intermediate    exleaf exinter -- root
mkcase expired-root            rrleaf rrinter -- rrold
mkcase hostname-mismatch       server inter -- root
mkcase unknown-sigalg-leaf     unkleaf inter -- root
mkcase unknown-sigalg-intermediate server unkinter -- root
mkcase rsa-pss-malformed       pssbad rinter -- rroot
mkcase dataenc-certificate-verify rdataenc rinter -- rroot
mkcase dataenc-signed-kx       rdataenc rinter -- rroot
mkcase keyenc-certificate-verify rkx rinter -- rroot
mkcase keyenc-signed-kx        rkx rinter -- rroot
mkcase client-keyenc-certificate-verify rclientkx rinter -- rroot
mkcase signonly-key-transport  rsig rinter -- rroot
mkcase signonly-key-agreement  server inter -- root
mkcase anyeku-default          anyeku inter -- root
mkcase rsa1024-default         r1024 rinter -- rroot
mkcase rsa1024-intermediate    wleaf winter -- rroot
mkcase rsa1024-anchor          wrleaf wrinter -- wroot
mkcase rsa2048-profile-high    rserver rinter -- rroot
mkcase revoked-leaf            server inter -- root -- inter-revokes root-fresh
mkcase revoked-intermediate    server inter -- root -- inter-fresh root-revokes-inter
mkcase stale-crl               server inter -- root -- inter-stale root-fresh
mkcase crl-impostor-decoy      server impostor inter -- root -- inter-revokes root-fresh
mkcase crl-rogue-root-decoy    server inter rogue -- root -- inter-fresh root-revokes-inter
mkcase crl-long-serial-first   server inter -- root -- inter-long-serial-first root-fresh
mkcase crl-forged              server inter -- root -- inter-forged root-fresh
mkcase forged-anchor-renewal   rrleaf rrinter fakerenew -- rrold
mkcase empty-signature         emptysig inter -- root
mkcase impostor-intermediate   server impostor -- root
mkcase impostor-issued-leaf    impleaf impostor -- root
mkcase self-signed-leaf        selfleaf -- root
mkcase missing-intermediate    server -- root
mkcase unknown-critical-extension critleaf inter -- root
mkcase client-cert-for-server  client inter -- root
mkcase server-cert-for-client  server inter -- root
# Stores that cannot be read: never a verdict against another store.
mkcase ca-file-typo-system     server inter
mkcase ca-file-no-certificate  server inter -- 
printf 'this file was meant to hold the CA certificate\n' >ca-file-no-certificate/ca.pem
mkcase crl-file-typo           server inter -- root
mkcase ca-dir-empty            server inter
mkdir ca-dir-empty/cadir
# Entries that are not certificates.
printf 'this is not a certificate\n' >"$tmp/garbage"
printf '\x30\x84\x7f\xff\xff\xff\x02\x01\x01' >"$tmp/absurd"   # a SEQUENCE claiming 2 GiB
: >"$tmp/empty"
mkrawcase malformed-leaf       root @garbage inter
mkrawcase absurd-length-leaf   root @absurd inter
mkrawcase empty-entry          root server inter @empty
cases=(*/)
echo "$((${#cases[@]} - 1)) cases written to $out"  # every folder but pki/
