import { randomBytes } from "node:crypto";
import type { Browser, BrowserContext } from "@playwright/test";
import { ADMIN, directorySetup, expect, LdapConfigurationsPage, LoginPage, test } from "./fixtures";
import { openLoginPage } from "./support/http-login";
import {
  createPostgresDatabase,
  signIn,
  startPortal,
  type PortalInstance,
  type TestPostgresDatabase,
} from "./support/portal-instances";
import { TEST_ON_POSTGRES } from "./support/test-server";

/**
 * Operations: the admin home's chart and health, the LDAP list's badges, /metrics and the log,
 * on a portal of this spec's own (`npm start` with METRICS_TOKEN and a one-second statistics
 * flush, on PostgreSQL in the PostgreSQL pass), so its log can be read and its settings differ
 * from the shared test server's. A second portal without METRICS_TOKEN, behind a trusted proxy
 * address, shows /metrics' loopback rule.
 */
const setup = directorySetup("openldap");
const CONFIG = "Home OpenLDAP";
const BROKEN = "Service Password Wrong";
const USER = { login: "test_user_1@kasm.core", password: setup.env.users.test_user_1!.password };
const WRONG_PASSWORDS = ["Wrong-Password-Home-1", "Wrong-Password-Home-2"];
const METRICS_TOKEN = randomBytes(24).toString("hex");

test.describe.configure({ mode: "serial" });

let database: TestPostgresDatabase | undefined;
let portal: PortalInstance;
let loopbackOnly: PortalInstance;
let sessionCookie = "";
let requestIdOfRefusal = "";

async function adminContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: portal.baseURL });
  await new LoginPage(await context.newPage()).signInAsAdmin();
  return context;
}

/** The portal's JSON log lines (npm start's own lines are plain text). */
function logLines(instance: PortalInstance): Record<string, unknown>[] {
  return instance
    .output()
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

test.beforeAll(async () => {
  test.setTimeout(300_000);
  database = TEST_ON_POSTGRES ? await createPostgresDatabase() : undefined;
  const common = { ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password };
  portal = await startPortal("home", {
    ...common,
    ...(database ? { DATABASE_URL: database.url } : {}),
    METRICS_TOKEN,
    STATS_FLUSH_SECONDS: "1",
    LOGIN_THROTTLE_ADDRESS_LIMIT: "10000",
  });
  loopbackOnly = await startPortal("metrics-loopback", { ...common, TRUSTED_PROXIES: "127.0.0.1" });
  await Promise.all([portal.ready, loopbackOnly.ready]);
});

test.afterAll(async () => {
  await Promise.all([portal?.stop(), loopbackOnly?.stop()]);
  await database?.drop();
});

test("sign-ins and tests of the directory show on the admin home and the LDAP list", async ({ browser }) => {
  test.setTimeout(180_000);
  const context = await adminContext(browser);
  try {
    const page = await context.newPage();
    const ldap = new LdapConfigurationsPage(page);
    await ldap.create(CONFIG, setup);
    const tested = await ldap.testConnection(CONFIG, USER.login, USER.password);
    await expect(tested.getByRole("status").filter({ hasText: "Success" })).toBeVisible();
    await ldap.create(BROKEN, setup, { serviceAccountPassword: "not-the-service-password", enabled: false });
    await ldap.testConnection(BROKEN, USER.login, USER.password);

    // Through the directory: one success (its cookie is kept to look for it in the log), one
    // refusal whose response's request id is kept; locally: the administrator's wrong password.
    const signedIn = await signIn(portal.baseURL, USER.login, USER.password);
    expect(signedIn.outcome).toBe("ok");
    sessionCookie = signedIn.sessionCookie!.split("=").slice(1).join("=");
    const { csrfToken, cookie } = await openLoginPage(portal.baseURL);
    const refused = await fetch(`${portal.baseURL}/api/auth/callback/credentials`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie, "X-Request-Id": "client-chosen" },
      body: new URLSearchParams({ csrfToken, username: USER.login, password: WRONG_PASSWORDS[0]!, json: "true" }),
    });
    requestIdOfRefusal = refused.headers.get("x-request-id") ?? "";
    expect(requestIdOfRefusal).toMatch(/^[0-9a-f-]{36}$/);
    expect((await signIn(portal.baseURL, ADMIN.username, WRONG_PASSWORDS[1]!)).outcome).toBe(
      "Invalid username or password",
    );

    // Counted in memory, written every second (STATS_FLUSH_SECONDS=1): the chart shows them once
    // the flushes after the last sign-in are in, which one page load may precede.
    const chart = page.getByRole("img", { name: `Sign-ins per hour, last 24 hours: ${CONFIG}` });
    await expect(async () => {
      await page.goto("/admin");
      await expect(chart).toBeVisible({ timeout: 1000 });
      await expect(page.getByTestId("sign-in-chart-series").filter({ hasText: CONFIG })).toContainText(
        "1 succeeded · 1 failed",
        { timeout: 1000 },
      );
      // Local accounts: the administrator's sign-in in the browser, and the wrong password.
      await expect(page.getByTestId("sign-in-chart-series").filter({ hasText: "Local accounts" })).toContainText(
        "1 succeeded · 1 failed",
        { timeout: 1000 },
      );
    }).toPass({ timeout: 30_000 });
    await expect(chart.locator("rect[data-kind=success]").first()).toBeAttached();
    await expect(chart.locator("rect[data-kind=failure]").first()).toBeAttached();
    // The same numbers as text, hour by hour.
    await page.getByText("Sign-ins by hour as a table").click();
    const table = page.getByRole("table", { name: /Sign-ins per hour and configuration/ });
    await expect(table.getByRole("columnheader", { name: `${CONFIG}: succeeded` })).toBeVisible();
    await expect(table.getByRole("row")).toHaveCount(25);
    await expect(table.getByRole("cell", { name: "1", exact: true }).first()).toBeVisible();

    // Directory health: the working configuration answered on its first URL and passed its test.
    const health = page
      .getByTestId("directory-health")
      .filter({ has: page.getByRole("heading", { name: CONFIG, exact: true }) });
    await expect(health.getByTestId("health-badge")).toHaveAttribute("data-health", "healthy");
    await expect(health).toContainText("Passed");
    await expect(health).toContainText(setup.url);
    await expect(health).toContainText(/p95 LDAP latency≈ [\d.]+ ms \(\d+ operations\)/);
    const broken = page.getByTestId("directory-health").filter({ has: page.getByRole("heading", { name: BROKEN }) });
    await expect(broken.getByTestId("health-badge")).toHaveAttribute("data-health", "degraded");
    await expect(broken.getByTestId("health-badge")).toHaveAttribute("title", /The last test .* failed/);

    // The LDAP list: a badge per row, its reason in the title.
    await ldap.goto();
    await expect(ldap.row(CONFIG).getByTestId("health-badge")).toHaveAttribute("data-health", "healthy");
    await expect(ldap.row(CONFIG).getByTestId("health-badge")).toHaveText(/^Healthy/);
    await expect(ldap.row(BROKEN).getByTestId("health-badge")).toHaveAttribute("data-health", "degraded");
    await expect(ldap.row(BROKEN).getByTestId("health-badge")).toHaveAttribute("title", /service_bind_failed/);
  } finally {
    await context.close();
  }
});

test("/metrics answers the bearer of METRICS_TOKEN and nobody else", async () => {
  const metrics = (headers: Record<string, string> = {}) => fetch(`${portal.baseURL}/metrics`, { headers });
  const refusedHeaders: Record<string, string>[] = [
    {},
    { Authorization: "Bearer not-the-token" },
    { Authorization: `Basic ${METRICS_TOKEN}` },
  ];
  for (const headers of refusedHeaders) {
    const refused = await metrics(headers);
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toMatch(/^Bearer/);
    const body = await refused.text();
    expect(body).not.toContain("ldap_portal_");
    expect(body).not.toMatch(/\d/);
  }
  const answered = await metrics({ Authorization: `Bearer ${METRICS_TOKEN}` });
  expect(answered.status).toBe(200);
  expect(answered.headers.get("content-type")).toContain("text/plain");
  const text = await answered.text();
  expect(text).toContain(`ldap_portal_sign_ins_total{result="success",config="${CONFIG}"} 1`);
  expect(text).toContain(`ldap_portal_sign_ins_total{result="failure",config="${CONFIG}"} 1`);
  expect(text).toContain('ldap_portal_sign_ins_total{result="failure",config="local"} 1');
  expect(text).toMatch(
    new RegExp(`ldap_portal_ldap_operation_seconds_count\\{config="${CONFIG}",operation="bind"\\} \\d+`),
  );
  expect(text).toContain("process_cpu_seconds_total");
  // The sign-in's protection does not apply: no redirect to /login.
  expect(answered.redirected).toBe(false);
});

test("without METRICS_TOKEN, /metrics answers this machine only, by the socket's address", async () => {
  const local = await fetch(`${loopbackOnly.baseURL}/metrics`);
  expect(local.status).toBe(200);
  expect(await local.text()).toContain("ldap_portal_sign_ins_total");
  // Through the trusted proxy on 127.0.0.1, for a client elsewhere: the client is not local.
  const forwarded = await fetch(`${loopbackOnly.baseURL}/metrics`, { headers: { "X-Forwarded-For": "203.0.113.7" } });
  expect(forwarded.status).toBe(401);
  expect(await forwarded.text()).not.toContain("ldap_portal_");
});

test("the log has one line per sign-in and never a password, the bind secret, a session or the token", async () => {
  const signIns = logLines(portal).filter((line) => line.event === "sign_in");
  expect(signIns.length).toBeGreaterThanOrEqual(4);
  for (const line of signIns) {
    expect(line).toMatchObject({
      level: "info",
      component: "sign-in",
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      config: expect.any(String),
      outcome: expect.stringMatching(/^(success|failure)$/),
      durationMs: expect.any(Number),
    });
    expect(line).toHaveProperty("code");
  }
  expect(signIns).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ login: USER.login, config: CONFIG, outcome: "success", code: null }),
      expect.objectContaining({
        login: ADMIN.username,
        config: "local",
        outcome: "failure",
        code: "invalid_credentials",
      }),
    ]),
  );
  // The refusal's line carries the id the server gave its request, not the one the client sent.
  expect(signIns.filter((line) => line.requestId === requestIdOfRefusal)).toEqual([
    expect.objectContaining({ login: USER.login, config: CONFIG, outcome: "failure", code: "invalid_credentials" }),
  ]);
  expect(signIns.some((line) => line.requestId === "client-chosen")).toBe(false);

  const output = portal.output();
  expect(sessionCookie.length).toBeGreaterThan(20);
  for (const secret of [
    USER.password,
    ...WRONG_PASSWORDS,
    ADMIN.password,
    setup.env.serviceAccount.password,
    "not-the-service-password",
    sessionCookie,
    METRICS_TOKEN,
  ])
    expect(output.includes(secret), `the log contains ${secret.slice(0, 4)}…`).toBe(false);
});
