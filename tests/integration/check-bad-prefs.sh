#!/usr/bin/env bash
# Bad preferences never crash tshark: the chain is reported not-checked (or checked against what
# did load) with a reason that names the problem, and the CA store expert item says it too.
# Usage: TLSAUTH_STAGE=DIR check-bad-prefs.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
capture=tls12-mutual-openssl
bad="$TLSAUTH_STAGE/captures/bad-prefs"
mkdir -p "$bad"
: > "$bad/empty.pem"
printf 'this is not a certificate\n' > "$bad/garbage.pem"
printf -- '-----BEGIN CERTIFICATE-----\nAAAA!!!!\n-----END CERTIFICATE-----\n' > "$bad/broken.pem"
head -c 100000 /dev/urandom > "$bad/random.der"
printf 'not a CRL\n' > "$bad/garbage.crl"
cat "$bad/broken.pem" "$TLSAUTH_STAGE/captures/pki/ca.pem" > "$bad/mixed.pem" # one good certificate, one not
truncate -s 70M "$bad/huge.pem" # sparse: over the 64 MiB bound without using the disk
chmod -R a+rX "$bad"
failed=0
# check NAME EXPECTED_VERDICT REASON_PATTERN PREFS...
check() {
  local name=$1 verdict=$2 pattern=$3; shift 3
  local prefs=() p
  for p in "$@"; do prefs+=(-o "tlsauth.$p"); done
  local out rc=0
  out=$("$here/../lib/tshark.sh" -r "$capture.pcapng" -o tlsauth.use_system_ca:FALSE "${prefs[@]}" \
        -Y tlsauth.server.validation -T fields -E separator='|' -e tlsauth.server.verdict \
        -e tlsauth.chain.reason -e _ws.expert.message 2>&1) || rc=$?
  if [ $rc -ne 0 ]; then echo "FAIL $name: tshark exited $rc: $out"; failed=1; return; fi
  if [[ "$out" != "$verdict|"* ]] || ! grep -qiE "$pattern" <<<"$out"; then
    echo "FAIL $name: expected verdict $verdict and /$pattern/, got: $out"; failed=1; return
  fi
  echo "ok: $name: $(cut -c1-160 <<<"$out")"
}
check missing-file not-checked "no such file" "ca_file:bad-prefs/nope.pem"
check empty-file not-checked "empty|no certificate" "ca_file:bad-prefs/empty.pem"
check not-pem not-checked "no certificate|not a certificate|parse" "ca_file:bad-prefs/garbage.pem"
check broken-pem not-checked "no certificate|parse|base64|decod" "ca_file:bad-prefs/broken.pem"
check random-der not-checked "no certificate|parse|decod" "ca_file:bad-prefs/random.der"
check huge-file not-checked "large|big|limit|MiB" "ca_file:bad-prefs/huge.pem"
check directory-as-file not-checked "directory" "ca_file:bad-prefs"
check missing-dir not-checked "no such" "ca_dir:bad-prefs/none"
check bad-crl not-checked "not checked: CRL file bad-prefs/garbage.crl holds no CRL" "ca_file:pki/ca.pem" "crl_file:bad-prefs/garbage.crl"
check missing-crl not-checked "not checked: CRL file bad-prefs/nope.crl: no such file" "ca_file:pki/ca.pem" "crl_file:bad-prefs/nope.crl"
# A typo in the CA file must not leave the system store to judge alone (issue 15): the reason starts with it.
check typo-beside-system not-checked "\|not checked: CA file bad-prefs/nope.pem: no such file" "ca_file:bad-prefs/nope.pem" "use_system_ca:TRUE"
check junk-in-bundle not-checked "\|not checked: CA file bad-prefs/mixed.pem: 1 of 2 certificates could not be parsed" "ca_file:bad-prefs/mixed.pem"
check nothing-configured not-checked "no CA|no trust|not checked" "ca_file:"
exit $failed
