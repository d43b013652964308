import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, expect, it } from "vitest";

// The brake counts attempts in the database, atomically: parallel guesses cannot slip past it.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "throttle-"));
process.env.DATA_DIR = dir;
process.env.DATABASE_URL = `file:${path.join(dir, "portal.db")}`;
process.env.LOGIN_THROTTLE_USER_LIMIT = "5";
process.env.LOGIN_THROTTLE_ADDRESS_LIMIT = "20";

let throttle: typeof import("./throttle");

beforeAll(async () => {
  const { migrateDeploy } = await import("../db/migrate/index.mjs");
  await migrateDeploy({ databaseUrl: process.env.DATABASE_URL });
  throttle = await import("./throttle");
});

/** Starts `count` attempts at once against one key; finishes the admitted ones with `outcome`. */
async function burst(kind: "account" | "address", key: string, count: number, outcome: "success" | "failure") {
  const admissions = await Promise.all(Array.from({ length: count }, () => throttle.admit(kind, key)));
  const admitted = admissions.flatMap((admission) => (admission.ok ? [admission.attempt] : []));
  await Promise.all(admitted.map((attempt) => attempt.finish(outcome)));
  return {
    admitted: admitted.length,
    waits: admissions.flatMap((admission) => (admission.ok ? [] : [admission.waitSeconds])),
  };
}

it("lets at most the limit of 30 parallel guesses against one account run, then locks it", async () => {
  const key = throttle.throttleKeys.localAccount("alice");
  const { admitted, waits } = await burst("account", key, 30, "failure");
  expect(admitted).toBe(5);
  expect(waits.every((wait) => wait >= 1 && wait <= 15 * 60)).toBe(true);
  const next = await throttle.admit("account", key);
  expect(next.ok).toBe(false);
  if (!next.ok) expect(next.waitSeconds).toBeGreaterThanOrEqual(25);
});

it("admits 100 parallel sign-ins from one address, and stops parallel wrong guesses at six times the limit", async () => {
  expect((await burst("address", throttle.throttleKeys.address("192.0.2.1"), 100, "success")).admitted).toBe(100);
  // Successes leave nothing behind: the same office can do it again.
  expect((await burst("address", throttle.throttleKeys.address("192.0.2.1"), 100, "success")).admitted).toBe(100);

  const guesses = await burst("address", throttle.throttleKeys.address("192.0.2.2"), 300, "failure");
  expect(guesses.admitted).toBe(120);
  expect((await throttle.admit("address", throttle.throttleKeys.address("192.0.2.2"))).ok).toBe(false);
}, 30_000);

it("lets a correct password clear an account's failures, and admits one attempt at a time after a lock", async () => {
  const key = throttle.throttleKeys.localAccount("bob");
  expect((await burst("account", key, 4, "failure")).admitted).toBe(4);
  expect((await burst("account", key, 1, "success")).admitted).toBe(1);
  expect((await burst("account", key, 4, "failure")).admitted).toBe(4);

  // The fifth failure locks for 30 s; once it has passed, attempts run one at a time.
  const start = Date.now();
  expect((await burst("account", key, 1, "failure")).admitted).toBe(1);
  expect((await throttle.admit("account", key, start + 10_000)).ok).toBe(false);
  const later = start + 31_000;
  const [first, second] = await Promise.all([
    throttle.admit("account", key, later),
    throttle.admit("account", key, later),
  ]);
  expect([first?.ok, second?.ok].sort()).toEqual([false, true]);
});

it("makes an account wait longer after each failure past the limit, up to 15 minutes", async () => {
  const key = throttle.throttleKeys.localAccount("carol");
  let now = Date.now();
  for (let i = 0; i < 4; i++) {
    const admission = await throttle.admit("account", key, now);
    if (admission.ok) await admission.attempt.finish("failure", now);
  }
  const waits: number[] = [];
  for (let i = 0; i < 8; i++) {
    const admission = await throttle.admit("account", key, now);
    expect(admission.ok).toBe(true);
    if (admission.ok) await admission.attempt.finish("failure", now);
    const refused = await throttle.admit("account", key, now + 1);
    if (!refused.ok) waits.push(refused.waitSeconds);
    now += (refused.ok ? 0 : refused.waitSeconds * 1000) + 1000;
  }
  expect(waits).toEqual([30, 60, 120, 240, 480, 900, 900, 900]);
});

it("forgets an attempt a crashed process never finished once its window has passed", async () => {
  const key = throttle.throttleKeys.localAccount("dave");
  const start = Date.now();
  for (let i = 0; i < 5; i++) expect((await throttle.admit("account", key, start)).ok).toBe(true);
  expect((await throttle.admit("account", key, start)).ok).toBe(false);
  expect((await throttle.admit("account", key, start + 6 * 60_000)).ok).toBe(true);
});

it("keys IPv6 clients by their /64", async () => {
  expect(throttle.throttleKeys.address("2001:db8:1:2::7")).toBe(throttle.throttleKeys.address("2001:db8:1:2:ffff::1"));
});
