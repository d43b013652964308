#!/usr/bin/env bash
# `npm test`: lint, formatting, type-check, unit tests, integration tests against real directory
# servers and databases, and browser tests against a production build on a fresh database.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

step() { printf '\n=== %s ===\n' "$1"; }

step "System packages"
bash scripts/install-system-packages.sh

# The directory servers and PostgreSQL start in the background (minutes, mostly waiting on Samba)
# while the checks that need neither run.
step "Directory servers and PostgreSQL: starting in the background (log: .test-logs/servers.log)"
mkdir -p .test-logs
(bash e2e/directories/start-all.sh && bash e2e/postgres/start.sh) >.test-logs/servers.log 2>&1 &
servers=$!

step "Lint"
npx eslint .

step "Formatting (Prettier; npm run format fixes it)"
npx prettier --check . --log-level warn

step "Type-check"
npm run -s typecheck

step "Unit tests"
npx vitest run

step "Directory servers and PostgreSQL"
servers_ok=0
wait "$servers" || servers_ok=$?
cat .test-logs/servers.log
[ "$servers_ok" = 0 ] || { echo "Starting the directory servers or PostgreSQL failed (exit $servers_ok)." >&2; exit 1; }

step "Integration tests (real directory servers, SQLite and PostgreSQL)"
npx vitest run --config vitest.integration.config.ts

step "Production build"
npx next build

step "Browser tests (SQLite)"
rm -rf .e2e-data
npx playwright test

# What the database takes part in, again on a fresh PostgreSQL database (playwright.config.ts
# lists the specs left out and why).
step "Browser tests (PostgreSQL)"
rm -rf .e2e-data-postgres
browser_database=$(node e2e/postgres/fresh-database.mjs portal_e2e_browser)
E2E_DATABASE_URL=$browser_database E2E_PORT=3101 npx playwright test
