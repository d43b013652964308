import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { freshPortal } from "@/lib/auth/integration/harness";

/** What every request asks of its session and account (lib/auth/guards.ts currentUser): one SQL statement. */

let db: typeof import("../client").db;
let users: typeof import("../users");
let sessions: typeof import("../sessions");
let adminGroupId: string;
let countsStatements: boolean;

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
  sessions = await import("../sessions");
  adminGroupId = await (await import("../groups")).systemGroupId("administrators");
  countsStatements = (await import("../client")).databaseProvider() === "sqlite";
});

async function account(username: string, options: { admin?: "manual" | "ldap"; disabled?: boolean } = {}) {
  const created = await users.createLocalUser({ username, passwordHash: "x" });
  if (options.disabled) await db().user.update({ where: { id: created.id }, data: { disabled: true } });
  if (options.admin)
    await db().groupMembership.create({ data: { userId: created.id, groupId: adminGroupId, origin: options.admin } });
  return created.id;
}

const signIn = (userId: string, lifetimeSeconds = 3600) =>
  sessions.createSession({ userId, clientAddress: "192.0.2.1", userAgent: "test", lifetimeSeconds });

/** The role read, and (on SQLite, whose statements this file counts) that it took one statement. */
async function roleCountingQueries(sessionId: string, userId: string, now = new Date()) {
  statements = [];
  const found = await sessions.sessionAccount(sessionId, userId, now);
  return { role: found?.role, queries: countsStatements ? statements.length : 1 };
}

describe("sessionAccount", () => {
  it("reads session, state and role in one query", async () => {
    const manual = await account("manual-admin@portal.local", { admin: "manual" });
    const ldap = await account("ldap-admin@portal.local", { admin: "ldap" });
    const plain = await account("plain@portal.local");
    const group = await db().group.create({ data: { name: "Other", priority: 50 } });
    await db().groupMembership.create({ data: { userId: plain, groupId: group.id, origin: "manual" } });

    expect(await roleCountingQueries(await signIn(manual), manual)).toEqual({ role: "admin", queries: 1 });
    expect(await roleCountingQueries(await signIn(ldap), ldap)).toEqual({ role: "admin", queries: 1 });
    expect(await roleCountingQueries(await signIn(plain), plain)).toEqual({ role: "user", queries: 1 });
  });

  it("counts a disabled or deleted account, or another user's session, as signed out", async () => {
    const disabled = await account("disabled-admin@portal.local", { admin: "manual" });
    const session = await signIn(disabled);
    await db().user.update({ where: { id: disabled }, data: { disabled: true } });
    expect(await roleCountingQueries(session, disabled)).toEqual({ role: undefined, queries: 1 });
    const other = await account("other@portal.local");
    expect(await roleCountingQueries(session, other)).toEqual({ role: undefined, queries: 1 });
    expect(await roleCountingQueries("no-such-session", "no-such-user")).toEqual({ role: undefined, queries: 1 });
  });

  it("ends with its expiry, its sign-out, or the user's Sign out everywhere", async () => {
    const user = await account("sessions@portal.local");
    const short = await signIn(user, 60);
    expect((await roleCountingQueries(short, user, new Date(Date.now() + 59_000))).role).toBe("user");
    expect((await roleCountingQueries(short, user, new Date(Date.now() + 61_000))).role).toBeUndefined();

    const first = await signIn(user);
    const second = await signIn(user);
    const third = await signIn(user);
    await sessions.endSession(first);
    expect((await roleCountingQueries(first, user)).role).toBeUndefined();
    expect((await roleCountingQueries(second, user)).role).toBe("user");

    // Signing out the other sessions keeps the caller's own.
    expect(await sessions.endSessionsOf(user, third)).toBe(2);
    expect((await roleCountingQueries(second, user)).role).toBeUndefined();
    expect((await roleCountingQueries(third, user)).role).toBe("user");
    expect((await sessions.sessionsOf(user, third)).map((session) => session.current)).toEqual([true]);

    expect(await sessions.endSessionsOf(user)).toBe(1);
    expect((await roleCountingQueries(third, user)).role).toBeUndefined();
  });

  it("lets one request of many take a due revalidation", async () => {
    const user = await account("revalidated@portal.local");
    const session = await signIn(user);
    const later = new Date(Date.now() + 10 * 60_000);
    const dueBefore = new Date(later.getTime() - 5 * 60_000);
    const claims = await Promise.all(
      Array.from({ length: 5 }, () => sessions.claimRevalidation(session, dueBefore, later)),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect((await sessions.sessionAccount(session, user, later))?.checkedAt).toEqual(later);
  });
});
