import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { directoryEnv } from "@/e2e/directories/env";
import { freshPortal, storeConfig } from "@/lib/auth/integration/harness";
import { openldapConfig } from "@/lib/ldap/integration/directory-configs";

/**
 * What a sign-in against the real OpenLDAP leaves behind: the Prometheus counters and the LDAP
 * latency histogram move, the in-memory statistics count it and the flusher adds them to
 * DirectoryStat (several instances add up), and its one log line says who, where and how it
 * ended without any password. Runs on SQLite here and on PostgreSQL through
 * lib/db/integration/postgres/observability.int.test.ts.
 */
const CONFIG = "Metrics OpenLDAP";
const LOCAL = { username: "metrics-local@portal.local", password: "Local-Password-771" };
const WRONG = "Wrong-Password-482";
const env = () => directoryEnv("openldap");
const user = () => env().users.test_user_1!;

const lines: string[] = [];
let lib: {
  signIn: typeof import("@/lib/auth/login").signInWithPassword;
  metrics: typeof import("@/lib/observability/metrics").metrics;
  statsBuffer: typeof import("@/lib/observability/stats").statsBuffer;
  StatsBuffer: typeof import("@/lib/observability/stats").StatsBuffer;
  flush: typeof import("@/lib/observability/flusher").flushDirectoryStats;
  statsSince: typeof import("@/lib/db/directory-stats").directoryStatsSince;
  overview: typeof import("@/lib/observability/overview").adminOverview;
  runLdapTest: typeof import("@/lib/configurations/service").runLdapTest;
  engineConfigFor: typeof import("@/lib/db/ldap-configs").engineConfigFor;
};
let configId = "";

/** A sample's value in the registry (0 when it has none yet). */
async function sample(name: string, labels: Record<string, string>): Promise<number> {
  const metricName = name.replace(/_(count|sum)$/, "");
  const metric = lib.metrics().registry.getSingleMetric(metricName);
  if (!metric) throw new Error(`no metric ${metricName}`);
  const { values } = await metric.get();
  const found = values.find(
    (value) =>
      ((value as { metricName?: string }).metricName ?? metricName) === name &&
      Object.entries(labels).every(([key, expected]) => String(value.labels[key]) === expected),
  );
  return found?.value ?? 0;
}

const operations = ["connect", "bind", "search", "groups"] as const;
async function operationCounts(): Promise<Record<(typeof operations)[number], number>> {
  const counts = await Promise.all(
    operations.map((operation) => sample("ldap_portal_ldap_operation_seconds_count", { config: CONFIG, operation })),
  );
  return Object.fromEntries(operations.map((operation, index) => [operation, counts[index]!])) as never;
}

const signInLines = () =>
  lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.event === "sign_in");

beforeAll(async () => {
  await freshPortal("observability");
  configId = await storeConfig(CONFIG, openldapConfig());
  const { createLocalUser } = await import("@/lib/db/users");
  const { hashPassword } = await import("@/lib/auth/password");
  await createLocalUser({ username: LOCAL.username, passwordHash: await hashPassword(LOCAL.password) });
  const { createLogger, setLogger } = await import("@/lib/observability/logger.mjs");
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...chunk.toString().split("\n").filter(Boolean));
      done();
    },
  });
  setLogger(createLogger({ format: "json", level: "info", destination }));
  lib = {
    signIn: (await import("@/lib/auth/login")).signInWithPassword,
    metrics: (await import("@/lib/observability/metrics")).metrics,
    statsBuffer: (await import("@/lib/observability/stats")).statsBuffer,
    StatsBuffer: (await import("@/lib/observability/stats")).StatsBuffer,
    flush: (await import("@/lib/observability/flusher")).flushDirectoryStats,
    statsSince: (await import("@/lib/db/directory-stats")).directoryStatsSince,
    overview: (await import("@/lib/observability/overview")).adminOverview,
    runLdapTest: (await import("@/lib/configurations/service")).runLdapTest,
    engineConfigFor: (await import("@/lib/db/ldap-configs")).engineConfigFor,
  };
  // Whatever an earlier file of this process counted is not this test's.
  lib.statsBuffer().drain();
}, 60_000);

afterAll(async () => {
  const { closeAllPools } = await import("@/lib/ldap");
  await closeAllPools();
});

describe("a sign-in through the real directory", () => {
  it("moves the sign-in counter and the LDAP latency histogram of its configuration", async () => {
    const success = () => sample("ldap_portal_sign_ins_total", { result: "success", config: CONFIG });
    const failure = () => sample("ldap_portal_sign_ins_total", { result: "failure", config: CONFIG });
    const [successBefore, failureBefore, before] = [await success(), await failure(), await operationCounts()];

    const signedIn = await lib.signIn({
      username: "test_user_1@kasm.core",
      password: user().password,
      clientAddress: "192.0.2.10",
      requestId: "request-success-1",
    });
    expect(signedIn.ok).toBe(true);
    expect(await success()).toBe(successBefore + 1);
    const after = await operationCounts();
    // The first sign-in opens the pools' connections (connect and the service bind), then the
    // user's search, bind and group queries.
    expect(after.connect).toBeGreaterThan(before.connect);
    expect(after.bind).toBeGreaterThanOrEqual(before.bind + 2);
    expect(after.search).toBe(before.search + 1);
    expect(after.groups).toBeGreaterThan(before.groups);
    expect(await sample("ldap_portal_ldap_pool_connections", { config: CONFIG, pool: "service" })).toBe(1);

    // A wrong password: one more failure, one more bind, and no connection opened (pooled).
    const refused = await lib.signIn({
      username: "test_user_1@kasm.core",
      password: WRONG,
      clientAddress: "192.0.2.10",
      requestId: "request-failure-1",
    });
    expect(refused.ok).toBe(false);
    expect(await failure()).toBe(failureBefore + 1);
    const third = await operationCounts();
    expect(third.bind).toBe(after.bind + 1);
    expect(third.connect).toBe(after.connect);
    expect(
      await sample("ldap_portal_ldap_operation_seconds_sum", { config: CONFIG, operation: "bind" }),
    ).toBeGreaterThan(0);
  });

  it('counts local accounts under "local"', async () => {
    const local = (result: string) => sample("ldap_portal_sign_ins_total", { result, config: "local" });
    const [ok, failed] = [await local("success"), await local("failure")];
    expect((await lib.signIn({ ...LOCAL, clientAddress: "192.0.2.11" })).ok).toBe(true);
    expect((await lib.signIn({ ...LOCAL, password: WRONG, clientAddress: "192.0.2.11" })).ok).toBe(false);
    expect([await local("success"), await local("failure")]).toEqual([ok + 1, failed + 1]);
  });

  it("writes one log line per sign-in, with its request id and outcome and without any password", async () => {
    const byRequest = signInLines().filter((line) => String(line.requestId).startsWith("request-"));
    expect(byRequest).toEqual([
      expect.objectContaining({
        requestId: "request-success-1",
        login: "test_user_1@kasm.core",
        config: CONFIG,
        source: "ldap",
        outcome: "success",
        code: null,
        durationMs: expect.any(Number),
        clientAddress: "192.0.2.10",
        msg: "sign-in succeeded",
      }),
      expect.objectContaining({
        requestId: "request-failure-1",
        config: CONFIG,
        outcome: "failure",
        code: "invalid_credentials",
        durationMs: expect.any(Number),
      }),
    ]);
    // Without a request id (a caller outside HTTP) the line still has one.
    const local = signInLines().filter((line) => line.config === "local");
    expect(local).toHaveLength(2);
    for (const line of local) expect(line.requestId).toMatch(/^[0-9a-f-]{36}$/);

    // An administrator's test with the user's password, then everything logged so far.
    const config = await lib.engineConfigFor(configId);
    const report = await lib.runLdapTest(
      config!,
      configId,
      { username: "test_user_1@kasm.core", password: user().password },
      { actor: "admin@portal.local", configName: CONFIG },
    );
    expect(report.ok).toBe(true);
    const text = lines.join("\n");
    for (const secret of [user().password, WRONG, LOCAL.password, env().serviceAccount.password])
      expect(text).not.toContain(secret);
  });
});

describe("the per-hour statistics", () => {
  it("are added to DirectoryStat by each instance's flush, without counting anything twice", async () => {
    const since = new Date(Date.now() - 2 * 60 * 60_000);
    const rowOf = async (key: string) => (await lib.statsSince(since)).find((row) => row.configKey === key);
    // What the sign-ins above counted in this process.
    expect(await lib.flush()).toBeGreaterThan(0);
    const first = (await rowOf(configId))!;
    expect(first).toMatchObject({ successes: 1, failures: 1, lastUrl: openldapConfig().url });
    expect(first.latency.reduce((sum, count) => sum + count, 0)).toBeGreaterThan(4);
    expect(await rowOf("local")).toMatchObject({ successes: 1, failures: 1 });
    expect(await lib.flush()).toBe(0);

    // Two other instances flush at the same time: their counts add up.
    const now = Date.now();
    const instances = [new lib.StatsBuffer(), new lib.StatsBuffer()];
    for (const [index, buffer] of instances.entries()) {
      buffer.signIn(`ldap:${CONFIG}`, true, now);
      buffer.signIn(`ldap:${CONFIG}`, false, now);
      buffer.signIn(`ldap:${CONFIG}`, false, now);
      buffer.latency(`ldap:${CONFIG}`, 7, now);
      buffer.answered(`ldap:${CONFIG}`, `ldaps://replica-${index}.kasm.core`, true, now + index);
      // A configuration deleted meanwhile is left out.
      buffer.signIn("ldap:No Such Configuration", true, now);
    }
    await Promise.all(instances.map((buffer) => lib.flush(buffer)));
    const summed = (await rowOf(configId))!;
    expect(summed).toMatchObject({
      successes: first.successes + 2,
      failures: first.failures + 4,
      lastUrl: "ldaps://replica-1.kasm.core",
    });
    expect(summed.lastFailoverAt?.getTime()).toBe(now + 1);
    expect(summed.latency[3]).toBe(first.latency[3]! + 2);
    expect(instances.map((buffer) => buffer.size)).toEqual([0, 0]);

    // The admin home reads it: the chart's series and the configuration's health.
    const overview = await lib.overview();
    const series = overview.series.find((one) => one.key === configId)!;
    expect(series).toMatchObject({ label: CONFIG, successes: 3, failures: 5 });
    expect(series.hours).toHaveLength(24);
    const health = overview.configurations.find((config) => config.id === configId)!;
    expect(health.p95Ms).toBeGreaterThan(0);
    expect(health.urlInUse?.url).toBe("ldaps://replica-1.kasm.core");
    expect(health.health.status).toBe("degraded");
    expect(health.lastTest).toBeNull();
  });
});
