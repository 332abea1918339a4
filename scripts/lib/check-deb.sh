#!/usr/bin/env bash
# check-deb.sh FILE.deb [--debug]: the checks every .deb of the app must pass (issue 10):
#  - Depends names the WebKitGTK 4.1 and GTK 3 runtime packages (and libc);
#  - the desktop entry passes desktop-file-validate, and its Icon/Exec are in the package;
#  - lintian reports no error. --debug (the test suite's debug bundle) also accepts
#    unstripped-binary-or-object: a debug binary keeps its symbols on purpose.
set -euo pipefail
DEB=$1
MODE=${2:-}
[ -f "$DEB" ] || { echo "check-deb: no such file: $DEB" >&2; exit 2; }
fail() { echo "check-deb: $*" >&2; exit 1; }

depends=$(dpkg-deb -f "$DEB" Depends)
for dep in libwebkit2gtk-4.1-0 libgtk-3-0 libc6; do
  grep -Eq "(^|, )$dep( |,|$)" <<<"$depends" || fail "Depends lacks $dep: $depends"
done
echo "check-deb: Depends: $depends"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dpkg-deb -x "$DEB" "$tmp"
"$(dirname "$0")/check-desktop.sh" "$tmp" check-deb

suppress=()
[ "$MODE" = --debug ] && suppress=(--suppress-tags unstripped-binary-or-object)
out=$(lintian --tag-display-limit 0 "${suppress[@]}" "$DEB" 2>&1 || true)
[ -z "$out" ] || printf '%s\n' "$out"
if grep -q '^E: ' <<<"$out"; then fail "lintian reports errors"; fi
echo "check-deb: lintian: no error ($(grep -c '^W: ' <<<"$out" || true) warnings)"
