import "server-only";
import { db, transaction } from "./client";

export interface AttemptPolicy {
  windowMs: number;
  limit: number;
  /** How long to lock once `over` attempts beyond the limit were made. */
  lockMs: (over: number) => number;
}

/**
 * Counts an attempt for `key` before its outcome is known, in one transaction, so parallel
 * guesses all count. Refused when the key is locked or this attempt goes over the limit.
 */
export async function countAttempt(key: string, policy: AttemptPolicy, now: number): Promise<{ admitted: boolean; lockedUntil: Date | null }> {
  return transaction(async (tx) => {
    const row = await tx.loginThrottle.findUnique({ where: { key } });
    if (row?.lockedUntil && row.lockedUntil.getTime() > now) return { admitted: false, lockedUntil: row.lockedUntil };
    const fresh = !row || now - row.windowStart.getTime() > policy.windowMs;
    const failures = fresh ? 1 : row.failures + 1;
    const over = failures - policy.limit;
    const lockedUntil = over > 0 ? new Date(now + policy.lockMs(over)) : null;
    const data = { failures, windowStart: fresh ? new Date(now) : row.windowStart, lockedUntil };
    await tx.loginThrottle.upsert({ where: { key }, create: { key, ...data }, update: data });
    return { admitted: over <= 0, lockedUntil };
  });
}

/** Takes back one counted attempt (it succeeded). */
export async function uncountAttempt(key: string) {
  await db().loginThrottle.updateMany({ where: { key, failures: { gt: 0 } }, data: { failures: { decrement: 1 } } });
}

export async function clearThrottle(key: string) {
  await db().loginThrottle.deleteMany({ where: { key } });
}
