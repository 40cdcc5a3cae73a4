#!/usr/bin/env bash
# Install the "tlsauth" Wireshark configuration profile (tlsauth column, coloring rules, filter
# buttons) into the personal configuration folder of the user who runs it, set to trust the CA
# of the bundled captures.
# Usage: scripts/install-profile.sh [--force] [--ca-file FILE | --no-ca-file] [--help]
#   --force         replace an existing tlsauth profile (its files are overwritten, other files kept)
#   --ca-file FILE  trust FILE (PEM or DER) instead of captures/pki/ca.pem, the bundled captures' CA
#   --no-ca-file    set no CA file: only the system store is trusted
set -euo pipefail

usage() {
  sed -n '2,8s/^# \{0,1\}//p' "$0"
}

root=$(cd "$(dirname "$0")/.." && pwd)
bundled_ca=$root/captures/pki/ca.pem
force=0 ca=$bundled_ca
while [ $# -gt 0 ]; do
  case $1 in
    --force) force=1 ;;
    --ca-file) [ $# -ge 2 ] || { usage >&2; exit 2; }; ca=$2; shift ;;
    --no-ca-file) ca= ;;
    -h|--help) usage; exit 0 ;;
    *) echo "install-profile.sh: unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

src=$root/profile/tlsauth
dest=${XDG_CONFIG_HOME:-$HOME/.config}/wireshark/profiles/tlsauth
files=(preferences colorfilters recent dfilter_buttons)

for f in "${files[@]}"; do
  if [ ! -f "$src/$f" ]; then
    echo "install-profile.sh: $src/$f not found" >&2
    exit 1
  fi
done
if [ -n "$ca" ]; then
  # The preference needs an absolute path: Wireshark is started from anywhere.
  if [ ! -r "$ca" ] || [ -d "$ca" ]; then
    echo "install-profile.sh: CA file $ca not found or not readable (--ca-file FILE, or --no-ca-file)" >&2
    exit 1
  fi
  ca=$(cd "$(dirname "$ca")" && pwd)/$(basename "$ca")
fi
if [ -e "$dest" ] && [ "$force" != 1 ]; then
  echo "install-profile.sh: $dest already exists; rerun with --force to overwrite it" >&2
  exit 1
fi

mkdir -p "$dest"
for f in "${files[@]}"; do cp "$src/$f" "$dest/"; done
if [ -n "$ca" ]; then
  printf '\n# Written by install-profile.sh: the CA the chains are validated against.\ntlsauth.ca_file: %s\n' \
    "$ca" >>"$dest/preferences"
fi

# Wireshark 4.0 opens the tlsauth table dialogs at 587x459 unless it remembers a size for their
# title (gui.geom.TITLE.* in recent_common, saved when one closes); a plugin cannot give one.
# Seed a size that shows the Handshakes table's columns on a laptop screen (on a smaller screen
# Wireshark ignores it), unless Wireshark already remembers one.
recent_common=$(dirname "$(dirname "$dest")")/recent_common
seeded=()
seed_geometry() { # TITLE WIDTH HEIGHT
  grep -qF "gui.geom.$1." "$recent_common" 2>/dev/null && return
  { printf '\n# Size of the "%s" dialog, set by tlsauth'"'"'s install-profile.sh.\n' "$1"
    printf 'gui.geom.%s.%s\n' "$1" "x: 20" "$1" "y: 40" "$1" "width: $2" "$1" "height: $3" "$1" "maximized: FALSE"
  } >>"$recent_common"
  seeded+=("$1")
}
seed_geometry "TLS Authentication Handshakes" 1240 520
seed_geometry "TLS Authentication Summary" 640 560

echo "Installed the tlsauth profile in $dest"
[ ${#seeded[@]} = 0 ] ||
  echo "Gave the Statistics > TLS Authentication dialogs a size that fits a laptop in $recent_common"
if [ -z "$ca" ]; then
  echo "No CA file set: chains are validated against the system store only."
elif [ "$ca" = "$bundled_ca" ]; then
  echo "Chains are validated against the bundled captures' CA (tlsauth.ca_file): $ca"
  echo "and the system store. For your own captures: --force --ca-file FILE, or --no-ca-file."
else
  echo "Chains are validated against $ca (tlsauth.ca_file) and the system store."
fi
cat <<EOF

Use it:
  wireshark -C tlsauth -r capture.pcapng
  tshark -C tlsauth -r capture.pcapng -o tls.keylog_file:capture.keys
or, in Wireshark: Edit > Configuration Profiles > tlsauth (or click "Profile" in the status bar).
EOF
if [ "$(id -u)" = 0 ]; then
  echo
  echo "Note: installed for root. As root, Wireshark does not load plugins from the home folder:"
  echo "without the tlsauth plugin the profile's column stays empty and its coloring rules are"
  echo "rejected. Run this script as the user who runs Wireshark, or install tlsauth.so system-wide."
fi
