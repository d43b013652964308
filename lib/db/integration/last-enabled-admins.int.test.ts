import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { migrateDeploy } from "../migrate/index.mjs";

// lib/env.ts reads the environment once: point it at a fresh database before any lib import.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "last-admin-"));
process.env.DATA_DIR = dir;
process.env.DATABASE_URL = `file:${path.join(dir, "portal.db")}`;

let db: typeof import("../client").db;
let admin: typeof import("../user-admin");
let users: typeof import("../users");
let adminGroupId: string;

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  await migrateDeploy({ databaseUrl: process.env.DATABASE_URL });
  const groups = await import("../groups");
  ({ db } = await import("../client"));
  admin = await import("../user-admin");
  users = await import("../users");
  await groups.ensureSystemGroups();
  adminGroupId = await groups.systemGroupId("administrators");
});

beforeEach(async () => {
  await db().user.deleteMany();
});

async function user(username: string, options: { admin?: "manual" | "ldap" | "both"; disabled?: boolean } = {}) {
  const created = await users.createLocalUser({ username, passwordHash: "x" });
  if (options.disabled) await db().user.update({ where: { id: created.id }, data: { disabled: true } });
  const origins = options.admin === "both" ? ["manual", "ldap"] : options.admin ? [options.admin] : [];
  for (const origin of origins)
    await db().groupMembership.create({ data: { userId: created.id, groupId: adminGroupId, origin } });
  return created.id;
}

/** Not disabled and in Administrators by any origin. */
async function enabledAdministrators() {
  const rows = await db().user.findMany({
    where: { disabled: false, memberships: { some: { groupId: adminGroupId } } },
    orderBy: { username: "asc" },
    select: { username: true },
  });
  return rows.map((row) => row.username);
}

function outcomes(results: { ok: boolean; reason?: string }[]) {
  return results.map((result) => (result.ok ? "ok" : result.reason)).sort();
}

describe("two administrators acting on each other at the same moment", () => {
  it("demotions: exactly one succeeds and one administrator remains", async () => {
    const [a, b] = [
      await user("a@portal.local", { admin: "manual" }),
      await user("b@portal.local", { admin: "manual" }),
    ];
    const results = await Promise.all([
      admin.removeManualMembership(b, adminGroupId, a),
      admin.removeManualMembership(a, adminGroupId, b),
    ]);
    expect(await enabledAdministrators()).toHaveLength(1);
    expect(outcomes(results)).toEqual(["last_administrator", "ok"]);
  });

  it("deletions: exactly one succeeds and one administrator remains", async () => {
    const [a, b] = [
      await user("a@portal.local", { admin: "manual" }),
      await user("b@portal.local", { admin: "manual" }),
    ];
    const results = await Promise.all([admin.deleteUser(b, a), admin.deleteUser(a, b)]);
    expect(await enabledAdministrators()).toHaveLength(1);
    expect(await db().user.count()).toBe(1);
    expect(outcomes(results)).toEqual(["last_administrator", "ok"]);
  });

  it("disables: exactly one succeeds and one administrator remains", async () => {
    const [a, b] = [await user("a@portal.local", { admin: "manual" }), await user("b@portal.local", { admin: "ldap" })];
    const results = await Promise.all([admin.setUserDisabled(b, true, a), admin.setUserDisabled(a, true, b)]);
    expect(await enabledAdministrators()).toHaveLength(1);
    expect(outcomes(results)).toEqual(["last_administrator", "ok"]);
  });

  it("mixed changes from three administrators: one administrator remains", async () => {
    const a = await user("a@portal.local", { admin: "manual" });
    const b = await user("b@portal.local", { admin: "manual" });
    const c = await user("c@portal.local", { admin: "manual" });
    const results = await Promise.all([
      admin.deleteUser(b, a),
      admin.setUserDisabled(c, true, b),
      admin.removeManualMembership(a, adminGroupId, c),
    ]);
    expect(await enabledAdministrators()).toHaveLength(1);
    expect(outcomes(results)).toEqual(["last_administrator", "ok", "ok"]);
  });
});

describe("the last enabled administrator", () => {
  it("cannot be demoted, disabled or deleted by another account; the refused change is rolled back", async () => {
    const last = await user("last@portal.local", { admin: "manual" });
    await user("off@portal.local", { admin: "manual", disabled: true }); // a disabled administrator does not count
    const other = await user("other@portal.local"); // e.g. an administrator demoted a moment ago
    expect(await admin.removeManualMembership(last, adminGroupId, other)).toEqual({
      ok: false,
      reason: "last_administrator",
    });
    expect(await admin.setUserDisabled(last, true, other)).toEqual({ ok: false, reason: "last_administrator" });
    expect(await admin.deleteUser(last, other)).toEqual({ ok: false, reason: "last_administrator" });
    expect(await enabledAdministrators()).toEqual(["last@portal.local"]);
  });

  it("cannot demote, disable or delete themselves", async () => {
    const last = await user("last@portal.local", { admin: "manual" });
    expect(await admin.removeManualMembership(last, adminGroupId, last)).toEqual({
      ok: false,
      reason: "self_last_administrator",
    });
    expect(await admin.setUserDisabled(last, true, last)).toEqual({ ok: false, reason: "self_last_administrator" });
    expect(await admin.deleteUser(last, last)).toEqual({ ok: false, reason: "self_last_administrator" });
    expect(await enabledAdministrators()).toEqual(["last@portal.local"]);
  });

  it("counts an LDAP-origin membership: the manual one may go, the LDAP one keeps them administrator", async () => {
    const both = await user("both@portal.local", { admin: "both" });
    expect(await admin.removeManualMembership(both, adminGroupId, both)).toEqual({ ok: true });
    expect(await enabledAdministrators()).toEqual(["both@portal.local"]);
  });
});

describe("with another enabled administrator", () => {
  it("an administrator may be demoted, disabled, enabled and deleted by another", async () => {
    const a = await user("a@portal.local", { admin: "manual" });
    const b = await user("b@portal.local", { admin: "manual" });
    expect(await admin.setUserDisabled(b, true, a)).toEqual({ ok: true });
    expect(await admin.setUserDisabled(b, false, a)).toEqual({ ok: true });
    expect(await admin.removeManualMembership(b, adminGroupId, a)).toEqual({ ok: true });
    expect(await admin.deleteUser(b, a)).toEqual({ ok: true });
    expect(await enabledAdministrators()).toEqual(["a@portal.local"]);
  });

  it("still refuses changes that would lock the acting administrator out", async () => {
    const a = await user("a@portal.local", { admin: "manual" });
    await user("b@portal.local", { admin: "ldap" });
    expect(await admin.removeManualMembership(a, adminGroupId, a)).toEqual({ ok: false, reason: "self_lockout" });
    expect(await admin.setUserDisabled(a, true, a)).toEqual({ ok: false, reason: "self_lockout" });
    expect(await admin.deleteUser(a, a)).toEqual({ ok: false, reason: "self_lockout" });
    expect(await enabledAdministrators()).toEqual(["a@portal.local", "b@portal.local"]);
  });

  it("reports a missing user or manual membership", async () => {
    const a = await user("a@portal.local", { admin: "ldap" });
    expect(await admin.removeManualMembership(a, adminGroupId, a)).toEqual({ ok: false, reason: "not_found" });
    expect(await admin.deleteUser("gone", a)).toEqual({ ok: false, reason: "not_found" });
    expect(await admin.setUserDisabled("gone", true, a)).toEqual({ ok: false, reason: "not_found" });
  });
});
