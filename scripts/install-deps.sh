#!/usr/bin/env bash
# Installs every system package the project needs on Debian 12 / Ubuntu 22.04+.
# Idempotent: skips apt when everything is already present.
set -euo pipefail
# shellcheck source=lib/apt.sh
. "$(dirname "$0")/lib/apt.sh"

PKGS=(
  # Tauri build
  libwebkit2gtk-4.1-dev libgtk-3-dev libsoup-3.0-dev libjavascriptcoregtk-4.1-dev
  librsvg2-dev libayatana-appindicator3-dev libxdo-dev libssl-dev pkg-config build-essential file
  # run headless, screenshots, WebDriver for the real window
  xvfb xauth imagemagick x11-utils dbus-x11 at-spi2-core webkit2gtk-driver
  # browser UI tests
  chromium fonts-dejavu-core
  # a real Active Directory on loopback (Samba AD DC) and LDAP client tools
  samba samba-ad-dc samba-ad-provision winbind krb5-user ldb-tools ldap-utils
  # the package test (issue 10): lint the .deb and its desktop entry; a D-Bus session for
  # the one-instance check; rpm to read, install (into a scratch root) and erase the .rpm
  lintian desktop-file-utils dbus rpm
  # interop tests
  openssl python3 python3-pip curl ca-certificates
  # the proxy tests (issue 9): a real HTTP proxy on loopback. The binary only: the tests start
  # it with their own configuration (the `tinyproxy` package would also run a system service)
  tinyproxy-bin
)

ensure_debs "${PKGS[@]}"
