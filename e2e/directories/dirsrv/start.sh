#!/usr/bin/env bash
# 389 Directory Server for the tests, without systemd, on 127.0.0.1 only.
#   start.sh           create the instance once, then start it (idempotent)
#   start.sh --fresh   stop it, wipe its state and recreate it
# ldap://127.0.0.1:3891 (StartTLS) and ldaps://127.0.0.1:6361, suffix dc=kasm,dc=core.
# State (config, NSS db, database, logs, PID file): $DIRECTORY_STATE_DIR/dirsrv
# (default <repo>/.directories/dirsrv). Describes itself in <state>/dirsrv/env.json.
# Runs as root; ns-slapd drops to the user dirsrv (the state dir must be reachable by it).
# needs: 389-ds-base ldap-utils openssl   (389-ds-base pulls python3-lib389 and libnss3-tools)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
state_root=${DIRECTORY_STATE_DIR:-$repo/.directories}
mkdir -p "$state_root"
state_root=$(cd "$state_root" && pwd)
S=$state_root/dirsrv

inst=kasm
host=127.0.0.1
port=3891
sport=6361
suffix='dc=kasm,dc=core'
admin_dn='cn=Directory Manager'
admin_pw='Admin-Password-789'
user_pw='Test-Password-123'
svc_dn='cn=ldap_service_account,ou=MyOrg,dc=kasm,dc=core'
svc_pw='Service-Password-456'
users_ou='ou=Users,ou=MyOrg,dc=kasm,dc=core'
groups_ou='ou=Groups,ou=MyOrg,dc=kasm,dc=core'
bulk_ou='ou=Bulk,ou=MyOrg,dc=kasm,dc=core'
bulk_groups=1100   # groups of many_groups_user, as on OpenLDAP
svc_size_limit=500 # the service account's nsSizeLimit, as OpenLDAP's default

# Layout: a private "prefix" mirroring the packaged one. lib389 finds defaults.inf through
# $PREFIX/share/dirsrv/inf/defaults.inf and instances through $PREFIX/etc/dirsrv/slapd-NAME.
config_dir=$S/etc/dirsrv/slapd-$inst
run_dir=$S/var/run/dirsrv
pid_file=$run_dir/slapd-$inst.pid
log_dir=$S/var/log/dirsrv/slapd-$inst
lock_dir=$S/var/lock/dirsrv/slapd-$inst
export PREFIX=$S

fresh=0
for a in "$@"; do
  case $a in
    --fresh) fresh=1 ;;
    *) echo "usage: $0 [--fresh]" >&2; exit 2 ;;
  esac
done

export LDAPTLS_CACERT=$state_root/ca/ca.pem
log_off=0   # size of the error log before this run started the server

log() { echo "dirsrv: $*" >&2; }
[ "$(id -u)" = 0 ] || { log "run me as root (ns-slapd binds as root, then drops to dirsrv)"; exit 1; }

pid_alive() { # an ns-slapd that has not exited (an exited one may linger as a zombie)
  case $(ps -o comm=,stat= -p "$1" 2>/dev/null) in
    ns-slapd*Z*|"") return 1 ;;
    ns-slapd*) return 0 ;;
    *) return 1 ;;
  esac
}

running_pid() { # prints the PID if our ns-slapd is alive
  local pid
  [ -f "$pid_file" ] || return 1
  pid=$(tr -dc 0-9 < "$pid_file")
  [ -n "$pid" ] && pid_alive "$pid" && echo "$pid"
}

answers() { # the root DSE is readable anonymously
  ldapsearch -x -H "ldap://$host:$port" -o nettimeout=2 -b '' -s base namingContexts >/dev/null 2>&1
}

fail() {
  log "$*"
  if [ -f "$log_dir/errors" ]; then   # what this run logged (at most 60 lines)
    echo "----- $log_dir/errors -----" >&2
    tail -c +$((log_off + 1)) "$log_dir/errors" | tail -n 60 >&2
  fi
  exit 1
}

write_env() {
  local u users="" sep=""
  for u in test_user_1 test_user_2 test_user_3 comma_user plus_user disabled_user many_groups_user; do
    users+="$sep    \"$u\": { \"dn\": \"$(user_dn "$u" | sed 's/\\/\\\\/g')\", \"password\": \"$user_pw\", \"mail\": \"$u@kasm.core\" }"
    sep=$',\n'
  done
  cat > "$S/env.json.tmp" <<EOF
{
  "name": "dirsrv",
  "urls": { "ldap": "ldap://$host:$port", "ldaps": "ldaps://$host:$sport" },
  "caFile": "$state_root/ca/ca.pem",
  "baseDn": "$suffix",
  "admin": { "dn": "$admin_dn", "password": "$admin_pw" },
  "serviceAccount": { "dn": "$svc_dn", "password": "$svc_pw" },
  "users": {
$users
  },
  "groups": {
    "all_kasm_app_users": "cn=all_kasm_app_users,$groups_ou",
    "kasm_group_1": "cn=kasm_group_1,$groups_ou"
  },
  "bulk": { "manyGroupsCount": $bulk_groups, "serviceSizeLimit": $svc_size_limit }
}
EOF
  mv "$S/env.json.tmp" "$S/env.json"
}

user_dn() {
  case $1 in
    comma_user) echo "cn=Doe\\, Jane,$users_ou" ;;
    plus_user) echo "cn=R\\+D User,$users_ou" ;;
    *) echo "uid=$1,$users_ou" ;;
  esac
}

wait_answering() { # bounded wait until LDAP answers
  local i
  for i in $(seq 1 150); do
    answers && return 0
    running_pid >/dev/null || fail "ns-slapd exited during startup"
    sleep 0.2
  done
  fail "ns-slapd did not answer on ldap://$host:$port within 30 s"
}

start_server() {
  log_off=$(stat -c %s "$log_dir/errors" 2>/dev/null || echo 0)
  rm -f "$pid_file"
  # ns-slapd refuses to start while its lock names a live PID, and a zombie (a killed ns-slapd
  # whose parent, PID 1, has not reaped it yet; some containers never do) counts as live.
  local f
  for f in "$lock_dir"/server/* "$lock_dir"/imports/* "$lock_dir"/exports/*; do
    [ -e "$f" ] || continue
    pid_alive "$(basename "$f")" || rm -f "$f"
  done
  /usr/sbin/ns-slapd -D "$config_dir" -i "$pid_file" >"$S/ns-slapd.out" 2>&1 \
    || { cat "$S/ns-slapd.out" >&2; fail "ns-slapd failed to start"; }
  local i
  for i in $(seq 1 50); do running_pid >/dev/null && break; sleep 0.1; done
  wait_answering
}

stop_server() { bash "$here/stop.sh"; }

dm_search() { ldapsearch -LLL -o ldif-wrap=no -x -H "ldap://$host:$port" -D "$admin_dn" -w "$admin_pw" "$@"; }

# many_groups_user, the only member of bulk_group_0001…1100 (bulk_group_0001 is in
# all_kasm_app_users), and a size limit of 500 for the service account's unpaged searches: its
# group query needs paging, as on OpenLDAP. Added to a running instance when missing (instances created before it
# get it without a rebuild); when everything is in place this costs three reads.
ensure_many_groups() {
  local dm=(-x -H "ldap://$host:$port" -D "$admin_dn" -w "$admin_pw") user have i
  user=$(user_dn many_groups_user)
  have=$(dm_search -b "$bulk_ou" -s one "(member=$user)" 1.1 2>/dev/null | grep -c '^dn:' || true)
  if [ "$have" != "$bulk_groups" ]; then
    {
      printf 'dn: %s\nobjectClass: top\nobjectClass: organizationalUnit\nou: Bulk\n\n' "$bulk_ou"
      printf 'dn: %s\nobjectClass: top\nobjectClass: person\nobjectClass: organizationalPerson\nobjectClass: inetOrgPerson\nuid: many_groups_user\ncn: many_groups_user\nsn: many_groups_user\nmail: many_groups_user@kasm.core\nuserPassword: %s\n\n' "$user" "$user_pw"
      for ((i = 1; i <= bulk_groups; i++)); do
        printf 'dn: cn=bulk_group_%04d,%s\nobjectClass: top\nobjectClass: groupOfNames\ncn: bulk_group_%04d\nmember: %s\n\n' "$i" "$bulk_ou" "$i" "$user"
      done
    } > "$S/bulk.ldif"
    # -c: entries left by an interrupted earlier run are "Already exists" (68)
    ldapadd -c "${dm[@]}" -f "$S/bulk.ldif" > "$S/bulk.log" 2>&1 || true
    have=$(dm_search -b "$bulk_ou" -s one "(member=$user)" 1.1 2>/dev/null | grep -c '^dn:' || true)
    [ "$have" = "$bulk_groups" ] || { tail -n 20 "$S/bulk.log" >&2; fail "loading $S/bulk.ldif failed ($have of $bulk_groups groups)"; }
    rm -f "$S/bulk.ldif" "$S/bulk.log"
    log "added many_groups_user in $bulk_groups groups"
  fi
  if ! dm_search -b "cn=all_kasm_app_users,$groups_ou" -s base "(member=cn=bulk_group_0001,$bulk_ou)" 1.1 | grep -q '^dn:'; then
    printf 'dn: cn=all_kasm_app_users,%s\nchangetype: modify\nadd: member\nmember: cn=bulk_group_0001,%s\n' "$groups_ou" "$bulk_ou" |
      ldapmodify "${dm[@]}" >/dev/null || fail "adding bulk_group_0001 to all_kasm_app_users failed"
  fi
  # paged searches count against nsSizeLimit too, unless nsPagedSizeLimit says otherwise
  if [ "$(dm_search -b "$svc_dn" -s base nsSizeLimit nsPagedSizeLimit | grep -cxE "nsSizeLimit: $svc_size_limit|nsPagedSizeLimit: -1")" != 2 ]; then
    printf 'dn: %s\nchangetype: modify\nreplace: nsSizeLimit\nnsSizeLimit: %s\n-\nreplace: nsPagedSizeLimit\nnsPagedSizeLimit: -1\n' "$svc_dn" "$svc_size_limit" |
      ldapmodify "${dm[@]}" >/dev/null || fail "setting the service account's size limits failed"
  fi
}

# ---------------------------------------------------------------- fast paths
if [ -f "$S/.created" ] && { [ ! -f "$state_root/ca/ca.pem" ] || [ "$state_root/ca/ca.pem" -nt "$S/.created" ]; }; then
  log "the test CA was (re)created after this instance: recreating it"
  fresh=1
fi
if [ $fresh = 1 ] || [ ! -f "$S/.created" ]; then
  stop_server   # a half-created instance may still run
  rm -rf "$S"
elif running_pid >/dev/null; then
  for _ in $(seq 1 150); do   # normally answers at once; else it is starting up or dying
    if answers; then ensure_many_groups; write_env; log "already running (pid $(running_pid))"; exit 0; fi
    running_pid >/dev/null || break
    sleep 0.2
  done
  running_pid >/dev/null && fail "ns-slapd (pid $(running_pid)) runs but does not answer on ldap://$host:$port"
fi

if answers; then
  fail "something else answers on $host:$port (not our ns-slapd, no live PID in $pid_file)"
fi

if [ -f "$S/.created" ]; then
  start_server
  ensure_many_groups
  write_env
  log "started (pid $(running_pid))"
  exit 0
fi

# ---------------------------------------------------------------- create
t0=$SECONDS
mkdir -p "$S"
chmod 755 "$S"
# ns-slapd drops to the user dirsrv, which must be able to reach the state dir. When a parent
# directory is closed to others (e.g. a CI home directory with mode 750), run it as root instead.
ds_user=dirsrv
if ! id dirsrv >/dev/null 2>&1 || ! runuser -u dirsrv -- test -x "$S" 2>/dev/null; then
  ds_user=root
  log "user dirsrv cannot reach $S (a parent directory lacks o+x): ns-slapd will run as root"
fi

bash "$here/../ca.sh" issue dirsrv "$host" >/dev/null
if ! openssl verify -CAfile "$state_root/ca/ca.pem" "$state_root/ca/dirsrv.crt" >/dev/null 2>&1; then
  log "dirsrv.crt was not issued by the current test CA: reissuing it"   # ca.sh keeps old files
  rm -f "$state_root/ca/dirsrv.crt" "$state_root/ca/dirsrv.key"
  bash "$here/../ca.sh" issue dirsrv "$host" >/dev/null
fi

# private defaults.inf: every path under $S, no systemd
mkdir -p "$S/share/dirsrv/inf" "$S/share/dirsrv/data" "$S/etc/dirsrv" "$S/var/lib/dirsrv" \
  "$S/var/log/dirsrv" "$S/var/lock/dirsrv" "$S/var/run" "$S/tmp" "$S/etc/default" "$S/etc/tmpfiles.d"
cp -r /etc/dirsrv/schema /etc/dirsrv/config "$S/etc/dirsrv/"
# (the packaged file says "enable_rust = @enable_rust@", unsubstituted; lib389 reads anything but
# "no" as yes, and the Rust plugins such as entryUUID are installed)
sed -e "s|^with_systemd = .*|with_systemd = 0|" \
    -e "s|^enable_rust = .*|enable_rust = yes|" \
    -e "s|^data_dir = .*|data_dir = $S/share|" \
    -e "s|^tmp_dir = .*|tmp_dir = $S/tmp|" \
    -e "s|^sysconf_dir = .*|sysconf_dir = $S/etc|" \
    -e "s|^initconfig_dir = .*|initconfig_dir = $S/etc/default|" \
    -e "s|^config_dir = .*|config_dir = $S/etc/dirsrv/slapd-{instance_name}|" \
    -e "s|^local_state_dir = .*|local_state_dir = $S/var|" \
    -e "s|^run_dir = .*|run_dir = $run_dir|" \
    -e "s|^ldapi = .*|ldapi = $run_dir/slapd-{instance_name}.socket|" \
    -e "s|^pid_file = .*|pid_file = $run_dir/slapd-{instance_name}.pid|" \
    -e "s|^inst_dir = .*|inst_dir = $S/var/lib/dirsrv/slapd-{instance_name}/inst|" \
    -e "s|^tmpfiles_d = .*|tmpfiles_d = $S/etc/tmpfiles.d|" \
    -e "s|^schema_dir = .*|schema_dir = $S/etc/dirsrv/slapd-{instance_name}/schema|" \
    -e "s|^cert_dir = .*|cert_dir = $S/etc/dirsrv/slapd-{instance_name}|" \
    -e "s|^lock_dir = .*|lock_dir = $S/var/lock/dirsrv/slapd-{instance_name}|" \
    -e "s|^log_dir = .*|log_dir = $S/var/log/dirsrv/slapd-{instance_name}|" \
    -e "s|^access_log = .*|access_log = $S/var/log/dirsrv/slapd-{instance_name}/access|" \
    -e "s|^audit_log = .*|audit_log = $S/var/log/dirsrv/slapd-{instance_name}/audit|" \
    -e "s|^error_log = .*|error_log = $S/var/log/dirsrv/slapd-{instance_name}/errors|" \
    -e "s|^security_log = .*|security_log = $S/var/log/dirsrv/slapd-{instance_name}/security|" \
    -e "s|^db_dir = .*|db_dir = $S/var/lib/dirsrv/slapd-{instance_name}/db|" \
    -e "s|^db_home_dir = .*|db_home_dir = $S/var/lib/dirsrv/slapd-{instance_name}/db|" \
    -e "s|^backup_dir = .*|backup_dir = $S/var/lib/dirsrv/slapd-{instance_name}/bak|" \
    -e "s|^ldif_dir = .*|ldif_dir = $S/var/lib/dirsrv/slapd-{instance_name}/ldif|" \
    /usr/share/dirsrv/inf/defaults.inf > "$S/share/dirsrv/inf/defaults.inf"
if grep -E '^[a-z_]+ = /' "$S/share/dirsrv/inf/defaults.inf" | grep -vE "= ($S|/usr)" >&2; then
  fail "defaults.inf still has paths outside $S (above)"
fi

# Private copy of the dse.ldif template, so the very first start already listens on loopback
# only, has the memberOf plugin on and refuses anonymous access beyond the root DSE.
awk -v host="$host" '
  { print }
  /^nsslapd-port: / {
    print "nsslapd-listenhost: " host
    print "nsslapd-securelistenhost: " host
    print "nsslapd-allow-anonymous-access: rootdse"
  }' /usr/share/dirsrv/data/template-dse.ldif |
  awk 'BEGIN{m=0} /^dn: cn=MemberOf Plugin,/ {m=1} /^$/ {m=0}
       m && /^nsslapd-pluginenabled:/ { print "nsslapd-pluginenabled: on"; next } { print }' \
  > "$S/share/dirsrv/data/template-dse.ldif"
grep -q '^nsslapd-securelistenhost' "$S/share/dirsrv/data/template-dse.ldif" || fail "template patch failed"

umask 077
cat > "$S/setup.inf" <<EOF
[general]
config_version = 2
full_machine_name = localhost
strict_host_checking = False
selinux = False
systemd = False
start = True

[slapd]
instance_name = $inst
user = $ds_user
group = $ds_user
port = $port
secure_port = $sport
root_dn = $admin_dn
root_password = $admin_pw
self_sign_cert = False

[backend-userroot]
suffix = $suffix
sample_entries = no
EOF
umask 022

log "creating instance $inst in $S"
dscreate from-file "$S/setup.inf" > "$S/dscreate.log" 2>&1 || { cat "$S/dscreate.log" >&2; fail "dscreate failed"; }
rm -f "$S/setup.inf"
running_pid >/dev/null || fail "dscreate finished but ns-slapd is not running"
log "dscreate done after $((SECONDS - t0)) s"

# ---------------------------------------------------------------- data (while dscreate's server runs)
dm=(-x -H "ldap://$host:$port" -D "$admin_dn" -w "$admin_pw")
person() { # uid cn sn [extra lines]
  local uid=$1 cn=$2 sn=$3
  printf 'dn: %s\nobjectClass: top\nobjectClass: person\nobjectClass: organizationalPerson\nobjectClass: inetOrgPerson\nuid: %s\ncn: %s\nsn: %s\nmail: %s@kasm.core\nuserPassword: %s\n' \
    "$(user_dn "$uid")" "$uid" "$cn" "$sn" "$uid" "$user_pw"
  [ $# -gt 3 ] && printf '%s\n' "${@:4}"
  echo
}
{
  cat <<EOF
dn: $suffix
objectClass: top
objectClass: domain
dc: kasm
description: kasm.core test directory (389 Directory Server)
aci: (targetattr != "userPassword")(version 3.0; acl "Service account reads everything but passwords"; allow (read, search, compare) userdn = "ldap:///$svc_dn";)
aci: (targetattr != "userPassword")(version 3.0; acl "Users read their own entry"; allow (read, search, compare) userdn = "ldap:///self";)

dn: ou=MyOrg,$suffix
objectClass: top
objectClass: organizationalUnit
ou: MyOrg

dn: $users_ou
objectClass: top
objectClass: organizationalUnit
ou: Users

dn: $groups_ou
objectClass: top
objectClass: organizationalUnit
ou: Groups

dn: $svc_dn
objectClass: top
objectClass: applicationProcess
objectClass: simpleSecurityObject
cn: ldap_service_account
description: bind account used by the portal for searches
userPassword: $svc_pw

EOF
  person test_user_1 test_user_1 test_user_1
  person test_user_2 test_user_2 test_user_2
  person test_user_3 test_user_3 test_user_3
  person comma_user 'Doe, Jane' Doe 'givenName: Jane'
  person plus_user 'R+D User' User 'ou: R+D'
  person disabled_user disabled_user disabled_user 'nsAccountLock: TRUE'
  cat <<EOF
dn: cn=kasm_group_1,$groups_ou
objectClass: top
objectClass: groupOfNames
cn: kasm_group_1
description: mapped to the portal group "LDAP Group 1"
member: $(user_dn test_user_1)
member: $(user_dn comma_user)
member: $(user_dn plus_user)

dn: cn=all_kasm_app_users,$groups_ou
objectClass: top
objectClass: groupOfNames
cn: all_kasm_app_users
description: everyone allowed into the app
member: cn=kasm_group_1,$groups_ou
member: $(user_dn test_user_2)
member: $(user_dn disabled_user)

EOF
} > "$S/data.ldif"
ldapadd "${dm[@]}" -f "$S/data.ldif" > "$S/ldapadd.log" 2>&1 || { cat "$S/ldapadd.log" >&2; fail "loading data failed"; }

# ---------------------------------------------------------------- TLS (our CA), takes effect at restart
ldapmodify "${dm[@]}" >/dev/null <<EOF
dn: cn=config
changetype: modify
replace: nsslapd-security
nsslapd-security: on
EOF
stop_server
dsctl "$inst" tls import-ca "$state_root/ca/ca.pem" "LDAP Portal Test CA" >/dev/null
dsctl "$inst" tls import-server-key-cert "$state_root/ca/dirsrv.crt" "$state_root/ca/dirsrv.key" >/dev/null
start_server

# ---------------------------------------------------------------- verify
ldapwhoami -x -H "ldaps://$host:$sport" -D "$svc_dn" -w "$svc_pw" >/dev/null || fail "LDAPS bind failed"
ldapwhoami -x -ZZ -H "ldap://$host:$port" -D "$svc_dn" -w "$svc_pw" >/dev/null || fail "StartTLS bind failed"
groups=$(ldapsearch -LLL -x -H "ldap://$host:$port" -D "$svc_dn" -w "$svc_pw" -b "$(user_dn test_user_1)" -s base memberOf | grep -ci '^memberOf:' || true)
[ "$groups" = 2 ] || fail "nested memberOf not computed for test_user_1 ($groups groups)"
touch "$S/.created"
ensure_many_groups
write_env
log "created and started (pid $(running_pid)) in $((SECONDS - t0)) s"
