#!/usr/bin/env bash
# Install what tlsauth needs to build and test on Debian/Ubuntu. Idempotent: installs
# nothing when everything is already there. Uses sudo when not run as root.
set -euo pipefail
packages=(build-essential cmake pkg-config libglib2.0-dev wireshark-dev libwireshark-dev tshark
          libgnutls28-dev gnutls-bin openssl util-linux)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "tlsauth setup: installing ${missing[*]}"
sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
