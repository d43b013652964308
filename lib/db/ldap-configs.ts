import "server-only";
import { decryptSecret, encryptSecret } from "@/lib/crypto";
import type { LdapConfig } from "@/lib/ldap/config";
import { db, transaction } from "./client";
import { ENABLED_ADMINISTRATOR } from "./users";
import type { Prisma } from "./generated/client";

/** The stored row without its secret (Prisma's omit keeps the ciphertext out by default). */
export type LdapConfigRow = Awaited<ReturnType<typeof listLdapConfigs>>[number];

export async function listLdapConfigs() {
  return db().ldapConfig.findMany({
    orderBy: [{ displayOrder: "asc" }, { name: "asc" }],
    include: { _count: { select: { users: true } } },
  });
}

/** The enabled configurations in routing order, for the sign-in hot path (no counts, no joins). */
export async function listEnabledLdapConfigs() {
  return db().ldapConfig.findMany({ where: { enabled: true }, orderBy: [{ displayOrder: "asc" }, { name: "asc" }] });
}

export async function findLdapConfig(id: string) {
  return db().ldapConfig.findUnique({ where: { id } });
}

/** True when a service account password is stored, without reading it. */
export async function hasStoredSecret(id: string): Promise<boolean> {
  const count = await db().ldapConfig.count({ where: { id, serviceAccountPasswordEncrypted: { not: null } } });
  return count > 0;
}

export function splitList(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((part) => part.trim())
    .filter(Boolean);
}

type StoredConfig = NonNullable<Awaited<ReturnType<typeof findLdapConfig>>>;

/** Turns a stored row plus its (decrypted) secret into what the engine takes. */
export function toEngineConfig(row: StoredConfig, serviceAccountPassword: string): LdapConfig {
  return {
    id: row.id,
    url: row.url,
    failoverUrls: splitList(row.failoverUrls),
    searchBase: row.searchBase,
    searchFilter: row.searchFilter,
    groupMembershipFilter: row.groupMembershipFilter,
    emailAttribute: row.emailAttribute,
    serviceAccountDn: row.serviceAccountDn,
    serviceAccountPassword,
    searchSubtree: row.searchSubtree,
    startTls: row.startTls,
    verifyCertificate: row.verifyCertificate,
    caCertificate: row.caCertificate ?? undefined,
    connectTimeoutMs: row.connectTimeoutMs,
    operationTimeoutMs: row.operationTimeoutMs,
    nestedGroups: row.nestedGroups,
    nestedGroupsCacheSeconds: row.nestedGroupsCacheSeconds,
    requiredGroupDn: row.requiredGroupDn || undefined,
  };
}

/** Reads the stored secret: only the engine's callers in lib/ ask for it, never a page. */
export async function storedServicePassword(id: string): Promise<string> {
  const row = await db().ldapConfig.findUnique({ where: { id }, select: { serviceAccountPasswordEncrypted: true } });
  return row?.serviceAccountPasswordEncrypted ? decryptSecret(row.serviceAccountPasswordEncrypted) : "";
}

/** The engine's view of a stored configuration, secret included. */
export async function engineConfigFor(id: string): Promise<LdapConfig | undefined> {
  const row = await findLdapConfig(id);
  if (!row) return undefined;
  return toEngineConfig(row, await storedServicePassword(id));
}

export type LdapConfigData = Omit<Prisma.LdapConfigUncheckedCreateInput, "id" | "serviceAccountPasswordEncrypted" | "createdAt" | "updatedAt">;

export async function createLdapConfig(data: LdapConfigData, serviceAccountPassword: string) {
  return db().ldapConfig.create({
    data: { ...data, serviceAccountPasswordEncrypted: serviceAccountPassword ? encryptSecret(serviceAccountPassword) : null },
  });
}

/** `serviceAccountPassword` undefined keeps the stored secret; "" clears it. */
export async function updateLdapConfig(id: string, data: Partial<LdapConfigData>, serviceAccountPassword: string | undefined) {
  return db().ldapConfig.update({
    where: { id },
    data: {
      ...data,
      ...(serviceAccountPassword === undefined
        ? {}
        : { serviceAccountPasswordEncrypted: serviceAccountPassword ? encryptSecret(serviceAccountPassword) : null }),
    },
  });
}

export async function setLdapConfigEnabled(id: string, enabled: boolean) {
  return db().ldapConfig.update({ where: { id }, data: { enabled } });
}

export async function recordLdapTest(id: string, ok: boolean, summary: string) {
  await db().ldapConfig.update({ where: { id }, data: { lastTestAt: new Date(), lastTestOk: ok, lastTestSummary: summary } });
}

export type DeleteLdapConfigResult = { ok: true; disabledUsers: number } | { ok: false; reason: "last_administrator" };

class WouldLeaveNoAdministrator extends Error {}

/**
 * Deletes a configuration. Its users stay (with their manual groups) but are disabled and
 * detached: they can no longer sign in until an administrator decides what to do with them.
 * Refused, in the same transaction, when that would leave no enabled administrator.
 */
export async function deleteLdapConfig(id: string): Promise<DeleteLdapConfigResult> {
  try {
    return await transaction(async (tx) => {
      const administratorsBefore = await tx.user.count({ where: ENABLED_ADMINISTRATOR });
      const { count } = await tx.user.updateMany({ where: { ldapConfigId: id }, data: { disabled: true } });
      await tx.groupMembership.deleteMany({ where: { origin: "ldap", user: { ldapConfigId: id } } });
      await tx.ldapConfig.delete({ where: { id } });
      if (administratorsBefore > 0 && (await tx.user.count({ where: ENABLED_ADMINISTRATOR })) === 0) throw new WouldLeaveNoAdministrator();
      return { ok: true as const, disabledUsers: count };
    });
  } catch (error) {
    if (error instanceof WouldLeaveNoAdministrator) return { ok: false, reason: "last_administrator" };
    throw error;
  }
}
