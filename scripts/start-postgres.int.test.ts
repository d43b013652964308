import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import {
  dropTestDatabase,
  postgresServerUrl,
  testDatabaseName,
  testDatabaseUrl,
} from "@/lib/db/integration/postgres/test-postgres";

// `npm start` on the tests' PostgreSQL (bash e2e/postgres/start.sh): it applies
// prisma/postgresql/migrations, once however many instances start together, and a PostgreSQL
// that refuses the password stops it with one line.

const name = testDatabaseName("start");
afterAll(() => dropTestDatabase(name), 60_000);

/** Runs `npm start` until it has applied the migrations (never up to the build), then stops it. */
function startUntilMigrated(env: Record<string, string>): Promise<string> {
  const child = spawn(process.execPath, ["scripts/start.mjs"], {
    env: { ...process.env, HOST: "127.0.0.1", PORT: "0", ...env },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`npm start did not get past the migrations:\n${output}`)), 60_000);
    const finish = (error?: Error) => {
      clearTimeout(timer);
      child.removeAllListeners("exit");
      if (child.pid) process.kill(-child.pid, "SIGKILL");
      if (error) reject(error);
      else resolve(output);
    };
    const onOutput = (chunk: Buffer) => {
      output += chunk.toString();
      if (/No pending migrations to apply|Applied \d+ migration/.test(output)) finish();
    };
    child.stdout.on("data", onOutput);
    child.stderr.on("data", onOutput);
    child.on("exit", () => finish(new Error(`npm start exited early:\n${output}`)));
  });
}

describe("npm start with DATABASE_URL=postgresql://", () => {
  it("creates the database and applies the PostgreSQL migrations once when two instances start together", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "start-pg-"));
    const env = { DATA_DIR: dataDir, DATABASE_URL: testDatabaseUrl(name, "?schema=portal") };
    const outputs = await Promise.all([startUntilMigrated(env), startUntilMigrated(env)]);
    const committed = fs
      .readdirSync("prisma/postgresql/migrations", { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    const applied = outputs.filter(
      (output) => output.includes(`Applied ${committed.length} migration(s)`) && output.includes(committed.join(", ")),
    );
    const waited = outputs.filter((output) => output.includes("No pending migrations to apply"));
    expect([applied.length, waited.length], outputs.join("\n---\n")).toEqual([1, 1]);

    const client = new pg.Client({ connectionString: testDatabaseUrl(name) });
    await client.connect();
    try {
      const { rows } = await client.query(
        "SELECT migration_name, finished_at FROM portal._prisma_migrations ORDER BY migration_name",
      );
      expect(rows.map((row) => row.migration_name)).toEqual(committed);
      expect(rows.every((row) => row.finished_at !== null)).toBe(true);
    } finally {
      await client.end();
    }
    // No SQLite file appears in the data directory.
    expect(fs.readdirSync(dataDir).filter((file) => file.endsWith(".db"))).toEqual([]);
  }, 120_000);

  it("stops with one line naming the URL (password masked) and the fix when PostgreSQL refuses the password", () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "start-pg-"));
    const url = `${postgresServerUrl().replace(":portal-test@", ":not-the-password@")}/${name}`;
    const result = spawnSync(process.execPath, ["scripts/start.mjs"], {
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: url },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^\[portal\] PostgreSQL at postgresql:\/\/portal:\*\*\*@127\.0\.0\.1:\d+\/portal_test_start_\w+ refused the sign-in \(28P01 password authentication failed for user "portal"\): fix the user or password in DATABASE_URL/,
    );
    expect(result.stderr).not.toContain("not-the-password");
  }, 60_000);
});
