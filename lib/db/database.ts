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
