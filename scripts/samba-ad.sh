#!/usr/bin/env bash
# A real Active Directory on loopback for tests and benchmarks: a Samba AD DC, provisioned into a
# private directory (nothing global is touched), serving LDAPS with a test CA's certificate.
#
#   scripts/samba-ad.sh start  [DIR] [IP] [REALM]   provision (once) + start; idempotent
#   scripts/samba-ad.sh stop   [DIR]                SIGTERM the DC started from DIR
#   scripts/samba-ad.sh status [DIR]                exit 0 when it runs and LDAPS answers
#
# Defaults: DIR=target/samba-test/dc1, IP=127.0.0.1, REALM=EXAMPLE.TEST (Base DN DC=example,DC=test).
# A second domain: `scripts/samba-ad.sh start target/samba-test/dc2 127.0.0.2 OTHER.TEST`.
#
# Files written under DIR: ca/ca.pem (the test CA: trust it with --ca-file), ca/server.pem
# (SANs DNS:localhost, IP:<IP>, DNS:dc1.<realm>), fixtures.env (accounts and passwords, test-only),
# log/, run/samba.pid.
#
# Fixture accounts (all in the realm, passwords are test-only constants):
#   svc-h2r        delegated create-child/write rights on OU=Hire2Retire   (Svc-Pass-2026!)
#   svc-norights   a plain user, no delegated rights                         (Plain-Pass-2026!)
#   disabled-user  disabled                                                  (Dis-Pass-2026!)
#   mustchange     must change password at next logon                       (Chg-Pass-2026!)
#   expired-user   account expired                                           (Exp-Pass-2026!)
#   jdoe           an ordinary user inside OU=Hire2Retire                    (Jdoe-Pass-2026!)
set -euo pipefail

cmd="${1:-start}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIR="${2:-$ROOT/target/samba-test/dc1}"
IP="${3:-127.0.0.1}"
REALM="${4:-EXAMPLE.TEST}"
mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd)"
realm_lc="$(echo "$REALM" | tr 'A-Z' 'a-z')"
DOMAIN="$(echo "${REALM%%.*}" | tr 'a-z' 'A-Z')"
BASE_DN="$(echo "$realm_lc" | sed 's/^/DC=/; s/\./,DC=/g')"
ADMIN_PASS='Adm1n-Pass-2026!'
PIDFILE="$DIR/run/samba.pid"

log() { echo "samba-ad: $*" >&2; }

need() {
  for b in samba samba-tool openssl; do
    command -v "$b" >/dev/null 2>&1 || { log "missing '$b' (install: samba samba-ad-dc samba-ad-provision winbind krb5-user ldb-tools ldap-utils openssl; scripts/setup-ldap.sh does it)"; exit 3; }
  done
}

ldaps_answers() {
  # TLS handshake + certificate check against our CA within 2 s.
  timeout 3 openssl s_client -connect "$IP:636" -CAfile "$DIR/ca/ca.pem" -verify_return_error \
    </dev/null >/dev/null 2>&1
}

running() {
  [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null
}

make_certs() {
  local ca="$DIR/ca"
  [ -f "$ca/server.pem" ] && return 0
  mkdir -p "$ca"
  openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 \
    -subj "/O=Hire2Retire Test/CN=H2R Test CA $REALM" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout "$ca/ca.key" -out "$ca/ca.pem" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -sha256 -subj "/CN=dc1.$realm_lc" \
    -keyout "$ca/server.key" -out "$ca/server.csr" 2>/dev/null
  cat > "$ca/server.ext" <<EOF
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,IP:$IP,DNS:dc1.$realm_lc
EOF
  openssl x509 -req -in "$ca/server.csr" -CA "$ca/ca.pem" -CAkey "$ca/ca.key" -CAcreateserial \
    -days 825 -sha256 -extfile "$ca/server.ext" -out "$ca/server.pem" 2>/dev/null
  chmod 600 "$ca/server.key" "$ca/ca.key"
}

provision() {
  [ -f "$DIR/.provisioned" ] && return 0
  rm -rf "${DIR:?}/etc" "$DIR/private" "$DIR/state" "$DIR/cache" "$DIR/bind-dns" "$DIR/run" "$DIR/log"
  mkdir -p "$DIR/run/winbindd" "$DIR/run/ntp_signd" "$DIR/log"
  make_certs
  log "provisioning $REALM into $DIR"
  samba-tool domain provision --targetdir="$DIR" --realm="$REALM" --domain="$DOMAIN" \
    --server-role=dc --host-name=dc1 --dns-backend=NONE --host-ip="$IP" --adminpass="$ADMIN_PASS" \
    --use-rfc2307 \
    --option="interfaces=$IP" --option="bind interfaces only=yes" --option="server services=ldap" \
    --option="pid directory=$DIR/run" --option="log file=$DIR/log/log.%m" \
    --option="winbindd socket directory=$DIR/run/winbindd" \
    --option="ntp signd socket directory=$DIR/run/ntp_signd" \
    --option="tls enabled=yes" --option="tls keyfile=$DIR/ca/server.key" \
    --option="tls certfile=$DIR/ca/server.pem" --option="tls cafile=$DIR/ca/ca.pem" \
    >"$DIR/log/provision.log" 2>&1 || { log "provision failed: see $DIR/log/provision.log"; tail -20 "$DIR/log/provision.log" >&2; exit 1; }
  fixtures
  touch "$DIR/.provisioned"
}

fixtures() {
  local conf="$DIR/etc/smb.conf" H="$DIR/private/sam.ldb"
  st() { samba-tool "$@" -s "$conf" -H "$H" >>"$DIR/log/fixtures.log" 2>&1; }
  st ou add "OU=Hire2Retire,$BASE_DN"
  st user add svc-h2r 'Svc-Pass-2026!'
  st user add svc-norights 'Plain-Pass-2026!'
  st user add disabled-user 'Dis-Pass-2026!'
  st user disable disabled-user
  st user add mustchange 'Chg-Pass-2026!' --must-change-at-next-login
  st user add expired-user 'Exp-Pass-2026!'
  st user setexpiry expired-user --days=-1 || st user setexpiry expired-user --days=0
  st user add jdoe 'Jdoe-Pass-2026!' --userou=OU=Hire2Retire --given-name=John --surname=Doe
  # Delegate to svc-h2r: read/write properties, create/delete children, list, on the OU and below.
  local sid
  sid="$(samba-tool user show svc-h2r -s "$conf" -H "$H" --attributes=objectSid | awk '/^objectSid:/ {print $2}')"
  st dsacl set --objectdn="OU=Hire2Retire,$BASE_DN" --sddl="(A;CI;RPWPCCDCLCLORCWOWDSDDTSW;;;$sid)"
  cat > "$DIR/fixtures.env" <<EOF
REALM=$REALM
IP=$IP
BASE_DN=$BASE_DN
OU_DN=OU=Hire2Retire,$BASE_DN
ADMIN=Administrator@$realm_lc
ADMIN_PASS=$ADMIN_PASS
SVC=svc-h2r@$realm_lc
SVC_PASS=Svc-Pass-2026!
CA=$DIR/ca/ca.pem
EOF
}

start() {
  need
  exec 9>"$DIR/.lock"
  flock 9
  if running && ldaps_answers; then
    log "already running (pid $(cat "$PIDFILE")) on $IP:636"
    return 0
  fi
  if ! running && (exec 3<>"/dev/tcp/$IP/636") 2>/dev/null; then
    log "$IP:636 is already in use by another process (another test DC? stop it with: scripts/samba-ad.sh stop ITS_DIR)"
    exit 1
  fi
  provision
  if ! running; then
    mkdir -p "$DIR/run/winbindd" "$DIR/run/ntp_signd" "$DIR/log"
    setsid samba -s "$DIR/etc/smb.conf" -i -M single </dev/null >"$DIR/log/samba.out" 2>&1 9>&- &
    echo $! > "$PIDFILE"
  fi
  for _ in $(seq 1 100); do
    if ldaps_answers; then
      log "LDAPS up on $IP:636 (pid $(cat "$PIDFILE")), Base DN $BASE_DN, CA $DIR/ca/ca.pem"
      return 0
    fi
    if ! running; then
      log "samba exited: see $DIR/log/samba.out"; tail -20 "$DIR/log/samba.out" >&2; exit 1
    fi
    sleep 0.2
  done
  log "LDAPS did not answer on $IP:636 within 20 s: see $DIR/log/samba.out"
  exit 1
}

stop() {
  if running; then
    local pid; pid="$(cat "$PIDFILE")"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    log "stopped pid $pid"
  fi
  rm -f "$PIDFILE"
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  status) running && ldaps_answers ;;
  *) echo "usage: $0 start|stop|status [DIR] [IP] [REALM]" >&2; exit 2 ;;
esac
