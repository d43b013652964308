#!/usr/bin/env bash
# Stop the test 389 Directory Server started by start.sh: SIGTERM to the PID recorded in its state
# dir, wait (bounded) for it to exit, SIGKILL as a last resort. Does nothing if it is not running.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
state_root=${DIRECTORY_STATE_DIR:-$repo/.directories}
pid_file=$state_root/dirsrv/var/run/dirsrv/slapd-kasm.pid   # written by ns-slapd -i

alive() { # our ns-slapd, not exited (an exited one may linger as a zombie until reaped)
  case $(ps -o comm=,stat= -p "$1" 2>/dev/null) in
    ns-slapd*Z*|"") return 1 ;;
    ns-slapd*) return 0 ;;
    *) return 1 ;;
  esac
}

[ -f "$pid_file" ] || exit 0
pid=$(tr -dc 0-9 < "$pid_file")
if [ -z "$pid" ] || ! alive "$pid"; then
  rm -f "$pid_file"   # stale
  exit 0
fi

kill -TERM "$pid"
for _ in $(seq 1 300); do   # ns-slapd flushes its database on shutdown: about 2-4 s
  alive "$pid" || { rm -f "$pid_file"; echo "dirsrv: stopped (pid $pid)" >&2; exit 0; }
  sleep 0.1
done
echo "dirsrv: pid $pid still running after 30 s, sending SIGKILL" >&2
kill -KILL "$pid" 2>/dev/null || true
for _ in $(seq 1 50); do
  alive "$pid" || { rm -f "$pid_file"; exit 0; }
  sleep 0.1
done
echo "dirsrv: pid $pid did not exit" >&2
exit 1
