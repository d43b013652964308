/**
 * A group set cut short is reported, not hidden and not turned into a failure: the sign-in
 * succeeds with the groups the directory confirmed and says why the set is incomplete. On real
 * OpenLDAP: a service account whose size limit paged searches hit too (size.prtotal=5), and a
 * chain of nested groups deeper than the engine follows (deep_user, see openldap/NOTES.md).
 */
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { authenticate, closeAllPools, diagnose, type LdapConfig } from "../index";
import { clearNestingCache } from "../index";
import { USER_PASSWORD, lower, openldap, openldapConfig, stepOf } from "./directory-configs";

const env = openldap();
const limited = env.restrictedAccounts!.sizeLimited;
const deep = env.deepNesting!;
const bulkGroup = (n: number) => `cn=bulk_group_${String(n).padStart(4, "0")},ou=Bulk,ou=MyOrg,${env.baseDn}`;

afterAll(closeAllPools);
afterEach(clearNestingCache);

/** OpenLDAP over plain ldap:// as the size-limited account, no Required Group unless given. */
const sizeLimited = (overrides: Partial<LdapConfig> = {}) =>
  openldapConfig("groupOfNames", {
    startTls: false,
    serviceAccountDn: limited.dn,
    serviceAccountPassword: limited.password,
    requiredGroupDn: undefined,
    ...overrides,
  });

async function signIn(config: LdapConfig, user: string) {
  const result = await authenticate(config, user, USER_PASSWORD);
  if (!result.ok)
    throw new Error(`${result.error.code} at ${result.error.step}: ${result.error.detail ?? result.error.message}`);
  return result.value;
}

describe(`size limit of ${limited.sizeLimit} entries that paging does not lift (size.prtotal)`, () => {
  it("many_groups_user signs in with the groups the directory returned, marked incomplete", async () => {
    const everything = await signIn(openldapConfig("groupOfNames", { requiredGroupDn: undefined }), "many_groups_user");
    expect(everything.groupResolution.complete).toBe(true);
    expect(everything.groupResolution.incompleteReason).toBeUndefined();
    expect(everything.groups).toHaveLength(env.bulk!.manyGroupsCount + 1);

    const partial = await signIn(sizeLimited(), "many_groups_user");
    expect(partial.groupResolution.complete).toBe(false);
    expect(partial.groupResolution.incompleteReason).toBe(`size limit exceeded after ${limited.sizeLimit} entries`);
    expect(partial.groupResolution.direct).toHaveLength(limited.sizeLimit);
    // Only confirmed groups: every one is among the user's real groups.
    expect(partial.groups.length).toBeGreaterThanOrEqual(limited.sizeLimit);
    expect(lower(everything.groups)).toEqual(expect.arrayContaining(lower(partial.groups)));
  });

  it("diagnose shows the incomplete set in the groups step", async () => {
    const d = await diagnose(sizeLimited(), "many_groups_user", USER_PASSWORD);
    expect(d.ok, JSON.stringify(d.error)).toBe(true);
    const groups = stepOf(d, "groups");
    expect(groups.ok).toBe(true);
    expect(groups.detail.complete).toBe(false);
    expect(groups.detail.incompleteReason).toBe(`size limit exceeded after ${limited.sizeLimit} entries`);
    expect(d.directGroups).toHaveLength(limited.sizeLimit);
  });

  it("a Required Group the incomplete set does not confirm is refused; one it confirms is allowed", async () => {
    const partial = await signIn(sizeLimited(), "many_groups_user");
    const confirmed = partial.groupResolution.direct[0]!;
    const unconfirmed = [bulkGroup(1100), bulkGroup(1099)].find(
      (dn) => !lower(partial.groups).includes(dn.toLowerCase()),
    )!;

    const refused = await authenticate(
      sizeLimited({ requiredGroupDn: unconfirmed }),
      "many_groups_user",
      USER_PASSWORD,
    );
    expect(!refused.ok && refused.error.code).toBe("user_not_allowed");
    expect(!refused.ok && refused.error.detail).toMatch(/incomplete.*size limit exceeded/);
    const d = await diagnose(sizeLimited({ requiredGroupDn: unconfirmed }), "many_groups_user", USER_PASSWORD);
    expect(stepOf(d, "required_group").detail).toMatchObject({ member: false, complete: false });

    const allowed = await authenticate(sizeLimited({ requiredGroupDn: confirmed }), "many_groups_user", USER_PASSWORD);
    expect(allowed.ok, JSON.stringify(!allowed.ok && allowed.error)).toBe(true);
  });

  it("control: test_user_1 (two groups, under the limit) gets a complete set with the same account", async () => {
    const value = await signIn(sizeLimited(), "test_user_1");
    expect(value.groupResolution.complete).toBe(true);
    expect(lower(value.groups)).toEqual(lower([env.groups.kasm_group_1!, env.groups.all_kasm_app_users!]));
  });
});

describe(`nesting deeper than the depth cap (${deep.groups.length} levels)`, () => {
  const config = openldapConfig("groupOfNames", { requiredGroupDn: undefined, nestedGroupsCacheSeconds: 60 });

  it("deep_user signs in with the first 11 levels, marked incomplete, and nothing goes to the nesting cache", async () => {
    const first = await signIn(config, deep.user);
    expect(first.groupResolution.complete).toBe(false);
    expect(first.groupResolution.incompleteReason).toBe("depth cap 10 reached");
    expect(lower(first.groups)).toEqual(lower(deep.groups.slice(0, 11)));
    expect(first.groupResolution.depth).toBe(10);

    const second = await signIn(config, deep.user);
    expect(second.groupResolution.cachedNesting).toBeUndefined();
    expect(second.groupResolution.complete).toBe(false);
    expect(second.groupResolution.queries).toEqual(first.groupResolution.queries);
  });

  it("diagnose says so in the groups step; a Required Group beyond the cap cannot be confirmed", async () => {
    const d = await diagnose({ ...config, requiredGroupDn: deep.groups.at(-1) }, deep.user, USER_PASSWORD);
    expect(d.ok).toBe(false);
    expect(d.error?.code).toBe("user_not_allowed");
    const groups = stepOf(d, "groups");
    expect(groups.ok).toBe(true);
    expect(groups.detail).toMatchObject({ complete: false, incompleteReason: "depth cap 10 reached" });
  });
});
