/**
 * The fixed latency buckets of LDAP operations, shared by the Prometheus histogram and the
 * per-hour counts the admin home reads (DirectoryStat.latency00 … latency13): bucket i counts the
 * operations that took more than LATENCY_BOUNDS_MS[i - 1] and at most LATENCY_BOUNDS_MS[i]; the
 * last one counts the rest. Fixed, so counts from every instance and hour add up.
 */
export const LATENCY_BOUNDS_MS = [1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000] as const;

/** Buckets in all: one per bound, and one for longer operations. */
export const LATENCY_BUCKETS = LATENCY_BOUNDS_MS.length + 1;

/** The same bounds in seconds, for the Prometheus histogram. */
export const LATENCY_BOUNDS_SECONDS = LATENCY_BOUNDS_MS.map((ms) => ms / 1000);

/** The bucket an operation of `ms` milliseconds falls in. */
export function latencyBucket(ms: number): number {
  for (let index = 0; index < LATENCY_BOUNDS_MS.length; index++) if (ms <= LATENCY_BOUNDS_MS[index]!) return index;
  return LATENCY_BOUNDS_MS.length;
}

export function emptyBuckets(): number[] {
  return new Array<number>(LATENCY_BUCKETS).fill(0);
}

/** Adds `from` into `into` (same length), in place. */
export function addBuckets(into: number[], from: readonly number[]): void {
  for (let index = 0; index < LATENCY_BUCKETS; index++) into[index] = (into[index] ?? 0) + (from[index] ?? 0);
}

/**
 * The `q` quantile (0.95 for p95) of the operations counted in `buckets`, in milliseconds, as
 * Prometheus's histogram_quantile estimates it: linear within the bucket it falls in (from 0 for
 * the first). One that falls among the longer-than-10-s operations is reported as the last bound.
 * Undefined when nothing was counted.
 */
export function latencyQuantile(buckets: readonly number[], q: number): number | undefined {
  const total = buckets.reduce((sum, count) => sum + count, 0);
  if (total === 0) return undefined;
  const rank = q * total;
  let below = 0;
  for (let index = 0; index < LATENCY_BOUNDS_MS.length; index++) {
    const count = buckets[index] ?? 0;
    if (count > 0 && below + count >= rank) {
      const lower = index === 0 ? 0 : LATENCY_BOUNDS_MS[index - 1]!;
      const upper = LATENCY_BOUNDS_MS[index]!;
      return lower + (upper - lower) * ((rank - below) / count);
    }
    below += count;
  }
  return LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1]!;
}
