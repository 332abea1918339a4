#!/usr/bin/env bash
# Benchmark (issue 10, docs/startup-entropy.md): one whole-process `h2r-setup ldap check` of one
# healthy Samba DC, built as the project builds it (aws-lc without its CPU-jitter entropy) and
# with jitter (AWS_LC_SYS_NO_JITTER_ENTROPY=0, in a separate target dir), against `ldapsearch`
# doing connect, TLS, simple bind and a rootDSE read on the same DC. Each process is timed from
# outside (wall clock, and user/sys CPU from the kernel's accounting); medians of N runs, the
# three in turn.
#
#   scripts/bench-startup.sh [N]      (default N=21; builds the two CLIs in the dev profile, whose
#                                      dependencies - aws-lc among them - are optimised;
#                                      H2R_BIN=target/release/h2r-setup times the release CLI)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
N=${1:-21}
DC=$ROOT/target/samba-test/dc1
JITTER_TARGET=${JITTER_TARGET:-$ROOT/target/bench-jitter}

cargo build --locked --bin h2r-setup
AWS_LC_SYS_NO_JITTER_ENTROPY=0 CARGO_TARGET_DIR=$JITTER_TARGET cargo build --locked --bin h2r-setup
# H2R_BIN: time another build of the project's CLI instead (e.g. target/release/h2r-setup).
NOJIT=${H2R_BIN:-$ROOT/target/debug/h2r-setup}
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

# N rounds of the three in turn after one warm-up round; each process timed from outside
# (wall clock around fork/exec/wait, CPU from the kernel's rusage of the child).
python3 - "$N" "$NOJIT" "$JIT" "$WORK/dc1.json" "$CA" "$SVC" "$BASE_DN" <<'PY'
import os, statistics, subprocess, sys, time
n, nojit, jit, conn, ca, svc, base = int(sys.argv[1]), *sys.argv[2:]
pw = os.environ["H2R_BENCH_PASSWORD"]
def h2r(exe):
    return [exe, "ldap", "check", "--connection", conn, "--password-env", "H2R_BENCH_PASSWORD", "--ca-file", ca, "--format", "json"]
cmds = {
    "h2r-setup ldap check (no jitter, as built)": h2r(nojit),
    "h2r-setup ldap check (with jitter)": h2r(jit),
    "ldapsearch (connect, TLS, bind, rootDSE)": ["ldapsearch", "-H", "ldaps://127.0.0.1:636", "-x", "-D", svc, "-w", pw, "-b", "", "-s", "base", "-LLL"],
}
# The check reads three things more than the rootDSE (the Base DN, the classes the account may
# create there, the attributes it may write on one user): each alone, through ldapsearch, shows
# what that read adds on the DC (its row minus the rootDSE row).
ldap = ["ldapsearch", "-H", "ldaps://127.0.0.1:636", "-x", "-D", svc, "-w", pw, "-LLL"]
extra = {
    "  + ldapsearch: the Base DN": ldap + ["-b", base, "-s", "base", "distinguishedName"],
    "  + ldapsearch: allowedChildClassesEffective": ldap + ["-b", base, "-s", "base", "allowedChildClassesEffective"],
    "  + ldapsearch: one user's allowedAttributesEffective": ldap + ["-b", base, "-s", "sub", "-z", "1", "(&(objectCategory=person)(objectClass=user))", "allowedAttributesEffective"],
}
cmds.update(extra)
env = dict(os.environ, LDAPTLS_CACERT=ca)
def once(argv):
    t = time.perf_counter()
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    if os.waitstatus_to_exitcode(status) not in (0, 4):  # 4: ldapsearch's size limit reached
        sys.exit(f"bench-startup: failed: {argv[0]} {argv[1:3]}")
    return wall, ru.ru_utime, ru.ru_stime
res = {k: [] for k in cmds}
for i in range(n + 1):
    for k, argv in cmds.items():
        r = once(argv)
        if i:
            res[k].append(r)
print(f"whole process, median of {n} runs (ms): wall / user / sys / user+sys")
wall = {}
for k, runs in res.items():
    med = lambda f: 1000 * statistics.median(f(r) for r in runs)
    wall[k] = med(lambda r: r[0])
    print(f"  {k:55s} {med(lambda r: r[0]):6.1f} / {med(lambda r: r[1]):6.1f} / {med(lambda r: r[2]):6.1f} / {med(lambda r: r[1] + r[2]):6.1f}")
root = wall["ldapsearch (connect, TLS, bind, rootDSE)"]
same = root + sum(max(0.0, wall[k] - root) for k in extra)
print(f"ldapsearch doing the check's four reads (rootDSE row + what each other read adds): ~{same:.1f} ms wall")
PY
