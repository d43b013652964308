import "server-only";
import { databaseProvider, db } from "./client";

/** The database as a whole: its journal mode at start, and the health check's probe. */

/**
 * Write-ahead logging lets readers go on while a sign-in writes (the busy timeout is set on the
 * connection). SQLite only: PostgreSQL always lets readers go on.
 */
export async function enableWriteAheadLog(): Promise<void> {
  if (databaseProvider() !== "sqlite") return;
  await db().$queryRawUnsafe("PRAGMA journal_mode=WAL");
}

/** Resolves when the database answers a trivial query; rejects with the driver's error otherwise. */
export async function pingDatabase(): Promise<void> {
  await db().$queryRawUnsafe("SELECT 1");
}

/** PostgreSQL advisory lock key of the start-up work (the migrations use Prisma's 72707369). */
const STARTUP_LOCK_KEY = 72707370;

/**
 * Runs `work` (the start-up bootstrap: system groups, first administrator) while no other instance
 * runs its own: instances starting together on one PostgreSQL would otherwise each find no
 * administrator and each create one. A transaction-scoped advisory lock, held by one pooled
 * connection while `work` queries through the others; released at its end, or when the
 * connection drops. SQLite: `work` as it is (one file, one instance).
 */
export async function withStartupLock<T>(work: () => Promise<T>): Promise<T> {
  if (databaseProvider() !== "postgresql") return work();
  return db().$transaction(
    async (tx) => {
      await tx.$queryRawUnsafe(`SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(${STARTUP_LOCK_KEY})) AS taken`);
      return work();
    },
    { maxWait: 60_000, timeout: 120_000 },
  );
}
