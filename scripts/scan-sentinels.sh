#!/usr/bin/env bash
# Usage: scripts/scan-sentinels.sh SENTINEL_FILE DIR...
# Fails when any file under the DIRs holds one of the sentinel secrets (one per line in
# SENTINEL_FILE), as plain text or base64. The sealed agent config
# (config.jwe) and private keys (privateKey.pem, *.key.pem) are skipped: they hold secrets
# encrypted, by design. Run after the end-to-end run of both connection kinds (issue 11) over
# the home and temporary folders the app used.
set -euo pipefail
sentinels=$1
shift
[ -r "$sentinels" ] || { echo "scan-sentinels: cannot read $sentinels" >&2; exit 2; }
found=0
while IFS= read -r s; do
  [ -n "$s" ] || continue
  b64=$(printf '%s' "$s" | base64 -w0)
  for d in "$@"; do
    [ -d "$d" ] || continue
    # -a: binary files too (WebKit storage, caches); -F: fixed strings; -l: file names only.
    if hits=$(grep -rlaF --exclude=config.jwe --exclude=privateKey.pem --exclude='*.key.pem' -e "$s" -e "$b64" -- "$d" 2>/dev/null); then
      echo "scan-sentinels: a sentinel secret was found in:" >&2
      printf '  %s\n' "$hits" >&2
      found=1
    fi
  done
done < "$sentinels"
if [ "$found" -ne 0 ]; then
  exit 1
fi
echo "scan-sentinels: no sentinel secret in $*"
