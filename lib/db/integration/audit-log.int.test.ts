import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseAuditFilters, type AuditFilters } from "@/lib/audit-export/filters";

/**
 * The Audit page's and the export's filtered reads against a real database migrated as at start
 * (SQLite here; PostgreSQL through lib/db/integration/postgres/audit-log.int.test.ts).
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "audit-log-"));
process.env.DATA_DIR = dir;
process.env.DATABASE_URL = `file:${path.join(dir, "portal.db")}`;

let auditLog: typeof import("../audit-log");
let db: typeof import("../client").db;

const T0 = Date.parse("2026-03-01T10:00:00Z");
const minutes = (n: number) => new Date(T0 + n * 60_000);

/** Events at fixed times: [minute, actor, action, outcome]. Three share minute 5. */
const EVENTS: [number, string, string, "success" | "failure"][] = [
  [0, "admin@portal.local", "group.create", "success"],
  [1, "admin@portal.local", "group.update", "failure"],
  [2, "test_user_1@kasm.core", "login", "success"],
  [3, "Test_User_1@KASM.core", "login", "failure"],
  [4, "system", "directory_sync.run", "success"],
  [5, "100%_sure@portal.local", "login", "failure"],
  [5, "x_y@portal.local", "login", "failure"],
  [5, "xzy@portal.local", "login", "failure"],
  [6, "admin@portal.local", "user.create", "success"],
  [7, "admin@portal.local", "group.delete", "success"],
];

beforeAll(async () => {
  const { migrateDeploy } = await import("@/lib/db/migrate/index.mjs");
  await migrateDeploy({ databaseUrl: process.env.DATABASE_URL });
  auditLog = await import("../audit-log");
  ({ db } = await import("../client"));
  for (const [minute, actor, action, outcome] of EVENTS)
    await db().auditEvent.create({ data: { at: minutes(minute), actor, action, outcome, target: actor } });
});

const filtersOf = (query: Record<string, string>): AuditFilters => {
  const parsed = parseAuditFilters(query);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.filters;
};

/** Newest first: by time, then by id. */
function expectNewestFirst(rows: { at: Date; id: string }[]) {
  for (let i = 1; i < rows.length; i += 1) {
    const [newer, older] = [rows[i - 1]!, rows[i]!];
    expect(newer.at > older.at || (newer.at.getTime() === older.at.getTime() && newer.id > older.id)).toBe(true);
  }
}

/** "minute actor action" of the page's rows (sorted, to compare as a set); the order is checked too. */
async function listed(query: Record<string, string>) {
  const { events, total } = await auditLog.listAuditEvents({ ...filtersOf(query), page: 1 });
  expect(total).toBe(events.length);
  expectNewestFirst(events);
  return events.map((event) => `${(event.at.getTime() - T0) / 60_000} ${event.actor} ${event.action}`).sort();
}

async function exported(query: Record<string, string>, batchSize: number) {
  const rows = [];
  for await (const batch of auditLog.auditEventBatches(filtersOf(query), batchSize)) {
    expect(batch.length).toBeGreaterThan(0);
    expect(batch.length).toBeLessThanOrEqual(batchSize);
    rows.push(...batch);
  }
  expectNewestFirst(rows);
  return rows;
}

describe("listAuditEvents", () => {
  it("filters by action and outcome together", async () => {
    expect(await listed({ action: "login", outcome: "failure" })).toEqual([
      "3 Test_User_1@KASM.core login",
      "5 100%_sure@portal.local login",
      "5 x_y@portal.local login",
      "5 xzy@portal.local login",
    ]);
    expect(await listed({ action: "login", outcome: "success" })).toEqual(["2 test_user_1@kasm.core login"]);
  });

  it("filters by kind (the action's prefix) and by exact action", async () => {
    expect(await listed({ kind: "group" })).toEqual([
      "0 admin@portal.local group.create",
      "1 admin@portal.local group.update",
      "7 admin@portal.local group.delete",
    ]);
    expect(await listed({ action: "group" })).toEqual([]);
    expect(await listed({ kind: "group", action: "group.update" })).toEqual(["1 admin@portal.local group.update"]);
  });

  it("filters by the whole actor, as typed or lower-cased, never by a pattern", async () => {
    expect(await listed({ actor: "system" })).toEqual(["4 system directory_sync.run"]);
    expect(await listed({ actor: "100%_sure@portal.local" })).toEqual(["5 100%_sure@portal.local login"]);
    expect(await listed({ actor: "x_y@portal.local" })).toEqual(["5 x_y@portal.local login"]);
    expect(await listed({ actor: "%" })).toEqual([]);
    expect(await listed({ actor: "admin@" })).toEqual([]);
    expect(await listed({ actor: "Admin@Portal.local", outcome: "failure" })).toEqual([
      "1 admin@portal.local group.update",
    ]);
    expect(await listed({ actor: "Test_User_1@KASM.core" })).toEqual([
      "2 test_user_1@kasm.core login",
      "3 Test_User_1@KASM.core login",
    ]);
  });

  it("filters by time: From inclusive, To through the end of its minute (UTC)", async () => {
    expect(await listed({ from: "2026-03-01T10:05", to: "2026-03-01T10:06" })).toEqual([
      "5 100%_sure@portal.local login",
      "5 x_y@portal.local login",
      "5 xzy@portal.local login",
      "6 admin@portal.local user.create",
    ]);
    expect(await listed({ to: "2026-03-01T10:00" })).toEqual(["0 admin@portal.local group.create"]);
    expect(await listed({ from: "2026-03-01T10:07" })).toEqual(["7 admin@portal.local group.delete"]);
    expect(await listed({ from: "2026-03-01T10:05:01" })).toHaveLength(2);
    expect(await listed({ from: "2026-03-01T11:00" })).toEqual([]);
  });

  it("pages newest first over everything without filters", async () => {
    const { events, total, page, pageCount } = await auditLog.listAuditEvents({ page: 9 });
    expect({ total, page, pageCount }).toEqual({ total: EVENTS.length, page: 1, pageCount: 1 });
    expect(events[0]!.action).toBe("group.delete");
  });
});

describe("auditEventBatches", () => {
  it("reads every matching event once, in the page's order, across batches that split equal times", async () => {
    const all = await auditLog.listAuditEvents({ page: 1 });
    for (const batchSize of [1, 2, 3, 500]) {
      const rows = await exported({}, batchSize);
      expect(rows.map((row) => row.id)).toEqual(all.events.map((event) => event.id));
    }
    const logins = await exported({ action: "login", outcome: "failure" }, 2);
    expect(logins.map((row) => row.actor).sort()).toEqual([
      "100%_sure@portal.local",
      "Test_User_1@KASM.core",
      "x_y@portal.local",
      "xzy@portal.local",
    ]);
    expect(await exported({ from: "2026-03-02T00:00" }, 2)).toEqual([]);
  });
});

describe("listAuditFilterChoices", () => {
  it("offers the known kinds and actions and those found in the log", async () => {
    await db().auditEvent.create({ data: { actor: "system", action: "backup.verify", outcome: "success" } });
    const { kinds, actions } = await auditLog.listAuditFilterChoices();
    expect(kinds).toEqual(expect.arrayContaining(["audit", "backup", "group", "login", "user"]));
    expect(actions).toEqual(expect.arrayContaining(["audit.export", "backup.verify", "login", "user.password_reset"]));
    expect(actions).toEqual([...actions].sort());
    expect(new Set(actions).size).toBe(actions.length);
  });
});
