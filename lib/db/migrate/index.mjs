// @ts-check
// The portal's migration runner: applies prisma/migrations at `npm start` and in the tests,
// exactly as `prisma migrate deploy` does, with better-sqlite3 and no Prisma engine. Plain
// JavaScript so that plain Node runs it; index.d.mts holds the types (see README.md).
//
//   import { migrateDeploy } from "./lib/db/migrate/index.mjs";
//   const { appliedMigrationNames } = await migrateDeploy({ databaseUrl: process.env.DATABASE_URL });

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { deploy, missingFromDiskWarning } from "./deploy.mjs";
import { MigrationError } from "./errors.mjs";
import { sqliteDialect } from "./sqlite.mjs";

export { MigrationError };

/** @type {typeof import("./index.d.mts").MIGRATIONS_DIR} */
export const MIGRATIONS_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "..",
  "prisma",
  "migrations",
);

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
  const migrationsDir = options.migrationsDir ?? MIGRATIONS_DIR;
  const lockTimeoutMs = options.lockTimeoutMs ?? 60_000;
  const onWarning = options.onWarning ?? ((message) => console.warn(message));

  if (!databaseUrl.startsWith("file:")) {
    // The next dialect (PostgreSQL) plugs in here.
    throw new Error(`only SQLite file: URLs are supported (got "${databaseUrl.split(":")[0]}:…")`);
  }
  const file = sqliteFile(databaseUrl, options.baseDir ?? process.cwd());
  // Like Prisma's deploy: a missing database (and its folder) is created.
  const createdDatabase = !fs.existsSync(file);
  if (createdDatabase) fs.mkdirSync(path.dirname(file), { recursive: true });

  const { appliedMigrationNames, migrationsMissingFromDisk } = await deploy(
    sqliteDialect(file, { lockTimeoutMs }),
    migrationsDir,
  );
  if (migrationsMissingFromDisk.length > 0) onWarning(missingFromDiskWarning(migrationsMissingFromDisk));
  return { appliedMigrationNames, createdDatabase, migrationsMissingFromDisk };
}

// index.d.mts declares the class; this line makes tsc compare the two.
/** @type {typeof import("./index.d.mts").MigrationError} */
const declaredMigrationError = MigrationError;
void declaredMigrationError;
