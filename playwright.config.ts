import { defineConfig } from "@playwright/test";
import {
  ADMIN,
  serverNodeOptions,
  TEST_BASE_URL,
  TEST_DATA_DIR,
  TEST_ON_POSTGRES,
  TEST_DATABASE_URL,
  TEST_PORT,
  TEST_RUNNER_NODE_OPTION,
  USER_THROTTLE_LIMIT,
} from "./e2e/support/test-server";

/**
 * Browser tests run against a production build served by `npm start` on a fresh database in
 * .e2e-data/ (wiped by scripts/test.sh). Debian's Chromium stands in for Playwright's download.
 */
const port = TEST_PORT;
export const baseURL = TEST_BASE_URL;

// The test workers arrange and inspect data through lib/db (e2e/support/portal-database.ts),
// whose modules import "server-only": they run under the react-server condition. The workers
// inherit this process's environment; the web server gets NODE_OPTIONS without it (below).
const inheritedNodeOptions = serverNodeOptions();
process.env.NODE_OPTIONS = `${inheritedNodeOptions} ${TEST_RUNNER_NODE_OPTION}`.trim();

/**
 * On PostgreSQL (E2E_DATABASE_URL) the suite runs what the database takes part in. Left out: the
 * HTTP layer's specs (headers, body limits, redirects, client address: the server in front of any
 * database), form validation refused before anything is stored, the specs that start PostgreSQL
 * portals of their own (they ran in the SQLite pass already), and the long flows whose every
 * query the integration suite runs on PostgreSQL (two-factor: lib/two-factor/integration;
 * configuration as code: lib/config-document/integration; the admin home's counts:
 * lib/observability/integration), which keeps `npm test` well under 20 minutes.
 */
const DATABASE_INDEPENDENT_SPECS = [
  /http-[a-z-]+\.spec\.ts$/,
  /ldap-config-validation\.spec\.ts$/,
  /two-instances-postgres\.spec\.ts$/,
  /postgres-outage\.spec\.ts$/,
  /two-factor\.spec\.ts$/,
  /configuration-as-code\.spec\.ts$/,
  /admin-home\.spec\.ts$/,
];

export default defineConfig({
  testDir: "e2e",
  testIgnore: TEST_ON_POSTGRES ? DATABASE_INDEPENDENT_SPECS : [],
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  projects: [{ name: "specs", testMatch: /\.spec\.ts$/ }],
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  webServer: {
    command: "node scripts/start.mjs",
    url: `${baseURL}/api/health`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      NODE_OPTIONS: inheritedNodeOptions,
      HOST: "127.0.0.1",
      PORT: String(port),
      DATA_DIR: TEST_DATA_DIR,
      DATABASE_URL: TEST_DATABASE_URL,
      ADMIN_USERNAME: ADMIN.username,
      ADMIN_PASSWORD: ADMIN.password,
      // Every test signs in from 127.0.0.1: the per-address brake would lock the whole suite out.
      LOGIN_THROTTLE_ADDRESS_LIMIT: "10000",
      // Attempts in flight count against the limit: the concurrency test signs one account in
      // 25 times at once. The throttle test uses the same number (USER_THROTTLE_LIMIT).
      LOGIN_THROTTLE_USER_LIMIT: String(USER_THROTTLE_LIMIT),
    },
  },
});
