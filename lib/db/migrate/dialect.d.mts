/**
 * The seam between the runner (deploy.mjs: what `prisma migrate deploy` does) and one database
 * (sqlite.mjs: better-sqlite3; postgres.mjs: pg with pg_advisory_lock and timestamptz). Every
 * method may be synchronous underneath; the runner awaits them all.
 */

/** One row of `_prisma_migrations`. Timestamps are milliseconds since the epoch. */
export interface MigrationRow {
  id: string;
  checksum: string;
  migrationName: string;
  startedAt: number;
  finishedAt: number | null;
  rolledBackAt: number | null;
  appliedStepsCount: number;
  logs: string | null;
}

/** What a migration script's failure reports, as the native engine does for P3018. */
export interface ScriptFailure {
  /** The database's own error code ("1" for an SQLite error, "42P01" for PostgreSQL). */
  databaseErrorCode: string;
  /** The database's message ("no such table: Nope"). */
  databaseError: string;
}

export interface Dialect {
  /** The provider name migration_lock.toml must carry. */
  readonly provider: "sqlite" | "postgresql";
  /**
   * Takes the migration lock, waiting up to the dialect's timeout while another process holds it.
   * Held until close(). Migration scripts must still run outside any explicit transaction.
   */
  lock(): Promise<void> | void;
  /** Releases the lock and disconnects. Safe to call when lock() failed. */
  close(): Promise<void> | void;
  /** The names of the user's tables (what decides P3005 when `_prisma_migrations` is missing). */
  tableNames(): Promise<string[]> | string[];
  /** Creates `_prisma_migrations` with Prisma's own DDL for this database. */
  createMigrationsTable(): Promise<void> | void;
  /** Every row of `_prisma_migrations`, oldest started_at first. */
  listMigrations(): Promise<MigrationRow[]> | MigrationRow[];
  /** Inserts the row of a migration about to run (id, checksum, started_at, migration_name). */
  recordMigrationStarted(row: {
    id: string;
    checksum: string;
    migrationName: string;
    startedAt: number;
  }): Promise<void> | void;
  /** applied_steps_count + 1. */
  recordSuccessfulStep(id: string): Promise<void> | void;
  /** Sets finished_at. */
  recordMigrationFinished(id: string, finishedAt: number): Promise<void> | void;
  /** Sets logs (a failed migration keeps finished_at NULL). */
  recordFailedStep(id: string, logs: string): Promise<void> | void;
  /** Runs a whole migration script as the native engine does; a failure is thrown as ScriptError. */
  applyScript(script: string): Promise<void> | void;
}
