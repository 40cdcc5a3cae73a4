#!/usr/bin/env bash
# Filter names, preference names and expert items are a public contract: every one the plugin
# registers must be documented in README.md (written `like.this`), so that none appears, or is
# renamed, silently.
# Usage: TLSAUTH_STAGE=DIR check-documented.sh README.md
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
readme=$1
tshark_() { "$here/../lib/tshark.sh" "$@" 2>/dev/null; }
# -G fields: F lines are fields (expert items are fields too), P the protocol; -G defaultprefs:
# "#tlsauth.name: value" lines.
names=$( { tshark_ -G fields | awk -F'\t' '$1 == "F" && $3 ~ /^tlsauth\./ { print $3 }'
           tshark_ -G defaultprefs | sed -n 's/^#\(tlsauth\.[a-z_]*\):.*/\1/p'; } | sort -u)
count=$(grep -c . <<<"$names" || true)
[ "$count" -ge 40 ] || { echo "only $count tlsauth names registered: is the plugin loaded?"; exit 1; }
# Documented as itself, or: a preference by its short name in the preferences table; a chain
# problem's expert item through `tlsauth.expert.chain.<token>` and the problem token.
documented() {
  local name=$1 short=${1#tlsauth.}
  grep -qF "\`$name\`" "$readme" && return
  grep -qF "| \`$short\` |" "$readme" && return
  [[ $name == tlsauth.expert.chain.* ]] && grep -qF '`tlsauth.expert.chain.<token>`' "$readme" &&
    grep -qF "\`$(tr _ - <<<"${name#tlsauth.expert.chain.}")\`" "$readme"
}
missing=$(while read -r name; do documented "$name" || echo "$name"; done <<<"$names")
if [ -n "$missing" ]; then
  echo "registered but not documented in README.md:"
  sed 's/^/  /' <<<"$missing"
  exit 1
fi
echo "ok: $count field, expert and preference names, each documented"
