#!/usr/bin/env bash
# Benchmark (issue 10, docs/startup-entropy.md): one whole-process `h2r-setup ldap check` of one
# healthy Samba DC, built as the project builds it (aws-lc without its CPU-jitter entropy) and
# with jitter (AWS_LC_SYS_NO_JITTER_ENTROPY=0, in a separate target dir), against `ldapsearch`
# doing connect, TLS, simple bind and a rootDSE read on the same DC. Each process is timed from
# outside with /usr/bin/time (wall, user, sys); medians of N runs, the three in turn.
#
#   scripts/bench-startup.sh [N]      (default N=21; builds the two CLIs in the dev profile, whose
#                                      dependencies - aws-lc among them - are optimised)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
N=${1:-21}
DC=$ROOT/target/samba-test/dc1
JITTER_TARGET=${JITTER_TARGET:-$ROOT/target/bench-jitter}

cargo build --locked --bin h2r-setup
AWS_LC_SYS_NO_JITTER_ENTROPY=0 CARGO_TARGET_DIR=$JITTER_TARGET cargo build --locked --bin h2r-setup
NOJIT=$ROOT/target/debug/h2r-setup
JIT=$JITTER_TARGET/debug/h2r-setup

started=0
if ! ./scripts/samba-ad.sh status "$DC" >/dev/null 2>&1; then
  ./scripts/samba-ad.sh start "$DC" >/dev/null
  started=1
fi
WORK=$(mktemp -d)
cleanup() {
  rm -rf "$WORK"
  if [ "$started" = 1 ]; then ./scripts/samba-ad.sh stop "$DC" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT
# shellcheck disable=SC1091
. "$DC/fixtures.env"
export H2R_BENCH_PASSWORD=$SVC_PASS
cat >"$WORK/dc1.json" <<EOF
{"kind": "hybrid-onprem", "name": "bench", "service_account": "$SVC",
 "domain_controllers": [{"hosts": ["127.0.0.1"], "port": 636, "base_dn": "$BASE_DN"}]}
EOF

# One timed run: appends "wall user sys" to the file $1; the command's output is discarded, its
# exit status must be 0.
timed() {
  local out=$1
  shift
  /usr/bin/time -f '%e %U %S' -a -o "$out" "$@" >/dev/null 2>&1 || { echo "bench-startup: failed: $*" >&2; exit 1; }
}

h2r() { timed "$1" "$2" ldap check --connection "$WORK/dc1.json" --password-env H2R_BENCH_PASSWORD --ca-file "$CA" --format json; }
ldaps() { timed "$1" env LDAPTLS_CACERT="$CA" ldapsearch -H ldaps://127.0.0.1:636 -x -D "$SVC" -w "$SVC_PASS" -b '' -s base -LLL; }

# Warm-up (page cache, the DC's first answers), then N rounds of the three in turn.
h2r /dev/null "$NOJIT"; h2r /dev/null "$JIT"; ldaps /dev/null
for _ in $(seq 1 "$N"); do
  h2r "$WORK/nojit.txt" "$NOJIT"
  h2r "$WORK/jit.txt" "$JIT"
  ldaps "$WORK/ldapsearch.txt"
done

python3 - "$WORK" "$N" <<'PY'
import statistics, sys, os
work, n = sys.argv[1], sys.argv[2]
print(f"whole process, median of {n} runs (seconds): wall / user / sys / user+sys")
rows = [("h2r-setup ldap check (no jitter, as built)", "nojit.txt"),
        ("h2r-setup ldap check (with jitter)", "jit.txt"),
        ("ldapsearch (connect, TLS, bind, rootDSE)", "ldapsearch.txt")]
for label, f in rows:
    runs = [tuple(map(float, l.split())) for l in open(os.path.join(work, f)) if l.strip() and l[0].isdigit()]
    med = lambda i: statistics.median(r[i] for r in runs)
    cpu = statistics.median(r[1] + r[2] for r in runs)
    print(f"  {label:45s} {med(0):.3f} / {med(1):.3f} / {med(2):.3f} / {cpu:.3f}")
PY
