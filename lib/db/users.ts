import "server-only";
import { db } from "./client";
import { SYSTEM_GROUPS } from "./groups";

export type UserSource = "local" | "ldap";
export type Role = "admin" | "user";

export function normalizeUsername(raw: string): string {
  return raw.trim().toLowerCase();
}

/** In Administrators by any origin (manual or LDAP mapping), disabled or not. */
export const ADMINISTRATOR = {
  memberships: { some: { group: { systemKey: SYSTEM_GROUPS.administrators.systemKey } } },
} as const;

/** Neither disabled by an administrator nor refused by the directory sync. */
export const ACTIVE_ACCOUNT = { disabled: false, directoryRefusal: null } as const;

/** Active and in Administrators by any origin: who can use the admin area. */
export const ENABLED_ADMINISTRATOR = { ...ACTIVE_ACCOUNT, ...ADMINISTRATOR } as const;

export async function anyAdministratorExists(): Promise<boolean> {
  return (await db().user.count({ where: ADMINISTRATOR })) > 0;
}

export async function findUserByUsername(username: string) {
  return db().user.findUnique({ where: { username: normalizeUsername(username) } });
}

export async function createLocalUser(input: { username: string; passwordHash: string; email?: string }) {
  return db().user.create({
    data: {
      username: normalizeUsername(input.username),
      passwordHash: input.passwordHash,
      email: input.email ?? null,
      source: "local",
    },
  });
}

export async function addManualMembership(userId: string, groupId: string): Promise<void> {
  await db().groupMembership.upsert({
    where: { userId_groupId_origin: { userId, groupId, origin: "manual" } },
    create: { userId, groupId, origin: "manual" },
    update: {},
  });
}

export async function touchLastLogin(userId: string): Promise<void> {
  await db().user.update({ where: { id: userId }, data: { lastLoginAt: new Date() } });
}

/**
 * The groups a user is in, lowest priority number first. "All Users" is implicit: every user
 * is a member without a stored row, so no sync can ever drop it.
 */
export async function groupsOfUser(userId: string) {
  const [allUsers, memberships] = await Promise.all([
    db().group.findUniqueOrThrow({
      where: { systemKey: SYSTEM_GROUPS.allUsers.systemKey },
      include: { settings: true },
    }),
    db().groupMembership.findMany({ where: { userId }, include: { group: { include: { settings: true } } } }),
  ]);
  const byId = new Map<string, typeof allUsers & { origins: string[] }>();
  byId.set(allUsers.id, { ...allUsers, origins: ["implicit"] });
  for (const membership of memberships) {
    const existing = byId.get(membership.groupId);
    if (existing) existing.origins.push(membership.origin);
    else byId.set(membership.groupId, { ...membership.group, origins: [membership.origin] });
  }
  return [...byId.values()].sort((a, b) => a.priority - b.priority);
}

/** The signed-in user's role and group ids, as the sign-in result reports them. */
export async function sessionClaims(userId: string): Promise<{ role: Role; groupIds: string[] }> {
  const groups = await groupsOfUser(userId);
  const isAdmin = groups.some((group) => group.systemKey === SYSTEM_GROUPS.administrators.systemKey);
  return { role: isAdmin ? "admin" : "user", groupIds: groups.map((group) => group.id) };
}

export async function profileOf(userId: string) {
  const user = await db().user.findUnique({
    where: { id: userId },
    select: {
      id: true,
      username: true,
      email: true,
      displayName: true,
      source: true,
      lastLoginAt: true,
      ldapConfig: { select: { name: true } },
    },
  });
  if (!user) return undefined;
  return { user, groups: await groupsOfUser(userId) };
}
