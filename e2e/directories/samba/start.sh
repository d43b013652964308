#!/usr/bin/env bash
# Private Samba AD DC for the tests: realm KASM.CORE, loaded with the kasm.core directory.
#   start.sh           start (idempotent: running and answering -> exit 0; a provisioned domain is
#                      reused and its named accounts, groups and policies are restored)
#   start.sh --fresh   stop, wipe the state, provision and load everything again
# ldap://127.0.0.2 (389, StartTLS; simple binds need TLS: Samba's default strong-auth policy is
# kept on purpose) and ldaps://127.0.0.2 (636). Ports are fixed by Samba, only the address moves.
# Certificate from ../ca.sh (SAN IP:127.0.0.2). Everything (databases, smb.conf, pid, sockets,
# logs) lives in $DIRECTORY_STATE_DIR/samba (default <repo>/.directories/samba).
# Writes <state>/samba/env.json once the server answers. See NOTES.md for what was verified.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
root_state=${DIRECTORY_STATE_DIR:-$repo/.directories}
mkdir -p "$root_state"
root_state=$(cd "$root_state" && pwd)
state="$root_state/samba"

fresh=0
for arg in "$@"; do
  case "$arg" in
    --fresh) fresh=1 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "samba/start.sh: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

HOST=127.0.0.2
LDAP_URL="ldap://$HOST"
LDAPS_URL="ldaps://$HOST"
REALM=KASM.CORE
DOMAIN=KASM
BASE="DC=kasm,DC=core"
ORG="OU=MyOrg,$BASE"
BULK="OU=Bulk,$ORG"
ADMIN_DN="CN=Administrator,CN=Users,$BASE"
ADMIN_PW="Admin-Password-789"
SVC_DN="CN=ldap_service_account,$ORG"
SVC_PW="Service-Password-456"
USER_PW="Test-Password-123"
BULK_USERS=1200
BULK_GROUPS=1100
START_TIMEOUT=${SAMBA_START_TIMEOUT:-30}   # seconds to wait for LDAP to answer

# AD times are 100 ns intervals since 1601-01-01 UTC.
OLD_TIME=132223104000000000      # 2020-01-01: pwdLastSet of the expired password, accountExpires
FAR_FUTURE=157469184000000000    # 2100-01-01: lockoutTime, i.e. locked until then
NEVER=9223372036854775807        # accountExpires "never"
MAX_PWD_AGE=-36288000000000      # 42 days (Samba's default; must be > 1 day to be honoured)

# userAccountControl: NORMAL_ACCOUNT 0x200, ACCOUNTDISABLE 0x2, DONT_EXPIRE_PASSWORD 0x10000
UAC_NORMAL=66048 UAC_DISABLED=66050 UAC_EXPIRING=512

# (not LDAPNOINIT: it would also make the clients ignore the LDAPTLS_* variables set below)

pidfile="$state/samba.pid"
conf="$state/etc/smb.conf"
logdir="$state/log"
logfile="$logdir/log.samba"
marker="$state/loaded"          # written only after the whole data set loaded once

log() { echo "samba: $*" >&2; }

# --- the directory -------------------------------------------------------------------------
# sAMAccountName|RDN value as written in the DN|userAccountControl|groups (k = kasm_group_1,
# a = all_kasm_app_users)|state
USERS=(
  "test_user_1|test_user_1|$UAC_NORMAL|k|"
  "test_user_2|test_user_2|$UAC_NORMAL|a|"
  "test_user_3|test_user_3|$UAC_NORMAL||"
  "disabled_user|disabled_user|$UAC_DISABLED|a|533"
  "expired_password_user|expired_password_user|$UAC_EXPIRING|a|532"
  "locked_user|locked_user|$UAC_NORMAL|a|775"
  "must_change_user|must_change_user|$UAC_EXPIRING|a|773"
  "account_expired_user|account_expired_user|$UAC_NORMAL|a|701"
  'comma_user|Doe\, Jane|66048|ak|'
  'plus_user|R\+D User|66048|ak|'
  'quote_user|Quote \"Q\" User|66048|ak|'
  "many_groups_user|many_groups_user|$UAC_NORMAL|a|"
  "bad_password_user|bad_password_user|$UAC_NORMAL|a|"
)
# bad_password_user's own password settings object (PSO): Samba counts wrong passwords
# (badPwdCount) only under a lockout threshold, and the domain's is 0. Threshold 1000 within a
# day: tests count with it and never lock it (a successful bind, or a start, sets it back to 0).
PSO_DN="CN=bad_password_counting,CN=Password Settings Container,CN=System,$BASE"
PSO_THRESHOLD=1000
ONE_DAY=-864000000000             # 100 ns units, negative as AD wants durations
GROUP_ALL="CN=all_kasm_app_users,$ORG"
GROUP_1="CN=kasm_group_1,$ORG"
GROUP_BIG="CN=big_group,$ORG"

user_dn() { echo "CN=$1,$ORG"; }

json_str() { # JSON string literal
  local s=${1//\\/\\\\}
  s=${s//\"/\\\"}
  printf '"%s"' "$s"
}

unicode_pwd() { printf '"%s"' "$1" | iconv -f UTF-8 -t UTF-16LE | base64 -w0; }

# Entries that must exist (added with ldapadd -c: existing ones are left alone).
write_add_ldif() {
  local e sam rdn
  printf 'dn: %s\nobjectClass: organizationalUnit\nou: MyOrg\n\n' "$ORG"
  printf 'dn: %s\nobjectClass: user\nsAMAccountName: ldap_service_account\n\n' "$SVC_DN"
  for e in "${USERS[@]}"; do
    IFS='|' read -r sam rdn _ _ _ <<<"$e"
    printf 'dn: %s\nobjectClass: user\nsAMAccountName: %s\n\n' "$(user_dn "$rdn")" "$sam"
  done
  printf 'dn: %s\nobjectClass: group\nsAMAccountName: kasm_group_1\n\n' "$GROUP_1"
  printf 'dn: %s\nobjectClass: group\nsAMAccountName: all_kasm_app_users\n\n' "$GROUP_ALL"
}

# The specified state of the domain policy, every named account and the two groups; applied on
# every start that is not a no-op, so data changed by earlier test runs is put back.
write_restore_ldif() {
  local e sam rdn uac groups special dn pw svc_pw
  pw=$(unicode_pwd "$USER_PW")
  svc_pw=$(unicode_pwd "$SVC_PW")
  # No password history and no minimum age, so tests can change a password and restore it;
  # no lockout threshold, so wrong-password tests never lock an account.
  cat <<EOF
dn: $BASE
changetype: modify
replace: pwdHistoryLength
pwdHistoryLength: 0
-
replace: minPwdAge
minPwdAge: 0
-
replace: maxPwdAge
maxPwdAge: $MAX_PWD_AGE
-
replace: lockoutThreshold
lockoutThreshold: 0
-

dn: $ADMIN_DN
changetype: modify
replace: userAccountControl
userAccountControl: $UAC_NORMAL
-

EOF
  account_mod "$SVC_DN" ldap_service_account "$svc_pw" "$UAC_NORMAL" ""
  for e in "${USERS[@]}"; do
    IFS='|' read -r sam rdn uac _ special <<<"$e"
    account_mod "$(user_dn "$rdn")" "$sam" "$pw" "$uac" "$special"
  done
  # pwdLastSet=0 must come after the password reset (which sets it to now)
  printf 'dn: %s\nchangetype: modify\nreplace: pwdLastSet\npwdLastSet: 0\n-\n\n' "$(user_dn must_change_user)"
  # Likewise lockoutTime: a password set in the same modify resets it to 0 (seen on 4.17), which
  # left locked_user unlocked; set it in its own modify, after the password reset.
  printf 'dn: %s\nchangetype: modify\nreplace: lockoutTime\nlockoutTime: %s\n-\n\n' "$(user_dn locked_user)" "$FAR_FUTURE"
  printf 'dn: %s\nchangetype: modify\nreplace: member\n' "$GROUP_1"
  for e in "${USERS[@]}"; do
    IFS='|' read -r sam rdn _ groups _ <<<"$e"
    [[ $groups == *k* ]] && printf 'member: %s\n' "$(user_dn "$rdn")"
  done
  printf -- '-\n\n'
  printf 'dn: %s\nchangetype: modify\nreplace: member\nmember: %s\n' "$GROUP_ALL" "$GROUP_1"
  for e in "${USERS[@]}"; do
    IFS='|' read -r sam rdn _ groups _ <<<"$e"
    [[ $groups == *a* ]] && printf 'member: %s\n' "$(user_dn "$rdn")"
  done
  printf -- '-\n\n'
}

account_mod() { # dn sam base64-password uac special-code
  local expires=$NEVER lockout=0
  [ "$5" = 701 ] && expires=$OLD_TIME
  [ "$5" = 775 ] && lockout=$FAR_FUTURE
  cat <<EOF
dn: $1
changetype: modify
replace: unicodePwd
unicodePwd:: $3
-
replace: userAccountControl
userAccountControl: $4
-
replace: mail
mail: $2@kasm.core
-
replace: userPrincipalName
userPrincipalName: $2@kasm.core
-
replace: accountExpires
accountExpires: $expires
-
replace: lockoutTime
lockoutTime: $lockout
-

EOF
}

# Bulk data, loaded once: big_group with BULK_USERS members, many_groups_user in BULK_GROUPS
# groups. Bulk users get no password (Samba then creates them disabled, UAC 546): hashing a
# password costs ~20 ms each in Samba's single process.
write_bulk_ldif() {
  local i n many
  many=$(user_dn many_groups_user)
  printf 'dn: %s\nobjectClass: organizationalUnit\nou: Bulk\n\n' "$BULK"
  for ((i = 1; i <= BULK_USERS; i++)); do
    printf -v n '%04d' "$i"
    printf 'dn: CN=bulk_user_%s,%s\nobjectClass: user\nsAMAccountName: bulk_user_%s\nmail: bulk_user_%s@kasm.core\n\n' \
      "$n" "$BULK" "$n" "$n"
  done
  for ((i = 1; i <= BULK_GROUPS; i++)); do
    printf -v n '%04d' "$i"
    printf 'dn: CN=bulk_group_%s,%s\nobjectClass: group\nsAMAccountName: bulk_group_%s\nmember: %s\n\n' \
      "$n" "$BULK" "$n" "$many"
  done
  printf 'dn: %s\nobjectClass: group\nsAMAccountName: big_group\n' "$GROUP_BIG"
  for ((i = 1; i <= BULK_USERS; i++)); do
    printf 'member: CN=bulk_user_%04d,%s\n' "$i" "$BULK"
  done
  printf '\n'
}

write_env_json() {
  local tmp="$state/env.json.tmp" e sam rdn special first=1
  {
    printf '{\n'
    printf '  "name": "samba",\n'
    printf '  "urls": { "ldap": %s, "ldaps": %s },\n' "$(json_str "$LDAP_URL")" "$(json_str "$LDAPS_URL")"
    printf '  "caFile": %s,\n' "$(json_str "$CA_FILE")"
    printf '  "baseDn": %s,\n' "$(json_str "$BASE")"
    printf '  "admin": { "dn": %s, "password": %s },\n' "$(json_str "$ADMIN_DN")" "$(json_str "$ADMIN_PW")"
    printf '  "serviceAccount": { "dn": %s, "password": %s },\n' "$(json_str "$SVC_DN")" "$(json_str "$SVC_PW")"
    printf '  "users": {\n'
    for e in "${USERS[@]}"; do
      IFS='|' read -r sam rdn _ _ _ <<<"$e"
      [ $first = 1 ] || printf ',\n'
      first=0
      printf '    %s: { "dn": %s, "password": %s, "mail": %s }' "$(json_str "$sam")" \
        "$(json_str "$(user_dn "$rdn")")" "$(json_str "$USER_PW")" "$(json_str "$sam@kasm.core")"
    done
    printf '\n  },\n'
    printf '  "groups": { "all_kasm_app_users": %s, "kasm_group_1": %s, "big_group": %s },\n' \
      "$(json_str "$GROUP_ALL")" "$(json_str "$GROUP_1")" "$(json_str "$GROUP_BIG")"
    printf '  "specialUsers": {'
    first=1
    for e in "${USERS[@]}"; do
      IFS='|' read -r sam _ _ _ special <<<"$e"
      [ -n "$special" ] || continue
      [ $first = 1 ] || printf ','
      first=0
      printf ' %s: %s' "$(json_str "$sam")" "$(json_str "$special")"
    done
    printf ' }\n}\n'
  } >"$tmp"
  mv -f "$tmp" "$state/env.json"
}

write_smb_conf() {
  mkdir -p "$state/etc" "$logdir" "$state/run" "$state/lock" "$state/cache"
  cat >"$conf.tmp" <<EOF
# Generated by e2e/directories/samba/start.sh; rewritten on every start.
[global]
	netbios name = DC1
	realm = $REALM
	workgroup = $DOMAIN
	server role = active directory domain controller
	server services = ldap
	interfaces = $HOST/8
	bind interfaces only = yes
	private dir = $state/private
	binddns dir = $state/bind-dns
	state directory = $state/state
	cache directory = $state/cache
	lock directory = $state/lock
	pid directory = $state/run
	ncalrpc dir = $state/run/ncalrpc
	ntp signd socket directory = $state/run/ntp_signd
	winbindd socket directory = $state/run/winbindd
	log file = $logfile
	logging = file
	log level = 0
	max log size = 0
	# test data only: no fsync on every LDB transaction
	ldb:nosync = true
	tls enabled = yes
	tls certfile = $CERT_FILE
	tls keyfile = $KEY_FILE
	tls cafile = $CA_FILE
EOF
  mv -f "$conf.tmp" "$conf"
}

# --- process handling ------------------------------------------------------------------------
# alive = exists and is not a zombie (PID 1 of a container may never reap it)
alive() { # the process state follows the last ')' of /proc/PID/stat (comm may hold spaces)
  local st
  st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) || return 1
  [ -n "$st" ] && [ "${st%% *}" != Z ]
}

is_ours_running() { # our recorded PID is alive and is a samba process
  local pid
  [ -f "$pidfile" ] || return 1
  pid=$(cat "$pidfile" 2>/dev/null) || return 1
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  alive "$pid" || return 1
  grep -q samba "/proc/$pid/cmdline" 2>/dev/null
}

ldap_answers() { # anonymous rootDSE read over plain LDAP
  timeout 5 ldapsearch -x -o nettimeout=2 -H "$LDAP_URL" -b "" -s base -LLL dnsHostName >/dev/null 2>&1
}

admin_ldap() { # ldapsearch-style tool over LDAPS as Administrator
  local tool=$1
  shift
  "$tool" -x -o nettimeout=10 -H "$LDAPS_URL" -D "$ADMIN_DN" -w "$ADMIN_PW" "$@"
}

log_mark=0   # size of the Samba log before our start: show only what this start wrote
show_logs() {
  if [ -s "$logfile" ]; then
    echo "--- tail of $logfile (this start)" >&2
    tail -c +"$((log_mark + 1))" "$logfile" | tail -n 40 >&2
  fi
  if [ -s "$logdir/samba.out" ]; then
    echo "--- tail of $logdir/samba.out" >&2
    tail -n 20 "$logdir/samba.out" >&2
  fi
  return 0
}

stop_ours() { bash "$here/stop.sh" >/dev/null || true; }

fail() {
  log "$*"
  show_logs
  stop_ours
  exit 1
}

start_daemon() {
  local pid i
  rm -f "$pidfile" "$state/run/samba.pid"
  : >>"$logdir/samba.out"
  log_mark=$(stat -c %s "$logfile" 2>/dev/null || echo 0)
  # -F: no fork, so the PID we record is samba's own; setsid detaches it from our session.
  setsid "$SAMBA" -s "$conf" -M single -F -l "$logdir" </dev/null >>"$logdir/samba.out" 2>&1 &
  pid=$!
  echo "$pid" >"$pidfile"
  for ((i = 0; i < START_TIMEOUT * 10; i++)); do
    alive "$pid" || fail "samba exited during start-up"
    ldap_answers && return 0
    sleep 0.1
  done
  fail "LDAP did not answer on $LDAP_URL within ${START_TIMEOUT}s"
}

provision() {
  log "provisioning realm $REALM in $state"
  rm -rf -- "$state"
  mkdir -p "$state"
  if ! "$SAMBA_TOOL" domain provision --targetdir="$state" --realm="$REALM" --domain="$DOMAIN" \
    --server-role=dc --dns-backend=NONE --host-name=DC1 --adminpass="$ADMIN_PW" \
    --option="interfaces=$HOST/8" --option="bind interfaces only=yes" \
    --option="server services=ldap" >"$state/provision.log" 2>&1; then
    tail -n 30 "$state/provision.log" >&2
    log "samba-tool domain provision failed (output in $state/provision.log)"
    exit 1
  fi
}

# ldapadd -c, tolerating only "Already exists (68)"
add_ldif() {
  local file=$1 out="$state/ldapadd.out"
  admin_ldap ldapadd -c -f "$file" >"$out" 2>&1 || true
  if grep -E '^ldap_[a-z_]+(\([A-Z]+\))?: ' "$out" | grep -qv '^ldap_add: Already exists (68)'; then
    grep -E '^ldap_[a-z_]+(\([A-Z]+\))?: |additional info' "$out" | grep -v 'Already exists (68)' | head -n 20 >&2
    fail "loading $file failed (output in $out)"
  fi
}

restore_data() {
  local out="$state/ldapmodify.out"
  write_add_ldif >"$state/add.ldif"
  add_ldif "$state/add.ldif"
  write_restore_ldif >"$state/restore.ldif"
  admin_ldap ldapmodify -f "$state/restore.ldif" >"$out" 2>&1 || {
    tail -n 20 "$out" >&2
    fail "applying $state/restore.ldif failed (output in $out; \`start.sh --fresh\` re-provisions)"
  }
  # An expired password needs an old pwdLastSet, which LDAP only accepts as 0 or -1: set it in
  # sam.ldb directly with Samba's "bypass last set" control (used by its own upgrade code).
  "$SAMBA_PY" - "$conf" "$(user_dn expired_password_user)" "$OLD_TIME" >"$state/pwdlastset.out" 2>&1 <<'PY' ||
import sys
from samba import ldb
from samba.auth import system_session
from samba.param import LoadParm
from samba.samdb import SamDB
conf, dn, value = sys.argv[1:4]
lp = LoadParm()
lp.load(conf)
db = SamDB(url=lp.private_path("sam.ldb"), session_info=system_session(), lp=lp)
m = ldb.Message(ldb.Dn(db, dn))
m["pwdLastSet"] = ldb.MessageElement(value, ldb.FLAG_MOD_REPLACE, "pwdLastSet")
db.modify(m, controls=["local_oid:1.3.6.1.4.1.7165.4.3.20:0"])  # DSDB_CONTROL_PASSWORD_BYPASS_LAST_SET_OID
PY
    { cat "$state/pwdlastset.out" >&2; fail "could not set pwdLastSet of expired_password_user"; }
}

count_entries() { # base scope filter -> number of entries (paged, as a client of real AD must)
  admin_ldap ldapsearch -LLL -E pr=1000/noprompt -b "$1" -s "$2" "$3" 1.1 2>/dev/null | grep -c '^dn:' || true
}

count_values() { # dn attribute -> number of values
  admin_ldap ldapsearch -LLL -o ldif-wrap=no -b "$1" -s base "(objectClass=*)" "$2" 2>/dev/null |
    grep -ci "^$2:" || true
}

bulk_ok() {
  [ "$(count_entries "$BULK" one "(objectClass=user)")" = "$BULK_USERS" ] &&
    [ "$(count_entries "$BULK" one "(objectClass=group)")" = "$BULK_GROUPS" ] &&
    [ "$(count_values "$GROUP_BIG" member)" = "$BULK_USERS" ] &&
    [ "$(count_values "$(user_dn many_groups_user)" memberOf)" = "$((BULK_GROUPS + 1))" ]
}

# bad_password_user and its PSO, added to a running server when missing (restore_data keeps the
# account's password and groups on later starts). In place: one read.
ensure_bad_password_counting() {
  local user
  user=$(user_dn bad_password_user)
  [ "$(count_entries "$PSO_DN" base "(msDS-PSOAppliesTo=$user)")" = 1 ] && return 0
  {
    printf 'dn: %s\nobjectClass: user\nsAMAccountName: bad_password_user\n\n' "$user"
    printf 'dn: %s\nobjectClass: msDS-PasswordSettings\nmsDS-PasswordSettingsPrecedence: 1\n' "$PSO_DN"
    printf 'msDS-PasswordReversibleEncryptionEnabled: FALSE\nmsDS-PasswordHistoryLength: 0\nmsDS-PasswordComplexityEnabled: FALSE\n'
    printf 'msDS-MinimumPasswordLength: 0\nmsDS-MinimumPasswordAge: 0\nmsDS-MaximumPasswordAge: %s\n' "$MAX_PWD_AGE"
    printf 'msDS-LockoutThreshold: %s\nmsDS-LockoutObservationWindow: %s\nmsDS-LockoutDuration: %s\n\n' "$PSO_THRESHOLD" "$ONE_DAY" "$ONE_DAY"
  } >"$state/bad_password.ldif"
  add_ldif "$state/bad_password.ldif"
  {
    account_mod "$user" bad_password_user "$(unicode_pwd "$USER_PW")" "$UAC_NORMAL" ""
    printf 'dn: %s\nchangetype: modify\nreplace: msDS-PSOAppliesTo\nmsDS-PSOAppliesTo: %s\n-\n\n' "$PSO_DN" "$user"
    [ "$(count_entries "$GROUP_ALL" base "(member=$user)")" = 1 ] ||
      printf 'dn: %s\nchangetype: modify\nadd: member\nmember: %s\n-\n\n' "$GROUP_ALL" "$user"
  } >"$state/bad_password_mod.ldif"
  admin_ldap ldapmodify -f "$state/bad_password_mod.ldif" >"$state/ldapmodify.out" 2>&1 ||
    { tail -n 20 "$state/ldapmodify.out" >&2; fail "setting up bad_password_user failed (output in $state/ldapmodify.out)"; }
  [ "$(count_entries "$PSO_DN" base "(msDS-PSOAppliesTo=$user)")" = 1 ] || fail "the PSO of bad_password_user is not in place"
  rm -f "$state/bad_password.ldif" "$state/bad_password_mod.ldif"
  log "added bad_password_user and its password settings object"
}

# --- main ----------------------------------------------------------------------------------
SAMBA=$(command -v samba || echo /usr/sbin/samba)
SAMBA_TOOL=$(command -v samba-tool || echo /usr/bin/samba-tool)
[ -x "$SAMBA" ] || { log "samba not found (apt-get install samba samba-ad-dc samba-ad-provision)"; exit 1; }
[ -x "$SAMBA_TOOL" ] || { log "samba-tool not found (apt-get install samba-ad-dc samba-ad-provision)"; exit 1; }
command -v ldapadd >/dev/null || { log "ldapadd not found (apt-get install ldap-utils)"; exit 1; }
# samba-tool's own interpreter has Samba's Python bindings (a pyenv python3 may not)
SAMBA_PY=$(sed -n '1s/^#! *\([^ ]*\).*/\1/p' "$SAMBA_TOOL")
[ -x "$SAMBA_PY" ] || SAMBA_PY=/usr/bin/python3

export DIRECTORY_STATE_DIR="$root_state"   # absolute, for ca.sh and stop.sh
bash "$here/../ca.sh" issue samba "$HOST" >/dev/null
CERT_FILE="$root_state/ca/samba.crt"
KEY_FILE="$root_state/ca/samba.key"
CA_FILE="$root_state/ca/ca.pem"
export LDAPTLS_CACERT="$CA_FILE" LDAPTLS_REQCERT=demand

if [ "$fresh" = 1 ]; then
  stop_ours
  rm -rf -- "$state"
fi

if is_ours_running; then
  if [ -f "$marker" ] && ldap_answers; then
    ensure_bad_password_counting
    write_env_json
    log "already running (pid $(cat "$pidfile")) on $LDAP_URL and $LDAPS_URL"
    exit 0
  fi
  log "found a samba that is not answering or not fully loaded; restarting it"
  stop_ours
fi
rm -f "$pidfile" "$state/env.json"

if ldap_answers; then
  log "something else already answers on $LDAP_URL (another Samba or directory?); not starting"
  exit 1
fi

started=$(date +%s)
if [ -f "$marker" ] && [ -f "$state/private/sam.ldb" ]; then
  write_smb_conf
  start_daemon
  log "reusing the provisioned domain; restoring the specified data"
  restore_data
  if ! bulk_ok; then
    log "bulk data differs from the specification; re-provisioning"
    stop_ours
    rm -f "$marker"
  fi
fi

if [ ! -f "$marker" ]; then
  provision
  write_smb_conf
  start_daemon
  log "loading the kasm.core directory"
  restore_data
  write_bulk_ldif >"$state/bulk.ldif"
  add_ldif "$state/bulk.ldif"
  bulk_ok || fail "bulk data incomplete after loading $state/bulk.ldif"
  : >"$marker"
fi

# Final check: an authenticated search over LDAPS and over StartTLS.
admin_ldap ldapsearch -LLL -b "$BASE" -s base 1.1 >/dev/null 2>&1 || fail "LDAPS bind as Administrator failed"
ldapsearch -x -ZZ -o nettimeout=10 -H "$LDAP_URL" -D "$SVC_DN" -w "$SVC_PW" -LLL -b "$BASE" -s base 1.1 \
  >/dev/null 2>&1 || fail "StartTLS bind as the service account failed"

ensure_bad_password_counting
write_env_json
log "ready in $(($(date +%s) - started))s (pid $(cat "$pidfile")): $LDAP_URL (StartTLS) and $LDAPS_URL; $state/env.json"
