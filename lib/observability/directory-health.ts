/**
 * A configuration's directory health at a glance, from what the database holds: the last Test
 * LDAP Connection, the last directory sync, and the URL that answered the last new connection
 * (DirectoryStat). Pure: the admin home and the LDAP list call it with what lib/db read.
 */
export type HealthStatus = "healthy" | "degraded" | "down" | "unknown";

/** The start of a sync's reason when the directory could not be reached at all (lib/directory-sync/run.ts). */
export const SYNC_UNREACHABLE = "The directory could not be reached";

export interface HealthFacts {
  /** The configuration's first URL (the one failover leaves). */
  url: string;
  lastTest: { at: Date; ok: boolean; summary: string | null } | null;
  lastSync: { outcome: string; reason: string | null; at: Date } | null;
  /** The URL that answered the last new connection (last 24 hours), and the last failover. */
  lastUrl: { url: string; at: Date } | null;
  lastFailoverAt: Date | null;
}

export interface Health {
  status: HealthStatus;
  /** Why, one sentence each: the badge's title and the card's list. */
  reasons: string[];
}

const when = (at: Date) => `${at.toISOString().slice(0, 16).replace("T", " ")} UTC`;

export function directoryHealth(facts: HealthFacts): Health {
  const { lastTest, lastSync, lastUrl } = facts;
  if (lastSync?.outcome === "failed" && lastSync.reason?.startsWith(SYNC_UNREACHABLE)) {
    return { status: "down", reasons: [`The last sync (${when(lastSync.at)}) could not reach the directory.`] };
  }
  const problems: string[] = [];
  if (lastUrl && lastUrl.url !== facts.url)
    problems.push(`Failover in use: ${lastUrl.url} answered (${when(lastUrl.at)}), not ${facts.url}.`);
  if (lastSync?.outcome === "held")
    problems.push(`The last sync (${when(lastSync.at)}) was held: ${lastSync.reason ?? "no reason recorded"}`);
  if (lastSync?.outcome === "failed")
    problems.push(`The last sync (${when(lastSync.at)}) failed: ${lastSync.reason ?? "no reason recorded"}`);
  if (lastTest && !lastTest.ok)
    problems.push(`The last test (${when(lastTest.at)}) failed${lastTest.summary ? `: ${lastTest.summary}` : "."}`);
  if (problems.length > 0) return { status: "degraded", reasons: problems };

  const evidence: string[] = [];
  if (lastTest?.ok) evidence.push(`The last test (${when(lastTest.at)}) passed.`);
  if (lastSync?.outcome === "applied") evidence.push(`The last sync (${when(lastSync.at)}) was applied.`);
  if (lastUrl) evidence.push(`${lastUrl.url} answered (${when(lastUrl.at)}).`);
  if (evidence.length === 0)
    return { status: "unknown", reasons: ["Not tested, not synced and no connection in the last 24 hours."] };
  return { status: "healthy", reasons: evidence };
}

export const HEALTH_LABELS: Record<HealthStatus, string> = {
  healthy: "Healthy",
  degraded: "Degraded",
  down: "Down",
  unknown: "Unknown",
};
