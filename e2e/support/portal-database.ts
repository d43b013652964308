import { randomBytes } from "node:crypto";
import { hashPassword } from "../../lib/auth/password";
import { encryptSecret } from "../../lib/crypto";
import { listAuditEvents } from "../../lib/db/audit-log";
import { db } from "../../lib/db/client";
import { createGroup, deleteGroup, findGroupForEdit, listGroupsForAdmin, updateGroup } from "../../lib/db/group-admin";
import { SYSTEM_GROUPS, systemGroupId } from "../../lib/db/groups";
import {
  createLdapConfig,
  deleteLdapConfig,
  listLdapConfigs,
  setLdapConfigEnabled,
  storedServicePassword,
  updateLdapConfig,
} from "../../lib/db/ldap-configs";
import { factorsOf } from "../../lib/db/second-factors";
import { sessionsOf } from "../../lib/db/sessions";
import { purgeThrottle } from "../../lib/db/throttle";
import {
  deleteUser as deleteUserAccount,
  findUserForAdmin,
  listUsersForAdmin,
  setUserDisabled,
} from "../../lib/db/user-admin";
import { addManualMembership, createLocalUser as createLocalAccount, findUserByUsername } from "../../lib/db/users";
import type { GroupInput } from "../../lib/validation/group";
import { ADMIN, TEST_DATABASE_URL, TEST_DATA_DIR } from "./test-server";

/**
 * The test server's database, arranged and inspected through the portal's own data layer
 * (lib/db), never with SQL. Loaded only in the test workers (the `database` fixture), which run
 * under the react-server condition lib/db needs (playwright.config.ts).
 *
 * Every lib/db call of the browser tests is in this file, so a change of a lib/db signature is
 * adapted here once. A few arrangements have no lib/db function because the product never makes
 * them (an LDAP membership on a local account, a renamed account, a ciphertext of a lost key,
 * the brake's counters): those use the data layer's Prisma client, lib/db/client.ts `db()`.
 */

// lib/env.ts reads these once, at the first query: the database and secrets of the test server.
process.env.DATA_DIR = TEST_DATA_DIR;
process.env.DATABASE_URL = TEST_DATABASE_URL;

/** Closes the worker's connection (the `database` fixture's teardown). */
export async function disconnect(): Promise<void> {
  await db().$disconnect();
}

function required<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`${what} does not exist`);
  return value;
}

/** Throws when lib/db refused the change (e.g. it would leave no enabled administrator). */
function mustSucceed(result: { ok: true } | { ok: false; reason: string }, what: string) {
  if (!result.ok) throw new Error(`${what} was refused: ${result.reason}`);
}

// ---------------------------------------------------------------------------------------------
// Users

export async function findUser(username: string) {
  return findUserByUsername(username);
}

export async function userId(username: string): Promise<string> {
  return required(await findUserByUsername(username), `User ${username}`).id;
}

/** Account changes are made as the suite's administrator would make them (the same rules apply). */
async function actorId(): Promise<string> {
  return userId(ADMIN.username);
}

async function administratorsGroupId(): Promise<string> {
  return systemGroupId("administrators");
}

/** A local account with a password; `administrator` also puts it in Administrators. */
export async function createLocalUser(username: string, password: string, options: { administrator?: boolean } = {}) {
  const user = await createLocalAccount({ username, passwordHash: await hashPassword(password) });
  if (options.administrator) await addManualMembership(user.id, await administratorsGroupId());
  return user.id;
}

/** Puts the account in Administrators by hand (nothing changes when it already is). */
export async function makeAdministrator(id: string): Promise<void> {
  await addManualMembership(id, await administratorsGroupId());
}

export async function setDisabled(id: string, disabled: boolean): Promise<void> {
  mustSucceed(
    await setUserDisabled(id, disabled, await actorId()),
    `${disabled ? "Disabling" : "Enabling"} user ${id}`,
  );
}

export async function setDisabledByUsername(username: string, disabled: boolean): Promise<void> {
  await setDisabled(await userId(username), disabled);
}

export async function deleteUser(id: string): Promise<void> {
  mustSucceed(await deleteUserAccount(id, await actorId()), `Deleting user ${id}`);
}

/** Every user the directories signed in, so a scenario starts without another one's accounts. */
export async function deleteLdapUsers(): Promise<void> {
  for (const user of await listUsersForAdmin()) if (user.source === "ldap") await deleteUser(user.id);
}

/** The users as the Users page lists them (memberships with their origin and group). */
export async function users() {
  return listUsersForAdmin();
}

/** Enabled members of Administrators (by any origin), by username. */
export async function enabledAdministrators(): Promise<{ id: string; username: string }[]> {
  return (await listUsersForAdmin())
    .filter(
      (user) =>
        !user.disabled &&
        user.memberships.some((membership) => membership.group.systemKey === SYSTEM_GROUPS.administrators.systemKey),
    )
    .map(({ id, username }) => ({ id, username }));
}

/** The account's memberships as stored: group name and origin ("manual" or "ldap"). */
export async function membershipsOf(username: string): Promise<{ group: string; origin: string }[]> {
  const user = required(await findUserForAdmin(await userId(username)), `User ${username}`);
  return user.memberships.map((membership) => ({ group: membership.group.name, origin: membership.origin }));
}

/** Names of the groups the directory gave the account at its last sign-in, sorted. */
export async function ldapGroupsOf(username: string): Promise<string[]> {
  return (await membershipsOf(username))
    .filter((membership) => membership.origin === "ldap")
    .map((membership) => membership.group)
    .sort();
}

/** The LDAP configuration that found the account, by name (undefined for a local account). */
export async function configurationOf(username: string): Promise<string | undefined> {
  const user = required(await findUserForAdmin(await userId(username)), `User ${username}`);
  return user.ldapConfig?.name;
}

/** The directory accounts the portal holds: which configuration found them, and their directory id. */
export async function ldapAccounts(): Promise<
  { username: string; ldapConfigId: string | null; directoryId: string | null }[]
> {
  const ldapUsers = (await listUsersForAdmin()).filter((user) => user.source === "ldap");
  return Promise.all(
    ldapUsers.map(async ({ username }) => {
      const user = required(await findUserByUsername(username), `User ${username}`);
      return { username, ldapConfigId: user.ldapConfigId, directoryId: user.directoryId };
    }),
  );
}

/** An LDAP-origin membership, as a sign-in through the directory writes it (even on a local account). */
export async function addLdapMembership(username: string, groupName: string): Promise<void> {
  await db().groupMembership.create({
    data: { userId: await userId(username), groupId: await groupId(groupName), origin: "ldap" },
  });
}

/** Removes every membership of the account, whatever its origin. */
export async function removeMemberships(username: string): Promise<void> {
  await db().groupMembership.deleteMany({ where: { userId: await userId(username) } });
}

/** Gives the account another username (the portal has no rename; an operator could do it). */
export async function renameUser(id: string, username: string): Promise<void> {
  await db().user.update({ where: { id }, data: { username } });
}

// ---------------------------------------------------------------------------------------------
// Sessions

/** The user's open sessions, as their Profile lists them. */
export async function sessionsOfUser(username: string) {
  return sessionsOf(await userId(username));
}

/** As if `minutes` had passed since the directory last confirmed the user's sessions: Session Revalidation is due. */
export async function ageSessionChecks(username: string, minutes: number): Promise<void> {
  await db().session.updateMany({
    where: { user: { username } },
    data: { checkedAt: new Date(Date.now() - minutes * 60_000) },
  });
}

// ---------------------------------------------------------------------------------------------
// Groups

async function findGroupByName(name: string) {
  return (await listGroupsForAdmin()).find((group) => group.name === name);
}

export async function groupId(name: string): Promise<string> {
  return required(await findGroupByName(name), `Group ${name}`).id;
}

export async function groupNames(): Promise<string[]> {
  return (await listGroupsForAdmin()).map((group) => group.name);
}

async function groupForEdit(name: string) {
  return required(await findGroupForEdit(await groupId(name)), `Group ${name}`);
}

/** The group's LDAP mappings: the DN as typed, its normal form, and the configuration's name. */
export async function groupMappings(name: string) {
  return (await groupForEdit(name)).ldapMappings.map((mapping) => ({
    dn: mapping.dn,
    dnNormalized: mapping.dnNormalized,
    config: mapping.ldapConfig.name,
  }));
}

/** How many mappings of any group name this DN (as typed). */
export async function mappingsOfDn(dn: string): Promise<number> {
  return (await listGroupsForAdmin()).flatMap((group) => group.ldapMappings).filter((mapping) => mapping.dn === dn)
    .length;
}

export async function groupSettings(name: string): Promise<{ key: string; value: string }[]> {
  return (await groupForEdit(name)).settings.map(({ key, value }) => ({ key, value }));
}

/**
 * An app group mapped to LDAP group DNs of one configuration, arranged directly (the Groups UI
 * has its own tests). The configuration must exist: mappings name their configuration.
 */
export async function createMappedGroup(
  name: string,
  priority: number,
  dns: string[],
  configName: string,
  description = "",
) {
  const configId = await ldapConfigId(configName);
  const input: GroupInput = {
    name,
    description,
    priority,
    ldapMappings: dns.map((dn) => ({ configId, dn })),
    settings: [],
  };
  return (await createGroup(input)).id;
}

async function replaceMappings(
  name: string,
  mappings: (current: GroupInput["ldapMappings"]) => GroupInput["ldapMappings"],
) {
  const group = await groupForEdit(name);
  const current = group.ldapMappings.map((mapping) => ({ configId: mapping.ldapConfigId, dn: mapping.dn }));
  await updateGroup(group.id, {
    name: group.name,
    description: group.description,
    priority: group.priority,
    ldapMappings: mappings(current),
    settings: group.settings.map(({ key, value }) => ({ key, value })),
  });
}

/** Adds an LDAP group DN of one configuration to an existing group (e.g. Administrators). */
export async function mapGroup(name: string, dn: string, configName: string): Promise<void> {
  const configId = await ldapConfigId(configName);
  await replaceMappings(name, (current) => [...current, { configId, dn }]);
}

export async function unmapGroup(name: string): Promise<void> {
  await replaceMappings(name, () => []);
}

/** Deletes the custom groups that match (built-in groups are never deleted). */
export async function deleteGroups(match: (group: { name: string; priority: number }) => boolean): Promise<void> {
  for (const group of await listGroupsForAdmin()) {
    if (group.systemKey === null && match(group))
      mustSucceed(await deleteGroup(group.id), `Deleting group ${group.name}`);
  }
}

export async function deleteGroupNamed(name: string): Promise<void> {
  await deleteGroups((group) => group.name === name);
}

// ---------------------------------------------------------------------------------------------
// LDAP configurations

async function findLdapConfigByName(name: string) {
  return (await listLdapConfigs()).find((config) => config.name === name);
}

export async function ldapConfigId(name: string): Promise<string> {
  return required(await findLdapConfigByName(name), `LDAP configuration ${name}`).id;
}

/** Names in routing order (Display Order, then name). */
export async function ldapConfigNames(): Promise<string[]> {
  return (await listLdapConfigs()).map((config) => config.name);
}

/**
 * A disabled configuration for tests that only need one to exist (group mappings name a
 * configuration); it routes no sign-ins.
 */
export async function createIdleLdapConfig(name: string, searchBase = "DC=kasm,DC=core") {
  const config = await createLdapConfig(
    { name, url: "ldap://127.0.0.1:1", searchBase, searchFilter: "(uid={0})", enabled: false },
    "",
  );
  return config.id;
}

export async function setLdapConfigEnabledByName(name: string, enabled: boolean): Promise<void> {
  await setLdapConfigEnabled(await ldapConfigId(name), enabled);
}

export async function setAutoCreateAppUser(name: string, autoCreateAppUser: boolean): Promise<void> {
  await updateLdapConfig(await ldapConfigId(name), { autoCreateAppUser }, undefined);
}

/** Deletes a configuration the way the admin page does (its users stay, disabled). */
export async function deleteLdapConfigNamed(name: string): Promise<void> {
  const config = await findLdapConfigByName(name);
  if (config) mustSucceed(await deleteLdapConfig(config.id), `Deleting LDAP configuration ${name}`);
}

export async function deleteLdapConfigs(): Promise<void> {
  for (const config of await listLdapConfigs())
    mustSucceed(await deleteLdapConfig(config.id), `Deleting LDAP configuration ${config.name}`);
}

/** The service account password as stored: the ciphertext, never shown by any page. */
export async function storedServicePasswordCiphertext(name: string): Promise<string | null | undefined> {
  const row = await db().ldapConfig.findUnique({ where: { name }, select: { serviceAccountPasswordEncrypted: true } });
  return row?.serviceAccountPasswordEncrypted;
}

/** What a changed ENCRYPTION_KEY leaves behind: the stored password encrypted with another key. */
export async function encryptServicePasswordWithAnotherKey(name: string): Promise<void> {
  const id = await ldapConfigId(name);
  const ciphertext = encryptSecret(await storedServicePassword(id), randomBytes(32));
  await db().ldapConfig.update({ where: { id }, data: { serviceAccountPasswordEncrypted: ciphertext } });
}

// ---------------------------------------------------------------------------------------------
// Sign-in brake and audit trail

/** Forgets every failed sign-in: the brake's counters purged as if their windows had all passed. */
export async function clearLoginThrottle(): Promise<void> {
  const aYearFromNow = Date.now() + 366 * 24 * 60 * 60_000;
  await purgeThrottle(aYearFromNow, 0);
}

/** Brake counters of directory accounts that are locked now or were locked (a wait was set). */
export async function lockedDirectoryAccounts(): Promise<string[]> {
  const rows = await db().loginThrottle.findMany({
    where: { key: { startsWith: "account:ldap:" }, lockedUntil: { not: null } },
    select: { key: true },
  });
  return rows.map((row) => row.key);
}

export type AuditEventRow = Awaited<ReturnType<typeof listAuditEvents>>["events"][number];

/** The audit trail newest first, as the Audit page reads it (all pages); `kind` as its filter. */
export async function auditEvents(kind?: string): Promise<AuditEventRow[]> {
  const first = await listAuditEvents({ kind, page: 1 });
  const events = [...first.events];
  for (let page = 2; page <= first.pageCount; page += 1) events.push(...(await listAuditEvents({ kind, page })).events);
  return events;
}

// ---------------------------------------------------------------------------------------------
// Second factors

/**
 * Sets one group setting (undefined removes it), keeping the group's other fields, mappings and
 * settings, e.g. require_two_factor=true as the group form's "Require Two-Factor" stores it.
 */
export async function setGroupSetting(name: string, key: string, value: string | undefined): Promise<void> {
  const group = await groupForEdit(name);
  const others = group.settings.filter((setting) => setting.key !== key).map(({ key, value }) => ({ key, value }));
  await updateGroup(group.id, {
    name: group.name,
    description: group.description,
    priority: group.priority,
    ldapMappings: group.ldapMappings.map((mapping) => ({ configId: mapping.ldapConfigId, dn: mapping.dn })),
    settings: value === undefined ? others : [...others, { key, value }],
  });
}

/** The account's factors (no secrets), its unused recovery codes and a pending administrator reset. */
export async function secondFactorsOf(username: string) {
  return factorsOf(await userId(username));
}

/** The recovery codes as stored (their hashes), used or not. */
export async function storedRecoveryCodesOf(username: string): Promise<{ hash: string; used: boolean }[]> {
  const rows = await db().recoveryCode.findMany({ where: { userId: await userId(username) } });
  return rows.map((row) => ({ hash: row.hash, used: row.usedAt !== null }));
}

/** As if the account's half-finished sign-ins had been started `minutes` ago (their five minutes are over). */
export async function ageSignInChallenges(username: string, minutes: number): Promise<void> {
  await db().signInChallenge.updateMany({
    where: { userId: await userId(username) },
    data: { expiresAt: new Date(Date.now() - (minutes - 5) * 60_000) },
  });
}
