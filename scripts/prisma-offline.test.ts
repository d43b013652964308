import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import {
  installedPrismaVersions,
  versionMismatchMessage,
  versionProblems,
} from "../tools/prisma-schema-engine/versions.mjs";

// The Prisma CLI itself applies the committed migrations offline (the developer tooling in
// tools/prisma-schema-engine drives the wasm schema engine) and records them exactly as Prisma does.
it("npx prisma migrate deploy creates a new SQLite database with no download", () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "migrate-")), "new.db");
  const result = spawnSync("npx", ["prisma", "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: `file:${file}` },
    encoding: "utf8",
    timeout: 60_000,
  });
  expect(result.status, result.stderr).toBe(0);

  const database = new Database(file, { readonly: true });
  try {
    const applied = database.prepare("SELECT migration_name, checksum, finished_at FROM _prisma_migrations").all() as {
      migration_name: string;
      checksum: string;
      finished_at: number | null;
    }[];
    const folders = fs
      .readdirSync("prisma/migrations")
      .filter((name) => fs.statSync(path.join("prisma/migrations", name)).isDirectory());
    expect(applied.map((row) => row.migration_name).sort()).toEqual(folders.sort());
    for (const row of applied) {
      const sql = fs.readFileSync(path.join("prisma/migrations", row.migration_name, "migration.sql"));
      expect(row.checksum).toBe(createHash("sha256").update(sql).digest("hex"));
      expect(row.finished_at).not.toBeNull();
    }
    const tables = (
      database.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]
    ).map((row) => row.name);
    expect(tables).toEqual(
      expect.arrayContaining([
        "User",
        "Group",
        "GroupMembership",
        "GroupLdapMapping",
        "LdapConfig",
        "AuditEvent",
        "LoginThrottle",
      ]),
    );
  } finally {
    database.close();
  }
}, 90_000);

// The tooling works only with the Prisma release it was written for: drift fails loudly.
describe("Prisma version check", () => {
  const matching = {
    prisma: "7.10.0",
    "@prisma/client": "7.10.0",
    "@prisma/adapter-better-sqlite3": "7.10.0",
    "@prisma/adapter-pg": "7.10.0",
    "@prisma/driver-adapter-utils": "7.10.0",
    "@prisma/schema-engine-wasm": "7.10.0-4.0edf323efd1d98336f3f0a68684b56f689b900d3",
    "@prisma/engines-version": "7.10.0-4.0edf323efd1d98336f3f0a68684b56f689b900d3",
  };

  it("accepts the installed packages", () => {
    expect(versionMismatchMessage(installedPrismaVersions())).toBeUndefined();
    expect(versionProblems(matching)).toEqual([]);
  });

  it("names each package that drifted from prisma", () => {
    expect(versionProblems({ ...matching, "@prisma/client": "7.11.0", "@prisma/adapter-pg": undefined })).toEqual([
      "@prisma/client is 7.11.0",
      "@prisma/adapter-pg is not installed",
    ]);
  });

  it("compares the wasm engine with the prisma release and its engines build", () => {
    expect(versionProblems({ ...matching, "@prisma/schema-engine-wasm": "7.9.0-2.aaaa" })).toEqual([
      "@prisma/schema-engine-wasm is 7.9.0-2.aaaa, built for Prisma 7.9.0",
    ]);
    expect(versionProblems({ ...matching, "@prisma/schema-engine-wasm": "7.10.0-3.bbbb" })).toEqual([
      "@prisma/schema-engine-wasm is 7.10.0-3.bbbb but prisma 7.10.0 runs engines 7.10.0-4.0edf323efd1d98336f3f0a68684b56f689b900d3",
    ]);
    // Without @prisma/engines-version the release prefix still has to match.
    expect(
      versionProblems({
        ...matching,
        "@prisma/engines-version": undefined,
        "@prisma/schema-engine-wasm": "7.10.0-9.cccc",
      }),
    ).toEqual([]);
  });

  it("says how to fix it, with the exact versions to install", () => {
    const message = versionMismatchMessage({
      ...matching,
      prisma: "7.11.0",
      "@prisma/engines-version": "7.11.0-1.dddd",
    });
    expect(message).toMatch(/^Prisma packages out of step with prisma 7\.11\.0: @prisma\/client is 7\.10\.0; /);
    expect(message).toContain(
      "npm install --save-exact prisma@7.11.0 @prisma/client@7.11.0 @prisma/adapter-better-sqlite3@7.11.0 @prisma/adapter-pg@7.11.0 @prisma/driver-adapter-utils@7.11.0 @prisma/schema-engine-wasm@7.11.0-1.dddd",
    );
    expect(versionProblems({})).toEqual(["prisma is not installed"]);
  });
});
