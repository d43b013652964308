import "server-only";
import { decryptSecret, encryptSecret, SecretDecryptionError } from "@/lib/crypto";
import type { LdapConfigInput } from "@/lib/ldap/config";
import { db, transaction } from "./client";
import { toLdapConfigInput } from "./ldap-configs";

/**
 * The configuration document's reads and writes (lib/config-document): every LDAP configuration
 * and group as an export or an import plan needs them, and an import's changes in one transaction.
 */

/** A configuration's stored fields: everything its form sets but the password. */
export type StoredConfigValues = Omit<LdapConfigInput, "serviceAccountPassword">;

export interface StoredConfiguration {
  id: string;
  values: StoredConfigValues;
  /** Whether a service account password is stored (never the password). */
  hasPassword: boolean;
}

export interface StoredGroup {
  id: string;
  name: string;
  description: string;
  priority: number;
  systemKey: string | null;
  ldapMappings: { configId: string; configName: string; dn: string }[];
  settings: { key: string; value: string }[];
}

export interface ConfigDocumentState {
  /** In routing order (Display Order, then name). */
  configs: StoredConfiguration[];
  /** Lowest priority number first. */
  groups: StoredGroup[];
}

/** Every configuration and group, as an export writes them and an import compares with them. */
export async function readConfigDocumentState(): Promise<ConfigDocumentState> {
  const [configs, withPassword, groups] = await Promise.all([
    db().ldapConfig.findMany({ orderBy: [{ displayOrder: "asc" }, { name: "asc" }] }),
    db().ldapConfig.findMany({ where: { serviceAccountPasswordEncrypted: { not: null } }, select: { id: true } }),
    db().group.findMany({
      orderBy: { priority: "asc" },
      include: {
        ldapMappings: { orderBy: { dn: "asc" }, include: { ldapConfig: { select: { name: true } } } },
        settings: { orderBy: { key: "asc" } },
      },
    }),
  ]);
  const hasPassword = new Set(withPassword.map((config) => config.id));
  return {
    configs: configs.map((row) => {
      const { serviceAccountPassword, ...values } = toLdapConfigInput(row);
      void serviceAccountPassword;
      return { id: row.id, values, hasPassword: hasPassword.has(row.id) };
    }),
    groups: groups.map((group) => ({
      id: group.id,
      name: group.name,
      description: group.description,
      priority: group.priority,
      systemKey: group.systemKey,
      ldapMappings: group.ldapMappings.map((mapping) => ({
        configId: mapping.ldapConfigId,
        configName: mapping.ldapConfig.name,
        dn: mapping.dn,
      })),
      settings: group.settings.map(({ key, value }) => ({ key, value })),
    })),
  };
}

/**
 * The stored service account passwords of these configurations, decrypted, for an import to
 * compare with the ones it was given: null when none is stored or the key cannot decrypt it.
 */
export async function storedServicePasswords(ids: string[]): Promise<Map<string, string | null>> {
  const rows = await db().ldapConfig.findMany({
    where: { id: { in: ids } },
    select: { id: true, serviceAccountPasswordEncrypted: true },
  });
  return new Map(
    rows.map((row) => {
      if (!row.serviceAccountPasswordEncrypted) return [row.id, null];
      try {
        return [row.id, decryptSecret(row.serviceAccountPasswordEncrypted)];
      } catch (error) {
        if (!(error instanceof SecretDecryptionError)) throw error;
        return [row.id, null];
      }
    }),
  );
}

/** A configuration an import creates (no id) or updates; `password` undefined keeps the stored one. */
export interface ConfigWrite {
  id?: string;
  values: StoredConfigValues;
  password?: string;
}

/**
 * A group an import creates (no id) or updates. A built-in group keeps its name, description and
 * priority (they are left out); mappings and settings replace the group's own.
 */
export interface GroupWrite {
  id?: string;
  fields?: { name: string; description: string; priority: number };
  /** `configuration`: the configuration's name once the import's configurations are written. */
  ldapMappings: { configuration: string; dn: string; dnNormalized: string }[];
  settings: { key: string; value: string }[];
}

/**
 * Writes an import in one transaction: configurations first (group mappings name them), then
 * groups. Priorities that move are parked below zero first, so groups may trade priorities.
 * A concurrent write of the same name surfaces as Prisma's unique-constraint error (P2002).
 */
export async function applyConfigDocumentWrites(writes: { configs: ConfigWrite[]; groups: GroupWrite[] }) {
  await transaction(async (tx) => {
    for (const config of writes.configs) {
      const secret =
        config.password === undefined
          ? {}
          : { serviceAccountPasswordEncrypted: config.password ? encryptSecret(config.password) : null };
      if (config.id) await tx.ldapConfig.update({ where: { id: config.id }, data: { ...config.values, ...secret } });
      else await tx.ldapConfig.create({ data: { ...config.values, ...secret } });
    }
    const configIds = new Map(
      (await tx.ldapConfig.findMany({ select: { id: true, name: true } })).map((config) => [config.name, config.id]),
    );
    const configId = (name: string) => {
      const id = configIds.get(name);
      // The plan resolved every mapping's configuration; reaching this is a bug.
      if (!id) throw new Error(`An import's mapping names a configuration that is not stored: ${name}`);
      return id;
    };
    const moving = writes.groups.filter((group) => group.id && group.fields);
    for (const [index, group] of moving.entries()) {
      await tx.group.update({ where: { id: group.id }, data: { priority: -1 - index } });
    }
    for (const group of writes.groups) {
      const ldapMappings = group.ldapMappings.map((mapping) => ({
        ldapConfigId: configId(mapping.configuration),
        dn: mapping.dn,
        dnNormalized: mapping.dnNormalized,
      }));
      const rows = { ldapMappings: { create: ldapMappings }, settings: { create: group.settings } };
      if (!group.id) {
        await tx.group.create({ data: { ...group.fields!, ...rows } });
        continue;
      }
      await tx.groupLdapMapping.deleteMany({ where: { groupId: group.id } });
      await tx.groupSetting.deleteMany({ where: { groupId: group.id } });
      await tx.group.update({ where: { id: group.id }, data: { ...group.fields, ...rows } });
    }
  });
}
