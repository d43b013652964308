import { beforeAll, describe, expect, it } from "vitest";
import { directoryEnv } from "@/e2e/directories/env";
import { openldapConfig } from "@/lib/ldap/integration/directory-configs";
import { asDirectoryAdmin, freshPortal, setUserPassword, storeConfig } from "./harness";

/**
 * The brake counts guesses, not people, with the default limits (5 per account, 20 per
 * address), on real OpenLDAP and a real database: an office behind one address signs in
 * together; wrong guesses stop after a small multiple of the limit, however the login is typed.
 */
const OFFICE_PASSWORD = "Office-Password-9";
const OFFICE = Array.from({ length: 100 }, (_, i) => `bulk_user_${String(i + 1).padStart(4, "0")}`);
const GENERIC = "Invalid username or password";
const THROTTLED = /^Too many failed sign-in attempts/;

let signIn: typeof import("@/lib/auth/login").signInWithPassword;

beforeAll(async () => {
  await freshPortal("sign-in-brake");
  const env = directoryEnv("openldap");
  // The bulk users have no password of their own: the office gets one.
  await asDirectoryAdmin(env, async (client) => {
    for (const user of OFFICE)
      await setUserPassword(client, `uid=${user},ou=Bulk,ou=MyOrg,${env.baseDn}`, OFFICE_PASSWORD);
  });
  // No Required Group: the bulk users are not in all_kasm_app_users.
  await storeConfig("OpenLDAP", openldapConfig("groupOfNames", { requiredGroupDn: undefined }), {
    alternateDomains: "corp.example",
  });
  signIn = (await import("@/lib/auth/login")).signInWithPassword;
}, 120_000);

const attempt = (username: string, password: string, clientAddress: string) =>
  signIn({ username, password, clientAddress });
const messages = (results: Awaited<ReturnType<typeof signIn>>[]) =>
  results.map((result) => (result.ok ? "ok" : THROTTLED.test(result.message) ? "throttled" : result.message));
const count = (list: string[], value: string) => list.filter((item) => item === value).length;

describe("the sign-in brake with its defaults", () => {
  it("lets 100 different accounts sign in at once from one address", async () => {
    const results = await Promise.all(
      OFFICE.map((user) => attempt(`${user}@kasm.core`, OFFICE_PASSWORD, "203.0.113.10")),
    );
    expect(messages(results)).toEqual(OFFICE.map(() => "ok"));
  }, 120_000);

  it("stops 300 parallel wrong guesses from one address after at most six times the address limit", async () => {
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) => attempt(`${OFFICE[i % 100]}@kasm.core`, `wrong-${i}`, "203.0.113.66")),
    );
    const outcomes = messages(results);
    // Each refused guess is one per-account budget spent too: 100 accounts × 5 = 500 > 300.
    expect(count(outcomes, GENERIC)).toBeGreaterThanOrEqual(20);
    expect(count(outcomes, GENERIC)).toBeLessThanOrEqual(120);
    expect(count(outcomes, "throttled")).toBe(300 - count(outcomes, GENERIC));
    // The address stays locked, even for a correct password.
    expect(messages([await attempt("bulk_user_0100@kasm.core", OFFICE_PASSWORD, "203.0.113.66")])).toEqual([
      "throttled",
    ]);
    // Other addresses are not affected.
    expect(messages([await attempt("bulk_user_0100@kasm.core", OFFICE_PASSWORD, "203.0.113.67")])).toEqual(["ok"]);
  }, 120_000);

  it("gives one account one budget however its login is typed, from any address", async () => {
    const password = directoryEnv("openldap").users.test_user_2!.password;
    // Case, an alternate domain, and full-width letters the directory folds (RFC 4518) all reach one entry.
    const spellings = [
      "test_user_2@kasm.core",
      "TEST_USER_2@KASM.CORE",
      "test_user_2@corp.example",
      "Test_User_2@Corp.Example",
      "ｔｅｓｔ_user_2@kasm.core",
    ];
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        attempt(spellings[i % spellings.length]!, `wrong-${i}`, `198.51.100.${i + 1}`),
      ),
    );
    const outcomes = messages(results);
    expect(count(outcomes, GENERIC)).toBe(5);
    expect(count(outcomes, "throttled")).toBe(35);
    // Locked for every spelling, even with the right password, until the wait has passed.
    for (const spelling of spellings)
      expect(messages([await attempt(spelling, password, "198.51.100.200")])).toEqual(["throttled"]);
  }, 120_000);

  it("refuses a password with NUL or other control characters before asking the directory", async () => {
    const password = directoryEnv("openldap").users.test_user_1!.password;
    for (const suffix of ["\u0000anything", "\u0007", "\u009b"]) {
      expect(messages([await attempt("test_user_1@kasm.core", `${password}${suffix}`, "192.0.2.77")])).toEqual([
        GENERIC,
      ]);
    }
    expect(messages([await attempt("test_user_1@kasm.core", password, "192.0.2.77")])).toEqual(["ok"]);
  });
});
