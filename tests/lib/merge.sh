# Sourced after scratch.sh, from the staged captures folder: merge_captures NAME CAPTURE...
# writes $work/NAME.pcapng (the captures merged in time order) and $work/NAME.keys (their key
# logs), readable by tshark.sh's unprivileged tshark.
merge_captures() {
  local name=$1 c; shift
  mergecap -w "$work/$name.pcapng" "${@/%/.pcapng}"
  for c in "$@"; do cat "$c.keys"; done >"$work/$name.keys"
  chmod a+r "$work/$name.pcapng" "$work/$name.keys"
}
