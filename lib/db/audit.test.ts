import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, expect, it } from "vitest";

// Anonymous traffic must not grow the database without bound: capped fields, a per-address
// allowance of audit rows, and purges of what has expired. Real SQLite, migrated as at start.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "audit-"));
process.env.DATA_DIR = dir;
process.env.DATABASE_URL = `file:${path.join(dir, "portal.db")}`;

let audit: typeof import("./audit");
let maintenance: typeof import("./maintenance");
let client: typeof import("./client");

beforeAll(async () => {
  const { migrateDeploy } = await import("./migrate/index.mjs");
  await migrateDeploy({ databaseUrl: process.env.DATABASE_URL });
  audit = await import("./audit");
  maintenance = await import("./maintenance");
  client = await import("./client");
});

const failure = (address: string) => ({
  actor: "x@kasm.core",
  action: "login",
  target: "x@kasm.core",
  outcome: "failure" as const,
  details: { clientAddress: address },
});

it("cuts long texts and lists anywhere in an event", async () => {
  await audit.recordAudit({
    actor: "a".repeat(5000),
    action: "login",
    target: "t".repeat(5000),
    outcome: "failure",
    details: { nested: { value: "v".repeat(5000) }, list: Array.from({ length: 1000 }, (_, i) => `g${i}`) },
  });
  const event = await client
    .db()
    .auditEvent.findFirstOrThrow({ where: { action: "login", actor: { startsWith: "aaa" } } });
  expect(event.actor.length).toBeLessThan(audit.AUDIT_TEXT_MAX + 50);
  expect(event.target!.length).toBeLessThan(audit.AUDIT_TEXT_MAX + 50);
  const details = JSON.parse(event.details);
  expect(details.nested.value).toMatch(/… \(4000 more characters\)$/);
  expect(details.list).toHaveLength(audit.AUDIT_LIST_MAX + 1);
  expect(details.list.at(-1)).toBe("… 800 more");
});

it("logs 30 failed sign-ins per address and minute one by one and counts the rest in one summary", async () => {
  const minute = Date.UTC(2026, 0, 1, 9, 0);
  await Promise.all(
    Array.from({ length: 100 }, (_, i) =>
      audit.recordFailedSignIn(failure("198.51.100.7"), "198.51.100.7", minute + i * 100),
    ),
  );
  await audit.recordFailedSignIn(failure("198.51.100.8"), "198.51.100.8", minute);
  const rows = await client
    .db()
    .auditEvent.findMany({ where: { OR: [{ details: { contains: "198.51.100.7" } }, { target: "198.51.100.7" }] } });
  expect(rows.filter((row) => row.action === "login")).toHaveLength(30);
  const summaries = rows.filter((row) => row.action === "login.summary");
  expect(summaries).toHaveLength(1);
  expect(JSON.parse(summaries[0]!.details).notLoggedSeparately).toBe(70);
  // Another address has its own allowance; the next minute starts a new one.
  expect(
    await client.db().auditEvent.count({ where: { action: "login", details: { contains: "198.51.100.8" } } }),
  ).toBe(1);
  await audit.recordFailedSignIn(failure("198.51.100.7"), "198.51.100.7", minute + 60_000);
  expect(
    await client.db().auditEvent.count({ where: { action: "login", details: { contains: "198.51.100.7" } } }),
  ).toBe(31);
});

it("purges audit events past the retention, spent allowances and expired throttle rows", async () => {
  const now = Date.now();
  const day = 24 * 60 * 60_000;
  await client
    .db()
    .auditEvent.create({ data: { actor: "old", action: "login", outcome: "success", at: new Date(now - 400 * day) } });
  await client.db().auditEvent.create({
    data: { actor: "recent", action: "login", outcome: "success", at: new Date(now - 300 * day) },
  });
  await client.db().loginThrottle.createMany({
    data: [
      { key: "address:expired", failures: 3, windowStart: new Date(now - 10 * 60_000) },
      {
        key: "address:locked",
        failures: 30,
        windowStart: new Date(now - 10 * 60_000),
        lockedUntil: new Date(now + 60_000),
      },
      { key: "address:current", failures: 1, windowStart: new Date(now - 60_000) },
    ],
  });
  const purged = await maintenance.purgeExpired({ now, auditRetentionDays: 365, throttleWindowMs: 5 * 60_000 });
  expect(purged.auditEvents).toBe(1);
  expect(await client.db().auditEvent.count({ where: { actor: { in: ["old", "recent"] } } })).toBe(1);
  expect((await client.db().loginThrottle.findMany({ orderBy: { key: "asc" } })).map((row) => row.key)).toEqual([
    "address:current",
    "address:locked",
  ]);
  expect(await client.db().auditAllowance.count()).toBe(0);
});
