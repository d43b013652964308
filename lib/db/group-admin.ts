import "server-only";
import { normalizeDn } from "@/lib/ldap/dn";
import type { GroupInput } from "@/lib/validation/group";
import { db, transaction } from "./client";
import { SYSTEM_GROUPS } from "./groups";

/** Group administration: the list, the form's reads and writes, and their conflict checks. */

export type GroupListRow = Awaited<ReturnType<typeof listGroupsForAdmin>>[number];

/** Every group, lowest priority number first, with its LDAP mappings and member count. */
export async function listGroupsForAdmin() {
  const [groups, pairs, userCount] = await Promise.all([
    db().group.findMany({
      orderBy: { priority: "asc" },
      include: {
        ldapMappings: { orderBy: { dn: "asc" }, include: { ldapConfig: { select: { name: true } } } },
        _count: { select: { settings: true } },
      },
    }),
    // One row per (group, user): a user in a group both manually and through LDAP counts once.
    db().groupMembership.groupBy({ by: ["groupId", "userId"] }),
    db().user.count(),
  ]);
  const members = new Map<string, number>();
  for (const pair of pairs) members.set(pair.groupId, (members.get(pair.groupId) ?? 0) + 1);
  return groups.map((group) => ({
    id: group.id,
    name: group.name,
    description: group.description,
    priority: group.priority,
    systemKey: group.systemKey,
    ldapMappings: group.ldapMappings.map((mapping) => ({
      id: mapping.id,
      dn: mapping.dn,
      configName: mapping.ldapConfig.name,
    })),
    settingCount: group._count.settings,
    // All Users is implicit: every user is a member without a stored row.
    memberCount: group.systemKey === SYSTEM_GROUPS.allUsers.systemKey ? userCount : (members.get(group.id) ?? 0),
  }));
}

/** The group as the edit form needs it. */
export async function findGroupForEdit(id: string) {
  return db().group.findUnique({
    where: { id },
    include: {
      ldapMappings: { orderBy: { dn: "asc" }, include: { ldapConfig: { select: { name: true } } } },
      settings: { orderBy: { key: "asc" } },
    },
  });
}

/** Groups an administrator may add a user to by hand (All Users is implicit, never stored). */
export async function listAssignableGroups() {
  return db().group.findMany({
    where: { OR: [{ systemKey: null }, { systemKey: { not: SYSTEM_GROUPS.allUsers.systemKey } }] },
    orderBy: { priority: "asc" },
    select: { id: true, name: true, priority: true, systemKey: true },
  });
}

/**
 * Field errors for a name or priority another group already has (names compare
 * case-insensitively) and for mappings naming a configuration that does not exist (any more).
 */
export async function groupConflicts(
  input: Pick<GroupInput, "name" | "priority" | "ldapMappings">,
  exceptId?: string,
): Promise<Record<string, string>> {
  const [others, configs] = await Promise.all([
    db().group.findMany({ where: exceptId ? { id: { not: exceptId } } : {}, select: { name: true, priority: true } }),
    db().ldapConfig.findMany({
      where: { id: { in: input.ldapMappings.map((mapping) => mapping.configId) } },
      select: { id: true },
    }),
  ]);
  const errors: Record<string, string> = {};
  const known = new Set(configs.map((config) => config.id));
  input.ldapMappings.forEach((mapping, index) => {
    if (!known.has(mapping.configId))
      errors[`ldapMappings.${index}.configId`] = "This LDAP configuration no longer exists; choose another";
  });
  const sameName = others.find((group) => group.name.toLowerCase() === input.name.toLowerCase());
  if (sameName) errors.name = `A group named ${sameName.name} already exists`;
  const samePriority = others.find((group) => group.priority === input.priority);
  if (samePriority) errors.priority = `Priority ${input.priority} is already used by group ${samePriority.name}`;
  return errors;
}

function mappingRows(input: GroupInput) {
  return input.ldapMappings.map((mapping) => {
    const normal = normalizeDn(mapping.dn);
    // The schema parsed every DN already; reaching this is a bug.
    if (!normal.ok) throw new Error(`Unparsable DN reached the database layer: ${normal.error.message}`);
    return { ldapConfigId: mapping.configId, dn: mapping.dn, dnNormalized: normal.value };
  });
}

/** How the audit log names a mapping: the DN and the configuration it applies to. */
export function mappingLabel(dn: string, configName: string): string {
  return `${dn} (${configName})`;
}

export async function createGroup(input: GroupInput) {
  return db().group.create({
    data: {
      name: input.name,
      description: input.description,
      priority: input.priority,
      ldapMappings: { create: mappingRows(input) },
      settings: { create: input.settings.map(({ key, value }) => ({ key, value })) },
    },
  });
}

type GroupSnapshot = { name: string; description: string; priority: number; ldapDns: string[]; settingKeys: string[] };
export type GroupChanges = { before: GroupSnapshot; after: GroupSnapshot };

/** Replaces the group's fields, mappings and settings; returns what it was and what it is. */
export async function updateGroup(id: string, input: GroupInput): Promise<GroupChanges | undefined> {
  return transaction(async (tx) => {
    const before = await tx.group.findUnique({
      where: { id },
      include: { ldapMappings: { include: { ldapConfig: { select: { name: true } } } }, settings: true },
    });
    const configNames = new Map(
      (await tx.ldapConfig.findMany({ select: { id: true, name: true } })).map((config) => [config.id, config.name]),
    );
    if (!before) return undefined;
    await tx.groupLdapMapping.deleteMany({ where: { groupId: id } });
    await tx.groupSetting.deleteMany({ where: { groupId: id } });
    await tx.group.update({
      where: { id },
      data: {
        name: input.name,
        description: input.description,
        priority: input.priority,
        ldapMappings: { create: mappingRows(input) },
        settings: { create: input.settings.map(({ key, value }) => ({ key, value })) },
      },
    });
    return {
      before: {
        name: before.name,
        description: before.description,
        priority: before.priority,
        ldapDns: before.ldapMappings.map((mapping) => mappingLabel(mapping.dn, mapping.ldapConfig.name)).sort(),
        settingKeys: before.settings.map((setting) => setting.key).sort(),
      },
      after: {
        name: input.name,
        description: input.description,
        priority: input.priority,
        ldapDns: input.ldapMappings
          .map((mapping) => mappingLabel(mapping.dn, configNames.get(mapping.configId) ?? mapping.configId))
          .sort(),
        settingKeys: input.settings.map((setting) => setting.key).sort(),
      },
    };
  });
}

export type DeleteGroupOutcome =
  | { ok: true; name: string; memberships: number; ldapDns: string[] }
  | { ok: false; reason: "not_found" | "system_group"; name?: string };

/** Deletes a custom group (memberships, mappings and settings go with it); system groups stay. */
export async function deleteGroup(id: string): Promise<DeleteGroupOutcome> {
  return transaction(async (tx) => {
    const group = await tx.group.findUnique({
      where: { id },
      include: { ldapMappings: true, _count: { select: { memberships: true } } },
    });
    if (!group) return { ok: false, reason: "not_found" };
    if (group.systemKey) return { ok: false, reason: "system_group", name: group.name };
    await tx.group.delete({ where: { id } });
    return {
      ok: true,
      name: group.name,
      memberships: group._count.memberships,
      ldapDns: group.ldapMappings.map((mapping) => mapping.dn),
    };
  });
}

/** True for Prisma's unique-constraint violation (a concurrent save took the name or priority). */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}
