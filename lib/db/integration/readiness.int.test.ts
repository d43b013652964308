import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

/**
 * Readiness against a real database migrated as `npm start` migrates it (SQLite here; PostgreSQL
 * through lib/db/integration/postgres/readiness.int.test.ts): the rows of `_prisma_migrations` are
 * changed as a restored old backup, a failed deploy or `prisma migrate resolve` leave them.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "readiness-"));
process.env.DATA_DIR = dir;
process.env.DATABASE_URL = `file:${path.join(dir, "portal.db")}`;

let readiness: typeof import("../readiness");
let db: typeof import("../client").db;
let newest: string;
const errors: string[] = [];

beforeAll(async () => {
  const { migrateDeploy } = await import("@/lib/db/migrate/index.mjs");
  const { appliedMigrationNames } = await migrateDeploy({ databaseUrl: process.env.DATABASE_URL });
  newest = appliedMigrationNames.at(-1)!;
  readiness = await import("../readiness");
  ({ db } = await import("../client"));
});

const check = () => readiness.checkReadiness({ onError: (message) => errors.push(message) });
const setRow = (assignments: string) =>
  db().$executeRawUnsafe(`UPDATE "_prisma_migrations" SET ${assignments} WHERE migration_name = '${newest}'`);

describe("checkReadiness", () => {
  it("is ready when every shipped migration is applied", async () => {
    const shipped = fs
      .readdirSync(readiness.shippedMigrationsDir(), { withFileTypes: true })
      .filter((entry) => entry.isDirectory());
    expect(shipped.length).toBeGreaterThan(1);
    expect(await check()).toEqual({ ready: true });
  });

  it("names a migration that is pending again (rolled back)", async () => {
    await setRow("rolled_back_at = started_at");
    try {
      expect(await check()).toEqual({ ready: false, reason: "migration_pending", migrations: [newest] });
    } finally {
      await setRow("rolled_back_at = NULL");
    }
    expect(await check()).toEqual({ ready: true });
  });

  it("names a migration that failed (no finished_at)", async () => {
    await setRow("finished_at = NULL");
    try {
      expect(await check()).toEqual({ ready: false, reason: "migration_failed", migrations: [newest] });
    } finally {
      await setRow("finished_at = started_at");
    }
    expect(await check()).toEqual({ ready: true });
  });

  it("says the database was never migrated when it has no _prisma_migrations", async () => {
    await db().$executeRawUnsafe(`ALTER TABLE "_prisma_migrations" RENAME TO "_prisma_migrations_away"`);
    try {
      expect(await check()).toEqual({ ready: false, reason: "database_not_migrated" });
    } finally {
      await db().$executeRawUnsafe(`ALTER TABLE "_prisma_migrations_away" RENAME TO "_prisma_migrations"`);
    }
    expect(await check()).toEqual({ ready: true });
    expect(errors).toEqual([]);
  });
});
