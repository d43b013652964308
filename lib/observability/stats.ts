import { addBuckets, emptyBuckets, latencyBucket } from "./latency";

/**
 * What the admin home shows, counted in memory per hour and configuration: sign-ins by outcome,
 * LDAP operations by latency bucket, the URL that answered last and the last failover. Nothing
 * here touches the database: the flusher (flusher.ts) adds the counts to DirectoryStat once a
 * minute, so a sign-in costs no statement for them.
 *
 * Configurations are known here by name (what the engine and the sign-in audit hold); the
 * flusher turns names into ids. Keys: "ldap:<name>", "local" (local accounts), "none" (no
 * configuration took part, e.g. a domain none claims).
 */
export type StatsKey = `ldap:${string}` | "local" | "none";

export interface StatsCell {
  /** Start of the hour, epoch milliseconds. */
  hour: number;
  key: StatsKey;
  successes: number;
  failures: number;
  /** Not cumulative; see latency.ts. */
  latency: number[];
  lastUrl?: string;
  lastUrlAt?: number;
  lastFailoverAt?: number;
}

const HOUR_MS = 60 * 60_000;

export function hourOf(at: number): number {
  return Math.floor(at / HOUR_MS) * HOUR_MS;
}

export function configurationKey(name: string): StatsKey {
  return `ldap:${name}`;
}

function emptyCell(key: StatsKey, hour: number): StatsCell {
  return { hour, key, successes: 0, failures: 0, latency: emptyBuckets() };
}

/** Adds `from` into `into` (the same hour and key): counts add up, the later URL and failover win. */
export function mergeCell(into: StatsCell, from: StatsCell): void {
  into.successes += from.successes;
  into.failures += from.failures;
  addBuckets(into.latency, from.latency);
  if (from.lastUrl !== undefined && (into.lastUrlAt === undefined || (from.lastUrlAt ?? 0) >= into.lastUrlAt)) {
    into.lastUrl = from.lastUrl;
    into.lastUrlAt = from.lastUrlAt;
  }
  if (from.lastFailoverAt !== undefined && (into.lastFailoverAt ?? 0) < from.lastFailoverAt)
    into.lastFailoverAt = from.lastFailoverAt;
}

/** The counts of one process since the last drain, by key and hour. */
export class StatsBuffer {
  private cells = new Map<StatsKey, Map<number, StatsCell>>();
  /** Moves on every drain, so a holder of a cell (see cellFor) knows it was handed over. */
  generation = 0;

  cellFor(key: StatsKey, at: number): StatsCell {
    const hour = hourOf(at);
    let byHour = this.cells.get(key);
    if (!byHour) this.cells.set(key, (byHour = new Map()));
    let cell = byHour.get(hour);
    if (!cell) byHour.set(hour, (cell = emptyCell(key, hour)));
    return cell;
  }

  signIn(key: StatsKey, ok: boolean, at = Date.now()): void {
    const cell = this.cellFor(key, at);
    if (ok) cell.successes += 1;
    else cell.failures += 1;
  }

  latency(key: StatsKey, ms: number, at = Date.now()): void {
    this.cellFor(key, at).latency[latencyBucket(ms)]! += 1;
  }

  /** A new connection was answered by `url`; `failover`: not the configuration's first URL. */
  answered(key: StatsKey, url: string, failover: boolean, at = Date.now()): void {
    const cell = this.cellFor(key, at);
    cell.lastUrl = url;
    cell.lastUrlAt = at;
    if (failover) cell.lastFailoverAt = at;
  }

  /** Takes every cell out (oldest hour first), leaving the buffer empty. */
  drain(): StatsCell[] {
    const drained = [...this.cells.values()].flatMap((byHour) => [...byHour.values()]);
    this.cells = new Map();
    this.generation += 1;
    return drained.sort((a, b) => a.hour - b.hour);
  }

  /** Puts drained cells back (their write failed): they are added to what was counted since. */
  restore(cells: StatsCell[]): void {
    for (const cell of cells) mergeCell(this.cellFor(cell.key, cell.hour), cell);
  }

  get size(): number {
    let size = 0;
    for (const byHour of this.cells.values()) size += byHour.size;
    return size;
  }
}

// One buffer per process: the sign-in route, the admin actions and the flusher may be loaded in
// different bundles (Next.js), which share globalThis.
const STATS = Symbol.for("ldap-portal.directory-stats");
const globalForStats = globalThis as unknown as { [STATS]?: StatsBuffer };

export function statsBuffer(): StatsBuffer {
  globalForStats[STATS] ??= new StatsBuffer();
  return globalForStats[STATS];
}
