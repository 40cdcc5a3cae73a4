# Shared by make-root.sh and test-in-root.sh: the cache location, the package list and the
# mounts a chroot needs. Sourced, not run.

TLSAUTH_COMPAT_CACHE=${TLSAUTH_COMPAT_CACHE:-/var/cache/tlsauth-compat}
TLSAUTH_COMPAT_MIRROR=${TLSAUTH_COMPAT_MIRROR:-http://deb.debian.org/debian}

# What a root needs to build tlsauth and run its whole test suite (scripts/setup.sh's list;
# util-linux has setpriv, which tests/lib/tshark.sh uses to run tshark as nobody).
COMPAT_PACKAGES=(build-essential cmake pkg-config libglib2.0-dev wireshark-dev libwireshark-dev tshark
                 libgnutls28-dev gnutls-bin openssl util-linux
                 file) # for cpack -G DEB (dpkg-shlibdeps)

compat_die() { echo "${0##*/}: $*" >&2; exit 1; }

compat_need_root() {
  [ "$(id -u)" = 0 ] || compat_die "must run as root (debootstrap, chroot and mount need it)"
}

# The mount points below DIR (deepest first), from the kernel's own table.
compat_mounts_under() {
  local dir
  dir=$(readlink -f "$1")
  awk -v d="$dir" '$2 == d || index($2, d "/") == 1 { print $2 }' /proc/self/mounts | sort -r
}

# Unmount what a killed run left mounted under ROOT. Only call it holding ROOT's lock
# exclusively: then no other run is using those mounts.
compat_umount_stale() { # compat_umount_stale ROOT
  local m
  for m in $(compat_mounts_under "$1"); do
    echo "${0##*/}: unmounting $m, left by an interrupted run" >&2
    umount -R "$m" 2>/dev/null || umount -R -l "$m"
  done
}

COMPAT_MOUNTED=()

# Mount what the chroot needs; compat_umount_all (from an EXIT trap) undoes it.
compat_mount() { # compat_mount ROOT
  local root=$1
  mountpoint -q "$root/proc" || { mount -t proc proc "$root/proc" && COMPAT_MOUNTED+=("$root/proc"); }
  if ! mountpoint -q "$root/dev"; then
    mount --rbind /dev "$root/dev" && mount --make-rslave "$root/dev" && COMPAT_MOUNTED+=("$root/dev")
  fi
}

# Bind SRC read-only at ROOT/TARGET.
compat_mount_ro() { # compat_mount_ro SRC ROOT/TARGET
  mkdir -p "$2"
  mount --bind "$1" "$2"
  COMPAT_MOUNTED+=("$2")
  mount -o remount,bind,ro "$2"
}

compat_umount_all() {
  local i
  for ((i = ${#COMPAT_MOUNTED[@]} - 1; i >= 0; i--)); do
    umount -R "${COMPAT_MOUNTED[i]}" 2>/dev/null || umount -R -l "${COMPAT_MOUNTED[i]}" 2>/dev/null ||
      echo "${0##*/}: could not unmount ${COMPAT_MOUNTED[i]}" >&2
  done
  COMPAT_MOUNTED=()
}

# Run a command inside ROOT with a clean environment.
compat_chroot() { # compat_chroot ROOT CMD...
  local root=$1
  shift
  chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb DEBIAN_FRONTEND=noninteractive \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"
}
