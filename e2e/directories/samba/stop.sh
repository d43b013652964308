#!/usr/bin/env bash
# Stop the test Samba AD DC started by start.sh: SIGTERM to the PID recorded in
# $DIRECTORY_STATE_DIR/samba/samba.pid, wait for it to exit (SIGKILL after 15 s).
# The data stays; `start.sh --fresh` wipes it. Exit 0 when nothing of ours is running.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
state="${DIRECTORY_STATE_DIR:-$repo/.directories}/samba"
pidfile="$state/samba.pid"

log() { echo "samba: $*" >&2; }
# alive = exists and is not a zombie (PID 1 of a container may never reap it)
alive() { # the process state follows the last ')' of /proc/PID/stat (comm may hold spaces)
  local st
  st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) || return 1
  [ -n "$st" ] && [ "${st%% *}" != Z ]
}

[ -f "$pidfile" ] || { log "not running (no $pidfile)"; exit 0; }
pid=$(cat "$pidfile" 2>/dev/null || true)
if ! [[ $pid =~ ^[0-9]+$ ]] || ! alive "$pid"; then
  log "not running (stale $pidfile)"
  rm -f "$pidfile"
  exit 0
fi
# Only signal the PID if it is still a samba process (PIDs get reused).
if ! grep -q samba "/proc/$pid/cmdline" 2>/dev/null; then
  log "pid $pid is not samba any more; removing the stale $pidfile"
  rm -f "$pidfile"
  exit 0
fi

kill -TERM "$pid" 2>/dev/null || true
for ((i = 0; i < 150; i++)); do
  alive "$pid" || break
  sleep 0.1
done
if alive "$pid"; then
  log "pid $pid ignored SIGTERM for 15 s; sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    alive "$pid" || break
    sleep 0.1
  done
fi
if alive "$pid"; then
  log "pid $pid is still running"
  exit 1
fi
rm -f "$pidfile" "$state/env.json"
log "stopped (pid $pid)"
