import { spawn } from "node:child_process";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { createLocalUser, execute, queryAll } from "./support/db";
import { ADMIN, signIn, signInAsAdmin } from "./support/pages";

/**
 * The portal always keeps an enabled administrator, and the bootstrap administrator is not
 * resurrected by a restart. The tests run in order and share a second administrator.
 */
test.describe.configure({ mode: "serial" });

const SECOND = { username: `safety-admin-${Date.now()}@portal.local`, password: "Safety-Admin-Password-1" };
const LAST = /is the last enabled administrator; make another user an administrator first\./;
let secondId = "";
/** Enabled administrators left by other specs, disabled while this spec needs a known set. */
let parked: string[] = [];

function adminGroupId() {
  const [group] = queryAll<{ id: string }>(`SELECT id FROM "Group" WHERE systemKey = 'administrators'`);
  return group!.id;
}

function enabledAdministrators() {
  return queryAll<{ username: string }>(
    `SELECT DISTINCT u.username FROM User u JOIN GroupMembership m ON m.userId = u.id WHERE m.groupId = ? AND u.disabled = 0 ORDER BY u.username`,
    adminGroupId(),
  ).map((row) => row.username);
}

async function signInAs(browser: Browser, baseURL: string | undefined, username: string, password: string) {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await signIn(page, username, password);
  await expect(page.getByRole("navigation", { name: "Admin" })).toBeVisible();
  return { page, close: () => context.close() };
}

async function openUser(page: Page, username: string) {
  await page.goto("/admin/users");
  await page.getByTestId("user-row").filter({ hasText: username }).getByRole("link", { name: username }).click();
  await expect(page.getByRole("heading", { name: username, level: 1 })).toBeVisible();
}

test.beforeAll(async () => {
  secondId = await createLocalUser(SECOND.username, SECOND.password);
  execute("INSERT INTO GroupMembership (userId, groupId, origin, createdAt) VALUES (?, ?, 'manual', ?)", secondId, adminGroupId(), Date.now());
});

test.afterAll(() => {
  // Whatever happened above, the suite's administrator is enabled and an administrator again.
  execute("UPDATE User SET disabled = 0 WHERE username = ?", ADMIN.username);
  execute(
    "INSERT OR IGNORE INTO GroupMembership (userId, groupId, origin, createdAt) SELECT id, ?, 'manual', ? FROM User WHERE username = ?",
    adminGroupId(),
    Date.now(),
    ADMIN.username,
  );
  for (const id of parked) execute("UPDATE User SET disabled = 0 WHERE id = ?", id);
  execute("DELETE FROM User WHERE id = ?", secondId);
});

test("the last enabled administrator cannot demote, disable or delete themselves; the Users page says why", async ({ browser, baseURL }) => {
  parked = queryAll<{ id: string }>(
    `SELECT DISTINCT u.id FROM User u JOIN GroupMembership m ON m.userId = u.id WHERE m.groupId = ? AND u.disabled = 0 AND u.username NOT IN (?, ?)`,
    adminGroupId(),
    ADMIN.username,
    SECOND.username,
  ).map((row) => row.id);
  for (const id of parked) execute("UPDATE User SET disabled = 1 WHERE id = ?", id);

  const second = await signInAs(browser, baseURL, SECOND.username, SECOND.password);
  const { page } = second;

  // While another administrator remains, one may disable the other.
  await openUser(page, ADMIN.username);
  await page.getByRole("button", { name: "Disable account" }).click();
  await expect(page.getByRole("status").filter({ hasText: `${ADMIN.username} is disabled` })).toBeVisible();
  expect(enabledAdministrators()).toEqual([SECOND.username]);

  // Now SECOND is the last one: a disabled administrator does not count.
  await page.goto("/admin/users");
  const row = page.getByTestId("user-row").filter({ hasText: SECOND.username });
  await row.getByRole("button", { name: `Remove ${SECOND.username} from Administrators` }).click();
  await expect(row.getByRole("alert")).toHaveText(LAST);
  await expect(row.getByRole("alert")).toContainText(`${SECOND.username} is the last enabled administrator`);

  await openUser(page, SECOND.username);
  await page.getByRole("button", { name: "Disable account" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "You cannot disable your own account" })).toHaveText(LAST);
  await page.getByRole("button", { name: "Delete user" }).click();
  const dialog = page.getByRole("dialog", { name: `Delete ${SECOND.username}?` });
  await dialog.getByRole("button", { name: "Delete user" }).click();
  await expect(dialog.getByRole("alert")).toHaveText(LAST);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  expect(enabledAdministrators()).toEqual([SECOND.username]);

  // The refusals are audited with their reason.
  const refusals = queryAll<{ action: string; details: string }>(
    "SELECT action, details FROM AuditEvent WHERE actor = ? AND outcome = 'failure' ORDER BY at, rowid",
    SECOND.username,
  );
  expect(refusals.map((event) => [event.action, JSON.parse(event.details).reason])).toEqual([
    ["membership.remove", "self_last_administrator"],
    ["user.disable", "self_last_administrator"],
    ["user.delete", "self_last_administrator"],
  ]);

  await openUser(page, ADMIN.username);
  await page.getByRole("button", { name: "Enable account" }).click();
  await expect(page.getByTestId("user-status")).toHaveText("Active");
  await second.close();
});

test("with another enabled administrator, one removes the other from Administrators", async ({ page }) => {
  await signInAsAdmin(page);
  await page.goto("/admin/users");
  const row = page.getByTestId("user-row").filter({ hasText: SECOND.username });
  await row.getByRole("button", { name: `Remove ${SECOND.username} from Administrators` }).click();
  await expect(row.getByTestId("user-membership").filter({ hasText: "Administrators" })).toHaveCount(0);
  expect(enabledAdministrators()).not.toContain(SECOND.username);
  expect(enabledAdministrators()).toContain(ADMIN.username);
});

test("a restart does not bring back a bootstrap administrator that was renamed", async ({ baseURL }) => {
  test.setTimeout(120_000);
  // The account this instance would bootstrap is renamed away; administrators exist.
  const renamed = SECOND.username.replace("safety-admin-", "safety-renamed-");
  execute("UPDATE User SET username = ? WHERE id = ?", renamed, secondId);

  // A second server process on the same database: its start runs the bootstrap (instrumentation.ts).
  // `next start` itself: scripts/start.mjs would first migrate, which waits on the running server.
  const port = Number(new URL(baseURL!).port) + 7;
  const server = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-H", "127.0.0.1", "-p", String(port)], {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    // Only what a start needs: the test runner's own variables (NODE_OPTIONS…) stay out.
    env: {
      NODE_ENV: "production",
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATA_DIR: ".e2e-data",
      DATABASE_URL: "file:.e2e-data/portal.db",
      ADMIN_USERNAME: SECOND.username,
      ADMIN_PASSWORD: "Restart-Admin-Password-1",
    },
  });
  let output = "";
  server.stdout.on("data", (chunk: Buffer) => (output += chunk));
  server.stderr.on("data", (chunk: Buffer) => (output += chunk));
  const exited = new Promise((resolve) => server.once("exit", resolve));
  try {
    await expect
      .poll(async () => (await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => undefined))?.status, { timeout: 90_000, intervals: [500] })
      .toBe(200);
  } catch (error) {
    throw new Error(`The second instance did not become healthy:\n${output}`, { cause: error });
  } finally {
    if (server.exitCode === null) process.kill(-server.pid!, "SIGTERM");
    await exited;
  }
  expect(queryAll("SELECT username FROM User WHERE username = ?", SECOND.username)).toEqual([]);
  expect(queryAll("SELECT target FROM AuditEvent WHERE action = 'user.create' AND target = ?", SECOND.username)).toEqual([]);
});
