import "server-only";
import { purgeAudit } from "./audit";
import { purgeChallenges } from "./second-factors";
import { purgeSessions } from "./sessions";
import { purgeThrottle } from "./throttle";

export interface PurgeOptions {
  now: number;
  auditRetentionDays: number;
  throttleWindowMs: number;
}

/** Removes what no longer limits or informs anyone: spent throttle counters, expired sessions, old audit events. */
export async function purgeExpired({ now, auditRetentionDays, throttleWindowMs }: PurgeOptions) {
  const throttleRows = await purgeThrottle(now, throttleWindowMs);
  const sessions = await purgeSessions(now);
  const signInChallenges = await purgeChallenges(now);
  const auditEvents = await purgeAudit(now, auditRetentionDays);
  return { throttleRows, sessions, signInChallenges, auditEvents };
}
