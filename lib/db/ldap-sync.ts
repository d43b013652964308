import "server-only";
import { normalizeDn } from "@/lib/ldap/dn";
import { db, transaction } from "./client";
import { Prisma } from "./generated/client";
import { SYSTEM_GROUPS } from "./groups";
import { sessionClaims, type Role } from "./users";

/**
 * App groups whose LDAP Group DN, mapped for configuration `configId`, matches one of `dns`
 * (compared in RFC 4514 normal form). Another configuration's mappings never count: a second
 * directory returning the same DN must not hand out this group.
 */
export async function appGroupsForDns(configId: string, dns: string[]) {
  const normalized = [
    ...new Set(dns.map((dn) => normalizeDn(dn)).flatMap((result) => (result.ok ? [result.value] : []))),
  ];
  if (normalized.length === 0) return [];
  const mappings = await db().groupLdapMapping.findMany({
    where: { ldapConfigId: configId, dnNormalized: { in: normalized } },
    include: { group: { include: { settings: true } } },
  });
  const groups = new Map(mappings.map((mapping) => [mapping.groupId, { ...mapping.group, matchedDn: mapping.dn }]));
  return [...groups.values()].sort((a, b) => a.priority - b.priority);
}

/**
 * What a directory user with these group DNs gets: All Users plus the groups mapped for
 * `configId` (none for a configuration not saved yet), lowest priority number first.
 */
export async function appGroupsForDirectoryUser(configId: string | undefined, dns: string[]) {
  const allUsers = await db().group.findUniqueOrThrow({
    where: { systemKey: SYSTEM_GROUPS.allUsers.systemKey },
    include: { settings: true },
  });
  const mapped = configId ? await appGroupsForDns(configId, dns) : [];
  return [{ ...allUsers, matchedDn: null as string | null }, ...mapped].sort((a, b) => a.priority - b.priority);
}

export interface LdapLoginRecord {
  configId: string;
  autoCreate: boolean;
  directoryId: string;
  dn: string;
  username: string;
  email: string | undefined;
  displayName: string | undefined;
  groupDns: string[];
  /**
   * False when the directory's answer was cut short (size limit, depth cap…): `groupDns` is
   * then what was confirmed, and memberships it does not confirm are kept, not removed.
   */
  groupsComplete: boolean;
}

export type LdapSyncResult =
  | {
      ok: true;
      userId: string;
      created: boolean;
      added: string[];
      removed: string[];
      keptUnconfirmed: string[];
      /** The signed-in user's role and groups (All Users included), lowest priority number first. */
      claims: { role: Role; groupIds: string[] };
    }
  | { ok: false; reason: "auto_create_disabled" | "user_disabled" | "username_taken" };

function isRetryable(error: unknown): boolean {
  const text =
    String((error as { code?: string; message?: string })?.code ?? "") + String((error as Error)?.message ?? "");
  return /P2002|P2034|SQLITE_BUSY|database is locked|Unique constraint/i.test(text);
}

/** A group the login's DNs map to (`mapped`), or All Users (the implicit group, for the claims). */
interface GroupRow {
  id: string;
  name: string;
  priority: number;
  systemKey: string | null;
  mapped: unknown;
}

/** One row per membership (or one with null group columns) of each user the login may be. */
interface UserRow {
  id: string;
  username: string;
  disabled: unknown;
  ldapConfigId: string | null;
  directoryId: string | null;
  groupId: string | null;
  origin: string | null;
  groupPriority: number | null;
  groupSystemKey: string | null;
}

/** SQLite returns booleans and small numbers as integers (or bigints), PostgreSQL as themselves. */
const truthy = (value: unknown) => value === true || value === 1 || value === 1n || value === "1";

/**
 * All Users and the groups mapped for `configId` to one of `dns`, in one statement. A group
 * whose mapping matches is `mapped` (All Users too, when someone mapped it).
 */
async function groupsForLogin(configId: string, dns: string[]): Promise<GroupRow[]> {
  const normalized = [
    ...new Set(dns.map((dn) => normalizeDn(dn)).flatMap((result) => (result.ok ? [result.value] : []))),
  ];
  const mapped =
    normalized.length === 0
      ? Prisma.sql`1 = 0`
      : Prisma.sql`g."id" IN (SELECT m."groupId" FROM "GroupLdapMapping" m
          WHERE m."ldapConfigId" = ${configId} AND m."dnNormalized" IN (${Prisma.join(normalized)}))`;
  return db().$queryRaw<GroupRow[]>`
    SELECT g."id", g."name", g."priority", g."systemKey", CASE WHEN ${mapped} THEN 1 ELSE 0 END AS "mapped"
    FROM "Group" g
    WHERE g."systemKey" = ${SYSTEM_GROUPS.allUsers.systemKey} OR ${mapped}`;
}

/**
 * The user this directory entry signed in as before and whoever holds the login's username, with
 * their memberships and those groups' priority and system key: one statement.
 */
async function usersForLogin(record: LdapLoginRecord): Promise<UserRow[]> {
  return db().$queryRaw<UserRow[]>`
    SELECT u."id", u."username", u."disabled", u."ldapConfigId", u."directoryId",
      gm."groupId", gm."origin", g."priority" AS "groupPriority", g."systemKey" AS "groupSystemKey"
    FROM "User" u
    LEFT JOIN "GroupMembership" gm ON gm."userId" = u."id"
    LEFT JOIN "Group" g ON g."id" = gm."groupId"
    WHERE (u."ldapConfigId" = ${record.configId} AND u."directoryId" = ${record.directoryId})
      OR u."username" = ${record.username}`;
}

/**
 * The returning user whose LDAP groups did not change: two reads and one write (its attributes
 * and lastLoginAt), no transaction. Undefined when anything else has to happen (a new user,
 * memberships to add or remove, a disable or delete that raced the reads): the transaction does it.
 */
async function recordUnchangedLogin(record: LdapLoginRecord): Promise<LdapSyncResult | undefined> {
  const [groups, rows] = await Promise.all([groupsForLogin(record.configId, record.groupDns), usersForLogin(record)]);
  const own = rows.filter((row) => row.ldapConfigId === record.configId && row.directoryId === record.directoryId);
  const user = own[0];
  if (!user) return undefined;
  if (truthy(user.disabled)) return { ok: false, reason: "user_disabled" };
  if (rows.some((row) => row.username === record.username && row.id !== user.id))
    return { ok: false, reason: "username_taken" };
  const ldapGroups = new Set(own.flatMap((row) => (row.origin === "ldap" && row.groupId ? [row.groupId] : [])));
  const target = groups.filter((group) => truthy(group.mapped));
  const unconfirmed = [...ldapGroups].filter((groupId) => !target.some((group) => group.id === groupId));
  if ((record.groupsComplete && unconfirmed.length > 0) || target.some((group) => !ldapGroups.has(group.id)))
    return undefined;
  const { count } = await db().user.updateMany({
    where: { id: user.id, disabled: false },
    data: {
      username: record.username,
      email: record.email ?? null,
      displayName: record.displayName ?? null,
      lastDn: record.dn,
      lastLoginAt: new Date(),
    },
  });
  if (count === 0) return undefined;
  const allUsers = groups.find((group) => group.systemKey === SYSTEM_GROUPS.allUsers.systemKey);
  const byId = new Map<string, { priority: number; systemKey: string | null }>();
  if (allUsers) byId.set(allUsers.id, { priority: Number(allUsers.priority), systemKey: allUsers.systemKey });
  for (const row of own)
    if (row.groupId) byId.set(row.groupId, { priority: Number(row.groupPriority), systemKey: row.groupSystemKey });
  const ordered = [...byId.entries()].sort(([, a], [, b]) => a.priority - b.priority);
  const unconfirmedNames = await namesOf(unconfirmed, record.groupsComplete);
  return {
    ok: true,
    userId: user.id,
    created: false,
    added: [],
    removed: [],
    keptUnconfirmed: unconfirmedNames,
    claims: {
      role: ordered.some(([, group]) => group.systemKey === SYSTEM_GROUPS.administrators.systemKey) ? "admin" : "user",
      groupIds: ordered.map(([id]) => id),
    },
  };
}

/** Names of the memberships a partial answer did not confirm (kept, and reported in the audit). */
async function namesOf(groupIds: string[], groupsComplete: boolean): Promise<string[]> {
  if (groupsComplete || groupIds.length === 0) return [];
  const rows = await db().group.findMany({ where: { id: { in: groupIds } }, select: { id: true, name: true } });
  return groupIds.map((id) => rows.find((row) => row.id === id)?.name ?? id);
}

/**
 * Records a successful LDAP login in one transaction: find or create the app user by
 * (configuration, directory id), refresh its attributes, and make its LDAP-origin memberships
 * exactly the mapped groups. Manual memberships are never touched. Concurrent logins of the
 * same new user collide on the unique keys; the loser retries and finds the user.
 */
export async function recordLdapLogin(record: LdapLoginRecord): Promise<LdapSyncResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      const unchanged = await recordUnchangedLogin(record);
      if (unchanged) return unchanged;
      const targetGroups = await appGroupsForDns(record.configId, record.groupDns);
      const synced = await transaction(async (tx) => {
        let user = await tx.user.findUnique({
          where: { ldapConfigId_directoryId: { ldapConfigId: record.configId, directoryId: record.directoryId } },
        });
        if (user?.disabled) return { ok: false as const, reason: "user_disabled" as const };
        const holder = await tx.user.findUnique({ where: { username: record.username }, select: { id: true } });
        if (holder && holder.id !== user?.id) return { ok: false as const, reason: "username_taken" as const };

        let created = false;
        const attributes = {
          username: record.username,
          email: record.email ?? null,
          displayName: record.displayName ?? null,
          lastDn: record.dn,
          lastLoginAt: new Date(),
        };
        if (!user) {
          if (!record.autoCreate) return { ok: false as const, reason: "auto_create_disabled" as const };
          user = await tx.user.create({
            data: { ...attributes, source: "ldap", ldapConfigId: record.configId, directoryId: record.directoryId },
          });
          created = true;
        } else {
          user = await tx.user.update({ where: { id: user.id }, data: attributes });
        }

        const current = await tx.groupMembership.findMany({
          where: { userId: user.id, origin: "ldap" },
          include: { group: { select: { name: true } } },
        });
        const target = new Set(targetGroups.map((group) => group.id));
        const unconfirmed = current.filter((membership) => !target.has(membership.groupId));
        const stale = record.groupsComplete ? unconfirmed : [];
        const missing = targetGroups.filter((group) => !current.some((membership) => membership.groupId === group.id));
        if (stale.length > 0) {
          await tx.groupMembership.deleteMany({
            where: { userId: user.id, origin: "ldap", groupId: { in: stale.map((m) => m.groupId) } },
          });
        }
        for (const group of missing) {
          await tx.groupMembership.create({ data: { userId: user.id, groupId: group.id, origin: "ldap" } });
        }
        return {
          ok: true as const,
          userId: user.id,
          created,
          added: missing.map((group) => group.name),
          removed: stale.map((membership) => membership.group.name),
          keptUnconfirmed: record.groupsComplete ? [] : unconfirmed.map((membership) => membership.group.name),
        };
      });
      return synced.ok ? { ...synced, claims: await sessionClaims(synced.userId) } : synced;
    } catch (error) {
      if (attempt >= 8 || !isRetryable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 20));
    }
  }
}
