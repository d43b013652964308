import "server-only";
import { db, transaction } from "./client";

export interface AttemptPolicy {
  windowMs: number;
  /** Failed attempts allowed within the window before the key locks. */
  limit: number;
  /**
   * Attempts that may run at once per failure still allowed: 1 for an account (parallel guesses
   * count before they fail), more for an address (an office behind NAT signs in at 9 am).
   */
  parallelPerRemaining: number;
  /** How long to lock once `over` failures beyond the limit were made (1 for the first). */
  lockMs: (over: number) => number;
}

export type Admission = { admitted: true } | { admitted: false; lockedUntil: Date };

/**
 * Admits an attempt for `key` and counts it as running, in one transaction, so parallel
 * attempts see each other. While failures remain, up to `remaining × parallelPerRemaining`
 * attempts run at once; once the limit is spent (and the lock has passed) one at a time.
 */
export async function beginAttempt(key: string, policy: AttemptPolicy, now: number): Promise<Admission> {
  return transaction(async (tx) => {
    const row = await tx.loginThrottle.findUnique({ where: { key } });
    if (row?.lockedUntil && row.lockedUntil.getTime() > now) return { admitted: false, lockedUntil: row.lockedUntil };
    const fresh = !row || now - row.windowStart.getTime() > policy.windowMs;
    const failures = fresh ? 0 : row.failures;
    // A new window also forgets attempts a crashed process never finished (a sign-in takes seconds).
    const inFlight = fresh ? 0 : row.inFlight;
    const remaining = policy.limit - failures;
    const allowance = remaining > 0 ? remaining * policy.parallelPerRemaining : 1;
    if (inFlight >= allowance) return { admitted: false, lockedUntil: new Date(now + 1000) };
    const data = {
      failures,
      inFlight: inFlight + 1,
      windowStart: fresh ? new Date(now) : row.windowStart,
      lockedUntil: null,
    };
    await tx.loginThrottle.upsert({ where: { key }, create: { key, ...data }, update: data });
    return { admitted: true };
  });
}

/**
 * Ends a counted attempt: "failure" counts (and may lock the key), "clear" forgets the key,
 * "release" only frees its place (a success at an address, or an attempt never judged).
 */
export async function finishAttempt(
  key: string,
  policy: AttemptPolicy,
  outcome: "failure" | "release" | "clear",
  now: number,
) {
  await transaction(async (tx) => {
    const row = await tx.loginThrottle.findUnique({ where: { key } });
    if (!row) return;
    const inFlight = Math.max(0, row.inFlight - 1);
    // The row stays (the purge removes it): guesses still running must find it to be counted.
    if (outcome === "clear")
      return void (await tx.loginThrottle.update({
        where: { key },
        data: { inFlight, failures: 0, lockedUntil: null },
      }));
    if (outcome === "release") return void (await tx.loginThrottle.update({ where: { key }, data: { inFlight } }));
    const failures = row.failures + 1;
    const over = failures - policy.limit + 1;
    if (over <= 0) return void (await tx.loginThrottle.update({ where: { key }, data: { inFlight, failures } }));
    // The window restarts when the lock ends: failures add up, and the waits keep growing, until
    // a whole window passes without one.
    const lockedUntil = new Date(now + policy.lockMs(over));
    await tx.loginThrottle.update({
      where: { key },
      data: { inFlight, failures, lockedUntil, windowStart: lockedUntil },
    });
  });
}

/** Deletes counters whose window and lock have passed (nothing in them limits anyone any more). */
export async function purgeThrottle(now: number, windowMs: number): Promise<number> {
  const { count } = await db().loginThrottle.deleteMany({
    where: {
      windowStart: { lt: new Date(now - windowMs) },
      OR: [{ lockedUntil: null }, { lockedUntil: { lt: new Date(now) } }],
      // A row with attempts still running is kept unless it is far too old to be real.
      AND: [{ OR: [{ inFlight: 0 }, { windowStart: { lt: new Date(now - 24 * 60 * 60_000) } }] }],
    },
  });
  return count;
}
