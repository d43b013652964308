import "server-only";
import { recordAudit } from "@/lib/db/audit";
import { findLdapConfig, listLdapConfigs, splitList, storedServicePassword } from "@/lib/db/ldap-configs";
import { appGroupsForDns } from "@/lib/db/ldap-sync";
import { db } from "@/lib/db/client";
import { SYSTEM_GROUPS } from "@/lib/db/groups";
import { SecretDecryptionError } from "@/lib/crypto";
import { diagnose, LDAP_ERRORS, type LdapConfig, type TraceStep } from "@/lib/ldap";
import { dnKey } from "@/lib/ldap/dn";
import { domainsOf } from "@/lib/ldap/domains";
import { pemProblem } from "@/lib/ldap/tls";
import { effectiveSettings, type EffectiveSetting } from "@/lib/settings";
import type { LdapConfigInput } from "@/lib/validation/ldap-config";

/** Where and how the stored secret would be sent: any change requires typing it again. */
function sameDestination(
  stored: { url: string; failoverUrls: string; serviceAccountDn: string; startTls: boolean; verifyCertificate: boolean; caCertificate: string | null },
  values: Pick<LdapConfigInput, "url" | "failoverUrls" | "serviceAccountDn" | "startTls" | "verifyCertificate" | "caCertificate">,
): boolean {
  return (
    stored.url === values.url &&
    splitList(stored.failoverUrls).join("\n") === splitList(values.failoverUrls).join("\n") &&
    stored.serviceAccountDn === values.serviceAccountDn &&
    stored.startTls === values.startTls &&
    stored.verifyCertificate === values.verifyCertificate &&
    (stored.caCertificate ?? "") === values.caCertificate
  );
}

type Routing = { name: string; enabled: boolean; displayOrder: number; searchBase: string; alternateDomains: string };

/** Two enabled configurations for the same domain need an order between them. */
export function routingConflict(config: Omit<Routing, "name" | "enabled">, others: Routing[]): string | undefined {
  const mine = domainsOf(config);
  for (const other of others.filter((candidate) => candidate.enabled && candidate.displayOrder === config.displayOrder)) {
    const shared = domainsOf(other).filter((domain) => mine.includes(domain));
    if (shared.length > 0) {
      return `${shared.join(", ")} is also routed to "${other.name}" with the same display order ${config.displayOrder}: give one of them a different order so the portal knows which to try first`;
    }
  }
  return undefined;
}

/** Server-side checks the zod schema cannot make: uniqueness, domain routing, secrets, PEM. */
export async function serverFieldErrors(values: LdapConfigInput, id: string | undefined): Promise<Record<string, string>> {
  const errors: Record<string, string> = {};
  const others = (await listLdapConfigs()).filter((config) => config.id !== id);
  if (others.some((config) => config.name.toLowerCase() === values.name.toLowerCase())) {
    errors.name = `A configuration named "${values.name}" already exists`;
  }
  if (values.enabled) {
    const conflict = routingConflict(values, others);
    if (conflict) errors.displayOrder = conflict;
  }
  if (values.caCertificate) {
    const problem = pemProblem(values.caCertificate);
    if (problem) errors.caCertificate = problem;
  }
  if (values.serviceAccountDn && !values.serviceAccountPassword) {
    const stored = id ? await findLdapConfig(id) : undefined;
    const hasSecret = id ? (await storedServicePassword(id)) !== "" : false;
    if (!stored || !hasSecret) {
      errors.serviceAccountPassword = "Enter the Service Account Password";
    } else if (!sameDestination(stored, values)) {
      // A stored secret is never sent to another server, for another account, or less protected.
      errors.serviceAccountPassword = "Type the Service Account Password again: the URL, Failover URLs, Service Account DN or TLS settings changed";
    }
  }
  return errors;
}

/**
 * Runs `load` (which reads a stored service account password); a password the current
 * encryption key cannot decrypt becomes the administrator's message and hint, not a crash.
 */
export async function withStoredSecret<T>(load: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; message: string; hint: string }> {
  try {
    return { ok: true, value: await load() };
  } catch (error) {
    if (!(error instanceof SecretDecryptionError)) throw error;
    return { ok: false, ...LDAP_ERRORS.secret_unreadable };
  }
}

/** The engine configuration for form values, using the stored secret only when it is safe. */
export async function engineConfigFromInput(values: LdapConfigInput, id: string | undefined): Promise<LdapConfig> {
  let password = values.serviceAccountPassword;
  if (!password && id) {
    const stored = await findLdapConfig(id);
    if (stored && sameDestination(stored, values)) password = await storedServicePassword(id);
  }
  return {
    ...(id ? { id } : {}),
    url: values.url,
    failoverUrls: splitList(values.failoverUrls),
    searchBase: values.searchBase,
    searchFilter: values.searchFilter,
    groupMembershipFilter: values.groupMembershipFilter,
    emailAttribute: values.emailAttribute,
    serviceAccountDn: values.serviceAccountDn,
    serviceAccountPassword: password,
    searchSubtree: values.searchSubtree,
    startTls: values.startTls,
    verifyCertificate: values.verifyCertificate,
    caCertificate: values.caCertificate || undefined,
    connectTimeoutMs: values.connectTimeoutMs,
    operationTimeoutMs: values.operationTimeoutMs,
    nestedGroups: values.nestedGroups,
    nestedGroupsCacheSeconds: values.nestedGroupsCacheSeconds,
    requiredGroupDn: values.requiredGroupDn || undefined,
  };
}

export interface TestReport {
  ok: boolean;
  lookupOnly: boolean;
  error: { code: string; message: string; hint: string; detail?: string; serverDiagnostic?: string; step: string } | null;
  steps: TraceStep[];
  user: { dn: string; email: string | null; directoryId: string | null } | null;
  directGroups: string[];
  nestedGroups: string[];
  /** The app groups this user would get, lowest priority number first (All Users included). */
  appGroups: { name: string; priority: number; matchedDn: string | null }[];
  settings: EffectiveSetting[];
}

/**
 * Runs the engine's diagnose and adds the mapping preview; never includes the password. The
 * preview applies the mappings of `savedConfigId` only (none for a configuration not saved yet).
 */
export async function runLdapTest(
  config: LdapConfig,
  savedConfigId: string | undefined,
  username: string,
  password: string | undefined,
  actor: string,
  configName: string,
): Promise<TestReport> {
  const diagnosis = await diagnose(config, username, password);
  const direct = diagnosis.directGroups;
  const mapped = diagnosis.ok && savedConfigId ? await appGroupsForDns(savedConfigId, diagnosis.groups) : [];
  const allUsers = await db().group.findUniqueOrThrow({ where: { systemKey: SYSTEM_GROUPS.allUsers.systemKey }, include: { settings: true } });
  const appGroups = diagnosis.ok ? [{ ...allUsers, matchedDn: null as string | null }, ...mapped].sort((a, b) => a.priority - b.priority) : [];
  const directKeys = new Set(direct.map(dnKey));
  await recordAudit({
    actor,
    action: "ldap_config.test",
    target: configName,
    outcome: diagnosis.ok ? "success" : "failure",
    details: { username, lookupOnly: password === undefined, errorCode: diagnosis.error?.code ?? null, groups: diagnosis.groups.length },
  });
  return {
    ok: diagnosis.ok,
    lookupOnly: diagnosis.lookupOnly,
    error: diagnosis.error
      ? { code: diagnosis.error.code, message: diagnosis.error.message, hint: diagnosis.error.hint, step: diagnosis.error.step, detail: diagnosis.error.detail, serverDiagnostic: diagnosis.error.serverDiagnostic }
      : null,
    steps: diagnosis.steps,
    user: diagnosis.user ? { dn: diagnosis.user.dn, email: diagnosis.user.email ?? null, directoryId: diagnosis.user.directoryId ?? null } : null,
    directGroups: direct,
    nestedGroups: diagnosis.groups.filter((dn) => !directKeys.has(dnKey(dn))),
    appGroups: appGroups.map((group) => ({ name: group.name, priority: group.priority, matchedDn: group.matchedDn })),
    settings: effectiveSettings(appGroups),
  };
}
