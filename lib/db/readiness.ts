import "server-only";
import fs from "node:fs";
import path from "node:path";
import { componentLogger } from "../observability/logger.mjs";
import { databaseProvider, db } from "./client";

const log = componentLogger("health");

/**
 * Whether this instance can serve: the database answers and every migration this build ships is
 * applied and finished. The LDAP directories are not part of it: a directory outage must not take
 * every instance out of the load balancer at once (sign-in reports that outage itself).
 */

/** How long the database has to answer before the instance counts as not ready. */
export const READINESS_TIMEOUT_MS = 3_000;

export type Readiness =
  | { ready: true }
  | { ready: false; reason: "database_unreachable" | "database_timeout" | "database_not_migrated" }
  | { ready: false; reason: "migration_failed" | "migration_pending"; migrations: string[] };

/** The migrations folder of the running database (npm start runs from the project's root). */
export function shippedMigrationsDir(provider = databaseProvider()): string {
  return path.join(process.cwd(), "prisma", ...(provider === "postgresql" ? ["postgresql"] : []), "migrations");
}

// The build's migrations do not change while it runs: read each folder once.
const shippedByDir = new Map<string, string[]>();

/** The migration folders' names in `dir`, in name order (Prisma's order). */
function shippedMigrations(dir: string): string[] {
  let names = shippedByDir.get(dir);
  if (!names) {
    names = fs.existsSync(dir)
      ? fs
          .readdirSync(dir, { withFileTypes: true })
          .filter((entry) => entry.isDirectory())
          .map((entry) => entry.name)
          .sort()
      : [];
    shippedByDir.set(dir, names);
  }
  return names;
}

// Rows that were rolled back (`prisma migrate resolve --rolled-back`) no longer count: the
// migration is pending again. A row without finished_at failed, or is being applied right now.
const MIGRATION_STATES_SQL = `SELECT migration_name, CASE WHEN finished_at IS NULL THEN 'failed' ELSE 'applied' END AS state FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`;

/** Compares the shipped migrations with the applied rows; pure. Rows missing from disk are ignored, as deploy does. */
export function compareMigrations(
  shipped: readonly string[],
  rows: readonly { migration_name: string; state: string }[],
): Readiness {
  const applied = new Set(rows.filter((row) => row.state === "applied").map((row) => row.migration_name));
  const failed = rows
    .filter((row) => row.state !== "applied" && !applied.has(row.migration_name))
    .map((row) => row.migration_name);
  if (failed.length > 0) return { ready: false, reason: "migration_failed", migrations: [...new Set(failed)].sort() };
  const pending = shipped.filter((name) => !applied.has(name));
  if (pending.length > 0) return { ready: false, reason: "migration_pending", migrations: pending };
  return { ready: true };
}

/** The probes' JSON for a result: which check failed and which migration, never the driver's error. Pure. */
export function readinessBody(readiness: Readiness, timeoutMs = READINESS_TIMEOUT_MS) {
  if (readiness.ready) return { status: "ok" };
  switch (readiness.reason) {
    case "database_unreachable":
      return { status: "unavailable", reason: "database unreachable" };
    case "database_timeout":
      return { status: "unavailable", reason: `database did not answer within ${timeoutMs / 1000} s` };
    case "database_not_migrated":
      return { status: "unavailable", reason: "database not migrated" };
    case "migration_pending":
    case "migration_failed": {
      const what = readiness.reason === "migration_pending" ? "pending" : "failed or unfinished";
      return {
        status: "unavailable",
        reason: `migration ${what}: ${readiness.migrations.join(", ")}`,
        migrations: readiness.migrations,
      };
    }
  }
}

class ReadinessTimeout extends Error {}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ReadinessTimeout(`no answer within ${ms} ms`)), ms);
    timer.unref?.();
  });
  // The query may still settle after the timeout; its outcome is then nobody's.
  work.catch(() => undefined);
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

async function readMigrationStates(): Promise<Readiness | { migration_name: string; state: string }[]> {
  try {
    return await db().$queryRawUnsafe<{ migration_name: string; state: string }[]>(MIGRATION_STATES_SQL);
  } catch (error) {
    // No readable _prisma_migrations on a database that answers: it was never migrated.
    try {
      await db().$queryRawUnsafe("SELECT 1");
    } catch {
      throw error;
    }
    return { ready: false, reason: "database_not_migrated" };
  }
}

export interface ReadinessOptions {
  /** The migrations folder to compare with (default: the one this build ships for the database). */
  migrationsDir?: string;
  timeoutMs?: number;
  /** Where the cause of an unreachable database goes (default: the server log). */
  onError?: (message: string) => void;
}

/** One query in the usual case: the rows of `_prisma_migrations`, within `timeoutMs`. */
export async function checkReadiness(options: ReadinessOptions = {}): Promise<Readiness> {
  const {
    migrationsDir = shippedMigrationsDir(),
    timeoutMs = READINESS_TIMEOUT_MS,
    onError = (message) => log.error(message),
  } = options;
  try {
    const states = await withTimeout(readMigrationStates(), timeoutMs);
    return Array.isArray(states) ? compareMigrations(shippedMigrations(migrationsDir), states) : states;
  } catch (error) {
    if (error instanceof ReadinessTimeout) {
      onError(`database did not answer the readiness check within ${timeoutMs} ms`);
      return { ready: false, reason: "database_timeout" };
    }
    onError(`database check failed: ${error instanceof Error ? error.message : String(error)}`);
    return { ready: false, reason: "database_unreachable" };
  }
}
