#!/usr/bin/env bash
# Stop the private slapd started by start.sh, and its second slapd without TLS (state/notls):
# SIGTERM by the PID in each state dir, wait (bounded), SIGKILL as a last resort. Keeps the data
# (start.sh reuses it); removes env.json, which describes a running server only. Exit 0 when
# nothing of ours is running.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
state="$(realpath -m "${DIRECTORY_STATE_DIR:-$repo/.directories}")/openldap"
STOP_TIMEOUT=${OPENLDAP_STOP_TIMEOUT:-10}

# alive = exists and is not a zombie
alive() { [ -r "/proc/$1/stat" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }
# ours <pid> <confdir>: started with exactly that cn=config directory
ours() { alive "$1" && tr '\0' ' ' < "/proc/$1/cmdline" 2>/dev/null | grep -qF -- "-F $2 "; }

# stop_slapd <label> <pidfile> <confdir>
stop_slapd() {
  local label=$1 pidfile=$2 confdir=$3 pid p d deadline pids=()
  if [ -s "$pidfile" ]; then
    pid=$(tr -dc '0-9' < "$pidfile")
    if [ -n "$pid" ] && ours "$pid" "$confdir"; then pids+=("$pid"); fi
  fi
  if [ ${#pids[@]} = 0 ]; then
    # PID file lost? Look for a slapd started with exactly this cn=config directory.
    for d in /proc/[0-9]*; do
      p=${d#/proc/}
      [ "$(cat "$d/comm" 2>/dev/null)" = slapd ] && ours "$p" "$confdir" && pids+=("$p")
    done
  fi
  if [ ${#pids[@]} = 0 ]; then
    rm -f "$pidfile"
    echo "$label: not running" >&2
    return 0
  fi
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
    deadline=$((SECONDS + STOP_TIMEOUT))
    while alive "$pid"; do
      if [ $SECONDS -ge $deadline ]; then
        echo "$label: slapd $pid did not stop in ${STOP_TIMEOUT}s, sending SIGKILL" >&2
        kill -KILL "$pid" 2>/dev/null || true
        sleep 0.2
        break
      fi
      sleep 0.1
    done
    echo "$label: stopped slapd (pid $pid)" >&2
  done
  rm -f "$pidfile"
}

rm -f "$state/env.json"
stop_slapd openldap "$state/slapd.pid" "$state/slapd.d"
stop_slapd "openldap (no TLS)" "$state/notls/slapd.pid" "$state/notls/slapd.d"
