/**
 * The portal the browser tests run against (`npm start`, started by playwright.config.ts), and
 * what the test processes need to know of it. The config and the fixtures both read this.
 */

/**
 * The database the suite runs on: SQLite in .e2e-data by default; with E2E_DATABASE_URL (a fresh
 * database of the test PostgreSQL, made by scripts/test.sh) that database, with .e2e-data-postgres
 * as the data directory. Both fresh for every run (scripts/test.sh wipes them).
 */
export const TEST_ON_POSTGRES = (process.env.E2E_DATABASE_URL ?? "").startsWith("postgres");
export const TEST_DATA_DIR = TEST_ON_POSTGRES ? ".e2e-data-postgres" : ".e2e-data";
export const TEST_DATABASE_URL = TEST_ON_POSTGRES ? process.env.E2E_DATABASE_URL! : `file:${TEST_DATA_DIR}/portal.db`;

/** The administrator the server creates on its first start. */
export const ADMIN = { username: "admin@portal.local", password: "E2e-Admin-Password-1" };

/** Where the test server listens (E2E_PORT, 3100 by default). */
export const TEST_PORT = Number(process.env.E2E_PORT ?? 3100);
export const TEST_BASE_URL = `http://127.0.0.1:${TEST_PORT}`;

/**
 * LOGIN_THROTTLE_USER_LIMIT of the test server. Attempts in flight count against the limit: the
 * concurrency test signs one account in 25 times at once, and the throttle test makes this many
 * failed attempts before the next one waits.
 */
export const USER_THROTTLE_LIMIT = 50;

/**
 * The Node option the test processes run with, and only they: lib/db modules start with
 * `import "server-only"`, which resolves to an empty module under the react-server condition
 * (as for `npm run ldap:test`). Servers the tests start must not inherit it.
 */
export const TEST_RUNNER_NODE_OPTION = "--conditions=react-server";

/** NODE_OPTIONS without the test runner's own option, for a server process a test starts. */
export function serverNodeOptions(nodeOptions = process.env.NODE_OPTIONS ?? ""): string {
  return nodeOptions
    .split(/\s+/)
    .filter((option) => option !== "" && option !== TEST_RUNNER_NODE_OPTION)
    .join(" ");
}
