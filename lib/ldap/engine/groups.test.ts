import type { Client } from "ldapts";
import { describe, expect, it } from "vitest";
import { CONFIG_DEFAULTS, type LdapConfig } from "../config";
import type { GroupContext } from "./group-search";
import { resolveGroups } from "./groups";
import { compileConfiguration } from "./registry";

/** A context whose client must not be used: these cases need no query. */
function offlineContext(overrides: Partial<LdapConfig>): GroupContext {
  const client = new Proxy(
    {},
    {
      get: () => {
        throw new Error("no query expected");
      },
    },
  ) as Client;
  const config: LdapConfig = {
    ...CONFIG_DEFAULTS,
    url: "ldap://127.0.0.1",
    searchBase: "dc=x",
    searchFilter: "(uid={0})",
    ...overrides,
  };
  return {
    client,
    compiled: compileConfiguration(config),
    url: config.url,
    isAlive: () => true,
    readCache: false,
    mayRemember: Promise.resolve(false),
  };
}

describe("resolveGroups: completeness without a query", () => {
  const user = { dn: "uid=u,dc=x", username: "u", memberOf: ["cn=a,dc=x", "cn=b,dc=x"] };

  it("memberOf sent in ranges: the values read are kept and the set is marked incomplete", async () => {
    const resolved = await resolveGroups(offlineContext({ nestedGroups: false }), { ...user, memberOfComplete: false });
    expect(resolved).toEqual({
      ok: true,
      value: {
        strategy: "member_of",
        direct: user.memberOf,
        all: user.memberOf,
        queries: [],
        depth: 0,
        complete: false,
        incompleteReason: "memberOf returned in ranges",
      },
    });
  });

  it("memberOf in one piece is complete", async () => {
    const resolved = await resolveGroups(offlineContext({ nestedGroups: false }), { ...user, memberOfComplete: true });
    expect(resolved.ok && resolved.value.complete).toBe(true);
    expect(resolved.ok && resolved.value.incompleteReason).toBeUndefined();
  });
});
