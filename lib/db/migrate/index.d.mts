/**
 * Types for index.mjs, the migration runner (plain JavaScript so that `npm start` runs it with
 * plain Node). index.mjs declares each export with `@type` from this file, and
 * `tsc -p lib/db/migrate` checks the JavaScript against it (see README.md in this folder).
 */

export interface MigrateDeployOptions {
  /** `file:` URL of the SQLite database; default DATABASE_URL, else file:<DATA_DIR or ./data>/portal.db. */
  databaseUrl?: string;
  /** The migrations folder; default prisma/migrations. */
  migrationsDir?: string;
  /** Relative `file:` paths are resolved against it; default process.cwd(), as the app does. */
  baseDir?: string;
  /** How long to wait for another process that is migrating the same database; default 60 s. */
  lockTimeoutMs?: number;
  /** Receives the warnings `prisma migrate status` would print; default console.warn. */
  onWarning?: (message: string) => void;
}

export interface MigrateDeployResult {
  /** The migrations this call applied, in order (empty when the database was up to date). */
  appliedMigrationNames: string[];
  /** Whether the database file did not exist before. */
  createdDatabase: boolean;
  /** Migrations recorded as applied in the database whose folder is not on disk (a warning, as in Prisma). */
  migrationsMissingFromDisk: string[];
}

/** Prisma's error codes for the failures the runner reports. */
export type MigrationErrorCode =
  | "P3005" // the database is not empty and has no _prisma_migrations table
  | "P3009" // a failed migration is recorded: nothing is applied until it is resolved
  | "P3015" // a migration folder has no migration.sql
  | "P3018" // a migration failed to apply (now recorded as failed)
  | "P3019"; // migration_lock.toml names another provider

export class MigrationError extends Error {
  constructor(code: MigrationErrorCode, message: string, prismaMessage: string, migrationName?: string);
  readonly code: MigrationErrorCode;
  /** Prisma's own (multi-line) text for the error: what the `logs` column and the Prisma CLI show. */
  readonly prismaMessage: string;
  /** The migration the error is about, when there is one. */
  readonly migrationName: string | undefined;
}

/**
 * Applies the pending migrations of prisma/migrations to the database, as `prisma migrate deploy`
 * does (same `_prisma_migrations` table, rows, checksums and errors), under a lock that makes
 * processes starting together migrate once. Creates the database file when it is missing.
 */
export function migrateDeploy(options?: MigrateDeployOptions): Promise<MigrateDeployResult>;

/** DATABASE_URL, else file:<DATA_DIR or ./data>/portal.db (as lib/env.ts). */
export function defaultDatabaseUrl(): string;

/** The committed migrations folder, prisma/migrations. */
export const MIGRATIONS_DIR: string;
