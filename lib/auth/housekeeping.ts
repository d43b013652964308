import "server-only";
import { purgeExpired } from "@/lib/db/maintenance";
import { env } from "@/lib/env";
import { componentLogger, errorFields } from "@/lib/observability/logger.mjs";
import { THROTTLE_WINDOW_MS } from "./throttle";

const log = componentLogger("housekeeping");

// Hourly keeps throttle rows from anonymous traffic few; audit retention is in days, so the
// hour does not matter there. Every instance may run it: the deletes are idempotent.
const EVERY_MS = 60 * 60_000;

export async function purgeNow(now = Date.now()) {
  return purgeExpired({ now, auditRetentionDays: env().auditRetentionDays, throttleWindowMs: THROTTLE_WINDOW_MS });
}

/** Purges at start and then every hour, for as long as the server runs. */
export function startHousekeeping() {
  const run = () => purgeNow().catch((error: unknown) => log.error(errorFields(error), "housekeeping failed"));
  void run();
  setInterval(run, EVERY_MS).unref();
}
