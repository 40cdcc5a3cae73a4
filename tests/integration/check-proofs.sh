#!/usr/bin/env bash
# Proof of possession as a user sees it, on the capture whose client CertificateVerify had one bit
# flipped in flight (captures/make-forgery-captures.sh): on the frame of the signature, the failed
# proof, its scheme, its frame and an error expert item saying the client did not prove it holds
# its key; in the summary the client untrusted with proof-failed; and with tlsauth.verify_proofs
# off, nothing checked and the chain trusted again. One pass and two.
# Usage: TLSAUTH_STAGE=DIR check-proofs.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
capture=tls12-flipcv-openssl
failed=0
fail() { echo "FAIL: $*"; failed=1; }
run() {  # run PASSES [PREFS...] -- FIELDS...: tshark's fields, one line per frame shown
  local passes=$1; shift
  local args=(-r "$capture.pcapng" -o "tls.keylog_file:$capture.keys" -o tlsauth.ca_file:pki/ca.pem
              -o tlsauth.use_system_ca:FALSE -T fields -E separator='|')
  [ "$passes" = 2 ] && args+=(-2)
  "$here/../lib/tshark.sh" "${args[@]}" "$@"
}
# The frame of the client's CertificateVerify, from TLS's own fields.
cv_frame=$(run 1 -Y 'tls.handshake.type == 15' -e frame.number | head -1)
[ -n "$cv_frame" ] || { echo "FAIL: no CertificateVerify in $capture"; exit 1; }
for passes in 1 2; do
  at_cv=$(run $passes -Y "frame.number == $cv_frame" -e tlsauth.client.proof -e tlsauth.proof.scheme \
          -e tlsauth.proof.frame -e _ws.expert.message)
  IFS='|' read -r proof scheme frame experts <<<"$at_cv"
  [ "$proof" = failed ] || fail "$passes pass: frame $cv_frame: client proof '$proof', expected failed"
  [ "$scheme" = ecdsa_secp256r1_sha256 ] || fail "$passes pass: scheme '$scheme'"
  [ "$frame" = "$cv_frame" ] || fail "$passes pass: proof frame '$frame', expected $cv_frame"
  grep -q "The client did not prove it holds its certificate's key: its CertificateVerify signature (ecdsa_secp256r1_sha256, frame $cv_frame) does not verify" <<<"$experts" ||
    fail "$passes pass: no expert item telling the failed proof: $experts"
  summary=$(run $passes -Y tlsauth.summary -e tlsauth.server.proof -e tlsauth.client.proof -e tlsauth.client.verdict \
            -e tlsauth.client.problem)
  [ "$summary" = "verified|failed|untrusted|proof-failed" ] || fail "$passes pass: summary '$summary'"
  off=$(run $passes -o tlsauth.verify_proofs:FALSE -Y tlsauth.summary -e tlsauth.server.proof -e tlsauth.client.proof \
        -e tlsauth.client.verdict -e tlsauth.client.problem -e tlsauth.proof.reason)
  [[ $off == "not-checked|not-checked|trusted||"*"tlsauth.verify_proofs is off"* ]] ||
    fail "$passes pass: with verify_proofs off: '$off'"
done
[ $failed = 0 ] && echo "ok: the failed proof on frame $cv_frame and in the summary; verify_proofs off checks nothing"
exit $failed
