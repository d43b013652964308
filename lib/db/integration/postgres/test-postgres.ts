import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, expect, it, vi } from "vitest";

/**
 * The tests' PostgreSQL (bash e2e/postgres/start.sh, run by npm test after the directory servers):
 * its server URL, and a database of their own per test file, dropped afterwards.
 */
export function postgresServerUrl(): string {
  if (process.env.PORTAL_TEST_POSTGRES_URL) return process.env.PORTAL_TEST_POSTGRES_URL;
  const file = path.resolve(import.meta.dirname, "..", "..", "..", "..", ".postgres", "env.json");
  if (!fs.existsSync(file))
    throw new Error("The test PostgreSQL is not running: start it with bash e2e/postgres/start.sh");
  return (JSON.parse(fs.readFileSync(file, "utf8")) as { url: string }).url;
}

async function onServer(sql: string) {
  const client = new pg.Client({
    connectionString: `${postgresServerUrl()}/postgres`,
    connectionTimeoutMillis: 10_000,
  });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh, unused database name: portal_test_<label>_<random>. */
export function testDatabaseName(label: string): string {
  return `portal_test_${label.toLowerCase().replace(/[^a-z0-9]+/g, "_")}_${randomBytes(4).toString("hex")}`;
}

export function testDatabaseUrl(name: string, query = ""): string {
  return `${postgresServerUrl()}/${name}${query}`;
}

/** Drops the database, closing whatever connections are still open to it. */
export async function dropTestDatabase(name: string): Promise<void> {
  await onServer(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}

/**
 * Runs a test file written for SQLite on PostgreSQL: every `migrateDeploy` it calls (directly or
 * through lib/auth/integration/harness.ts) migrates a new PostgreSQL database instead of its
 * SQLite file and points DATABASE_URL at it, before the file imports any lib module. The queries
 * themselves run on the real PostgreSQL, through the app's own client.
 */
export async function runOnPostgres(label: string, testFile: () => Promise<unknown>, query = ""): Promise<void> {
  const name = testDatabaseName(label);
  const url = testDatabaseUrl(name, query);
  vi.doMock("@/lib/db/migrate/index.mjs", async () => {
    const real = await vi.importActual<typeof import("@/lib/db/migrate/index.mjs")>("@/lib/db/migrate/index.mjs");
    return {
      ...real,
      migrateDeploy: async (options: Parameters<typeof real.migrateDeploy>[0] = {}) => {
        if (options.migrationsDir)
          throw new Error("runOnPostgres: a test with its own migrations folder is SQLite-only");
        process.env.DATABASE_URL = url;
        return real.migrateDeploy({ ...options, databaseUrl: url });
      },
    };
  });
  afterAll(async () => {
    const client = (globalThis as { portalDb?: { $disconnect(): Promise<void> } }).portalDb;
    await client?.$disconnect();
    await dropTestDatabase(name);
  });
  await testFile();
  it("ran these tests on PostgreSQL", async () => {
    expect(process.env.DATABASE_URL).toBe(url);
    const { databaseProvider } = await import("@/lib/db/client");
    expect(databaseProvider()).toBe("postgresql");
    const client = new pg.Client({ connectionString: testDatabaseUrl(name) });
    await client.connect();
    try {
      const schema = new URLSearchParams(query.replace(/^\?/, "")).get("schema") ?? "public";
      const { rows } = await client.query(`SELECT count(*)::int AS n FROM "${schema}"._prisma_migrations`);
      expect(rows[0].n).toBeGreaterThan(0);
    } finally {
      await client.end();
    }
  });
}
