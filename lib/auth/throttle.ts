import "server-only";
import { clearThrottle, countAttempt, uncountAttempt, type AttemptPolicy } from "@/lib/db/throttle";
import { env } from "@/lib/env";

/**
 * Password-guessing brake, per username and per client address, kept in the database so it
 * holds across restarts and instances. After `limit` failed attempts within the window every
 * further attempt is refused and locks the key for a growing wait (30 s, 60 s … at most 15 min).
 * Limits: LOGIN_THROTTLE_USER_LIMIT (5) and LOGIN_THROTTLE_ADDRESS_LIMIT (20).
 */
const WINDOW_MS = 5 * 60_000;
const BASE_LOCK_MS = 30_000;
const MAX_LOCK_MS = 15 * 60_000;
type Kind = "user" | "ip";
const limitOf = (kind: Kind) => (kind === "user" ? env().throttleUserLimit : env().throttleAddressLimit);
const keyOf = (kind: Kind, value: string) => `${kind}:${value}`;

/** Seconds to wait before another attempt, or 0 when allowed. */
function policyOf(kind: Kind): AttemptPolicy {
  return { windowMs: WINDOW_MS, limit: limitOf(kind), lockMs: (over) => Math.min(MAX_LOCK_MS, BASE_LOCK_MS * 2 ** (over - 1)) };
}

/**
 * Admits a sign-in attempt or says how many seconds to wait. Every attempt is counted up front
 * (atomically), so concurrent guesses cannot slip past the limit; a success is taken back below.
 */
export async function admitAttempt(username: string, clientAddress: string, now = Date.now()): Promise<number> {
  for (const [kind, value] of [["user", username], ["ip", clientAddress]] as const) {
    const { admitted, lockedUntil } = await countAttempt(keyOf(kind, value), policyOf(kind), now);
    if (!admitted) return Math.max(1, Math.ceil(((lockedUntil?.getTime() ?? now) - now) / 1000));
  }
  return 0;
}

/** A success clears the username's counter and takes its attempt back from the address's count. */
export async function recordLoginSuccess(username: string, clientAddress: string) {
  await clearThrottle(keyOf("user", username));
  await uncountAttempt(keyOf("ip", clientAddress));
}

export function throttleMessage(seconds: number): string {
  const wait = seconds >= 90 ? `${Math.ceil(seconds / 60)} minutes` : `${seconds} seconds`;
  return `Too many failed sign-in attempts. Try again in ${wait}.`;
}
