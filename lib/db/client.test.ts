import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, expect, it } from "vitest";

// The single SQLite connection is shared by every request: a transaction must stay invisible
// to other requests' queries until it commits, and its rollback must not take their writes along.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "db-"));
process.env.DATA_DIR = dir;
process.env.DATABASE_URL = `file:${path.join(dir, "portal.db")}`;

let client: typeof import("./client");

beforeAll(async () => {
  const { migrateDeploy } = await import("./migrate/index.mjs");
  await migrateDeploy({ databaseUrl: process.env.DATABASE_URL });
  client = await import("./client");
});

it("keeps a running transaction invisible to other queries and its rollback to itself", async () => {
  const { db, transaction } = client;
  let insideDone!: () => void;
  const insideWrote = new Promise<void>((resolve) => (insideDone = resolve));
  const failing = transaction(async (tx) => {
    await tx.auditEvent.create({ data: { actor: "tx", action: "inside", outcome: "success" } });
    insideDone();
    await new Promise((resolve) => setTimeout(resolve, 100));
    throw new Error("roll back");
  }).catch((error: Error) => error.message);

  await insideWrote;
  // Issued while the transaction is open: must wait for it, not join it.
  const [seen] = await Promise.all([
    db().auditEvent.count({ where: { action: "inside" } }),
    db().auditEvent.create({ data: { actor: "other", action: "outside", outcome: "success" } }),
  ]);

  expect(await failing).toBe("roll back");
  expect(seen).toBe(0);
  expect(await db().auditEvent.count({ where: { action: "outside" } })).toBe(1);
  expect(await db().auditEvent.count({ where: { action: "inside" } })).toBe(0);
});
