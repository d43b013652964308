/**
 * 389 Directory Server (127.0.0.1:3891 StartTLS / 6361 LDAPS): groupOfNames with the Required
 * Group option, and the memberOf strategy (its memberOf plugin computes nested membership).
 */
import { afterAll, describe, expect, it } from "vitest";
import { dnEquals } from "../dn";
import { authenticate, closeAllPools, diagnose, probe, searchGroups, type LdapConfig } from "../index";
import { IN_CHAIN, USER_PASSWORD, dirsrv, dirsrvConfig, lower, stepNames, stepOf } from "./directory-configs";

const env = dirsrv();
const ALL = env.groups.all_kasm_app_users!;
const GROUP_1 = env.groups.kasm_group_1!;
const dnOf = (user: string) => env.users[user]!.dn;

afterAll(closeAllPools);

const configs: [string, LdapConfig][] = [
  ["groupOfNames filter over ldaps://", dirsrvConfig()],
  ["groupOfNames filter over ldap:// + StartTLS", dirsrvConfig({ url: env.urls.ldap, startTls: true })],
  ["memberOf (empty group filter) over ldaps://", dirsrvConfig({ groupMembershipFilter: "" })],
];

describe.each(configs)("389 DS, %s, Required Group all_kasm_app_users", (_label, config) => {
  const memberOf = config.groupMembershipFilter === "";

  it("test_user_1 signs in with kasm_group_1 and all_kasm_app_users", async () => {
    const result = await authenticate(config, "test_user_1@kasm.core", USER_PASSWORD);
    expect(result.ok, JSON.stringify(!result.ok && result.error)).toBe(true);
    if (!result.ok) return;
    expect(result.value.user.dn).toBe(dnOf("test_user_1"));
    expect(result.value.user.email).toBe("test_user_1@kasm.core");
    expect(result.value.user.directoryId).toBeTruthy(); // entryUUID or nsUniqueId
    expect(lower(result.value.groups)).toEqual(lower([GROUP_1, ALL]));
  });

  it("test_user_2 signs in with all_kasm_app_users only", async () => {
    const result = await authenticate(config, "test_user_2@kasm.core", USER_PASSWORD);
    expect(result.ok, JSON.stringify(!result.ok && result.error)).toBe(true);
    if (!result.ok) return;
    expect(lower(result.value.groups)).toEqual(lower([ALL]));
  });

  it("test_user_3 is refused: user_not_allowed", async () => {
    const result = await authenticate(config, "test_user_3@kasm.core", USER_PASSWORD);
    expect(!result.ok && result.error.code).toBe("user_not_allowed");
    expect(!result.ok && result.error.step).toBe("required_group");
  });

  it("diagnose(test_user_1): steps, filters, strategy, direct vs nested", async () => {
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
    expect((stepOf(d, "connect").detail.tls as { authorized: boolean }).authorized).toBe(true);
    expect(stepOf(d, "user_search").detail.filter).toBe("(&(objectClass=inetOrgPerson)(uid=test_user_1))");
    const groups = stepOf(d, "groups").detail;
    if (memberOf) {
      // 389 DS's memberOf plugin already lists nested groups: the expansion finds nothing new.
      expect(groups.strategy).toBe("member_of");
      expect(lower(groups.direct as string[])).toEqual(lower([GROUP_1, ALL]));
      expect(groups.nested).toEqual([]);
      expect(groups.queries).toBe(1);
      expect((groups.filters as string[])[0]).toMatch(/^\(\|\(member=cn=(kasm_group_1|all_kasm_app_users),.*\)\)$/);
    } else {
      expect(groups.strategy).toBe("filter");
      expect(groups.filters).toEqual([
        `(&(objectClass=groupOfNames)(member=${dnOf("test_user_1")}))`,
        `(member=${GROUP_1})`,
        `(member=${ALL})`,
      ]);
      expect(groups.queries).toBe(3);
      expect(groups.direct).toEqual([GROUP_1]);
      expect(groups.nested).toEqual([ALL]);
      expect(groups.depth).toBe(1);
    }
  });
});

describe("389 DS: look-up mode, account state, special DNs", () => {
  const config = dirsrvConfig();

  it("diagnose without a password runs no user_bind and reports the user and groups", async () => {
    const d = await diagnose(config, "test_user_2");
    expect(d.ok, JSON.stringify(d.error)).toBe(true);
    expect(d.lookupOnly).toBe(true);
    expect(stepNames(d)).not.toContain("user_bind");
    expect(d.user?.dn).toBe(dnOf("test_user_2"));
    expect(lower(d.groups)).toEqual(lower([ALL]));
  });

  it("disabled_user (nsAccountLock) shows as disabled in look-up mode", async () => {
    const d = await diagnose(config, "disabled_user");
    expect(stepOf(d, "account_state").ok).toBe(false);
    expect(stepOf(d, "account_state").detail.flags).toContain("disabled");
  });

  it.each(["comma_user", "plus_user"])("%s authenticates and gets its groups", async (user) => {
    const result = await authenticate(config, `${user}@kasm.core`, USER_PASSWORD);
    expect(result.ok, JSON.stringify(!result.ok && result.error)).toBe(true);
    if (!result.ok) return;
    // 389 DS hands the DN back hex-escaped (cn=Doe\2C Jane): the same DN as env.json's cn=Doe\, Jane
    expect(result.value.user.dn).toMatch(/\\2[CB]/);
    expect(dnEquals(result.value.user.dn, dnOf(user))).toBe(true);
    expect(lower(result.value.groups)).toEqual(lower([GROUP_1, ALL]));
  });

  it("the AD in-chain group filter is refused by 389 DS: unsupported_extension at the groups step", async () => {
    const d = await diagnose(
      dirsrvConfig({ groupMembershipFilter: `(&(objectClass=groupOfNames)(member:${IN_CHAIN}:={0}))` }),
      "test_user_1",
      USER_PASSWORD,
    );
    expect(d.error?.code).toBe("unsupported_extension");
    expect(d.error?.step).toBe("groups");
  });

  it("searchGroups finds kasm_group_1 by text", async () => {
    const found = await searchGroups(config, "kasm_group");
    expect(found.ok && found.value).toEqual([{ dn: GROUP_1, name: "kasm_group_1" }]);
  });
});

describe("389 DS: probe", () => {
  it("identifies 389 DS: no in-chain rule, paged results supported", async () => {
    const { result } = await probe(dirsrvConfig());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.vendor).toBe("389ds");
    expect(result.value.suggestedPreset).toBe("389ds");
    expect(result.value.inChainRule).toBe(false);
    expect(result.value.supportsPagedResults).toBe(true);
    expect(result.value.namingContexts).toContain(env.baseDn);
  });
});
