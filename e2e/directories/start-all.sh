#!/usr/bin/env bash
# Starts the three test directory servers in parallel (each start is idempotent).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# The CA first: the three starts would otherwise race to create it.
bash "$here/ca.sh"
pids=()
names=(samba openldap dirsrv)
logdir=$(mktemp -d)
for name in "${names[@]}"; do
  bash "$here/$name/start.sh" > "$logdir/$name.log" 2>&1 &
  pids+=($!)
done
failed=0
for i in "${!names[@]}"; do
  if wait "${pids[$i]}"; then
    echo "${names[$i]}: running"
  else
    echo "${names[$i]}: FAILED to start"; sed 's/^/  /' "$logdir/${names[$i]}.log"; failed=1
  fi
done
rm -rf "$logdir"
exit $failed
