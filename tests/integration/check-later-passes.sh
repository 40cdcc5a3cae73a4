#!/usr/bin/env bash
# Later passes (tshark -2, the GUI's packet list, colouring, re-filtering) have no certificate
# bytes in their tree: the chain verdict must still be on the Certificate frame.
# Usage: TLSAUTH_STAGE=DIR check-later-passes.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
capture=tls12-badclient-openssl
run() { "$here/../lib/tshark.sh" -r "$capture.pcapng" -o tlsauth.ca_file:pki/ca.pem -o tlsauth.use_system_ca:FALSE "$@"; }
cert_frames=$(run -2 -Y tlsauth.summary -T fields -E separator=, -e tlsauth.frame.server_certificate \
  -e tlsauth.frame.client_certificate)
for passes in 1 2; do
  flag=(); [ $passes = 2 ] && flag=(-2)
  got=$(run "${flag[@]}" -Y 'tlsauth.server.validation || tlsauth.client.validation' -T fields \
    -e frame.number | paste -sd,)
  if [ "$got" != "$cert_frames" ]; then
    echo "MISMATCH ($passes pass): validation on frames '$got', Certificates in '$cert_frames'"; exit 1
  fi
  verdicts=$(run "${flag[@]}" -Y "frame.number == ${cert_frames##*,}" -T fields -e tlsauth.client.verdict)
  [ "$verdicts" = untrusted ] || { echo "MISMATCH ($passes pass): client verdict '$verdicts'"; exit 1; }
done
echo "ok: chain verdicts on Certificate frames $cert_frames in single and two-pass mode"
