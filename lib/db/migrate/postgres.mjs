// @ts-check
// The PostgreSQL dialect of the runner, on pg (the driver the app's Prisma adapter uses).
//
// Lock: the native engine's session-level `pg_advisory_lock(72707369)`, taken on the runner's one
// connection and held until close(), so instances starting together migrate once: the others
// wait (lock_timeout), then find everything applied. The scripts run on that same connection.
//
// Script: sent as ONE simple query, as the native engine sends it, so PostgreSQL runs the whole
// migration in one implicit transaction: a failing migration leaves nothing half-applied.
// (adapter-pg's executeScript would split it on ";", which breaks function bodies.)
//
// `?schema=` : the connection's search_path names it (database-url.mjs), and a missing schema is
// created under the lock, as the native engine does.

import { ScriptError } from "./errors.mjs";
import { LIST_MIGRATIONS_SQL, migrationRowOf } from "./migration-rows.mjs";
import { quoteIdentifier } from "./database-url.mjs";

/** The native engine's advisory lock key (sql-schema-connector, flavour/postgres.rs). */
export const ADVISORY_LOCK_KEY = 72707369;

// Prisma's DDL for PostgreSQL, byte for byte (sql-schema-connector, flavour/postgres.rs).
export const CREATE_MIGRATIONS_TABLE = `CREATE TABLE _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
);
`;

/** @param {unknown} value */
const toMs = (value) =>
  value === null || value === undefined ? null : value instanceof Date ? value.getTime() : Date.parse(String(value));

/**
 * @param {{ client: () => import("pg").Client, schema: string, lockTimeoutMs: number }} options
 *   client: a new, unconnected client for the database (its search_path set to the schema)
 * @returns {import("./dialect.d.mts").Dialect}
 */
export function postgresDialect({ client: newClient, schema, lockTimeoutMs }) {
  /** @type {import("pg").Client | undefined} */
  let connection;
  let locked = false;
  const db = () => {
    if (!connection) throw new Error("the PostgreSQL migration connection is not open");
    return connection;
  };

  return {
    provider: "postgresql",

    async lock() {
      connection = newClient();
      // An error on an idle connection (the server restarting) must not crash the process.
      connection.on("error", () => undefined);
      await connection.connect();
      await connection.query(`SET lock_timeout = ${Math.max(1, Math.round(lockTimeoutMs))}`);
      try {
        await connection.query(`SELECT pg_advisory_lock(${ADVISORY_LOCK_KEY})`);
      } catch (error) {
        if (/** @type {{ code?: string }} */ (error).code === "55P03") {
          throw new Error(
            `another process held the migration lock (SELECT pg_advisory_lock(${ADVISORY_LOCK_KEY})) for more than ${Math.round(lockTimeoutMs / 1000)} s`,
          );
        }
        throw error;
      }
      locked = true;
      await connection.query("SET lock_timeout = 0");
      const exists = await connection.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [schema]);
      if (exists.rowCount === 0) {
        await connection.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`);
        await connection.query(`SET search_path TO ${quoteIdentifier(schema)}`);
      }
    },

    async close() {
      const open = connection;
      connection = undefined;
      if (!open) return;
      try {
        if (locked) await open.query(`SELECT pg_advisory_unlock(${ADVISORY_LOCK_KEY})`);
      } catch {
        // The lock goes with the session anyway.
      } finally {
        locked = false;
        await open.end().catch(() => undefined);
      }
    },

    async tableNames() {
      const { rows } = await db().query(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY table_name ASC",
        [schema],
      );
      return rows.map((row) => String(row.table_name));
    },

    async createMigrationsTable() {
      await db().query(CREATE_MIGRATIONS_TABLE);
    },

    async listMigrations() {
      const { rows } = await db().query(LIST_MIGRATIONS_SQL);
      return rows.map((row) => migrationRowOf(row, toMs));
    },

    async recordMigrationStarted({ id, checksum, migrationName, startedAt }) {
      await db().query(
        "INSERT INTO _prisma_migrations (id, checksum, started_at, migration_name) VALUES ($1, $2, $3, $4)",
        [id, checksum, new Date(startedAt), migrationName],
      );
    },

    async recordSuccessfulStep(id) {
      await db().query("UPDATE _prisma_migrations SET applied_steps_count = applied_steps_count + 1 WHERE id = $1", [
        id,
      ]);
    },

    async recordMigrationFinished(id, finishedAt) {
      await db().query("UPDATE _prisma_migrations SET finished_at = $1 WHERE id = $2", [new Date(finishedAt), id]);
    },

    async recordFailedStep(id, logs) {
      await db().query("UPDATE _prisma_migrations SET logs = $1 WHERE id = $2", [logs, id]);
    },

    async applyScript(script) {
      // No parameters: pg uses the simple query protocol, which takes several statements at once
      // and runs them in one implicit transaction.
      try {
        await db().query(script);
      } catch (error) {
        const { code, message } = /** @type {{ code?: string, message: string }} */ (error);
        if (!code || !/^[0-9A-Z]{5}$/.test(code)) throw error; // the connection, not the script
        throw new ScriptError({ databaseErrorCode: code, databaseError: `ERROR: ${message}` });
      }
    },
  };
}
