import "server-only";
import { decryptSecret } from "@/lib/crypto";
import type { LdapConfig } from "@/lib/ldap/config";
import { db } from "./client";
import { toEngineConfig } from "./ldap-configs";
import { groupsByDn } from "./mapping-index";

/**
 * What every sign-in reads and only administrators change: the enabled configurations (with
 * their encrypted secret), the groups and the group mappings. Each instance keeps one copy,
 * labelled with the SettingsVersion it was loaded at; database triggers move that version on
 * every write to those tables, from any instance or tool, and each sign-in reads it in its first
 * statement (sign-in-opening.ts), so a change is in force on every instance at its next sign-in.
 */
export interface SignInSettings {
  version: number;
  /** The enabled configurations in routing order. */
  configs: SignInConfig[];
  groups: ReadonlyMap<string, GroupSummary>;
  /** The groups mapped, for `configId`, to any of these DNs (compared in RFC 4514 normal form). */
  mappedGroupIds(configId: string, dns: string[]): Set<string>;
}

export interface GroupSummary {
  name: string;
  priority: number;
  systemKey: string | null;
}

export type SignInConfigRow = Awaited<ReturnType<typeof loadEnabledConfigs>>[number];

export interface SignInConfig {
  row: SignInConfigRow;
  /** The engine's configuration, secret decrypted once per loaded copy; throws SecretDecryptionError. */
  engineConfig(): LdapConfig;
}

function loadEnabledConfigs() {
  return db().ldapConfig.findMany({
    where: { enabled: true },
    orderBy: [{ displayOrder: "asc" }, { name: "asc" }],
    omit: { serviceAccountPasswordEncrypted: false },
  });
}

function signInConfig(row: SignInConfigRow): SignInConfig {
  let engine: { config: LdapConfig } | { error: unknown } | undefined;
  return {
    row,
    engineConfig() {
      if (!engine) {
        try {
          const secret = row.serviceAccountPasswordEncrypted ? decryptSecret(row.serviceAccountPasswordEncrypted) : "";
          engine = { config: toEngineConfig(row, secret) };
        } catch (error) {
          engine = { error };
        }
      }
      if ("error" in engine) throw engine.error;
      return engine.config;
    },
  };
}

async function load(version: number): Promise<SignInSettings> {
  const [configs, groups, mappings] = await Promise.all([
    loadEnabledConfigs(),
    db().group.findMany({ select: { id: true, name: true, priority: true, systemKey: true } }),
    db().groupLdapMapping.findMany({ select: { ldapConfigId: true, dnNormalized: true, groupId: true } }),
  ]);
  const byConfig = new Map<string, typeof mappings>();
  for (const mapping of mappings)
    byConfig.set(mapping.ldapConfigId, [...(byConfig.get(mapping.ldapConfigId) ?? []), mapping]);
  const lookups = new Map([...byConfig].map(([configId, rows]) => [configId, groupsByDn(rows)]));
  return {
    version,
    configs: configs.map(signInConfig),
    groups: new Map(groups.map(({ id, ...group }) => [id, group])),
    mappedGroupIds: (configId, dns) => lookups.get(configId)?.(dns) ?? new Set(),
  };
}

// The copy of this process (one load at a time: sign-ins that see a new version share it).
const globalForSettings = globalThis as unknown as { portalSignInSettings?: Promise<SignInSettings> };

/**
 * The settings at `version`: the cached copy, or a fresh one when the version moved (either way:
 * a database restored from a backup may go back).
 */
export async function signInSettings(version: number): Promise<SignInSettings> {
  const cached = globalForSettings.portalSignInSettings;
  if (cached) {
    const settings = await cached.catch(() => undefined);
    if (settings?.version === version) return settings;
    // Another sign-in may have started the reload while this one waited.
    if (globalForSettings.portalSignInSettings !== cached) return signInSettings(version);
  }
  const loading = load(version);
  globalForSettings.portalSignInSettings = loading;
  return loading;
}
