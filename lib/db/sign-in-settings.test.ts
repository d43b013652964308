import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, expect, it } from "vitest";

// Sign-ins read configurations, groups and mappings from a per-instance copy. Whatever writes
// them (this instance, another one, an operator's SQL) must move the version every sign-in reads,
// or another instance would keep signing people in with the old settings.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sign-in-settings-"));
process.env.DATA_DIR = dir;
process.env.DATABASE_URL = `file:${path.join(dir, "portal.db")}`;

let configs: typeof import("./ldap-configs");
let groups: typeof import("./group-admin");
let settings: typeof import("./sign-in-settings");
let db: typeof import("./client").db;

beforeAll(async () => {
  const { migrateDeploy } = await import("./migrate/index.mjs");
  await migrateDeploy({ databaseUrl: process.env.DATABASE_URL });
  configs = await import("./ldap-configs");
  groups = await import("./group-admin");
  settings = await import("./sign-in-settings");
  ({ db } = await import("./client"));
  await (await import("./groups")).ensureSystemGroups();
});

/** The version a sign-in's opening statement reads, and the settings a sign-in would use. */
async function current() {
  const { openSignIn } = await import("./sign-in-opening");
  const policy = { windowMs: 60_000, limit: 1000, parallelPerRemaining: 1, lockMs: () => 1000 };
  const opening = await openSignIn(`address:test-${Math.random()}`, policy, "nobody", Date.now());
  if (!opening.admitted) throw new Error("the opening statement refused the test");
  return settings.signInSettings(opening.settingsVersion);
}

const group = (name: string, priority: number, configId: string, dn: string) => ({
  name,
  description: "",
  priority,
  ldapMappings: [{ configId, dn }],
  settings: [],
});

it("moves the version on every write to configurations, groups and mappings, and reloads the copy", async () => {
  const start = await current();
  const values = { name: "Kasm", url: "ldap://127.0.0.1:1", searchBase: "DC=kasm,DC=core", searchFilter: "(uid={0})" };
  const config = await configs.createLdapConfig(values, "bind-secret");
  const created = await current();
  expect(created.version).toBeGreaterThan(start.version);
  expect(created.configs.map((entry) => entry.row.name)).toEqual(["Kasm"]);
  expect(created.configs[0]!.engineConfig().serviceAccountPassword).toBe("bind-secret");

  await configs.updateLdapConfig(config.id, { url: "ldap://127.0.0.1:2" }, undefined);
  const updated = await current();
  expect(updated.version).toBeGreaterThan(created.version);
  expect(updated.configs[0]!.engineConfig().url).toEqual("ldap://127.0.0.1:2");

  const mapped = await groups.createGroup(group("LDAP Group 1", 50, config.id, "CN=Group 1,DC=kasm,DC=core"));
  const withGroup = await current();
  expect(withGroup.version).toBeGreaterThan(updated.version);
  expect(withGroup.groups.get(mapped.id)?.name).toBe("LDAP Group 1");
  // Compared in RFC 4514 normal form, for this configuration only.
  expect([...withGroup.mappedGroupIds(config.id, ["cn=group 1, dc=kasm, dc=core"])]).toEqual([mapped.id]);
  expect([...withGroup.mappedGroupIds("another-config", ["cn=group 1,dc=kasm,dc=core"])]).toEqual([]);

  await groups.updateGroup(mapped.id, group("LDAP Group 1", 50, config.id, "CN=Group 2,DC=kasm,DC=core"));
  const remapped = await current();
  expect(remapped.version).toBeGreaterThan(withGroup.version);
  expect([...remapped.mappedGroupIds(config.id, ["CN=Group 1,DC=kasm,DC=core"])]).toEqual([]);
  expect([...remapped.mappedGroupIds(config.id, ["CN=Group 2,DC=kasm,DC=core"])]).toEqual([mapped.id]);

  await configs.setLdapConfigEnabled(config.id, false);
  const disabled = await current();
  expect(disabled.version).toBeGreaterThan(remapped.version);
  expect(disabled.configs).toEqual([]);

  // Another instance or an operator's SQL: no application code involved.
  await db().$executeRaw`UPDATE "Group" SET "priority" = 60 WHERE "id" = ${mapped.id}`;
  const bySql = await current();
  expect(bySql.version).toBeGreaterThan(disabled.version);
  expect(bySql.groups.get(mapped.id)?.priority).toBe(60);

  await groups.deleteGroup(mapped.id);
  const deleted = await current();
  expect(deleted.version).toBeGreaterThan(bySql.version);
  expect(deleted.groups.has(mapped.id)).toBe(false);
});

it("keeps one copy while the version stands: sign-ins do not read the settings again", async () => {
  const first = await current();
  const second = await current();
  expect(second).toBe(first);
  await db().user.create({ data: { username: "someone@kasm.core" } });
  await db().auditEvent.create({ data: { actor: "a", action: "login", outcome: "success" } });
  // Users, memberships and the audit log are not sign-in settings.
  expect(await current()).toBe(first);
});
