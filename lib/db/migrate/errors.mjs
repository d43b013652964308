// @ts-check
// The runner's errors: Prisma's code and text, and a one-line message that says what to do.

export class MigrationError extends Error {
  /**
   * @param {import("./index.d.mts").MigrationErrorCode} code
   * @param {string} message one line: what happened and what to do
   * @param {string} prismaMessage Prisma's own text for the error
   * @param {string} [migrationName]
   */
  constructor(code, message, prismaMessage, migrationName) {
    super(message);
    this.name = "MigrationError";
    this.code = code;
    this.prismaMessage = prismaMessage;
    this.migrationName = migrationName;
  }
}

/** A migration script the database refused, with what the database said. */
export class ScriptError extends Error {
  /** @param {import("./dialect.d.mts").ScriptFailure} failure */
  constructor(failure) {
    super(failure.databaseError);
    this.name = "ScriptError";
    this.failure = failure;
  }
}

const RESOLVE_DOCS = "https://pris.ly/d/migrate-resolve";

/**
 * A timestamp as the native engine prints one (chrono's DateTime<Utc>): "2026-12-04 16:47:11.150 UTC",
 * without the fraction when it is zero.
 * @param {number} ms
 */
export function formatEngineTimestamp(ms) {
  const iso = new Date(ms).toISOString(); // 2026-12-04T16:47:11.150Z
  const fraction = iso.slice(19, 23) === ".000" ? "" : iso.slice(19, 23);
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction} UTC`;
}

/** @param {string} name */
const resolveHint = (name) =>
  `repair the database by hand, then run "npx prisma migrate resolve --rolled-back ${name}" (or --applied ${name} if you completed it) and start again`;

/**
 * P3009: failed migrations are recorded, so nothing is applied.
 * @param {{ migrationName: string, startedAt: number }[]} failed
 */
export function failedMigrationsFound(failed) {
  const details = failed
    .map((row) => `The \`${row.migrationName}\` migration started at ${formatEngineTimestamp(row.startedAt)} failed\n`)
    .join("");
  const first = /** @type {{ migrationName: string, startedAt: number }} */ (failed[0]);
  const others =
    failed.length > 1
      ? ` (and ${failed.length - 1} more: ${failed
          .slice(1)
          .map((row) => row.migrationName)
          .join(", ")})`
      : "";
  return new MigrationError(
    "P3009",
    `the migration ${first.migrationName}${others} failed at ${formatEngineTimestamp(first.startedAt)} and is still recorded as failed, so no migration is applied (P3009): ${resolveHint(first.migrationName)}`,
    `migrate found failed migrations in the target database, new migrations will not be applied. Read more about how to resolve migration issues in a production database: ${RESOLVE_DOCS}\n${details}`,
    first.migrationName,
  );
}

/**
 * P3018: a migration script failed; its row is now recorded as failed.
 * @param {string} migrationName
 * @param {import("./dialect.d.mts").ScriptFailure} failure
 * @param {string} provider
 */
export function migrationFailed(migrationName, failure, provider) {
  const database = provider === "sqlite" ? "SQLite" : "PostgreSQL";
  // SQLite runs the script outside a transaction; PostgreSQL runs it as one implicit transaction.
  const partly =
    provider === "sqlite" ? "statements before the error stay applied" : "none of its statements were applied";
  return new MigrationError(
    "P3018",
    `the migration ${migrationName} failed (P3018, ${database} error ${failure.databaseErrorCode}: ${failure.databaseError.replace(/\s*\n\s*/g, " ")}) and is recorded as failed; ${partly}: ${resolveHint(migrationName)}`,
    `A migration failed to apply. New migrations cannot be applied before the error is recovered from. Read more about how to resolve migration issues in a production database: ${RESOLVE_DOCS}\n\nMigration name: ${migrationName}\n\nDatabase error code: ${failure.databaseErrorCode}\n\nDatabase error:\n${failure.databaseError}\n`,
    migrationName,
  );
}

/** P3005: tables but no `_prisma_migrations`. */
export function schemaNotEmpty() {
  return new MigrationError(
    "P3005",
    "the database has tables but no _prisma_migrations table, so it was not created by these migrations (P3005): point DATABASE_URL at the portal's database or a new file, or baseline it (https://pris.ly/d/migrate-baseline)",
    "The database schema is not empty. Read more about how to baseline an existing production database: https://pris.ly/d/migrate-baseline",
  );
}

/**
 * P3015: a migration folder without its script.
 * @param {string} migrationName
 * @param {string} scriptPath
 */
export function migrationFileNotFound(migrationName, scriptPath) {
  return new MigrationError(
    "P3015",
    `the migration folder ${migrationName} has no migration.sql (P3015): restore ${scriptPath} or delete the folder`,
    `Could not find the migration file at ${scriptPath}. Please delete the directory or restore the migration file.`,
    migrationName,
  );
}

/**
 * P3019: migration_lock.toml was written for another database.
 * @param {string} provider the database's provider
 * @param {string} lockProvider the lock file's
 */
export function providerMismatch(provider, lockProvider) {
  return new MigrationError(
    "P3019",
    `the migrations were written for ${lockProvider} (migration_lock.toml) but DATABASE_URL is a ${provider} database (P3019): use the ${lockProvider} database or the ${provider} migrations`,
    `The datasource provider \`${provider}\` specified in your schema does not match the one specified in the migration_lock.toml, \`${lockProvider}\`. Please remove your current migration directory and start a new migration history with prisma migrate dev. Read more: https://pris.ly/d/migrate-provider-switch`,
  );
}

/** The database named by DATABASE_URL cannot be reached or refuses the connection. */
export class DatabaseConnectionError extends Error {
  /**
   * @param {string} message one line naming the (masked) URL, what happened and the fix
   * @param {string} reason the driver's code or message
   */
  constructor(message, reason) {
    super(message);
    this.name = "DatabaseConnectionError";
    this.reason = reason;
  }
}
