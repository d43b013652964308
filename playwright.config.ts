import { defineConfig } from "@playwright/test";

/**
 * Browser tests run against a production build served by `npm start` on a fresh database in
 * .e2e-data/ (wiped by scripts/test.sh). Debian's Chromium stands in for Playwright's download.
 */
const port = Number(process.env.E2E_PORT ?? 3100);
export const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
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
      HOST: "127.0.0.1",
      PORT: String(port),
      DATA_DIR: ".e2e-data",
      DATABASE_URL: "file:.e2e-data/portal.db",
      ADMIN_USERNAME: "admin@portal.local",
      ADMIN_PASSWORD: "E2e-Admin-Password-1",
      // Every test signs in from 127.0.0.1: the per-address brake would lock the whole suite out.
      LOGIN_THROTTLE_ADDRESS_LIMIT: "10000",
      // Attempts in flight count against the limit: the concurrency test signs one account in
      // 25 times at once. The throttle test uses the same number (e2e/support/pages.ts).
      LOGIN_THROTTLE_USER_LIMIT: "50",
    },
  },
});
