#!/usr/bin/env bash
# check-rpm.sh FILE.rpm: the checks every .rpm of the app must pass (issue 10), on a Debian
# machine where it cannot be installed for real (no dnf, no Fedora libraries):
#  - the header: name, version, licence, URL, and Requires naming WebKitGTK 4.1 and GTK 3;
#  - the payload: both programs, the copyright where Fedora keeps licences, the desktop entry
#    (desktop-file-validate) and its icon;
#  - installed with rpm itself into a scratch root (--nodeps: the Fedora libraries are not
#    there), verified against its own header (rpm -V: sizes, digests, modes), the installed CLI
#    runs, then erased: nothing of it is left in that root.
set -euo pipefail
RPM=$1
[ -f "$RPM" ] || { echo "check-rpm: no such file: $RPM" >&2; exit 2; }
command -v rpm >/dev/null || { echo "check-rpm: rpm is missing: run scripts/install-deps.sh." >&2; exit 2; }
fail() { echo "check-rpm: $*" >&2; exit 1; }
# Debian's rpm warns on every install and erase that dnf/alien should be used: expected here.
rpm() { command rpm "$@" 2> >(grep -v -e 'should not be used directly' -e 'assuming you know what you are doing' >&2); }

q() { rpm -qp --nosignature "$@" "$RPM" 2>/dev/null; }
name=$(q --queryformat '%{NAME}')
[ "$name" = hire2-retire-setup ] || fail "package name is $name"
licence=$(q --queryformat '%{LICENSE}')
url=$(q --queryformat '%{URL}')
case "$licence" in "" | "(none)") fail "no licence in the header" ;; esac
case "$url" in "" | "(none)") fail "no URL in the header" ;; esac
requires=$(q -R | tr '\n' ' ')
for dep in webkit2gtk4.1 gtk3; do
  grep -Eq "(^| )$dep( |$)" <<<"$requires" || fail "Requires lacks $dep: $requires"
done
echo "check-rpm: $name $(q --queryformat '%{VERSION}-%{RELEASE}'), licence $licence, Requires: $requires"

files=$(q -l)
for f in /usr/bin/h2r-setup-app /usr/bin/h2r-setup /usr/share/licenses/hire2-retire-setup/copyright; do
  grep -qx "$f" <<<"$files" || fail "$f is not in the package"
done

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
rpm --root "$root" --initdb
rpm --root "$root" --nosignature --nodeps --noscripts -i "$RPM" || fail "rpm -i into a scratch root failed"
"$(dirname "$0")/check-desktop.sh" "$root" check-rpm
rpm --root "$root" --nodeps -V "$name" || fail "the installed files differ from the package's header (rpm -V)"
"$root/usr/bin/h2r-setup" --version >/dev/null || fail "the installed h2r-setup does not run"
rpm --root "$root" --nodeps --noscripts -e "$name" || fail "rpm -e failed"
left=$(find "$root/usr" -mindepth 1 -not -type d 2>/dev/null | head -5)
[ -z "$left" ] || fail "files left after rpm -e: $left"
echo "check-rpm: installed into a scratch root (rpm -V clean, h2r-setup runs), erased without a trace"
