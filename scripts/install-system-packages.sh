#!/usr/bin/env bash
# Installs the Debian packages the tests need when they are missing (Chromium for Playwright,
# the three directory servers, PostgreSQL). Needs root, as on CI and the development machines.
set -euo pipefail
packages=(chromium postgresql slapd ldap-utils samba samba-ad-dc samba-ad-provision 389-ds-base libnss3-tools openssl)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "All system packages present."
  exit 0
fi
echo "Installing: ${missing[*]}"
# Package scripts must not start system-wide daemons: the tests start their own on loopback.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
echo "Installed."
