#!/usr/bin/env bash
# Starts a PostgreSQL 15 of the tests' own on loopback (port 5439, state in .postgres/), once:
# a second start finds it running. Writes .postgres/env.json with its DATABASE_URL.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
state=${POSTGRES_STATE_DIR:-$root/.postgres}
port=${POSTGRES_TEST_PORT:-5439}
bin=/usr/lib/postgresql/15/bin
password=portal-test
as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$1"; else bash -c "$1"; fi; }

if [ ! -x "$bin/pg_ctl" ]; then
  echo "PostgreSQL 15 is not installed: run scripts/install-system-packages.sh" >&2
  exit 1
fi
mkdir -p "$state"
[ "$(id -u)" = 0 ] && chown postgres "$state"
if [ ! -f "$state/data/PG_VERSION" ]; then
  printf '%s\n' "$password" > "$state/pwfile"
  [ "$(id -u)" = 0 ] && chown postgres "$state/pwfile"
  as_postgres "$bin/initdb -D '$state/data' -A scram-sha-256 --pwfile='$state/pwfile' -U portal >'$state/initdb.log' 2>&1"
  rm -f "$state/pwfile"
fi
if ! as_postgres "$bin/pg_ctl -D '$state/data' status" >/dev/null 2>&1; then
  as_postgres "$bin/pg_ctl -D '$state/data' -o \"-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories='$state' -c max_connections=200 -c fsync=off\" -l '$state/log' start -w" >/dev/null
fi
url="postgresql://portal:$password@127.0.0.1:$port"
printf '{"url":"%s","port":%s}\n' "$url" "$port" > "$state/env.json"
echo "postgres: running on 127.0.0.1:$port"
