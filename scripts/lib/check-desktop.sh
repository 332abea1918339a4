#!/usr/bin/env bash
# check-desktop.sh ROOT WHO: the desktop entry of a package unpacked or installed under ROOT
# (shared by check-deb.sh and check-rpm.sh): exactly one entry under usr/share/applications,
# desktop-file-validate passes, its Exec is an executable in usr/bin and its Icon has a PNG
# under the hicolor theme. WHO prefixes the messages.
set -euo pipefail
ROOT=$1
WHO=$2
fail() { echo "$WHO: $*" >&2; exit 1; }
mapfile -t desktops < <(find "$ROOT/usr/share/applications" -name '*.desktop')
[ "${#desktops[@]}" -eq 1 ] || fail "expected one desktop entry, found ${#desktops[@]}"
desktop-file-validate "${desktops[0]}" || fail "desktop-file-validate failed on $(basename "${desktops[0]}")"
exec_=$(sed -n 's/^Exec=//p' "${desktops[0]}" | cut -d' ' -f1)
icon=$(sed -n 's/^Icon=//p' "${desktops[0]}")
[ -x "$ROOT/usr/bin/$exec_" ] || fail "Exec=$exec_ is not an executable in /usr/bin"
find "$ROOT/usr/share/icons/hicolor" -name "$icon.png" | grep -q . || fail "Icon=$icon has no PNG under hicolor"
echo "$WHO: desktop entry $(basename "${desktops[0]}") valid (Exec=$exec_, Icon=$icon)"
