import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import {
  dropTestDatabase,
  postgresServerUrl,
  testDatabaseName,
  testDatabaseUrl,
} from "../integration/postgres/test-postgres";
import {
  DatabaseConnectionError,
  MIGRATIONS_DIR,
  MigrationError,
  POSTGRES_MIGRATIONS_DIR,
  migrateDeploy,
} from "./index.mjs";

// The runner against the tests' real PostgreSQL (bash e2e/postgres/start.sh): the same bookkeeping
// as `prisma migrate deploy`, once per database however many processes start together, each
// migration in one implicit transaction, and a failed migration that blocks the next run.

const RUNNER = path.resolve("lib/db/migrate/index.mjs");
const FOLDERS = fs
  .readdirSync(POSTGRES_MIGRATIONS_DIR)
  .filter((name) => fs.statSync(path.join(POSTGRES_MIGRATIONS_DIR, name)).isDirectory())
  .sort();
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const databases: string[] = [];
/** A database name of this file's own (created by the runner or the test), dropped at the end. */
function database(label: string) {
  const name = testDatabaseName(label);
  databases.push(name);
  return name;
}
afterAll(async () => {
  for (const name of databases) await dropTestDatabase(name);
}, 60_000);

async function query<T extends Record<string, unknown>>(
  url: string,
  sql: string,
  values: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return (await client.query(sql, values)).rows as T[];
  } finally {
    await client.end();
  }
}

type Row = {
  id: string;
  checksum: string;
  finished_at: Date | null;
  migration_name: string;
  logs: string | null;
  rolled_back_at: Date | null;
  started_at: Date;
  applied_steps_count: number;
};
const rowsOf = (url: string, schema = "public") =>
  query<Row>(url, `SELECT * FROM "${schema}"._prisma_migrations ORDER BY started_at, migration_name`);

/** Tables, columns (with types and defaults), indexes and constraints of a schema. */
async function schemaOf(url: string, schema = "public") {
  const columns = await query(
    url,
    `SELECT table_name, column_name, ordinal_position, data_type, character_maximum_length, datetime_precision, is_nullable, column_default
     FROM information_schema.columns WHERE table_schema = $1 ORDER BY table_name, ordinal_position`,
    [schema],
  );
  const indexes = await query(
    url,
    "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = $1 ORDER BY tablename, indexname",
    [schema],
  );
  const constraints = await query(
    url,
    `SELECT conrelid::regclass::text AS on_table, conname, pg_get_constraintdef(oid) AS definition
     FROM pg_constraint WHERE connamespace = $1::regnamespace ORDER BY on_table, conname`,
    [schema],
  );
  return {
    columns,
    indexes: indexes.map((row) => ({ ...row, indexdef: String(row.indexdef).replace(` ${schema}.`, " ") })),
    constraints,
  };
}

function migrationsFolder(extra: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pg-migrations-"));
  fs.cpSync(POSTGRES_MIGRATIONS_DIR, dir, { recursive: true });
  for (const [name, sql] of Object.entries(extra)) {
    fs.mkdirSync(path.join(dir, name));
    fs.writeFileSync(path.join(dir, name, "migration.sql"), sql);
  }
  return dir;
}

describe("migrateDeploy on PostgreSQL", () => {
  it("creates the database and records the migrations exactly as prisma migrate deploy does; a rerun applies nothing", async () => {
    const reference = testDatabaseUrl(database("reference"));
    const prisma = spawnSync("npx", ["prisma", "migrate", "deploy", "--config", "prisma/postgresql/prisma.config.ts"], {
      env: { ...process.env, DATABASE_URL: reference },
      encoding: "utf8",
      timeout: 120_000,
    });
    expect(prisma.status, `${prisma.stdout}\n${prisma.stderr}`).toBe(0);

    const url = testDatabaseUrl(database("fresh"));
    const before = Date.now();
    const result = await migrateDeploy({ databaseUrl: url });
    const after = Date.now();
    expect(result).toEqual({ appliedMigrationNames: FOLDERS, createdDatabase: true, migrationsMissingFromDisk: [] });

    // Same tables, columns, indexes, constraints, and `_prisma_migrations` as Prisma's own.
    expect(await schemaOf(url)).toEqual(await schemaOf(reference));
    const ours = await rowsOf(url);
    const theirs = await rowsOf(reference);
    const comparable = (rows: Row[]) =>
      rows.map(({ migration_name, checksum, applied_steps_count, logs, rolled_back_at }) => ({
        migration_name,
        checksum,
        applied_steps_count,
        logs,
        rolled_back_at,
      }));
    expect(comparable(ours)).toEqual(comparable(theirs));
    for (const row of ours) {
      expect(row.id).toMatch(UUID_V4);
      expect(row.started_at.getTime()).toBeGreaterThanOrEqual(before);
      expect(row.finished_at!.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
      expect(row.finished_at!.getTime()).toBeLessThanOrEqual(after);
    }

    const again = await migrateDeploy({ databaseUrl: url });
    expect(again).toEqual({ appliedMigrationNames: [], createdDatabase: false, migrationsMissingFromDisk: [] });
    expect(await rowsOf(url)).toEqual(ours);

    // And Prisma reads our bookkeeping as its own.
    const status = spawnSync("npx", ["prisma", "migrate", "status", "--config", "prisma/postgresql/prisma.config.ts"], {
      env: { ...process.env, DATABASE_URL: url },
      encoding: "utf8",
      timeout: 120_000,
    });
    expect(status.stdout, status.stderr).toContain("Database schema is up to date!");
  }, 300_000);

  it("migrates into ?schema=, creating the schema, and leaves public alone", async () => {
    const name = database("schema");
    const url = testDatabaseUrl(name, "?schema=portal_app");
    expect((await migrateDeploy({ databaseUrl: url })).appliedMigrationNames).toEqual(FOLDERS);
    const bare = testDatabaseUrl(name);
    expect((await rowsOf(bare, "portal_app")).map((row) => row.migration_name)).toEqual(FOLDERS);
    expect((await schemaOf(bare, "portal_app")).columns.some((row) => row.table_name === "User")).toBe(true);
    expect((await schemaOf(bare, "public")).columns).toEqual([]);
    expect((await migrateDeploy({ databaseUrl: url })).appliedMigrationNames).toEqual([]);
  }, 60_000);

  it("runs a migration in one transaction: a failure applies none of it, is recorded as Prisma does, and blocks the next run", async () => {
    const name = database("broken");
    const url = testDatabaseUrl(name);
    const broken = '-- CreateTable\nCREATE TABLE "Half" ("id" INTEGER);\n\nSELECT * FROM "Nope";\n';
    const migrationsDir = migrationsFolder({ "20990101000000_broken": broken });

    const error = await migrateDeploy({ databaseUrl: url, migrationsDir }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MigrationError);
    expect(error).toMatchObject({ code: "P3018", migrationName: "20990101000000_broken" });
    const message = (error as MigrationError).message;
    expect(message.split("\n")).toHaveLength(1);
    expect(message).toContain('PostgreSQL error 42P01: ERROR: relation "Nope" does not exist');
    expect(message).toContain("none of its statements were applied");

    const rows = await rowsOf(url);
    expect(rows.map((row) => [row.migration_name, row.finished_at === null, row.applied_steps_count])).toEqual([
      ...FOLDERS.map((folder) => [folder, false, 1]),
      ["20990101000000_broken", true, 0],
    ]);
    expect(rows.at(-1)!.logs).toBe(`${(error as MigrationError).prismaMessage}\n`);
    expect(rows.at(-1)!.logs).toContain(
      "Migration name: 20990101000000_broken\n\nDatabase error code: 42P01\n\nDatabase error:\nERROR: relation",
    );
    // The CREATE TABLE before the failing statement was rolled back with it.
    expect(await query(url, "SELECT to_regclass('\"Half\"') AS half")).toEqual([{ half: null }]);

    const blocked = await migrateDeploy({ databaseUrl: url, migrationsDir }).catch((caught: unknown) => caught);
    expect(blocked).toMatchObject({ code: "P3009", migrationName: "20990101000000_broken" });
    expect((blocked as MigrationError).message.split("\n")).toHaveLength(1);

    // `prisma migrate resolve --rolled-back` sets rolled_back_at; the repaired migration then applies.
    await query(url, "UPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name = $1", [
      "20990101000000_broken",
    ]);
    fs.writeFileSync(
      path.join(migrationsDir, "20990101000000_broken", "migration.sql"),
      'CREATE TABLE "Half" ("id" INTEGER);\n',
    );
    expect((await migrateDeploy({ databaseUrl: url, migrationsDir })).appliedMigrationNames).toEqual([
      "20990101000000_broken",
    ]);
  }, 60_000);

  it("sends each script as one query, so a function body with semicolons applies", async () => {
    const url = testDatabaseUrl(database("function"));
    const migrationsDir = migrationsFolder({
      "20990101000000_function":
        "CREATE FUNCTION portal_two() RETURNS integer AS $$ BEGIN RETURN 1 + 1; END; $$ LANGUAGE plpgsql;\n",
    });
    await migrateDeploy({ databaseUrl: url, migrationsDir });
    expect(await query(url, "SELECT portal_two() AS two")).toEqual([{ two: 2 }]);
  }, 60_000);

  it("applies each migration once when three processes start together on a database that does not exist yet", async () => {
    const url = testDatabaseUrl(database("together"));
    const migrationsDir = migrationsFolder({
      "20990101000000_slow": 'CREATE TABLE "Slow" AS SELECT 1 AS x FROM pg_sleep(1.5);\n',
      "20990102000000_after": 'CREATE TABLE "After" ("id" INTEGER);\n',
    });
    const script = `const { migrateDeploy } = await import(${JSON.stringify(pathToFileURL(RUNNER).href)});
      const result = await migrateDeploy({ databaseUrl: process.env.URL, migrationsDir: process.env.DIR });
      console.log(JSON.stringify(result.appliedMigrationNames));`;
    const run = () =>
      new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
        const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
          env: { ...process.env, URL: url, DIR: migrationsDir },
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
    const rows = await rowsOf(url);
    expect(rows.map((row) => row.migration_name)).toEqual([...FOLDERS, "20990101000000_slow", "20990102000000_after"]);
    expect(rows.every((row) => row.finished_at !== null && row.applied_steps_count === 1)).toBe(true);
  }, 120_000);

  it("refuses a database with tables but no migration history (P3005) and SQLite's migrations (P3019)", async () => {
    const name = database("foreign");
    const url = testDatabaseUrl(name);
    await query(`${postgresServerUrl()}/postgres`, `CREATE DATABASE "${name}"`);
    await expect(migrateDeploy({ databaseUrl: url, migrationsDir: MIGRATIONS_DIR })).rejects.toMatchObject({
      code: "P3019",
    });
    await query(url, 'CREATE TABLE "Other" ("id" INTEGER)');
    await expect(migrateDeploy({ databaseUrl: url })).rejects.toMatchObject({ code: "P3005" });
  }, 60_000);

  it("names the URL without its password and the fix when PostgreSQL is down or refuses the password, within seconds", async () => {
    const started = Date.now();
    const down = await migrateDeploy({ databaseUrl: "postgresql://portal:s3cret@127.0.0.1:5999/portal" }).catch(
      (caught: unknown) => caught,
    );
    expect(down).toBeInstanceOf(DatabaseConnectionError);
    expect((down as Error).message).toBe(
      "Cannot reach PostgreSQL at postgresql://portal:***@127.0.0.1:5999/portal (ECONNREFUSED): start it or fix DATABASE_URL.",
    );

    const wrong = await migrateDeploy({
      databaseUrl: `${postgresServerUrl().replace(":portal-test@", ":wrong@")}/postgres`,
    }).catch((caught: unknown) => caught);
    expect(wrong).toBeInstanceOf(DatabaseConnectionError);
    expect((wrong as Error).message).toMatch(
      /^PostgreSQL at postgresql:\/\/portal:\*\*\*@127\.0\.0\.1:\d+\/postgres refused the sign-in \(28P01 password authentication failed for user "portal"\): fix the user or password in DATABASE_URL/,
    );
    expect((wrong as Error).message).not.toContain("wrong");

    // A server that accepts the connection and never answers: the connect timeout, not the OS's minutes.
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as net.AddressInfo;
    try {
      const hung = await migrateDeploy({
        databaseUrl: `postgresql://portal:x@127.0.0.1:${port}/portal?connect_timeout=2`,
      }).catch((caught: unknown) => caught);
      expect((hung as Error).message).toBe(
        `Cannot reach PostgreSQL at postgresql://portal:***@127.0.0.1:${port}/portal?connect_timeout=2 (connection timed out): start it or fix DATABASE_URL.`,
      );
    } finally {
      silent.close();
    }
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 60_000);
});
