#!/usr/bin/env bash
# Make (or reuse) a minimal Debian root with the Wireshark of SUITE and everything tlsauth needs
# to build and run its tests, for scripts/compat/test-in-root.sh.
# Usage: make-root.sh SUITE [DIR]        (as root)
#   SUITE  a Debian suite: trixie (Wireshark 4.4), sid, bookworm...
#   DIR    where the root lives; default /var/cache/tlsauth-compat/SUITE
#          ($TLSAUTH_COMPAT_CACHE/SUITE). A complete root there is reused as it is.
# Environment: TLSAUTH_COMPAT_REFRESH=1 upgrades a reused root (apt-get update + dist-upgrade);
#   TLSAUTH_COMPAT_MIRROR (default http://deb.debian.org/debian).
# Prints the root's folder on its last line.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

case ${1:-} in ''|-h|--help) sed -n '2,11s/^# \{0,1\}//p' "$0"; [ -n "${1:-}" ]; exit ;; esac
suite=$1
dir=${2:-$TLSAUTH_COMPAT_CACHE/$suite}
compat_need_root
[[ $suite =~ ^[a-z0-9-]+$ ]] || compat_die "not a suite name: $suite"

if ! command -v debootstrap >/dev/null; then
  echo "make-root: installing debootstrap on the host" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap >/dev/null ||
    { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap >/dev/null; }
fi

mkdir -p "$(dirname "$dir")"
dir=$(readlink -f "$dir")
[ "$dir" != / ] || compat_die "refusing to use / as a root"
complete_mark="$dir/.tlsauth-compat-complete"
bootstrapped_mark="$dir/.tlsauth-compat-debootstrapped"
want="suite=$suite packages=${COMPAT_PACKAGES[*]}"
is_complete() { [ -f "$complete_mark" ] && [ "$(cat "$complete_mark")" = "$want" ] && [ "${TLSAUTH_COMPAT_REFRESH:-0}" != 1 ]; }
reuse() {
  echo "make-root: reusing the $suite root in $dir ($(cat "$dir/.tlsauth-compat-wireshark" 2>/dev/null))" >&2
  echo "$dir"
  exit 0
}

# Readers (test-in-root.sh) and makers of one root take turns: a complete root is checked under
# a shared lock; making or changing it needs the lock alone (two CI runs on one machine share
# the cache).
exec 9>"$dir.lock"
flock -s -w 3600 9 || compat_die "$dir stayed locked for an hour"
is_complete && reuse
flock -x -w 3600 9 || compat_die "$dir stayed locked for an hour"
is_complete && reuse

trap compat_umount_all EXIT
trap 'exit 130' INT TERM
[ -d "$dir" ] && compat_umount_stale "$dir"

if [ ! -f "$bootstrapped_mark" ]; then
  if [ -e "$dir" ]; then
    # A root left half-made by an interrupted run: start again, never through a live mount.
    [ -z "$(compat_mounts_under "$dir")" ] || compat_die "$dir has mounts inside: $(compat_mounts_under "$dir" | tr '\n' ' ')"
    echo "make-root: removing the incomplete root $dir" >&2
    rm -rf --one-file-system "$dir"
  fi
  echo "make-root: debootstrap $suite into $dir" >&2
  start=$(date +%s)
  debootstrap --variant=minbase --include=util-linux,openssl "$suite" "$dir" "$TLSAUTH_COMPAT_MIRROR" >"$dir.debootstrap.log" 2>&1 ||
    { tail -n 30 "$dir.debootstrap.log" >&2; compat_die "debootstrap failed (log: $dir.debootstrap.log)"; }
  echo "make-root: debootstrap took $(($(date +%s) - start)) s" >&2
  touch "$bootstrapped_mark"
fi
rm -f "$complete_mark"

# A build root: no services, no documentation, fast unpacking, no recommends.
printf '#!/bin/sh\nexit 101\n' >"$dir/usr/sbin/policy-rc.d"
chmod 755 "$dir/usr/sbin/policy-rc.d"
cat >"$dir/etc/dpkg/dpkg.cfg.d/tlsauth-compat" <<'CFG'
force-unsafe-io
path-exclude=/usr/share/doc/*
path-exclude=/usr/share/man/*
path-exclude=/usr/share/info/*
path-exclude=/usr/share/locale/*
CFG
cat >"$dir/etc/apt/apt.conf.d/90tlsauth-compat" <<'CFG'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Acquire::Languages "none";
Acquire::Retries "3";
// A mirror may serve a suite (sid) whose Release is past its Valid-Until date (the mirror
// here serves a frozen sid); the signatures are still checked.
Acquire::Check-Valid-Until "false";
CFG

cp -L /etc/resolv.conf "$dir/etc/resolv.conf" 2>/dev/null || true
compat_mount "$dir"
start=$(date +%s)
compat_chroot "$dir" apt-get update -q >/dev/null
if [ "${TLSAUTH_COMPAT_REFRESH:-0}" = 1 ]; then compat_chroot "$dir" apt-get dist-upgrade -y -q >/dev/null; fi
packages=("${COMPAT_PACKAGES[@]}")
# setpriv (tests/lib/tshark.sh) is in util-linux; take its own package too where a suite has one.
if compat_chroot "$dir" apt-cache show setpriv >/dev/null 2>&1; then packages+=(setpriv); fi
echo "make-root: installing into the $suite root: ${packages[*]}" >&2
compat_chroot "$dir" apt-get install -y -q "${packages[@]}" >"$dir.apt.log" 2>&1 ||
  { tail -n 30 "$dir.apt.log" >&2; compat_die "apt-get install failed in $dir (log: $dir.apt.log)"; }
compat_chroot "$dir" apt-get clean
echo "make-root: installing took $(($(date +%s) - start)) s" >&2

for tool in tshark editcap mergecap setpriv cmake cc pkg-config certtool openssl; do
  compat_chroot "$dir" sh -c "command -v $tool" >/dev/null || compat_die "$tool missing in the $suite root"
done
version=$(compat_chroot "$dir" dpkg-query -W -f='${Version}' libwireshark-dev)
echo "Wireshark $version" >"$dir/.tlsauth-compat-wireshark"
echo "$want" >"$complete_mark"
echo "make-root: the $suite root is ready in $dir (Wireshark $version)" >&2
echo "$dir"
