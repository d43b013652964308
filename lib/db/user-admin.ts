import "server-only";
import { adminChangeRefusal, type AdminRefusal } from "@/lib/auth/admin-rules";
import { db, transaction, type Tx } from "./client";
import { ENABLED_ADMINISTRATOR, groupsOfUser } from "./users";

/** User administration: the list, the detail page and the account changes an admin makes. */

const membershipSelect = {
  origin: true,
  group: { select: { id: true, name: true, priority: true, systemKey: true } },
} as const;

const userSelect = {
  id: true,
  username: true,
  email: true,
  displayName: true,
  source: true,
  disabled: true,
  directoryRefusal: true,
  directoryRefusalAt: true,
  lastLoginAt: true,
  createdAt: true,
  lastDn: true,
  ldapConfig: { select: { id: true, name: true } },
  memberships: { select: membershipSelect },
} as const;

function byGroupPriority<T extends { group: { priority: number }; origin: string }>(a: T, b: T) {
  return a.group.priority - b.group.priority || a.origin.localeCompare(b.origin);
}

/** Every user (password hashes never selected), memberships lowest priority number first. */
export async function listUsersForAdmin() {
  const users = await db().user.findMany({ orderBy: { username: "asc" }, select: userSelect });
  return users.map((user) => ({ ...user, memberships: [...user.memberships].sort(byGroupPriority) }));
}

export type UserListRow = Awaited<ReturnType<typeof listUsersForAdmin>>[number];

/** One user for the detail page, with the effective group list (All Users included). */
export async function findUserForAdmin(id: string) {
  const user = await db().user.findUnique({ where: { id }, select: userSelect });
  if (!user) return undefined;
  const groups = await groupsOfUser(id);
  return { ...user, memberships: [...user.memberships].sort(byGroupPriority), groups };
}

/** The fields an action needs to decide and to write its audit event. */
export async function findUserSummary(id: string) {
  return db().user.findUnique({ where: { id }, select: { id: true, username: true, source: true, disabled: true } });
}

export async function usernameTaken(username: string): Promise<boolean> {
  return (await db().user.count({ where: { username } })) > 0;
}

/** Only local accounts have a password here; LDAP passwords stay in the directory. */
export async function setLocalPassword(id: string, passwordHash: string): Promise<boolean> {
  const { count } = await db().user.updateMany({ where: { id, source: "local" }, data: { passwordHash } });
  return count > 0;
}

export type AdminChangeResult = { ok: true } | { ok: false; reason: "not_found" | AdminRefusal };

class AdminChangeRefused extends Error {
  constructor(readonly refusal: AdminRefusal) {
    super(refusal);
  }
}

/**
 * Applies `write` (false: nothing matched) and re-counts enabled administrators in the same
 * transaction, rolling back a refused change. Transactions run one at a time, so two
 * administrators demoting each other at once are decided in turn: the second finds none left.
 */
async function changeKeepingAnAdministrator(
  targetId: string,
  actorId: string,
  write: (tx: Tx) => Promise<boolean>,
): Promise<AdminChangeResult> {
  try {
    return await transaction(async (tx) => {
      const isAdministrator = async () =>
        (await tx.user.count({ where: { id: targetId, ...ENABLED_ADMINISTRATOR } })) > 0;
      const targetWasAdministrator = await isAdministrator();
      if (!(await write(tx))) return { ok: false as const, reason: "not_found" as const };
      const refusal = adminChangeRefusal({
        bySelf: targetId === actorId,
        targetWasAdministrator,
        targetIsAdministrator: await isAdministrator(),
        enabledAdministrators: await tx.user.count({ where: ENABLED_ADMINISTRATOR }),
      });
      if (refusal) throw new AdminChangeRefused(refusal);
      return { ok: true as const };
    });
  } catch (error) {
    if (error instanceof AdminChangeRefused) return { ok: false, reason: error.refusal };
    throw error;
  }
}

export async function setUserDisabled(id: string, disabled: boolean, actorId: string): Promise<AdminChangeResult> {
  return changeKeepingAnAdministrator(id, actorId, async (tx) => {
    if ((await tx.user.updateMany({ where: { id }, data: { disabled } })).count === 0) return false;
    // Disabling ends the sessions: enabling again later must not bring them back.
    if (disabled) await tx.session.deleteMany({ where: { userId: id } });
    return true;
  });
}

/** Deletes the account; its memberships go with it (cascade). */
export async function deleteUser(id: string, actorId: string): Promise<AdminChangeResult> {
  return changeKeepingAnAdministrator(
    id,
    actorId,
    async (tx) => (await tx.user.deleteMany({ where: { id } })).count > 0,
  );
}

export async function findGroupSummary(id: string) {
  return db().group.findUnique({ where: { id }, select: { id: true, name: true, systemKey: true } });
}

/** Removes the manual membership only; an LDAP-synced one is managed by the directory. */
export async function removeManualMembership(
  userId: string,
  groupId: string,
  actorId: string,
): Promise<AdminChangeResult> {
  return changeKeepingAnAdministrator(
    userId,
    actorId,
    async (tx) => (await tx.groupMembership.deleteMany({ where: { userId, groupId, origin: "manual" } })).count > 0,
  );
}

export async function hasManualMembership(userId: string, groupId: string): Promise<boolean> {
  return (await db().groupMembership.count({ where: { userId, groupId, origin: "manual" } })) > 0;
}
