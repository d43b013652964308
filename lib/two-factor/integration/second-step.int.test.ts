import { beforeAll, describe, expect, it } from "vitest";
import { directoryEnv } from "@/e2e/directories/env";
import { freshPortal, storeConfig } from "@/lib/auth/integration/harness";
import { openldapConfig } from "@/lib/ldap/integration/directory-configs";

/**
 * The second step on a real database and a real OpenLDAP: who gets it, that the password alone
 * opens no session, that codes count once, that recovery codes work once, that guessing is
 * throttled, and that an administrator's reset makes the next sign-in enrol.
 */

const PASSWORD = "Second-Step-Password-1";
let lib: {
  signIn: typeof import("@/lib/auth/login").signInWithPassword;
  db: typeof import("@/lib/db/second-factors");
  factors: typeof import("../factors");
  totp: typeof import("../totp");
  challengeId: typeof import("../challenge").challengeId;
  createLocalUser: typeof import("@/lib/db/users").createLocalUser;
  hashPassword: typeof import("@/lib/auth/password").hashPassword;
  prisma: typeof import("@/lib/db/client").db;
  sessions: typeof import("@/lib/db/sessions");
};

beforeAll(async () => {
  await freshPortal("second-step");
  lib = {
    signIn: (await import("@/lib/auth/login")).signInWithPassword,
    db: await import("@/lib/db/second-factors"),
    factors: await import("../factors"),
    totp: await import("../totp"),
    challengeId: (await import("../challenge")).challengeId,
    createLocalUser: (await import("@/lib/db/users")).createLocalUser,
    hashPassword: (await import("@/lib/auth/password")).hashPassword,
    prisma: (await import("@/lib/db/client")).db,
    sessions: await import("@/lib/db/sessions"),
  };
}, 60_000);

let counter = 0;
async function localUser() {
  const username = `two-factor-${++counter}@portal.local`;
  const user = await lib.createLocalUser({ username, passwordHash: await lib.hashPassword(PASSWORD) });
  return { id: user.id, username };
}

const signIn = (username: string) => lib.signIn({ username, password: PASSWORD, clientAddress: "192.0.2.7" });

async function secondStep(username: string) {
  const result = await signIn(username);
  if (result.ok !== "second_step") throw new Error(`expected a second step, got ${JSON.stringify(result)}`);
  return lib.challengeId(result.challengeToken);
}

async function withApp(userId: string) {
  const secret = lib.totp.newTotpSecret();
  const enrolled = await lib.factors.enrolTotp(userId, secret, lib.totp.totpCode(secret), "Phone", true);
  if (!enrolled.ok) throw new Error(enrolled.message);
  return { secret, recoveryCodes: enrolled.recoveryCodes! };
}

describe("the second step", () => {
  it("is skipped by a user without factor or requirement, and due once they have one", async () => {
    const user = await localUser();
    const plain = await signIn(user.username);
    if (plain.ok !== true) throw new Error(`expected a session, got ${JSON.stringify(plain)}`);
    // The session the sign-in wrote in SQL reads back through every path: per request and in lists.
    expect((await lib.sessions.sessionAccount(plain.sessionId, user.id))?.role).toBe("user");
    expect(await lib.sessions.sessionsOf(user.id, plain.sessionId)).toEqual([
      expect.objectContaining({ current: true, clientAddress: "192.0.2.7" }),
    ]);
    expect(await lib.sessions.sessionAccount(plain.sessionId, user.id, new Date(Date.now() + 9 * 3600_000))).toBe(
      undefined,
    );
    await withApp(user.id);
    expect((await signIn(user.username)).ok).toBe("second_step");
  });

  it("is due for members of a group that requires it, resolved by priority", async () => {
    const user = await localUser();
    const strict = await lib.prisma().group.create({
      data: {
        name: `Strict ${counter}`,
        priority: 500 + counter,
        settings: { create: { key: "require_two_factor", value: "true" } },
      },
    });
    await lib.prisma().groupMembership.create({ data: { userId: user.id, groupId: strict.id, origin: "manual" } });
    expect(await lib.db.secondFactorState(user.id)).toEqual({ factors: 0, required: true, resetPending: false });
    // A group with a lower priority number that says otherwise wins.
    const lenient = await lib.prisma().group.create({
      data: {
        name: `Lenient ${counter}`,
        priority: 5 + counter,
        settings: { create: { key: "require_two_factor", value: "false" } },
      },
    });
    await lib.prisma().groupMembership.create({ data: { userId: user.id, groupId: lenient.id, origin: "manual" } });
    expect((await lib.db.secondFactorState(user.id)).required).toBe(false);
    await lib.prisma().group.delete({ where: { id: lenient.id } });
    expect((await signIn(user.username)).ok).toBe("second_step");
  });

  it("opens no session until satisfied, and a satisfied challenge opens one session only", async () => {
    const user = await localUser();
    await withApp(user.id);
    const id = await secondStep(user.username);
    expect(await lib.prisma().session.count({ where: { userId: user.id } })).toBe(0);
    expect(await lib.db.consumeChallenge(id)).toBeUndefined();
    await lib.db.satisfyChallenge(id);
    const spent = await Promise.all([lib.db.consumeChallenge(id), lib.db.consumeChallenge(id)]);
    expect(spent.filter(Boolean).map((challenge) => challenge!.userId)).toEqual([user.id]);
  });

  it("lapses after five minutes", async () => {
    const user = await localUser();
    await withApp(user.id);
    const id = await secondStep(user.username);
    expect(await lib.db.findChallenge(id, new Date(Date.now() + 4 * 60_000))).not.toBeNull();
    expect(await lib.db.findChallenge(id, new Date(Date.now() + 5 * 60_000 + 1000))).toBeNull();
  });

  it("accepts an app's code once, refuses a wrong one, and takes each recovery code once", async () => {
    const user = await localUser();
    const { secret, recoveryCodes } = await withApp(user.id);
    expect(recoveryCodes).toHaveLength(10);
    const next = lib.totp.totpCode(secret, Date.now() + 30_000);
    const results = await Promise.all([
      lib.factors.checkSecondFactorCode(user.id, next),
      lib.factors.checkSecondFactorCode(user.id, next),
    ]);
    expect(results.map((result) => result.ok).sort()).toEqual([false, true]);
    expect(results.find((result) => !result.ok)).toMatchObject({ message: /used already/ });
    expect(await lib.factors.checkSecondFactorCode(user.id, "000000")).toMatchObject({ ok: false });

    const [recovery] = recoveryCodes;
    expect(await lib.factors.checkSecondFactorCode(user.id, recovery!.toLowerCase())).toEqual({
      ok: true,
      factor: "recovery_code",
    });
    expect((await lib.factors.checkSecondFactorCode(user.id, recovery!)).ok).toBe(false);
    expect((await lib.db.factorsOf(user.id)).recoveryCodesLeft).toBe(9);
  });

  it("stops guessing codes after the account limit, whatever the codes", async () => {
    const user = await localUser();
    await withApp(user.id);
    const results = [];
    for (let i = 0; i < 8; i++) results.push(await lib.factors.checkSecondFactorCode(user.id, String(100000 + i)));
    expect(results.some((result) => !result.ok && result.throttled)).toBe(true);
  });

  it("is enrolment again after an administrator's reset", async () => {
    const user = await localUser();
    await withApp(user.id);
    expect(await lib.db.resetSecondFactors(user.id)).toBe(1);
    expect(await lib.db.secondFactorState(user.id)).toEqual({ factors: 0, required: false, resetPending: true });
    expect((await signIn(user.username)).ok).toBe("second_step");
    await withApp(user.id);
    expect((await lib.db.secondFactorState(user.id)).resetPending).toBe(false);
  });

  it("belongs to the directory user however the login is typed", async () => {
    const env = directoryEnv("openldap");
    await storeConfig("OpenLDAP", openldapConfig("groupOfNames"));
    const login = (username: string) =>
      lib.signIn({ username, password: env.users.test_user_1!.password, clientAddress: "192.0.2.8" });
    const first = await login("test_user_1@kasm.core");
    expect(first.ok).toBe(true);
    const userId = (await lib.prisma().user.findUniqueOrThrow({ where: { username: "test_user_1@kasm.core" } })).id;
    await withApp(userId);
    for (const typed of ["test_user_1@kasm.core", "TEST_USER_1@KASM.CORE"]) {
      const result = await login(typed);
      if (result.ok !== "second_step") throw new Error(`${typed}: no second step`);
      expect((await lib.db.findChallenge(lib.challengeId(result.challengeToken)))?.userId).toBe(userId);
    }
  });
});
