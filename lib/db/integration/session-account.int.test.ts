import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { freshPortal } from "@/lib/auth/integration/harness";

/** What every request asks of the signed-in account (lib/auth/guards.ts currentUser): one SQL statement. */

let db: typeof import("../client").db;
let users: typeof import("../users");
let adminGroupId: string;

// Every statement the adapter runs is prepared first: counting prepares counts queries.
let statements: string[] = [];
const prepare = Database.prototype.prepare;
Database.prototype.prepare = function (this: Database.Database, sql: string) {
  statements.push(sql);
  return prepare.call(this, sql);
} as typeof prepare;

beforeAll(async () => {
  await freshPortal("session-account");
  ({ db } = await import("../client"));
  users = await import("../users");
  adminGroupId = await (await import("../groups")).systemGroupId("administrators");
});

async function account(username: string, options: { admin?: "manual" | "ldap"; disabled?: boolean } = {}) {
  const created = await users.createLocalUser({ username, passwordHash: "x" });
  if (options.disabled) await db().user.update({ where: { id: created.id }, data: { disabled: true } });
  if (options.admin)
    await db().groupMembership.create({ data: { userId: created.id, groupId: adminGroupId, origin: options.admin } });
  return created.id;
}

async function roleCountingQueries(id: string) {
  statements = [];
  const role = await users.activeAccountRole(id);
  return { role, queries: statements.length };
}

describe("activeAccountRole", () => {
  it("reads state and role in one query", async () => {
    const manual = await account("manual-admin@portal.local", { admin: "manual" });
    const ldap = await account("ldap-admin@portal.local", { admin: "ldap" });
    const plain = await account("plain@portal.local");
    const group = await db().group.create({ data: { name: "Other", priority: 50 } });
    await db().groupMembership.create({ data: { userId: plain, groupId: group.id, origin: "manual" } });

    expect(await roleCountingQueries(manual)).toEqual({ role: "admin", queries: 1 });
    expect(await roleCountingQueries(ldap)).toEqual({ role: "admin", queries: 1 });
    expect(await roleCountingQueries(plain)).toEqual({ role: "user", queries: 1 });
  });

  it("counts a disabled or deleted account as signed out", async () => {
    const disabled = await account("disabled-admin@portal.local", { admin: "manual", disabled: true });
    expect(await roleCountingQueries(disabled)).toEqual({ role: undefined, queries: 1 });
    expect(await roleCountingQueries("no-such-user")).toEqual({ role: undefined, queries: 1 });
  });
});
