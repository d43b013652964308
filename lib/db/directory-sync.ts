import "server-only";
import type { DirectoryRefusal, SyncedUser, SyncPlan, UserChange } from "@/lib/directory-sync/plan";
import { db, transaction } from "./client";
import { Prisma } from "./generated/client";
import { groupsByDn } from "./mapping-index";

const SYNCED_USER = {
  id: true,
  username: true,
  directoryId: true,
  email: true,
  displayName: true,
  lastDn: true,
  directoryRefusal: true,
  memberships: { where: { origin: "ldap" }, select: { groupId: true } },
} as const;

type SyncedUserRow = Prisma.UserGetPayload<{ select: typeof SYNCED_USER }>;

function toSyncedUser({ memberships, directoryId, directoryRefusal, ...user }: SyncedUserRow): SyncedUser {
  return {
    ...user,
    directoryId: directoryId!,
    directoryRefusal: directoryRefusal as DirectoryRefusal | null,
    ldapGroupIds: memberships.map((membership) => membership.groupId),
  };
}

/** The configuration's app users the directory sync re-reads: every one with a directory id. */
export async function usersOfConfiguration(configId: string): Promise<SyncedUser[]> {
  const users = await db().user.findMany({
    where: { ldapConfigId: configId, directoryId: { not: null } },
    select: SYNCED_USER,
    orderBy: { username: "asc" },
  });
  return users.map(toSyncedUser);
}

/** One app user of the configuration, as the sync sees it; undefined when it has no directory id. */
export async function syncedUser(userId: string, configId: string): Promise<SyncedUser | undefined> {
  const user = await db().user.findFirst({
    where: { id: userId, ldapConfigId: configId, directoryId: { not: null } },
    select: SYNCED_USER,
  });
  return user ? toSyncedUser(user) : undefined;
}

/** The app groups mapped for this configuration, by the mapped DN's normal form. */
export async function mappedGroupsOf(configId: string): Promise<(groupDns: string[]) => Set<string>> {
  const mappings = await db().groupLdapMapping.findMany({
    where: { ldapConfigId: configId },
    select: { dnNormalized: true, groupId: true },
  });
  return groupsByDn(mappings);
}

export async function groupNames(): Promise<Map<string, string>> {
  const groups = await db().group.findMany({ select: { id: true, name: true } });
  return new Map(groups.map((group) => [group.id, group.name]));
}

/**
 * Applies a plan's changes in one transaction: access, attributes and LDAP-origin memberships
 * (manual ones untouched). All or nothing: a failure leaves every user as it was.
 */
export async function applySyncChanges(changes: UserChange[], now = new Date()): Promise<void> {
  await transaction(async (tx) => {
    for (const change of changes) {
      const data: Prisma.UserUpdateInput = {};
      if (change.disable) Object.assign(data, { directoryRefusal: change.disable, directoryRefusalAt: now });
      if (change.reenable) Object.assign(data, { directoryRefusal: null, directoryRefusalAt: null });
      if (change.email) data.email = change.email.to;
      if (change.displayName) data.displayName = change.displayName.to;
      if (change.dn && !change.disable) data.lastDn = change.dn;
      if (Object.keys(data).length > 0) await tx.user.update({ where: { id: change.userId }, data });
      // A refused user's sessions end now; re-enabled later, the user signs in afresh.
      if (change.disable) await tx.session.deleteMany({ where: { userId: change.userId } });
      if (change.groupsRemoved.length > 0)
        await tx.groupMembership.deleteMany({
          where: { userId: change.userId, origin: "ldap", groupId: { in: change.groupsRemoved } },
        });
      if (change.groupsAdded.length > 0)
        await tx.groupMembership.createMany({
          data: change.groupsAdded.map((groupId) => ({ userId: change.userId, groupId, origin: "ldap" })),
        });
    }
  });
}

export type SyncTrigger = "schedule" | "manual" | "preview" | "cli";
export type SyncOutcome = "applied" | "held" | "failed" | "preview";

export async function startSyncRun(configId: string, trigger: SyncTrigger) {
  return db().syncRun.create({ data: { ldapConfigId: configId, trigger } });
}

export async function finishSyncRun(
  id: string,
  outcome: SyncOutcome,
  { plan, reason }: { plan?: SyncPlan; reason?: string },
) {
  return db().syncRun.update({
    where: { id },
    data: {
      outcome,
      reason: reason ?? null,
      finishedAt: new Date(),
      usersChecked: plan?.usersChecked ?? 0,
      disabled: plan?.disabled ?? 0,
      reenabled: plan?.reenabled ?? 0,
      membershipChanges: plan?.membershipChanges ?? 0,
      plan: JSON.stringify(plan?.changes ?? []),
    },
  });
}

export async function listSyncRuns(configId: string, take = 50) {
  return db().syncRun.findMany({ where: { ldapConfigId: configId }, orderBy: { startedAt: "desc" }, take });
}

/** When the configuration's last scheduled or manual sync started (previews do not count). */
export async function lastSyncStart(configId: string): Promise<Date | undefined> {
  const run = await db().syncRun.findFirst({
    where: { ldapConfigId: configId, trigger: { not: "preview" } },
    orderBy: { startedAt: "desc" },
    select: { startedAt: true },
  });
  return run?.startedAt;
}

/**
 * Takes the configuration's sync lease for `holder` until `expiresAt`, in one statement: free,
 * lapsed (its instance died) or already this holder's. False when another instance holds it.
 */
export async function takeSyncLease(configId: string, holder: string, expiresAt: Date, now = new Date()) {
  const taken = await db().$queryRaw<{ holder: string }[]>`
    INSERT INTO "SyncLease" ("ldapConfigId", "holder", "expiresAt") VALUES (${configId}, ${holder}, ${expiresAt})
    ON CONFLICT ("ldapConfigId") DO UPDATE SET "holder" = ${holder}, "expiresAt" = ${expiresAt}
    WHERE "SyncLease"."expiresAt" < ${now} OR "SyncLease"."holder" = ${holder}
    RETURNING "holder"`;
  return taken.length > 0;
}

export async function releaseSyncLease(configId: string, holder: string) {
  await db().syncLease.deleteMany({ where: { ldapConfigId: configId, holder } });
}
