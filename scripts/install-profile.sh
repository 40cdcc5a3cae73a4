#!/usr/bin/env bash
# Install the "tlsauth" Wireshark configuration profile (tlsauth columns and coloring rules)
# into the personal configuration folder of the user who runs it.
# Usage: scripts/install-profile.sh [--force] [--help]
#   --force  replace an existing tlsauth profile (its files are overwritten, other files kept)
set -euo pipefail

usage() {
  sed -n '2,5s/^# \{0,1\}//p' "$0"
}

force=0
for arg in "$@"; do
  case $arg in
    --force) force=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "install-profile.sh: unknown option: $arg" >&2; usage >&2; exit 2 ;;
  esac
done

root=$(cd "$(dirname "$0")/.." && pwd)
src=$root/profile/tlsauth
dest=${XDG_CONFIG_HOME:-$HOME/.config}/wireshark/profiles/tlsauth

for f in preferences colorfilters recent; do
  if [ ! -f "$src/$f" ]; then
    echo "install-profile.sh: $src/$f not found" >&2
    exit 1
  fi
done
if [ -e "$dest" ] && [ "$force" != 1 ]; then
  echo "install-profile.sh: $dest already exists; rerun with --force to overwrite it" >&2
  exit 1
fi

mkdir -p "$dest"
cp "$src"/preferences "$src"/colorfilters "$src"/recent "$dest"/

echo "Installed the tlsauth profile in $dest"
cat <<EOF

Use it:
  wireshark -C tlsauth -r capture.pcapng
  tshark -C tlsauth -r capture.pcapng -o tls.keylog_file:capture.keys
or, in Wireshark: Edit > Configuration Profiles > tlsauth (or click "Profile" in the status bar).
EOF
if [ "$(id -u)" = 0 ]; then
  echo
  echo "Note: installed for root. As root, Wireshark does not load plugins from the home folder:"
  echo "without the tlsauth plugin the profile's columns stay empty and its coloring rules are"
  echo "rejected. Run this script as the user who runs Wireshark, or install tlsauth.so system-wide."
fi
