/**
 * Configurations of the three real test directories (see e2e/directories/README.md) for the
 * integration tests, and helpers to read a diagnosis's trace. Nothing here mocks LDAP: every
 * configuration points at a real server (network-faults.ts makes the faulty ones).
 */
import { caCertificate, directoryEnv, type DirectoryEnv } from "@/e2e/directories/env";
import { CONFIG_DEFAULTS, type Diagnosis, type LdapConfig, type TraceStep } from "../index";
import { IN_CHAIN_OID } from "../oids";

export const USER_PASSWORD = "Test-Password-123";
export const IN_CHAIN = IN_CHAIN_OID;

export const samba = (): DirectoryEnv => directoryEnv("samba");
export const openldap = (): DirectoryEnv => directoryEnv("openldap");
export const dirsrv = (): DirectoryEnv => directoryEnv("dirsrv");

function baseConfig(env: DirectoryEnv, overrides: Partial<LdapConfig>): LdapConfig {
  return {
    ...CONFIG_DEFAULTS,
    url: env.urls.ldaps,
    searchBase: env.baseDn,
    searchFilter: "(uid={0})",
    serviceAccountDn: env.serviceAccount.dn,
    serviceAccountPassword: env.serviceAccount.password,
    caCertificate: caCertificate(env),
    // generous: Samba answers from one process and may be slow on a busy machine; tests of timeouts set their own
    connectTimeoutMs: 10_000,
    operationTimeoutMs: 10_000,
    ...overrides,
  };
}

/** The product documentation's Active Directory configuration, on Samba (LDAPS with the test CA). */
export function sambaDocConfig(overrides: Partial<LdapConfig> = {}): LdapConfig {
  const env = samba();
  return baseConfig(env, {
    searchFilter: `&(objectClass=user)(sAMAccountName={0})(memberof:${IN_CHAIN}:=${env.groups.all_kasm_app_users})`,
    groupMembershipFilter: `&(objectClass=group)(member:${IN_CHAIN}:={0})`,
    ...overrides,
  });
}

export type OpenLdapFlavour = "groupOfNames" | "groupOfUniqueNames" | "posixGroup";

/** OpenLDAP with one of its three group flavours and the portable allowed-group check. */
export function openldapConfig(
  flavour: OpenLdapFlavour = "groupOfNames",
  overrides: Partial<LdapConfig> = {},
): LdapConfig {
  const env = openldap();
  const groups = { groupOfNames: env.groups, groupOfUniqueNames: env.uniqueGroups!, posixGroup: env.posixGroups! }[
    flavour
  ];
  const groupMembershipFilter = {
    groupOfNames: "(&(objectClass=groupOfNames)(member={0}))",
    groupOfUniqueNames: "(&(objectClass=groupOfUniqueNames)(uniqueMember={0}))",
    posixGroup: "(&(objectClass=posixGroup)(memberUid={username}))",
  }[flavour];
  return baseConfig(env, {
    url: env.urls.ldap,
    startTls: true,
    searchFilter: "(&(objectClass=inetOrgPerson)(uid={0}))",
    groupMembershipFilter,
    requiredGroupDn: groups.all_kasm_app_users,
    ...overrides,
  });
}

/** 389 DS with groupOfNames (or, with groupMembershipFilter "", its memberOf plugin). */
export function dirsrvConfig(overrides: Partial<LdapConfig> = {}): LdapConfig {
  const env = dirsrv();
  return baseConfig(env, {
    searchFilter: "(&(objectClass=inetOrgPerson)(uid={0}))",
    groupMembershipFilter: "(&(objectClass=groupOfNames)(member={0}))",
    requiredGroupDn: env.groups.all_kasm_app_users,
    ...overrides,
  });
}

/** Host and port of an LDAP URL (for a proxy in front of it). */
export function hostPort(url: string): { host: string; port: number } {
  const parsed = new URL(url.replace(/^ldaps?:/, "http:"));
  return { host: parsed.hostname, port: Number(parsed.port || (url.startsWith("ldaps:") ? 636 : 389)) };
}

// ------------------------------------------------------------------ trace helpers

export const stepNames = (diagnosis: Diagnosis): string[] => diagnosis.steps.map((step) => step.name);

export function stepOf<Name extends TraceStep["name"]>(
  diagnosis: Diagnosis,
  name: Name,
): Extract<TraceStep, { name: Name }> {
  const found = diagnosis.steps.filter((step): step is Extract<TraceStep, { name: Name }> => step.name === name).at(-1);
  if (!found) throw new Error(`no ${name} step in ${stepNames(diagnosis).join(", ")}`);
  return found;
}

/** DNs compared as an administrator would: case-insensitively. */
export const lower = (dns: readonly string[]): string[] => dns.map((dn) => dn.toLowerCase()).sort();
