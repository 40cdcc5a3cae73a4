#!/usr/bin/env bash
# A capture moved in time (editcap -t) must be judged at its own capture time: the bundled PKI is
# valid from 2026-01-01 to 2036-01-01 (captures/make-pki.sh), so moved 11 years ahead its chains
# are expired, moved 2 years back they are not yet valid, and with verify_time "now" both
# are trusted again (as long as "now" is inside that period).
# Usage: TLSAUTH_STAGE=DIR check-time-shift.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
capture=tls12-mutual-openssl
. "$here/../lib/scratch.sh"
year=$((365 * 86400))
editcap -t $((11 * year)) "$TLSAUTH_STAGE/captures/$capture.pcapng" "$work/later.pcapng"
editcap -t -$((2 * year)) "$TLSAUTH_STAGE/captures/$capture.pcapng" "$work/earlier.pcapng"
chmod a+r "$work"/*.pcapng

verdicts() {  # FILE VERIFY_TIME -> "server_verdict server_problems client_verdict client_problems"
  "$here/../lib/tshark.sh" -r "$1" -o tlsauth.ca_file:pki/ca.pem -o tlsauth.use_system_ca:FALSE \
    -o "tlsauth.verify_time:$2" -Y tlsauth.summary -T fields -E separator=' ' \
    -e tlsauth.server.verdict -e tlsauth.server.problem -e tlsauth.client.verdict -e tlsauth.client.problem
}
failed=0
expect() {  # FILE VERIFY_TIME EXPECTED
  local got; got=$(verdicts "$1" "$2")
  if [ "$got" = "$3" ]; then echo "ok: $(basename "$1") at $2: $got"
  else echo "MISMATCH: $(basename "$1") at $2: expected '$3', got '$got'"; failed=1; fi
}
expect "$capture.pcapng" capture "trusted  trusted "
expect "$work_rel/later.pcapng" capture "untrusted expired untrusted expired"
expect "$work_rel/earlier.pcapng" capture "untrusted not-yet-valid untrusted not-yet-valid"
now=$(date +%s)
if [ "$now" -ge 1767225600 ] && [ "$now" -lt 2082758400 ]; then
  expect "$work_rel/later.pcapng" now "trusted  trusted "
  expect "$work_rel/earlier.pcapng" now "trusted  trusted "
fi
exit $failed
