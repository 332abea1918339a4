# shellcheck shell=bash
# ensure_debs PKG...: install the Debian packages that are missing (one apt run, quiet).
ensure_debs() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# ensure_tools CMD=PKG...: install the Debian package of each command that is not on PATH
# (a command installed some other way, e.g. Node.js from nvm, is left alone).
ensure_tools() {
  local pkgs=() pair
  for pair in "$@"; do
    command -v "${pair%%=*}" >/dev/null 2>&1 || pkgs+=("${pair#*=}")
  done
  ((${#pkgs[@]})) || return 0
  ensure_debs "${pkgs[@]}"
}
