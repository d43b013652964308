import "server-only";
import { openSignIn } from "@/lib/db/sign-in-opening";
import { beginAttempt, finishAttempts, type AttemptEnding, type AttemptPolicy } from "@/lib/db/throttle";
import { env } from "@/lib/env";
import { addressBudget } from "./address-budget";

/**
 * Password-guessing brake, kept in the database so it holds across restarts and instances. It
 * counts guesses, not people:
 * - per account (the directory entry a configuration resolved, or the local account; a login no
 *   account answers to is counted by its text): LOGIN_THROTTLE_USER_LIMIT (5) failures, one
 *   guess at a time per failure left, so parallel guesses stop at the limit;
 * - per client address: LOGIN_THROTTLE_ADDRESS_LIMIT (20) failures, with up to six sign-ins at
 *   once per failure left (120 with the defaults), so an office behind one NAT address signs
 *   in together while a burst of wrong guesses stops after at most six times the limit.
 * Past the limit a key locks for a growing wait (30 s, 60 s … at most 15 min), then admits one
 * attempt at a time. A success clears the account and frees its place at the address.
 */
export const THROTTLE_WINDOW_MS = 5 * 60_000;
const BASE_LOCK_MS = 30_000;
const MAX_LOCK_MS = 15 * 60_000;
const ADDRESS_PARALLEL_PER_FAILURE_LEFT = 6;

const lockMs = (over: number) => Math.min(MAX_LOCK_MS, BASE_LOCK_MS * 2 ** (over - 1));

function accountPolicy(): AttemptPolicy {
  return { windowMs: THROTTLE_WINDOW_MS, limit: env().throttleUserLimit, parallelPerRemaining: 1, lockMs };
}
function addressPolicy(): AttemptPolicy {
  return {
    windowMs: THROTTLE_WINDOW_MS,
    limit: env().throttleAddressLimit,
    parallelPerRemaining: ADDRESS_PARALLEL_PER_FAILURE_LEFT,
    lockMs,
  };
}

/** Throttle keys: what one budget is shared by. */
export const throttleKeys = {
  /** An IPv4 address, or an IPv6 address's /64. */
  address: (clientAddress: string) => `address:${addressBudget(clientAddress)}`,
  localAccount: (userId: string) => `account:local:${userId}`,
  /** The directory's immutable id when it has one, else the entry's DN (normalised by the caller). */
  directoryAccount: (configId: string, entryId: string) => `account:ldap:${configId}:${entryId}`,
  /** A login no account answered to: counted by what was typed (lower-cased). */
  unknownLogin: (login: string) => `login:${login}`,
  /** Codes guessed at an app user's second step, on a budget of their own. */
  secondFactor: (userId: string) => `second-factor:${userId}`,
};

export type ThrottleKind = "address" | "account";

/**
 * One admitted attempt against one key; finish it once: "failure" for a wrong guess, "success",
 * or "abandoned" when the password was never judged (the directory was unreachable).
 */
export interface CountedAttempt {
  finish(outcome: "success" | "failure" | "abandoned", now?: number): Promise<void>;
}

type Outcome = Parameters<CountedAttempt["finish"]>[0];
type Refusal = { ok: false; waitSeconds: number };

function ending(kind: ThrottleKind, key: string, outcome: Outcome): AttemptEnding {
  // A success clears an account's failures; at an address it only frees its place.
  const effect = outcome === "failure" ? "failure" : outcome === "success" && kind === "account" ? "clear" : "release";
  return { key, policy: kind === "address" ? addressPolicy() : accountPolicy(), effect };
}

function refusal(lockedUntil: Date, now: number): Refusal {
  return { ok: false, waitSeconds: Math.max(1, Math.ceil((lockedUntil.getTime() - now) / 1000)) };
}

/** An attempt whose first finish() is handed to `end` (later ones are ignored). */
function countedAttempt(end: (outcome: Outcome, now: number) => Promise<void>): CountedAttempt {
  let finished = false;
  return {
    async finish(outcome, finishedAt = Date.now()) {
      if (finished) return;
      finished = true;
      await end(outcome, finishedAt);
    },
  };
}

/**
 * Admits an attempt against `key` or says how many seconds to wait. The attempt counts as
 * running until finished, so concurrent guesses see each other.
 */
export async function admit(kind: ThrottleKind, key: string, now = Date.now()): Promise<Admitted | Refusal> {
  return admitWith(kind, key, now, () =>
    countedAttempt((outcome, at) => finishAttempts([ending(kind, key, outcome)], at)),
  );
}

type Admitted = { ok: true; attempt: CountedAttempt };

/** One admitting statement; `attempt` makes the admitted attempt (ended at once, or with the sign-in). */
async function admitWith(
  kind: ThrottleKind,
  key: string,
  now: number,
  attempt: () => CountedAttempt,
): Promise<Admitted | Refusal> {
  const admission = await beginAttempt(key, kind === "address" ? addressPolicy() : accountPolicy(), now);
  return admission.admitted ? { ok: true, attempt: attempt() } : refusal(admission.lockedUntil, now);
}

/**
 * The brakes of one sign-in. Its attempts are ended together by settle(), in one statement when
 * none failed, instead of one statement each as they finish; a sign-in that ends a few
 * milliseconds later keeps its place a few milliseconds longer, which only errs on the safe side.
 */
export function signInBrakes() {
  const attempts: CountedAttempt[] = [];
  const endings: AttemptEnding[] = [];
  const deferred = (kind: ThrottleKind, key: string) => {
    const attempt = countedAttempt(async (outcome) => {
      endings.push(ending(kind, key, outcome));
    });
    attempts.push(attempt);
    return attempt;
  };
  return {
    /**
     * Admits the sign-in at its client address; the same statement says whether a local account
     * has this login and which settings version is current (lib/db/sign-in-opening.ts).
     */
    async atAddress(clientAddress: string, login: string, now = Date.now()) {
      const key = throttleKeys.address(clientAddress);
      const opening = await openSignIn(key, addressPolicy(), login, now);
      if (!opening.admitted) return refusal(opening.lockedUntil, now);
      const { localAccount, settingsVersion } = opening;
      return { ok: true as const, attempt: deferred("address", key), localAccount, settingsVersion };
    },
    admit: (kind: ThrottleKind, key: string, now = Date.now()) => admitWith(kind, key, now, () => deferred(kind, key)),
    /** Ends the attempts, once the sign-in is over (one still unfinished was never judged). */
    async settle(now = Date.now()) {
      for (const attempt of attempts.splice(0)) await attempt.finish("abandoned");
      await finishAttempts(endings.splice(0), now);
    },
  };
}

export type SignInBrakes = ReturnType<typeof signInBrakes>;
