// @ts-check
// The portal's migration runner: applies prisma/migrations (SQLite) or prisma/postgresql/migrations
// (PostgreSQL) at `npm start` and in the tests, exactly as `prisma migrate deploy` does, with
// better-sqlite3 or pg and no Prisma engine. Plain JavaScript so that plain Node runs it;
// index.d.mts holds the types (see README.md).
//
//   import { migrateDeploy } from "./lib/db/migrate/index.mjs";
//   const { appliedMigrationNames } = await migrateDeploy({ databaseUrl: process.env.DATABASE_URL });

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { databaseProviderOf, maskDatabaseUrl, postgresSettings, quoteIdentifier } from "./database-url.mjs";
import { deploy, missingFromDiskWarning } from "./deploy.mjs";
import { DatabaseConnectionError, MigrationError } from "./errors.mjs";
import { postgresDialect } from "./postgres.mjs";
import { sqliteDialect } from "./sqlite.mjs";

export { DatabaseConnectionError, MigrationError };

/** @type {typeof import("./index.d.mts").MIGRATIONS_DIR} */
export const MIGRATIONS_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "..",
  "prisma",
  "migrations",
);

/** @type {typeof import("./index.d.mts").POSTGRES_MIGRATIONS_DIR} */
export const POSTGRES_MIGRATIONS_DIR = path.resolve(MIGRATIONS_DIR, "..", "postgresql", "migrations");

/** @type {typeof import("./index.d.mts").defaultDatabaseUrl} */
export function defaultDatabaseUrl() {
  return process.env.DATABASE_URL || `file:${process.env.DATA_DIR || "./data"}/portal.db`;
}

/**
 * The file of a `file:` URL (query parameters such as ?connection_limit=1 are dropped, as Prisma does).
 * @param {string} databaseUrl
 * @param {string} baseDir
 */
function sqliteFile(databaseUrl, baseDir) {
  const rest = databaseUrl.slice("file:".length).split("?")[0] ?? "";
  if (!rest || rest.startsWith(":memory:"))
    throw new Error(`DATABASE_URL must name a SQLite file (got "${databaseUrl}")`);
  return path.resolve(baseDir, rest);
}

/** @type {typeof import("./index.d.mts").migrateDeploy} */
export async function migrateDeploy(options = {}) {
  const databaseUrl = options.databaseUrl || defaultDatabaseUrl();
  const provider = databaseProviderOf(databaseUrl);
  const lockTimeoutMs = options.lockTimeoutMs ?? 60_000;
  const onWarning = options.onWarning ?? ((message) => console.warn(message));
  if (!provider) {
    throw new Error(
      `DATABASE_URL must be a SQLite file: URL or a postgresql:// URL (got "${maskDatabaseUrl(databaseUrl).split(":")[0]}:…")`,
    );
  }
  const migrationsDir = options.migrationsDir ?? (provider === "sqlite" ? MIGRATIONS_DIR : POSTGRES_MIGRATIONS_DIR);

  /** @type {import("./dialect.d.mts").Dialect} */
  let dialect;
  let createdDatabase;
  if (provider === "sqlite") {
    const file = sqliteFile(databaseUrl, options.baseDir ?? process.cwd());
    // Like Prisma's deploy: a missing database (and its folder) is created.
    createdDatabase = !fs.existsSync(file);
    if (createdDatabase) fs.mkdirSync(path.dirname(file), { recursive: true });
    dialect = sqliteDialect(file, { lockTimeoutMs });
  } else {
    const { config, schema } = postgresSettings(databaseUrl, { connectTimeoutMs: options.connectTimeoutMs });
    // Like Prisma's deploy: a missing database is created (the user needs CREATEDB for that).
    createdDatabase = await ensurePostgresDatabase(databaseUrl, config);
    const { max: _max, ...clientConfig } = config;
    void _max;
    dialect = postgresDialect({ client: () => new pg.Client(clientConfig), schema, lockTimeoutMs });
  }

  const { appliedMigrationNames, migrationsMissingFromDisk } = await deploy(dialect, migrationsDir);
  if (migrationsMissingFromDisk.length > 0) onWarning(missingFromDiskWarning(migrationsMissingFromDisk));
  return { appliedMigrationNames, createdDatabase, migrationsMissingFromDisk };
}

/** @type {typeof import("./index.d.mts").checkPostgresConnection} */
export async function checkPostgresConnection(databaseUrl, options = {}) {
  const { config } = postgresSettings(databaseUrl, { connectTimeoutMs: options.connectTimeoutMs });
  await ensurePostgresDatabase(databaseUrl, config, { create: false });
}

/**
 * Connects once to see that the server answers; creates the database when it is missing (unless
 * `create` is false). Every failure is a DatabaseConnectionError with one line naming the fix.
 * @param {string} databaseUrl
 * @param {import("pg").PoolConfig} config
 * @param {{ create?: boolean }} [options]
 * @returns {Promise<boolean>} whether it created the database
 */
async function ensurePostgresDatabase(databaseUrl, config, { create = true } = {}) {
  const { max: _max, ...clientConfig } = config;
  void _max;
  const where = maskDatabaseUrl(databaseUrl);
  try {
    await probe(clientConfig);
    return false;
  } catch (error) {
    const code = errorCode(error);
    if (code !== "3D000" || !create) throw connectionError(where, error, clientConfig.database);
  }
  const database = String(clientConfig.database);
  try {
    await probe({ ...clientConfig, database: "postgres" }, `CREATE DATABASE ${quoteIdentifier(database)}`);
    return true;
  } catch (error) {
    // Another instance created it first (duplicate_database, or the catalog's unique index when both raced).
    if (["42P04", "23505"].includes(errorCode(error))) return false;
    throw new DatabaseConnectionError(
      `PostgreSQL at ${where} has no database "${database}" and could not create it (${describe(error)}): create it (CREATE DATABASE) or fix DATABASE_URL.`,
      describe(error),
    );
  }
}

/**
 * @param {import("pg").ClientConfig} config
 * @param {string} [sql]
 */
async function probe(config, sql = "SELECT 1") {
  const client = new pg.Client(config);
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.query(sql);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** @param {unknown} error */
function errorCode(error) {
  return String(/** @type {{ code?: unknown }} */ (error)?.code ?? "");
}

/** @param {unknown} error */
function describe(error) {
  const code = errorCode(error);
  const message = String(/** @type {{ message?: unknown }} */ (error)?.message ?? error).replace(/\s*\n\s*/g, " ");
  if (!code) return message;
  return /^[0-9A-Z]{5}$/.test(code) ? `${code} ${message}` : code;
}

/**
 * @param {string} where the masked URL
 * @param {unknown} error
 * @param {unknown} database
 */
function connectionError(where, error, database) {
  const code = errorCode(error);
  const reason = describe(error);
  /** @type {string} */
  let message;
  if (code === "28P01" || code === "28000") {
    message = `PostgreSQL at ${where} refused the sign-in (${reason}): fix the user or password in DATABASE_URL, or the server's pg_hba.conf.`;
  } else if (code === "3D000") {
    message = `PostgreSQL at ${where} has no database "${String(database)}" (${reason}): create it or fix DATABASE_URL.`;
  } else if (/ssl|tls|certificate/i.test(reason)) {
    message = `Cannot open a TLS connection to PostgreSQL at ${where} (${reason}): fix sslmode (and sslrootcert) in DATABASE_URL.`;
  } else if (/^[0-9A-Z]{5}$/.test(code)) {
    message = `PostgreSQL at ${where} refused the connection (${reason}): fix DATABASE_URL or the server.`;
  } else {
    const why = /timeout/i.test(reason) ? "connection timed out" : reason;
    message = `Cannot reach PostgreSQL at ${where} (${why}): start it or fix DATABASE_URL.`;
  }
  return new DatabaseConnectionError(message, reason);
}

// index.d.mts declares the classes; these lines make tsc compare them.
/** @type {typeof import("./index.d.mts").MigrationError} */
const declaredMigrationError = MigrationError;
void declaredMigrationError;
/** @type {typeof import("./index.d.mts").DatabaseConnectionError} */
const declaredConnectionError = DatabaseConnectionError;
void declaredConnectionError;
