/**
 * The nesting cache on OpenLDAP (groupOfNames, parents expanded by the portal): sign-ins reuse the
 * nesting between groups for nestedGroupsCacheSeconds, while the user's own groups are read at
 * every sign-in; diagnose always reads the directory and refreshes what sign-ins reuse.
 */
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { Attribute, Change } from "ldapts";
import { directorySetup, withDirectoryAdmin } from "../../../e2e/support/directories";
import { authenticate, closeAllPools, diagnose, type LdapConfig } from "../index";
import { clearNestingCache } from "../index";
import { USER_PASSWORD, lower, openldap, openldapConfig, stepOf } from "./directory-configs";

const env = openldap();
const setup = directorySetup("openldap");
const ALL = env.groups.all_kasm_app_users!;
const GROUP_1 = env.groups.kasm_group_1!;
const USER_1 = env.users.test_user_1!.dn;

afterAll(closeAllPools);
afterEach(clearNestingCache);

function member(operation: "add" | "delete", group: string, dn: string) {
  return withDirectoryAdmin(setup, (client) =>
    client.modify(group, new Change({ operation, modification: new Attribute({ type: "member", values: [dn] }) })),
  );
}

async function signIn(config: LdapConfig) {
  const result = await authenticate(config, "test_user_1@kasm.core", USER_PASSWORD);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.detail ?? result.error.message}`);
  return result.value;
}

// No required group: the test removes test_user_1 from all_kasm_app_users' tree on purpose.
const cached = openldapConfig("groupOfNames", { requiredGroupDn: undefined, nestedGroupsCacheSeconds: 60 });

describe("OpenLDAP: nesting cache", () => {
  it("the second sign-in reuses the nesting: one group query instead of three, same groups", async () => {
    const first = await signIn(cached);
    expect(first.groupResolution.cachedNesting).toBeUndefined();
    expect(first.groupResolution.queries).toHaveLength(3);

    const second = await signIn(cached);
    expect(lower(second.groups)).toEqual(lower(first.groups));
    expect(lower(second.groups)).toEqual(lower([GROUP_1, ALL]));
    expect(second.groupResolution.queries).toHaveLength(1);
    expect(second.groupResolution.cachedNesting?.queriesSaved).toBe(2);
  });

  it("a failed login leaves nothing in the cache", async () => {
    const failed = await authenticate(cached, "test_user_1@kasm.core", "not-the-password");
    expect(failed.ok).toBe(false);
    const next = await signIn(cached);
    expect(next.groupResolution.cachedNesting).toBeUndefined();
    expect(next.groupResolution.queries).toHaveLength(3);
  });

  it("a change of the user's own groups shows at the next sign-in", async () => {
    await signIn(cached);
    await member("delete", GROUP_1, USER_1);
    try {
      const after = await signIn(cached);
      expect(after.groups).toEqual([]);
    } finally {
      await member("add", GROUP_1, USER_1);
    }
  });

  it("a change of nesting shows after the cache time, at once with 0 seconds, and at once in diagnose (which refreshes it)", async () => {
    await signIn(cached);
    await member("delete", ALL, GROUP_1);
    try {
      // Within the cache time a sign-in still sees the old nesting: the documented trade-off.
      expect(lower((await signIn(cached)).groups)).toEqual(lower([GROUP_1, ALL]));
      // With the cache off, and in diagnose, the directory is asked.
      expect(lower((await signIn({ ...cached, nestedGroupsCacheSeconds: 0 })).groups)).toEqual(lower([GROUP_1]));
      const d = await diagnose(cached, "test_user_1@kasm.core", USER_PASSWORD);
      expect(lower(d.groups)).toEqual(lower([GROUP_1]));
      expect(stepOf(d, "groups").detail.cachedNesting).toBeUndefined();
      // Diagnose stored what it read: the next sign-in sees the change too.
      const refreshed = await signIn(cached);
      expect(lower(refreshed.groups)).toEqual(lower([GROUP_1]));
      expect(refreshed.groupResolution.cachedNesting).toBeDefined();
    } finally {
      await member("add", ALL, GROUP_1);
    }
  });
});
