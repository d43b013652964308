/**
 * Samba AD DC (127.0.0.2) with the product documentation's Active Directory configuration:
 * in-chain search filter (only members of all_kasm_app_users are found) and in-chain group filter.
 */
import { afterAll, describe, expect, it } from "vitest";
import { authenticate, closeAllPools, diagnose, probe, searchGroups, type LdapConfig } from "../index";
import { signInMessageFor } from "../../auth/sign-in-messages";
import { Attribute, Change } from "ldapts";
import { directorySetup, withDirectoryAdmin } from "../../../e2e/support/directories";
import { IN_CHAIN, USER_PASSWORD, lower, samba, sambaDocConfig, stepNames, stepOf } from "./directory-configs";

const env = samba();
const ALL = env.groups.all_kasm_app_users!;
const GROUP_1 = env.groups.kasm_group_1!;
const dnOf = (user: string) => env.users[user]!.dn;

afterAll(closeAllPools);

const transports: [string, LdapConfig][] = [
  ["ldaps:// with the test CA", sambaDocConfig()],
  ["ldap:// + StartTLS", sambaDocConfig({ url: env.urls.ldap, startTls: true })],
];

describe.each(transports)("Samba, documented AD filters over %s", (_name, config) => {
  it("test_user_1 signs in and gets kasm_group_1 and (nested) all_kasm_app_users", async () => {
    const result = await authenticate(config, "test_user_1@kasm.core", USER_PASSWORD);
    expect(result.ok, JSON.stringify(!result.ok && result.error)).toBe(true);
    if (!result.ok) return;
    expect(result.value.user.dn).toBe(dnOf("test_user_1"));
    expect(result.value.user.email).toBe("test_user_1@kasm.core");
    expect(result.value.user.directoryId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(lower(result.value.groups)).toEqual(lower([GROUP_1, ALL]));
    expect(result.value.groupResolution.strategy).toBe("in_chain_expanded");
  });

  it("test_user_2 signs in with all_kasm_app_users only", async () => {
    const result = await authenticate(config, "test_user_2@kasm.core", USER_PASSWORD);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(lower(result.value.groups)).toEqual(lower([ALL]));
  });

  it("test_user_3 (in neither group) is refused: the in-chain search filter cannot find them (user_not_found)", async () => {
    const result = await authenticate(config, "test_user_3@kasm.core", USER_PASSWORD);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe("user_not_found");
    expect(result.error.step).toBe("user_search");
    expect(result.error.detail).toContain(`memberof:${IN_CHAIN}:=${ALL}`);
    expect(signInMessageFor(result.error.code)).toBe("Invalid username or password");
  });

  it("diagnose(test_user_1) shows every step, the effective filters and the in-chain strategy", async () => {
    const d = await diagnose(config, "test_user_1@kasm.core", USER_PASSWORD);
    expect(d.ok, JSON.stringify(d.error)).toBe(true);
    expect(d.lookupOnly).toBe(false);
    // diagnose binds the user on a fresh connection of its own, hence the second connect
    expect(stepNames(d)).toEqual([
      "login",
      "connect",
      "service_bind",
      "user_search",
      "connect",
      "user_bind",
      "account_state",
      "groups",
    ]);
    expect(d.steps.every((step) => step.ok)).toBe(true);

    const connect = stepOf(d, "connect");
    const tls = connect.detail.tls as { authorized: boolean; protocol: string; subjectAltName?: string };
    expect(tls.authorized).toBe(true);
    expect(tls.protocol).toMatch(/^TLSv1\.[23]$/);
    expect(tls.subjectAltName).toContain("127.0.0.2");
    if (config.startTls) expect(connect.detail.startTls).toBe(true);

    expect(stepOf(d, "service_bind").detail.dn).toBe(env.serviceAccount.dn);
    const search = stepOf(d, "user_search").detail;
    expect(search.filter).toBe(`(&(objectClass=user)(sAMAccountName=test_user_1)(memberof:${IN_CHAIN}:=${ALL}))`);
    expect(search.base).toBe(env.baseDn);
    expect(search.scope).toBe("sub");
    expect(search.entries).toBe(1);
    expect(search.dn).toBe(dnOf("test_user_1"));
    expect(stepOf(d, "user_bind").detail.dn).toBe(dnOf("test_user_1"));

    const groups = stepOf(d, "groups").detail;
    // The in-chain rule resolved from memberOf: the user's memberOf names kasm_group_1, whose
    // memberOf names all_kasm_app_users, whose memberOf is empty. Each level is a look-up by DN.
    expect(groups.strategy).toBe("in_chain_expanded");
    expect(groups.queries).toBe(2);
    expect(groups.filters).toEqual([
      `(&(objectClass=group)(distinguishedName=${GROUP_1}))`,
      `(&(objectClass=group)(distinguishedName=${ALL}))`,
    ]);
    expect(lower(groups.direct as string[])).toEqual(lower([GROUP_1]));
    expect(lower(groups.nested as string[])).toEqual(lower([ALL]));
    expect(groups.depth).toBe(1);
    expect(groups.cachedNesting).toBeUndefined();
    expect(lower(d.groups)).toEqual(lower([GROUP_1, ALL]));
    // memberOf on the entry itself holds the direct group only
    expect(d.user?.attributes.memberOf).toEqual([GROUP_1]);
  });

  it("diagnose(test_user_3) stops at the user search with 0 entries and never binds as the user", async () => {
    const d = await diagnose(config, "test_user_3@kasm.core", USER_PASSWORD);
    expect(d.ok).toBe(false);
    expect(d.error?.code).toBe("user_not_found");
    expect(stepNames(d)).toEqual(["login", "connect", "service_bind", "user_search"]);
    const search = stepOf(d, "user_search");
    expect(search.ok).toBe(false);
    expect(search.detail.entries).toBe(0);
    expect(search.detail.filter).toBe(
      `(&(objectClass=user)(sAMAccountName=test_user_3)(memberof:${IN_CHAIN}:=${ALL}))`,
    );
  });
});

describe("Samba: look-up mode (diagnose without a password)", () => {
  const config = sambaDocConfig();

  it("reports the user and the groups without a user bind", async () => {
    const d = await diagnose(config, "test_user_1@kasm.core");
    expect(d.ok, JSON.stringify(d.error)).toBe(true);
    expect(d.lookupOnly).toBe(true);
    expect(stepNames(d)).toEqual(["login", "connect", "service_bind", "user_search", "account_state", "groups"]);
    expect(stepNames(d)).not.toContain("user_bind");
    expect(d.user?.dn).toBe(dnOf("test_user_1"));
    expect(d.user?.email).toBe("test_user_1@kasm.core");
    expect(lower(d.groups)).toEqual(lower([GROUP_1, ALL]));
  });

  it("says what state an account is in, read from the entry (the bind stays the authority)", async () => {
    const expected: Record<string, string> = {
      disabled_user: "disabled",
      locked_user: "locked",
      must_change_user: "must_change_password",
      account_expired_user: "account_expired",
    };
    for (const [user, flag] of Object.entries(expected)) {
      const d = await diagnose(config, user);
      expect(d.ok, user).toBe(true);
      const state = stepOf(d, "account_state");
      expect(state.ok, user).toBe(false);
      expect(state.detail.flags, user).toContain(flag);
      expect(stepNames(d), user).not.toContain("user_bind");
    }
    const normal = await diagnose(config, "test_user_2");
    expect(stepOf(normal, "account_state").detail).toEqual({ usable: true, flags: [] });
  });
});

describe("Samba: accounts in special states (AD bind sub-codes)", () => {
  const config = sambaDocConfig();
  const cases: [string, string, string][] = [
    ["disabled_user", "account_disabled", "533"],
    ["expired_password_user", "password_expired", "532"],
    ["locked_user", "account_locked", "775"],
    ["must_change_user", "password_must_change", "773"],
    ["account_expired_user", "account_expired", "701"],
  ];

  it("env.json and the server agree on the special users", () => {
    expect(env.specialUsers).toEqual(Object.fromEntries(cases.map(([user, , sub]) => [user, sub])));
  });

  it.each(cases)("%s with the right password → %s (data %s)", async (user, code, sub) => {
    const result = await authenticate(config, `${user}@kasm.core`, USER_PASSWORD);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe(code);
    expect(result.error.step).toBe("user_bind");
    expect(result.error.serverDiagnostic).toMatch(new RegExp(`AcceptSecurityContext error, data ${sub}\\b`));
  });

  it("a wrong password on a disabled account is just a wrong password (52e): no account state leaks", async () => {
    const result = await authenticate(config, "disabled_user@kasm.core", "Wrong-Password-000");
    expect(!result.ok && result.error.code).toBe("invalid_credentials");
    expect(!result.ok && result.error.serverDiagnostic).toMatch(/data 52e/);
  });

  it("end users get a plain message for each state", () => {
    expect(signInMessageFor("account_locked")).toMatch(/locked/);
    expect(signInMessageFor("password_expired")).toMatch(/expired/);
    expect(signInMessageFor("password_must_change")).toMatch(/change your password/);
    expect(signInMessageFor("account_disabled")).toMatch(/disabled/);
    expect(signInMessageFor("account_expired")).toMatch(/disabled/);
  });
});

describe("Samba: DNs with special characters", () => {
  const config = sambaDocConfig();
  it.each(["comma_user", "plus_user", "quote_user"])("%s authenticates and gets its groups", async (user) => {
    const result = await authenticate(config, `${user}@kasm.core`, USER_PASSWORD);
    expect(result.ok, JSON.stringify(!result.ok && result.error)).toBe(true);
    if (!result.ok) return;
    expect(result.value.user.dn).toBe(dnOf(user));
    expect(lower(result.value.groups)).toEqual(lower([GROUP_1, ALL]));
  });

  it("the user DN is escaped in the effective group filter (in-chain rule sent as written)", async () => {
    // An extra clause keeps the rule on the server, with the user's DN in the filter.
    const d = await diagnose(
      sambaDocConfig({ groupMembershipFilter: `&(objectClass=group)(cn=*)(member:${IN_CHAIN}:={0})` }),
      "quote_user@kasm.core",
      USER_PASSWORD,
    );
    expect(d.ok).toBe(true);
    expect(stepOf(d, "groups").detail.strategy).toBe("in_chain");
    // RFC 4515: the DN's backslashes are written \5c in the filter value
    expect((stepOf(d, "groups").detail.filters as string[])[0]).toBe(
      `(&(objectClass=group)(cn=*)(member:${IN_CHAIN}:=CN=Quote \\5c"Q\\5c" User,OU=MyOrg,DC=kasm,DC=core))`,
    );
  });
});

describe("Samba: the in-chain rule resolved by the portal finds what the server finds", () => {
  const documented = sambaDocConfig({ nestedGroupsCacheSeconds: 0 });
  // Any clause besides object classes keeps the rule on the server: the reference answer.
  const byServer = sambaDocConfig({
    groupMembershipFilter: `&(objectClass=group)(objectClass=top)(cn=*)(member:${IN_CHAIN}:={0})`,
  });

  it.each(["test_user_1", "test_user_2", "comma_user", "plus_user", "quote_user", "many_groups_user"])(
    "%s",
    async (user) => {
      const [portal, server] = await Promise.all([
        authenticate(documented, `${user}@kasm.core`, USER_PASSWORD),
        authenticate(byServer, `${user}@kasm.core`, USER_PASSWORD),
      ]);
      expect(portal.ok && server.ok, JSON.stringify([!portal.ok && portal.error, !server.ok && server.error])).toBe(
        true,
      );
      if (!portal.ok || !server.ok) return;
      expect(portal.value.groupResolution.strategy).toBe("in_chain_expanded");
      expect(server.value.groupResolution.strategy).toBe("in_chain");
      expect(lower(portal.value.groups)).toEqual(lower(server.value.groups));
    },
  );

  it("nesting through a group outside the Search Base, and one-level scope, give the server's answer", async () => {
    // test_user_3 → outside_bridge (CN=Users, outside OU=MyOrg) → kasm_group_1 → all_kasm_app_users
    const bridge = "CN=outside_bridge,CN=Users,DC=kasm,DC=core";
    const user3 = dnOf("test_user_3");
    await withDirectoryAdmin(directorySetup("samba"), async (client) => {
      await client.add(bridge, { objectClass: ["top", "group"], sAMAccountName: "outside_bridge", member: [user3] });
      await client.modify(
        GROUP_1,
        new Change({ operation: "add", modification: new Attribute({ type: "member", values: [bridge] }) }),
      );
    });
    try {
      const base = "OU=MyOrg,DC=kasm,DC=core";
      for (const [user, searchSubtree] of [
        ["test_user_3", true],
        ["test_user_3", false],
        ["many_groups_user", false],
      ] as const) {
        const narrow = {
          searchBase: base,
          searchFilter: "(sAMAccountName={0})",
          searchSubtree,
          nestedGroupsCacheSeconds: 0,
        };
        const portal = await authenticate(sambaDocConfig(narrow), `${user}@kasm.core`, USER_PASSWORD);
        const server = await authenticate(
          sambaDocConfig({ ...narrow, groupMembershipFilter: `&(objectClass=group)(cn=*)(member:${IN_CHAIN}:={0})` }),
          `${user}@kasm.core`,
          USER_PASSWORD,
        );
        expect(portal.ok && server.ok, JSON.stringify([!portal.ok && portal.error, !server.ok && server.error])).toBe(
          true,
        );
        if (!portal.ok || !server.ok) return;
        expect(portal.value.groupResolution.strategy).toBe("in_chain_expanded");
        expect(lower(portal.value.groups), `${user}, subtree ${searchSubtree}`).toEqual(lower(server.value.groups));
        if (user === "test_user_3") expect(lower(portal.value.groups)).toEqual(lower([GROUP_1, ALL]));
      }
    } finally {
      await withDirectoryAdmin(directorySetup("samba"), (client) => client.del(bridge));
    }
  });

  it("objectCategory clauses are kept at every level", async () => {
    const result = await authenticate(
      sambaDocConfig({ groupMembershipFilter: `(&(objectCategory=group)(member:${IN_CHAIN}:={0}))` }),
      "test_user_1@kasm.core",
      USER_PASSWORD,
    );
    expect(result.ok, JSON.stringify(!result.ok && result.error)).toBe(true);
    if (!result.ok) return;
    expect(result.value.groupResolution.strategy).toBe("in_chain_expanded");
    expect(lower(result.value.groups)).toEqual(lower([GROUP_1, ALL]));
  });
});

describe("Samba: paging", () => {
  it("many_groups_user gets all 1101 groups through the documented in-chain group filter", async () => {
    const config = sambaDocConfig();
    const result = await authenticate(config, "many_groups_user@kasm.core", USER_PASSWORD);
    expect(result.ok, JSON.stringify(!result.ok && result.error)).toBe(true);
    if (!result.ok) return;
    expect(result.value.groups).toHaveLength(1101);
    expect(new Set(lower(result.value.groups)).size).toBe(1101);
    expect(lower(result.value.groups)).toContain(ALL.toLowerCase());
    expect(lower(result.value.groups)).toContain("cn=bulk_group_1100,ou=bulk,ou=myorg,dc=kasm,dc=core");
    expect(result.value.groupResolution.complete).toBe(true);
  });

  it("searchGroups is bounded to 50 and finds kasm_group_1 by text", async () => {
    const config = sambaDocConfig();
    const all = await searchGroups(config, "");
    expect(all.ok && all.value.length).toBe(50);
    const found = await searchGroups(config, "kasm_group");
    expect(found.ok, JSON.stringify(!found.ok && found.error)).toBe(true);
    if (!found.ok) return;
    expect(found.value).toEqual([{ dn: GROUP_1, name: "kasm_group_1" }]);
  });
});

describe("Samba: injection corpus in the login never matches anyone", () => {
  const config = sambaDocConfig();
  const corpus = [
    "*",
    "*)(sAMAccountName=*",
    "*)(uid=*",
    ")(|(objectClass=*",
    "test_user_1*",
    "*test_user_1",
    "test_user_1)(",
    "test_user_1\\00",
    "\\",
    "test_user_1\\",
    "jöhn",
    "tést_user_1",
    "test_user_1)(|(cn=*",
  ];
  const control = ["test_user_1\u0000", "\u0000", "test_user_1\u0000*", "test_user_1\u001b", "test_user_1\u0085"];

  it.each(corpus)("%j: no authentication, 0 entries", async (login) => {
    const result = await authenticate(config, login, USER_PASSWORD);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe("user_not_found");
    const d = await diagnose(config, login);
    expect(d.user).toBeNull();
    expect(stepOf(d, "user_search").detail.entries).toBe(0);
  });

  it.each(control)("%j: refused as invalid_login before any search", async (login) => {
    const result = await authenticate(config, login, USER_PASSWORD);
    expect(!result.ok && result.error.code).toBe("invalid_login");
    const d = await diagnose(config, login);
    expect(d.error?.code).toBe("invalid_login");
    expect(stepNames(d)).toEqual(["login"]);
  });
});

describe("Samba: probe", () => {
  it("identifies Active Directory with the in-chain rule and paged results", async () => {
    const { result } = await probe(sambaDocConfig());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.vendor).toBe("active_directory");
    expect(result.value.suggestedPreset).toBe("active_directory");
    expect(result.value.inChainRule).toBe(true);
    expect(result.value.supportsPagedResults).toBe(true);
    expect(result.value.defaultNamingContext).toBe(env.baseDn);
    expect(result.value.namingContexts).toContain(env.baseDn);
  });
});
