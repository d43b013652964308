#!/usr/bin/env node
// Apply pending migrations at application start, in-process, without the Prisma CLI.
//
//   import { migrateDeploy } from "./prisma/engine/migrate.mjs";
//   const { appliedMigrationNames } = await migrateDeploy({ databaseUrl: process.env.DATABASE_URL });
//
// or from a shell:  node prisma/engine/migrate.mjs
//
// The database is DATABASE_URL, else file:<DATA_DIR or ./data>/portal.db (as in lib/env.ts).
//
// It does what `prisma migrate deploy` does: create the database if it does not exist, then run
// the engine's applyMigrations over prisma/migrations (same engine, same `_prisma_migrations`
// bookkeeping). Relative `file:` URLs are resolved against process.cwd(), like the app does.

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { EngineHost, KnownError, canConnect, createDatabase, emptyFilter, providerOfUrl, readMigrationsList } from "./core.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
export function defaultDatabaseUrl() {
  return process.env.DATABASE_URL || `file:${process.env.DATA_DIR || "./data"}/portal.db`;
}

/**
 * @param {{ databaseUrl?: string, migrationsDir?: string, schemaPath?: string, baseDir?: string }} [options]
 * @returns {Promise<{ appliedMigrationNames: string[], createdDatabase: boolean }>}
 */
export async function migrateDeploy(options = {}) {
  const databaseUrl = options.databaseUrl || defaultDatabaseUrl();
  const migrationsDir = options.migrationsDir ?? path.join(here, "..", "migrations");
  const schemaPath = options.schemaPath ?? path.join(here, "..", "schema.prisma");
  const baseDir = options.baseDir ?? process.cwd();
  providerOfUrl(databaseUrl); // throws on unsupported URLs

  let createdDatabase = false;
  try {
    await canConnect({ url: databaseUrl }, baseDir);
  } catch (error) {
    if (!(error instanceof KnownError && error.code === "P1003")) throw error;
    await createDatabase({ url: databaseUrl }, baseDir);
    createdDatabase = true;
  }

  const host = new EngineHost({
    datasource: { url: databaseUrl },
    datamodels: fs.existsSync(schemaPath) ? [[schemaPath, fs.readFileSync(schemaPath, "utf8")]] : undefined,
    baseDir,
  });
  try {
    const migrationsList = await readMigrationsList(migrationsDir);
    const { appliedMigrationNames } = await host.applyMigrations({ migrationsList, filters: emptyFilter() });
    return { appliedMigrationNames, createdDatabase };
  } finally {
    await host.dispose();
  }
}

// Command-line use.
if (process.argv[1] && import.meta.url === pathToFileURL(fs.realpathSync(process.argv[1])).href) {
  const started = performance.now();
  migrateDeploy()
    .then(({ appliedMigrationNames, createdDatabase }) => {
      const ms = Math.round(performance.now() - started);
      if (createdDatabase) console.log("Created the database.");
      if (appliedMigrationNames.length === 0) console.log(`No pending migrations to apply (${ms} ms).`);
      else console.log(`Applied ${appliedMigrationNames.length} migration(s) in ${ms} ms: ${appliedMigrationNames.join(", ")}`);
    })
    .catch((error) => {
      // One line: scripts/start.mjs reports the last line of stderr.
      const message = String(error?.message ?? error).replace(/\s*\n\s*/g, " ").trim();
      console.error(`Migration failed${error?.code ? ` (${error.code})` : ""}: ${message}`);
      process.exit(1);
    });
}
