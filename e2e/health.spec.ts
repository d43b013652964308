import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { ADMIN, expect, test } from "./fixtures";
import {
  createPostgresDatabase,
  startPortal,
  type PortalInstance,
  type TestPostgresDatabase,
} from "./support/portal-instances";
import { TEST_ON_POSTGRES } from "./support/test-server";

/**
 * The probes a load balancer or Kubernetes calls: /api/health/live (the process answers),
 * /api/health/ready (database reachable, migrations current) and /api/health (kept, answers as
 * ready). Anonymous, never redirected to the login page, never cached.
 */

const OK = { status: "ok" };

test("liveness and readiness answer an anonymous caller with small, uncached JSON", async ({ playwright, baseURL }) => {
  const anonymous = await playwright.request.newContext({ baseURL });
  for (const [probe, body] of [
    ["/api/health/live", OK],
    ["/api/health/ready", OK],
    ["/api/health", { status: "ok", database: "ok" }],
  ] as const) {
    const response = await anonymous.get(probe, { maxRedirects: 0 });
    expect(response.status(), probe).toBe(200);
    expect(response.headers()["content-type"], probe).toContain("application/json");
    expect(response.headers()["cache-control"], probe).toBe("no-store");
    expect(await response.json(), probe).toEqual(body);
  }
  await anonymous.dispose();
});

/**
 * A portal of this spec's own on the suite's kind of database, whose newest migration is marked
 * rolled back while it runs (as `prisma migrate resolve --rolled-back` or an older backup leaves
 * it): not ready, naming the migration, while still alive.
 */
test.describe("a running portal whose database lacks a migration", () => {
  let portal: PortalInstance;
  let database: TestPostgresDatabase | undefined;
  const migrationsDir = path.resolve("prisma", ...(TEST_ON_POSTGRES ? ["postgresql"] : []), "migrations");
  const newest = fs
    .readdirSync(migrationsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .at(-1)!;

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    database = TEST_ON_POSTGRES ? await createPostgresDatabase() : undefined;
    portal = await startPortal("health", {
      ADMIN_USERNAME: ADMIN.username,
      ADMIN_PASSWORD: ADMIN.password,
      ...(database ? { DATABASE_URL: database.url } : {}),
    });
    await portal.ready;
  });

  test.afterAll(async () => {
    await portal?.stop();
    await database?.drop();
  });

  /** Marks the newest migration's row rolled back, or applied again, in the portal's database. */
  async function setRolledBack(rolledBack: boolean) {
    const sql = `UPDATE "_prisma_migrations" SET rolled_back_at = ${rolledBack ? "started_at" : "NULL"} WHERE migration_name = '${newest}'`;
    if (database) {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        expect((await client.query(sql)).rowCount).toBe(1);
      } finally {
        await client.end();
      }
    } else {
      const sqlite = new Database(path.join(portal.dataDir, "portal.db"), { timeout: 10_000 });
      try {
        expect(sqlite.prepare(sql).run().changes).toBe(1);
      } finally {
        sqlite.close();
      }
    }
  }

  const probe = async (name: string) => {
    const response = await fetch(`${portal.baseURL}${name}`, { redirect: "manual" });
    return { status: response.status, cache: response.headers.get("cache-control"), body: await response.json() };
  };

  test("readiness answers 503 naming the pending migration, liveness stays 200, and both recover", async () => {
    expect(await probe("/api/health/ready")).toEqual({ status: 200, cache: "no-store", body: OK });

    await setRolledBack(true);
    try {
      const pending = {
        status: "unavailable",
        reason: `migration pending: ${newest}`,
        migrations: [newest],
      };
      expect(await probe("/api/health/ready")).toEqual({ status: 503, cache: "no-store", body: pending });
      expect(await probe("/api/health")).toEqual({ status: 503, cache: "no-store", body: pending });
      expect(await probe("/api/health/live")).toEqual({ status: 200, cache: "no-store", body: OK });
    } finally {
      await setRolledBack(false);
    }
    expect(await probe("/api/health/ready")).toEqual({ status: 200, cache: "no-store", body: OK });
  });
});
