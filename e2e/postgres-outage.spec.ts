import { ADMIN, expect, test } from "./fixtures";
import {
  createPostgresDatabase,
  sharedSecrets,
  signIn,
  startPortal,
  type PortalInstance,
  type TestPostgresDatabase,
} from "./support/portal-instances";
import { startTcpRelay, type TcpRelay } from "./support/tcp-relay";

/**
 * A PostgreSQL lost while the portal runs (its host goes away: open connections reset, new ones
 * refused), then back. The portal reaches the real test PostgreSQL through a relay this spec
 * cuts and restores; nothing is restarted.
 */
const UNAVAILABLE = "Sign-in is not available right now. Try again in a moment.";

let database: TestPostgresDatabase;
let relay: TcpRelay;
let portal: PortalInstance;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  database = await createPostgresDatabase();
  const url = new URL(database.url);
  relay = await startTcpRelay({ host: url.hostname, port: Number(url.port) });
  url.port = String(relay.port);
  portal = await startPortal("outage", {
    DATABASE_URL: url.toString(),
    ...sharedSecrets(),
    ADMIN_USERNAME: ADMIN.username,
    ADMIN_PASSWORD: ADMIN.password,
  });
  await portal.ready;
});

test.afterAll(async () => {
  await portal?.stop();
  await relay?.close();
  await database?.drop();
});

const probe = async (name: string) => {
  const response = await fetch(`${portal.baseURL}${name}`);
  return { status: response.status, body: await response.text() };
};
const health = () => probe("/api/health");

const profile = (cookie: string) =>
  fetch(`${portal.baseURL}/profile`, { headers: { Cookie: cookie }, redirect: "manual" });

test("a database lost while running: sign-in says so, readiness fails, and both come back without a restart", async ({
  page,
}) => {
  const before = await signIn(portal.baseURL, ADMIN.username, ADMIN.password);
  expect(before.outcome).toBe("ok");
  const cookie = before.sessionCookie!;
  const [name, value] = cookie.split(/=(.*)/s) as [string, string];
  await page.context().addCookies([{ name, value, url: portal.baseURL }]);
  await page.goto(`${portal.baseURL}/profile`);
  await expect(page.getByRole("heading", { name: "Profile" })).toBeVisible();

  await relay.cut();
  const started = Date.now();
  const during = await signIn(portal.baseURL, ADMIN.username, ADMIN.password);
  expect(during.outcome).toBe(UNAVAILABLE);
  // Within the connect timeout, not after a hang.
  expect(Date.now() - started).toBeLessThan(15_000);
  // Readiness fails within its timeout and says why without the driver's error; liveness holds,
  // so an orchestrator takes the instance out of rotation rather than restarting it.
  const unavailable = { status: 503, body: JSON.stringify({ status: "unavailable", reason: "database unreachable" }) };
  const probing = Date.now();
  expect(await probe("/api/health/ready")).toEqual(unavailable);
  expect(await health()).toEqual(unavailable);
  expect(Date.now() - probing).toBeLessThan(8_000);
  expect(await probe("/api/health/live")).toEqual({ status: 200, body: JSON.stringify({ status: "ok" }) });
  // A page of a signed-in user: an error page without the cause, never a stack trace.
  const failed = await profile(cookie);
  expect(failed.status).toBe(500);
  expect(await failed.text()).not.toMatch(/ECONNREFUSED|ECONNRESET|at .*\.js:\d+|PrismaClient|127\.0\.0\.1:\d+/);
  await page.reload();
  await expect(page.getByRole("heading", { name: "This page could not be shown" })).toBeVisible();
  await expect(page.locator("body")).not.toContainText(/ECONNREFUSED|ECONNRESET|Prisma|\.js:\d+/);

  await relay.restore();
  await expect.poll(async () => (await health()).status, { timeout: 20_000 }).toBe(200);
  expect(await probe("/api/health/ready")).toEqual({ status: 200, body: JSON.stringify({ status: "ok" }) });
  expect((await signIn(portal.baseURL, ADMIN.username, ADMIN.password)).outcome).toBe("ok");
  // The session made before the outage still works.
  expect((await profile(cookie)).status).toBe(200);
  await page.getByRole("button", { name: "Try again" }).click();
  await expect(page.getByRole("heading", { name: "Profile" })).toBeVisible();
  expect(portal.output()).not.toContain(ADMIN.password);
});
