import { beforeAll, describe, expect, it } from "vitest";
import {
  ensureSyncFixtures,
  moveEntry,
  setAccountDisabled,
  setGroupMember,
  type DirectoryName,
  type SyncFixtures,
} from "@/e2e/directories/directory-admin";
import { freshPortal, storeConfig } from "@/lib/auth/integration/harness";
import { normalizeDn } from "@/lib/ldap/dn";
import { dirsrvConfig, openldapConfig, sambaDocConfig } from "@/lib/ldap/integration/directory-configs";
import type { LdapConfig } from "@/lib/ldap";

/**
 * The directory sync against the real directories, on fixtures of this file's own
 * (syncrun_user_1..3 in syncrun_group; syncrunpg_… when it runs on PostgreSQL, at the same time):
 * what the directory's administrator changes reaches the portal without anyone signing in, and
 * anything uncertain changes nothing.
 */
let PREFIX = "syncrun";
const PASSWORD = "Test-Password-123";

const DIRECTORIES: { name: DirectoryName; domain: string; config: (filter: string) => LdapConfig }[] = [
  {
    name: "samba",
    domain: "samba.sync",
    config: (filter) => sambaDocConfig({ searchFilter: filter, groupMembershipFilter: "" }),
  },
  {
    name: "openldap",
    domain: "openldap.sync",
    config: (filter) => openldapConfig("groupOfNames", { searchFilter: filter, requiredGroupDn: undefined }),
  },
  {
    name: "dirsrv",
    domain: "dirsrv.sync",
    config: (filter) => dirsrvConfig({ searchFilter: filter, requiredGroupDn: undefined }),
  },
];

let lib: {
  signIn: typeof import("@/lib/auth/login").signInWithPassword;
  sync: typeof import("../run").syncConfiguration;
  db: typeof import("@/lib/db/client").db;
  updateLdapConfig: typeof import("@/lib/db/ldap-configs").updateLdapConfig;
  sessions: typeof import("@/lib/db/sessions");
};

beforeAll(async () => {
  await freshPortal("directory-sync");
  if ((await import("@/lib/db/client")).databaseProvider() === "postgresql") PREFIX = "syncrunpg";
  lib = {
    signIn: (await import("@/lib/auth/login")).signInWithPassword,
    sync: (await import("../run")).syncConfiguration,
    db: (await import("@/lib/db/client")).db,
    updateLdapConfig: (await import("@/lib/db/ldap-configs")).updateLdapConfig,
    sessions: await import("@/lib/db/sessions"),
  };
});

function normalized(dn: string): string {
  const result = normalizeDn(dn);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

describe.each(DIRECTORIES)("directory sync on $name", ({ name, domain, config }) => {
  const loginAttribute = name === "samba" ? "sAMAccountName" : "uid";
  const objectClass = name === "samba" ? "user" : "inetOrgPerson";
  const filter = `(&(objectClass=${objectClass})(${loginAttribute}={0}))`;
  let fixtures: SyncFixtures;
  let configId: string;
  let groupId: string;
  const login = (n: number) => `${PREFIX}_user_${n}@${domain}`;
  const user = (n: number) =>
    lib.db().user.findUniqueOrThrow({ where: { username: login(n) }, include: { memberships: true } });
  const openSession = async (n: number) =>
    lib.sessions.createSession({
      userId: (await user(n)).id,
      clientAddress: "192.0.2.1",
      userAgent: "test",
      lifetimeSeconds: 3600,
    });
  const sync = (extra: { dryRun?: boolean; overrideShare?: boolean } = {}) =>
    lib.sync(configId, { trigger: "manual", actor: "admin@portal.local", ...extra });

  beforeAll(async () => {
    fixtures = await ensureSyncFixtures(name, PREFIX);
    configId = await storeConfig(`Sync ${name}`, config(filter), { alternateDomains: domain });
    // Three users: the valve must let one of them go for these tests.
    await lib.updateLdapConfig(configId, { maxDisableSharePercent: 50 }, undefined);
    const group = await lib.db().group.create({
      data: {
        name: `Sync group (${name})`,
        priority: 500 + DIRECTORIES.findIndex((directory) => directory.name === name),
        ldapMappings: {
          create: [{ ldapConfigId: configId, dn: fixtures.group, dnNormalized: normalized(fixtures.group) }],
        },
      },
    });
    groupId = group.id;
    for (const n of [1, 2, 3]) {
      const result = await lib.signIn({ username: login(n), password: PASSWORD, clientAddress: "192.0.2.40" });
      expect(result.ok, `${login(n)}: ${result.ok ? "" : result.message}`).toBe(true);
    }
  }, 120_000);

  it("changes nothing while the directory agrees with the portal", async () => {
    const result = await sync();
    expect(result.outcome).toBe("applied");
    expect(result.plan).toMatchObject({ usersChecked: 3, changes: [], disabled: 0, membershipChanges: 0 });
    // Batched: the entries, those the filter matches and their groups (one query for the batch;
    // Samba: memberOf), and at most one for parents the sign-ins' nesting cache no longer holds.
    // One request per user would make it 6 or more.
    expect(result.ldapRequests).toBeLessThanOrEqual(4);
  });

  it("follows the directory: a disabled user loses access, a removed member loses the group, a moved entry is followed", async () => {
    const moved = await moveEntry(
      name,
      fixtures.users[`${PREFIX}_user_3`]!.dn,
      `${name === "samba" ? "CN" : "uid"}=${PREFIX}_user_3_moved`,
    );
    try {
      await setAccountDisabled(name, fixtures.users[`${PREFIX}_user_1`]!.dn, true);
      await setGroupMember(name, fixtures.group, fixtures.users[`${PREFIX}_user_2`]!.dn, false);

      // Preview lists the changes and changes nothing.
      const preview = await sync({ dryRun: true });
      expect(preview.outcome).toBe("preview");
      expect(
        preview.plan!.changes.map((change) => [change.username, change.disable ?? null, change.groupsRemoved]),
      ).toEqual([
        [login(1), "disabled", []],
        [login(2), null, [groupId]],
        [login(3), null, []],
      ]);
      expect(normalized(preview.plan!.changes[2]!.dn!)).toBe(normalized(moved));
      expect((await user(1)).directoryRefusal).toBeNull();

      const [firstSession, secondSession] = [await openSession(1), await openSession(2)];
      const result = await sync();
      expect(result.outcome).toBe("applied");
      const [first, second, third] = [await user(1), await user(2), await user(3)];
      expect(first.directoryRefusal).toBe("disabled");
      // The open session ends: gone, not merely refused, so a later re-enable does not revive it.
      expect(await lib.sessions.sessionsOf(first.id)).toEqual([]);
      expect(await lib.sessions.sessionAccount(firstSession, first.id)).toBeUndefined();
      expect(second.memberships.filter((m) => m.origin === "ldap").map((m) => m.groupId)).toEqual([]);
      expect((await lib.sessions.sessionAccount(secondSession, second.id))?.role).toBe("user");
      // Found by its directory id under its new DN: still in, still in the group.
      expect(third.directoryRefusal).toBeNull();
      expect(normalized(third.lastDn!)).toBe(normalized(moved));
      expect(third.memberships.map((m) => m.groupId)).toEqual([groupId]);
    } finally {
      fixtures = await ensureSyncFixtures(name, PREFIX);
    }
    // Back in the directory: re-enabled and back in the group at the next sync.
    const result = await sync();
    expect(result.outcome).toBe("applied");
    expect((await user(1)).directoryRefusal).toBeNull();
    expect((await user(2)).memberships.map((m) => m.groupId)).toEqual([groupId]);
  });

  it("keeps a user an administrator disabled disabled when the directory admits them again", async () => {
    await setAccountDisabled(name, fixtures.users[`${PREFIX}_user_1`]!.dn, true);
    try {
      expect((await sync()).outcome).toBe("applied");
      await lib.db().user.update({ where: { username: login(1) }, data: { disabled: true } });
    } finally {
      fixtures = await ensureSyncFixtures(name, PREFIX);
    }
    expect((await sync()).outcome).toBe("applied");
    const first = await user(1);
    expect([first.directoryRefusal, first.disabled]).toEqual([null, true]);
    expect(await lib.sessions.sessionAccount(await openSession(1), first.id)).toBeUndefined();
    await lib.db().user.update({ where: { username: login(1) }, data: { disabled: false } });
  });

  it("holds a Search Filter change that would disable most users, listing them, and applies it when told to", async () => {
    await lib.updateLdapConfig(
      configId,
      { searchFilter: `(&${filter.slice(2, -1)}(description=nobody-has-this))` },
      undefined,
    );
    try {
      const held = await sync();
      expect(held.outcome).toBe("held");
      expect(held.reason).toBe("would disable 3 of 3 users (100 %), more than the Max Disable Share of 50 %");
      expect(held.plan!.changes.map((change) => change.disable)).toEqual([
        "not_matching",
        "not_matching",
        "not_matching",
      ]);
      for (const n of [1, 2, 3]) expect((await user(n)).directoryRefusal).toBeNull();
      const runs = await lib.db().syncRun.findMany({ where: { ldapConfigId: configId, outcome: "held" } });
      expect(runs).toHaveLength(1);
      expect(JSON.parse(runs[0]!.plan)).toHaveLength(3);

      expect((await sync({ overrideShare: true })).outcome).toBe("applied");
      expect((await user(2)).directoryRefusal).toBe("not_matching");
    } finally {
      await lib.updateLdapConfig(configId, { searchFilter: filter }, undefined);
    }
    expect((await sync()).outcome).toBe("applied");
    for (const n of [1, 2, 3]) expect((await user(n)).directoryRefusal).toBeNull();
  });

  it("changes nothing when the directory cannot be reached", async () => {
    const before = await lib.db().user.findMany({ where: { ldapConfigId: configId }, include: { memberships: true } });
    await lib.updateLdapConfig(configId, { url: "ldap://127.0.0.1:9", failoverUrls: "", startTls: false }, undefined);
    try {
      const result = await sync();
      expect(result.outcome).toBe("failed");
      expect(result.reason).toMatch(/^The directory could not be reached, so nothing was changed/);
    } finally {
      const original = config(filter);
      await lib.updateLdapConfig(configId, { url: original.url, startTls: original.startTls }, undefined);
    }
    const after = await lib.db().user.findMany({ where: { ldapConfigId: configId }, include: { memberships: true } });
    expect(after).toEqual(before);
  });
});
