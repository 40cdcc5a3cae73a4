#!/usr/bin/env bash
# tlsauth's expert items reach the expert tap without a protocol tree, as when Wireshark's
# Analyze > Expert Information dialog dissects the capture again (its listener asks for no tree)
# and as in tshark's second pass (-2 -q -z expert builds none): the same items as a one-pass run,
# which has a tree. Over the four classic teaching captures and a TLS 1.3 one.
# Usage: TLSAUTH_STAGE=DIR check-expert-without-tree.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
failed=0
items() { "$here/../lib/tshark.sh" -r "$1.pcapng" -o tlsauth.ca_file:pki/ca.pem -o tlsauth.use_system_ca:FALSE "${@:2}" \
            -q -z expert 2>&1 | { grep ' TLSAUTH ' || true; } | sort; }
for capture in tls12-oneway-gnutls tls12-unknown-ca-openssl tls12-mutual-openssl tls12-nocert-openssl tls13-nocert-openssl; do
  with_tree=$(items "$capture")
  without=$(items "$capture" -2)
  if [ -z "$with_tree" ] || [ "$with_tree" != "$without" ]; then
    echo "FAIL $capture: expert items with a tree and without differ:"
    diff <(echo "$with_tree") <(echo "$without") | head -6
    failed=1
  fi
done
[ $failed = 0 ] && echo "ok: the same tlsauth expert items with and without a protocol tree"
exit $failed
