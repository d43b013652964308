import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { expect, it } from "vitest";

// The Prisma CLI itself applies the committed migrations offline (prisma/engine drives the
// wasm schema engine) and records them exactly as Prisma does.
it("npx prisma migrate deploy creates a new SQLite database with no download", () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "migrate-")), "new.db");
  const result = spawnSync("npx", ["prisma", "migrate", "deploy"], { env: { ...process.env, DATABASE_URL: `file:${file}` }, encoding: "utf8", timeout: 60_000 });
  expect(result.status, result.stderr).toBe(0);

  const database = new Database(file, { readonly: true });
  try {
    const applied = database.prepare("SELECT migration_name, checksum, finished_at FROM _prisma_migrations").all() as { migration_name: string; checksum: string; finished_at: number | null }[];
    const folders = fs.readdirSync("prisma/migrations").filter((name) => fs.statSync(path.join("prisma/migrations", name)).isDirectory());
    expect(applied.map((row) => row.migration_name).sort()).toEqual(folders.sort());
    for (const row of applied) {
      const sql = fs.readFileSync(path.join("prisma/migrations", row.migration_name, "migration.sql"));
      expect(row.checksum).toBe(createHash("sha256").update(sql).digest("hex"));
      expect(row.finished_at).not.toBeNull();
    }
    const tables = (database.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((row) => row.name);
    expect(tables).toEqual(expect.arrayContaining(["User", "Group", "GroupMembership", "GroupLdapMapping", "LdapConfig", "AuditEvent", "LoginThrottle"]));
  } finally {
    database.close();
  }
});
