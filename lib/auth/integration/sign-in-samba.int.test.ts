import { afterAll, beforeAll, expect, it } from "vitest";
import { directorySetup, withDirectoryAdmin } from "@/e2e/support/directories";
import { USER_PASSWORD, samba, sambaDocConfig } from "@/lib/ldap/integration/directory-configs";
import { freshPortal, storeConfig } from "./harness";

/**
 * Active Directory locks accounts by bad binds: through the whole sign-in, each failed attempt
 * sends exactly one bind, and guesses the account's brake refuses send none. Counted by Samba's
 * badPwdCount of bad_password_user (its password settings object makes Samba count, see
 * e2e/directories/samba/NOTES.md).
 */
const USER_DN = () => samba().users.bad_password_user!.dn;
const GENERIC = "Invalid username or password";
let lib: {
  signIn: typeof import("@/lib/auth/login").signInWithPassword;
  authenticate: typeof import("@/lib/ldap").authenticate;
};

async function badPwdCount(): Promise<number> {
  const entry = await withDirectoryAdmin(
    directorySetup("samba"),
    async (client) => (await client.search(USER_DN(), { scope: "base", attributes: ["badPwdCount"] })).searchEntries[0],
  );
  return Number(entry?.badPwdCount ?? Number.NaN);
}

/** A successful bind sets badPwdCount back to 0 (straight through the engine: the portal's brake may be locked). */
async function resetCount() {
  const result = await lib.authenticate(sambaDocConfig(), "bad_password_user@kasm.core", USER_PASSWORD);
  expect(result.ok).toBe(true);
  expect(await badPwdCount()).toBe(0);
}

beforeAll(async () => {
  await freshPortal("sign-in-samba");
  await storeConfig("Samba AD", sambaDocConfig(), { alternateDomains: "corp.kasm" });
  lib = {
    signIn: (await import("@/lib/auth/login")).signInWithPassword,
    authenticate: (await import("@/lib/ldap")).authenticate,
  };
  await resetCount();
}, 60_000);

afterAll(async () => {
  await resetCount();
  const { closeAllPools } = await import("@/lib/ldap");
  await closeAllPools();
});

it("sends one bind per failed attempt and none past the account's limit, however the login is typed", async () => {
  const spellings = ["bad_password_user@kasm.core", "BAD_PASSWORD_USER@KASM.CORE", "bad_password_user@corp.kasm"];
  const results = await Promise.all(
    Array.from({ length: 15 }, (_, i) =>
      lib.signIn({ username: spellings[i % 3]!, password: `Wrong-${i}`, clientAddress: `192.0.2.${i + 1}` }),
    ),
  );
  const generic = results.filter((result) => !result.ok && result.message === GENERIC).length;
  expect(generic).toBe(5);
  expect(results.filter((result) => !result.ok && result.throttled).length).toBe(10);
  expect(await badPwdCount()).toBe(5);
}, 60_000);

it("refuses a password cut at NUL without a bind: Samba would accept what comes before it", async () => {
  const result = await lib.signIn({
    username: "test_user_1@kasm.core",
    password: `${USER_PASSWORD}\u0000anything`,
    clientAddress: "192.0.2.99",
  });
  expect(result).toEqual({ ok: false, message: GENERIC });
  expect(
    (await lib.signIn({ username: "test_user_1@kasm.core", password: USER_PASSWORD, clientAddress: "192.0.2.99" })).ok,
  ).toBe(true);
}, 60_000);
