// @ts-check
// The SQLite dialect of the runner, on better-sqlite3 (the driver the app's Prisma adapter uses).
//
// Lock: like the native engine (`PRAGMA main.locking_mode=EXCLUSIVE`), but taken at once with
// BEGIN EXCLUSIVE: in exclusive locking mode the connection keeps that lock after COMMIT until it
// closes, so migration scripts run outside any transaction (their PRAGMA foreign_keys=OFF works)
// while another process starting at the same time waits in its own BEGIN EXCLUSIVE (busy
// timeout), then finds everything applied.
//
// Timestamps are integer milliseconds, as the native engine writes DATETIME columns.

import Database from "better-sqlite3";
import { ScriptError } from "./errors.mjs";
import { LIST_MIGRATIONS_SQL, migrationRowOf } from "./migration-rows.mjs";

// Prisma's DDL for SQLite, byte for byte (sql-schema-connector, flavour/sqlite.rs).
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
);
`;

// SQLite's primary result codes by name, for "Database error code" (https://sqlite.org/rescode.html).
const RESULT_CODES = /** @type {Record<string, number>} */ ({
  SQLITE_ERROR: 1,
  SQLITE_INTERNAL: 2,
  SQLITE_PERM: 3,
  SQLITE_ABORT: 4,
  SQLITE_BUSY: 5,
  SQLITE_LOCKED: 6,
  SQLITE_NOMEM: 7,
  SQLITE_READONLY: 8,
  SQLITE_INTERRUPT: 9,
  SQLITE_IOERR: 10,
  SQLITE_CORRUPT: 11,
  SQLITE_NOTFOUND: 12,
  SQLITE_FULL: 13,
  SQLITE_CANTOPEN: 14,
  SQLITE_PROTOCOL: 15,
  SQLITE_EMPTY: 16,
  SQLITE_SCHEMA: 17,
  SQLITE_TOOBIG: 18,
  SQLITE_CONSTRAINT: 19,
  SQLITE_MISMATCH: 20,
  SQLITE_MISUSE: 21,
  SQLITE_NOLFS: 22,
  SQLITE_AUTH: 23,
  SQLITE_FORMAT: 24,
  SQLITE_RANGE: 25,
  SQLITE_NOTADB: 26,
});
// Extended codes the native engine reports for constraint failures (rusqlite's extended_code).
const EXTENDED_CODES = /** @type {Record<string, number>} */ ({
  SQLITE_CONSTRAINT_CHECK: 275,
  SQLITE_CONSTRAINT_FOREIGNKEY: 787,
  SQLITE_CONSTRAINT_NOTNULL: 1299,
  SQLITE_CONSTRAINT_PRIMARYKEY: 1555,
  SQLITE_CONSTRAINT_TRIGGER: 1811,
  SQLITE_CONSTRAINT_UNIQUE: 2067,
});

/**
 * better-sqlite3's error code name ("SQLITE_CONSTRAINT_UNIQUE") as the numeric code rusqlite reports.
 * @param {unknown} code
 */
export function sqliteErrorCode(code) {
  const name = String(code ?? "");
  return String(EXTENDED_CODES[name] ?? RESULT_CODES[name] ?? RESULT_CODES[name.split("_").slice(0, 2).join("_")] ?? 1);
}

/**
 * A DATETIME as milliseconds: integer ms (native engine), or text ("2026-12-04 16:47:11", SQLite's
 * current_timestamp, or RFC 3339) from older writers.
 * @param {unknown} value
 * @returns {number | null}
 */
function toMs(value) {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  const text = String(value);
  if (/^-?\d+$/.test(text)) return Number(text);
  const iso = text.includes("T") ? text : text.replace(" ", "T");
  const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : `${iso}Z`);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * @param {string} file the database file (created when missing; its folder must exist)
 * @param {{ lockTimeoutMs: number }} options
 * @returns {import("./dialect.d.mts").Dialect}
 */
export function sqliteDialect(file, { lockTimeoutMs }) {
  /** @type {import("better-sqlite3").Database | undefined} */
  let connection;
  const db = () => {
    if (!connection) throw new Error("the SQLite migration connection is not open");
    return connection;
  };

  return {
    provider: "sqlite",

    // Waiting processes must hold nothing: a connection that waits inside SQLite's busy handler
    // keeps the shared lock it read with, and in WAL mode the holder's first write then waits for
    // it: every process stalls until the waiters' timeout. So each try fails at once, closes, and
    // tries again a moment later.
    async lock() {
      const deadline = Date.now() + lockTimeoutMs;
      for (;;) {
        const candidate = new Database(file, { timeout: 0 });
        candidate.pragma("locking_mode = EXCLUSIVE");
        try {
          candidate.exec("BEGIN EXCLUSIVE");
          candidate.exec("COMMIT");
          candidate.pragma(`busy_timeout = ${lockTimeoutMs}`);
          connection = candidate;
          return;
        } catch (error) {
          candidate.close();
          const { code, message } = /** @type {{ code?: string, message: string }} */ (error);
          if (!code?.startsWith("SQLITE_BUSY")) throw error;
          if (Date.now() >= deadline) {
            throw new Error(
              `another process kept the database locked for more than ${Math.round(lockTimeoutMs / 1000)} s (${message})`,
            );
          }
          await new Promise((resolve) => setTimeout(resolve, 25 + Math.random() * 50));
        }
      }
    },

    close() {
      if (!connection?.open) return;
      // Back to normal locking, then close: the exclusive lock goes with the connection.
      try {
        connection.pragma("locking_mode = NORMAL");
      } finally {
        connection.close();
      }
    },

    tableNames() {
      const rows = /** @type {{ name: string }[]} */ (
        db().prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name ASC").all()
      );
      return rows.map((row) => row.name).filter((name) => !name.startsWith("sqlite_"));
    },

    createMigrationsTable() {
      db().exec(CREATE_MIGRATIONS_TABLE);
    },

    listMigrations() {
      const rows = /** @type {Record<string, unknown>[]} */ (db().prepare(LIST_MIGRATIONS_SQL).all());
      return rows.map((row) => migrationRowOf(row, toMs));
    },

    recordMigrationStarted({ id, checksum, migrationName, startedAt }) {
      db()
        .prepare(
          'INSERT INTO "_prisma_migrations" ("id", "checksum", "started_at", "migration_name") VALUES (?, ?, ?, ?)',
        )
        .run(id, checksum, BigInt(startedAt), migrationName);
    },

    recordSuccessfulStep(id) {
      db()
        .prepare('UPDATE "_prisma_migrations" SET "applied_steps_count" = ("applied_steps_count" + ?) WHERE "id" = ?')
        .run(1, id);
    },

    recordMigrationFinished(id, finishedAt) {
      db().prepare('UPDATE "_prisma_migrations" SET "finished_at" = ? WHERE "id" = ?').run(BigInt(finishedAt), id);
    },

    recordFailedStep(id, logs) {
      db().prepare('UPDATE "_prisma_migrations" SET "logs" = ? WHERE "id" = ?').run(logs, id);
    },

    applyScript(script) {
      // One batch, no transaction around it, like rusqlite's execute_batch in the native engine.
      try {
        db().exec(script);
      } catch (error) {
        const { code, message } = /** @type {{ code?: string, message: string }} */ (error);
        throw new ScriptError({ databaseErrorCode: sqliteErrorCode(code), databaseError: message });
      }
    },
  };
}
