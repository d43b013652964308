import { spawn } from "node:child_process";
import { ADMIN, expect, test, TEST_DATA_DIR, TEST_DATABASE_URL, UsersPage, type PortalDatabase } from "./fixtures";

/**
 * The portal always keeps an enabled administrator, and the bootstrap administrator is not
 * resurrected by a restart. The tests run in order and share a second administrator.
 *
 * The first test disables the suite's administrator for a while: it acts as the second
 * administrator, in a session of its own; the stored administrator session works again once
 * the account is enabled (every request reads the account's state).
 */
test.describe.configure({ mode: "serial" });

const SECOND = { username: `safety-admin-${Date.now()}@portal.local`, password: "Safety-Admin-Password-1" };
const LAST = /is the last enabled administrator; make another user an administrator first\./;
let secondId = "";
/** Enabled administrators left by other specs, disabled while this spec needs a known set. */
let parked: string[] = [];

async function enabledAdministrators(database: PortalDatabase) {
  return (await database.enabledAdministrators()).map((user) => user.username);
}

test.beforeAll(async ({ database }) => {
  secondId = await database.createLocalUser(SECOND.username, SECOND.password, { administrator: true });
});

test.afterAll(async ({ database }) => {
  // Whatever happened above, the suite's administrator is enabled and an administrator again.
  const adminId = await database.userId(ADMIN.username);
  await database.makeAdministrator(adminId);
  await database.setDisabled(adminId, false);
  for (const id of parked) await database.setDisabled(id, false);
  await database.deleteUser(secondId);
});

test("the last enabled administrator cannot demote, disable or delete themselves; the Users page says why", async ({
  signInElsewhere,
  database,
}) => {
  parked = (await database.enabledAdministrators())
    .filter((user) => user.username !== ADMIN.username && user.username !== SECOND.username)
    .map((user) => user.id);
  for (const id of parked) await database.setDisabled(id, true);

  const page = await signInElsewhere(SECOND.username, SECOND.password);
  await expect(page.getByRole("navigation", { name: "Admin" })).toBeVisible();
  const usersPage = new UsersPage(page);

  // While another administrator remains, one may disable the other.
  await usersPage.open(ADMIN.username);
  await page.getByRole("button", { name: "Disable account" }).click();
  await expect(page.getByRole("status").filter({ hasText: `${ADMIN.username} is disabled` })).toBeVisible();
  expect(await enabledAdministrators(database)).toEqual([SECOND.username]);

  // Now SECOND is the last one: a disabled administrator does not count.
  await page.goto("/admin/users");
  const row = page.getByTestId("user-row").filter({ hasText: SECOND.username });
  await row.getByRole("button", { name: `Remove ${SECOND.username} from Administrators` }).click();
  await expect(row.getByRole("alert")).toHaveText(LAST);
  await expect(row.getByRole("alert")).toContainText(`${SECOND.username} is the last enabled administrator`);

  await usersPage.open(SECOND.username);
  await page.getByRole("button", { name: "Disable account" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "You cannot disable your own account" })).toHaveText(LAST);
  await page.getByRole("button", { name: "Delete user" }).click();
  const dialog = page.getByRole("dialog", { name: `Delete ${SECOND.username}?` });
  await dialog.getByRole("button", { name: "Delete user" }).click();
  await expect(dialog.getByRole("alert")).toHaveText(LAST);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  expect(await enabledAdministrators(database)).toEqual([SECOND.username]);

  // The refusals are audited with their reason.
  const refusals = (await database.auditEvents())
    .filter((event) => event.actor === SECOND.username && event.outcome === "failure")
    .reverse();
  expect(refusals.map((event) => [event.action, JSON.parse(event.details).reason])).toEqual([
    ["membership.remove", "self_last_administrator"],
    ["user.disable", "self_last_administrator"],
    ["user.delete", "self_last_administrator"],
  ]);

  await usersPage.open(ADMIN.username);
  await page.getByRole("button", { name: "Enable account" }).click();
  await expect(page.getByTestId("user-status")).toHaveText("Active");
});

test("with another enabled administrator, one removes the other from Administrators", async ({
  adminPage: page,
  database,
}) => {
  await page.goto("/admin/users");
  const row = page.getByTestId("user-row").filter({ hasText: SECOND.username });
  await row.getByRole("button", { name: `Remove ${SECOND.username} from Administrators` }).click();
  await expect(row.getByTestId("user-membership").filter({ hasText: "Administrators" })).toHaveCount(0);
  expect(await enabledAdministrators(database)).not.toContain(SECOND.username);
  expect(await enabledAdministrators(database)).toContain(ADMIN.username);
});

test("a restart does not bring back a bootstrap administrator that was renamed", async ({ baseURL, database }) => {
  test.setTimeout(120_000);
  // The account this instance would bootstrap is renamed away; administrators exist.
  const renamed = SECOND.username.replace("safety-admin-", "safety-renamed-");
  await database.renameUser(secondId, renamed);

  // A second server process on the same database: its start runs the bootstrap (instrumentation.ts).
  // `next start` itself: scripts/start.mjs would first migrate, which waits on the running server.
  const port = Number(new URL(baseURL!).port) + 7;
  const server = spawn(
    process.execPath,
    ["node_modules/next/dist/bin/next", "start", "-H", "127.0.0.1", "-p", String(port)],
    {
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      // Only what a start needs: the test runner's own variables (NODE_OPTIONS…) stay out.
      env: {
        NODE_ENV: "production",
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATA_DIR: TEST_DATA_DIR,
        DATABASE_URL: TEST_DATABASE_URL,
        ADMIN_USERNAME: SECOND.username,
        ADMIN_PASSWORD: "Restart-Admin-Password-1",
      },
    },
  );
  let output = "";
  server.stdout.on("data", (chunk: Buffer) => (output += chunk));
  server.stderr.on("data", (chunk: Buffer) => (output += chunk));
  const exited = new Promise((resolve) => server.once("exit", resolve));
  try {
    await expect
      .poll(async () => (await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => undefined))?.status, {
        timeout: 90_000,
        intervals: [500],
      })
      .toBe(200);
  } catch (error) {
    throw new Error(`The second instance did not become healthy:\n${output}`, { cause: error });
  } finally {
    if (server.exitCode === null) process.kill(-server.pid!, "SIGTERM");
    await exited;
  }
  expect(await database.findUser(SECOND.username)).toBeNull();
  const created = (await database.auditEvents("user")).filter((event) => event.action === "user.create");
  expect(created.filter((event) => event.target === SECOND.username)).toEqual([]);
});
