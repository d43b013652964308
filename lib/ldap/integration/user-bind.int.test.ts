/**
 * Active Directory locks accounts by bad binds, so a sign-in attempt sends the user's bind at most
 * once, and the caller (its throttle) may refuse the attempt before that bind. Counted on Samba by
 * badPwdCount of bad_password_user, the one account whose password settings object lets Samba
 * count (see samba/NOTES.md); no other test uses it.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { directorySetup, withDirectoryAdmin } from "../../../e2e/support/directories";
import { authenticate, closeAllPools, type LdapConfig, type LdapUser } from "../index";
import { USER_PASSWORD, hostPort, samba, sambaDocConfig } from "./directory-configs";
import { countingProxy, interruptingProxy, type TestServer } from "./network-faults";

const env = samba();
const setup = directorySetup("samba");
const USER = "bad_password_user@kasm.core";
const USER_DN = env.users.bad_password_user!.dn;
const WRONG = "Wrong-Password-000";

async function badPwdCount(): Promise<number> {
  const entry = await withDirectoryAdmin(
    setup,
    async (client) => (await client.search(USER_DN, { scope: "base", attributes: ["badPwdCount"] })).searchEntries[0],
  );
  return Number(entry?.badPwdCount ?? Number.NaN);
}

/** Samba sets badPwdCount back to 0 at a successful bind: every test starts from there. */
async function resetCount(): Promise<void> {
  const result = await authenticate(sambaDocConfig(), USER, USER_PASSWORD);
  expect(result.ok, JSON.stringify(!result.ok && result.error)).toBe(true);
  expect(await badPwdCount()).toBe(0);
}

/** The documented AD configuration through a proxy (its URL says 127.0.0.1, Samba's certificate 127.0.0.2). */
const proxied = (proxy: TestServer): LdapConfig =>
  sambaDocConfig({ url: proxy.url.replace("ldap://", "ldaps://"), verifyCertificate: false });

beforeEach(resetCount);
afterEach(closeAllPools);
afterAll(async () => {
  await resetCount();
  await closeAllPools();
});

describe("Samba: one user bind per failed attempt", () => {
  it("N wrong passwords raise badPwdCount by exactly N", async () => {
    const N = 3;
    const before = await badPwdCount();
    for (let i = 0; i < N; i++) {
      const result = await authenticate(sambaDocConfig(), USER, WRONG);
      expect(!result.ok && result.error.code).toBe("invalid_credentials");
    }
    expect(await badPwdCount()).toBe(before + N);
  });

  it("a bind whose answer is lost on a pooled connection is not sent again", async () => {
    const proxy = await interruptingProxy(hostPort(env.urls.ldaps));
    try {
      const config = proxied(proxy);
      const warm = await authenticate(config, USER, USER_PASSWORD);
      expect(warm.ok, JSON.stringify(!warm.ok && warm.error)).toBe(true);
      expect(proxy.connections).toBe(2); // 1: the service connection, 2: the bind connection

      proxy.loseNextAnswer(2);
      const lost = await authenticate(config, USER, WRONG);
      // Samba judged the one bind it got: sending it again would count twice.
      expect(await badPwdCount()).toBe(1);
      expect(lost.ok).toBe(false);
      expect(!lost.ok && lost.error.code).toBe("connection_reset");
    } finally {
      await closeAllPools();
      await proxy.close();
    }
  });
});

describe("Samba: beforeUserBind", () => {
  it("resolving false: attempt_refused, no user-bind connection, badPwdCount unchanged", async () => {
    const proxy = await countingProxy(hostPort(env.urls.ldaps));
    try {
      const seen: LdapUser[] = [];
      const result = await authenticate(proxied(proxy), USER, WRONG, {
        beforeUserBind: async (user) => (seen.push(user), false),
      });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.code).toBe("attempt_refused");
      expect(result.error.message).toBe("Too many attempts for this account.");
      expect(seen.map((user) => user.dn)).toEqual([USER_DN]);
      expect(proxy.connections).toBe(1); // the service connection (user search) only
      expect(await badPwdCount()).toBe(0);
    } finally {
      await closeAllPools();
      await proxy.close();
    }
  });

  it("resolving true: runs once, after the user was found and before the bind", async () => {
    const counts: number[] = [];
    const result = await authenticate(sambaDocConfig(), USER, WRONG, {
      beforeUserBind: async (user) => {
        expect(user.dn).toBe(USER_DN);
        counts.push(await badPwdCount());
        return true;
      },
    });
    expect(!result.ok && result.error.code).toBe("invalid_credentials");
    expect(counts).toEqual([0]);
    expect(await badPwdCount()).toBe(1);

    const right = await authenticate(sambaDocConfig(), USER, USER_PASSWORD, { beforeUserBind: async () => true });
    expect(right.ok, JSON.stringify(!right.ok && right.error)).toBe(true);
  });

  it("not consulted for a user who is not found (nothing to bind)", async () => {
    let calls = 0;
    const result = await authenticate(sambaDocConfig(), "no_such_user@kasm.core", WRONG, {
      beforeUserBind: async () => (calls++, true),
    });
    expect(!result.ok && result.error.code).toBe("user_not_found");
    expect(calls).toBe(0);
  });

  it("a service connection that breaks after the hook ran does not run the attempt (hook and bind) twice", async () => {
    const proxy = await interruptingProxy(hostPort(env.urls.ldaps));
    try {
      // No nesting cache: the group step must ask the directory.
      const config = { ...proxied(proxy), nestedGroupsCacheSeconds: 0 };
      expect((await authenticate(config, USER, USER_PASSWORD)).ok).toBe(true);
      let calls = 0;
      const result = await authenticate(config, USER, USER_PASSWORD, {
        beforeUserBind: async () => {
          calls += 1;
          proxy.loseNextAnswer(1); // the group query's answer, on the service connection
          return true;
        },
      });
      // Retrying the whole login on a fresh service connection would count a second attempt.
      expect(calls).toBe(1);
      expect(!result.ok && result.error.code).toBe("connection_reset");
      expect(!result.ok && result.error.step).toBe("groups");
    } finally {
      await closeAllPools();
      await proxy.close();
    }
  });
});
