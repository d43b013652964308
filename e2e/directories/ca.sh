#!/usr/bin/env bash
# Test certificate authority for the directory servers started by the tests.
#   ca.sh            create the CA once (state/ca/ca.pem, ca.key)
#   ca.sh issue NAME IP [DNS]   issue state/ca/NAME.crt + NAME.key for IP (and DNS), signed by the CA
# Idempotent: existing files are kept. State lives in $DIRECTORY_STATE_DIR (default <repo>/.directories).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
state=${DIRECTORY_STATE_DIR:-$(cd "$here/../.." && pwd)/.directories}
dir="$state/ca"
mkdir -p "$dir"

if [ ! -f "$dir/ca.pem" ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=LDAP Portal Test CA" \
    -keyout "$dir/ca.key" -out "$dir/ca.pem" 2>/dev/null
fi

if [ "${1:-}" = issue ]; then
  name=$2 ip=$3 dns=${4:-}
  if [ ! -f "$dir/$name.crt" ]; then
    san="IP:$ip"; [ -n "$dns" ] && san="$san,DNS:$dns"
    openssl req -newkey rsa:2048 -nodes -subj "/CN=${dns:-$ip}" \
      -keyout "$dir/$name.key" -out "$dir/$name.csr" 2>/dev/null
    printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\n' "$san" > "$dir/$name.ext"
    openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial \
      -days 825 -extfile "$dir/$name.ext" -out "$dir/$name.crt" 2>/dev/null
    rm -f "$dir/$name.csr" "$dir/$name.ext"
  fi
  echo "$dir/$name.crt"
fi
