import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, expect, it } from "vitest";

/**
 * Readiness through the real migration runner on SQLite: a database one migration behind the
 * build is not ready and names it, deploy makes it ready, a failed deploy is named; a database
 * that does not answer in time is not ready either.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "readiness-deploy-"));
process.env.DATA_DIR = dir;
process.env.DATABASE_URL = `file:${path.join(dir, "portal.db")}`;

let migrate: typeof import("@/lib/db/migrate/index.mjs");
let readiness: typeof import("../readiness");
const shippedDir = path.resolve("prisma", "migrations");
const shipped = fs
  .readdirSync(shippedDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();
const newest = shipped.at(-1)!;
const errors: string[] = [];

/** A copy of the shipped migrations folder without `leaveOut`, plus `extra` migrations. */
function migrationsFolder(name: string, leaveOut: string[], extra: Record<string, string> = {}): string {
  const target = path.join(dir, name);
  fs.cpSync(shippedDir, target, { recursive: true, filter: (source) => !leaveOut.includes(path.basename(source)) });
  for (const [migration, sql] of Object.entries(extra)) {
    fs.mkdirSync(path.join(target, migration));
    fs.writeFileSync(path.join(target, migration, "migration.sql"), sql);
  }
  return target;
}

/** Deploys with the portal's own connection closed first, as `npm start` migrates before serving. */
async function deploy(migrationsDir?: string) {
  await (globalThis as { portalDb?: { $disconnect(): Promise<void> } }).portalDb?.$disconnect();
  return migrate.migrateDeploy({ databaseUrl: process.env.DATABASE_URL, migrationsDir, lockTimeoutMs: 5_000 });
}

const check = (options: { migrationsDir?: string; timeoutMs?: number } = {}) =>
  readiness.checkReadiness({ onError: (message) => errors.push(message), ...options });

beforeAll(async () => {
  migrate = await import("@/lib/db/migrate/index.mjs");
  readiness = await import("../readiness");
});

it("is not ready before the newest migration is deployed, and ready after", async () => {
  expect(readiness.shippedMigrationsDir()).toBe(shippedDir);
  const behind = migrationsFolder("behind", [newest]);
  await deploy(behind);
  expect(await check()).toEqual({ ready: false, reason: "migration_pending", migrations: [newest] });
  // That older build's own folder is current.
  expect(await check({ migrationsDir: behind })).toEqual({ ready: true });

  const { appliedMigrationNames } = await deploy();
  expect(appliedMigrationNames).toEqual([newest]);
  expect(await check()).toEqual({ ready: true });
});

it("names a migration whose deploy failed until it is resolved", async () => {
  const broken = "29990101000000_broken";
  const withBroken = migrationsFolder("with-broken", [], { [broken]: `CREATE TABLE "NoSuchTable_${Date.now()}" (;` });
  await expect(deploy(withBroken)).rejects.toMatchObject({ code: "P3018", migrationName: broken });
  expect(await check({ migrationsDir: withBroken })).toEqual({
    ready: false,
    reason: "migration_failed",
    migrations: [broken],
  });
  // The build that does not ship it is not ready either: the failed row blocks every later deploy.
  expect(await check()).toMatchObject({ ready: false, reason: "migration_failed" });
  expect(errors).toEqual([]);
});

it("is not ready when the database does not answer within the timeout", async () => {
  const { transaction } = await import("../client");
  // The process's one SQLite connection is held by a transaction: the readiness query waits.
  let release!: () => void;
  const held = transaction(() => new Promise<void>((resolve) => (release = resolve)));
  try {
    const started = Date.now();
    expect(await check({ timeoutMs: 200 })).toEqual({ ready: false, reason: "database_timeout" });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(errors.at(-1)).toMatch(/did not answer the readiness check within 200 ms/);
  } finally {
    while (!release) await new Promise((resolve) => setTimeout(resolve, 10));
    release();
    await held;
  }
});
