import "server-only";
import { lastSyncStart } from "@/lib/db/directory-sync";
import { listEnabledLdapConfigs } from "@/lib/db/ldap-configs";
import { componentLogger, errorFields } from "@/lib/observability/logger.mjs";
import { syncConfiguration } from "./run";

const log = componentLogger("directory-sync");

const TICK_MS = 60_000;

/**
 * When a configuration's next scheduled sync is due: a whole Sync Interval after its last run,
 * or after it was created (a new configuration is not synced before its users first sign in).
 */
export function nextSyncDue(config: { syncIntervalMinutes: number; createdAt: Date }, lastStart: Date | undefined) {
  if (config.syncIntervalMinutes <= 0) return undefined;
  const from = lastStart && lastStart > config.createdAt ? lastStart : config.createdAt;
  return new Date(from.getTime() + config.syncIntervalMinutes * 60_000);
}

async function tick(now = new Date()) {
  for (const config of await listEnabledLdapConfigs()) {
    const due = nextSyncDue(config, await lastSyncStart(config.id));
    if (!due || due > now) continue;
    // Every instance ticks; the lease lets one run it, and the check inside keeps it to one per
    // interval. A run logs its own outcome (run.ts).
    await syncConfiguration(config.id, { trigger: "schedule", actor: "system", dueAt: due });
  }
}

/** Checks every minute which configurations' syncs are due, for as long as the server runs. */
export function startSyncSchedule() {
  let running = false;
  setInterval(() => {
    if (running) return;
    running = true;
    tick()
      .catch((error: unknown) => log.error(errorFields(error), "directory sync schedule failed"))
      .finally(() => (running = false));
  }, TICK_MS).unref();
}
