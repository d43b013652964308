import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, expect, it } from "vitest";
import { migrateDeploy } from "@/lib/db/migrate/index.mjs";
import { dropTestDatabase, testDatabaseName, testDatabaseUrl } from "./test-postgres";

// Instances starting together on one PostgreSQL: each runs the bootstrap (system groups, first
// administrator) under the start-up lock, so exactly one administrator and two system groups exist.

const name = testDatabaseName("startup_lock");
afterAll(() => dropTestDatabase(name), 60_000);

function instance(url: string): Promise<{ code: number | null; out: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "instance-"));
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ["node_modules/tsx/dist/cli.mjs", "--conditions=react-server", "lib/db/integration/postgres/bootstrap-probe.ts"],
      {
        env: {
          ...process.env,
          DATA_DIR: dataDir,
          DATABASE_URL: url,
          ADMIN_PASSWORD: "correct-horse-battery",
          ADMIN_USERNAME: "admin@portal.local",
        },
      },
    );
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.stderr.on("data", (chunk) => (out += chunk));
    child.on("exit", (code) => resolve({ code, out }));
  });
}

it("bootstraps one administrator when three instances start together", async () => {
  const url = testDatabaseUrl(name);
  await migrateDeploy({ databaseUrl: url });
  const results = await Promise.all([instance(url), instance(url), instance(url)]);
  for (const result of results) expect(result.code, result.out).toBe(0);

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const users = await client.query('SELECT username FROM "User"');
    expect(users.rows).toEqual([{ username: "admin@portal.local" }]);
    const groups = await client.query('SELECT "systemKey" FROM "Group" ORDER BY "systemKey"');
    expect(groups.rows).toEqual([{ systemKey: "administrators" }, { systemKey: "all_users" }]);
    const created = await client.query(`SELECT count(*)::int AS n FROM "AuditEvent" WHERE action = 'user.create'`);
    expect(created.rows).toEqual([{ n: 1 }]);
  } finally {
    await client.end();
  }
}, 180_000);
