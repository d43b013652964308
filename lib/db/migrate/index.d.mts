/**
 * Types for index.mjs, the migration runner (plain JavaScript so that `npm start` runs it with
 * plain Node). index.mjs declares each export with `@type` from this file, and
 * `tsc -p lib/db/migrate` checks the JavaScript against it (see README.md in this folder).
 */

export interface MigrateDeployOptions {
  /**
   * `file:` URL of the SQLite database or `postgresql://` URL (also `postgres://`, with `?schema=`
   * and `sslmode=`); default DATABASE_URL, else file:<DATA_DIR or ./data>/portal.db.
   */
  databaseUrl?: string;
  /** The migrations folder; default prisma/migrations (SQLite) or prisma/postgresql/migrations (PostgreSQL). */
  migrationsDir?: string;
  /** Relative `file:` paths are resolved against it; default process.cwd(), as the app does. */
  baseDir?: string;
  /** How long to wait for another process that is migrating the same database; default 60 s. */
  lockTimeoutMs?: number;
  /** PostgreSQL: how long to wait for the server to answer a connection; default 5 s (or the URL's connect_timeout). */
  connectTimeoutMs?: number;
  /** Receives the warnings `prisma migrate status` would print; default console.warn. */
  onWarning?: (message: string) => void;
}

export interface MigrateDeployResult {
  /** The migrations this call applied, in order (empty when the database was up to date). */
  appliedMigrationNames: string[];
  /** Whether the database (SQLite file, PostgreSQL database) did not exist before. */
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
 * PostgreSQL named by DATABASE_URL cannot be reached, refuses the sign-in, or misses its database
 * and cannot create it. `message` is one line naming the URL (password masked) and the fix.
 */
export class DatabaseConnectionError extends Error {
  constructor(message: string, reason: string);
  /** The driver's code or message. */
  readonly reason: string;
}

/** Connects to the PostgreSQL URL once; throws DatabaseConnectionError when that fails. */
export function checkPostgresConnection(databaseUrl: string, options?: { connectTimeoutMs?: number }): Promise<void>;

/**
 * Applies the pending migrations of prisma/migrations (or prisma/postgresql/migrations) to the database, as `prisma migrate deploy`
 * does (same `_prisma_migrations` table, rows, checksums and errors), under a lock that makes
 * processes starting together migrate once. Creates the database (file) when it is missing.
 */
export function migrateDeploy(options?: MigrateDeployOptions): Promise<MigrateDeployResult>;

/** DATABASE_URL, else file:<DATA_DIR or ./data>/portal.db (as lib/env.ts). */
export function defaultDatabaseUrl(): string;

/** The committed migrations folder, prisma/migrations. */
export const MIGRATIONS_DIR: string;

/** The committed PostgreSQL migrations folder, prisma/postgresql/migrations. */
export const POSTGRES_MIGRATIONS_DIR: string;
