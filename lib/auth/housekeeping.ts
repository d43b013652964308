import "server-only";
import { purgeExpired } from "@/lib/db/maintenance";
import { env } from "@/lib/env";
import { THROTTLE_WINDOW_MS } from "./throttle";

// Hourly keeps throttle rows from anonymous traffic few; audit retention is in days, so the
// hour does not matter there. Every instance may run it: the deletes are idempotent.
const EVERY_MS = 60 * 60_000;

export async function purgeNow(now = Date.now()) {
  return purgeExpired({ now, auditRetentionDays: env().auditRetentionDays, throttleWindowMs: THROTTLE_WINDOW_MS });
}

/** Purges at start and then every hour, for as long as the server runs. */
export function startHousekeeping() {
  const run = () =>
    purgeNow().catch((error: unknown) =>
      console.error(`[portal] housekeeping failed: ${error instanceof Error ? error.message : String(error)}`),
    );
  void run();
  setInterval(run, EVERY_MS).unref();
}
