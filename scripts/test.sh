#!/usr/bin/env bash
# `npm test`: lint, formatting, type-check, unit tests, integration tests against real directory
# servers and databases, and browser tests against a production build on a fresh database.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

step() { printf '\n=== %s ===\n' "$1"; }

step "System packages"
bash scripts/install-system-packages.sh

step "Lint"
npx eslint .

step "Formatting (Prettier; npm run format fixes it)"
npx prettier --check . --log-level warn

step "Type-check"
npm run -s typecheck

step "Unit tests"
npx vitest run

step "Directory servers"
bash e2e/directories/start-all.sh

step "PostgreSQL"
bash e2e/postgres/start.sh

step "Integration tests (real directory servers, SQLite and PostgreSQL)"
npx vitest run --config vitest.integration.config.ts

step "Production build"
npx next build

step "Browser tests"
rm -rf .e2e-data
npx playwright test
