#!/usr/bin/env bash
# `cargo deny check advisories` against an offline copy of the RustSec advisory database
# (issue 12), never fetched. Usage: scripts/deny-advisories.sh PATH/TO/advisory-db
# cargo-deny reads its database as a git repository under <db-path>/advisory-db-<hash of the
# default URL>: a throwaway copy is made there, and a config that names it.
set -euo pipefail
cd "$(dirname "$0")/.."
src="${1:?usage: $0 PATH/TO/advisory-db}"
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
db="$root/advisory-db-3157b0e258782691"
cp -r "$src" "$db"
chmod -R u+w "$db"
git -C "$db" init -q
git -C "$db" add -A
git -C "$db" -c user.name=ci -c user.email=ci@localhost commit -qm snapshot
# deny.toml with the database path set (the rest unchanged).
awk -v p="$root" '{print} /^\[advisories\]/{print "db-path = \"" p "\""}' deny.toml > "$root/deny.toml"
cargo deny --locked --offline --config "$root/deny.toml" check advisories
