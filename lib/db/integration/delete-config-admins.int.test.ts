import { beforeAll, expect, it } from "vitest";
import { freshPortal } from "@/lib/auth/integration/harness";

/**
 * Deleting an LDAP configuration disables its users: when the only enabled administrator signs
 * in through it, that would leave the portal without one (and bootstrap never steps in while a
 * disabled administrator exists). Refused in the transaction, as for any other demotion.
 */
let lib: {
  db: typeof import("@/lib/db/client").db;
  configs: typeof import("@/lib/db/ldap-configs");
  systemGroupId: typeof import("@/lib/db/groups").systemGroupId;
};

beforeAll(async () => {
  await freshPortal("delete-config-admins");
  lib = {
    db: (await import("@/lib/db/client")).db,
    configs: await import("@/lib/db/ldap-configs"),
    systemGroupId: (await import("@/lib/db/groups")).systemGroupId,
  };
});

async function ldapAdministrator(configName: string, username: string) {
  const config = await lib.configs.createLdapConfig(
    { name: configName, url: "ldap://127.0.0.1:1", searchBase: "DC=corp,DC=example", searchFilter: "(uid={0})" },
    "",
  );
  const administrators = await lib.systemGroupId("administrators");
  await lib.db().user.create({
    data: {
      username,
      source: "ldap",
      ldapConfigId: config.id,
      directoryId: username,
      memberships: { create: [{ groupId: administrators, origin: "ldap" }] },
    },
  });
  return config.id;
}

it("refuses to delete the configuration of the last enabled administrator, and allows it once another exists", async () => {
  const corp = await ldapAdministrator("Corp", "alice@corp.example");
  expect(await lib.configs.deleteLdapConfig(corp)).toEqual({ ok: false, reason: "last_administrator" });
  expect(await lib.db().ldapConfig.count({ where: { id: corp } })).toBe(1);
  expect((await lib.db().user.findUniqueOrThrow({ where: { username: "alice@corp.example" } })).disabled).toBe(false);

  await ldapAdministrator("Other", "bob@other.example");
  expect(await lib.configs.deleteLdapConfig(corp)).toEqual({ ok: true, disabledUsers: 1 });
  expect((await lib.db().user.findUniqueOrThrow({ where: { username: "alice@corp.example" } })).disabled).toBe(true);
});
