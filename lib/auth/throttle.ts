import "server-only";
import { beginAttempt, finishAttempt, type AttemptPolicy } from "@/lib/db/throttle";
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
};

export type ThrottleKind = "address" | "account";

/**
 * One admitted attempt against one key; finish it once: "failure" for a wrong guess, "success",
 * or "abandoned" when the password was never judged (the directory was unreachable).
 */
export interface CountedAttempt {
  finish(outcome: "success" | "failure" | "abandoned", now?: number): Promise<void>;
}

/**
 * Admits an attempt against `key` or says how many seconds to wait. The attempt counts as
 * running until finished, so concurrent guesses see each other.
 */
export async function admit(
  kind: ThrottleKind,
  key: string,
  now = Date.now(),
): Promise<{ ok: true; attempt: CountedAttempt } | { ok: false; waitSeconds: number }> {
  const policy = kind === "address" ? addressPolicy() : accountPolicy();
  const admission = await beginAttempt(key, policy, now);
  if (!admission.admitted)
    return { ok: false, waitSeconds: Math.max(1, Math.ceil((admission.lockedUntil.getTime() - now) / 1000)) };
  let finished = false;
  return {
    ok: true,
    attempt: {
      async finish(outcome, finishedAt = Date.now()) {
        if (finished) return;
        finished = true;
        // A success clears an account's failures; at an address it only frees its place.
        const effect =
          outcome === "failure" ? "failure" : outcome === "success" && kind === "account" ? "clear" : "release";
        await finishAttempt(key, policy, effect, finishedAt);
      },
    },
  };
}
