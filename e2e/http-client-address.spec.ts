import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { ADMIN, expect, test } from "./fixtures";
import { httpLogin } from "./support/http-login";
import { startPortal as startPortalInstance, type PortalInstance } from "./support/portal-instances";
import { TEST_RUNNER_NODE_OPTION } from "./support/test-server";

/**
 * The per-address sign-in brake counts the socket's address, not what the client claims.
 * These tests start their own portals (`npm start`, own port and data directory) with a low
 * LOGIN_THROTTLE_ADDRESS_LIMIT, so the shared test server keeps its settings.
 */
const ADDRESS_LIMIT = 3;

/** A portal of this spec's own, ready to serve; its administrator is the fixtures' ADMIN. */
async function startPortal(settings: Record<string, string>): Promise<PortalInstance> {
  const portal = await startPortalInstance("http", {
    ADMIN_USERNAME: ADMIN.username,
    ADMIN_PASSWORD: ADMIN.password,
    LOGIN_THROTTLE_ADDRESS_LIMIT: String(ADDRESS_LIMIT),
    LOGIN_THROTTLE_USER_LIMIT: "1000",
    ...settings,
  });
  await portal.ready;
  return portal;
}

/** The administrator's sign-in over HTTP with extra request headers; NextAuth's error or "ok". */
async function signIn(baseURL: string, password: string, headers: Record<string, string>): Promise<string> {
  const { error } = await httpLogin(baseURL, ADMIN.username, password, headers);
  return error ?? "ok";
}

/** The portal's sign-in audit events, oldest first, read through lib/db in a process of their own. */
function loginAudit(dataDir: string): Array<{ outcome: string; clientAddress: string; reason?: string }> {
  const script = "e2e/support/print-audit-events.ts";
  const args = [TEST_RUNNER_NODE_OPTION, "--import", "tsx", script, dataDir, "login"];
  const output = execFileSync(process.execPath, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const events = JSON.parse(output) as Array<{ action: string; outcome: string; details: string }>;
  return events
    .filter((event) => event.action === "login")
    .map((event) => ({
      outcome: event.outcome,
      ...(JSON.parse(event.details) as { clientAddress: string; reason?: string }),
    }));
}

const fileMode = (file: string) => fs.statSync(file).mode & 0o777;

test.describe("a portal with no trusted proxies", () => {
  let portal: PortalInstance;
  test.beforeAll(async () => {
    test.setTimeout(180_000);
    portal = await startPortal({});
  });
  test.afterAll(async () => portal?.stop());

  test("a client rotating X-Forwarded-For and X-Real-IP gets no extra sign-in attempts", async () => {
    const outcomes: string[] = [];
    for (let attempt = 1; attempt <= ADDRESS_LIMIT + 3; attempt += 1) {
      outcomes.push(
        await signIn(portal.baseURL, "not-the-password", {
          "X-Forwarded-For": `198.51.100.${attempt}`,
          "X-Real-IP": `203.0.113.${attempt}`,
          "X-Portal-Client-Address": `192.0.2.${attempt}`,
        }),
      );
    }
    const refusedAsGuesses = outcomes.filter((outcome) => !/too many/i.test(outcome));
    expect(refusedAsGuesses.length, outcomes.join("\n")).toBeLessThanOrEqual(ADDRESS_LIMIT);
    expect(outcomes.at(-1)).toMatch(/too many/i);
    // Every attempt is recorded against the socket's address, whatever the headers said.
    const audit = loginAudit(portal.dataDir);
    expect(audit.length).toBeGreaterThan(0);
    expect(new Set(audit.map((row) => row.clientAddress))).toEqual(new Set(["127.0.0.1"]));
  });

  test("keeps the data directory, database and secrets private", async () => {
    expect(fileMode(portal.dataDir)).toBe(0o700);
    const files = fs
      .readdirSync(portal.dataDir)
      .filter((name) => name.startsWith("portal.db") || name === "secrets.json");
    expect(files).toEqual(expect.arrayContaining(["portal.db", "secrets.json"]));
    for (const file of files) expect([file, fileMode(path.join(portal.dataDir, file))]).toEqual([file, 0o600]);
  });
});

test.describe("a portal behind a listed proxy (TRUSTED_PROXIES=127.0.0.1)", () => {
  let portal: PortalInstance;
  test.beforeAll(async () => {
    test.setTimeout(180_000);
    portal = await startPortal({ TRUSTED_PROXIES: "127.0.0.1" });
  });
  test.afterAll(async () => portal?.stop());

  test("records the forwarded address, the right-most one the proxy did not vouch for", async () => {
    expect(await signIn(portal.baseURL, ADMIN.password, { "X-Forwarded-For": "203.0.113.9" })).toBe("ok");
    // A client's own X-Forwarded-For arrives first in the chain; the proxy appends the real peer.
    expect(await signIn(portal.baseURL, ADMIN.password, { "X-Forwarded-For": "198.51.100.66, 203.0.113.10" })).toBe(
      "ok",
    );
    expect(await signIn(portal.baseURL, ADMIN.password, { "X-Real-IP": "2001:DB8::0:11" })).toBe("ok");
    expect(await signIn(portal.baseURL, "not-the-password", { "X-Forwarded-For": "::ffff:203.0.113.12" })).not.toBe(
      "ok",
    );
    expect(loginAudit(portal.dataDir).map((row) => [row.outcome, row.clientAddress])).toEqual([
      ["success", "203.0.113.9"],
      ["success", "203.0.113.10"],
      ["success", "2001:db8::11"],
      ["failure", "203.0.113.12"],
    ]);
  });

  test("counts the brake per forwarded client, so one client behind the proxy does not lock out the others", async () => {
    for (let attempt = 1; attempt <= ADDRESS_LIMIT + 1; attempt += 1)
      await signIn(portal.baseURL, "not-the-password", { "X-Forwarded-For": "198.51.100.200" });
    expect(await signIn(portal.baseURL, "not-the-password", { "X-Forwarded-For": "198.51.100.200" })).toMatch(
      /too many/i,
    );
    expect(await signIn(portal.baseURL, ADMIN.password, { "X-Forwarded-For": "198.51.100.201" })).toBe("ok");
  });
});
