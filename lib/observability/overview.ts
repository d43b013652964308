import "server-only";
import {
  directoryStatsSince,
  lastSyncRuns,
  listConfigurationsForHealth,
  type DirectoryStatRow,
} from "@/lib/db/directory-stats";
import { splitList } from "@/lib/ldap/list";
import { directoryHealth, type Health } from "./directory-health";
import { addBuckets, emptyBuckets, latencyQuantile } from "./latency";
import { hourOf } from "./stats";

const HOUR_MS = 60 * 60_000;
export const CHART_HOURS = 24;

/** One configuration's (or the local accounts') sign-ins per hour, oldest hour first. */
export interface SignInSeries {
  key: string;
  label: string;
  hours: { hour: Date; successes: number; failures: number }[];
  successes: number;
  failures: number;
}

export interface ConfigurationHealth {
  id: string;
  name: string;
  enabled: boolean;
  url: string;
  failoverUrls: string[];
  health: Health;
  lastTest: { at: Date; ok: boolean; summary: string | null } | null;
  lastSync: { outcome: string; reason: string | null; at: Date } | null;
  /** p95 of LDAP operations over the last 24 hours, in ms; undefined without any. */
  p95Ms: number | undefined;
  operations: number;
  /** The URL that answered the last new connection in the last 24 hours. */
  urlInUse: { url: string; at: Date } | null;
  lastFailoverAt: Date | null;
}

const SPECIAL_SERIES: Record<string, string> = { local: "Local accounts", none: "No configuration" };

/** Hours of the window, oldest first, ending with the current one. */
function windowHours(now: number): number[] {
  const current = hourOf(now);
  return Array.from({ length: CHART_HOURS }, (_, index) => current - (CHART_HOURS - 1 - index) * HOUR_MS);
}

function signInSeries(rows: DirectoryStatRow[], hours: number[], labelOf: (key: string) => string): SignInSeries[] {
  const byKey = new Map<string, Map<number, DirectoryStatRow>>();
  for (const row of rows) {
    if (row.successes + row.failures === 0) continue;
    let byHour = byKey.get(row.configKey);
    if (!byHour) byKey.set(row.configKey, (byHour = new Map()));
    byHour.set(row.hour.getTime(), row);
  }
  return [...byKey].map(([key, byHour]) => {
    const series = hours.map((hour) => ({
      hour: new Date(hour),
      successes: byHour.get(hour)?.successes ?? 0,
      failures: byHour.get(hour)?.failures ?? 0,
    }));
    return {
      key,
      label: labelOf(key),
      hours: series,
      successes: series.reduce((sum, point) => sum + point.successes, 0),
      failures: series.reduce((sum, point) => sum + point.failures, 0),
    };
  });
}

/** What the admin home shows: sign-ins per hour per configuration, and each configuration's health. */
export async function adminOverview(now = Date.now()) {
  const hours = windowHours(now);
  const [configs, rows, syncs] = await Promise.all([
    listConfigurationsForHealth(),
    directoryStatsSince(new Date(hours[0]!)),
    lastSyncRuns(),
  ]);
  const names = new Map(configs.map((config) => [config.id, config.name]));
  const labelOf = (key: string) => SPECIAL_SERIES[key] ?? names.get(key) ?? "Deleted configuration";
  const order = (key: string) => {
    const index = configs.findIndex((config) => config.id === key);
    return index >= 0 ? index : configs.length + (key === "local" ? 0 : 1);
  };
  const series = signInSeries(rows, hours, labelOf).sort((a, b) => order(a.key) - order(b.key));
  return {
    hours: hours.map((hour) => new Date(hour)),
    series,
    configurations: configurationHealth(configs, rows, syncs),
  };
}

/** Health of every configuration from the same reads (the LDAP list's badges use it too). */
export function configurationHealth(
  configs: Awaited<ReturnType<typeof listConfigurationsForHealth>>,
  rows: DirectoryStatRow[],
  syncs: Awaited<ReturnType<typeof lastSyncRuns>>,
): ConfigurationHealth[] {
  return configs.map((config) => {
    const own = rows.filter((row) => row.configKey === config.id);
    const buckets = emptyBuckets();
    for (const row of own) addBuckets(buckets, row.latency);
    const answered = own
      .filter((row) => row.lastUrl !== null && row.lastUrlAt !== null)
      .sort((a, b) => b.lastUrlAt!.getTime() - a.lastUrlAt!.getTime())[0];
    const failovers = own.map((row) => row.lastFailoverAt).filter((at): at is Date => at !== null);
    const sync = syncs.get(config.id);
    const facts = {
      url: config.url,
      lastTest:
        config.lastTestAt && config.lastTestOk !== null
          ? { at: config.lastTestAt, ok: config.lastTestOk, summary: config.lastTestSummary }
          : null,
      lastSync: sync ? { outcome: sync.outcome, reason: sync.reason, at: sync.finishedAt ?? sync.startedAt } : null,
      lastUrl: answered ? { url: answered.lastUrl!, at: answered.lastUrlAt! } : null,
      lastFailoverAt: failovers.length > 0 ? new Date(Math.max(...failovers.map((at) => at.getTime()))) : null,
    };
    return {
      id: config.id,
      name: config.name,
      enabled: config.enabled,
      url: config.url,
      failoverUrls: splitList(config.failoverUrls),
      health: directoryHealth(facts),
      lastTest: facts.lastTest,
      lastSync: facts.lastSync,
      p95Ms: latencyQuantile(buckets, 0.95),
      operations: buckets.reduce((sum, count) => sum + count, 0),
      urlInUse: facts.lastUrl,
      lastFailoverAt: facts.lastFailoverAt,
    };
  });
}

/** The LDAP list's badges: each configuration's health by id. */
export async function configurationHealthById(now = Date.now()): Promise<Map<string, ConfigurationHealth>> {
  const [configs, rows, syncs] = await Promise.all([
    listConfigurationsForHealth(),
    directoryStatsSince(new Date(hourOf(now) - (CHART_HOURS - 1) * HOUR_MS)),
    lastSyncRuns(),
  ]);
  return new Map(configurationHealth(configs, rows, syncs).map((health) => [health.id, health]));
}
