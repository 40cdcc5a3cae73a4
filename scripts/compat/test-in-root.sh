#!/usr/bin/env bash
# Build tlsauth against another Debian suite's Wireshark and run the whole ctest suite there,
# in a chroot made (or reused) by make-root.sh. The source tree is bind-mounted read-only, so
# the build cannot write into it; the build folder lives inside the root and is removed after.
# Usage: test-in-root.sh SUITE [ROOT_DIR]   (as root)
# Environment: TLSAUTH_COMPAT_KEEP=1 keeps the build folder (ROOT_DIR/tlsauth-run/build) until
#   the next run;
#   TLSAUTH_COMPAT_OUT=DIR copies the .deb there when the build defines a package target;
#   TLSAUTH_COMPAT_JOBS (default nproc) for the build and ctest -j.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
. "$here/lib.sh"

case ${1:-} in ''|-h|--help) sed -n '2,10s/^# \{0,1\}//p' "$0"; [ -n "${1:-}" ]; exit ;; esac
suite=$1
compat_need_root
jobs=${TLSAUTH_COMPAT_JOBS:-$(nproc)}
start=$(date +%s)

root=$("$here/make-root.sh" "$suite" ${2:+"$2"} | tail -n 1)
[ -n "$root" ] && [ "$root" != / ] && [ -f "$root/.tlsauth-compat-complete" ] || compat_die "no complete root for $suite"
# One run per root at a time: /proc and /dev inside it are shared (see make-root.sh's lock).
exec 9>"$root.lock"
flock -x -w 3600 9 || compat_die "$root stayed locked for an hour"

# Runs take turns (the lock above), so one fixed folder serves them all: the build, and the
# staging folder the tests make under /tmp (tests/CMakeLists.txt keys it by the build folder).
run=/tlsauth-run
forget_run() {
  if [ -z "$(compat_mounts_under "$root$run")" ]; then rm -rf --one-file-system "$root$run"; fi
  rm -rf --one-file-system "$root"/tmp/tlsauth-test-*
}
cleanup() {
  compat_umount_all
  if [ "${TLSAUTH_COMPAT_KEEP:-0}" != 1 ]; then forget_run; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Holding the lock alone, whatever is mounted in the root or left in it by a killed run is stale.
compat_umount_stale "$root"
forget_run
mkdir -p "$root$run/build"
compat_mount "$root"
compat_mount_ro "$src" "$root$run/src"
cp -L /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true

echo "== tlsauth on $suite: $(cat "$root/.tlsauth-compat-wireshark"), $(compat_chroot "$root" cmake --version | head -n 1), $(compat_chroot "$root" cc --version | head -n 1)"
status=0
compat_chroot "$root" bash -euo pipefail -c '
  run=$1 jobs=$2
  cmake -S "$run/src" -B "$run/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$run/configure.log" 2>&1 ||
    { cat "$run/configure.log"; exit 1; }
  grep -E "tlsauth:" "$run/configure.log" || true
  grep -E -A3 "CMake (Deprecation )?Warning" "$run/configure.log" || true
  cmake --build "$run/build" -j"$jobs" >"$run/build.log" 2>&1 || { tail -n 60 "$run/build.log"; exit 1; }
  warnings=$(grep -c "warning:" "$run/build.log" || true)
  echo "build: $warnings compiler warnings"
  grep -A3 "warning:" "$run/build.log" || true
  cd "$run/build"
  ctest --output-on-failure -j"$jobs"
' compat "$run" "$jobs" || status=$?

# The .deb, when the build has a package target (cmake/Package.cmake): built, listed, installed
# into the root, loaded by root tshark from the system folder, removed again.
if [ "$status" = 0 ] && [ -f "$root$run/build/CPackConfig.cmake" ]; then
  compat_chroot "$root" bash -euo pipefail -c '
    run=$1
    cd "$run/build"
    cpack -G DEB >/dev/null
    deb=$(ls tlsauth_*.deb)
    echo "== $deb"
    dpkg-deb -f "$deb" Package Version Depends
    dpkg-deb -c "$deb" | grep -F tlsauth.so
    apt-get install -y -q "./$deb" >/dev/null
    tshark -G plugins | grep "^tlsauth.so"
    dpkg -r tlsauth >/dev/null
  ' compat "$run" || status=$?
  if [ "$status" = 0 ] && [ -n "${TLSAUTH_COMPAT_OUT:-}" ]; then
    mkdir -p "$TLSAUTH_COMPAT_OUT"
    cp "$root$run"/build/tlsauth_*.deb "$TLSAUTH_COMPAT_OUT"/
  fi
fi
echo "== tlsauth on $suite: $([ "$status" = 0 ] && echo passed || echo FAILED) in $(($(date +%s) - start)) s"
exit "$status"
