#!/usr/bin/env bash
# Test tools of the LDAP check (issue 4): a Samba AD DC and the LDAP/TLS command-line tools the
# tests and benchmark use. Idempotent: apt runs only when something is missing.
set -euo pipefail
# shellcheck source=lib/apt.sh
. "$(dirname "$0")/lib/apt.sh"
PKGS=(samba samba-ad-dc samba-ad-provision winbind krb5-user ldb-tools ldap-utils openssl)
ensure_debs "${PKGS[@]}"
# krb5-user may have prompted for a default realm on some systems; nothing else is configured
# globally: scripts/samba-ad.sh provisions into a private directory.
echo "setup-ldap: samba $(samba --version 2>/dev/null || echo missing), $(openssl version)"
