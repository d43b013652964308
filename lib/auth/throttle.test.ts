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
  // @ts-expect-error -- plain ESM helper without types
  const { migrateDeploy } = await import("../../prisma/engine/migrate.mjs");
  await migrateDeploy({ databaseUrl: process.env.DATABASE_URL });
  throttle = await import("./throttle");
});

it("admits exactly the limit of 30 parallel attempts for one username, then asks to wait", async () => {
  const waits = await Promise.all(Array.from({ length: 30 }, () => throttle.admitAttempt("alice@kasm.core", "192.0.2.1")));
  expect(waits.filter((wait) => wait === 0)).toHaveLength(5);
  expect(waits.filter((wait) => wait > 0).every((wait) => wait >= 1 && wait <= 15 * 60)).toBe(true);
  expect(await throttle.admitAttempt("alice@kasm.core", "192.0.2.2")).toBeGreaterThan(0);
});

it("does not count successes against the address, and a success clears the username", async () => {
  for (let login = 0; login < 30; login++) {
    expect(await throttle.admitAttempt(`user${login}@kasm.core`, "192.0.2.9")).toBe(0);
    await throttle.recordLoginSuccess(`user${login}@kasm.core`, "192.0.2.9");
  }
  for (let attempt = 0; attempt < 4; attempt++) expect(await throttle.admitAttempt("bob@kasm.core", "192.0.2.10")).toBe(0);
  await throttle.recordLoginSuccess("bob@kasm.core", "192.0.2.10");
  for (let attempt = 0; attempt < 5; attempt++) expect(await throttle.admitAttempt("bob@kasm.core", "192.0.2.10")).toBe(0);
});
