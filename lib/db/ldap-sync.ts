import "server-only";
import { normalizeDn } from "@/lib/ldap/dn";
import { databaseProvider, db, transaction } from "./client";
import { Prisma } from "./generated/client";
import { SYSTEM_GROUPS } from "./groups";
import type { SignInSettings } from "./sign-in-settings";
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

/**
 * The returning user whose LDAP groups did not change: one statement that refreshes its
 * attributes and lastLoginAt and returns its memberships; the groups come from the cached sign-in
 * settings. Undefined when anything else has to happen (a new or disabled user, a username held by
 * someone else, memberships to add or remove, a group newer than the cached settings): the
 * transaction does it, and writes the same attributes again.
 */
async function recordUnchangedLogin(
  record: LdapLoginRecord,
  settings: SignInSettings,
): Promise<LdapSyncResult | undefined> {
  const listMemberships =
    databaseProvider() === "postgresql"
      ? Prisma.sql`string_agg(gm."groupId" || ' ' || gm."origin", ',')`
      : Prisma.sql`group_concat(gm."groupId" || ' ' || gm."origin", ',')`;
  const [user] = await db().$queryRaw<{ id: string; memberships: string | null }[]>`
    UPDATE "User" SET "username" = ${record.username}, "email" = ${record.email ?? null},
      "displayName" = ${record.displayName ?? null}, "lastDn" = ${record.dn}, "lastLoginAt" = ${new Date()},
      "directoryRefusal" = NULL, "directoryRefusalAt" = NULL
    WHERE "ldapConfigId" = ${record.configId} AND "directoryId" = ${record.directoryId} AND "disabled" = false
      AND NOT EXISTS (SELECT 1 FROM "User" AS "holder"
        WHERE "holder"."username" = ${record.username} AND "holder"."id" <> "User"."id")
    RETURNING "id", (SELECT ${listMemberships} FROM "GroupMembership" AS gm WHERE gm."userId" = "User"."id") AS "memberships"`;
  if (!user) return undefined;
  const memberships = (user.memberships ?? "")
    .split(",")
    .filter(Boolean)
    .map((entry) => {
      const [groupId = "", origin] = entry.split(" ");
      return { groupId, origin };
    });
  const target = settings.mappedGroupIds(record.configId, record.groupDns);
  const ldapGroups = new Set(memberships.flatMap(({ groupId, origin }) => (origin === "ldap" ? [groupId] : [])));
  const unconfirmed = [...ldapGroups].filter((groupId) => !target.has(groupId));
  if ((record.groupsComplete && unconfirmed.length > 0) || [...target].some((groupId) => !ldapGroups.has(groupId)))
    return undefined;
  const allUsers = [...settings.groups].find(([, group]) => group.systemKey === SYSTEM_GROUPS.allUsers.systemKey);
  const groupIds = [...new Set([...(allUsers ? [allUsers[0]] : []), ...memberships.map(({ groupId }) => groupId)])];
  const groups = groupIds.map((id) => ({ id, ...settings.groups.get(id) }));
  if (groups.some((group) => group.priority === undefined)) return undefined;
  groups.sort((a, b) => a.priority! - b.priority!);
  return {
    ok: true,
    userId: user.id,
    created: false,
    added: [],
    removed: [],
    keptUnconfirmed: record.groupsComplete ? [] : unconfirmed.map((id) => settings.groups.get(id)?.name ?? id),
    claims: {
      role: groups.some((group) => group.systemKey === SYSTEM_GROUPS.administrators.systemKey) ? "admin" : "user",
      groupIds: groups.map((group) => group.id),
    },
  };
}

/**
 * Records a successful LDAP login in one transaction: find or create the app user by
 * (configuration, directory id), refresh its attributes, and make its LDAP-origin memberships
 * exactly the mapped groups. Manual memberships are never touched. Concurrent logins of the
 * same new user collide on the unique keys; the loser retries and finds the user.
 */
export async function recordLdapLogin(record: LdapLoginRecord, settings: SignInSettings): Promise<LdapSyncResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      const unchanged = await recordUnchangedLogin(record, settings);
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
          // The directory just admitted the user: a refusal recorded by the sync is over.
          directoryRefusal: null,
          directoryRefusalAt: null,
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
