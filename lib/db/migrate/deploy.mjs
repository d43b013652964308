// @ts-check
// What `prisma migrate deploy` does (schema-engine's applyMigrations), over one Dialect:
//
//   lock → create _prisma_migrations if missing (P3005 if other tables exist) → refuse while a
//   failed migration is recorded (P3009) → for each folder not yet applied, in name order:
//   insert its row (uuid, sha256 checksum, started_at), run migration.sql as one script outside
//   any transaction, then applied_steps_count + 1 and finished_at; on failure write Prisma's
//   error into logs, leave finished_at NULL and stop (P3018).
//
// Rows whose folder is gone are left alone, as Prisma's deploy does; they are reported back
// (and warned about) with the wording of `prisma migrate status`.

import { randomUUID } from "node:crypto";
import {
  ScriptError,
  failedMigrationsFound,
  migrationFailed,
  migrationFileNotFound,
  providerMismatch,
  schemaNotEmpty,
} from "./errors.mjs";
import { listMigrationFolders, lockfileProvider, readMigrationScript } from "./migrations-folder.mjs";

export const MIGRATIONS_TABLE = "_prisma_migrations";

/**
 * @param {import("./dialect.d.mts").Dialect} dialect
 * @param {string} migrationsDir
 * @returns {Promise<{ appliedMigrationNames: string[], migrationsMissingFromDisk: string[] }>}
 */
export async function deploy(dialect, migrationsDir) {
  const lockProvider = lockfileProvider(migrationsDir);
  if (lockProvider !== undefined && lockProvider !== dialect.provider)
    throw providerMismatch(dialect.provider, lockProvider);
  const folders = listMigrationFolders(migrationsDir);

  try {
    await dialect.lock();
    const tables = await dialect.tableNames();
    if (!tables.includes(MIGRATIONS_TABLE)) {
      if (tables.length > 0) throw schemaNotEmpty();
      await dialect.createMigrationsTable();
    }

    const rows = await dialect.listMigrations();
    const failed = rows.filter((row) => row.finishedAt === null && row.rolledBackAt === null);
    if (failed.length > 0) throw failedMigrationsFound(failed);

    const live = rows.filter((row) => row.rolledBackAt === null);
    const applied = new Set(live.map((row) => row.migrationName));
    const onDisk = new Set(folders.map((folder) => folder.name));
    const migrationsMissingFromDisk = [
      ...new Set(live.map((row) => row.migrationName).filter((name) => !onDisk.has(name))),
    ];

    /** @type {string[]} */
    const appliedMigrationNames = [];
    for (const folder of folders.filter((candidate) => !applied.has(candidate.name))) {
      const read = readMigrationScript(folder);
      if (!read) throw migrationFileNotFound(folder.name, folder.scriptPath);
      const id = randomUUID();
      await dialect.recordMigrationStarted({
        id,
        checksum: read.checksum,
        migrationName: folder.name,
        startedAt: Date.now(),
      });
      try {
        await dialect.applyScript(read.script);
      } catch (error) {
        if (!(error instanceof ScriptError)) throw error;
        const failure = migrationFailed(folder.name, error.failure, dialect.provider);
        // The native engine stores the error's text (and its trace) in logs.
        await dialect.recordFailedStep(id, `${failure.prismaMessage}\n`);
        throw failure;
      }
      await dialect.recordSuccessfulStep(id);
      await dialect.recordMigrationFinished(id, Date.now());
      appliedMigrationNames.push(folder.name);
    }
    return { appliedMigrationNames, migrationsMissingFromDisk };
  } finally {
    await dialect.close();
  }
}

/** @param {string[]} names */
export function missingFromDiskWarning(names) {
  return `The following migration(s) are applied to the database but missing from the local migrations directory: ${names.join(", ")}`;
}
