#!/usr/bin/env bash
# CI: after the main suite (the host's Wireshark), build and test tlsauth against the Wireshark
# of other Debian suites in cached chroots (make-root.sh, test-in-root.sh). A suite whose
# Wireshark series was already tested (by the host or an earlier suite) is skipped.
# Usage: ci.sh            (as root)
# Environment: TLSAUTH_COMPAT_SUITES (default "trixie sid"; empty: nothing);
#   TLSAUTH_COMPAT_TIMEOUT seconds per suite (default 1800), root making included.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

series_of() { # "4.0.17-0+deb12u3" or "Wireshark 1:4.4.19-0+deb13u1" -> 4.4
  sed -E 's/^Wireshark //; s/^[0-9]+://; s/^([0-9]+\.[0-9]+).*/\1/' <<<"$1"
}

tested=" $(series_of "$(dpkg-query -W -f='${Version}' libwireshark-dev 2>/dev/null || true)") "
timeout_s=${TLSAUTH_COMPAT_TIMEOUT:-1800}
for suite in ${TLSAUTH_COMPAT_SUITES-trixie sid}; do
  start=$(date +%s)
  root=$(timeout -k 60 "$timeout_s" "$here/make-root.sh" "$suite" | tail -n 1)
  series=$(series_of "$(cat "$root/.tlsauth-compat-wireshark")")
  if [[ $tested == *" $series "* ]]; then
    echo "== tlsauth on $suite: Wireshark $series already tested, skipped"
    continue
  fi
  left=$((timeout_s - ($(date +%s) - start)))
  timeout -k 60 "$((left > 60 ? left : 60))" "$here/test-in-root.sh" "$suite"
  tested+="$series "
done
