#!/usr/bin/env bash
# Stops the test directory servers by their PID files.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
for name in samba openldap dirsrv; do bash "$here/$name/stop.sh" || true; done
