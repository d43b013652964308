import "server-only";
import { decryptSecret, encryptSecret } from "@/lib/crypto";
import { LDAP_CONFIG_DEFAULTS, toLdapConfig, type LdapConfig, type LdapConfigInput } from "@/lib/ldap/config";
import { nameConfiguration } from "@/lib/observability/configuration-names";
import { db, transaction } from "./client";
import { ENABLED_ADMINISTRATOR } from "./users";

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

export async function findLdapConfigByName(name: string) {
  return db().ldapConfig.findUnique({ where: { name } });
}

/** True when a service account password is stored, without reading it. */
export async function hasStoredSecret(id: string): Promise<boolean> {
  const count = await db().ldapConfig.count({ where: { id, serviceAccountPasswordEncrypted: { not: null } } });
  return count > 0;
}

type StoredConfig = NonNullable<Awaited<ReturnType<typeof findLdapConfig>>>;

/** A stored row as the form edits it; the secret stays out (the form's password field is empty). */
export function toLdapConfigInput(row: StoredConfig): LdapConfigInput {
  const entries = Object.keys(LDAP_CONFIG_DEFAULTS).map((field) => [
    field,
    row[field as keyof StoredConfig] ?? LDAP_CONFIG_DEFAULTS[field as keyof LdapConfigInput],
  ]);
  return { ...(Object.fromEntries(entries) as LdapConfigInput), serviceAccountPassword: "" };
}

/** Turns a stored row plus its (decrypted) secret into what the engine takes, named for its metrics. */
export function toEngineConfig(row: StoredConfig, serviceAccountPassword: string): LdapConfig {
  const config = toLdapConfig({ ...toLdapConfigInput(row), serviceAccountPassword });
  nameConfiguration(config, row.name);
  return config;
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

/**
 * What is stored of a configuration's values (left-out fields take the schema's defaults, which
 * the Prisma model repeats); the password goes in encrypted beside it.
 */
export type LdapConfigData = Pick<LdapConfigInput, "name" | "url" | "searchBase" | "searchFilter"> &
  Partial<Omit<LdapConfigInput, "serviceAccountPassword">>;

export async function createLdapConfig(data: LdapConfigData, serviceAccountPassword: string) {
  return db().ldapConfig.create({
    data: {
      ...data,
      serviceAccountPasswordEncrypted: serviceAccountPassword ? encryptSecret(serviceAccountPassword) : null,
    },
  });
}

/** `serviceAccountPassword` undefined keeps the stored secret; "" clears it. */
export async function updateLdapConfig(
  id: string,
  data: Partial<LdapConfigData>,
  serviceAccountPassword: string | undefined,
) {
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
  await db().ldapConfig.update({
    where: { id },
    data: { lastTestAt: new Date(), lastTestOk: ok, lastTestSummary: summary },
  });
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
      await tx.session.deleteMany({ where: { user: { ldapConfigId: id } } });
      await tx.groupMembership.deleteMany({ where: { origin: "ldap", user: { ldapConfigId: id } } });
      await tx.ldapConfig.delete({ where: { id } });
      if (administratorsBefore > 0 && (await tx.user.count({ where: ENABLED_ADMINISTRATOR })) === 0)
        throw new WouldLeaveNoAdministrator();
      return { ok: true as const, disabledUsers: count };
    });
  } catch (error) {
    if (error instanceof WouldLeaveNoAdministrator) return { ok: false, reason: "last_administrator" };
    throw error;
  }
}
