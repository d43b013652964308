/**
 * Failover URLs against real OpenLDAP and Samba: connection-level failures move on to the next URL,
 * authentication failures never do, and a URL that answered is remembered.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { authenticate, closeAllPools, diagnose } from "../index";
import { USER_PASSWORD, hostPort, lower, openldap, openldapConfig, sambaDocConfig } from "./directory-configs";
import { closedPort, countingProxy, silentListener, timed, type TestServer } from "./network-faults";

const CONNECT_TIMEOUT_MS = 1_500;
const env = openldap();

afterAll(closeAllPools);

let silent: TestServer;
beforeEach(async () => {
  // A new silent listener per test: a new port, so a new configuration and no remembered URL.
  silent = await silentListener();
});
afterEach(async () => {
  await closeAllPools();
  await silent.close();
});

const connectSteps = (
  steps: { name: string; ok: boolean; detail: Record<string, unknown>; error?: { code: string } }[],
) =>
  steps
    .filter((step) => step.name === "connect")
    .map((step) => ({ url: step.detail.url, ok: step.ok, code: step.error?.code }));

describe("failover to the next URL on connection failures", () => {
  it("a closed port first, the real server second: signs in, quickly", async () => {
    const port = await closedPort();
    const config = openldapConfig("groupOfNames", {
      url: `ldap://127.0.0.1:${port}`,
      failoverUrls: [env.urls.ldap],
      connectTimeoutMs: CONNECT_TIMEOUT_MS,
    });
    const { value: result, ms } = await timed(() => authenticate(config, "test_user_1@kasm.core", USER_PASSWORD));
    expect(result.ok, JSON.stringify(!result.ok && result.error)).toBe(true);
    expect(ms).toBeLessThan(CONNECT_TIMEOUT_MS);
    const d = await diagnose(
      { ...config, connectTimeoutMs: CONNECT_TIMEOUT_MS + 1 },
      "test_user_1@kasm.core",
      USER_PASSWORD,
    );
    expect(d.ok).toBe(true);
    expect(connectSteps(d.steps)[0]).toEqual({
      url: `ldap://127.0.0.1:${port}`,
      ok: false,
      code: "connection_refused",
    });
    expect(connectSteps(d.steps)[1]).toEqual({ url: env.urls.ldap, ok: true, code: undefined });
  });

  it("a silent listener first, the real server second: signs in within about one connect timeout", async () => {
    const config = openldapConfig("groupOfNames", {
      url: silent.url,
      failoverUrls: [env.urls.ldap],
      connectTimeoutMs: CONNECT_TIMEOUT_MS,
      operationTimeoutMs: 30_000,
    });
    const { value: result, ms } = await timed(() => authenticate(config, "test_user_1@kasm.core", USER_PASSWORD));
    expect(result.ok, JSON.stringify(!result.ok && result.error)).toBe(true);
    if (result.ok)
      expect(lower(result.value.groups)).toEqual(lower([env.groups.kasm_group_1!, env.groups.all_kasm_app_users!]));
    expect(ms).toBeGreaterThanOrEqual(CONNECT_TIMEOUT_MS - 50);
    // one timeout, not one per pooled connection (service + user bind) nor an operation timeout
    expect(ms).toBeLessThan(CONNECT_TIMEOUT_MS * 2 - 200);
    expect(silent.connections).toBe(1);

    // The healthy URL is remembered: the next login (fresh connections in diagnose) pays no timeout.
    const { value: d, ms: again } = await timed(() => diagnose(config, "test_user_2@kasm.core", USER_PASSWORD));
    expect(d.ok, JSON.stringify(d.error)).toBe(true);
    expect(again).toBeLessThan(CONNECT_TIMEOUT_MS);
    expect(connectSteps(d.steps).every((step) => step.url === env.urls.ldap && step.ok)).toBe(true);
    expect(silent.connections).toBe(1);
  });

  it("diagnose shows the timed-out URL, then the one that answered; the user bind goes straight to the latter", async () => {
    const config = openldapConfig("groupOfNames", {
      url: silent.url,
      failoverUrls: [env.urls.ldap],
      connectTimeoutMs: CONNECT_TIMEOUT_MS,
    });
    const { value: d, ms } = await timed(() => diagnose(config, "test_user_1@kasm.core", USER_PASSWORD));
    expect(d.ok, JSON.stringify(d.error)).toBe(true);
    expect(connectSteps(d.steps)).toEqual([
      { url: silent.url, ok: false, code: "timeout" },
      { url: env.urls.ldap, ok: true, code: undefined },
      { url: env.urls.ldap, ok: true, code: undefined },
    ]);
    expect(ms).toBeLessThan(CONNECT_TIMEOUT_MS * 2 - 200);
  });

  it("a certificate problem on the first URL (ldaps://localhost: hostname mismatch) moves on to the next", async () => {
    const port = hostPort(env.urls.ldaps).port;
    const config = openldapConfig("groupOfNames", {
      url: `ldaps://localhost:${port}`,
      startTls: false,
      failoverUrls: [env.urls.ldaps],
    });
    const d = await diagnose(config, "test_user_1@kasm.core", USER_PASSWORD);
    expect(d.ok, JSON.stringify(d.error)).toBe(true);
    expect(connectSteps(d.steps).slice(0, 2)).toEqual([
      { url: `ldaps://localhost:${port}`, ok: false, code: "certificate_hostname_mismatch" },
      { url: env.urls.ldaps, ok: true, code: undefined },
    ]);
  });

  it("every URL down: the last URL's error is reported", async () => {
    const [a, b] = [await closedPort(), await closedPort()];
    const result = await authenticate(
      openldapConfig("groupOfNames", { url: `ldap://127.0.0.1:${a}`, failoverUrls: [`ldap://127.0.0.1:${b}`] }),
      "test_user_1",
      USER_PASSWORD,
    );
    expect(!result.ok && result.error.code).toBe("connection_refused");
    expect(!result.ok && result.error.detail).toContain(`127.0.0.1:${b}`);
  });
});

describe("authentication failures never fail over", () => {
  const failoverTo = () => [silent.url];

  it("a wrong service password on the first URL: service_bind_failed, the second URL is never contacted", async () => {
    const config = openldapConfig("groupOfNames", {
      failoverUrls: failoverTo(),
      serviceAccountPassword: "Wrong-Service-Password",
      connectTimeoutMs: CONNECT_TIMEOUT_MS,
    });
    const { value: result, ms } = await timed(() => authenticate(config, "test_user_1", USER_PASSWORD));
    expect(!result.ok && result.error.code).toBe("service_bind_failed");
    expect(ms).toBeLessThan(CONNECT_TIMEOUT_MS);
    expect(silent.connections).toBe(0);
  });

  it("a wrong user password on the first URL: invalid_credentials, the second URL is never contacted", async () => {
    // (Samba keeps the default, long connect timeout: on a busy machine it may answer slowly, and a
    // real timeout on the first URL would rightly fail over.)
    for (const config of [
      openldapConfig("groupOfNames", { failoverUrls: failoverTo(), connectTimeoutMs: CONNECT_TIMEOUT_MS }),
      sambaDocConfig({ failoverUrls: [silent.url.replace("ldap://", "ldaps://")] }),
    ]) {
      const result = await authenticate(config, "test_user_1@kasm.core", "Wrong-Password-000");
      expect(!result.ok && result.error.code, config.url).toBe("invalid_credentials");
      const d = await diagnose(config, "test_user_1@kasm.core", "Wrong-Password-000");
      expect(d.error?.code).toBe("invalid_credentials");
    }
    expect(silent.connections).toBe(0);
  });

  it("user_not_found and user_not_allowed on the first URL: the second is never contacted", async () => {
    const config = openldapConfig("groupOfNames", { failoverUrls: failoverTo(), connectTimeoutMs: CONNECT_TIMEOUT_MS });
    const missing = await authenticate(config, "nobody@kasm.core", USER_PASSWORD);
    expect(!missing.ok && missing.error.code).toBe("user_not_found");
    const denied = await authenticate(config, "test_user_3@kasm.core", USER_PASSWORD);
    expect(!denied.ok && denied.error.code).toBe("user_not_allowed");
    expect(silent.connections).toBe(0);
  });

  it("counted on the wire: a wrong password opens connections to the first URL only", async () => {
    const first = await countingProxy(hostPort(env.urls.ldap));
    const second = await countingProxy(hostPort(env.urls.ldap));
    try {
      const config = openldapConfig("groupOfNames", { url: first.url, failoverUrls: [second.url] });
      const result = await authenticate(config, "test_user_1", "Wrong-Password-000");
      expect(!result.ok && result.error.code).toBe("invalid_credentials");
      expect(first.connections).toBeGreaterThan(0);
      expect(second.connections).toBe(0);
    } finally {
      await closeAllPools();
      await first.close();
      await second.close();
    }
  });
});
