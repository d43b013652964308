/**
 * e2e/directories/directory-admin.ts against the three real directories: an administrator
 * disables and enables an account, removes a user from a group and adds it back, renames a user,
 * and ensureSyncFixtures puts everything back. Only the sync fixtures (sync_user_1..3, sync_group)
 * and the OpenLDAP bulk users are changed: other test files use test_user_* at the same time.
 */
import { Client } from "ldapts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caCertificate, directoryEnv, type DirectoryEnv } from "@/e2e/directories/env";
import {
  ensureSyncFixtures,
  loadBulkUsers,
  moveEntry,
  setAccountDisabled,
  setGroupMember,
  withAdmin,
  type DirectoryName,
  type SyncFixtures,
} from "@/e2e/directories/directory-admin";

/** A simple bind over LDAPS: undefined when it works, else the error. */
async function bindError(env: DirectoryEnv, dn: string, password: string): Promise<Error | undefined> {
  const client = new Client({
    url: env.urls.ldaps,
    tlsOptions: { ca: [caCertificate(env)] },
    timeout: 10_000,
    connectTimeout: 5_000,
  });
  try {
    await client.bind(dn, password);
    return undefined;
  } catch (error) {
    return error as Error;
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

const lower = (dns: string[]) => dns.map((dn) => dn.toLowerCase()).sort();

/** The group's member values, lower case (the fixtures' DNs have no escapes). */
const membersOf = (name: DirectoryName, groupDn: string) =>
  withAdmin(name, async (client) => {
    const { searchEntries } = await client.search(groupDn, { scope: "base", attributes: ["member"] });
    return lower([searchEntries[0]?.member ?? []].flat().map(String));
  });

const ID_ATTRIBUTE = { samba: "objectGUID", openldap: "entryUUID", dirsrv: "nsUniqueId" } as const;

/** The entry's server-assigned identity, or undefined when the DN does not exist. */
const uniqueIdOf = (name: DirectoryName, dn: string) =>
  withAdmin(name, async (client) => {
    const attribute = ID_ATTRIBUTE[name];
    try {
      const { searchEntries } = await client.search(dn, {
        scope: "base",
        attributes: [attribute],
        explicitBufferAttributes: ["objectGUID"],
      });
      const value = searchEntries[0]?.[attribute];
      return Buffer.isBuffer(value) ? value.toString("hex") : String(value);
    } catch {
      return undefined;
    }
  });

/** How each directory refuses the right password of a disabled account. */
const DISABLED_BIND = {
  samba: { code: 49, message: /data 533/ }, // AD: ERROR_ACCOUNT_DISABLED
  openldap: { code: 49, message: /./ }, // ppolicy: a bare invalidCredentials
  dirsrv: { code: 53, message: /Account inactivated/ },
} as const;

describe.each(["samba", "openldap", "dirsrv"] as const)("%s: an administrator changes the sync fixtures", (name) => {
  const env = directoryEnv(name);
  let fx: SyncFixtures;
  const user = (uid: string) => fx.users[uid]!;

  beforeAll(async () => {
    fx = await ensureSyncFixtures(name);
  });
  afterAll(() => ensureSyncFixtures(name));

  it("ensureSyncFixtures: three users that bind, all in sync_group", async () => {
    expect(Object.keys(fx.users)).toEqual(["sync_user_1", "sync_user_2", "sync_user_3"]);
    for (const { dn, password } of Object.values(fx.users))
      expect(await bindError(env, dn, password), dn).toBeUndefined();
    expect(await membersOf(name, fx.group)).toEqual(lower(Object.values(fx.users).map((u) => u.dn)));
  });

  it("a disabled user cannot bind with its right password; enabled again, it can", async () => {
    const { dn, password } = user("sync_user_1");
    await setAccountDisabled(name, dn, true);
    await setAccountDisabled(name, dn, true); // idempotent
    const error = (await bindError(env, dn, password)) as (Error & { code?: number }) | undefined;
    expect(error?.code).toBe(DISABLED_BIND[name].code);
    expect(error?.message).toMatch(DISABLED_BIND[name].message);

    await setAccountDisabled(name, dn, false);
    await setAccountDisabled(name, dn, false); // idempotent
    expect(await bindError(env, dn, password)).toBeUndefined();
  });

  it("a user removed from sync_group is no longer listed; added back, it is", async () => {
    const { dn } = user("sync_user_2");
    await setGroupMember(name, fx.group, dn, false);
    await setGroupMember(name, fx.group, dn, false); // removing an absent member: no error
    expect(await membersOf(name, fx.group)).not.toContain(dn.toLowerCase());
    expect(await membersOf(name, fx.group)).toHaveLength(2);

    await setGroupMember(name, fx.group, dn, true);
    await setGroupMember(name, fx.group, dn, true); // adding an existing member: no error
    expect(await membersOf(name, fx.group)).toContain(dn.toLowerCase());
    expect(await membersOf(name, fx.group)).toHaveLength(3);
  });

  it("a renamed user keeps its unique id; the old DN is gone", async () => {
    const { dn, password } = user("sync_user_3");
    const id = await uniqueIdOf(name, dn);
    expect(id).toMatch(/^[0-9a-f-]{32,}$/i);

    const rdn = name === "samba" ? "CN=sync_user_3_renamed" : "uid=sync_user_3_renamed";
    const newDn = await moveEntry(name, dn, rdn);
    expect(newDn.toLowerCase()).toBe(dn.toLowerCase().replace("sync_user_3", "sync_user_3_renamed"));
    expect(await uniqueIdOf(name, newDn)).toBe(id);
    expect(await uniqueIdOf(name, dn)).toBeUndefined();
    expect(await bindError(env, newDn, password)).toBeUndefined();
    // All three follow the rename in the group's member values (AD linked attributes, slapd's
    // memberof refint, 389's memberOf plugin); on OpenLDAP and 389 the uid becomes the new RDN value.
    expect(await membersOf(name, fx.group)).toContain(newDn.toLowerCase());
  });

  it("ensureSyncFixtures puts everything back: enabled, at the original DN (same entry), in sync_group", async () => {
    const id3 = await uniqueIdOf(name, user("sync_user_3").dn.replace("sync_user_3", "sync_user_3_renamed"));
    // make a mess of all three, whatever the earlier tests left
    await setAccountDisabled(name, user("sync_user_1").dn, true);
    await setGroupMember(name, fx.group, user("sync_user_2").dn, false);

    const again = await ensureSyncFixtures(name);
    expect(again).toEqual(fx);
    for (const { dn, password } of Object.values(again.users))
      expect(await bindError(env, dn, password), dn).toBeUndefined();
    expect(await membersOf(name, again.group)).toEqual(lower(Object.values(again.users).map((u) => u.dn)));
    // moved back, not created anew
    if (id3) expect(await uniqueIdOf(name, user("sync_user_3").dn)).toBe(id3);
  });
});

describe("loadBulkUsers (OpenLDAP)", () => {
  const env = directoryEnv("openldap");
  const container = `ou=SyncBench,ou=MyOrg,${env.baseDn}`;
  const groupDn = `cn=sync_bench_test_50,ou=Groups,ou=MyOrg,${env.baseDn}`;

  it("creates 50 users under ou=SyncBench and a group holding them; a second run changes nothing", async () => {
    const dns = await loadBulkUsers(50, { groupDn });
    expect(dns).toHaveLength(50);
    expect(dns[0]).toBe(`uid=bulk_sync_00001,${container}`);
    expect(dns[49]).toBe(`uid=bulk_sync_00050,${container}`);

    // The container may hold more (the benchmark loads 10 000): every one of ours is there.
    const present = await withAdmin("openldap", async (client) => {
      const { searchEntries } = await client.search(container, {
        scope: "one",
        filter: "(objectClass=inetOrgPerson)",
        attributes: ["1.1"],
        paged: { pageSize: 1_000 },
      });
      return new Set(searchEntries.map((e) => e.dn.toLowerCase()));
    });
    expect(present.size).toBeGreaterThanOrEqual(50);
    expect(dns.filter((dn) => !present.has(dn.toLowerCase()))).toEqual([]);
    expect(await membersOf("openldap", groupDn)).toEqual(lower(dns));
    expect(await bindError(env, dns[49]!, "Test-Password-123")).toBeUndefined();

    expect(await loadBulkUsers(50, { groupDn })).toEqual(dns);
    expect(await membersOf("openldap", groupDn)).toEqual(lower(dns));
  });
});
