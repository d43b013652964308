/**
 * OpenLDAP (slapd, 127.0.0.1:3890 StartTLS / 6360 LDAPS) with the portable configuration: a
 * plain user filter plus the Required Group option, for groupOfNames, groupOfUniqueNames and
 * posixGroup (memberUid). slapd has no in-chain rule: the portal expands nested groups itself.
 */
import { afterAll, describe, expect, it } from "vitest";
import { authenticate, closeAllPools, diagnose, probe, searchGroups, type LdapConfig } from "../index";
import {
  IN_CHAIN,
  USER_PASSWORD,
  lower,
  openldap,
  openldapConfig,
  stepNames,
  stepOf,
  type OpenLdapFlavour,
} from "./directory-configs";

const env = openldap();
const dnOf = (user: string) => env.users[user]!.dn;
const groupsOf = (flavour: OpenLdapFlavour) =>
  ({ groupOfNames: env.groups, groupOfUniqueNames: env.uniqueGroups!, posixGroup: env.posixGroups! })[flavour];

afterAll(closeAllPools);

const flavours: [string, OpenLdapFlavour, LdapConfig][] = [
  ["groupOfNames over ldap:// + StartTLS", "groupOfNames", openldapConfig("groupOfNames")],
  [
    "groupOfNames over ldaps://",
    "groupOfNames",
    openldapConfig("groupOfNames", { url: env.urls.ldaps, startTls: false }),
  ],
  ["groupOfUniqueNames over ldap:// + StartTLS", "groupOfUniqueNames", openldapConfig("groupOfUniqueNames")],
  ["posixGroup (memberUid={username}) over ldap:// + StartTLS", "posixGroup", openldapConfig("posixGroup")],
];

describe.each(flavours)("OpenLDAP, %s, Required Group all_kasm_app_users", (_label, flavour, config) => {
  const { all_kasm_app_users: ALL, kasm_group_1: GROUP_1 } = groupsOf(flavour) as Record<string, string>;

  it("test_user_1 signs in with kasm_group_1 and all_kasm_app_users", async () => {
    const result = await authenticate(config, "test_user_1@kasm.core", USER_PASSWORD);
    expect(result.ok, JSON.stringify(!result.ok && result.error)).toBe(true);
    if (!result.ok) return;
    expect(result.value.user.dn).toBe(dnOf("test_user_1"));
    expect(result.value.user.email).toBe("test_user_1@kasm.core");
    expect(result.value.user.directoryId).toMatch(/^[0-9a-f-]{36}$/); // entryUUID
    expect(lower(result.value.groups)).toEqual(lower([GROUP_1!, ALL!]));
  });

  it("test_user_2 signs in with all_kasm_app_users only", async () => {
    const result = await authenticate(config, "test_user_2@kasm.core", USER_PASSWORD);
    expect(result.ok, JSON.stringify(!result.ok && result.error)).toBe(true);
    if (!result.ok) return;
    expect(lower(result.value.groups)).toEqual(lower([ALL!]));
  });

  it("test_user_3 is found but refused: user_not_allowed", async () => {
    const result = await authenticate(config, "test_user_3@kasm.core", USER_PASSWORD);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe("user_not_allowed");
    expect(result.error.step).toBe("required_group");
    expect(result.error.detail).toContain(ALL);
  });

  it("diagnose(test_user_1): steps, effective filters, direct vs nested groups, strategy and query count", async () => {
    const d = await diagnose(config, "test_user_1@kasm.core", USER_PASSWORD);
    expect(d.ok, JSON.stringify(d.error)).toBe(true);
    expect(stepNames(d)).toEqual([
      "login",
      "connect",
      "service_bind",
      "user_search",
      "connect",
      "user_bind",
      "account_state",
      "groups",
      "required_group",
    ]);
    expect(d.steps.every((step) => step.ok)).toBe(true);
    const connect = stepOf(d, "connect").detail as { url: string; startTls?: boolean; tls?: { authorized: boolean } };
    expect(connect.url).toBe(config.url);
    expect(connect.tls?.authorized).toBe(true);
    expect(stepOf(d, "user_search").detail.filter).toBe("(&(objectClass=inetOrgPerson)(uid=test_user_1))");
    expect(stepOf(d, "required_group").detail).toEqual({ required: ALL, member: true });

    const groups = stepOf(d, "groups").detail;
    expect(groups.strategy).toBe("filter");
    const filters = groups.filters as string[];
    if (flavour === "posixGroup") {
      // memberUid names the user, not a group: posix groups cannot nest, nothing to expand.
      expect(filters).toEqual(["(&(objectClass=posixGroup)(memberUid=test_user_1))"]);
      expect(groups.queries).toBe(1);
      expect(lower(groups.direct as string[])).toEqual(lower([GROUP_1!, ALL!]));
      expect(groups.nested).toEqual([]);
      expect(groups.depth).toBe(0);
    } else {
      const attribute = flavour === "groupOfNames" ? "member" : "uniqueMember";
      expect(filters[0]).toBe(`(&(objectClass=${flavour})(${attribute}=${dnOf("test_user_1")}))`);
      // one query for the user's groups, one per level of parents (kasm_group_1 → all_kasm_app_users → none)
      expect(filters.slice(1)).toEqual([`(${attribute}=${GROUP_1})`, `(${attribute}=${ALL})`]);
      expect(groups.queries).toBe(3);
      expect(groups.direct).toEqual([GROUP_1]);
      expect(groups.nested).toEqual([ALL]);
      expect(groups.depth).toBe(1);
    }
  });
});

describe("OpenLDAP: other group strategies", () => {
  it("memberOf (empty Group Membership Filter): direct groups from the entry, parents expanded by the portal", async () => {
    const config = openldapConfig("groupOfNames", { groupMembershipFilter: "" });
    const d = await diagnose(config, "test_user_1@kasm.core", USER_PASSWORD);
    expect(d.ok, JSON.stringify(d.error)).toBe(true);
    const groups = stepOf(d, "groups").detail;
    expect(groups.strategy).toBe("member_of");
    expect(groups.direct).toEqual([env.groups.kasm_group_1]);
    expect(groups.nested).toEqual([env.groups.all_kasm_app_users]);
    expect(groups.queries).toBe(2); // parents of kasm_group_1, then of all_kasm_app_users
    const denied = await authenticate(config, "test_user_3@kasm.core", USER_PASSWORD);
    expect(!denied.ok && denied.error.code).toBe("user_not_allowed");
  });

  it("the AD configuration finds nobody on OpenLDAP (the in-chain rule is Undefined there): user_not_found, no error from slapd", async () => {
    const config = openldapConfig("groupOfNames", {
      searchFilter: `&(objectClass=inetOrgPerson)(uid={0})(memberOf:${IN_CHAIN}:=${env.groups.all_kasm_app_users})`,
      requiredGroupDn: undefined,
    });
    const result = await authenticate(config, "test_user_1@kasm.core", USER_PASSWORD);
    expect(!result.ok && result.error.code).toBe("user_not_found");
  });

  it("without nested expansion test_user_1 only has kasm_group_1 and is refused", async () => {
    const config = openldapConfig("groupOfNames", { nestedGroups: false });
    const d = await diagnose(config, "test_user_1@kasm.core", USER_PASSWORD);
    expect(d.error?.code).toBe("user_not_allowed");
    expect(stepOf(d, "groups").detail.queries).toBe(1);
    expect(stepOf(d, "required_group").detail).toEqual({ required: env.groups.all_kasm_app_users, member: false });
  });
});

describe("OpenLDAP: look-up mode and account state", () => {
  const config = openldapConfig("groupOfNames");

  it("diagnose without a password runs no user_bind and reports the user and groups", async () => {
    const d = await diagnose(config, "test_user_1@kasm.core");
    expect(d.ok, JSON.stringify(d.error)).toBe(true);
    expect(d.lookupOnly).toBe(true);
    expect(stepNames(d)).toEqual([
      "login",
      "connect",
      "service_bind",
      "user_search",
      "account_state",
      "groups",
      "required_group",
    ]);
    expect(d.user?.dn).toBe(dnOf("test_user_1"));
    expect(lower(d.groups)).toEqual(lower([env.groups.kasm_group_1!, env.groups.all_kasm_app_users!]));
    expect(d.directGroups).toEqual([env.groups.kasm_group_1]);
  });

  it("look-up mode also says when test_user_3 would be refused", async () => {
    const d = await diagnose(config, "test_user_3");
    expect(d.error?.code).toBe("user_not_allowed");
    expect(stepNames(d)).not.toContain("user_bind");
  });

  it("locked_user: the bind gets a bare invalid_credentials (slapd says no more), look-up mode shows the lock", async () => {
    const result = await authenticate(config, "locked_user@kasm.core", USER_PASSWORD);
    expect(!result.ok && result.error.code).toBe("invalid_credentials");
    const d = await diagnose(config, "locked_user");
    expect(stepOf(d, "account_state").ok).toBe(false);
    expect(stepOf(d, "account_state").detail.flags).toContain("locked");
  });
});

describe("OpenLDAP: DNs with special characters (slapd returns them hex-escaped)", () => {
  it.each([
    ["groupOfNames", "comma_user"],
    ["groupOfNames", "plus_user"],
    ["groupOfNames", "quote_user"],
    ["groupOfUniqueNames", "comma_user"],
    ["groupOfUniqueNames", "plus_user"],
    ["groupOfUniqueNames", "quote_user"],
  ] as [OpenLdapFlavour, string][])("%s: %s authenticates and gets its groups", async (flavour, user) => {
    const result = await authenticate(openldapConfig(flavour), `${user}@kasm.core`, USER_PASSWORD);
    expect(result.ok, JSON.stringify(!result.ok && result.error)).toBe(true);
    if (!result.ok) return;
    expect(result.value.user.dn).toBe(dnOf(user));
    const groups = groupsOf(flavour);
    expect(lower(result.value.groups)).toEqual(lower([groups.kasm_group_1!, groups.all_kasm_app_users!]));
  });
});

describe("OpenLDAP: paging", () => {
  it("many_groups_user gets all 1100 bulk groups plus all_kasm_app_users (beyond the 500-entry size limit)", async () => {
    const d = await diagnose(openldapConfig("groupOfNames"), "many_groups_user@kasm.core", USER_PASSWORD);
    expect(d.ok, JSON.stringify(d.error)).toBe(true);
    expect(d.directGroups).toHaveLength(1100);
    expect(d.groups).toHaveLength(1101);
    expect(lower(d.groups)).toContain(env.groups.all_kasm_app_users!.toLowerCase());
    const groups = stepOf(d, "groups").detail;
    expect(groups.complete).toBe(true);
    expect(groups.incompleteReason).toBeUndefined();
    expect(groups.nested).toEqual([env.groups.all_kasm_app_users]);
    // 1 search for the user's groups + 11 batches of 100 parents + 1 for all_kasm_app_users' parents
    expect(groups.queries).toBe(13);
  });

  it("authenticate gives the same 1101 groups on the pooled connection", async () => {
    const result = await authenticate(openldapConfig("groupOfNames"), "many_groups_user", USER_PASSWORD);
    expect(result.ok && result.value.groups.length).toBe(1101);
  });

  it("searchGroups is bounded (50 of 1100+ groups) and finds kasm_group_1 by text in every flavour", async () => {
    const config = openldapConfig("groupOfNames");
    const all = await searchGroups(config, "");
    expect(all.ok && all.value.length).toBe(50);
    const bulk = await searchGroups(config, "bulk_group_");
    expect(bulk.ok && bulk.value.length).toBe(50);
    const found = await searchGroups(config, "kasm_group");
    expect(found.ok, JSON.stringify(!found.ok && found.error)).toBe(true);
    if (!found.ok) return;
    expect(found.value.map((g) => g.dn).sort()).toEqual(
      [env.groups.kasm_group_1, env.uniqueGroups!.kasm_group_1, env.posixGroups!.kasm_group_1].sort(),
    );
    expect(new Set(found.value.map((g) => g.name))).toEqual(new Set(["kasm_group_1"]));
  });
});

describe("OpenLDAP: injection corpus in the login never matches anyone", () => {
  const config = openldapConfig("groupOfNames");
  const corpus = [
    "*",
    "*)(uid=*",
    ")(|(objectClass=*",
    "test_user_1*",
    "*test_user_1",
    "test_user_1)(",
    "test_user_1\\00",
    "\\",
    "test_user_1\\",
    "jöhn",
    "test_user_1)(|(uid=*",
    "*)(objectClass=*))(|(uid=*",
  ];
  const control = ["test_user_1\u0000", "test_user_1\u0000*", "\u0000)(uid=*"];

  it.each(corpus)("%j: no authentication, 0 entries", async (login) => {
    const result = await authenticate(config, login, USER_PASSWORD);
    expect(!result.ok && result.error.code).toBe("user_not_found");
    const d = await diagnose(config, login);
    expect(d.user).toBeNull();
    expect(stepOf(d, "user_search").detail.entries).toBe(0);
  });

  it.each(control)("%j: refused as invalid_login before any search", async (login) => {
    const result = await authenticate(config, login, USER_PASSWORD);
    expect(!result.ok && result.error.code).toBe("invalid_login");
    const d = await diagnose(config, login);
    expect(stepNames(d)).toEqual(["login"]);
  });
});

describe("OpenLDAP: probe", () => {
  it("identifies OpenLDAP: no in-chain rule, paged results and StartTLS supported", async () => {
    const { result } = await probe(openldapConfig("groupOfNames"));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.vendor).toBe("openldap");
    expect(result.value.suggestedPreset).toBe("openldap");
    expect(result.value.inChainRule).toBe(false);
    expect(result.value.supportsPagedResults).toBe(true);
    expect(result.value.supportsStartTls).toBe(true);
    expect(result.value.namingContexts).toEqual([env.baseDn]);
  });
});
