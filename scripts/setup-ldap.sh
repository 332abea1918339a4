#!/usr/bin/env bash
# Test tools of the LDAP check (issue 4): a Samba AD DC and the LDAP/TLS command-line tools the
# tests and benchmark use. Idempotent: apt runs only when something is missing.
set -euo pipefail
PKGS=(samba samba-ad-dc samba-ad-provision winbind krb5-user ldb-tools ldap-utils openssl)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# krb5-user may have prompted for a default realm on some systems; nothing else is configured
# globally: scripts/samba-ad.sh provisions into a private directory.
echo "setup-ldap: samba $(samba --version 2>/dev/null || echo missing), $(openssl version)"
