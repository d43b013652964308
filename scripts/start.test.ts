import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";

// `npm start` refuses a broken setup with one line naming the fix, before it builds or serves.
function start(env: Record<string, string>) {
  return spawnSync(process.execPath, ["scripts/start.mjs"], {
    env: { ...process.env, ...env },
    encoding: "utf8",
    timeout: 30_000,
  });
}

/**
 * Runs `npm start` until it has migrated the database (it then builds or serves) and stops it,
 * with the permissive umask a shell usually has.
 */
async function startUntilMigrated(env: Record<string, string>): Promise<string> {
  const child = spawn(
    process.execPath,
    ["-e", "process.umask(0o022); await import('./scripts/start.mjs')", "--input-type=module"],
    {
      env: { ...process.env, HOST: "127.0.0.1", PORT: "0", ...env },
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`npm start did not get past the migrations:\n${output}`)),
        60_000,
      );
      const onOutput = (chunk: Buffer) => {
        output += chunk.toString();
        if (/No production build yet|Serving on/.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on("data", onOutput);
      child.stderr.on("data", onOutput);
      child.on("exit", () => {
        clearTimeout(timer);
        reject(new Error(`npm start exited early:\n${output}`));
      });
    });
  } finally {
    child.removeAllListeners("exit");
    // The whole group: start.mjs and the build or server it spawned.
    if (child.pid) process.kill(-child.pid, "SIGKILL");
  }
  return output;
}

describe("npm start", () => {
  it("refuses a data directory it cannot write, naming DATA_DIR", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "start-")), "not-a-directory");
    fs.writeFileSync(file, "");
    const result = start({ DATA_DIR: file, DATABASE_URL: "" });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/data directory .* is not writable .*DATA_DIR/);
  });

  it("refuses a DATABASE_URL that is neither SQLite nor PostgreSQL, without echoing its credentials", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "start-"));
    const result = start({ DATA_DIR: dir, DATABASE_URL: "mysql://portal:s3cret@db.internal/portal" });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(
      /DATABASE_URL must be a SQLite file URL such as file:\.\/data\/portal\.db or a PostgreSQL URL such as postgresql:\/\/user:password@host:5432\/portal \(got "mysql:…"\)/,
    );
    expect(result.stderr).not.toContain("s3cret");
  });

  it("stops within seconds with one line naming the PostgreSQL URL (password masked) and the fix when it is down", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "start-"));
    for (const scheme of ["postgresql", "postgres"]) {
      const started = Date.now();
      const result = start({
        DATA_DIR: dir,
        DATABASE_URL: `${scheme}://portal:s3cret@127.0.0.1:5999/portal?schema=portal`,
      });
      expect(result.status).toBe(1);
      expect(result.stderr.trim().split("\n")).toEqual([
        `[portal] Cannot reach PostgreSQL at ${scheme}://portal:***@127.0.0.1:5999/portal?schema=portal (ECONNREFUSED): start it or fix DATABASE_URL.`,
      ]);
      expect(Date.now() - started).toBeLessThan(15_000);
    }
  });

  it("refuses an unreadable TRUSTED_PROXIES entry with one line naming it", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "start-"));
    const result = start({ DATA_DIR: dir, DATABASE_URL: "", TRUSTED_PROXIES: "10.0.0.1, 10.0.0.0/33" });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/TRUSTED_PROXIES entry "10\.0\.0\.0\/33" is not an IP address or CIDR range/);
  });

  it("refuses to start while a failed migration is recorded, with one line naming it and the fix", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "start-"));
    const file = path.join(dir, "portal.db");
    const database = new Database(file);
    database.exec(`CREATE TABLE "_prisma_migrations" ("id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME,
      "migration_name" TEXT NOT NULL, "logs" TEXT, "rolled_back_at" DATETIME, "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
      "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`);
    database
      .prepare(
        "INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at) VALUES ('x', 'y', '20990101000000_broken', ?)",
      )
      .run(Date.UTC(2099, 0, 1));
    database.close();
    const result = start({ DATA_DIR: dir, DATABASE_URL: `file:${file}` });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^\[portal\] Applying database migrations to file:.*portal\.db failed: the migration 20990101000000_broken failed at 2099-01-01 00:00:00 UTC .*P3009.*migrate resolve --rolled-back 20990101000000_broken.*\. Check DATABASE_URL\.$/,
    );
  });

  it("creates the data directory 0700 and the database 0600", async () => {
    const dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "start-")), "data");
    await startUntilMigrated({ DATA_DIR: dataDir, DATABASE_URL: "" });
    expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);
    for (const file of fs.readdirSync(dataDir).filter((name) => name.startsWith("portal.db"))) {
      expect([file, fs.statSync(path.join(dataDir, file)).mode & 0o777]).toEqual([file, 0o600]);
    }
    expect(fs.existsSync(path.join(dataDir, "portal.db"))).toBe(true);
  }, 90_000);
});
