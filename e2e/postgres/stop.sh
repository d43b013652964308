#!/usr/bin/env bash
# Stops the tests' PostgreSQL by the PID in its postmaster.pid.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
state=${POSTGRES_STATE_DIR:-$root/.postgres}
pid=$(head -1 "$state/data/postmaster.pid" 2>/dev/null) || exit 0
kill -INT "$pid" 2>/dev/null || exit 0
for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || exit 0; sleep 0.1; done
echo "postgres ($pid) did not stop within 5 s" >&2
exit 1
