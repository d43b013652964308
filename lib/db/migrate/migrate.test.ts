import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { MIGRATIONS_DIR, MigrationError, migrateDeploy } from "./index.mjs";

// The runner against real SQLite files: the same bookkeeping as `prisma migrate deploy`, once per
// database however many processes start together, and a failed migration that blocks the next run.

const RUNNER = path.resolve("lib/db/migrate/index.mjs");
const FOLDERS = fs
  .readdirSync(MIGRATIONS_DIR)
  .filter((name) => fs.statSync(path.join(MIGRATIONS_DIR, name)).isDirectory())
  .sort();
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

type Row = {
  id: string;
  checksum: string;
  finished_at: number | null;
  finished_type: string;
  migration_name: string;
  logs: string | null;
  rolled_back_at: number | null;
  started_at: number;
  started_type: string;
  applied_steps_count: number;
};

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), "migrate-"));

function read<T>(file: string, work: (database: Database.Database) => T): T {
  const database = new Database(file, { readonly: true });
  try {
    return work(database);
  } finally {
    database.close();
  }
}

const rowsOf = (file: string) =>
  read(
    file,
    (database) =>
      database
        .prepare(
          `SELECT id, checksum, finished_at, typeof(finished_at) AS finished_type, migration_name, logs, rolled_back_at,
                  started_at, typeof(started_at) AS started_type, applied_steps_count
           FROM _prisma_migrations ORDER BY started_at, migration_name`,
        )
        .all() as Row[],
  );
const schemaOf = (file: string) =>
  read(file, (database) =>
    database.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").all(),
  );

/** A migrations folder: the committed migrations (or none) plus the given ones. */
function migrationsFolder(extra: Record<string, string>, { committed = true } = {}) {
  const dir = path.join(tempDir(), "migrations");
  if (committed) fs.cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  else fs.mkdirSync(dir, { recursive: true });
  for (const [name, sql] of Object.entries(extra)) {
    fs.mkdirSync(path.join(dir, name));
    fs.writeFileSync(path.join(dir, name, "migration.sql"), sql);
  }
  return dir;
}

/** About half a second of work for SQLite, so that concurrent runners overlap. */
const SLOW_MIGRATION =
  'CREATE TABLE "Slow" AS WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 1500000) SELECT count(*) AS c FROM n;\n';

describe("migrateDeploy", () => {
  it("records the committed migrations exactly as prisma migrate deploy does", async () => {
    const dir = tempDir();
    const reference = path.join(dir, "reference.db");
    const prisma = spawnSync("npx", ["prisma", "migrate", "deploy"], {
      env: { ...process.env, DATABASE_URL: `file:${reference}` },
      encoding: "utf8",
      timeout: 90_000,
    });
    expect(prisma.status, prisma.stderr).toBe(0);

    const file = path.join(dir, "nested", "portal.db");
    const before = Date.now();
    const result = await migrateDeploy({ databaseUrl: `file:${file}` });
    const after = Date.now();
    expect(result).toEqual({ appliedMigrationNames: FOLDERS, createdDatabase: true, migrationsMissingFromDisk: [] });

    // Same tables, indexes and `_prisma_migrations` DDL, byte for byte.
    expect(schemaOf(file)).toEqual(schemaOf(reference));
    const ours = rowsOf(file);
    const theirs = rowsOf(reference);
    const comparable = (rows: Row[]) =>
      rows.map(
        ({ migration_name, checksum, applied_steps_count, logs, rolled_back_at, started_type, finished_type }) => ({
          migration_name,
          checksum,
          applied_steps_count,
          logs,
          rolled_back_at,
          started_type,
          finished_type,
        }),
      );
    expect(comparable(ours)).toEqual(comparable(theirs));
    expect(ours.map((row) => row.migration_name)).toEqual(FOLDERS);
    for (const row of ours) {
      expect(row.id).toMatch(UUID_V4);
      expect([row.started_type, row.finished_type]).toEqual(["integer", "integer"]);
      expect(row.started_at).toBeGreaterThanOrEqual(before);
      expect(row.finished_at).toBeGreaterThanOrEqual(row.started_at);
      expect(row.finished_at).toBeLessThanOrEqual(after);
    }

    // A second run finds everything applied and changes nothing.
    const again = await migrateDeploy({ databaseUrl: `file:${file}` });
    expect(again).toEqual({ appliedMigrationNames: [], createdDatabase: false, migrationsMissingFromDisk: [] });
    expect(rowsOf(file)).toEqual(ours);
    expect(fs.readdirSync(path.dirname(file))).toEqual(["portal.db"]);
  }, 120_000);

  it("resolves a relative file: URL against baseDir and drops query parameters", async () => {
    const dir = tempDir();
    const result = await migrateDeploy({ databaseUrl: "file:./data/portal.db?connection_limit=1", baseDir: dir });
    expect(result.appliedMigrationNames).toEqual(FOLDERS);
    expect(rowsOf(path.join(dir, "data", "portal.db"))).toHaveLength(FOLDERS.length);
  });

  it("runs each script outside a transaction, so PRAGMA foreign_keys=OFF lets a table be redefined", async () => {
    const migrationsDir = migrationsFolder(
      {
        "1_tables":
          'CREATE TABLE "Parent" ("id" INTEGER PRIMARY KEY);\n' +
          'CREATE TABLE "Child" ("id" INTEGER PRIMARY KEY, "parentId" INTEGER NOT NULL REFERENCES "Parent" ("id") ON DELETE CASCADE);\n' +
          'INSERT INTO "Parent" VALUES (1);\nINSERT INTO "Child" VALUES (10, 1);\n',
        // What Prisma generates to change a column on SQLite.
        "2_redefine":
          "PRAGMA defer_foreign_keys=ON;\nPRAGMA foreign_keys=OFF;\n" +
          'CREATE TABLE "new_Parent" ("id" INTEGER PRIMARY KEY, "name" TEXT NOT NULL DEFAULT \'\');\n' +
          'INSERT INTO "new_Parent" ("id") SELECT "id" FROM "Parent";\nDROP TABLE "Parent";\nALTER TABLE "new_Parent" RENAME TO "Parent";\n' +
          "PRAGMA foreign_keys=ON;\nPRAGMA defer_foreign_keys=OFF;\n",
      },
      { committed: false },
    );
    const file = path.join(tempDir(), "fk.db");
    // foreign_keys on by default, as the app's connection has them.
    new Database(file).close();
    const result = await migrateDeploy({ databaseUrl: `file:${file}`, migrationsDir });
    expect(result.appliedMigrationNames).toEqual(["1_tables", "2_redefine"]);
    // With the pragma ignored (inside a transaction) DROP TABLE would have cascaded to Child.
    expect(read(file, (database) => database.prepare('SELECT count(*) AS n FROM "Child"').get())).toEqual({ n: 1 });
  });

  it("records a failing migration as Prisma does and refuses the next run with one line naming it", async () => {
    const migrationsDir = migrationsFolder({
      "20990101000000_broken": 'CREATE TABLE "Half" ("id" INTEGER);\nINSERT INTO "Nope" VALUES (1);\n',
      "20990102000000_after": 'CREATE TABLE "After" ("id" INTEGER);\n',
    });
    const file = path.join(tempDir(), "broken.db");
    const failure = await migrateDeploy({ databaseUrl: `file:${file}`, migrationsDir }).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(MigrationError);
    const error = failure as MigrationError;
    expect(error.code).toBe("P3018");
    expect(error.migrationName).toBe("20990101000000_broken");
    expect(error.message.split("\n")).toHaveLength(1);
    expect(error.message).toMatch(
      /20990101000000_broken failed \(P3018, SQLite error 1: no such table: Nope\).*migrate resolve --rolled-back 20990101000000_broken/,
    );

    const rows = rowsOf(file);
    expect(rows.map((row) => row.migration_name)).toEqual([...FOLDERS, "20990101000000_broken"]);
    const broken = rows.at(-1)!;
    expect(broken).toMatchObject({
      finished_at: null,
      rolled_back_at: null,
      applied_steps_count: 0,
      started_type: "integer",
    });
    expect(broken.logs).toBe(
      "A migration failed to apply. New migrations cannot be applied before the error is recovered from. Read more about how to resolve migration issues in a production database: https://pris.ly/d/migrate-resolve\n\nMigration name: 20990101000000_broken\n\nDatabase error code: 1\n\nDatabase error:\nno such table: Nope\n\n",
    );
    // Like execute_batch: the statements before the error stay.
    expect(
      read(file, (database) =>
        database.prepare("SELECT name FROM sqlite_master WHERE name IN ('Half', 'After')").all(),
      ),
    ).toEqual([{ name: "Half" }]);

    const blocked = await migrateDeploy({ databaseUrl: `file:${file}`, migrationsDir }).catch(
      (caught: MigrationError) => caught,
    );
    expect(blocked).toBeInstanceOf(MigrationError);
    expect((blocked as MigrationError).code).toBe("P3009");
    expect((blocked as MigrationError).message.split("\n")).toHaveLength(1);
    expect((blocked as MigrationError).message).toMatch(
      /the migration 20990101000000_broken failed at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{3})? UTC and is still recorded as failed.*P3009.*migrate resolve --rolled-back 20990101000000_broken/,
    );
    expect((blocked as MigrationError).prismaMessage).toMatch(
      /^migrate found failed migrations in the target database, new migrations will not be applied\..*\nThe `20990101000000_broken` migration started at .* UTC failed\n$/,
    );
    expect(rowsOf(file)).toEqual(rows);
  });

  it("applies again once the failed migration is marked rolled back", async () => {
    const migrationsDir = migrationsFolder({ "20990101000000_broken": 'INSERT INTO "Nope" VALUES (1);\n' });
    const file = path.join(tempDir(), "resolved.db");
    await expect(migrateDeploy({ databaseUrl: `file:${file}`, migrationsDir })).rejects.toMatchObject({
      code: "P3018",
    });
    fs.writeFileSync(
      path.join(migrationsDir, "20990101000000_broken", "migration.sql"),
      'CREATE TABLE "Fixed" ("id" INTEGER);\n',
    );
    const database = new Database(file);
    database.prepare("UPDATE _prisma_migrations SET rolled_back_at = ? WHERE finished_at IS NULL").run(Date.now());
    database.close();

    expect((await migrateDeploy({ databaseUrl: `file:${file}`, migrationsDir })).appliedMigrationNames).toEqual([
      "20990101000000_broken",
    ]);
    const attempts = rowsOf(file).filter((row) => row.migration_name === "20990101000000_broken");
    expect(attempts.map((row) => [row.rolled_back_at === null, row.finished_at === null])).toEqual([
      [false, true],
      [true, false],
    ]);
  });

  it("warns about applied migrations missing on disk, as prisma migrate status words it, and goes on", async () => {
    const file = path.join(tempDir(), "missing.db");
    const withExtra = migrationsFolder({ "20990101000000_gone": 'CREATE TABLE "Gone" ("id" INTEGER);\n' });
    await migrateDeploy({ databaseUrl: `file:${file}`, migrationsDir: withExtra });
    const newer = migrationsFolder({ "20990201000000_next": 'CREATE TABLE "Next" ("id" INTEGER);\n' });
    const warnings: string[] = [];
    const result = await migrateDeploy({
      databaseUrl: `file:${file}`,
      migrationsDir: newer,
      onWarning: (message) => warnings.push(message),
    });
    expect(result.appliedMigrationNames).toEqual(["20990201000000_next"]);
    expect(result.migrationsMissingFromDisk).toEqual(["20990101000000_gone"]);
    expect(warnings).toEqual([
      "The following migration(s) are applied to the database but missing from the local migrations directory: 20990101000000_gone",
    ]);
  });

  it("refuses a database with tables but no migration history (P3005) and another provider's migrations (P3019)", async () => {
    const file = path.join(tempDir(), "foreign.db");
    const database = new Database(file);
    database.exec('CREATE TABLE "Other" ("id" INTEGER)');
    database.close();
    await expect(migrateDeploy({ databaseUrl: `file:${file}` })).rejects.toMatchObject({ code: "P3005" });

    const postgres = migrationsFolder({}, { committed: false });
    fs.writeFileSync(path.join(postgres, "migration_lock.toml"), 'provider = "postgresql"\n');
    await expect(
      migrateDeploy({ databaseUrl: `file:${path.join(tempDir(), "new.db")}`, migrationsDir: postgres }),
    ).rejects.toMatchObject({
      code: "P3019",
      message: expect.stringMatching(/written for postgresql .* sqlite database/),
    });
  });

  for (const journal of ["delete", "wal"]) {
    it(`applies each migration once when processes start together (journal_mode=${journal})`, async () => {
      const migrationsDir = migrationsFolder({
        "20990101000000_slow": SLOW_MIGRATION,
        "20990102000000_after": 'CREATE TABLE "After" ("id" INTEGER);\n',
      });
      const file = path.join(tempDir(), "shared.db");
      if (journal === "wal") {
        const database = new Database(file);
        database.pragma("journal_mode = WAL");
        database.close();
      }
      const script = `const { migrateDeploy } = await import(${JSON.stringify(pathToFileURL(RUNNER).href)});
        const result = await migrateDeploy({ databaseUrl: process.env.URL, migrationsDir: process.env.DIR });
        console.log(JSON.stringify(result.appliedMigrationNames));`;
      const run = () =>
        new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
          const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
            env: { ...process.env, URL: `file:${file}`, DIR: migrationsDir },
          });
          let out = "";
          let err = "";
          child.stdout.on("data", (chunk) => (out += chunk));
          child.stderr.on("data", (chunk) => (err += chunk));
          child.on("exit", (code) => resolve({ code, out, err }));
        });
      const results = await Promise.all([run(), run(), run()]);
      for (const result of results) expect(result.code, result.err).toBe(0);
      const applied = results.map((result) => JSON.parse(result.out) as string[]).sort((a, b) => b.length - a.length);
      expect(applied).toEqual([[...FOLDERS, "20990101000000_slow", "20990102000000_after"], [], []]);
      const rows = rowsOf(file);
      expect(rows.map((row) => row.migration_name)).toEqual([
        ...FOLDERS,
        "20990101000000_slow",
        "20990102000000_after",
      ]);
      expect(rows.every((row) => row.finished_at !== null && row.applied_steps_count === 1)).toBe(true);
      expect(read(file, (database) => database.pragma("journal_mode", { simple: true }))).toBe(journal);
    }, 60_000);
  }

  it("never loads the wasm schema engine or the developer tooling", () => {
    const dir = tempDir();
    const log = path.join(dir, "loaded.txt");
    const hooks = `import fs from "node:fs";
      export async function resolve(specifier, context, next) {
        const result = await next(specifier, context);
        fs.appendFileSync(${JSON.stringify(log)}, result.url + "\\n");
        return result;
      }`;
    const register = `import { register } from "node:module"; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)});`;
    const script = `const { migrateDeploy } = await import(${JSON.stringify(pathToFileURL(RUNNER).href)});
      await migrateDeploy({ databaseUrl: "file:${path.join(dir, "portal.db")}" });`;
    const child = spawnSync(
      process.execPath,
      ["--import", `data:text/javascript,${encodeURIComponent(register)}`, "--input-type=module", "-e", script],
      {
        encoding: "utf8",
      },
    );
    expect(child.status, child.stderr).toBe(0);
    const loaded = fs.readFileSync(log, "utf8");
    expect(loaded).toContain("lib/db/migrate/sqlite.mjs");
    expect(loaded).not.toMatch(/schema-engine|prisma-schema-engine|@prisma\//);
  });

  it("is type-checked: the JavaScript against its JSDoc and index.d.mts, the tooling's version check against versions.d.mts", () => {
    for (const project of ["lib/db/migrate", "tools/prisma-schema-engine"]) {
      const tsc = spawnSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", project], {
        encoding: "utf8",
        timeout: 120_000,
      });
      expect(tsc.stdout + tsc.stderr, project).toBe("");
      expect(tsc.status).toBe(0);
    }
  }, 180_000);
});
