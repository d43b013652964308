import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, expect, it } from "vitest";

// Each brake step is one statement: a burst must leave the same counters as the same attempts
// one by one, with nothing left counted as running.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "throttle-burst-"));
process.env.DATA_DIR = dir;
process.env.DATABASE_URL = `file:${path.join(dir, "portal.db")}`;
process.env.LOGIN_THROTTLE_USER_LIMIT = "5";
process.env.LOGIN_THROTTLE_ADDRESS_LIMIT = "20";

let throttle: typeof import("./throttle");
let db: typeof import("../db/client").db;

beforeAll(async () => {
  const { migrateDeploy } = await import("../db/migrate/index.mjs");
  await migrateDeploy({ databaseUrl: process.env.DATABASE_URL });
  throttle = await import("./throttle");
  ({ db } = await import("../db/client"));
});

const start = Date.UTC(2026, 0, 1, 9);

async function counters(key: string) {
  const row = await db().loginThrottle.findUniqueOrThrow({ where: { key } });
  return { failures: row.failures, inFlight: row.inFlight, lockedUntil: row.lockedUntil?.getTime() ?? null };
}

async function attempt(key: string, outcome: "success" | "failure") {
  const admission = await throttle.admit("address", key, start);
  if (admission.ok) await admission.attempt.finish(outcome, start + 1000);
  return admission.ok;
}

it("counts every guess of a burst from one address, and locks as the same failures one by one would", async () => {
  const oneByOne = throttle.throttleKeys.address("192.0.2.10");
  const burst = throttle.throttleKeys.address("192.0.2.11");
  const sequential: boolean[] = [];
  for (let i = 0; i < 25; i++) sequential.push(await attempt(oneByOne, "failure"));
  // One by one, every guess up to the limit is admitted, then the lock refuses the rest.
  expect(sequential.filter(Boolean)).toHaveLength(20);
  // At once: all 25 fit in the parallel allowance (6 per failure left) and each one counts.
  const parallel = await Promise.all(Array.from({ length: 25 }, () => attempt(burst, "failure")));
  expect(parallel.filter(Boolean)).toHaveLength(25);
  const [a, b] = [await counters(oneByOne), await counters(burst)];
  expect(a).toEqual({ failures: 20, inFlight: 0, lockedUntil: start + 1000 + 30_000 });
  expect(b.inFlight).toBe(0);
  expect(b.failures).toBe(25);
  // Six failures past the limit: 30 s doubled five times, capped at 15 minutes.
  expect(b.lockedUntil).toBe(start + 1000 + 15 * 60_000);
});

it("frees the places of successful sign-ins at an address without counting them", async () => {
  const key = throttle.throttleKeys.address("192.0.2.12");
  const results = await Promise.all(Array.from({ length: 50 }, () => attempt(key, "success")));
  expect(results.every(Boolean)).toBe(true);
  expect(await counters(key)).toEqual({ failures: 0, inFlight: 0, lockedUntil: null });
});
