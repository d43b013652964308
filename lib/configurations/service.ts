import "server-only";
/**
 * LDAP configurations as the admin pages use them: checks the schema cannot make, saving with
 * its audit, and Test LDAP Connection / Detect on typed or stored values.
 */
import { SecretDecryptionError } from "@/lib/crypto";
import { recordAudit } from "@/lib/db/audit";
import {
  createLdapConfig,
  deleteLdapConfig,
  engineConfigFor,
  findLdapConfig,
  hasStoredSecret,
  listLdapConfigs,
  setLdapConfigEnabled,
  storedServicePassword,
  toLdapConfigInput,
  updateLdapConfig,
  type DeleteLdapConfigResult,
} from "@/lib/db/ldap-configs";
import { appGroupsForDirectoryUser } from "@/lib/db/ldap-sync";
import { diagnose, forgetConfiguration, LDAP_ERRORS, pemProblem, type LdapConfig } from "@/lib/ldap";
import { toLdapConfig, type LdapConfigInput } from "@/lib/ldap/config";
import { dnKey } from "@/lib/ldap/dn";
import { effectiveSettings } from "@/lib/settings";
import { routingConflict } from "./routing";
import { mayReuseStoredPassword, servicePasswordError, type StoredSecret } from "./secret-reuse";
import type { TestReport } from "./test-report";

/** The saved configuration's destination and whether it holds a password (never the password). */
async function storedSecretOf(id: string | undefined): Promise<StoredSecret> {
  const row = id ? await findLdapConfig(id) : null;
  if (!row) return undefined;
  return { destination: toLdapConfigInput(row), hasPassword: await hasStoredSecret(row.id) };
}

/** Server-side checks the zod schema cannot make: uniqueness, domain routing, secrets, PEM. */
export async function configurationFieldErrors(
  values: LdapConfigInput,
  id: string | undefined,
): Promise<Record<string, string>> {
  const errors: Record<string, string> = {};
  const others = (await listLdapConfigs()).filter((config) => config.id !== id);
  if (others.some((config) => config.name.toLowerCase() === values.name.toLowerCase())) {
    errors.name = `A configuration named "${values.name}" already exists`;
  }
  const conflict = values.enabled ? routingConflict(values, others) : undefined;
  if (conflict) errors.displayOrder = conflict;
  const pem = values.caCertificate ? pemProblem(values.caCertificate) : undefined;
  if (pem) errors.caCertificate = pem;
  const password = servicePasswordError(values, await storedSecretOf(id));
  if (password) errors.serviceAccountPassword = password;
  return errors;
}

/**
 * Creates (id undefined) or updates a configuration from checked values, audited. An empty
 * password keeps the stored one (the checks made sure it may be reused); no DN clears it.
 */
export async function saveConfiguration(
  id: string | undefined,
  values: LdapConfigInput,
  actor: string,
): Promise<{ id: string }> {
  const previous = id ? await withStoredSecret(() => engineConfigFor(id)) : undefined;
  const { serviceAccountPassword, ...data } = values;
  const saved = id
    ? await updateLdapConfig(id, data, serviceAccountPassword || (values.serviceAccountDn ? undefined : ""))
    : await createLdapConfig(data, serviceAccountPassword);
  // The engine drops what it compiled for the old settings; saving also makes a nesting change
  // in the directory count at once.
  if (previous?.ok && previous.value) forgetConfiguration(previous.value);
  await recordAudit({
    actor,
    action: id ? "ldap_config.update" : "ldap_config.create",
    target: saved.name,
    outcome: "success",
    details: {
      url: saved.url,
      searchBase: saved.searchBase,
      enabled: saved.enabled,
      serviceAccountPasswordChanged: serviceAccountPassword !== "",
    },
  });
  return { id: saved.id };
}

/** The engine configuration for typed values, with the stored secret only where it may be reused. */
export async function engineConfigFromInput(values: LdapConfigInput, id: string | undefined): Promise<LdapConfig> {
  const reuse = mayReuseStoredPassword(values, await storedSecretOf(id));
  return toLdapConfig({
    ...values,
    serviceAccountPassword: reuse && id ? await storedServicePassword(id) : values.serviceAccountPassword,
  });
}

/** Turns a configuration on or off; turning on is refused when another one routes the same domain at its order. */
export async function setConfigurationEnabled(
  id: string,
  enabled: boolean,
  actor: string,
): Promise<
  { ok: true; name: string } | { ok: false; reason: "gone" } | { ok: false; reason: "conflict"; message: string }
> {
  const config = await findLdapConfig(id);
  if (!config) return { ok: false, reason: "gone" };
  const conflict = enabled
    ? routingConflict(
        config,
        (await listLdapConfigs()).filter((other) => other.id !== id),
      )
    : undefined;
  if (conflict) return { ok: false, reason: "conflict", message: conflict };
  await setLdapConfigEnabled(id, enabled);
  await recordAudit({
    actor,
    action: enabled ? "ldap_config.enable" : "ldap_config.disable",
    target: config.name,
    outcome: "success",
  });
  return { ok: true, name: config.name };
}

/**
 * Deletes a configuration (its users stay, disabled and detached) unless that would leave no
 * enabled administrator; audited either way. The engine drops what it held for it.
 */
export async function deleteConfiguration(id: string, name: string, actor: string): Promise<DeleteLdapConfigResult> {
  const previous = await withStoredSecret(() => engineConfigFor(id));
  const result = await deleteLdapConfig(id);
  const details = result.ok ? { disabledUsers: result.disabledUsers } : { reason: result.reason };
  await recordAudit({
    actor,
    action: "ldap_config.delete",
    target: name,
    outcome: result.ok ? "success" : "failure",
    details,
  });
  if (result.ok && previous.ok && previous.value) forgetConfiguration(previous.value);
  return result;
}

/**
 * Runs `load` (which reads a stored service account password); a password the current
 * encryption key cannot decrypt becomes the administrator's message and hint, not a crash.
 */
export async function withStoredSecret<T>(
  load: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; message: string; hint: string }> {
  try {
    return { ok: true, value: await load() };
  } catch (error) {
    if (!(error instanceof SecretDecryptionError)) throw error;
    return { ok: false, ...LDAP_ERRORS.secret_unreadable };
  }
}

/**
 * Runs the engine's diagnose and adds the mapping preview; never includes the password. The
 * preview applies the mappings of `savedConfigId` only (none for a configuration not saved yet).
 */
export async function runLdapTest(
  config: LdapConfig,
  savedConfigId: string | undefined,
  test: { username: string; password: string | undefined },
  audit: { actor: string; configName: string },
): Promise<TestReport> {
  const { username, password } = test;
  const diagnosis = await diagnose(config, username, password);
  const appGroups = diagnosis.ok ? await appGroupsForDirectoryUser(savedConfigId, diagnosis.groups) : [];
  const directKeys = new Set(diagnosis.directGroups.map(dnKey));
  await recordAudit({
    actor: audit.actor,
    action: "ldap_config.test",
    target: audit.configName,
    outcome: diagnosis.ok ? "success" : "failure",
    details: {
      username,
      lookupOnly: password === undefined,
      errorCode: diagnosis.error?.code ?? null,
      groups: diagnosis.groups.length,
    },
  });
  const error = diagnosis.error;
  return {
    ok: diagnosis.ok,
    lookupOnly: diagnosis.lookupOnly,
    error: error
      ? {
          code: error.code,
          message: error.message,
          hint: error.hint,
          step: error.step,
          detail: error.detail,
          serverDiagnostic: error.serverDiagnostic,
        }
      : null,
    steps: diagnosis.steps,
    user: diagnosis.user
      ? { dn: diagnosis.user.dn, email: diagnosis.user.email ?? null, directoryId: diagnosis.user.directoryId ?? null }
      : null,
    directGroups: diagnosis.directGroups,
    nestedGroups: diagnosis.groups.filter((dn) => !directKeys.has(dnKey(dn))),
    appGroups: appGroups.map((group) => ({ name: group.name, priority: group.priority, matchedDn: group.matchedDn })),
    settings: effectiveSettings(appGroups),
  };
}
