#!/usr/bin/env bash
# Run tshark with the staged tlsauth plugin, from the staged captures folder.
# Usage: TLSAUTH_STAGE=DIR tshark.sh [tshark arguments...]
set -euo pipefail
stage=${TLSAUTH_STAGE:?set TLSAUTH_STAGE to the folder made by stage.sh}
cd "$stage/captures"
if [ "$(id -u)" = 0 ]; then
  exec setpriv --reuid=65534 --regid=65534 --clear-groups env HOME="$stage/home" tshark "$@"
fi
exec env HOME="$stage/home" tshark "$@"
