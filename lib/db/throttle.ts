import "server-only";
import { Prisma } from "./generated/client";
import { db } from "./client";

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

// Each step is ONE statement (an upsert or update evaluated against the row as it is when the
// statement runs), atomic on SQLite and PostgreSQL alike: parallel attempts see each other without
// a transaction or a lock, and a burst gives the same counts as the same attempts one by one.
// Dates are compared as the adapters store them (SQLite: ISO text in one fixed format, written by
// Prisma and these statements alike; PostgreSQL: timestamp).

/**
 * Admits an attempt for `key` and counts it as running, so parallel attempts see each other.
 * While failures remain, up to `remaining × parallelPerRemaining` attempts run at once; once the
 * limit is spent (and the lock has passed) one at a time. One statement when admitted; its
 * RETURNING clause can read more (`alsoReturning`: `, (SELECT …) AS "name"` scalar subqueries),
 * so a caller that needs something else first gets it in the same statement.
 */
export async function beginAttempt<Also extends object = object>(
  key: string,
  policy: AttemptPolicy,
  now: number,
  alsoReturning: Prisma.Sql = Prisma.empty,
): Promise<({ admitted: true } & Also) | { admitted: false; lockedUntil: Date }> {
  const at = new Date(now);
  // A window older than this is over: its failures are forgotten, and so are attempts a crashed
  // process never finished (a sign-in takes seconds).
  const windowOver = new Date(now - policy.windowMs);
  const admitted = await db().$queryRaw<({ inFlight: number } & Also)[]>`
    INSERT INTO "LoginThrottle" ("key", "failures", "inFlight", "windowStart", "lockedUntil")
    VALUES (${key}, 0, 1, ${at}, NULL)
    ON CONFLICT ("key") DO UPDATE SET
      "failures" = CASE WHEN "LoginThrottle"."windowStart" < ${windowOver} THEN 0 ELSE "LoginThrottle"."failures" END,
      "inFlight" = CASE WHEN "LoginThrottle"."windowStart" < ${windowOver} THEN 1 ELSE "LoginThrottle"."inFlight" + 1 END,
      "windowStart" = CASE WHEN "LoginThrottle"."windowStart" < ${windowOver} THEN ${at} ELSE "LoginThrottle"."windowStart" END,
      "lockedUntil" = NULL
    WHERE ("LoginThrottle"."lockedUntil" IS NULL OR "LoginThrottle"."lockedUntil" <= ${at})
      AND ("LoginThrottle"."windowStart" < ${windowOver}
        OR "LoginThrottle"."inFlight" < CASE
          WHEN ${policy.limit} - "LoginThrottle"."failures" > 0
          THEN (${policy.limit} - "LoginThrottle"."failures") * ${policy.parallelPerRemaining}
          ELSE 1 END)
    RETURNING "inFlight" ${alsoReturning}`;
  const row = admitted[0];
  if (row) return { ...row, admitted: true };
  // Refused: locked (say until when), or as many attempts running as allowed (try again in 1 s).
  const lock = await db().loginThrottle.findUnique({ where: { key }, select: { lockedUntil: true } });
  if (lock?.lockedUntil && lock.lockedUntil.getTime() > now) return { admitted: false, lockedUntil: lock.lockedUntil };
  return { admitted: false, lockedUntil: new Date(now + 1000) };
}

/** Lock ends for `over` = 1, 2, … until policy.lockMs stops growing (at most 64 steps). */
function lockSteps(policy: AttemptPolicy, now: number): Date[] {
  const steps = [policy.lockMs(1)];
  while (steps.length < 64) {
    const next = policy.lockMs(steps.length + 1);
    if (next === steps[steps.length - 1]) break;
    steps.push(next);
  }
  return steps.map((ms) => new Date(now + ms));
}

/** How an attempt ended: "failure" counts (and may lock the key), "clear" forgets the key's
 * failures, "release" only frees its place (a success at an address, or an attempt never judged). */
export interface AttemptEnding {
  key: string;
  policy: AttemptPolicy;
  effect: "failure" | "release" | "clear";
}

const freePlace = Prisma.sql`"inFlight" = CASE WHEN "inFlight" > 0 THEN "inFlight" - 1 ELSE 0 END`;

/**
 * Ends counted attempts (each key at most once): all that did not fail in one statement, each
 * failure in one of its own. The rows stay (the purge removes them): guesses still running must
 * find them to be counted.
 */
export async function finishAttempts(endings: AttemptEnding[], now: number) {
  const unfailed = endings.filter((ending) => ending.effect !== "failure");
  const keys = (effect?: "clear") =>
    unfailed.filter((ending) => !effect || ending.effect === effect).map(({ key }) => key);
  const cleared = keys("clear");
  const isCleared = cleared.length > 0 ? Prisma.sql`"key" IN (${Prisma.join(cleared)})` : Prisma.sql`1 = 0`;
  if (unfailed.length > 0) {
    await db().$executeRaw`
      UPDATE "LoginThrottle" SET ${freePlace},
        "failures" = CASE WHEN ${isCleared} THEN 0 ELSE "failures" END,
        "lockedUntil" = CASE WHEN ${isCleared} THEN NULL ELSE "lockedUntil" END
      WHERE "key" IN (${Prisma.join(keys())})`;
  }
  for (const { key, policy } of endings.filter((ending) => ending.effect === "failure"))
    await countFailure(key, policy, now);
}

async function countFailure(key: string, policy: AttemptPolicy, now: number) {
  // The failure makes `failures + 1`; `over` counts those beyond the limit (1 for the first).
  // The window restarts when the lock ends: failures add up, and the waits keep growing, until
  // a whole window passes without one.
  const over = Prisma.sql`("failures" + 2 - ${policy.limit})`;
  const steps = lockSteps(policy, now);
  // One flat CASE whose first branch is the column: PostgreSQL then types every date parameter
  // as the column's timestamp.
  const lockEnd = (column: Prisma.Sql) =>
    Prisma.sql`CASE WHEN ${over} <= 0 THEN ${column} ${Prisma.join(
      [...steps.slice(0, -1).map((end, index) => Prisma.sql`WHEN ${over} = ${index + 1} THEN ${end}`), Prisma.empty],
      " ",
    )} ELSE ${steps[steps.length - 1]!} END`;
  await db().$executeRaw`
    UPDATE "LoginThrottle" SET ${freePlace},
      "failures" = "failures" + 1,
      "lockedUntil" = ${lockEnd(Prisma.sql`"lockedUntil"`)},
      "windowStart" = ${lockEnd(Prisma.sql`"windowStart"`)}
    WHERE "key" = ${key}`;
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
