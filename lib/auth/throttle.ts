import "server-only";
import { clearThrottle, readThrottle, writeThrottle } from "@/lib/db/throttle";
import { env } from "@/lib/env";

/**
 * Password-guessing brake, per username and per client address, kept in the database so it
 * holds across restarts and instances. After `limit` failures within the window every further
 * failure locks the key for a growing wait (30 s, 60 s, 120 s … at most 15 minutes).
 * Limits: LOGIN_THROTTLE_USER_LIMIT (5) and LOGIN_THROTTLE_ADDRESS_LIMIT (20).
 */
const WINDOW_MS = 5 * 60_000;
const BASE_LOCK_MS = 30_000;
const MAX_LOCK_MS = 15 * 60_000;
type Kind = "user" | "ip";
const limitOf = (kind: Kind) => (kind === "user" ? env().throttleUserLimit : env().throttleAddressLimit);
const keyOf = (kind: Kind, value: string) => `${kind}:${value}`;

/** Seconds to wait before another attempt, or 0 when allowed. */
export async function throttleWaitSeconds(username: string, clientAddress: string, now = Date.now()): Promise<number> {
  const rows = await Promise.all([readThrottle(keyOf("user", username)), readThrottle(keyOf("ip", clientAddress))]);
  const until = Math.max(0, ...rows.map((row) => row?.lockedUntil?.getTime() ?? 0));
  return until > now ? Math.ceil((until - now) / 1000) : 0;
}

async function registerFailure(kind: Kind, value: string, now: number) {
  const key = keyOf(kind, value);
  const row = await readThrottle(key);
  const fresh = !row || now - row.windowStart.getTime() > WINDOW_MS;
  const failures = fresh ? 1 : row.failures + 1;
  const over = failures - limitOf(kind);
  const lockedUntil = over >= 0 ? new Date(now + Math.min(MAX_LOCK_MS, BASE_LOCK_MS * 2 ** over)) : null;
  await writeThrottle(key, { failures, windowStart: fresh ? new Date(now) : row.windowStart, lockedUntil });
}

export async function recordLoginFailure(username: string, clientAddress: string, now = Date.now()) {
  await registerFailure("user", username, now);
  await registerFailure("ip", clientAddress, now);
}

/** A success clears the username's counter. The address keeps its own, so one valid account cannot reset it. */
export async function recordLoginSuccess(username: string) {
  await clearThrottle(keyOf("user", username));
}

export function throttleMessage(seconds: number): string {
  const wait = seconds >= 90 ? `${Math.ceil(seconds / 60)} minutes` : `${seconds} seconds`;
  return `Too many failed sign-in attempts. Try again in ${wait}.`;
}
