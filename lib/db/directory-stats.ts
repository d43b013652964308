import "server-only";
import { LATENCY_BUCKETS } from "@/lib/observability/latency";
import { db } from "./client";
import { Prisma } from "./generated/client";

/**
 * The admin home's per-hour counts (DirectoryStat): each instance adds what it counted in memory
 * (lib/observability/flusher.ts), the admin home reads the last 24 hours. Sign-ins never write
 * here themselves.
 */
export interface DirectoryStatDelta {
  hour: Date;
  /** An LdapConfig id, "local" or "none". */
  configKey: string;
  successes: number;
  failures: number;
  /** LATENCY_BUCKETS counts, not cumulative (lib/observability/latency.ts). */
  latency: readonly number[];
  lastUrl?: string;
  lastUrlAt?: Date;
  lastFailoverAt?: Date;
}

const LATENCY_COLUMNS = Array.from(
  { length: LATENCY_BUCKETS },
  (_, index) => `latency${String(index).padStart(2, "0")}`,
);

const quoted = (column: string) => Prisma.raw(`"${column}"`);
const added = (column: string) => Prisma.raw(`"${column}" = "DirectoryStat"."${column}" + excluded."${column}"`);

/**
 * Adds one instance's counts for an hour and configuration, in one statement: counts add to what
 * other instances wrote (so their sum is the portal's), and the URL answered later wins.
 */
export async function addDirectoryStat(delta: DirectoryStatDelta): Promise<void> {
  const counts = [delta.successes, delta.failures, ...LATENCY_COLUMNS.map((_, index) => delta.latency[index] ?? 0)];
  const newerUrl = Prisma.sql`excluded."lastUrlAt" IS NOT NULL AND ("DirectoryStat"."lastUrlAt" IS NULL OR excluded."lastUrlAt" >= "DirectoryStat"."lastUrlAt")`;
  const newerFailover = Prisma.sql`excluded."lastFailoverAt" IS NOT NULL AND ("DirectoryStat"."lastFailoverAt" IS NULL OR excluded."lastFailoverAt" > "DirectoryStat"."lastFailoverAt")`;
  await db().$executeRaw`
    INSERT INTO "DirectoryStat" ("hour", "configKey", "successes", "failures", ${Prisma.join(LATENCY_COLUMNS.map(quoted))},
      "lastUrl", "lastUrlAt", "lastFailoverAt")
    VALUES (${delta.hour}, ${delta.configKey}, ${Prisma.join(counts)},
      ${delta.lastUrl ?? null}, ${delta.lastUrlAt ?? null}, ${delta.lastFailoverAt ?? null})
    ON CONFLICT ("hour", "configKey") DO UPDATE SET
      ${Prisma.join(["successes", "failures", ...LATENCY_COLUMNS].map(added))},
      "lastUrl" = CASE WHEN ${newerUrl} THEN excluded."lastUrl" ELSE "DirectoryStat"."lastUrl" END,
      "lastUrlAt" = CASE WHEN ${newerUrl} THEN excluded."lastUrlAt" ELSE "DirectoryStat"."lastUrlAt" END,
      "lastFailoverAt" = CASE WHEN ${newerFailover} THEN excluded."lastFailoverAt" ELSE "DirectoryStat"."lastFailoverAt" END`;
}

/** The ids of the configurations with these names (counted by name in memory); missing ones are left out. */
export async function configurationIdsByName(names: string[]): Promise<Map<string, string>> {
  if (names.length === 0) return new Map();
  const rows = await db().ldapConfig.findMany({ where: { name: { in: names } }, select: { id: true, name: true } });
  return new Map(rows.map((row) => [row.name, row.id]));
}

/** Deletes hours older than `before` (the admin home reads one day; a week is kept). */
export async function purgeDirectoryStats(before: Date): Promise<number> {
  const { count } = await db().directoryStat.deleteMany({ where: { hour: { lt: before } } });
  return count;
}

export interface DirectoryStatRow {
  hour: Date;
  configKey: string;
  successes: number;
  failures: number;
  latency: number[];
  lastUrl: string | null;
  lastUrlAt: Date | null;
  lastFailoverAt: Date | null;
}

/** Every configuration's hours since `since`, oldest first. */
export async function directoryStatsSince(since: Date): Promise<DirectoryStatRow[]> {
  const rows = await db().directoryStat.findMany({ where: { hour: { gte: since } }, orderBy: { hour: "asc" } });
  return rows.map((row) => {
    const columns = row as unknown as Record<string, number>;
    return {
      hour: row.hour,
      configKey: row.configKey,
      successes: row.successes,
      failures: row.failures,
      latency: LATENCY_COLUMNS.map((column) => columns[column] ?? 0),
      lastUrl: row.lastUrl,
      lastUrlAt: row.lastUrlAt,
      lastFailoverAt: row.lastFailoverAt,
    };
  });
}

export interface LastSyncRun {
  ldapConfigId: string;
  outcome: string;
  reason: string | null;
  startedAt: Date;
  finishedAt: Date | null;
}

/** Each configuration's last finished sync (previews change nothing and are left out). */
export async function lastSyncRuns(): Promise<Map<string, LastSyncRun>> {
  const runs = await db().syncRun.findMany({
    where: { outcome: { in: ["applied", "held", "failed"] } },
    distinct: ["ldapConfigId"],
    orderBy: [{ ldapConfigId: "asc" }, { startedAt: "desc" }],
    select: { ldapConfigId: true, outcome: true, reason: true, startedAt: true, finishedAt: true },
  });
  return new Map(runs.map((run) => [run.ldapConfigId, run]));
}

/** What the admin home and the LDAP list show per configuration. */
export async function listConfigurationsForHealth() {
  return db().ldapConfig.findMany({
    orderBy: [{ displayOrder: "asc" }, { name: "asc" }],
    select: {
      id: true,
      name: true,
      url: true,
      failoverUrls: true,
      enabled: true,
      lastTestAt: true,
      lastTestOk: true,
      lastTestSummary: true,
    },
  });
}
