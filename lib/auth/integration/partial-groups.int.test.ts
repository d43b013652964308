import { beforeAll, expect, it } from "vitest";
import { directoryEnv } from "@/e2e/directories/env";
import { normalizeDn } from "@/lib/ldap/dn";
import { openldapConfig } from "@/lib/ldap/integration/directory-configs";
import { freshPortal, storeConfig } from "./harness";

/**
 * A group set the directory cut short never removes memberships: on real OpenLDAP, a service
 * account limited to 5 entries per search (olcLimits) reads 5 of many_groups_user's 1 100
 * groups. The sign-in applies what it confirmed, keeps the rest, and the audit says "partial".
 */
const env = () => directoryEnv("openldap");
let lib: {
  signIn: typeof import("@/lib/auth/login").signInWithPassword;
  db: typeof import("@/lib/db/client").db;
  updateLdapConfig: typeof import("@/lib/db/ldap-configs").updateLdapConfig;
};
let configId = "";

function normalized(dn: string): string {
  const result = normalizeDn(dn);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

const bulkGroup = (n: number) => `cn=bulk_group_${String(n).padStart(4, "0")},ou=Bulk,ou=MyOrg,${env().baseDn}`;

async function ldapGroupsOf(username: string): Promise<string[]> {
  const memberships = await lib
    .db()
    .groupMembership.findMany({ where: { origin: "ldap", user: { username } }, include: { group: true } });
  return memberships.map((membership) => membership.group.name).sort();
}

beforeAll(async () => {
  await freshPortal("partial-groups");
  configId = await storeConfig("OpenLDAP", openldapConfig("groupOfNames", { requiredGroupDn: undefined }));
  lib = {
    signIn: (await import("@/lib/auth/login")).signInWithPassword,
    db: (await import("@/lib/db/client")).db,
    updateLdapConfig: (await import("@/lib/db/ldap-configs")).updateLdapConfig,
  };
  const mapped = async (name: string, priority: number, dn: string) =>
    lib.db().group.create({
      data: {
        name,
        priority,
        ldapMappings: { create: [{ ldapConfigId: configId, dn, dnNormalized: normalized(dn) }] },
      },
    });
  await mapped("Bulk 1", 101, bulkGroup(1));
  await mapped("Bulk 900", 102, bulkGroup(900));
  await mapped("Bulk 1100", 103, bulkGroup(1100));
}, 60_000);

it("keeps the memberships a cut-short group set cannot confirm and says so in the audit", async () => {
  const user = env().users.many_groups_user!;
  const login = () =>
    lib.signIn({ username: "many_groups_user@kasm.core", password: user.password, clientAddress: "192.0.2.5" });

  expect((await login()).ok).toBe(true);
  expect(await ldapGroupsOf("many_groups_user@kasm.core")).toEqual(["Bulk 1", "Bulk 1100", "Bulk 900"]);

  const limited = env().restrictedAccounts!.sizeLimited;
  await lib.updateLdapConfig(configId, { serviceAccountDn: limited.dn }, limited.password);
  const partial = await login();
  expect(partial.ok).toBe(true);
  expect(await ldapGroupsOf("many_groups_user@kasm.core")).toEqual(["Bulk 1", "Bulk 1100", "Bulk 900"]);

  const event = await lib
    .db()
    .auditEvent.findFirstOrThrow({ where: { action: "login", outcome: "success" }, orderBy: { at: "desc" } });
  const details = JSON.parse(event.details);
  expect(details.groups).toBe("partial");
  expect(details.incompleteReason).toMatch(/size limit/i);
  expect(details.groupsRemoved).toEqual([]);
  expect(details.groupsKeptUnconfirmed.length).toBeGreaterThan(0);
}, 60_000);

it("removes memberships again once the whole group set is read", async () => {
  const user = env().users.many_groups_user!;
  await lib.updateLdapConfig(configId, { serviceAccountDn: env().serviceAccount.dn }, env().serviceAccount.password);
  // A mapping the user no longer matches: with a complete answer it goes.
  await lib.db().groupLdapMapping.updateMany({
    where: { group: { name: "Bulk 900" } },
    data: { dn: "cn=nobody,dc=kasm,dc=core", dnNormalized: "cn=nobody,dc=kasm,dc=core" },
  });
  expect(
    (await lib.signIn({ username: "many_groups_user@kasm.core", password: user.password, clientAddress: "192.0.2.5" }))
      .ok,
  ).toBe(true);
  expect(await ldapGroupsOf("many_groups_user@kasm.core")).toEqual(["Bulk 1", "Bulk 1100"]);
}, 60_000);
