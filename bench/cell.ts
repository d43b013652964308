// Runs one benchmark cell: a fixed number of logins (or a time budget, whichever ends first) at a
// given concurrency, with latencies and errors. Pure timing code, no LDAP.

/** One login attempt's outcome as an implementation reports it. */
export type Outcome = { ok: true } | { ok: false; error: string };

export interface CellResult {
  concurrency: number;
  /** Logins started (= finished: the cell waits for every one of them). */
  attempts: number;
  ok: number;
  errors: number;
  /** Distinct error messages with their counts. */
  errorKinds: Map<string, number>;
  /** Wall time from the first start to the last finish. */
  wallMs: number;
  /** Successful logins per second of wall time. */
  perSecond: number;
  /** Over every attempt, failures included with the time they took (a hang costs its timeout). */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** This process's CPU time (user + system) during the cell, per attempt: the client side's cost. */
  cpuMsPerLogin: number;
}

export interface CellLimits {
  logins: number;
  ms: number;
  /** A login still running after this long counts as hung (an error) and is abandoned. */
  guardMs: number;
  /** Names the cell in reports about abandoned logins. */
  label?: string;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))]!;
}

/** Logins the guard gave up on; they may still be running and holding connections. */
const abandoned = new Map<Promise<unknown>, string>();

/** The promise's outcome, or a "hung" failure after `ms` (the promise itself is abandoned). */
async function withGuard(run: () => Promise<Outcome>, ms: number, label: string): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  let hung = false;
  const guard = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => {
      hung = true;
      resolve({ ok: false, error: `hung: no answer after ${ms} ms (bench guard)` });
    }, ms);
  });
  const running = run().catch((error: unknown): Outcome => ({ ok: false, error: describe(error) }));
  try {
    return await Promise.race([running, guard]);
  } finally {
    clearTimeout(timer);
    if (hung) {
      abandoned.set(running, label);
      void running.finally(() => abandoned.delete(running));
    }
  }
}

export const abandonedCount = () => abandoned.size;
/** Which cells the still-running abandoned logins came from, e.g. "Samba b c=32 ×2". */
export function abandonedSummary(): string {
  const counts = new Map<string, number>();
  for (const label of abandoned.values()) counts.set(label, (counts.get(label) ?? 0) + 1);
  return [...counts].map(([label, count]) => `${label} ×${count}`).join(", ");
}

/** Waits (at most `maxMs`) for abandoned logins to end, so closing connections does not race them. */
export async function settleAbandoned(maxMs: number): Promise<number> {
  const pending = abandoned.size;
  if (pending > 0) {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...abandoned.keys()]),
      new Promise((resolve) => (timer = setTimeout(resolve, maxMs))),
    ]);
    clearTimeout(timer);
  }
  return pending;
}

export function describe(error: unknown): string {
  if (error instanceof Error) return `${error.constructor.name}: ${error.message.split("\n")[0]}`;
  return String(error);
}

/**
 * `concurrency` workers each take the next login number while fewer than `limits.logins` have
 * started and the time budget is not spent; the cell ends when the last started login finishes.
 */
export async function runCell(
  login: (n: number) => Promise<Outcome>,
  concurrency: number,
  limits: CellLimits,
): Promise<CellResult> {
  const latencies: number[] = [];
  const errorKinds = new Map<string, number>();
  let next = 0;
  let ok = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const worker = async () => {
    while (next < limits.logins && performance.now() - started < limits.ms) {
      const n = next++;
      const t0 = performance.now();
      const outcome = await withGuard(() => login(n), limits.guardMs, limits.label ?? "?");
      latencies.push(performance.now() - t0);
      if (outcome.ok) ok += 1;
      else errorKinds.set(outcome.error, (errorKinds.get(outcome.error) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  latencies.sort((a, b) => a - b);
  return {
    concurrency,
    attempts: latencies.length,
    ok,
    errors: latencies.length - ok,
    errorKinds,
    wallMs,
    perSecond: (ok / wallMs) * 1000,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: latencies[latencies.length - 1] ?? NaN,
    cpuMsPerLogin: (cpu.user + cpu.system) / 1000 / Math.max(1, latencies.length),
  };
}

/** Unmeasured logins at the cell's concurrency: opens pools, JIT-warms the code paths. */
export async function warmUp(
  login: (n: number) => Promise<Outcome>,
  concurrency: number,
  count: number,
  maxMs: number,
  guardMs: number,
  label = "?",
): Promise<number> {
  let next = 0;
  let failures = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count && performance.now() - started < maxMs) {
      const n = next++;
      const outcome = await withGuard(() => login(n), guardMs, `${label} warm-up`);
      if (!outcome.ok) failures += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return failures;
}
