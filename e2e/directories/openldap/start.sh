#!/usr/bin/env bash
# Private OpenLDAP (slapd) for the tests, loaded with the kasm.core directory.
#   start.sh           start (idempotent: running and answering -> exit 0; existing data is reused)
#   start.sh --fresh   stop, wipe the state and reload everything
# ldap://127.0.0.1:3890 (StartTLS available), ldaps://127.0.0.1:6360, certificate from ../ca.sh
# (SAN IP:127.0.0.1 only), plus a second slapd with no TLS at all on ldap://127.0.0.1:3892
# (StartTLS refused; no database). Own cn=config (slapadd -n0) and mdb data under
# $DIRECTORY_STATE_DIR/openldap (default <repo>/.directories/openldap). olcLogLevel 0 (no stats
# logging); slapd runs detached with `-d none`, so only its unconditional messages reach slapd.log.
# Writes $state/env.json when the server answers. See NOTES.md for what was verified.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
export DIRECTORY_STATE_DIR=$(realpath -m "${DIRECTORY_STATE_DIR:-$repo/.directories}")
state="$DIRECTORY_STATE_DIR/openldap"

fresh=0
for arg in "$@"; do
  case "$arg" in
    --fresh) fresh=1 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "openldap/start.sh: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

HOST=127.0.0.1
LDAP_PORT=3890
LDAPS_PORT=6360
LDAP_URL="ldap://$HOST:$LDAP_PORT"
LDAPS_URL="ldaps://$HOST:$LDAPS_PORT"
NOTLS_PORT=3892                       # the second slapd, without any TLS configuration
NOTLS_URL="ldap://$HOST:$NOTLS_PORT"
BASE="dc=kasm,dc=core"
ORG="ou=MyOrg,$BASE"
ADMIN_DN="cn=admin,$BASE"
ADMIN_PW="Admin-Password-789"
SVC_DN="cn=ldap_service_account,$ORG"
SVC_PW="Service-Password-456"
USER_PW="Test-Password-123"
# Service accounts restricted on purpose, for the engine's insufficient_access and
# size_limit_exceeded (NOTES.md): the first may see (disclose) the base entry but not search it
# (result 50), the second gets 5 entries per search, paged searches included (result 4).
DISCLOSE_DN="cn=ldap_disclose_only_account,$ORG"
LIMITED_DN="cn=ldap_size_limited_account,$ORG"
LIMITED_SIZE=5
DISCLOSE_ACL="to dn.base=\"$BASE\" attrs=entry by dn.exact=\"$DISCLOSE_DN\" disclose by * break"
LIMITED_LIMITS="dn.exact=\"$LIMITED_DN\" size.soft=$LIMITED_SIZE size.hard=$LIMITED_SIZE size.prtotal=$LIMITED_SIZE"
BULK_USERS=1200
BULK_GROUPS=1100
# deep_user in deep_group_01, itself in deep_group_02 … up to deep_group_12: nesting deeper than
# the engine follows (10 levels), for its depth cap.
NESTING_OU="ou=Nesting,$ORG"
DEEP_USER_DN="uid=deep_user,$NESTING_OU"
DEEP_LEVELS=12
START_TIMEOUT=${OPENLDAP_START_TIMEOUT:-15}   # seconds to wait for slapd to answer

export LDAPNOINIT=1   # our own client calls ignore ldap.conf / ~/.ldaprc

pidfile="$state/slapd.pid"
logfile="$state/slapd.log"
confdir="$state/slapd.d"
datadir="$state/data"
marker="$state/loaded"      # written only after the whole data set loaded
notls="$state/notls"         # the second slapd: its own cn=config, PID file and log, no data
notls_pidfile="$notls/slapd.pid"
notls_confdir="$notls/slapd.d"
notls_logfile="$notls/slapd.log"

log() { echo "openldap: $*" >&2; }

# pid_of <pidfile> <confdir>: the PID in that file if it is alive (not a zombie) and was started
# with that cn=config directory, else nothing.
pid_of() {
  local pid
  [ -s "$1" ] || return 1
  pid=$(tr -dc '0-9' < "$1")
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
  [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ] || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF -- "-F $2 " || return 1
  echo "$pid"
}
our_pid() { pid_of "$pidfile" "$confdir"; }
notls_pid() { pid_of "$notls_pidfile" "$notls_confdir"; }

answering() {
  timeout 3 ldapwhoami -x -H "$LDAP_URL" -D "$ADMIN_DN" -w "$ADMIN_PW" >/dev/null 2>&1
}
# the second slapd has no database: its cn=config rootdn answers
notls_answering() {
  timeout 3 ldapwhoami -x -H "$NOTLS_URL" -D cn=admin,cn=config -w "$ADMIN_PW" >/dev/null 2>&1
}

json_str() { # JSON string literal
  local s=$1
  s=${s//\\/\\\\}; s=${s//\"/\\\"}
  printf '"%s"' "$s"
}

fail() {
  log "$*"
  if [ -f "$logfile" ]; then
    echo "----- $logfile (last 60 lines) -----" >&2
    tail -n 60 "$logfile" >&2
    echo "-----" >&2
  fi
  exit 1
}

# ---------------------------------------------------------------- data model
# Non-bulk users: uid|RDN|cn|sn|givenName|uidNumber
USERS=(
  "test_user_1|uid=test_user_1|test_user_1|User1|Test|10001"
  "test_user_2|uid=test_user_2|test_user_2|User2|Test|10002"
  "test_user_3|uid=test_user_3|test_user_3|User3|Test|10003"
  'comma_user|cn=Doe\, Jane|Doe, Jane|Doe|Jane|10004'
  'plus_user|cn=R\+D User|R+D User|User|R+D|10005'
  'quote_user|cn=Quote \"Q\" User|Quote "Q" User|User|Quote|10006'
  "many_groups_user|uid=many_groups_user|many_groups_user|ManyGroups|User|10007"
  "locked_user|uid=locked_user|locked_user|Locked|User|10008"
)
# Direct members of kasm_group_1 (every flavour), by uid
KG1_MEMBERS=(test_user_1 comma_user plus_user quote_user locked_user)

user_dn() { # uid -> DN as written in the LDIF
  local u
  for u in "${USERS[@]}"; do
    IFS='|' read -r uid rdn _ <<<"$u"
    if [ "$uid" = "$1" ]; then echo "$rdn,ou=Users,$ORG"; return; fi
  done
  return 1
}

# The frontend and the cn=config database: the same for both slapd instances.
write_frontend_and_config_db() {
  local rootpw=$1
  cat <<EOF
dn: olcDatabase={-1}frontend,cn=config
objectClass: olcDatabaseConfig
objectClass: olcFrontendConfig
olcDatabase: {-1}frontend

dn: olcDatabase={0}config,cn=config
objectClass: olcDatabaseConfig
olcDatabase: {0}config
olcRootDN: cn=admin,cn=config
olcRootPW: $rootpw
EOF
}

write_config_ldif() {
  local rootpw=$1
  cat <<EOF
dn: cn=config
objectClass: olcGlobal
cn: config
olcPidFile: $pidfile
olcArgsFile: $state/slapd.args
olcLogLevel: 0
olcTLSCACertificateFile: $CA_FILE
olcTLSCertificateFile: $CERT_FILE
olcTLSCertificateKeyFile: $KEY_FILE

dn: cn=module{0},cn=config
objectClass: olcModuleList
cn: module{0}
olcModulePath: /usr/lib/ldap
olcModuleLoad: {0}back_mdb
olcModuleLoad: {1}memberof
olcModuleLoad: {2}ppolicy

dn: cn=schema,cn=config
objectClass: olcSchemaConfig
cn: schema

include: file:///etc/ldap/schema/core.ldif

include: file:///etc/ldap/schema/cosine.ldif

include: file:///etc/ldap/schema/nis.ldif

include: file:///etc/ldap/schema/inetorgperson.ldif

EOF
  write_frontend_and_config_db "$rootpw"
  cat <<EOF

dn: olcDatabase={1}mdb,cn=config
objectClass: olcDatabaseConfig
objectClass: olcMdbConfig
olcDatabase: {1}mdb
olcSuffix: $BASE
olcRootDN: $ADMIN_DN
olcRootPW: $rootpw
olcDbDirectory: $datadir
olcDbMaxSize: 1073741824
olcDbNoSync: TRUE
olcDbIndex: objectClass eq
olcDbIndex: uid,mail eq
olcDbIndex: cn eq,sub
olcDbIndex: member,uniqueMember,memberUid eq
olcDbIndex: memberOf eq
olcDbIndex: entryUUID eq
olcSizeLimit: size.soft=500 size.hard=500 size.prtotal=unlimited
olcRequires: authc
olcAccess: {0}to attrs=userPassword by self write by anonymous auth by * none
olcAccess: {1}to * by users read by * none

dn: olcOverlay={0}memberof,olcDatabase={1}mdb,cn=config
objectClass: olcOverlayConfig
objectClass: olcMemberOf
olcOverlay: {0}memberof
olcMemberOfRefInt: TRUE
olcMemberOfDangling: ignore
olcMemberOfGroupOC: groupOfNames
olcMemberOfMemberAD: member
olcMemberOfMemberOfAD: memberOf

dn: olcOverlay={1}ppolicy,olcDatabase={1}mdb,cn=config
objectClass: olcOverlayConfig
objectClass: olcPPolicyConfig
olcOverlay: {1}ppolicy
olcPPolicyUseLockout: TRUE
EOF
}

write_data_ldif() {
  local pw=$1 svc_pw=$2 u uid rdn cn sn gn num i n
  cat <<EOF
dn: $BASE
objectClass: top
objectClass: dcObject
objectClass: organization
dc: kasm
o: kasm.core

dn: $ORG
objectClass: organizationalUnit
ou: MyOrg

dn: ou=Users,$ORG
objectClass: organizationalUnit
ou: Users

dn: ou=Groups,$ORG
objectClass: organizationalUnit
ou: Groups

dn: ou=UniqueGroups,$ORG
objectClass: organizationalUnit
ou: UniqueGroups

dn: ou=PosixGroups,$ORG
objectClass: organizationalUnit
ou: PosixGroups

dn: ou=Bulk,$ORG
objectClass: organizationalUnit
ou: Bulk

dn: ou=Policies,$BASE
objectClass: organizationalUnit
ou: Policies

dn: cn=lockout,ou=Policies,$BASE
objectClass: organizationalRole
objectClass: pwdPolicy
cn: lockout
pwdAttribute: userPassword
pwdLockout: TRUE
pwdMaxFailure: 0
pwdLockoutDuration: 0

dn: $SVC_DN
objectClass: organizationalRole
objectClass: simpleSecurityObject
cn: ldap_service_account
description: bind account used for searches
userPassword: $svc_pw

EOF
  for u in "${USERS[@]}"; do
    IFS='|' read -r uid rdn cn sn gn num <<<"$u"
    cat <<EOF
dn: $rdn,ou=Users,$ORG
objectClass: inetOrgPerson
objectClass: posixAccount
uid: $uid
cn: $cn
sn: $sn
givenName: $gn
displayName: $cn
mail: $uid@kasm.core
uidNumber: $num
gidNumber: 10000
homeDirectory: /home/$uid
loginShell: /bin/bash
userPassword: $pw
EOF
    if [ "$uid" = locked_user ]; then
      printf 'pwdPolicySubentry: cn=lockout,ou=Policies,%s\npwdAccountLockedTime: 000001010000Z\n' "$BASE"
    fi
    echo
  done
  for ((i = 1; i <= BULK_USERS; i++)); do
    n=$(printf '%04d' "$i")
    printf 'dn: uid=bulk_user_%s,ou=Bulk,%s\nobjectClass: inetOrgPerson\nuid: bulk_user_%s\ncn: bulk_user_%s\nsn: Bulk%s\nmail: bulk_user_%s@kasm.core\n\n' \
      "$n" "$ORG" "$n" "$n" "$n" "$n"
  done
  for ((i = 1; i <= BULK_GROUPS; i++)); do
    n=$(printf '%04d' "$i")
    printf 'dn: cn=bulk_group_%s,ou=Bulk,%s\nobjectClass: groupOfNames\ncn: bulk_group_%s\nmember: uid=many_groups_user,ou=Users,%s\n\n' \
      "$n" "$ORG" "$n" "$ORG"
  done
  printf 'dn: cn=big_group,ou=Groups,%s\nobjectClass: groupOfNames\ncn: big_group\ndescription: all %s bulk users\n' "$ORG" "$BULK_USERS"
  for ((i = 1; i <= BULK_USERS; i++)); do
    printf 'member: uid=bulk_user_%04d,ou=Bulk,%s\n' "$i" "$ORG"
  done
  echo

  # groupOfNames (memberof overlay maintains memberOf on members), then the copies
  printf 'dn: cn=kasm_group_1,ou=Groups,%s\nobjectClass: groupOfNames\ncn: kasm_group_1\ndescription: mapped to LDAP Group 1\n' "$ORG"
  for uid in "${KG1_MEMBERS[@]}"; do printf 'member: %s\n' "$(user_dn "$uid")"; done
  echo
  printf 'dn: cn=all_kasm_app_users,ou=Groups,%s\nobjectClass: groupOfNames\ncn: all_kasm_app_users\ndescription: everyone allowed into the app\n' "$ORG"
  printf 'member: cn=kasm_group_1,ou=Groups,%s\nmember: %s\nmember: cn=bulk_group_0001,ou=Bulk,%s\n\n' "$ORG" "$(user_dn test_user_2)" "$ORG"

  printf 'dn: cn=kasm_group_1,ou=UniqueGroups,%s\nobjectClass: groupOfUniqueNames\ncn: kasm_group_1\n' "$ORG"
  for uid in "${KG1_MEMBERS[@]}"; do printf 'uniqueMember: %s\n' "$(user_dn "$uid")"; done
  echo
  printf 'dn: cn=all_kasm_app_users,ou=UniqueGroups,%s\nobjectClass: groupOfUniqueNames\ncn: all_kasm_app_users\n' "$ORG"
  printf 'uniqueMember: cn=kasm_group_1,ou=UniqueGroups,%s\nuniqueMember: %s\n\n' "$ORG" "$(user_dn test_user_2)"

  printf 'dn: cn=kasm_group_1,ou=PosixGroups,%s\nobjectClass: posixGroup\ncn: kasm_group_1\ngidNumber: 20001\n' "$ORG"
  for uid in "${KG1_MEMBERS[@]}"; do printf 'memberUid: %s\n' "$uid"; done
  echo
  printf 'dn: cn=all_kasm_app_users,ou=PosixGroups,%s\nobjectClass: posixGroup\ncn: all_kasm_app_users\ngidNumber: 20000\n' "$ORG"
  printf 'memberUid: test_user_1\nmemberUid: test_user_2\n\n'
}

# uid -> DN exactly as slapd returns it (it re-escapes special characters as hex: "cn=Doe\2C Jane")
declare -A SERVER_DN=()
read_server_dns() {
  local filter="(|" u uid line dn=""
  for u in "${USERS[@]}"; do filter+="(uid=${u%%|*})"; done
  filter+=")"
  while IFS= read -r line; do
    case "$line" in
      "dn:: "*) dn=$(printf '%s' "${line#dn:: }" | base64 -d) ;;
      "dn: "*) dn=${line#dn: } ;;
      "uid: "*) SERVER_DN[${line#uid: }]=$dn ;;
    esac
  done < <(ldapsearch -LLL -o ldif-wrap=no -x -H "$LDAP_URL" -D "$ADMIN_DN" -w "$ADMIN_PW" \
             -b "ou=Users,$ORG" -s one "$filter" uid)
  for u in "${USERS[@]}"; do
    uid=${u%%|*}
    [ -n "${SERVER_DN[$uid]:-}" ] || fail "user $uid not found in the directory"
  done
}

write_env_json() {
  local tmp="$state/env.json.tmp" first=1 u uid dn i
  read_server_dns
  {
    printf '{\n'
    printf '  "name": "openldap",\n'
    printf '  "urls": { "ldap": %s, "ldaps": %s },\n' "$(json_str "$LDAP_URL")" "$(json_str "$LDAPS_URL")"
    printf '  "caFile": %s,\n' "$(json_str "$CA_FILE")"
    printf '  "baseDn": %s,\n' "$(json_str "$BASE")"
    printf '  "admin": { "dn": %s, "password": %s },\n' "$(json_str "$ADMIN_DN")" "$(json_str "$ADMIN_PW")"
    printf '  "serviceAccount": { "dn": %s, "password": %s },\n' "$(json_str "$SVC_DN")" "$(json_str "$SVC_PW")"
    printf '  "restrictedAccounts": {\n    "discloseOnly": { "dn": %s, "password": %s },\n' "$(json_str "$DISCLOSE_DN")" "$(json_str "$SVC_PW")"
    printf '    "sizeLimited": { "dn": %s, "password": %s, "sizeLimit": %d }\n  },\n' "$(json_str "$LIMITED_DN")" "$(json_str "$SVC_PW")" "$LIMITED_SIZE"
    printf '  "noTlsUrl": %s,\n' "$(json_str "$NOTLS_URL")"
    printf '  "users": {\n'
    for u in "${USERS[@]}"; do
      uid=${u%%|*}
      dn=${SERVER_DN[$uid]}
      [ $first = 1 ] || printf ',\n'
      first=0
      printf '    %s: { "dn": %s, "password": %s, "mail": %s }' \
        "$(json_str "$uid")" "$(json_str "$dn")" "$(json_str "$USER_PW")" "$(json_str "$uid@kasm.core")"
    done
    printf '\n  },\n'
    printf '  "groups": {\n    "all_kasm_app_users": %s,\n    "kasm_group_1": %s,\n    "big_group": %s\n  },\n' \
      "$(json_str "cn=all_kasm_app_users,ou=Groups,$ORG")" "$(json_str "cn=kasm_group_1,ou=Groups,$ORG")" \
      "$(json_str "cn=big_group,ou=Groups,$ORG")"
    printf '  "uniqueGroups": {\n    "all_kasm_app_users": %s,\n    "kasm_group_1": %s\n  },\n' \
      "$(json_str "cn=all_kasm_app_users,ou=UniqueGroups,$ORG")" "$(json_str "cn=kasm_group_1,ou=UniqueGroups,$ORG")"
    printf '  "posixGroups": {\n    "all_kasm_app_users": %s,\n    "kasm_group_1": %s\n  },\n' \
      "$(json_str "cn=all_kasm_app_users,ou=PosixGroups,$ORG")" "$(json_str "cn=kasm_group_1,ou=PosixGroups,$ORG")"
    printf '  "bulk": { "bigGroupMembers": %d, "manyGroupsCount": %d },\n' "$BULK_USERS" "$BULK_GROUPS"
    printf '  "deepNesting": { "user": "deep_user", "dn": %s, "password": %s, "groups": [' "$(json_str "$DEEP_USER_DN")" "$(json_str "$USER_PW")"
    for ((i = 1; i <= DEEP_LEVELS; i++)); do printf '%s%s' "$([ $i = 1 ] || echo ', ')" "$(json_str "$(deep_group $i)")"; done
    printf '] }\n'
    printf '}\n'
  } > "$tmp"
  mv -f "$tmp" "$state/env.json"
}

proc_alive() { [ -r "/proc/$1/stat" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }

# start_slapd <listen URLs> <cn=config dir> <log file> <answers-fn> <pid-fn>
# (the local logfile is what fail() prints: bash functions see their caller's locals)
start_slapd() {
  local urls=$1 dir=$2 logfile=$3 answers=$4 pid_fn=$5 deadline launched gone=0 i url
  url=${urls%% *}; url=${url%/}
  : >> "$logfile"
  echo "==== $(date -u +%FT%TZ) start.sh starting slapd" >> "$logfile"
  # setsid: own session, no controlling terminal (survives the calling shell and its Ctrl-C).
  # -d none: slapd stays in the foreground of that session and prints only its unconditional
  # messages (startup errors, "slapd starting") to the log; per-operation logging is off
  # (olcLogLevel 0). slapd writes its own PID file (olcPidFile).
  # Every inherited descriptor above 2 is closed first (our lock, a caller's pipes), so slapd
  # holds nothing of the caller's open.
  (
    for fd in /proc/self/fd/*; do
      fd=${fd##*/}
      if [ "$fd" -gt 2 ]; then eval "exec $fd>&-" 2>/dev/null || true; fi
    done
    exec setsid "$SLAPD" -h "$urls" -F "$dir" -d none </dev/null >>"$logfile" 2>&1
  ) &
  launched=$!
  deadline=$((SECONDS + START_TIMEOUT))
  until $answers; do
    if ! proc_alive "$launched" && ! $pid_fn >/dev/null; then
      # (setsid may have forked; give a forked slapd a moment to write its PID file)
      gone=$((gone + 1))
      [ $gone -lt 20 ] || fail "slapd exited during startup (see $logfile)"
    fi
    if [ $SECONDS -ge $deadline ]; then
      proc_alive "$launched" && kill "$launched" 2>/dev/null || true
      fail "slapd did not answer on $url within ${START_TIMEOUT}s"
    fi
    sleep 0.1
  done
  for i in 1 2 3 4 5 6 7 8 9 10; do $pid_fn >/dev/null && return 0; sleep 0.1; done
  fail "something answers on $url but it is not our slapd (no live PID from $dir): port taken by another server?"
}

write_notls_config_ldif() {
  local rootpw=$1
  cat <<EOF
dn: cn=config
objectClass: olcGlobal
cn: config
olcPidFile: $notls_pidfile
olcArgsFile: $notls/slapd.args
olcLogLevel: 0

dn: cn=schema,cn=config
objectClass: olcSchemaConfig
cn: schema

EOF
  write_frontend_and_config_db "$rootpw"
}

# The second slapd: no olcTLS* at all and no database, so StartTLS is refused with a real LDAP
# result (protocolError, "unsupported extended operation"). Built once, restarted when not running.
ensure_notls() {
  local pid deadline
  if pid=$(notls_pid); then
    deadline=$((SECONDS + START_TIMEOUT))
    until notls_answering; do
      [ $SECONDS -lt $deadline ] || { logfile=$notls_logfile; fail "slapd without TLS (pid $pid) is running but does not answer on $NOTLS_URL"; }
      sleep 0.1
    done
    return 0
  fi
  rm -f "$notls_pidfile"
  if [ ! -f "$notls_confdir/cn=config.ldif" ]; then
    rm -rf -- "$notls_confdir"
    mkdir -p "$notls_confdir"
    write_notls_config_ldif "$("$SLAPPASSWD" -h '{SSHA}' -s "$ADMIN_PW")" > "$notls/config.ldif"
    "$SLAPADD" -n0 -F "$notls_confdir" -l "$notls/config.ldif" >>"$notls_logfile" 2>&1 ||
      { logfile=$notls_logfile; fail "slapadd -n0 (cn=config of the slapd without TLS) failed"; }
  fi
  start_slapd "$NOTLS_URL/" "$notls_confdir" "$notls_logfile" notls_answering notls_pid
  log "started the slapd without TLS (pid $(notls_pid)) on $NOTLS_URL"
}

# The restricted service accounts and their ACL / limits, added to the running slapd when missing:
# a fresh build and a state dir made by an older start.sh end up the same. When everything is in
# place this costs two reads.
ensure_restricted_accounts() {
  local found config mods="" dn cn hash
  found=$(ldapsearch -LLL -o ldif-wrap=no -x -H "$LDAP_URL" -D "$ADMIN_DN" -w "$ADMIN_PW" -b "$ORG" -s one \
            "(objectClass=simpleSecurityObject)" 1.1) || fail "reading the service accounts failed"
  for dn in "$DISCLOSE_DN" "$LIMITED_DN"; do
    grep -qixF "dn: $dn" <<<"$found" && continue
    hash=${hash:-$("$SLAPPASSWD" -h '{SSHA}' -s "$SVC_PW")}
    cn=${dn%%,*}; cn=${cn#cn=}
    printf 'dn: %s\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\ncn: %s\ndescription: restricted on purpose, see NOTES.md\nuserPassword: %s\n' \
      "$dn" "$cn" "$hash" | ldapadd -x -H "$LDAP_URL" -D "$ADMIN_DN" -w "$ADMIN_PW" >/dev/null || fail "adding $dn failed"
    log "added $dn"
  done
  # slapd keeps both values exactly as written, behind an {index} prefix
  config=$(ldapsearch -LLL -o ldif-wrap=no -x -H "$LDAP_URL" -D cn=admin,cn=config -w "$ADMIN_PW" \
             -b "olcDatabase={1}mdb,cn=config" -s base olcAccess olcLimits | sed -E 's/^(olc[A-Za-z]+): \{[0-9]+\}/\1: /') ||
    fail "reading cn=config failed"
  # the ACL goes right after {0} (userPassword, so the account can still bind) and before "to *"
  grep -qxF "olcAccess: $DISCLOSE_ACL" <<<"$config" || mods+=$'add: olcAccess\nolcAccess: {1}'"$DISCLOSE_ACL"$'\n-\n'
  grep -qxF "olcLimits: $LIMITED_LIMITS" <<<"$config" || mods+=$'add: olcLimits\nolcLimits: '"$LIMITED_LIMITS"$'\n-\n'
  if [ -n "$mods" ]; then
    printf 'dn: olcDatabase={1}mdb,cn=config\nchangetype: modify\n%s' "$mods" |
      ldapmodify -x -H "$LDAP_URL" -D cn=admin,cn=config -w "$ADMIN_PW" >/dev/null || fail "changing olcAccess/olcLimits failed"
    log "set the ACL and size limit of the restricted service accounts"
  fi
}

# The directory sync looks users up by entryUUID, 200 at a time: unindexed, each look-up scans
# every entry. Added to a slapd started before the index was part of the configuration (slapd
# builds the index in the background).
ensure_entryuuid_index() {
  local indexes
  indexes=$(ldapsearch -LLL -o ldif-wrap=no -x -H "$LDAP_URL" -D cn=admin,cn=config -w "$ADMIN_PW" \
              -b "olcDatabase={1}mdb,cn=config" -s base olcDbIndex) || fail "reading cn=config failed"
  grep -qixF "olcDbIndex: entryUUID eq" <<<"$indexes" && return 0
  printf 'dn: olcDatabase={1}mdb,cn=config\nchangetype: modify\nadd: olcDbIndex\nolcDbIndex: entryUUID eq\n' |
    ldapmodify -x -H "$LDAP_URL" -D cn=admin,cn=config -w "$ADMIN_PW" >/dev/null || fail "adding the entryUUID index failed"
  log "added the entryUUID index"
}

deep_group() { printf 'cn=deep_group_%02d,%s' "$1" "$NESTING_OU"; }

# The deep nesting chain (DEEP_USER_DN, deep_group_01 … DEEP_LEVELS), added to the running slapd
# when missing, like the restricted accounts. In place: one read.
ensure_deep_nesting() {
  local top i
  top=$(ldapsearch -LLL -o ldif-wrap=no -x -H "$LDAP_URL" -D "$ADMIN_DN" -w "$ADMIN_PW" -b "$(deep_group "$DEEP_LEVELS")" -s base \
          "(member=$(deep_group $((DEEP_LEVELS - 1))))" 1.1 2>/dev/null | grep -c '^dn:' || true)
  [ "$top" = 1 ] && return 0
  {
    printf 'dn: %s\nobjectClass: organizationalUnit\nou: Nesting\ndescription: nesting deeper than the engine follows\n\n' "$NESTING_OU"
    printf 'dn: %s\nobjectClass: inetOrgPerson\nuid: deep_user\ncn: deep_user\nsn: Deep\nmail: deep_user@kasm.core\nuserPassword: %s\n\n' \
      "$DEEP_USER_DN" "$("$SLAPPASSWD" -h '{SSHA}' -s "$USER_PW")"
    printf 'dn: %s\nobjectClass: groupOfNames\ncn: deep_group_01\nmember: %s\n\n' "$(deep_group 1)" "$DEEP_USER_DN"
    for ((i = 2; i <= DEEP_LEVELS; i++)); do
      printf 'dn: %s\nobjectClass: groupOfNames\ncn: deep_group_%02d\nmember: %s\n\n' "$(deep_group $i)" "$i" "$(deep_group $((i - 1)))"
    done
  } | ldapadd -c -x -H "$LDAP_URL" -D "$ADMIN_DN" -w "$ADMIN_PW" >/dev/null 2>&1 || true   # -c: "Already exists" from an interrupted run
  top=$(ldapsearch -LLL -o ldif-wrap=no -x -H "$LDAP_URL" -D "$ADMIN_DN" -w "$ADMIN_PW" -b "$(deep_group "$DEEP_LEVELS")" -s base \
          "(member=$(deep_group $((DEEP_LEVELS - 1))))" 1.1 2>/dev/null | grep -c '^dn:' || true)
  [ "$top" = 1 ] || fail "adding the deep nesting chain under $NESTING_OU failed"
  log "added deep_user in $DEEP_LEVELS levels of nested groups"
}

# ---------------------------------------------------------------- main
SLAPD=$(PATH="$PATH:/usr/sbin:/sbin" command -v slapd) || { log "slapd not found (apt-get install slapd ldap-utils)"; exit 1; }
SLAPPASSWD=$(PATH="$PATH:/usr/sbin:/sbin" command -v slappasswd) || { log "slappasswd not found (apt-get install slapd)"; exit 1; }
command -v ldapadd >/dev/null || { log "ldapadd not found (apt-get install ldap-utils)"; exit 1; }

# one start.sh at a time per state dir (the lock file lives next to, not in, the wiped directory;
# slapd is started with fd 9 closed so it does not hold the lock)
mkdir -p "$DIRECTORY_STATE_DIR"
exec 9>"$DIRECTORY_STATE_DIR/.openldap.lock"
flock -w 60 9 || { log "another start.sh holds $DIRECTORY_STATE_DIR/.openldap.lock"; exit 1; }

if [ $fresh = 1 ]; then
  bash "$here/stop.sh"
  case "$state" in */openldap) rm -rf -- "$state" ;; *) log "refusing to wipe $state"; exit 1 ;; esac
fi

mkdir -p "$state" "$notls"
# Ubuntu's slapd package ships an enforcing AppArmor profile for /usr/sbin/slapd that only allows
# /etc/ldap, /var/lib/ldap, ... Where such a profile is loaded, run a private copy of the binary
# (the profile attaches by path) so slapd may use this state dir. (Debian has no such profile.)
if [ -r /sys/kernel/security/apparmor/profiles ] &&
   grep -qE "^$SLAPD \((enforce|kill)\)" /sys/kernel/security/apparmor/profiles 2>/dev/null; then
  mkdir -p "$state/bin"
  cmp -s "$SLAPD" "$state/bin/slapd" || cp -f "$SLAPD" "$state/bin/slapd"
  ln -sfn slapd "$state/bin/slapadd"   # slapd acts as slapadd when called by that name
  SLAPD="$state/bin/slapd"
  log "AppArmor profile for slapd is enforced: using a private copy, $SLAPD"
fi
SLAPADD="$(dirname "$SLAPD")/slapadd"
CERT_FILE=$(bash "$here/../ca.sh" issue openldap "$HOST")
KEY_FILE="${CERT_FILE%.crt}.key"
CA_FILE="$(dirname "$CERT_FILE")/ca.pem"

# Already running?
if pid=$(our_pid); then
  deadline=$((SECONDS + START_TIMEOUT))
  until answering; do
    [ $SECONDS -lt $deadline ] || fail "slapd (pid $pid) is running but does not answer on $LDAP_URL"
    sleep 0.1
  done
  if [ -f "$marker" ]; then
    ensure_restricted_accounts
    ensure_deep_nesting
    ensure_entryuuid_index
    ensure_notls
    write_env_json
    log "already running (pid $pid) on $LDAP_URL and $LDAPS_URL"
    exit 0
  fi
  log "running without a complete data load: restarting from scratch"
  bash "$here/stop.sh"
fi
rm -f "$pidfile"

if [ -f "$marker" ] && [ -d "$confdir" ] && [ -f "$datadir/data.mdb" ]; then
  start_slapd "$LDAP_URL/ $LDAPS_URL/" "$confdir" "$logfile" answering our_pid
  log "started (pid $(our_pid)) with existing data on $LDAP_URL and $LDAPS_URL"
else
  # Clean build: cn=config via slapadd -n0, then the data via ldapadd while slapd runs
  # (so the memberof overlay sees every group add).
  rm -rf -- "$confdir" "$datadir" "$marker" "$state/env.json" "$state"/*.ldif
  mkdir -p "$confdir" "$datadir"
  admin_hash=$("$SLAPPASSWD" -h '{SSHA}' -s "$ADMIN_PW")
  user_hash=$("$SLAPPASSWD" -h '{SSHA}' -s "$USER_PW")
  svc_hash=$("$SLAPPASSWD" -h '{SSHA}' -s "$SVC_PW")
  write_config_ldif "$admin_hash" > "$state/config.ldif"
  "$SLAPADD" -n0 -F "$confdir" -l "$state/config.ldif" >>"$logfile" 2>&1 || fail "slapadd -n0 (cn=config) failed"
  write_data_ldif "$user_hash" "$svc_hash" > "$state/data.ldif"
  start_slapd "$LDAP_URL/ $LDAPS_URL/" "$confdir" "$logfile" answering our_pid
  t0=$SECONDS
  if ! ldapadd -x -H "$LDAP_URL" -D "$ADMIN_DN" -w "$ADMIN_PW" -f "$state/data.ldif" >"$state/ldapadd.out" 2>&1; then
    tail -n 20 "$state/ldapadd.out" >&2
    bash "$here/stop.sh" || true
    fail "loading $state/data.ldif with ldapadd failed (output in $state/ldapadd.out)"
  fi
  date -u +%FT%TZ > "$marker"
  rm -f "$state/ldapadd.out"
  log "started (pid $(our_pid)) and loaded $(grep -c '^dn: ' "$state/data.ldif") entries in $((SECONDS - t0))s on $LDAP_URL and $LDAPS_URL"
fi
ensure_restricted_accounts
ensure_deep_nesting
ensure_entryuuid_index
ensure_notls
write_env_json
