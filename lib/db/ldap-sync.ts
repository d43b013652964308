import "server-only";
import { normalizeDn } from "@/lib/ldap/dn";
import { db, transaction } from "./client";
import { SYSTEM_GROUPS } from "./groups";

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
  | { ok: true; userId: string; created: boolean; added: string[]; removed: string[]; keptUnconfirmed: string[] }
  | { ok: false; reason: "auto_create_disabled" | "user_disabled" | "username_taken" };

function isRetryable(error: unknown): boolean {
  const text =
    String((error as { code?: string; message?: string })?.code ?? "") + String((error as Error)?.message ?? "");
  return /P2002|P2034|SQLITE_BUSY|database is locked|Unique constraint/i.test(text);
}

/**
 * Records a successful LDAP login in one transaction: find or create the app user by
 * (configuration, directory id), refresh its attributes, and make its LDAP-origin memberships
 * exactly the mapped groups. Manual memberships are never touched. Concurrent logins of the
 * same new user collide on the unique keys; the loser retries and finds the user.
 */
export async function recordLdapLogin(record: LdapLoginRecord): Promise<LdapSyncResult> {
  const targetGroups = await appGroupsForDns(record.configId, record.groupDns);
  for (let attempt = 1; ; attempt++) {
    try {
      return await transaction(async (tx) => {
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
    } catch (error) {
      if (attempt >= 8 || !isRetryable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 20));
    }
  }
}
