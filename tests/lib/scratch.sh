# Sourced by a test that makes captures of its own: $work, a scratch folder in the staged captures
# folder (tshark.sh runs tshark from there, as nobody), removed when the test exits, and
# $work_rel, the same folder as tshark.sh's tshark names it.
work=$(mktemp -d "$TLSAUTH_STAGE/captures/scratch.XXXXXX")
chmod a+rx "$work"
trap 'rm -rf "$work"' EXIT
work_rel=${work#"$TLSAUTH_STAGE/captures/"}
