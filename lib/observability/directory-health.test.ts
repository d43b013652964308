import { describe, expect, it } from "vitest";
import { directoryHealth, SYNC_UNREACHABLE, type HealthFacts } from "./directory-health";

const at = new Date(Date.UTC(2026, 11, 8, 9, 30));
const facts = (overrides: Partial<HealthFacts>): HealthFacts => ({
  url: "ldaps://dc1.kasm.core",
  lastTest: null,
  lastSync: null,
  lastUrl: null,
  lastFailoverAt: null,
  ...overrides,
});

describe("a configuration's directory health", () => {
  it("is unknown without a test, a sync or a connection", () => {
    expect(directoryHealth(facts({})).status).toBe("unknown");
  });

  it("is healthy when the last test passed and the first URL answers", () => {
    const health = directoryHealth(
      facts({
        lastTest: { at, ok: true, summary: "test_user_1@kasm.core: OK" },
        lastUrl: { url: "ldaps://dc1.kasm.core", at },
      }),
    );
    expect(health.status).toBe("healthy");
    expect(health.reasons.join(" ")).toContain("passed");
  });

  it("is degraded while a failover URL answers, or when the last sync or test did not go through", () => {
    const failover = directoryHealth(facts({ lastUrl: { url: "ldaps://dc2.kasm.core", at } }));
    expect(failover).toMatchObject({ status: "degraded" });
    expect(failover.reasons[0]).toMatch(/Failover in use: ldaps:\/\/dc2\.kasm\.core answered/);
    expect(directoryHealth(facts({ lastSync: { outcome: "held", reason: "Too many", at } })).status).toBe("degraded");
    expect(
      directoryHealth(facts({ lastSync: { outcome: "failed", reason: "The sync stopped: boom", at } })).status,
    ).toBe("degraded");
    const test = directoryHealth(facts({ lastTest: { at, ok: false, summary: "user: invalid_credentials" } }));
    expect(test.status).toBe("degraded");
    expect(test.reasons[0]).toContain("invalid_credentials");
  });

  it("is down when the last sync could not reach the directory", () => {
    const health = directoryHealth(
      facts({
        lastTest: { at, ok: true, summary: null },
        lastSync: { outcome: "failed", reason: `${SYNC_UNREACHABLE}, so nothing was changed: refused`, at },
      }),
    );
    expect(health.status).toBe("down");
    expect(health.reasons[0]).toContain("could not reach the directory");
  });
});
