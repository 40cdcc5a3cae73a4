#!/usr/bin/env bash
# Take the README's screenshots of tlsauth in the Wireshark GUI, with the freshly built plugin:
# Wireshark runs on a virtual X display (xvfb-run), in a throwaway home with the tlsauth profile
# installed (CA file: the bundled captures' CA), and is driven with xdotool.
# Usage: scripts/gui-screenshots.sh [--plugin tlsauth.so] [--tutorial] [OUT_DIR]
#   OUT_DIR     where the PNGs go (default: docs/, with --tutorial docs/tutorial/)
#   --plugin    the plugin to load (default: $TLSAUTH_BUILD/tlsauth.so, else build/tlsauth.so)
#   --tutorial  the pictures of docs/TUTORIAL.md instead: one per step, the summary frame of its
#               capture with the TLS Authentication Analysis and its handshake summary expanded
#   KEEP=1      keep the work folder (staged captures, throwaway home, wireshark.log)
# Needs xvfb-run (xvfb), xdotool and import (imagemagick). As root, Wireshark ignores the plugin
# folder of a home, so it runs as nobody then.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
plugin=${TLSAUTH_BUILD:-$root/build}/tlsauth.so out='' tutorial=''
while [ $# -gt 0 ]; do
  case $1 in
    --plugin) plugin=$2; shift ;;
    --tutorial) tutorial=1 ;;
    -h|--help) sed -n '2,12s/^# \{0,1\}//p' "$0"; exit 0 ;;
    -*) echo "gui-screenshots.sh: unknown option: $1" >&2; exit 2 ;;
    *) out=$1 ;;
  esac
  shift
done
for tool in wireshark xvfb-run xdotool import; do
  command -v "$tool" >/dev/null || { echo "gui-screenshots.sh: $tool not found" >&2; exit 1; }
done
[ -f "$plugin" ] || { echo "gui-screenshots.sh: $plugin not found (build first: scripts/build.sh)" >&2; exit 1; }
out=${out:-$root/docs${tutorial:+/tutorial}}
mkdir -p "$out" && out=$(cd "$out" && pwd)

# The screen of a laptop: what the profile's columns and the dialogs must fit.
width=1366 height=960
series=$(wireshark --version | sed -n '1s/^Wireshark \([0-9]*\.[0-9]*\).*/\1/p')
work=$(mktemp -d)
trap 'if [ -n "${KEEP:-}" ]; then echo "work folder: $work"; else rm -rf "$work"; fi' EXIT
stage=$work/stage
"$root/tests/lib/stage.sh" "$plugin" "$series" "$root" "$stage" >/dev/null
as_user=()
if [ "$(id -u)" = 0 ]; then as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups); fi
run() { "${as_user[@]}" env HOME="$stage/home" XDG_CONFIG_HOME="$stage/home/.config" "$@"; }

run "$root/scripts/install-profile.sh" --ca-file "$stage/captures/pki/ca.pem" >/dev/null
# Only in this throwaway home: the main window fills the screen (shot sets the packet list height).
printf 'gui.geometry_main_%s\n' "x: 0" "y: 0" "width: $width" "height: $height" \
  >>"$stage/home/.config/wireshark/recent_common"
echo "gui.geometry_main_upper_pane: 300" >>"$stage/home/.config/wireshark/profiles/tlsauth/recent"

# A few teaching scenarios in one capture, for the tables and the packet list.
cd "$stage/captures"
tour=(tls12-oneway-gnutls tls12-mutual-openssl tls13-mutual-gnutls tls12-nocert-openssl tls13-nocert-openssl
      tls12-unknown-ca-openssl tls13-badclient-gnutls tls12-expired-openssl tls12-wronghost-gnutls
      tls13-resumed-openssl)
run mergecap -w tour.pcapng "${tour[@]/%/.pcapng}"
for c in "${tour[@]}"; do cat "$c.keys"; done >tour.keys
chmod a+r tour.keys
mkdir "$stage/shots"
if [ "$(id -u)" = 0 ]; then chown 65534:65534 "$stage/shots"; fi
summary=$(run tshark -r tls12-mutual-openssl.pcapng -Y tlsauth.summary -T fields -e frame.number | head -1)

# [list=PIXELS] shot NAME WINDOW ACTIONS WIRESHARK_ARGS...: starts Wireshark (its packet list
# PIXELS high), waits for the window whose title starts with WINDOW, runs ACTIONS (an xdotool
# command chain, "" for none: the main window is at 0,0), saves that window as NAME.png.
shot() {
  local name=$1 window=$2 actions=$3 ws id; shift 3
  sed -i "s/^\(gui.geometry_main_upper_pane:\).*/\1 ${list:-300}/" "$HOME/.config/wireshark/profiles/tlsauth/recent"
  wireshark -C tlsauth "$@" >>"$stage/wireshark.log" 2>&1 &
  ws=$!
  id=$(xdotool search --sync --onlyvisible --name "^$window" | head -1)
  sleep 4 # Wireshark reads the capture and fills the dialogs after the window shows
  if [ -n "$actions" ]; then
    # shellcheck disable=SC2086 # ACTIONS is a list of xdotool words
    xdotool $actions
    sleep 1
  fi
  import -window "$id" "$stage/shots/$name.png"
  kill "$ws"; wait "$ws" || true
}
# What runs on the virtual display, as the user above, with shot and the variables it needs.
# shellcheck disable=SC2016 # the quoted scripts are expanded by the inner bash
readme_shots='
  # The summary frame; a click in the empty bottom of the packet details, then its last item
  # (tlsauth) expanded with all its subtrees.
  list=260 shot gui-mutual-handshake tls12-mutual-openssl "mousemove 600 $bottom click 1 key --delay 200 End shift+Right" \
    -r tls12-mutual-openssl.pcapng -o tls.keylog_file:tls12-mutual-openssl.keys -o gui.layout_content_3:NONE -g "$summary"
  tour=(-r tour.pcapng -o tls.keylog_file:tour.keys)
  list=420 shot gui-profile tour "" "${tour[@]}" -o gui.layout_content_3:NONE -Y tlsauth.summary
  shot gui-statistics "Wireshark · TLS Authentication Handshakes" "" "${tour[@]}" -z tlsauth_table,handshakes
  shot gui-summary "Wireshark · TLS Authentication Summary" "" "${tour[@]}" -z tlsauth_table,summary
  # Wider than Wireshark opens it, for the summaries and their counts.
  shot gui-expert-info "Wireshark · Expert Information" "search --name ^Wireshark.·.Expert windowmove %@ 0 0 windowsize %@ 1340 600" \
    "${tour[@]}" -z expert
'
# docs/TUTORIAL.md: step NAME CAPTURE [-o PREF:VALUE...] opens CAPTURE (a staged capture, without
# .pcapng) filtered on tlsauth (the frames of the handshake) on its first summary frame, expands
# tlsauth (the last item of the packet details) one level, then its Handshake summary (the 4th
# line under it, after Handshake, Step, Mode so far).
# shellcheck disable=SC2016
tutorial_shots='
  step() {
    local name=$1 capture=$2 frame; shift 2
    frame=$(tshark -r "$capture.pcapng" "$@" -Y tlsauth.summary -T fields -e frame.number | head -1)
    list=230 shot "$name" "$capture" "mousemove 600 $bottom click 1 key --delay 200 End Right Down Down Down Down Right" \
      -r "$capture.pcapng" "$@" -o gui.layout_content_3:NONE -Y tlsauth -g "$frame"
  }
  step 01-oneway tls12-oneway-gnutls
  step 02-unknown-ca tls12-unknown-ca-openssl
  step 03-mutual tls12-mutual-openssl
  step 04-nocert tls12-nocert-openssl
  step 05-tls13-nokeys tls13-mutual-gnutls.nokeys -o tls.keylog_file:
'
if [ -n "$tutorial" ]; then shots=$tutorial_shots; else shots=$readme_shots; fi
# xvfb-run is a sh script: it would drop an exported bash function, so the function goes inline.
run xvfb-run -a -s "-screen 0 ${width}x${height}x24" \
  bash -c "stage=$stage summary=$summary bottom=$((height - 60)); $(declare -f shot)
  set -euo pipefail
$shots"
cp "$stage"/shots/*.png "$out/"
echo "screenshots in $out: $(cd "$stage/shots" && echo *.png)"
