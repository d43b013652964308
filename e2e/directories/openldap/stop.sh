#!/usr/bin/env bash
# Stop the private slapd started by start.sh: SIGTERM by the PID in its state dir, wait (bounded),
# SIGKILL as a last resort. Keeps the data (start.sh reuses it); removes env.json, which describes
# a running server only. Exit 0 when nothing of ours is running.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
state="$(realpath -m "${DIRECTORY_STATE_DIR:-$repo/.directories}")/openldap"
pidfile="$state/slapd.pid"
confdir="$state/slapd.d"
STOP_TIMEOUT=${OPENLDAP_STOP_TIMEOUT:-10}

# alive = exists and is not a zombie
alive() { [ -r "/proc/$1/stat" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }
# started with our cn=config directory
ours() { alive "$1" && tr '\0' ' ' < "/proc/$1/cmdline" 2>/dev/null | grep -qF -- "-F $confdir"; }

pids=()
if [ -s "$pidfile" ]; then
  pid=$(tr -dc '0-9' < "$pidfile")
  if [ -n "$pid" ] && ours "$pid"; then pids+=("$pid"); fi
fi
if [ ${#pids[@]} = 0 ]; then
  # PID file lost? Look for a slapd started with exactly our cn=config directory.
  for d in /proc/[0-9]*; do
    p=${d#/proc/}
    [ "$(cat "$d/comm" 2>/dev/null)" = slapd ] && ours "$p" && pids+=("$p")
  done
fi

rm -f "$state/env.json"
if [ ${#pids[@]} = 0 ]; then
  rm -f "$pidfile"
  echo "openldap: not running" >&2
  exit 0
fi

for pid in "${pids[@]}"; do
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + STOP_TIMEOUT))
  while alive "$pid"; do
    if [ $SECONDS -ge $deadline ]; then
      echo "openldap: slapd $pid did not stop in ${STOP_TIMEOUT}s, sending SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.2
      break
    fi
    sleep 0.1
  done
  echo "openldap: stopped slapd (pid $pid)" >&2
done
rm -f "$pidfile"
